"""
Per-spectrum metrics of EL spectra, vectorised over many spectra.

One pass over an (N, W) array: baseline, Savitzky–Golay smoothing, sub-pixel
peak, FWHM from interpolated absolute half-maximum crossings, centroid,
CIE 1931 xy and u'v', dominant wavelength, excitation purity, distance to the
BT.2020 red primary and a second-emission-peak flag. Pitfalls and their
measured sizes are in docs/methods.md §1–2.

References
----------
.. [1] A. Savitzky, M. J. E. Golay, "Smoothing and differentiation of data by
   simplified least squares procedures," Anal. Chem. 36, 1627 (1964),
   doi:10.1021/ac60214a047.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import find_peaks, savgol_coeffs, savgol_filter

from core import colorimetry

__all__ = [
    "METRIC_COLUMNS",
    "BASELINE_METHODS",
    "baseline_corrected",
    "smoothing_window",
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

BASELINE_METHODS = ("edges", "none")

# Largest Savitzky–Golay window and half-width of the peak fit. [nm]
_MAX_WINDOW_NM = 12.0
_MAX_TOP_NM = 3.0

# Fraction of the grid at each end used to estimate a constant baseline.
_EDGE_FRACTION = 0.05


def baseline_corrected(wavelength_nm, intensity, method: str = "edges"):
    """
    Subtract a constant baseline from each spectrum.

    A 1 % constant offset moves a 638/32 nm Gaussian from x = 0.7054 to 0.6624
    (docs/methods.md §1), so the baseline goes before any colorimetry.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) grid. [nm]
    intensity : array_like
        (N, W) spectra.
    method : {"edges", "none"}
        ``"edges"``: the median of the first and last 5 % of pixels (at least
        3 each), which must be emission-free; ``"none"``: the data as given
        (already dark-subtracted).

    Returns
    -------
    corrected : numpy.ndarray
        (N, W) spectra minus their baseline; negative noise is kept, never
        clipped (clipping biases xy, docs/methods.md §1).
    baseline : numpy.ndarray
        (N,) the subtracted level.
    """
    spectra = np.atleast_2d(np.asarray(intensity, dtype=float))
    if method == "none":
        return spectra.copy(), np.zeros(spectra.shape[0])
    if method != "edges":
        raise ValueError(f"baseline method must be one of {BASELINE_METHODS}")
    width = spectra.shape[1]
    edge = max(3, int(round(width * _EDGE_FRACTION)))
    edges = np.concatenate([spectra[:, :edge], spectra[:, -edge:]], axis=1)
    # np.median is ~20x faster than np.nanmedian on (N, W); NaN rows are rare.
    if np.isnan(edges).any():
        baseline = np.nanmedian(edges, axis=1)
    else:
        baseline = np.median(edges, axis=1)
    return spectra - baseline[:, None], baseline


def smoothing_window(fwhm_pixels: float, max_window: int | None = None) -> int:
    """
    Savitzky–Golay window for a line of a given width in pixels.

    At most FWHM/2 (wider windows broaden the line: +2.5 nm at 1.4×FWHM,
    docs/methods.md §2), odd, and at least 5 for a cubic.
    """
    window = int(np.floor(fwhm_pixels / 2))
    if window % 2 == 0:
        window -= 1
    window = max(5, window)
    if max_window is not None:
        window = min(window, max_window if max_window % 2 else max_window - 1)
    return window


def _half_max_crossings(wavelength, smooth, peak_index, half):
    """Interpolated wavelength of the half-maximum crossings (NaN if outside)."""
    n, width = smooth.shape
    index = np.arange(width)[None, :]
    below = smooth < half[:, None]
    rows = np.arange(n)
    # Boolean masks and argmax: the last pixel below half on the left of the
    # peak and the first one on its right, without (N, W) integer arrays.
    left_mask = below & (index < peak_index[:, None])
    right_mask = below & (index > peak_index[:, None])
    left_ok = left_mask.any(axis=1)
    right_ok = right_mask.any(axis=1)
    left_i = width - 1 - np.argmax(left_mask[:, ::-1], axis=1)
    right_i = np.argmax(right_mask, axis=1)

    li = np.clip(left_i, 0, width - 2)
    y0, y1 = smooth[rows, li], smooth[rows, li + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (half - y0) / (y1 - y0)
    left = wavelength[li] + frac * (wavelength[li + 1] - wavelength[li])

    ri = np.clip(right_i, 1, width - 1)
    y0, y1 = smooth[rows, ri - 1], smooth[rows, ri]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (y0 - half) / (y0 - y1)
    right = wavelength[ri - 1] + frac * (wavelength[ri] - wavelength[ri - 1])
    return np.where(left_ok, left, np.nan), np.where(right_ok, right, np.nan)


def _parabolic_peak(wavelength, smooth, peak_index, half_width_px=1):
    """
    Vertex of a least-squares parabola through the top of each line.

    The fit uses the maximum and ``half_width_px`` pixels on each side (1: the
    classic 3-point parabola); ±FWHM/4 averages noise over the line's top.
    """
    n, width = smooth.shape
    rows = np.arange(n)
    h = int(max(1, min(half_width_px, (width - 1) // 2)))
    centre = np.clip(peak_index, h, width - 1 - h)
    offsets = np.arange(-h, h + 1)
    y = smooth[rows[:, None], centre[:, None] + offsets[None, :]]
    # Normal equations of y = a + b·k + c·k² on symmetric k: closed form.
    k2 = offsets**2
    s2, s4 = k2.sum(), (k2**2).sum()
    m = offsets.size
    b = (y @ offsets) / s2
    c = (y @ k2 - s2 * y.mean(axis=1)) / (s4 - s2**2 / m)
    a = y.mean(axis=1) - c * s2 / m
    with np.errstate(invalid="ignore", divide="ignore"):
        vertex = np.where(c < 0, -b / (2 * c), 0.0)
    vertex = np.clip(vertex, -h, h)
    height = a + b * vertex + c * vertex**2
    position = np.interp(centre + vertex, np.arange(width), wavelength)
    at_edge = (peak_index == 0) | (peak_index == width - 1)
    position = np.where(at_edge, wavelength[peak_index], position)
    height = np.where(at_edge | ~(c < 0), smooth[rows, peak_index], height)
    return position, height


def _secondary_peaks(wavelength, spectra, smooth, height, window, min_width_px):
    """
    Most prominent secondary emission peak of each spectrum (NaN if none).

    Guards from docs/methods.md §2 (0 % false positives at SNR 50 and 200): height
    ≥ 0.03 of the maximum, prominence ≥ max(8 × noise after smoothing, 0.02),
    a minimum width.
    """
    found = np.full(smooth.shape[0], np.nan)
    # Only spectra with a local maximum above the height guard away from the
    # main one can hold a second peak: a vectorised pre-filter on booleans.
    inner = smooth[:, 1:-1]
    local_max = (inner > smooth[:, :-2]) & (inner >= smooth[:, 2:])
    local_max &= inner >= 0.03 * height[:, None]
    # Noise ripples on the line's top are not candidates: ignore maxima within
    # one smoothing window of the main maximum.
    main = np.argmax(inner, axis=1)[:, None]
    index = np.arange(inner.shape[1])[None, :]
    local_max &= (index < main - window) | (index > main + window)
    candidates = np.flatnonzero(local_max.any(axis=1) & (height > 0))
    if candidates.size == 0:
        return found
    # Noise after smoothing, from first differences of the residual.
    residual = (spectra[candidates] - smooth[candidates]) / height[candidates, None]
    noise = 1.4826 * np.median(np.abs(np.diff(residual, axis=1)), axis=1) / np.sqrt(2)
    gain = np.sqrt(np.sum(savgol_coeffs(window, 3) ** 2)) if window > 3 else 1.0
    prominence = np.maximum(8 * np.nan_to_num(noise * gain), 0.02)
    # find_peaks is not vectorised: this loop runs over candidates only.
    normalised = smooth[candidates] / height[candidates, None]
    for k, row_index in enumerate(candidates):
        row = normalised[k]
        if not np.all(np.isfinite(row)):
            continue
        peaks, props = find_peaks(
            row, height=0.03, prominence=prominence[k], width=min_width_px
        )
        if peaks.size < 2:
            continue
        main = int(np.argmax(props["peak_heights"]))
        others = np.delete(np.arange(peaks.size), main)
        best = others[np.argmax(props["prominences"][others])]
        found[row_index] = wavelength[peaks[best]]
    return found


def spectral_metrics(
    wavelength_nm,
    intensity,
    *,
    baseline: str = "edges",
    white_point: str = "E",
    window_fwhm: float | None = 3.0,
    smoothing: bool = True,
) -> pd.DataFrame:
    """
    Peak, width and colour of each spectrum, in one vectorised pass.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) strictly increasing grid, may be non-uniform. [nm]
    intensity : array_like
        (N, W) spectra (or one (W,) spectrum), any linear unit.
    baseline : {"edges", "none"}
        Constant baseline subtraction, see :func:`baseline_corrected`.
    white_point : {"E", "D65"} or (x, y)
        White point for dominant wavelength and purity (E is the CIE convention
        for emitters; D65 is common in papers).
    window_fwhm : float or None
        Integrate colour and centroid only within peak ± ``window_fwhm`` × FWHM,
        which cuts the pull of noise in the blue lobes of x̄/z̄ on deep-red xy
        (max |Δxy| 0.047 -> 0.007 at 0.5 % noise, docs/methods.md §1). None: the
        whole range.
    smoothing : bool
        Savitzky–Golay (cubic, window ≤ FWHM/2) before peak and FWHM; raw
        argmax is pixel-quantised and raw half-max crossings underestimate the
        FWHM (-3.1 nm at SNR 20, docs/methods.md §2).

    Returns
    -------
    pandas.DataFrame
        One row per spectrum with :data:`METRIC_COLUMNS` (peak_nm, fwhm_nm,
        centroid_nm [nm]; cie_x, cie_y, u_prime, v_prime [-]; dominant_nm [nm];
        purity [-]) and also ``peak_intensity``, ``integrated_intensity``
        (baseline-corrected, intensity × nm), ``baseline``,
        ``distance_bt2020_xy``, ``distance_bt2020_uv`` [-],
        ``secondary_peak_detected`` (bool), ``secondary_peak_nm`` [nm].
        ``DataFrame.attrs["warnings"]`` lists what could not be determined
        and ``attrs["white_point"]`` the white point used.

    Examples
    --------
    >>> wl = np.arange(500.0, 800.0, 0.5)
    >>> sigma = 32 / (2 * np.sqrt(2 * np.log(2)))
    >>> line = np.exp(-0.5 * ((wl - 638) / sigma) ** 2)
    >>> row = spectral_metrics(wl, line).iloc[0]
    >>> round(row.peak_nm, 2), round(row.fwhm_nm, 1), round(row.cie_x, 4)
    (638.0, 32.0, 0.7054)
    """
    wavelength = np.asarray(wavelength_nm, dtype=float)
    raw = np.atleast_2d(np.asarray(intensity, dtype=float))
    if raw.shape[1] != wavelength.size:
        raise ValueError(
            f"intensity has {raw.shape[1]} columns for {wavelength.size} wavelengths"
        )
    if wavelength.size < 5 or np.any(np.diff(wavelength) <= 0):
        raise ValueError("wavelength_nm must be strictly increasing, ≥ 5 points")
    n, width = raw.shape
    warnings: list[str] = []
    spectra, base = baseline_corrected(wavelength, raw, baseline)
    if np.isnan(spectra).any():
        spectra = np.nan_to_num(spectra, nan=0.0)
    step = np.median(np.diff(wavelength))

    # Smoothing window from a rough width of up to 64 evenly picked spectra.
    sample = spectra[np.unique(np.linspace(0, n - 1, min(n, 64)).astype(int))]
    light = (
        savgol_filter(sample, 5, 3, axis=1, mode="nearest") if width >= 7 else sample
    )
    rough_index = np.argmax(light, axis=1)
    rough_height = light[np.arange(len(light)), rough_index]
    left, right = _half_max_crossings(wavelength, light, rough_index, rough_height / 2)
    widths = right - left
    rough_fwhm = np.nanmedian(widths) if np.isfinite(widths).any() else 0.0
    # Broad or structured spectra (a 180 nm-wide PL band with a shoulder)
    # would get a window that smears the maximum: cap it in nanometres.
    window_px = min(rough_fwhm, 2 * _MAX_WINDOW_NM) / step
    window = smoothing_window(window_px, max_window=width - 1)
    if smoothing and width > window > 3:  # a cubic needs a window of 5 or more
        # mode="nearest": "interp" fits every row's edges by least squares,
        # a third of the run time, for pixels that are baseline anyway.
        smooth = savgol_filter(spectra, window, 3, axis=1, mode="nearest")
    else:
        smooth, window = spectra, 1

    peak_index = np.argmax(smooth, axis=1)
    # A parabola over the top ±FWHM/10 (≤ 3 nm) averages noise (peak sd
    # 0.41 -> 0.28 nm at SNR 50) without leaning towards the tail of an
    # asymmetric line, which a wider fit does (+1.6 nm on a real green LED).
    top_nm = min(rough_fwhm / 10, _MAX_TOP_NM) if np.isfinite(rough_fwhm) else 0
    top_px = max(1, int(round(top_nm / step)))
    # Position from a parabola over the line's top (noise averaging); height
    # from the 3-point parabola, which a wide parabola would underestimate.
    peak_nm, _ = _parabolic_peak(wavelength, smooth, peak_index, top_px)
    _, peak_height = _parabolic_peak(wavelength, smooth, peak_index, 1)
    left, right = _half_max_crossings(wavelength, smooth, peak_index, peak_height / 2)
    fwhm = right - left
    bad_peak = ~(peak_height > 0)
    if bad_peak.any():
        warnings.append(
            f"{int(bad_peak.sum())} spectra have no positive emission after the "
            "baseline: their metrics are not determined."
        )
    clipped = ~np.isfinite(fwhm) & ~bad_peak
    if clipped.any():
        warnings.append(
            f"FWHM not determined for {int(clipped.sum())} spectra: a half-maximum "
            "crossing lies outside the measured range."
        )
    at_edge = ((peak_index == 0) | (peak_index == width - 1)) & ~bad_peak
    if at_edge.any():
        warnings.append(
            f"The maximum of {int(at_edge.sum())} spectra lies at the edge of the "
            "range: the emission peak may be outside it."
        )

    # Integration window: peak ± k·FWHM (whole range when the FWHM is unknown).
    if window_fwhm is not None:
        half_width = np.where(np.isfinite(fwhm), window_fwhm * fwhm, np.inf)
        low = np.searchsorted(wavelength, peak_nm - half_width, side="left")
        high = np.searchsorted(wavelength, peak_nm + half_width, side="right")
        index = np.arange(width)[None, :]
        weighted = spectra * ((index >= low[:, None]) & (index < high[:, None]))
    else:
        weighted = spectra
    XYZ = weighted @ colorimetry.cmf_weights(wavelength)
    xy = colorimetry.xy_from_XYZ(XYZ)
    uv = colorimetry.uv_prime_from_XYZ(XYZ)
    trapezoid = np.gradient(wavelength)  # ≈ trapezoid weights, fine for ratios
    integral = weighted @ trapezoid
    with np.errstate(invalid="ignore", divide="ignore"):
        centroid = (weighted @ (wavelength * trapezoid)) / integral

    dominant = colorimetry.dominant_wavelength_nm(xy, white_point)
    purity = colorimetry.excitation_purity(xy, white_point)
    red = np.asarray(colorimetry.BT2020_RED_XY)
    red_uv = colorimetry.uv_prime_from_xy(red)
    distance_xy = np.hypot(xy[:, 0] - red[0], xy[:, 1] - red[1])
    distance_uv = np.hypot(uv[:, 0] - red_uv[0], uv[:, 1] - red_uv[1])

    min_width_px = max(3.0, window / 2)
    secondary = _secondary_peaks(
        wavelength, spectra, smooth, peak_height, window, min_width_px
    )

    undetermined = bad_peak
    frame = pd.DataFrame(
        {
            "peak_nm": np.where(undetermined, np.nan, peak_nm),
            "fwhm_nm": np.where(undetermined, np.nan, fwhm),
            "centroid_nm": np.where(undetermined, np.nan, centroid),
            "cie_x": np.where(undetermined, np.nan, xy[:, 0]),
            "cie_y": np.where(undetermined, np.nan, xy[:, 1]),
            "u_prime": np.where(undetermined, np.nan, uv[:, 0]),
            "v_prime": np.where(undetermined, np.nan, uv[:, 1]),
            "dominant_nm": np.where(undetermined, np.nan, dominant),
            "purity": np.where(undetermined, np.nan, purity),
            "peak_intensity": np.where(undetermined, np.nan, peak_height),
            "integrated_intensity": spectra @ trapezoid,
            "baseline": base,
            "distance_bt2020_xy": np.where(undetermined, np.nan, distance_xy),
            "distance_bt2020_uv": np.where(undetermined, np.nan, distance_uv),
            "secondary_peak_detected": np.isfinite(secondary),
            "secondary_peak_nm": secondary,
        }
    )
    frame.attrs["warnings"] = warnings
    frame.attrs["white_point"] = white_point
    frame.attrs["smoothing_window_px"] = int(window)
    return frame
