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
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    ends = np.r_[starts[1:] - 1, x.size - 1]
    inside = (starts >= 1) & (ends <= x.size - 2)
    starts, ends = starts[inside], ends[inside]
    peak = (x[starts - 1] < x[starts]) & (x[ends + 1] < x[starts])
    return (starts[peak] + ends[peak]) // 2


def peak_prominences(x, peaks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Prominence of each peak with its left and right bases (``wlen=None``).

    Each side is searched up to the nearest higher value (or the end); its
    base is the lowest point there (nearest the peak among equals). A peak
    that is not a maximum gets a small or zero prominence, as in scipy.
    """
    x = np.asarray(x, dtype=float)
    peaks = np.asarray(peaks, dtype=np.intp)
    prominences = np.empty(peaks.size)
    left_bases = np.empty(peaks.size, dtype=np.intp)
    right_bases = np.empty(peaks.size, dtype=np.intp)
    for k, p in enumerate(peaks):
        higher = np.flatnonzero(x[:p] > x[p])
        start = higher[-1] + 1 if higher.size else 0
        left = x[start : p + 1]
        left_bases[k] = start + left.size - 1 - np.argmin(left[::-1])
        higher = np.flatnonzero(x[p + 1 :] > x[p])
        stop = p + 1 + higher[0] if higher.size else x.size
        right = x[p:stop]
        right_bases[k] = p + np.argmin(right)
        prominences[k] = x[p] - max(x[left_bases[k]], x[right_bases[k]])
    return prominences, left_bases, right_bases


def _widths(x, peaks, rel_height, prominences, left_bases, right_bases):
    widths = np.empty(peaks.size)
    heights = np.empty(peaks.size)
    left_ips = np.empty(peaks.size)
    right_ips = np.empty(peaks.size)
    for k, p in enumerate(peaks):
        i_min, i_max = left_bases[k], right_bases[k]
        height = x[p] - prominences[k] * rel_height
        low = np.flatnonzero(x[i_min + 1 : p + 1] <= height)
        i = i_min + 1 + low[-1] if low.size else i_min
        left_ip = float(i)
        if x[i] < height:
            left_ip += (height - x[i]) / (x[i + 1] - x[i])
        low = np.flatnonzero(x[p:i_max] <= height)
        i = p + low[0] if low.size else i_max
        right_ip = float(i)
        if x[i] < height:
            right_ip -= (height - x[i]) / (x[i - 1] - x[i])
        widths[k], heights[k] = right_ip - left_ip, height
        left_ips[k], right_ips[k] = left_ip, right_ip
    return widths, heights, left_ips, right_ips


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
