"""
:func:`efficiency_metrics`: the figures of merit of one J-V-L sweep.

The EQE of an LED whose rig logs only J, V and L is computed from the
luminance, the current density and the measured EL spectrum, assuming a
Lambertian emitter (docs/methods.md §3):

    EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ,   Km = 683 lm/W

with L in cd/m², J in A/m² and λ in m. The spectral factor must be integrated
over the measured spectrum: V(λ) at the peak alone overstates the EQE of a
638/32 nm red emitter by 10.6 %. Points outside the emitting range are noise
and points that break a physical limit are errors of the data: neither is
used for any maximum.

The steps, each in one function: the EQE of every point (from the spectrum,
:func:`core.efficiency.spectral.point_spectra`, else the file's column:
:func:`_eqe_per_point`); the emitting range
(:func:`core.efficiency.turn_on.emitting_range`); the physical limits
(:func:`_data_checks`, :mod:`core.efficiency.checks`); the maxima over what
is left (:func:`_maxima`); EQE at fixed luminances and roll-off
(:mod:`core.efficiency.rolloff`).

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

from core.efficiency.checks import ce_limit_cd_a, data_warnings, point_problems
from core.efficiency.formulas import current_efficiency_cd_a, power_efficiency_lm_w
from core.efficiency.result import DATA_CHECKS, DataWarning, EfficiencyResult
from core.efficiency.rolloff import (
    FIXED_LUMINANCES_CD_M2,
    eqe_at_fixed_luminances,
    roll_off,
)
from core.efficiency.spectral import PointSpectra, point_spectra
from core.efficiency.turn_on import EmittingRange, emitting_range
from core.models import JVLSweep, SpectralSeries

__all__ = ["efficiency_metrics"]


def efficiency_metrics(
    sweep: JVLSweep,
    spectrum: SpectralSeries | None = None,
    *,
    turn_on_luminance_cd_m2: float = 1.0,
    baseline: str = "edges",
    noisy_spectrum: str = "brightest",
    spectrum_name: str | None = None,
) -> EfficiencyResult:
    """
    EQE, current and power efficiency, turn-on and roll-off of one sweep.

    The EQE is computed from J, L and the EL spectrum (``spectrum``, else
    ``sweep.spectrum``); without a spectrum the file's EQE column is used; if
    the file has none, the EQE is NaN with a warning, never a guessed number.
    A device's EQE, with the spectrum its user chose, is
    :func:`core.efficiency.device_efficiency` (which calls this).

    Maxima are taken over the emitting range only (from the first voltage
    where L stays above the threshold and the meter's noise,
    :func:`core.efficiency.turn_on.emitting_range`), never over a point that
    breaks a physical limit (:mod:`core.efficiency.checks`, ``data_warnings``).

    Parameters
    ----------
    sweep : JVLSweep
        The measured sweep, in the order measured.
    spectrum : SpectralSeries, optional
        EL spectrum; overrides ``sweep.spectrum``. A series over bias gives
        each point the spectrum at the nearest voltage where it stands clearly
        above its noise (else ``noisy_spectrum``); any other, its first.
    turn_on_luminance_cd_m2 : float
        Luminance that defines turn-on. [cd/m²]
    baseline : {"edges", "none"}
        Baseline subtracted from every spectrum first (a 400-count dark offset
        under a dim spectrum lowers the EQE by a third otherwise).
    noisy_spectrum : {"brightest", "nearest"}
        What serves a point whose own spectrum is noise (spectral module).
    spectrum_name : str, optional
        How ``eqe_basis`` names the spectrum.

    Returns
    -------
    EfficiencyResult
    """
    threshold = float(turn_on_luminance_cd_m2)
    if not (np.isfinite(threshold) and threshold > 0):
        raise ValueError("turn_on_luminance_cd_m2 must be a positive number")
    curves = _curves(sweep)
    spectrum = spectrum if spectrum is not None else sweep.spectrum
    eqe, warnings = _eqe_per_point(sweep, spectrum, curves, baseline, noisy_spectrum)
    emitting = emitting_range(
        curves.voltage, curves.current, curves.luminance, threshold
    )
    warnings.extend(emitting.warnings)
    warnings.extend(_replaced_in_range(eqe, curves.voltage, emitting.mask))
    problems, checked = _data_checks(curves, eqe, emitting)
    usable = emitting.mask & ~np.any(list(problems.values()), axis=0)
    ratio, ratio_median = _computed_to_file_ratio(eqe, usable)
    figures, peak, notes = _curve_figures(curves, eqe, emitting, usable)
    warnings += [*notes, *_consistency(eqe, spectrum, ratio_median)]
    warnings += [w.message for w in checked]
    return EfficiencyResult(
        label=sweep.label,
        source=sweep.source,
        turn_on_v=emitting.turn_on_v,
        eqe_computed_to_file_ratio=ratio_median,
        eqe_percent_per_cd_a=_reported_factor(eqe, peak),
        turn_on_luminance_cd_m2=threshold,
        eqe_source=eqe.source,
        points=_points_frame(curves, emitting.mask, eqe, ratio, problems),
        warnings=tuple(warnings),
        turn_on_level_cd_m2=emitting.level_cd_m2,
        luminance_dark_cd_m2=emitting.dark_cd_m2,
        luminance_noise_cd_m2=emitting.noise_cd_m2,
        eqe_spectrum={"spectrum": "uploaded"}.get(eqe.source, eqe.source),
        eqe_basis=_basis(eqe, spectrum, spectrum_name),
        data_warnings=checked,
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
    spectra: PointSpectra | None  # each point's spectrum and factor
    source: str  # "spectrum", "file" or "none"

    @property
    def factors(self) -> np.ndarray:
        """Spectral factor of each point [% per cd/A], NaN without one."""
        if self.spectra is None:
            return np.full(self.eqe.size, np.nan)
        return self.spectra.factors


def _eqe_per_point(
    sweep: JVLSweep,
    spectrum: SpectralSeries | None,
    curves: _Curves,
    baseline: str,
    noisy: str,
) -> tuple[_Eqe, list[str]]:
    """The EQE computed from the spectrum, else the file's; never a guess."""
    n_points = curves.voltage.size
    warnings: list[str] = []
    spectra = None
    computed = np.full(n_points, np.nan)
    if spectrum is not None:
        spectra = point_spectra(spectrum, curves.voltage, baseline, noisy)
        warnings.extend(spectra.warnings)
        computed = spectra.factors * curves.efficiency
    from_file = (
        np.asarray(sweep.eqe_percent, dtype=float)
        if sweep.eqe_percent is not None
        else np.full(n_points, np.nan)
    )
    if spectra is not None and np.isfinite(spectra.factors).any():
        return _Eqe(computed, computed, from_file, spectra, "spectrum"), warnings
    if np.isfinite(from_file).any():
        return _Eqe(from_file, computed, from_file, spectra, "file"), warnings
    if spectrum is None:
        warnings.append(
            "EQE not determined: no EL spectrum was given and the file has no "
            "EQE column; give the EL spectrum to compute it from J and L."
        )
    eqe = np.full(n_points, np.nan)
    return _Eqe(eqe, computed, from_file, spectra, "none"), warnings


