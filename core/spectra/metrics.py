"""
Per-spectrum metrics of EL spectra, vectorised over many spectra.

One pass over an (N, W) array: baseline, noise along each spectrum,
Savitzky–Golay smoothing, the emission mask (every band above the noise),
the peak (cubic fit to the unsmoothed top), the FWHM, colour from all the
emission with its noise-propagated σ, and the emission bands. Methods and
their measured biases: docs/methods.md §1–2.

References
----------
.. [1] A. Savitzky, M. J. E. Golay, "Smoothing and differentiation of data by
   simplified least squares procedures," Anal. Chem. 36, 1627 (1964),
   doi:10.1021/ac60214a047.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.spectra.bands import Bands, resolved_bands, stack_bands
from core.spectra.baseline import baseline_levels, edge_pixels
from core.spectra.chunks import PRODUCT_ROWS, map_row_chunks, stack_rows
from core.spectra.colour import Colour, emission_colour, integration_region
from core.spectra.emission import (
    EMISSION_K,
    SHAPE_K,
    Emission,
    emission_mask,
    spectrum_noise,
)
from core.spectra.peak import (
    PeakWidth,
    Smoothed,
    peak_and_width,
    rough_fwhm_nm,
    smoothed_spectra,
)

__all__ = [
    "METRIC_COLUMNS",
    "UNCERTAINTY_COLUMNS",
    "SpectralAnalysis",
    "analyse_spectra",
    "spectral_metrics",
]

#: Columns of :func:`spectral_metrics` that form the CLI/Python contract.
METRIC_COLUMNS = (
    "peak_nm",
    "fwhm_nm",
    "centroid_nm",
    "cie_x",
    "cie_y",
    "u_prime",
    "v_prime",
    "dominant_nm",
    "purity",
)

#: σ of the metrics, propagated from each spectrum's noise (CLI keys too).
UNCERTAINTY_COLUMNS = (
    "peak_nm_sd",
    "fwhm_nm_sd",
    "cie_x_sd",
    "cie_y_sd",
    "u_prime_sd",
    "v_prime_sd",
)


@dataclass(frozen=True)
class SpectralAnalysis:
    """
    :func:`spectral_metrics`' table and the arrays behind it.

    Attributes
    ----------
    frame : pandas.DataFrame
        The per-spectrum metrics (see :func:`spectral_metrics`).
    wavelength_nm : numpy.ndarray
        (W,) grid. [nm]
    spectra : numpy.ndarray
        (N, W) baseline-corrected spectra.
    smoothed, emission, peak, colour, bands
        The intermediate results (:mod:`core.spectra.peak`, ``emission``,
        ``colour``, ``bands``).
    """

    frame: pd.DataFrame
    wavelength_nm: np.ndarray
    spectra: np.ndarray
    smoothed: Smoothed
    emission: Emission
    peak: PeakWidth
    colour: Colour
    bands: Bands


def _validated(wavelength_nm, intensity) -> tuple[np.ndarray, np.ndarray]:
    wavelength = np.asarray(wavelength_nm, dtype=float)
    raw = np.atleast_2d(np.asarray(intensity, dtype=float))
    if raw.shape[1] != wavelength.size:
        raise ValueError(
            f"intensity has {raw.shape[1]} columns for {wavelength.size} wavelengths"
        )
    if wavelength.size < 5 or np.any(np.diff(wavelength) <= 0):
        raise ValueError("wavelength_nm must be strictly increasing, ≥ 5 points")
    return wavelength, raw


def _integrated(spectra: np.ndarray, trapezoid: np.ndarray) -> np.ndarray:
    """Σ spectrum × trapezoid weight of each row, in float64
    (:func:`core.spectra.chunks.masked_products` without a mask, in line)."""
    out = np.empty(spectra.shape[0])
    for start in range(0, spectra.shape[0], PRODUCT_ROWS):
        rows = slice(start, start + PRODUCT_ROWS)
        out[rows] = (spectra[rows].astype(float) @ trapezoid)[:, 0]
    return out


def _corrected_into(raw: np.ndarray, out: np.ndarray, baseline: str, trapezoid):
    """A block of :func:`_corrected`: the levels, each row's maximum, the
    block's largest |value| and each row's integral (while the rows are in
    the cache)."""
    base = baseline_levels(raw, baseline)
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(raw, base[:, None], out=out, casting="same_kind")
    if not out.size:
        return base, np.full(out.shape[0], np.nan), 0.0, np.zeros(0)
    top, bottom = out.max(axis=1), out.min(axis=1)
    if np.isnan(top.max() - bottom.min()):
        np.nan_to_num(out, copy=False, nan=0.0)  # NaN (or ±inf) pixels
        top, bottom = out.max(axis=1), out.min(axis=1)
    largest = max(float(top.max()), -float(bottom.min()))
    return base, top, largest, _integrated(out, trapezoid)


def _corrected(raw: np.ndarray, baseline: str, trapezoid: np.ndarray):
    """
    The spectra minus their baseline (:func:`baseline_corrected`), NaN as 0,
    in float32 unless the values would leave its range: 7 significant
    digits are far below any noise, and every (N, W) pass moves half the
    bytes. Subtracted in float64 and rounded once, straight into float32,
    in row blocks on threads. Returns the spectra, the levels, each
    spectrum's maximum and its integral (intensity × nm, over every pixel;
    ``trapezoid``: (W, 1) weights).
    """
    spectra = np.empty(raw.shape, dtype=np.float32)
    parts = map_row_chunks(
        lambda start, stop: _corrected_into(
            raw[start:stop], spectra[start:stop], baseline, trapezoid
        ),  # fmt: skip
        raw.shape[0],
    )
    base, top, integrated = (np.concatenate([part[i] for part in parts])
                             for i in (0, 1, 3))  # fmt: skip
    largest = max(part[2] for part in parts)
    if not 1e-30 < largest < 1e30:  # beyond float32: the float64 values
        spectra = raw - base[:, None]
        if np.isnan(spectra).any():
            spectra = np.nan_to_num(spectra, nan=0.0)
        top = np.max(spectra, axis=1) if spectra.size else top
        integrated = _integrated(spectra, trapezoid)
    return spectra, base, top, integrated


def _baseline_variance(sigma_px, baseline: str) -> np.ndarray:
    """Variance of the subtracted level: a median of 2·edge pixels (π/2 σ²/n)."""
    if baseline == "none":
        return np.zeros(sigma_px.shape[0])
    edge = edge_pixels(sigma_px.shape[1])
    sigma = np.median(np.c_[sigma_px[:, :edge], sigma_px[:, -edge:]], axis=1)
    return np.pi / 2 * sigma**2 / (2 * edge)


def _shaped(peak: PeakWidth, emission: Emission) -> PeakWidth:
    """Peak and FWHM only where the line stands ``SHAPE_K`` σ above noise."""
    weak = ~(emission.snr >= SHAPE_K)
    if not weak.any():
        return peak

    def hidden(values):
        return np.where(weak, np.nan, values)

    return replace(
        peak,
        peak_nm=hidden(peak.peak_nm),
        peak_sd_nm=hidden(peak.peak_sd_nm),
        fwhm_nm=hidden(peak.fwhm_nm),
        fwhm_sd_nm=hidden(peak.fwhm_sd_nm),
    )


def _peak_warnings(emission: Emission, peak: PeakWidth, warnings: list) -> None:
    dark = ~emission.has_emission
    if dark.any():
        warnings.append(
            f"{int(dark.sum())} spectra hold no emission above {EMISSION_K:g} σ of "
            "their noise: their metrics are not determined (has_emission False)."
        )
    weak = emission.has_emission & ~(emission.snr >= SHAPE_K)
    if weak.any():
        warnings.append(
            f"Peak and FWHM not determined for {int(weak.sum())} weak spectra "
            f"(maximum below {SHAPE_K:g} σ of the smoothed noise: a noise dip "
            "would pass for the half-maximum); their colour is given with its σ."
        )
    clipped = ~np.isfinite(peak.fwhm_nm) & (emission.snr >= SHAPE_K)
    if clipped.any():
        warnings.append(
            f"FWHM not determined for {int(clipped.sum())} spectra: a half-maximum "
            "crossing lies outside the measured range."
        )
    at_edge = peak.at_edge & emission.has_emission
    if at_edge.any():
        warnings.append(
            f"The maximum of {int(at_edge.sum())} spectra lies at the edge of the "
            "range: the emission peak may be outside it."
        )


def _range_warnings(emission: Emission, baseline: str, warnings: list) -> None:
    """The baseline choice and where the emission lies."""
    lit = emission.has_emission
    if baseline == "edges":
        edge = edge_pixels(emission.core.shape[1])
        ends = emission.core[:, :edge].any(axis=1) | emission.core[:, -edge:].any(1)
        if (ends & lit).any():
            warnings.append(
                f"Emission stands above the noise within the first or last 5 % of "
                f"the range in {int((ends & lit).sum())} spectra: the 'edges' "
                "baseline takes part of it for baseline (subtract a dark spectrum "
                "and choose no baseline)."
            )
    elif ((emission.mask.mean(axis=1) > 0.9) & lit).any():
        warnings.append(
            "The emission spans over 90 % of the range: a baseline offset may "
            "remain (subtract a dark spectrum or the edges' baseline)."
        )


def _colour_warnings(colour: Colour, emission: Emission, warnings: list) -> None:
    status = colour.status[emission.has_emission]
    reasons, first, counts = np.unique(
        status[status != ""].astype(str), return_index=True, return_counts=True
    )
    # The most frequent reason first; among equals, the first met.
    for at in np.lexsort((first, -counts)):
        warnings.append(f"Colour not defined for {counts[at]} spectra: {reasons[at]}.")
    no_hue = np.isfinite(colour.xy[:, 0]) & ~np.isfinite(colour.dominant_nm)
    if no_hue.any():
        warnings.append(
            f"Dominant wavelength not determined for {int(no_hue.sum())} spectra: "
            "their chromaticity lies beyond 700 nm, where the spectral locus is "
            "degenerate, or on the purple line."
        )


def _frame(integrated, base, emission: Emission, peak: PeakWidth, colour: Colour,
           bands: Bands) -> pd.DataFrame:  # fmt: skip
    """The per-spectrum table; NaN where a spectrum has no emission."""
    lit = emission.has_emission

    def shown(values):
        return np.where(lit, values, np.nan)

    return pd.DataFrame(
        {
            "peak_nm": shown(peak.peak_nm),
            "fwhm_nm": shown(peak.fwhm_nm),
            "centroid_nm": colour.centroid_nm,
            "cie_x": colour.xy[:, 0],
            "cie_y": colour.xy[:, 1],
            "u_prime": colour.uv[:, 0],
            "v_prime": colour.uv[:, 1],
            "dominant_nm": colour.dominant_nm,
            "purity": colour.purity,
            "peak_nm_sd": shown(peak.peak_sd_nm),
            "fwhm_nm_sd": shown(peak.fwhm_sd_nm),
            "cie_x_sd": colour.xy_sd[:, 0],
            "cie_y_sd": colour.xy_sd[:, 1],
            "u_prime_sd": colour.uv_sd[:, 0],
            "v_prime_sd": colour.uv_sd[:, 1],
            "peak_intensity": shown(peak.height),
            "integrated_intensity": integrated,
            "baseline": base,
            "noise_sigma": emission.sigma,
            "snr": emission.snr,
            "has_emission": lit,
            "colour_status": colour.status,
            "visible_fraction": colour.visible_share,
            "distance_bt2020_xy": colour.distance_bt2020_xy,
            "distance_bt2020_uv": colour.distance_bt2020_uv,
            "n_bands": bands.n_bands,
            "outside_main_band_fraction": bands.outside_main_fraction,
            "secondary_peak_detected": np.isfinite(bands.secondary_nm),
            "secondary_peak_nm": bands.secondary_nm,
            "secondary_band_fraction": bands.secondary_fraction,
        }
    )


@dataclass(frozen=True)
class _Rows:
    smoothed: Smoothed
    emission: Emission
    peak: PeakWidth
    colour: Colour
    bands: Bands


def _analyse_rows(wavelength, spectra, baseline, white_point, window_fwhm,
                  smoothing, rough, smooth_out, sigma_out) -> _Rows:  # fmt: skip
    """Every per-spectrum step on a block of rows (the smoothed spectra and
    σ per pixel written into the block's rows of the series' arrays)."""
    smoothed = smoothed_spectra(wavelength, spectra, smoothing, rough, smooth_out)
    sigma_px, sigma = spectrum_noise(spectra, smoothed, sigma_out)
    emission = emission_mask(wavelength, smoothed, sigma_px, sigma)
    peak = _shaped(peak_and_width(wavelength, spectra, smoothed, sigma_px), emission)
    region = integration_region(
        wavelength, emission.mask, peak.peak_nm, peak.fwhm_nm, window_fwhm
    )
    colour = emission_colour(
        wavelength,
        spectra,
        region,
        sigma_px,
        _baseline_variance(sigma_px, baseline),
        white_point,
    )
    bands = resolved_bands(wavelength, spectra, smoothed, emission, peak)
    return _Rows(smoothed, emission, peak, colour, bands)


def analyse_spectra(
    wavelength_nm,
    intensity,
    *,
    baseline: str = "edges",
    white_point: str = "E",
    window_fwhm: float | None = None,
    smoothing: bool = True,
) -> SpectralAnalysis:
    """
    :func:`spectral_metrics` with the arrays behind it (same parameters).

    Returns
    -------
    SpectralAnalysis
    """
    wavelength, raw = _validated(wavelength_nm, intensity)
    spectra, base, top, integrated = _corrected(
        raw, baseline, np.gradient(wavelength)[:, None]
    )
    # The series-wide choice (the smoothing window from the lines' typical
    # width) first; every later step treats each spectrum on its own, in
    # blocks of rows on a few threads (core/spectra/chunks.py).
    rough = rough_fwhm_nm(wavelength, spectra, top)
    # The (N, W) results are written by the blocks into these (stack_rows
    # then copies nothing: 30 MB and ~8 ms less for 3600 × 1024).
    smooth = np.empty_like(spectra)
    sigma_px = np.empty(spectra.shape, dtype=np.float32)

    def rows(start: int, stop: int) -> _Rows:
        return _analyse_rows(wavelength, spectra[start:stop], baseline,
                             white_point, window_fwhm, smoothing, rough,
                             smooth[start:stop], sigma_px[start:stop])  # fmt: skip

    parts = map_row_chunks(rows, spectra.shape[0])
    smoothed = stack_rows([part.smoothed for part in parts], shared=("coefficients",))
    emission = stack_rows([part.emission for part in parts])
    peak = stack_rows([part.peak for part in parts])
    colour = stack_rows([part.colour for part in parts])
    bands = stack_bands([part.bands for part in parts])
    warnings: list[str] = []
    _peak_warnings(emission, peak, warnings)
    _range_warnings(emission, baseline, warnings)
    _colour_warnings(colour, emission, warnings)
    frame = _frame(integrated, base, emission, peak, colour, bands)
    frame.attrs["warnings"] = warnings
    frame.attrs["white_point"] = white_point
    frame.attrs["smoothing_window_px"] = int(smoothed.window)
    frame.attrs["colour_window_fwhm"] = window_fwhm
    return SpectralAnalysis(
        frame, wavelength, spectra, smoothed, emission, peak, colour, bands
    )


def spectral_metrics(
    wavelength_nm,
    intensity,
    *,
    baseline: str = "edges",
    white_point: str = "E",
    window_fwhm: float | None = None,
    smoothing: bool = True,
) -> pd.DataFrame:
    """
    Peak, width, colour and bands of each spectrum, in one vectorised pass.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) strictly increasing grid, may be non-uniform. [nm]
    intensity : array_like
        (N, W) spectra (or one (W,) spectrum), any linear unit.
    baseline : {"edges", "none"}
        Constant baseline subtraction, see
        :func:`core.spectra.baseline.baseline_corrected`.
    white_point : {"E", "D65"} or (x, y)
        White point for dominant wavelength and purity (E is the CIE convention
        for emitters; D65 is common in papers).
    window_fwhm : float or None
        None (default): colour and centroid from all the emission (the mask
        of every band above the noise). K: only within peak ± K·FWHM of each
        spectrum — an opt-in window that drops tails and other bands
        (docs/methods.md §1).
    smoothing : bool
        Savitzky–Golay (cubic, window ≤ FWHM/2) before the peak search and
        the half-maximum crossings.

    Returns
    -------
    pandas.DataFrame
        One row per spectrum with :data:`METRIC_COLUMNS` (peak_nm, fwhm_nm,
        centroid_nm [nm]; cie_x, cie_y, u_prime, v_prime [-]; dominant_nm [nm];
        purity [-]), their σ :data:`UNCERTAINTY_COLUMNS`, and
        ``peak_intensity``, ``integrated_intensity`` (baseline-corrected,
        intensity × nm), ``baseline``, ``noise_sigma`` (intensity), ``snr``,
        ``has_emission``, ``colour_status`` ("" or why the colour is not
        defined), ``visible_fraction`` (share of the emission in 360–830 nm),
        ``distance_bt2020_xy``, ``distance_bt2020_uv`` [-], ``n_bands``,
        ``outside_main_band_fraction`` [-], ``secondary_peak_detected``,
        ``secondary_peak_nm`` [nm], ``secondary_band_fraction`` [-].
        Metrics of spectra without emission are NaN.
        ``DataFrame.attrs["warnings"]`` lists what could not be determined;
        ``attrs["white_point"]`` and ``attrs["colour_window_fwhm"]`` the
        settings used.

    Examples
    --------
    >>> wl = np.arange(500.0, 800.0, 0.5)
    >>> sigma = 32 / (2 * np.sqrt(2 * np.log(2)))
    >>> line = np.exp(-0.5 * ((wl - 638) / sigma) ** 2)
    >>> row = spectral_metrics(wl, line).iloc[0]
    >>> round(row.peak_nm, 2), round(row.fwhm_nm, 1), round(row.cie_x, 4)
    (638.0, 32.0, 0.7054)
    """
    return analyse_spectra(
        wavelength_nm,
        intensity,
        baseline=baseline,
        white_point=white_point,
        window_fwhm=window_fwhm,
        smoothing=smoothing,
    ).frame
