"""
The spectral factor of every point of a sweep: which EL spectrum, and checks.

The EQE of a point is its current efficiency times the spectral factor
``100 π q / (Km h c) · ∫ S λ dλ / ∫ S V dλ`` of the EL spectrum it was
measured with (:func:`core.efficiency.formulas.eqe_percent_per_cd_a`). A
series over bias (``axis_name == "voltage"``) gives each point the spectrum
measured at the nearest voltage *when that spectrum stands clearly above its
noise* (:data:`CLEAN_SPECTRUM_MIN_SNR`, :func:`core.noise.peak_snr`); a
noise-dominated one is replaced by the brightest spectrum of the series (or,
by setting, the nearest clean one) and the notes say which spectrum served
which voltages. Any other spectrum or series gives every point its first
spectrum. Spectra are baseline-corrected first, and checked for what would
bias the factor (a baseline, a clipped band, an emitter in the near infrared
where V(λ) vanishes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from core.colorimetry import photopic_on_grid
from core.efficiency.formulas import eqe_percent_per_cd_a
from core.models import NOISY_SPECTRUM_CHOICES, SpectralSeries
from core.noise import noise_sigma, peak_snr
from core.spectra import baseline_corrected

__all__ = [
    "CLEAN_SPECTRUM_MIN_SNR",
    "NOISY_SPECTRUM_RULES",
    "PointSpectra",
    "point_spectra",
    "point_spectral_factors",
]

#: A spectrum serves its own point only when its peak stands this many noise
#: σ above its median (core.noise.peak_snr). Noise alone reaches 2.5-5 on the
#: 801-pixel OLED count spectra of ../shared/realdata (the largest of ~800
#: Gaussian draws is ≈ 3 σ); there the spectral factor swung 0.15-0.59 (and
#: negative) below turn-on, while from a peak SNR of 10 on it stays within
#: ±5 % of the clean spectra's 0.33 (OLED-009, 5.0-6.0 V: 0.319-0.341).
CLEAN_SPECTRUM_MIN_SNR = 10.0

#: Which spectrum serves a point whose own spectrum is noise: the brightest of
#: the series (the least noisy: its factor is known to ±0.2 % on OLED-009,
#: against ±4 % for the first clean ones), or the nearest clean one in bias
#: (follows a colour that moves with bias, at the cost of more noise).
NOISY_SPECTRUM_RULES: tuple[str, ...] = NOISY_SPECTRUM_CHOICES


@dataclass(frozen=True, eq=False)
class PointSpectra:
    """
    The EL spectrum each point of a sweep uses, and its spectral factor.

    Attributes
    ----------
    factors : numpy.ndarray
        (N,) EQE per current efficiency of each point. [% per cd/A]
    voltage_used_v : numpy.ndarray
        (N,) bias of the spectrum each point uses (NaN unless the series is
        over bias). [V]
    replaced : numpy.ndarray
        (N,) bool, True where the point's own spectrum was noise and another
        one served.
    own_factors : numpy.ndarray
        (N,) spectral factor of each point's own spectrum (equal to
        ``factors`` where not replaced). [% per cd/A]
    peak_nm : float
        Peak of the reference spectrum (the first, or the brightest of a bias
        series). [nm]
    description : str
        Which spectrum served the points, in a few words that follow the
        spectrum's name (": its first spectrum, at 628.4 nm").
    warnings : list of str
        Checks on the spectrum and which spectrum served which voltages.
    """

    factors: np.ndarray
    voltage_used_v: np.ndarray
    replaced: np.ndarray
    own_factors: np.ndarray
    peak_nm: float
    description: str
    warnings: list[str]


def point_spectral_factors(
    spectrum: SpectralSeries,
    voltage: np.ndarray,
    baseline: str = "edges",
    noisy: str = "brightest",
) -> tuple[np.ndarray, list[str]]:
    """
    The spectral factor of every point, and what the user must know about it.

    :func:`point_spectra` without the per-point bookkeeping.

    Returns
    -------
    factors : numpy.ndarray
        (N,) EQE per current efficiency of each point; all NaN when the
        spectrum has no photopic content. [% per cd/A]
    warnings : list of str
    """
    result = point_spectra(spectrum, voltage, baseline, noisy)
    return result.factors, result.warnings


def point_spectra(
    spectrum: SpectralSeries,
    voltage: np.ndarray,
    baseline: str = "edges",
    noisy: str = "brightest",
) -> PointSpectra:
    """
    The spectrum and spectral factor of every point, and checks on them.

    Parameters
    ----------
    spectrum : SpectralSeries
        EL spectrum, or spectra (a series over bias gives each point its own
        where it stands above its noise).
    voltage : numpy.ndarray
        (N,) bias of the points, in the order measured. [V]
    baseline : {"edges", "none"}
        Baseline subtracted from every spectrum first
        (:func:`core.spectra.baseline_corrected`).
    noisy : {"brightest", "nearest"}
        :data:`NOISY_SPECTRUM_RULES`: what serves a point whose own spectrum
        is noise.

    Returns
    -------
    PointSpectra
    """
    if noisy not in NOISY_SPECTRUM_RULES:
        raise ValueError(f"noisy must be one of {NOISY_SPECTRUM_RULES}, got {noisy!r}")
    if baseline != "none":
        corrected, _ = baseline_corrected(
            spectrum.wavelength_nm, spectrum.intensity, baseline
        )
        spectrum = replace(spectrum, intensity=corrected)
    snr = _peak_snr(spectrum.intensity)
    warnings = _spectrum_warnings(spectrum, snr)
    all_factors = eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity)
    rows, own, notes = _spectrum_rows(spectrum, voltage, snr, noisy)
    warnings.extend(notes)
    all_factors = np.atleast_1d(np.asarray(all_factors, dtype=float))
    factors = all_factors[rows]
    if not np.isfinite(factors).any():
        warnings.append(
            "The EL spectrum gives no spectral factor: ∫ S(λ) V(λ) dλ is not "
            "positive (no emission inside 360-830 nm, where V(λ) is defined, or "
            "only noise where V(λ) is large); the EQE cannot be computed from "
            "luminance."
        )
    bias = _is_bias_series(spectrum)
    used = spectrum.axis[rows] if bias else np.full(voltage.size, np.nan)
    reference = _reference_index(spectrum)
    peak_nm = _peak_nm(spectrum, reference)
    return PointSpectra(
        factors=factors,
        voltage_used_v=np.asarray(used, dtype=float),
        replaced=rows != own,
        own_factors=all_factors[own],
        peak_nm=peak_nm,
        description=_description(spectrum, peak_nm, noisy, bool((rows != own).any())),
        warnings=warnings,
    )


def _peak_snr(intensity: np.ndarray) -> np.ndarray:
    """:func:`core.noise.peak_snr` of each spectrum; +inf for a noise-free
    spectrum with a peak (σ = 0, e.g. synthetic), 0 for a flat one."""
    snr = np.atleast_1d(np.asarray(peak_snr(intensity), dtype=float))
    sigma = np.atleast_1d(np.asarray(noise_sigma(intensity), dtype=float))
    with np.errstate(all="ignore"):
        height = np.nanmax(intensity, axis=-1) - np.nanmedian(intensity, axis=-1)
    noise_free = (sigma == 0) & (height > 0)
    return np.where(noise_free, np.inf, np.nan_to_num(snr, nan=0.0))


def _spectrum_rows(
    spectrum: SpectralSeries,
    voltage: np.ndarray,
    snr: np.ndarray,
    noisy: str = "brightest",
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The per-point spectrum choice, the one place it is made: the row of
    ``spectrum.intensity`` each point uses, the row of its own spectrum (they
    differ where that one is noise), and notes saying how."""
    if not _is_bias_series(spectrum):
        first = np.zeros(voltage.size, dtype=int)
        return first, first, []
    axis = np.asarray(spectrum.axis, dtype=float)
    own = np.abs(voltage[:, None] - axis[None, :]).argmin(axis=1)
    gap = float(np.max(np.abs(voltage - axis[own]))) if voltage.size else 0.0
    name = spectrum.label or spectrum.source or "The EL spectra"
    notes = [
        f"{name} holds {spectrum.n_spectra} EL spectra over bias: each point "
        "uses the spectrum measured at the nearest voltage (largest gap "
        f"{gap:.3g} V) where it stands clearly above its noise (peak SNR ≥ "
        f"{CLEAN_SPECTRUM_MIN_SNR:g})."
    ]
    clean = snr >= CLEAN_SPECTRUM_MIN_SNR
    replaced = ~clean[own]
    rows = own.copy()
    if not replaced.any():
        return rows, own, notes
    totals = np.nansum(spectrum.intensity, axis=1)
    if not clean.any():
        substitute = np.full(voltage.size, int(np.argmax(totals)))
        notes.append(
            f"No spectrum of {name} stands clearly above its noise (highest peak "
            f"SNR {np.max(snr):.3g} < {CLEAN_SPECTRUM_MIN_SNR:g}): the brightest "
            "served every point; the computed EQE is uncertain."
        )
    elif noisy == "brightest":
        substitute = np.full(
            voltage.size, int(np.argmax(np.where(clean, totals, -np.inf)))
        )
    else:
        candidates = np.flatnonzero(clean)
        nearest = np.abs(voltage[:, None] - axis[None, candidates]).argmin(axis=1)
        substitute = candidates[nearest]
    rows[replaced] = substitute[replaced]
    notes[0] += " " + _replacement_note(voltage, axis, rows, replaced, snr)
    return rows, own, notes


