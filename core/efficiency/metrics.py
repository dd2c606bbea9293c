"""
:func:`efficiency_metrics`: the figures of merit of one J-V-L sweep.

The EQE of an LED whose rig logs only J, V and L is computed from the
luminance, the current density and the measured EL spectrum, assuming a
Lambertian emitter (docs/methods.md §3):

    EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ,   Km = 683 lm/W

with L in cd/m², J in A/m² and λ in m. The spectral factor must be integrated
over the measured spectrum: V(λ) at the peak alone overstates the EQE of a
638/32 nm red emitter by 10.6 %. Points below the turn-on luminance are noise
and are masked before any maximum is taken.

The steps, each in one function: the EQE of every point (from the spectrum,
:func:`core.efficiency.spectral.point_spectral_factors`, else the file's
column: :func:`_eqe_per_point`); the emitting range
(:func:`core.efficiency.turn_on.emitting_range`); the maxima over it
(:func:`_maxima`); EQE at fixed luminances and roll-off
(:mod:`core.efficiency.rolloff`); checks of the numbers (:func:`_data_checks`).

References
----------
S. R. Forrest, D. D. C. Bradley, M. E. Thompson, "Measuring the efficiency of
organic light-emitting devices," Adv. Mater. 15, 1043 (2003),
doi:10.1002/adma.200302151.

M. Anaya et al., "Best practices for measuring emerging light-emitting diode
technologies," Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.efficiency.formulas import current_efficiency_cd_a, power_efficiency_lm_w
from core.efficiency.result import EfficiencyResult
from core.efficiency.rolloff import (
    FIXED_LUMINANCES_CD_M2,
    eqe_at_fixed_luminances,
    roll_off,
)
from core.efficiency.spectral import point_spectral_factors
from core.efficiency.turn_on import EmittingRange, emitting_range
from core.models import JVLSweep, SpectralSeries

__all__ = ["efficiency_metrics"]


def efficiency_metrics(
    sweep: JVLSweep,
    spectrum: SpectralSeries | None = None,
    *,
    turn_on_luminance_cd_m2: float = 1.0,
    baseline: str = "edges",
) -> EfficiencyResult:
    """
    EQE, current and power efficiency, turn-on and roll-off of one sweep.

    The EQE is computed from J, L and the EL spectrum (``spectrum``, else
    ``sweep.spectrum``); without a spectrum the file's EQE column is used; if
    the file has none, the EQE is NaN with a warning, never a guessed number.
    Points before turn-on, with L below the threshold or with J ≤ 0 are
    masked before any maximum (a real sweep shows a 22.7 % "EQE" at 2.05 V
    from meter noise, against 10.28 % at 4.25 V above turn-on).

    Parameters
    ----------
    sweep : JVLSweep
        The measured sweep, in the order measured.
    spectrum : SpectralSeries, optional
        EL spectrum; overrides ``sweep.spectrum``. For a series over bias
        (``axis_name == "voltage"``) each point uses the spectrum measured at
        the nearest voltage (the colour of many LEDs moves with bias); for any
        other series the first spectrum is used.
    turn_on_luminance_cd_m2 : float
        Luminance that defines turn-on. [cd/m²]
    baseline : {"edges", "none"}
        Baseline subtracted from every spectrum before the spectral factor
        (:func:`core.spectra.baseline_corrected`, as for colorimetry): a
        400-count dark offset under a dim low-bias spectrum otherwise lowers
        the EQE by a third.

    Returns
    -------
    EfficiencyResult

    References
    ----------
    M. Anaya et al., "Best practices for measuring emerging light-emitting
    diode technologies," Nat. Photonics 13, 818 (2019),
    doi:10.1038/s41566-019-0543-y.
    """
    if not (np.isfinite(turn_on_luminance_cd_m2) and turn_on_luminance_cd_m2 > 0):
        raise ValueError("turn_on_luminance_cd_m2 must be a positive number")
    threshold = float(turn_on_luminance_cd_m2)
    curves = _curves(sweep)
    spectrum = spectrum if spectrum is not None else sweep.spectrum
    eqe, warnings = _eqe_per_point(sweep, spectrum, curves, baseline)
    emitting = emitting_range(
        curves.voltage, curves.current, curves.luminance, threshold
    )
    warnings.extend(emitting.warnings)
    ratio, ratio_median = _computed_to_file_ratio(eqe, emitting.mask)
    figures, peak, notes = _curve_figures(curves, eqe, emitting)
    warnings.extend(notes)
    warnings.extend(_data_checks(figures, ratio_median))
    if eqe.source == "file" and spectrum is None:
        warnings.append(
            "EQE taken from the file's EQE column (no EL spectrum given); "
            "it is not recomputed from J and L."
        )
    return EfficiencyResult(
        label=sweep.label,
        source=sweep.source,
        turn_on_v=emitting.turn_on_v,
        eqe_computed_to_file_ratio=ratio_median,
        eqe_percent_per_cd_a=_reported_factor(eqe, peak),
        turn_on_luminance_cd_m2=threshold,
        eqe_source=eqe.source,
        points=_points_frame(curves, emitting.mask, eqe, ratio),
        warnings=tuple(warnings),
        **figures,
    )


@dataclass(frozen=True, eq=False)
class _Curves:
    """The measured arrays of a sweep, and CE and PE computed from them."""

    voltage: np.ndarray  # [V]
    current: np.ndarray  # [mA/cm²]
    luminance: np.ndarray  # [cd/m²]
    efficiency: np.ndarray  # current efficiency [cd/A]
    power: np.ndarray  # power efficiency [lm/W]


def _curves(sweep: JVLSweep) -> _Curves:
    voltage = np.asarray(sweep.voltage_v, dtype=float)
    current = np.asarray(sweep.current_density_ma_cm2, dtype=float)
    luminance = np.asarray(sweep.luminance_cd_m2, dtype=float)
    return _Curves(
        voltage,
        current,
        luminance,
        efficiency=current_efficiency_cd_a(luminance, current),
        power=power_efficiency_lm_w(luminance, current, voltage),
    )


@dataclass(frozen=True, eq=False)
class _Eqe:
    """The EQE of every point and where it came from."""

    eqe: np.ndarray  # the EQE used [%]
    computed: np.ndarray  # from J, L and the EL spectrum [%]
    from_file: np.ndarray  # the file's EQE column [%]
    factors: np.ndarray  # spectral factor of each point [% per cd/A]
    source: str  # "spectrum", "file" or "none"


def _eqe_per_point(
    sweep: JVLSweep,
    spectrum: SpectralSeries | None,
    curves: _Curves,
    baseline: str,
) -> tuple[_Eqe, list[str]]:
    """The EQE computed from the spectrum, else the file's; never a guess."""
    n_points = curves.voltage.size
    warnings: list[str] = []
    factors = np.full(n_points, np.nan)
    computed = np.full(n_points, np.nan)
    if spectrum is not None:
        factors, warnings = point_spectral_factors(spectrum, curves.voltage, baseline)
    has_factor = bool(np.isfinite(factors).any())
    if has_factor:
        computed = factors * curves.efficiency
    from_file = (
        np.asarray(sweep.eqe_percent, dtype=float)
        if sweep.eqe_percent is not None
        else np.full(n_points, np.nan)
    )
    has_file_eqe = sweep.eqe_percent is not None and np.isfinite(from_file).any()
    if has_factor:
        eqe, eqe_source = computed, "spectrum"
    elif has_file_eqe:
        eqe, eqe_source = from_file, "file"
    else:
        eqe, eqe_source = np.full(n_points, np.nan), "none"
        if spectrum is None:
            warnings.append(
                "EQE not determined: no EL spectrum was given and the file has no "
                "EQE column; give the EL spectrum to compute it from J and L."
            )
    return _Eqe(eqe, computed, from_file, factors, eqe_source), warnings


