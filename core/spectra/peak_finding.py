"""
Local maxima, prominences and widths of one row (scipy.signal's algorithm).

The band search (:mod:`core.spectra.bands`) needs ``scipy.signal.find_peaks``
and ``peak_widths`` on the few spectra with a candidate second band: on a
noisy 10-hour series that is a few dozen spectra, and importing scipy.signal
for them costs ~0.4–0.75 s (it imports scipy.stats), more than the whole
analysis. These functions follow scipy's Cython loops step by step
(``_local_maxima_1d``, ``_peak_prominences``, ``_peak_widths``, with
``wlen=None``), vectorised over each peak's walk; a test compares peaks,
prominences, bases and interpolated crossings with scipy's, bit for bit.
"""

from __future__ import annotations

import numpy as np

__all__ = ["local_maxima", "peak_prominences", "peak_widths", "find_peaks"]


def local_maxima(x) -> np.ndarray:
    """
    Indices of the local maxima of a row (the middle of a flat top, rounded
    down), as ``scipy.signal.find_peaks(x)``: the first and last values
    never count.
    """
    x = np.asarray(x, dtype=float)
    if x.size < 3:
        return np.zeros(0, dtype=np.intp)
    change = np.empty(x.size, dtype=bool)
    change[0] = True
    np.not_equal(x[1:], x[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    ends = np.empty_like(starts)
    ends[:-1], ends[-1] = starts[1:] - 1, x.size - 1
    inside = (starts >= 1) & (ends <= x.size - 2)
    starts, ends = starts[inside], ends[inside]
    peak = (x[starts - 1] < x[starts]) & (x[ends + 1] < x[starts])
    return (starts[peak] + ends[peak]) // 2


#: Peaks handled at once: (peaks × row length) elements per temporary.
_BLOCK_ELEMENTS = 2**18


def _peak_blocks(peaks: np.ndarray, width: int):
    """Slices of ``peaks`` small enough for (peaks × width) temporaries."""
    size = max(1, _BLOCK_ELEMENTS // max(width, 1))
    return (slice(start, start + size) for start in range(0, peaks.size, size))


def _last(condition: np.ndarray, default) -> np.ndarray:
    """Each row's last True column, or ``default``."""
    width = condition.shape[1]
    last = width - 1 - np.argmax(condition[:, ::-1], axis=1)
    return np.where(condition.any(axis=1), last, default)


def _first(condition: np.ndarray, default) -> np.ndarray:
    """Each row's first True column, or ``default``."""
    return np.where(condition.any(axis=1), np.argmax(condition, axis=1), default)


def peak_prominences(x, peaks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Prominence of each peak with its left and right bases (``wlen=None``).

    Each side is searched up to the nearest higher value (or the end); its
    base is the lowest point there (nearest the peak among equals). A peak
    that is not a maximum gets a small or zero prominence, as in scipy.
    The peaks are walked together, as (peaks × row) masks.
    """
    x = np.asarray(x, dtype=float)
    peaks = np.asarray(peaks, dtype=np.intp)
    prominences = np.empty(peaks.size)
    left_bases = np.empty(peaks.size, dtype=np.intp)
    right_bases = np.empty(peaks.size, dtype=np.intp)
    index = np.arange(x.size)
    for block in _peak_blocks(peaks, x.size):
        p = peaks[block][:, None]
        higher = x > x[p]
        start = _last(higher & (index < p), -1) + 1
        stop = _first(higher & (index > p), x.size)
        # Lowest points (NaN wins, as np.argmin's): the left one nearest the
        # peak, so the last in the row; the right one the first.
        left = np.where((index >= start[:, None]) & (index <= p), x, np.inf)
        left_base = x.size - 1 - np.argmin(left[:, ::-1], axis=1)
        right = np.where((index >= p) & (index < stop[:, None]), x, np.inf)
        right_base = np.argmin(right, axis=1)
        low_left, low_right = x[left_base], x[right_base]
        # Python's max(): the left value unless the right one is greater.
        lowest = np.where(low_right > low_left, low_right, low_left)
        prominences[block] = x[p[:, 0]] - lowest
        left_bases[block], right_bases[block] = left_base, right_base
    return prominences, left_bases, right_bases


def _widths(x, peaks, rel_height, prominences, left_bases, right_bases):
    heights = x[peaks] - prominences * rel_height
    left_ips = np.empty(peaks.size)
    right_ips = np.empty(peaks.size)
    index = np.arange(x.size)
    for block in _peak_blocks(peaks, x.size):
        p, height = peaks[block], heights[block]
        i_min, i_max = left_bases[block], right_bases[block]
        low = x <= height[:, None]
        inside = (index > i_min[:, None]) & (index <= p[:, None])
        i = _last(low & inside, i_min)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = (height - x[i]) / (x[np.minimum(i + 1, x.size - 1)] - x[i])
        left_ips[block] = np.where(x[i] < height, i + step, i)
        inside = (index >= p[:, None]) & (index < i_max[:, None])
        i = _first(low & inside, i_max)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = (height - x[i]) / (x[np.maximum(i - 1, 0)] - x[i])
        right_ips[block] = np.where(x[i] < height, i - step, i)
    return right_ips - left_ips, heights, left_ips, right_ips


def peak_widths(x, peaks, rel_height: float = 0.5):
    """
    Width of each peak at ``rel_height`` of its prominence below its top
    (``scipy.signal.peak_widths``): widths, the height of the line, and the
    interpolated left and right crossings, in samples.
    """
    x = np.asarray(x, dtype=float)
    peaks = np.asarray(peaks, dtype=np.intp)
    prominences, left_bases, right_bases = peak_prominences(x, peaks)
    return _widths(x, peaks, rel_height, prominences, left_bases, right_bases)


def find_peaks(x, min_width: float, where=None) -> tuple[np.ndarray, np.ndarray]:
    """
    ``scipy.signal.find_peaks(x, prominence=0.0, width=min_width)``: the
    local maxima at least ``min_width`` samples wide at half their
    prominence, and their prominences.

    ``where`` (bool, like ``x``) keeps only the maxima where it is True
    before their prominence and width are computed: the same peaks as
    filtering scipy's answer afterwards (each peak's properties depend on
    the row only), without walking the row for the noise maxima.
    """
    x = np.asarray(x, dtype=float)
    peaks = local_maxima(x)
    if where is not None:
        peaks = peaks[np.asarray(where, dtype=bool)[peaks]]
    prominences, left_bases, right_bases = peak_prominences(x, peaks)
    widths, *_ = _widths(x, peaks, 0.5, prominences, left_bases, right_bases)
    keep = (prominences >= 0.0) & (widths >= min_width)
    return peaks[keep], prominences[keep]