def _replacement_note(voltage, axis, rows, replaced, snr) -> str:
    """Which spectrum served which voltages instead of their own."""
    served = []
    for row in np.unique(rows[replaced]):
        points = np.flatnonzero(replaced & (rows == row))
        served.append(
            f"the spectrum at {axis[row]:.3g} V (peak SNR {snr[row]:.3g}) served "
            f"{_voltage_ranges(voltage, points)}"
        )
    return (
        f"{int(replaced.sum())} point(s) have a noise-dominated spectrum (peak SNR "
        f"< {CLEAN_SPECTRUM_MIN_SNR:g}): " + "; ".join(served) + "."
    )


def _voltage_ranges(voltage: np.ndarray, points: np.ndarray) -> str:
    """Consecutive points as voltage ranges: "−1–2.8 V, 3.2 V"."""
    groups: list[list[int]] = []
    for index in points:
        if groups and index == groups[-1][-1] + 1:
            groups[-1].append(int(index))
        else:
            groups.append([int(index)])
    parts = [
        f"{voltage[g[0]]:.3g} V"
        if len(g) == 1
        else f"{voltage[g[0]]:.3g} to {voltage[g[-1]]:.3g} V"
        for g in groups
    ]
    return ", ".join(parts)


def _is_bias_series(spectrum: SpectralSeries) -> bool:
    return spectrum.n_spectra > 1 and spectrum.axis_name == "voltage"