def _computed_to_file_ratio(eqe: _Eqe, mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Computed / file EQE of every point, and its median over ``mask``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            np.isfinite(eqe.computed)
            & np.isfinite(eqe.from_file)
            & (eqe.from_file != 0),
            eqe.computed / eqe.from_file,
            np.nan,
        )
    ratio_median = math.nan
    if eqe.source == "spectrum" and np.isfinite(eqe.from_file).any():
        valid = ratio[mask & np.isfinite(ratio)]
        if valid.size:
            ratio_median = float(np.median(valid))
    return ratio, ratio_median


def _curve_figures(
    curves: _Curves, eqe: _Eqe, emitting: EmittingRange
) -> tuple[dict[str, float], int | None, list[str]]:
    """Maxima, EQE at fixed luminances and roll-off, by result field; the
    index of the EQE peak; why a value is NaN."""
    figures, peak, warnings = _maxima(curves, eqe, emitting)
    at_luminance = dict.fromkeys(FIXED_LUMINANCES_CD_M2, math.nan)
    if eqe.source != "none" and emitting.start is not None:
        at_luminance, notes = eqe_at_fixed_luminances(
            eqe.eqe, curves.luminance, emitting.mask
        )
        warnings.extend(notes)
    half, notes = roll_off(
        eqe.eqe, curves.luminance, curves.current, emitting.mask, peak
    )
    warnings.extend(notes)
    return figures | at_luminance | half, peak, warnings


