"""
External quantum efficiency, current and power efficiency, turn-on, roll-off.

The EQE of an LED whose rig logs only J, V and L is computed from the
luminance, the current density and the measured EL spectrum, assuming a
Lambertian emitter (METHODS.md §3):

    EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ,   Km = 683 lm/W

with L in cd/m², J in A/m² and λ in m. The spectral factor must be integrated
over the measured spectrum: V(λ) at the peak alone overstates the EQE of a
638/32 nm red emitter by 10.6 %. Points below the turn-on luminance are noise
and are masked before any maximum is taken.

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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import constants

from core.colorimetry import photopic_on_grid
from core.models import JVLSweep, SpectralSeries
from core.spectra import baseline_corrected

__all__ = [
    "LUMINOUS_EFFICACY_MAX_LM_W",
    "SUMMARY_KEYS",
    "POINT_COLUMNS",
    "EfficiencyResult",
    "eqe_percent_per_cd_a",
    "eqe_percent",
    "current_efficiency_cd_a",
    "power_efficiency_lm_w",
    "turn_on_voltage_v",
    "efficiency_metrics",
    "summary_record",
    "points_table",
    "batch_table",
    "batch_statistics",
    "unique_labels",
    "sweep_notes",
]

#: Maximum luminous efficacy of radiation at 555 nm (CIE photopic). [lm/W]
LUMINOUS_EFFICACY_MAX_LM_W = 683.0

# 100 % · π q / (Km h c): EQE [%] per cd/A and per metre of spectral factor.
_EQE_PERCENT_PER_CD_A_PER_M = (
    100.0
    * math.pi
    * constants.e
    / (LUMINOUS_EFFICACY_MAX_LM_W * constants.h * constants.c)
)
# 1 mA/cm² = 10 A/m².
_A_M2_PER_MA_CM2 = 10.0

#: The scalar results, in the order the CLI prints them.
SUMMARY_KEYS: tuple[str, ...] = (
    "eqe_max_percent",
    "voltage_at_eqe_max_v",
    "luminance_at_eqe_max_cd_m2",
    "current_density_at_eqe_max_ma_cm2",
    "luminance_max_cd_m2",
    "turn_on_v",
    "current_efficiency_max_cd_a",
    "power_efficiency_max_lm_w",
    "eqe_at_100_cd_m2_percent",
    "eqe_at_1000_cd_m2_percent",
    "luminance_at_half_eqe_max_cd_m2",
    "current_density_at_half_eqe_max_ma_cm2",
    "eqe_computed_to_file_ratio",
    "eqe_percent_per_cd_a",
    "turn_on_luminance_cd_m2",
)

#: Columns of :attr:`EfficiencyResult.points`.
POINT_COLUMNS: tuple[str, ...] = (
    "voltage_v",
    "current_density_ma_cm2",
    "luminance_cd_m2",
    "above_turn_on",
    "eqe_percent",
    "eqe_computed_percent",
    "eqe_file_percent",
    "eqe_computed_to_file_ratio",
    "current_efficiency_cd_a",
    "power_efficiency_lm_w",
    "eqe_percent_per_cd_a",
)


def eqe_percent_per_cd_a(wavelength_nm, spectrum) -> np.ndarray:
    """
    EQE per unit current efficiency for an emission spectrum (Lambertian).

    ``100 π q / (Km h c) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ``, integrated with the
    trapezoidal rule on the measured (possibly non-uniform) grid, with the
    CIE 1924 photopic V(λ) from colour-science
    (:func:`core.colorimetry.photopic_on_grid`, zero outside 360-830 nm). The
    scale of ``spectrum`` does not matter.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) strictly increasing wavelength grid. [nm]
    spectrum : array_like
        (W,) or (N, W) spectral intensity, any linear unit.

    Returns
    -------
    numpy.ndarray
        EQE per current efficiency, shape () or (N,); NaN where the spectrum
        has no photopic content (∫ S V dλ ≤ 0). [% per cd/A]

    References
    ----------
    S. R. Forrest et al., Adv. Mater. 15, 1043 (2003), doi:10.1002/adma.200302151.

    Examples
    --------
    >>> wl = np.arange(380.0, 900.0, 0.1)
    >>> s = np.exp(-0.5 * ((wl - 638.0) / (32.0 / 2.3548200450309493)) ** 2)
    >>> round(float(eqe_percent_per_cd_a(wl, s)), 4)
    1.1196
    """
    wavelength = np.asarray(wavelength_nm, dtype=float)
    spectra = np.asarray(spectrum, dtype=float)
    if wavelength.ndim != 1 or spectra.shape[-1] != wavelength.size:
        raise ValueError(
            f"spectrum must end in {wavelength.size} values (the wavelength grid), "
            f"got shape {spectra.shape}"
        )
    weight = np.zeros_like(wavelength)
    if wavelength.size > 1:  # trapezoid weights on a non-uniform grid
        step = np.diff(wavelength)
        weight[:-1] += step / 2
        weight[1:] += step / 2
    photon = spectra @ (weight * wavelength * 1e-9)
    photopic = spectra @ (weight * photopic_on_grid(wavelength))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(photopic > 0, photon / photopic, np.nan)
    return _EQE_PERCENT_PER_CD_A_PER_M * ratio


def current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2) -> np.ndarray:
    """
    Current efficiency, L / J.

    Parameters
    ----------
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density. [mA/cm²]

    Returns
    -------
    numpy.ndarray
        Current efficiency; NaN where J ≤ 0. [cd/A]

    Examples
    --------
    >>> float(current_efficiency_cd_a(1000.0, 10.0))
    10.0
    """
    luminance = np.asarray(luminance_cd_m2, dtype=float)
    current = np.asarray(current_density_ma_cm2, dtype=float) * _A_M2_PER_MA_CM2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(current > 0, luminance / current, np.nan)


def power_efficiency_lm_w(
    luminance_cd_m2, current_density_ma_cm2, voltage_v
) -> np.ndarray:
    """
    Power efficiency of a Lambertian emitter, π L / (J V).

    Parameters
    ----------
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density. [mA/cm²]
    voltage_v : array_like
        Applied bias. [V]

    Returns
    -------
    numpy.ndarray
        Power efficiency; NaN where J ≤ 0 or V ≤ 0. [lm/W]

    Examples
    --------
    >>> round(float(power_efficiency_lm_w(1000.0, 10.0, 3.0)), 2)
    10.47
    """
    voltage = np.asarray(voltage_v, dtype=float)
    efficiency = current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(voltage > 0, math.pi * efficiency / voltage, np.nan)


def eqe_percent(
    wavelength_nm, spectrum, luminance_cd_m2, current_density_ma_cm2
) -> np.ndarray:
    """
    External quantum efficiency from J, L and the EL spectrum (Lambertian).

    ``EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ``, Km = 683 lm/W.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) wavelength grid of the spectrum. [nm]
    spectrum : array_like
        (W,) EL spectrum (any linear unit), or (N, W), one per point.
    luminance_cd_m2 : array_like
        Luminance, broadcastable against the spectra. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density, same shape as ``luminance_cd_m2``. [mA/cm²]

    Returns
    -------
    numpy.ndarray
        EQE; NaN where J ≤ 0 or the spectrum has no photopic content. [%]

    References
    ----------
    S. R. Forrest et al., Adv. Mater. 15, 1043 (2003), doi:10.1002/adma.200302151;
    M. Anaya et al., Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.

    Examples
    --------
    >>> wl = np.arange(380.0, 900.0, 0.1)
    >>> s = np.exp(-0.5 * ((wl - 638.0) / (32.0 / 2.3548200450309493)) ** 2)
    >>> round(float(eqe_percent(wl, s, 1000.0, 10.0)), 3)
    11.196
    """
    factor = eqe_percent_per_cd_a(wavelength_nm, spectrum)
    return factor * current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2)


def turn_on_voltage_v(voltage_v, luminance_cd_m2, threshold_cd_m2: float = 1.0):
    """
    Turn-on voltage: the first measured voltage at which L ≥ the threshold.

    "First" is in the order measured, so a reverse branch after the forward
    sweep does not count. No interpolation between points: the reported
    value is a voltage that was applied.

    Parameters
    ----------
    voltage_v : array_like
        Applied bias, in the order measured. [V]
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    threshold_cd_m2 : float
        Luminance that defines turn-on (1 cd/m² by convention). [cd/m²]

    Returns
    -------
    float
        Turn-on voltage, NaN when the threshold is never reached. [V]

    Examples
    --------
    >>> turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0])
    2.5
    """
    index = _turn_on_index(np.asarray(luminance_cd_m2, float), threshold_cd_m2)
    return math.nan if index is None else float(np.asarray(voltage_v, float)[index])


def _turn_on_index(luminance: np.ndarray, threshold: float) -> int | None:
    above = np.flatnonzero(luminance >= threshold)
    return int(above[0]) if above.size else None


@dataclass(frozen=True, eq=False)
class EfficiencyResult:
    """
    Efficiency figures of merit of one J-V-L sweep.

    Every scalar is NaN when it cannot be determined; ``warnings`` then says
    why. Maxima are taken only over points at or after turn-on with
    L ≥ ``turn_on_luminance_cd_m2`` and J > 0.

    Attributes
    ----------
    label, source : str
        The sweep's label and origin.
    eqe_max_percent : float
        Peak EQE. [%]
    voltage_at_eqe_max_v, luminance_at_eqe_max_cd_m2,
    current_density_at_eqe_max_ma_cm2 : float
        V [V], L [cd/m²] and J [mA/cm²] of the EQE peak.
    luminance_max_cd_m2 : float
        Highest luminance measured. [cd/m²]
    turn_on_v : float
        First voltage with L ≥ ``turn_on_luminance_cd_m2``. [V]
    current_efficiency_max_cd_a : float
        Peak current efficiency. [cd/A]
    power_efficiency_max_lm_w : float
        Peak power efficiency (Lambertian). [lm/W]
    eqe_at_100_cd_m2_percent, eqe_at_1000_cd_m2_percent : float
        EQE at 100 and 1000 cd/m², interpolated in log L on the rising branch.
        [%]
    luminance_at_half_eqe_max_cd_m2, current_density_at_half_eqe_max_ma_cm2 :
    float
        Roll-off: L [cd/m²] and J [mA/cm²] at which the EQE, after its
        peak, has fallen to half of it (J is the "critical current density").
    eqe_computed_to_file_ratio : float
        Median over the points above turn-on of computed EQE / the file's EQE,
        when both exist.
    eqe_percent_per_cd_a : float
        Spectral factor of the EL spectrum used (at the EQE peak when each
        point has its own spectrum). [% per cd/A]
    turn_on_luminance_cd_m2 : float
        The turn-on threshold used. [cd/m²]
    eqe_source : str
        ``"spectrum"`` (computed), ``"file"`` (the file's EQE column) or
        ``"none"``.
    points : pandas.DataFrame
        One row per measured point: ``voltage_v``, ``current_density_ma_cm2``,
        ``luminance_cd_m2``, ``above_turn_on``, ``eqe_percent`` (the EQE used),
        ``eqe_computed_percent``, ``eqe_file_percent``,
        ``eqe_computed_to_file_ratio``, ``current_efficiency_cd_a``,
        ``power_efficiency_lm_w``, ``eqe_percent_per_cd_a`` (the spectral
        factor of each point).
    warnings : tuple of str
        Why a value is missing, and anything the user must know.
    """

    label: str
    source: str
    eqe_max_percent: float
    voltage_at_eqe_max_v: float
    luminance_at_eqe_max_cd_m2: float
    current_density_at_eqe_max_ma_cm2: float
    luminance_max_cd_m2: float
    turn_on_v: float
    current_efficiency_max_cd_a: float
    power_efficiency_max_lm_w: float
    eqe_at_100_cd_m2_percent: float
    eqe_at_1000_cd_m2_percent: float
    luminance_at_half_eqe_max_cd_m2: float
    current_density_at_half_eqe_max_ma_cm2: float
    eqe_computed_to_file_ratio: float
    eqe_percent_per_cd_a: float
    turn_on_luminance_cd_m2: float
    eqe_source: str
    points: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()


def _is_bias_series(spectrum: SpectralSeries) -> bool:
    return spectrum.n_spectra > 1 and spectrum.axis_name == "voltage"


def _reference_row(spectrum: SpectralSeries) -> np.ndarray:
    """The spectrum checked for baseline and range: the brightest of a bias
    series (the first ones are below turn-on), else the first."""
    if _is_bias_series(spectrum):
        totals = np.nansum(spectrum.intensity, axis=1)
        return np.asarray(spectrum.intensity[int(np.argmax(totals))], dtype=float)
    return np.asarray(spectrum.intensity[0], dtype=float)


def _spectral_factors(
    spectrum: SpectralSeries, voltage: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """EQE per cd/A for every point, and what was done to get it."""
    if not _is_bias_series(spectrum):
        factor = eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity[0])
        return np.full(voltage.size, float(factor)), []
    factors = eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity)
    axis = np.asarray(spectrum.axis, dtype=float)
    nearest = np.abs(voltage[:, None] - axis[None, :]).argmin(axis=1)
    gap = float(np.max(np.abs(voltage - axis[nearest]))) if voltage.size else 0.0
    name = spectrum.label or spectrum.source or "The EL spectra"
    return factors[nearest], [
        f"{name} holds {spectrum.n_spectra} EL spectra over bias: each point "
        "uses the spectrum measured at the nearest voltage (largest gap "
        f"{gap:.3g} V)."
    ]


def _spectrum_warnings(spectrum: SpectralSeries) -> list[str]:
    """Checks on an EL spectrum that would bias the spectral factor."""
    warnings = []
    row = _reference_row(spectrum)
    name = spectrum.label or spectrum.source or "the EL spectrum"
    if spectrum.n_spectra > 1 and not _is_bias_series(spectrum):
        warnings.append(
            f"{name} holds {spectrum.n_spectra} spectra; the first was used for "
            "the EQE of every point."
        )
    finite = row[np.isfinite(row)]
    peak = float(finite.max()) if finite.size else math.nan
    if not peak > 0:
        return warnings
    edges = np.abs(np.concatenate([finite[:3], finite[-3:]])) / peak
    if edges.max() > 0.05:
        warnings.append(
            f"{name} does not fall below 5 % of its peak at the ends of its range "
            f"({100 * edges.max():.0f} %): a baseline or a clipped band biases the "
            "computed EQE; subtract the dark spectrum or widen the range."
        )
    peak_nm = float(spectrum.wavelength_nm[np.nanargmax(row)])
    photopic_at_peak = float(photopic_on_grid([peak_nm])[0])
    if photopic_at_peak < 5e-3:
        warnings.append(
            f"{name} peaks at {peak_nm:.0f} nm, where V(λ) is {photopic_at_peak:.1e}: "
            "a luminance reading, and the EQE computed from it, are unreliable "
            "this far into the near infrared; prefer radiance or a photodiode EQE."
        )
    return warnings


def _interpolate_at_luminance(
    luminance: np.ndarray, values: np.ndarray, target: float
) -> float:
    """Linear in log10 L between the first pair of points bracketing target."""
    for i in range(luminance.size - 1):
        low, high = luminance[i], luminance[i + 1]
        if low <= target <= high and high > low:
            if not (np.isfinite(values[i]) and np.isfinite(values[i + 1])):
                return math.nan
            fraction = (math.log10(target) - math.log10(low)) / (
                math.log10(high) - math.log10(low)
            )
            return float(values[i] + fraction * (values[i + 1] - values[i]))
        if low == target:
            return float(values[i])
    if luminance.size and luminance[-1] == target:
        return float(values[-1])
    return math.nan


def _half_maximum_crossing(
    eqe: np.ndarray, luminance: np.ndarray, current: np.ndarray, peak: int
) -> tuple[float, float]:
    """L and J where the EQE first drops to half its peak after the peak."""
    half = eqe[peak] / 2.0
    for j in range(peak + 1, eqe.size):
        if np.isfinite(eqe[j]) and eqe[j] <= half:
            i = j - 1
            while i > peak and not np.isfinite(eqe[i]):
                i -= 1
            fraction = (eqe[i] - half) / (eqe[i] - eqe[j]) if eqe[i] != eqe[j] else 0
            out = []
            for axis in (luminance, current):
                a, b = axis[i], axis[j]
                if a > 0 and b > 0:  # interpolate in log L and log J
                    out.append(float(10 ** (np.log10(a) + fraction * np.log10(b / a))))
                else:
                    out.append(float(a + fraction * (b - a)))
            return out[0], out[1]
    return math.nan, math.nan


def _nan_to_none(value):
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


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
    voltage = np.asarray(sweep.voltage_v, dtype=float)
    current = np.asarray(sweep.current_density_ma_cm2, dtype=float)
    luminance = np.asarray(sweep.luminance_cd_m2, dtype=float)
    n_points = voltage.size
    warnings: list[str] = []
    threshold = float(turn_on_luminance_cd_m2)

    efficiency = current_efficiency_cd_a(luminance, current)
    power = power_efficiency_lm_w(luminance, current, voltage)

    spectrum = spectrum if spectrum is not None else sweep.spectrum
    factors = np.full(n_points, np.nan)
    computed = np.full(n_points, np.nan)
    if spectrum is not None:
        if baseline != "none":
            corrected, _ = baseline_corrected(
                spectrum.wavelength_nm, spectrum.intensity, baseline
            )
            spectrum = replace(spectrum, intensity=corrected)
        warnings.extend(_spectrum_warnings(spectrum))
        factors, spectrum_notes = _spectral_factors(spectrum, voltage)
        warnings.extend(spectrum_notes)
        if np.isfinite(factors).any():
            computed = factors * efficiency
        else:
            warnings.append(
                "The EL spectrum has no emission inside 360-830 nm, where V(λ) is "
                "defined; the EQE cannot be computed from luminance."
            )
    has_factor = bool(np.isfinite(factors).any())
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

    start = _turn_on_index(luminance, threshold)
    mask = np.zeros(n_points, dtype=bool)
    if start is None:
        finite_l = luminance[np.isfinite(luminance)]
        top = f"{finite_l.max():.3g}" if finite_l.size else "none"
        warnings.append(
            f"Turn-on not reached: the luminance never reaches {threshold:g} cd/m² "
            f"(highest {top} cd/m²); efficiency maxima are not determined."
        )
        turn_on = math.nan
    else:
        turn_on = float(voltage[start])
        mask[start:] = True
        mask &= (luminance >= threshold) & (current > 0)

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            np.isfinite(computed) & np.isfinite(from_file) & (from_file != 0),
            computed / from_file,
            np.nan,
        )
    ratio_median = math.nan
    if has_factor and has_file_eqe:
        valid = ratio[mask & np.isfinite(ratio)]
        if valid.size:
            ratio_median = float(np.median(valid))

    def masked_max(values: np.ndarray) -> tuple[float, int | None]:
        candidates = np.where(mask & np.isfinite(values), values, -np.inf)
        if not np.isfinite(candidates).any():
            return math.nan, None
        index = int(np.argmax(candidates))
        return float(values[index]), index

    eqe_max, peak = masked_max(eqe)
    ce_max, _ = masked_max(efficiency)
    pe_max, _ = masked_max(power)
    finite_l = luminance[np.isfinite(luminance)]
    luminance_max = float(finite_l.max()) if finite_l.size else math.nan
    if peak is None:
        at_peak = (math.nan, math.nan, math.nan)
        if eqe_source != "none" and start is not None:
            warnings.append(
                "EQE maximum not determined: no point above turn-on has a finite EQE."
            )
    else:
        at_peak = (float(voltage[peak]), float(luminance[peak]), float(current[peak]))

    # EQE at fixed luminances: the rising branch, from turn-on to the L peak.
    at_luminance = {}
    for target in (100.0, 1000.0):
        value = math.nan
        if eqe_source != "none" and start is not None:
            branch = np.flatnonzero(mask)
            top = branch[np.argmax(luminance[branch])] if branch.size else None
            if top is not None:
                branch = branch[branch <= top]
                value = _interpolate_at_luminance(
                    luminance[branch], eqe[branch], target
                )
                if not np.isfinite(value):
                    if luminance[top] < target:
                        why = (
                            f"the luminance never reaches {target:g} cd/m² "
                            f"(highest {luminance[top]:.3g} cd/m²)"
                        )
                    elif luminance[branch[0]] > target:
                        why = (
                            f"the first point above turn-on is already at "
                            f"{luminance[branch[0]]:.3g} cd/m²"
                        )
                    else:
                        why = "the EQE is missing around that luminance"
                    warnings.append(f"EQE at {target:g} cd/m² not determined: {why}.")
        at_luminance[target] = value

    half_l = half_j = math.nan
    if peak is not None:
        kept = np.flatnonzero(mask)
        local_peak = int(np.searchsorted(kept, peak))
        half_l, half_j = _half_maximum_crossing(
            eqe[kept], luminance[kept], current[kept], local_peak
        )
        if not np.isfinite(half_l):
            warnings.append(
                "Roll-off to half the EQE maximum not determined: the EQE stays "
                f"above {eqe_max / 2:.3g} % up to the highest current measured."
            )

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
    if eqe_source == "file" and spectrum is None:
        warnings.append(
            "EQE taken from the file's EQE column (no EL spectrum given); "
            "it is not recomputed from J and L."
        )

    factor_reported = math.nan
    if has_factor:
        index = peak if peak is not None else np.flatnonzero(np.isfinite(factors))[0]
        factor_reported = float(factors[index])
    points = pd.DataFrame(
        {
            "voltage_v": voltage,
            "current_density_ma_cm2": current,
            "luminance_cd_m2": luminance,
            "above_turn_on": mask,
            "eqe_percent": eqe,
            "eqe_computed_percent": computed,
            "eqe_file_percent": from_file,
            "eqe_computed_to_file_ratio": ratio,
            "current_efficiency_cd_a": efficiency,
            "power_efficiency_lm_w": power,
            "eqe_percent_per_cd_a": factors,
        }
    )
    return EfficiencyResult(
        label=sweep.label,
        source=sweep.source,
        eqe_max_percent=eqe_max,
        voltage_at_eqe_max_v=at_peak[0],
        luminance_at_eqe_max_cd_m2=at_peak[1],
        current_density_at_eqe_max_ma_cm2=at_peak[2],
        luminance_max_cd_m2=luminance_max,
        turn_on_v=turn_on,
        current_efficiency_max_cd_a=ce_max,
        power_efficiency_max_lm_w=pe_max,
        eqe_at_100_cd_m2_percent=at_luminance[100.0],
        eqe_at_1000_cd_m2_percent=at_luminance[1000.0],
        luminance_at_half_eqe_max_cd_m2=half_l,
        current_density_at_half_eqe_max_ma_cm2=half_j,
        eqe_computed_to_file_ratio=ratio_median,
        eqe_percent_per_cd_a=factor_reported,
        turn_on_luminance_cd_m2=threshold,
        eqe_source=eqe_source,
        points=points,
        warnings=tuple(warnings),
    )


def summary_record(result: EfficiencyResult, *, include_points: bool = True) -> dict:
    """
    The result as the JSON-ready dict the CLI prints (NaN -> None).

    Keys: :data:`SUMMARY_KEYS`, ``label``, ``eqe_source``, ``points`` (a list
    of row dicts, when ``include_points``) and ``warnings``.
    """
    record: dict = {"label": result.label}
    for key in SUMMARY_KEYS:
        record[key] = _nan_to_none(getattr(result, key))
    record["eqe_source"] = result.eqe_source
    if include_points:
        record["points"] = [
            {k: _nan_to_none(v) for k, v in row.items()}
            for row in result.points.to_dict(orient="records")
        ]
    record["warnings"] = list(result.warnings)
    return record


def points_table(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    The points of several results stacked, with a ``device`` column first.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Long table for overlaid charts and CSV export.
    """
    frames = [r.points.assign(device=r.label) for r in results]
    if not frames:
        return pd.DataFrame(columns=["device", *POINT_COLUMNS])
    table = pd.concat(frames, ignore_index=True)
    return table[["device", *[c for c in table.columns if c != "device"]]]


def batch_table(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    One row per device with its scalar figures of merit.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Columns ``device``, ``eqe_source`` and :data:`SUMMARY_KEYS`.
    """
    rows = [
        {"device": r.label, "eqe_source": r.eqe_source}
        | {key: getattr(r, key) for key in SUMMARY_KEYS}
        for r in results
    ]
    return pd.DataFrame(rows, columns=["device", "eqe_source", *SUMMARY_KEYS])


#: Batch metrics and whether the champion is the largest (True) or smallest.
_BATCH_METRICS = {
    "eqe_max_percent": True,
    "luminance_max_cd_m2": True,
    "turn_on_v": False,
}


def batch_statistics(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    Device-to-device statistics of peak EQE, peak luminance and turn-on.

    Champion values mislead: a paper's 26.0 % champion sits beside a 22.0 %
    mean over 50 devices. Devices where a metric is NaN are left out of that
    metric and counted in ``n_missing``.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Index ``metric`` (``eqe_max_percent``, ``luminance_max_cd_m2``,
        ``turn_on_v``); columns ``n``, ``n_missing``, ``mean``, ``median``,
        ``std`` (sample, ddof = 1; NaN for one device), ``min``, ``max``,
        ``champion`` (highest EQE and L, lowest turn-on) and
        ``champion_device``.
    """
    table = batch_table(results)
    rows = []
    for metric, higher_is_better in _BATCH_METRICS.items():
        values = table[metric].to_numpy(dtype=float)
        finite = np.isfinite(values)
        row = {
            "metric": metric,
            "n": int(finite.sum()),
            "n_missing": int((~finite).sum()),
        }
        if finite.any():
            kept = values[finite]
            best = int(np.argmax(kept) if higher_is_better else np.argmin(kept))
            row |= {
                "mean": float(kept.mean()),
                "median": float(np.median(kept)),
                "std": float(kept.std(ddof=1)) if kept.size > 1 else math.nan,
                "min": float(kept.min()),
                "max": float(kept.max()),
                "champion": float(kept[best]),
                "champion_device": str(table["device"].to_numpy()[finite][best]),
            }
        else:
            row |= dict.fromkeys(
                ("mean", "median", "std", "min", "max", "champion"), math.nan
            )
            row["champion_device"] = ""
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


# --------------------------------------------------------------------------
# Sweeps of the Efficiency page
# --------------------------------------------------------------------------


def unique_labels(sweeps: Sequence[JVLSweep]) -> dict[str, JVLSweep]:
    """
    Sweeps by label, a repeated label made unique with " (2)" appended.

    Parameters
    ----------
    sweeps : sequence of JVLSweep
        E.g. one per uploaded file, several of them named "pixel 1".

    Returns
    -------
    dict of str to JVLSweep
        In the given order; each sweep's ``label`` is its key.
    """
    unique: dict[str, JVLSweep] = {}
    for sweep in sweeps:
        label = sweep.label
        while label in unique:
            label += " (2)"
        unique[label] = replace(sweep, label=label)
    return unique


def sweep_notes(sweep: JVLSweep) -> list[str]:
    """What the reader did with a sweep's file, and which EL spectrum gave its EQE."""
    notes = list(sweep.notes)
    if sweep.spectrum is not None:
        spectrum_name = sweep.spectrum.label or sweep.spectrum.source
        notes.append(f"EL spectrum used for the EQE: {spectrum_name}")
    return notes
