"""
Peak and FWHM of emission lines: smoothing, the line's top, half-maximum.

Smoothing (Savitzky–Golay, cubic, window ≤ FWHM/2) finds the maximum and the
half-maximum crossings; the peak position and height come from a weighted
cubic fit to the logarithm of the *unsmoothed* top (±FWHM/3), which a
Gaussian satisfies exactly and which does not lean towards the tail of an
asymmetric line as a smoothing window does. On grids too coarse for a
5-pixel cubic window (FWHM < 10 pixels) nothing is smoothed: the crossings
come from a cubic spline through the data. Measured biases are in
docs/methods.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from core.noise import peak_snr
from core.spectra.runs import dilated_runs, find_runs, row_extent, run_around

__all__ = [
    "Smoothed",
    "PeakWidth",
    "savgol_coefficients",
    "savgol_smooth",
    "convolve_nearest",
    "smoothing_window",
    "rough_fwhm_nm",
    "smoothed_spectra",
    "peak_and_width",
]

# Largest Savitzky–Golay window and half-width of the top fit. [nm]
_MAX_WINDOW_NM = 12.0
_MAX_TOP_NM = 20.0
# Half-width of the top fit in FWHM.
_TOP_FWHM = 1.0 / 3.0
# Below this many pixels per FWHM the crossings come from a spline. [px]
_COARSE_FWHM_PX = 10.0
# Spline points per FWHM on coarse grids.
_SPLINE_POINTS_PER_FWHM = 40


@dataclass(frozen=True)
class Smoothed:
    """
    Spectra smoothed for peak, width and the emission mask.

    Attributes
    ----------
    smooth : numpy.ndarray
        (N, W) smoothed spectra (the spectra themselves when not smoothed).
    window : int
        Savitzky–Golay window in pixels (1: not smoothed).
    coefficients : numpy.ndarray or None
        The smoothing kernel (None when not smoothed).
    gain : float
        σ of smoothed white noise over σ of the raw noise (√Σc², 1 if none).
    rough_fwhm_nm : float
        Typical FWHM of the series' lines (NaN if none has emission). [nm]
    coarse : bool
        Fewer than 10 pixels per FWHM: crossings from a cubic spline.
    """

    smooth: np.ndarray
    window: int
    coefficients: np.ndarray | None
    gain: float
    rough_fwhm_nm: float
    coarse: bool


@dataclass(frozen=True)
class PeakWidth:
    """Peak, height and FWHM of each spectrum with their σ (NaN if unknown)."""

    peak_nm: np.ndarray
    peak_sd_nm: np.ndarray
    height: np.ndarray
    height_sd: np.ndarray
    fwhm_nm: np.ndarray
    fwhm_sd_nm: np.ndarray
    peak_index: np.ndarray
    at_edge: np.ndarray


def savgol_coefficients(window: int, order: int = 3) -> np.ndarray:
    """
    Savitzky–Golay smoothing kernel (``scipy.signal.savgol_coeffs(window,
    order)``, computed the same way: the least-squares solution for the
    centre value of a polynomial through ``window`` points).

    ``scipy.signal`` costs about 1 s of import on a loaded 2-core machine,
    half the command line's start; the kernel is a 4 × window least-squares
    problem (the test compares it with scipy's, every window to 201).

    Examples
    --------
    >>> [round(float(c), 4) for c in savgol_coefficients(5, 3)]
    [-0.0857, 0.3429, 0.4857, 0.3429, -0.0857]
    """
    half = window // 2
    x = np.arange(-half, window - half, dtype=float)[::-1]
    design = x ** np.arange(order + 1, dtype=float).reshape(-1, 1)
    unit = np.zeros(order + 1)
    unit[0] = 1.0
    rcond = np.finfo(float).eps * max(design.shape)
    return np.linalg.lstsq(design, unit, rcond=rcond)[0]


def savgol_smooth(values, window: int, order: int = 3, out=None) -> np.ndarray:
    """
    Savitzky–Golay smoothing along the last axis with the edges extended by
    their nearest value (``scipy.signal.savgol_filter(values, window, order,
    axis=-1, mode="nearest")``: the same kernel, :func:`convolve_nearest`).
    """
    values = np.asarray(values)
    if values.dtype not in (np.float32, np.float64):
        values = values.astype(float)
    return convolve_nearest(values, savgol_coefficients(window, order), out)


# Output columns per product in :func:`convolve_nearest`, and rows per pass.
# 1800 × 1024 float32 on one thread, windows 7–61: 24 columns 5.2–8.9 ms,
# 32 alike, 64 8.5–12.8 ms (its band matrix, mostly zeros, leaves the L1
# cache); 256 rows beat 128.
_TILE = 24
_ROWS = 256


def convolve_nearest(values: np.ndarray, kernel: np.ndarray, out=None) -> np.ndarray:
    """
    ``scipy.ndimage.convolve1d(values, kernel, axis=-1, mode="nearest")`` for
    an odd kernel, in the dtype of ``values`` (float32 or float64), into
    ``out`` when given (2-D values only).

    Computed in float64, as ndimage does, as products of the edge-padded rows
    with a band matrix, ``_TILE`` output columns at a time: BLAS does the sums
    (3600 × 1024 float32, 41 taps, two threads: 12.0 ms against ndimage's
    19.5 ms, the same float32 results bit for bit), and the command line no
    longer imports scipy.ndimage (0.14 s). A NaN or infinity reaches only the
    outputs within the kernel's reach, as in ndimage: rows that hold one are
    summed tap by tap.
    """
    shape = values.shape
    rows = values.reshape(-1, shape[-1])
    n, width = rows.shape
    size = kernel.size
    if size % 2 == 0:
        raise ValueError(f"convolve_nearest needs an odd kernel, got {size} taps")
    if rows.size == 0:
        return np.empty(shape, dtype=values.dtype)
    half = size // 2
    flipped = np.asarray(kernel, dtype=float)[::-1]
    tile = min(_TILE, width)
    band = np.zeros((tile + size - 1, tile))
    for column in range(tile):
        band[column : column + size, column] = flipped
    if out is None:
        out = np.empty((n, width), dtype=values.dtype)
    elif out.shape != (n, width) or out.dtype != values.dtype:
        raise ValueError(f"out must be {values.dtype} of shape {(n, width)}")
    # _ROWS rows at a time: the float64 copy stays in the cache (3600 × 1024
    # on one thread: 18.5–21 ms against 25 ms for the whole block at once).
    padded = np.empty((min(n, _ROWS), width + 2 * half))
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, n, _ROWS):
            stop = min(start + _ROWS, n)
            block = _padded(rows[start:stop], half, padded[: stop - start])
            _banded_products(block, band, size, out[start:stop])
    if n and np.isnan(out.max()):  # a NaN in the rows: zeros times it spread
        bad = np.flatnonzero(np.isnan(out).any(axis=1))
        block = _padded(rows[bad], half, np.empty((bad.size, width + 2 * half)))
        sums = np.zeros((bad.size, width))
        with np.errstate(invalid="ignore", over="ignore"):
            for tap in range(size):
                sums += flipped[tap] * block[:, tap : tap + width]
        out[bad] = sums
    return out.reshape(shape)


def _padded(rows: np.ndarray, half: int, buffer: np.ndarray) -> np.ndarray:
    """``rows`` in ``buffer`` (float64) with ``half`` copies of the first and
    last value on either side."""
    width = rows.shape[1]
    buffer[:, half : half + width] = rows
    buffer[:, :half] = rows[:, :1]
    buffer[:, half + width :] = rows[:, -1:]
    return buffer


def _banded_products(padded, band, size, out) -> None:
    """``out`` = the padded rows times the band matrix, tile by tile."""
    tile, width = band.shape[1], out.shape[1]
    for start in range(0, width, tile):
        stop = min(start + tile, width)
        span = stop - start
        out[:, start:stop] = (
            padded[:, start : stop + size - 1] @ band[: span + size - 1, :span]
        )


def smoothing_window(fwhm_pixels: float, max_window: int | None = None) -> int:
    """
    Savitzky–Golay window for a line of a given width in pixels.

    At most FWHM/2 (wider windows broaden the line: +2.5 nm at 1.4×FWHM,
    docs/methods.md §2) and odd. A cubic needs 5 pixels: below that the
    answer is 1 (no smoothing) — a 5-pixel floor would override the FWHM/2
    cap (+1.6 nm FWHM for a 15 nm line on a 5 nm grid).

    Examples
    --------
    >>> smoothing_window(82.0), smoothing_window(9.0), smoothing_window(3.0)
    (41, 1, 1)
    """
    if not np.isfinite(fwhm_pixels):
        return 1
    window = int(np.floor(fwhm_pixels / 2))
    if window % 2 == 0:
        window -= 1
    if max_window is not None:
        window = min(window, max_window if max_window % 2 else max_window - 1)
    return window if window >= 5 else 1


def _interpolated(wavelength, curve, rows, below_i, half):
    """Where the curve crosses ``half`` between pixel ``below_i`` and the next
    one, and its slope there [intensity/nm]."""
    y0, y1 = curve[rows, below_i], curve[rows, below_i + 1]
    step = wavelength[below_i + 1] - wavelength[below_i]
    with np.errstate(invalid="ignore", divide="ignore"):
        return wavelength[below_i] + (half - y0) / (y1 - y0) * step, (y1 - y0) / step


def _crossings(wavelength, curve, peak_index, half, run: int = 0):
    """
    Interpolated half-maximum crossings left and right of each peak.

    Where noise makes the curve cross half maximum several times, the
    innermost crossing (first sustained dip below, over ``2·run + 1``
    pixels) underestimates the width and the outermost (last pixel above)
    overestimates it: each side is the mean of the two (one crossing: the
    same). Returns the two wavelengths (NaN outside the range), the slopes
    at the inner crossings [intensity/nm] and the pixels outside them.
    """
    n, width = curve.shape
    rows = np.arange(n)
    p = np.asarray(peak_index, dtype=np.intp)
    with np.errstate(invalid="ignore"):
        above = curve >= half[:, None]
    # Worked on the runs of pixels above half (core/spectra/runs.py), not on
    # (N, W) masks: "below" is every pixel farther than ``run`` from one
    # above (an erosion of the rest), i.e. outside the runs grown by ``run``.
    starts, ends = find_runs(above)
    first_above, after_above = row_extent(starts, ends, n, width)
    near = dilated_runs(starts, ends, width, run)
    row_start = rows * (width + 1)
    # Left: the last pixel below before the peak (before the grown run that
    # holds the pixel left of the peak, or that pixel itself).
    start, end = run_around(*near, row_start + p - 1)
    last_below = np.where(end > row_start + p - 1, start - row_start - 1, p - 1)
    any_left = (p > 0) & (last_below >= 0)
    inner_left = np.where(any_left, np.minimum(last_below + run, p - 1), p - 1)
    inner_left = np.clip(inner_left, 0, width - 2)
    # Right: the first pixel below after the peak (the end of the grown run
    # that holds the pixel right of the peak, or that pixel itself).
    start, end = run_around(*near, row_start + p + 1)
    first_below = np.where(end > row_start + p + 1, end - row_start, p + 1)
    any_right = first_below < width
    inner_right = np.where(any_right, np.maximum(first_below - run, p + 1), p + 1)
    inner_right = np.clip(inner_right, 1, width - 1) - 1
    # Outer: the first pixel above before the peak, the last one after it.
    outer_left = np.clip(np.minimum(first_above, p) - 1, 0, width - 2)
    outer_right = np.clip(np.maximum(after_above - 1, p), 0, width - 2)
    left, left_slope = _interpolated(wavelength, curve, rows, inner_left, half)
    left_out, _ = _interpolated(wavelength, curve, rows, outer_left, half)
    right, right_slope = _interpolated(wavelength, curve, rows, inner_right, half)
    right_out, _ = _interpolated(wavelength, curve, rows, outer_right, half)
    left = np.where(any_left, (left + left_out) / 2, np.nan)
    right = np.where(any_right, (right + right_out) / 2, np.nan)
    return left, right, left_slope, right_slope, inner_left, inner_right + 1


def _light_widths(wavelength, sample) -> np.ndarray:
    """Widths at half height above each spectrum's median (an offset-proof
    rough width: the window only needs the line's scale)."""
    light = savgol_smooth(sample, 5, 3)
    index = np.argmax(light, axis=1)
    level = np.median(light, axis=1)
    height = light[np.arange(len(light)), index] - level
    left, right, *_ = _crossings(wavelength, light, index, level + height / 2)
    return right - left


def rough_fwhm_nm(wavelength, spectra, row_max=None) -> float:
    """
    Typical FWHM of a series' lines, from up to 72 of its spectra with emission.

    The sample holds 64 evenly spaced spectra and the 8 brightest; spectra
    whose maximum stands less than 5 σ above their median (no emission) are
    left out, so a bias series that starts below turn-on still gets the
    width of its lines. NaN when no spectrum has emission. ``row_max``: each
    spectrum's maximum, when already known.
    """
    n, width = spectra.shape
    if width < 7:
        return np.nan
    picked = np.unique(np.linspace(0, n - 1, min(n, 64)).astype(int))
    if row_max is None:
        row_max = np.max(spectra, axis=1)
    brightest = np.argsort(row_max)[-8:]
    sample = spectra[np.union1d(picked, brightest)]
    lit = ~(peak_snr(sample) < 5.0)  # NaN: no noise at all
    if not lit.any():
        return np.nan
    widths = _light_widths(wavelength, sample[lit])
    return float(np.nanmedian(widths)) if np.isfinite(widths).any() else np.nan


def smoothed_spectra(
    wavelength,
    spectra,
    smoothing: bool = True,
    rough: float | None = None,
    out: np.ndarray | None = None,
) -> Smoothed:
    """
    Savitzky–Golay smoothing with a window ≤ FWHM/2 (and ≤ 12 nm).

    Broad or structured spectra (a 180 nm-wide PL band with a shoulder)
    would get a window that smears the maximum: the window is capped in
    nanometres. ``rough`` is the series' :func:`rough_fwhm_nm` when already
    known (a block of a series' rows takes the whole series' window).
    ``out``: where to write the smoothed spectra (an (N, W) array of the
    spectra's dtype; unused when nothing is smoothed).
    """
    step = float(np.median(np.diff(wavelength)))
    if rough is None:
        rough = rough_fwhm_nm(wavelength, spectra)
    width = spectra.shape[1]
    coarse = bool(np.isfinite(rough) and rough / step < _COARSE_FWHM_PX)
    window = smoothing_window(min(rough, 2 * _MAX_WINDOW_NM) / step, width - 1)
    if not smoothing or window == 1:
        return Smoothed(spectra, 1, None, 1.0, rough, coarse)
    # mode="nearest": "interp" fits every row's edges by least squares,
    # a third of the run time, for pixels that are baseline anyway.
    smooth = savgol_smooth(spectra, window, 3, out)
    coefficients = savgol_coefficients(window, 3)
    gain = float(np.sqrt(np.sum(coefficients**2)))
    return Smoothed(smooth, window, coefficients, gain, rough, coarse)


def _vertex(coef):
    """Maximum of a + b·u + c·u² + d·u³ nearest u = 0 and d(u)/d(b, c, d)."""
    _, b, c, d = coef.T
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(np.maximum(4 * c**2 - 12 * d * b, 0.0))
        first, second = (-2 * c + root) / (6 * d), (-2 * c - root) / (6 * d)
        cubic = np.where(np.abs(first) < np.abs(second), first, second)
        u = np.where(np.abs(d) > 1e-9 * np.abs(c), cubic, -b / (2 * c))
        curvature = 2 * c + 6 * d * u
        gradient = -np.stack([np.zeros_like(u), np.ones_like(u), 2 * u, 3 * u**2], 1)
        gradient /= curvature[:, None]
    valid = (curvature < 0) & (np.abs(u) <= 1) & (4 * c**2 - 12 * d * b >= 0)
    return np.where(valid, u, np.nan), gradient


def _top_fit(spectra, sigma_px, centre, half_width):
    """
    Weighted cubic fit to log(intensity) over ±half_width pixels of ``centre``.

    Weights (y/σ)² are the inverse variances of log y. Returns the vertex
    (fractional pixel), its σ, the height and its σ; NaN where the top is
    not a maximum within the window.
    """
    n, width = spectra.shape
    h = int(max(2, min(half_width, (width - 1) // 2)))
    centre = np.clip(centre, h, width - 1 - h)
    offsets = np.arange(-h, h + 1)
    # Each row's window copied whole from a view of every window (a gather
    # of (row, column) pairs costs 4× more).
    rows, first = np.arange(n), centre - h
    y = sliding_window_view(spectra, 2 * h + 1, axis=1)[rows, first]
    sigma = sliding_window_view(sigma_px, 2 * h + 1, axis=1)[rows, first]
    top = np.max(y, axis=1, keepdims=True)
    # One σ per window (its mean): block-to-block scatter of the σ estimate
    # would otherwise tilt the fit.
    sigma = np.mean(sigma, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        clipped = np.maximum(y, 0.05 * top)
        weight = (clipped / np.maximum(sigma, 1e-9 * top)) ** 2
        scale = np.max(weight, axis=1, keepdims=True)
        weight = np.nan_to_num(weight / scale)
        log_y = np.nan_to_num(np.log(clipped))
    design = np.vander(offsets / h, 4, increasing=True)  # (m, 4) in u = t/h
    products = (design[:, :, None] * design[:, None, :]).reshape(-1, 16)
    normal = (weight @ products).reshape(n, 4, 4)
    normal_inverse = np.linalg.inv(normal + 1e-12 * np.eye(4))
    coef = np.einsum("nij,nj->ni", normal_inverse, (weight * log_y) @ design)
    inverse = normal_inverse / scale[:, :, None]  # covariance of coef
    u, gradient = _vertex(coef)
    powers = np.stack([np.ones_like(u), u, u**2, u**3], axis=1)
    log_height = np.sum(coef * powers, axis=1)
    with np.errstate(invalid="ignore", over="ignore"):
        u_sd = np.sqrt(np.einsum("ni,nij,nj->n", gradient, inverse, gradient))
        log_sd = np.sqrt(np.einsum("ni,nij,nj->n", powers, inverse, powers))
        height = np.exp(log_height)
    return centre + h * u, h * u_sd, height, height * log_sd


def _three_point(curve, peak_index):
    """Vertex (fractional pixel) and height of the 3-point parabola."""
    n, width = curve.shape
    rows = np.arange(n)
    i = np.clip(peak_index, 1, width - 2)
    left, mid, right = curve[rows, i - 1], curve[rows, i], curve[rows, i + 1]
    denominator = left - 2 * mid + right
    with np.errstate(invalid="ignore", divide="ignore"):
        offset = np.where(denominator < 0, 0.5 * (left - right) / denominator, 0.0)
    offset = np.clip(offset, -1, 1)
    height = mid - 0.25 * (left - right) * offset
    return i + offset, height


def _spline_curve(wavelength, spectra, rough_fwhm_nm):
    """Cubic spline through each spectrum on a grid of ≥ 40 points per FWHM."""
    step = float(np.median(np.diff(wavelength)))
    factor = int(np.clip(np.ceil(step * _SPLINE_POINTS_PER_FWHM / rough_fwhm_nm),
                         2, 40))  # fmt: skip
    fine = np.interp(
        np.arange((wavelength.size - 1) * factor + 1) / factor,
        np.arange(wavelength.size),
        wavelength,
    )
    from scipy.interpolate import CubicSpline  # coarse grids only (~0.4 s import)

    return fine, CubicSpline(wavelength, spectra, axis=1)(fine)


def peak_and_width(wavelength, spectra, smoothed: Smoothed, sigma_px) -> PeakWidth:
    """
    Peak (top fit on the raw data), height and FWHM of each spectrum, with σ.

    σ of the peak and height come from the fit's covariance (pixel noise
    ``sigma_px``); σ of the FWHM from the noise of the curve at the two
    crossings over its slopes there, and the height's σ.
    """
    n, width = spectra.shape
    rows = np.arange(n)
    step = float(np.median(np.diff(wavelength)))
    rough = smoothed.rough_fwhm_nm
    if smoothed.coarse and smoothed.window == 1 and np.isfinite(rough):
        grid, curve = _spline_curve(wavelength, spectra, rough)
        curve_noise, run = 1.0, (grid.size // wavelength.size) // 2
    else:
        grid, curve, curve_noise = wavelength, smoothed.smooth, smoothed.gain
        run = smoothed.window // 4
    fine_index = np.argmax(curve, axis=1)
    index = np.clip(np.searchsorted(wavelength, grid[fine_index]), 0, width - 1)
    top_nm = min(_TOP_FWHM * rough, _MAX_TOP_NM) if np.isfinite(rough) else 0.0
    half_width = int(round(top_nm / step))
    vertex, vertex_sd, height, height_sd = _top_fit(spectra, sigma_px, index,
                                                     half_width)  # fmt: skip
    fallback_vertex, fallback_height = _three_point(smoothed.smooth, index)
    failed = ~np.isfinite(vertex) | ~(height > 0)
    vertex = np.where(failed, fallback_vertex, vertex)
    height = np.where(failed, fallback_height, height)
    peak_nm = np.interp(vertex, np.arange(width), wavelength)
    local_step = np.interp(vertex, np.arange(width - 1) + 0.5, np.diff(wavelength))
    at_edge = (index == 0) | (index == width - 1)
    peak_nm = np.where(at_edge, wavelength[index], peak_nm)

    left, right, left_slope, right_slope, li, ri = _crossings(
        grid, curve, fine_index, height / 2, run
    )
    pixel = np.searchsorted(wavelength, np.stack([grid[li], grid[ri]]), side="left")
    pixel = np.clip(pixel, 0, width - 1)
    noise_left = curve_noise * sigma_px[rows, pixel[0]]
    noise_right = curve_noise * sigma_px[rows, pixel[1]]
    with np.errstate(invalid="ignore", divide="ignore"):
        fwhm_var = (
            (noise_left / left_slope) ** 2
            + (noise_right / right_slope) ** 2
            + (height_sd / 2) ** 2 * (1 / right_slope - 1 / left_slope) ** 2
        )
    return PeakWidth(
        peak_nm=peak_nm,
        peak_sd_nm=np.where(failed, np.nan, vertex_sd * local_step),
        height=height,
        height_sd=np.where(failed, np.nan, height_sd),
        fwhm_nm=right - left,
        fwhm_sd_nm=np.sqrt(fwhm_var),
        peak_index=index,
        at_edge=at_edge,
    )