def _masked_max(values: np.ndarray, mask: np.ndarray) -> tuple[float, int | None]:
    """The largest finite value where ``mask`` holds, and its index."""
    candidates = np.where(mask & np.isfinite(values), values, -np.inf)
    if not np.isfinite(candidates).any():
        return math.nan, None
    index = int(np.argmax(candidates))
    return float(values[index]), index


def _maxima(
    curves: _Curves, eqe: _Eqe, emitting: EmittingRange
) -> tuple[dict[str, float], int | None, list[str]]:
    """Every maximum over the emitting range (the one place they are taken),
    the highest luminance measured, and the index of the EQE peak."""
    eqe_max, peak = _masked_max(eqe.eqe, emitting.mask)
    ce_max, _ = _masked_max(curves.efficiency, emitting.mask)
    pe_max, _ = _masked_max(curves.power, emitting.mask)
    finite_l = curves.luminance[np.isfinite(curves.luminance)]
    warnings = []
    if peak is None:
        at_peak = (math.nan, math.nan, math.nan)
        if eqe.source != "none" and emitting.start is not None:
            warnings.append(
                "EQE maximum not determined: no point above turn-on has a finite EQE."
            )
    else:
        at_peak = (
            float(curves.voltage[peak]),
            float(curves.luminance[peak]),
            float(curves.current[peak]),
        )
    figures = {
        "eqe_max_percent": eqe_max,
        "voltage_at_eqe_max_v": at_peak[0],
        "luminance_at_eqe_max_cd_m2": at_peak[1],
        "current_density_at_eqe_max_ma_cm2": at_peak[2],
        "luminance_max_cd_m2": float(finite_l.max()) if finite_l.size else math.nan,
        "current_efficiency_max_cd_a": ce_max,
        "power_efficiency_max_lm_w": pe_max,
    }
    return figures, peak, warnings


def _data_checks(figures: dict[str, float], ratio_median: float) -> list[str]:
    """Numbers that say the data, not the device, are wrong."""
    warnings = []
    eqe_max = figures["eqe_max_percent"]
    if np.isfinite(eqe_max) and eqe_max > 100.0:
        warnings.append(
            f"The EQE maximum is {eqe_max:.4g} %, above 100 %: the luminance "
            "calibration, the device area or the EL spectrum is wrong."
        )
    if np.isfinite(ratio_median) and not 0.8 <= ratio_median <= 1.25:
        warnings.append(
            f"The EQE computed from J, L and the spectrum is {ratio_median:.3g} times "
            "the file's EQE column (median above turn-on): check that the spectrum "
            "belongs to this device and that L and the area are right."
        )
    return warnings


def _reported_factor(eqe: _Eqe, peak: int | None) -> float:
    """The spectral factor at the EQE peak, else the first finite one."""
    if eqe.source != "spectrum":
        return math.nan
    index = peak if peak is not None else np.flatnonzero(np.isfinite(eqe.factors))[0]
    return float(eqe.factors[index])


def _points_frame(
    curves: _Curves, mask: np.ndarray, eqe: _Eqe, ratio: np.ndarray
) -> pd.DataFrame:
    """One row per measured point, columns :data:`POINT_COLUMNS`."""
    return pd.DataFrame(
        {
            "voltage_v": curves.voltage,
            "current_density_ma_cm2": curves.current,
            "luminance_cd_m2": curves.luminance,
            "above_turn_on": mask,
            "eqe_percent": eqe.eqe,
            "eqe_computed_percent": eqe.computed,
            "eqe_file_percent": eqe.from_file,
            "eqe_computed_to_file_ratio": ratio,
            "current_efficiency_cd_a": curves.efficiency,
            "power_efficiency_lm_w": curves.power,
            "eqe_percent_per_cd_a": eqe.factors,
        }
    )
