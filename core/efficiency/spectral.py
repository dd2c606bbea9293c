"""
The spectral factor of every point of a sweep: which EL spectrum, and checks.

The EQE of a point is its current efficiency times the spectral factor
``100 π q / (Km h c) · ∫ S λ dλ / ∫ S V dλ`` of the EL spectrum it was
measured with (:func:`core.efficiency.formulas.eqe_percent_per_cd_a`). A
series over bias (``axis_name == "voltage"``) gives each point the spectrum
measured at the nearest voltage; any other spectrum or series gives every
point its first spectrum. Spectra are baseline-corrected first, and checked
for what would bias the factor (a baseline, a clipped band, an emitter in the
near infrared where V(λ) vanishes).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from core.colorimetry import photopic_on_grid
from core.efficiency.formulas import eqe_percent_per_cd_a
from core.models import SpectralSeries
from core.spectra import baseline_corrected

__all__ = ["point_spectral_factors"]


def point_spectral_factors(
    spectrum: SpectralSeries, voltage: np.ndarray, baseline: str = "edges"
) -> tuple[np.ndarray, list[str]]:
    """
    The spectral factor of every point, and what the user must know about it.

    Parameters
    ----------
    spectrum : SpectralSeries
        EL spectrum, or spectra (a series over bias gives each point its own).
    voltage : numpy.ndarray
        (N,) bias of the points, in the order measured. [V]
    baseline : {"edges", "none"}
        Baseline subtracted from every spectrum first
        (:func:`core.spectra.baseline_corrected`).

    Returns
    -------
    factors : numpy.ndarray
        (N,) EQE per current efficiency of each point; all NaN when the
        spectrum has no photopic content. [% per cd/A]
    warnings : list of str
        Checks on the spectrum, the spectrum each point uses, and why there is
        no factor when there is none.
    """
    if baseline != "none":
        corrected, _ = baseline_corrected(
            spectrum.wavelength_nm, spectrum.intensity, baseline
        )
        spectrum = replace(spectrum, intensity=corrected)
    warnings = _spectrum_warnings(spectrum)
    factors, notes = _spectral_factors(spectrum, voltage)
    warnings.extend(notes)
    if not np.isfinite(factors).any():
        warnings.append(
            "The EL spectrum has no emission inside 360-830 nm, where V(λ) is "
            "defined; the EQE cannot be computed from luminance."
        )
    return factors, warnings


def _spectrum_rows(
    spectrum: SpectralSeries, voltage: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """The per-point spectrum choice, the one place it is made: the row of
    ``spectrum.intensity`` each point uses, and a note saying how."""
    if not _is_bias_series(spectrum):
        return np.zeros(voltage.size, dtype=int), []
    axis = np.asarray(spectrum.axis, dtype=float)
    nearest = np.abs(voltage[:, None] - axis[None, :]).argmin(axis=1)
    gap = float(np.max(np.abs(voltage - axis[nearest]))) if voltage.size else 0.0
    name = spectrum.label or spectrum.source or "The EL spectra"
    return nearest, [
        f"{name} holds {spectrum.n_spectra} EL spectra over bias: each point "
        "uses the spectrum measured at the nearest voltage (largest gap "
        f"{gap:.3g} V)."
    ]


def _spectral_factors(
    spectrum: SpectralSeries, voltage: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """EQE per cd/A for every point, and what was done to get it."""
    rows, notes = _spectrum_rows(spectrum, voltage)
    if _is_bias_series(spectrum):  # one factor per spectrum of the series
        factors = eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity)
    else:  # only the first spectrum is used
        first = eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity[0])
        factors = np.array([float(first)])
    return factors[rows], notes


def _is_bias_series(spectrum: SpectralSeries) -> bool:
    return spectrum.n_spectra > 1 and spectrum.axis_name == "voltage"


def _reference_row(spectrum: SpectralSeries) -> np.ndarray:
    """The spectrum checked for baseline and range: the brightest of a bias
    series (the first ones are below turn-on), else the first."""
    if _is_bias_series(spectrum):
        totals = np.nansum(spectrum.intensity, axis=1)
        return np.asarray(spectrum.intensity[int(np.argmax(totals))], dtype=float)
    return np.asarray(spectrum.intensity[0], dtype=float)


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