def _reference_index(spectrum: SpectralSeries) -> int:
    """The spectrum checked for baseline and range: the brightest of a bias
    series (the first ones are below turn-on), else the first."""
    if _is_bias_series(spectrum):
        return int(np.argmax(np.nansum(spectrum.intensity, axis=1)))
    return 0


def _peak_nm(spectrum: SpectralSeries, row: int) -> float:
    values = np.asarray(spectrum.intensity[row], dtype=float)
    if not np.isfinite(values).any():
        return math.nan
    return float(spectrum.wavelength_nm[int(np.nanargmax(values))])


def _description(
    spectrum: SpectralSeries, peak_nm: float, noisy: str, any_replaced: bool
) -> str:
    """Which spectrum served the points, to follow the spectrum's name: e.g.
    ": its first spectrum, at 628.4 nm" or " at 638.0 nm"."""
    if _is_bias_series(spectrum):
        text = f": its {spectrum.n_spectra} spectra over bias, each point its own"
        if any_replaced:
            other = (
                f"the brightest ({peak_nm:.1f} nm)"
                if noisy == "brightest"
                else "the nearest clean one"
            )
            text += f" where clean, else {other}"
        return text
    if spectrum.n_spectra > 1:
        return f": its first spectrum, at {peak_nm:.1f} nm"
    return f" at {peak_nm:.1f} nm"


def _spectrum_warnings(spectrum: SpectralSeries, snr: np.ndarray) -> list[str]:
    """Checks on an EL spectrum that would bias the spectral factor."""
    warnings = []
    reference = _reference_index(spectrum)
    row = np.asarray(spectrum.intensity[reference], dtype=float)
    name = spectrum.label or spectrum.source or "the EL spectrum"
    if spectrum.n_spectra > 1 and not _is_bias_series(spectrum):
        warnings.append(
            f"{name} holds {spectrum.n_spectra} spectra; the first was used for "
            "the EQE of every point."
        )
    if not _is_bias_series(spectrum) and snr[0] < CLEAN_SPECTRUM_MIN_SNR:
        warnings.append(
            f"{name} stands only {snr[0]:.3g} σ above its noise (peak SNR < "
            f"{CLEAN_SPECTRUM_MIN_SNR:g}): its spectral factor, and the EQE "
            "computed with it, are uncertain."
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
    peak_nm = _peak_nm(spectrum, reference)
    photopic_at_peak = float(photopic_on_grid([peak_nm])[0])
    if photopic_at_peak < 5e-3:
        warnings.append(
            f"{name} peaks at {peak_nm:.0f} nm, where V(λ) is {photopic_at_peak:.1e}: "
            "a luminance reading, and the EQE computed from it, are unreliable "
            "this far into the near infrared; prefer radiance or a photodiode EQE. "
            "CE [cd/A] and PE [lm/W] weigh light by V(λ) too: for this emitter they "
            "measure its faint visible tail and the meter's calibration, not its "
            "output, and are meaningful only with care."
        )
    return warnings