def _replaced_in_range(eqe: _Eqe, voltage: np.ndarray, mask: np.ndarray) -> list[str]:
    """What the noise-dominated spectra of the emitting range would have set."""
    spectra = eqe.spectra
    if spectra is None or not (spectra.replaced & mask).any():
        return []
    inside = spectra.replaced & mask
    own = spectra.own_factors[inside]
    own = own[np.isfinite(own)]
    span = f"{own.min():.3g} to {own.max():.3g}" if own.size else "none"
    return [
        f"In the emitting range, {int(inside.sum())} point(s) "
        f"({voltage[inside].min():.3g} to {voltage[inside].max():.3g} V) have a "
        f"noise-dominated spectrum of their own, whose spectral factors ({span} % "
        f"per cd/A) were replaced by {np.nanmedian(spectra.factors[inside]):.3g}."
    ]


def _basis(eqe: _Eqe, spectrum: SpectralSeries | None, name: str | None) -> str:
    """Where the EQE comes from, in one sentence shown with the number."""
    if eqe.source == "file":
        if spectrum is not None:
            return (
                "EQE from the file's EQE column (the EL spectrum "
                f"'{spectrum.label or spectrum.source}' gives no spectral factor)"
            )
        return "EQE from the file's EQE column"
    if eqe.source == "none":
        return "no EQE (no EL spectrum and no EQE column)"
    assert spectrum is not None and eqe.spectra is not None
    label = spectrum.label or spectrum.source or "EL spectrum"
    name = name or "the EL spectrum"
    return f"EQE computed with {name} '{label}'{eqe.spectra.description}"


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
    curves: _Curves, eqe: _Eqe, emitting: EmittingRange, usable: np.ndarray
) -> tuple[dict[str, float], int | None, list[str]]:
    """Maxima, EQE at fixed luminances and roll-off over the ``usable``
    points, by result field; the index of the EQE peak; why a value is NaN."""
    figures, peak, warnings = _maxima(curves, eqe, emitting, usable)
    at_luminance = dict.fromkeys(FIXED_LUMINANCES_CD_M2, math.nan)
    if eqe.source != "none" and usable.any():
        at_luminance, notes = eqe_at_fixed_luminances(eqe.eqe, curves.luminance, usable)
        warnings.extend(notes)
    half, notes = roll_off(eqe.eqe, curves.luminance, curves.current, usable, peak)
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
    curves: _Curves, eqe: _Eqe, emitting: EmittingRange, usable: np.ndarray
) -> tuple[dict[str, float], int | None, list[str]]:
    """Every maximum over the usable points of the emitting range (the one
    place they are taken), the highest luminance measured, and the index of
    the EQE peak."""
    eqe_max, peak = _masked_max(eqe.eqe, usable)
    ce_max, _ = _masked_max(curves.efficiency, usable)
    pe_max, _ = _masked_max(curves.power, usable)
    finite_l = curves.luminance[np.isfinite(curves.luminance)]
    warnings = []
    if peak is None:
        at_peak = (math.nan, math.nan, math.nan)
        if eqe.source != "none" and emitting.start is not None:
            warnings.append(
                "EQE maximum not determined: no point of the emitting range has "
                "a finite EQE that passes the data checks."
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


def _data_checks(
    curves: _Curves, eqe: _Eqe, emitting: EmittingRange
) -> tuple[dict[str, np.ndarray], tuple[DataWarning, ...]]:
    """Points of the emitting range that break a physical limit
    (:mod:`core.efficiency.checks`), by check, and their warnings."""
    problems = point_problems(
        curves.voltage,
        curves.current,
        eqe.eqe,
        curves.efficiency,
        curves.power,
        eqe.factors,
        emitting.mask,
    )
    values = {
        "eqe": eqe.eqe,
        "efficiency": curves.efficiency,
        "power": curves.power,
        "current": curves.current,
        "ce_limit": ce_limit_cd_a(eqe.factors),
    }
    return problems, data_warnings(problems, curves.voltage, values)


def _consistency(
    eqe: _Eqe, spectrum: SpectralSeries | None, ratio_median: float
) -> list[str]:
    """The computed EQE against the file's own column, or why there is none."""
    if eqe.source == "file" and spectrum is None:
        return [
            "EQE taken from the file's EQE column, not recomputed from J and L "
            "(no EL spectrum used)."
        ]
    if np.isfinite(ratio_median) and not 0.8 <= ratio_median <= 1.25:
        return [
            f"The EQE computed from J, L and the spectrum is {ratio_median:.3g} "
            "times the file's EQE column (median above turn-on): check that the "
            "spectrum belongs to this device and that L and the area are right."
        ]
    return []


def _reported_factor(eqe: _Eqe, peak: int | None) -> float:
    """The spectral factor at the EQE peak, else the first finite one."""
    if eqe.source != "spectrum":
        return math.nan
    index = peak if peak is not None else np.flatnonzero(np.isfinite(eqe.factors))[0]
    return float(eqe.factors[index])


def _points_frame(
    curves: _Curves,
    mask: np.ndarray,
    eqe: _Eqe,
    ratio: np.ndarray,
    problems: dict[str, np.ndarray],
) -> pd.DataFrame:
    """One row per measured point, columns :data:`POINT_COLUMNS`."""
    n_points = curves.voltage.size
    spectra = eqe.spectra
    problem = [
        "; ".join(DATA_CHECKS[c] for c, flagged in problems.items() if flagged[i])
        for i in range(n_points)
    ]
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
            "spectrum_voltage_v": (
                np.full(n_points, np.nan) if spectra is None else spectra.voltage_used_v
            ),
            "spectrum_replaced": (
                np.zeros(n_points, bool) if spectra is None else spectra.replaced
            ),
            "data_problem": problem,
        }
    )
