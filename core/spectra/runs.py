"""
Runs of True pixels along the rows of a boolean (N, W) array.

The emission mask is made of a few long runs per spectrum; working on the
runs' ends (a few thousand numbers) instead of sliding windows over every
pixel makes its morphology — dilation by one FWHM, removal of runs too short
to be emission, keeping runs that reach a height — three passes over the
array instead of a dozen. Positions are flat indices into the rows padded by
one False column ((N, W + 1) raveled), so a run never continues into the
next row; ``ends`` are exclusive.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "find_runs",
    "long_runs",
    "dilated_runs",
    "painted",
    "run_around",
    "row_extent",
]


def find_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and (exclusive) ends of the runs of ``mask``, row by row."""
    n, width = mask.shape
    padded = np.zeros((n, width + 2), dtype=bool)
    padded[:, 1 : width + 1] = mask
    flat = padded.ravel()
    # Changes between neighbours of the (N, W + 2) layout; index i there is
    # i - 1 - row in the (N, W + 1) layout (one leading pad per row dropped).
    change = np.flatnonzero(flat[1:] != flat[:-1])
    rising = flat[change + 1]
    shift = change // (width + 2)
    starts = change[rising] - shift[rising]
    ends = change[~rising] - shift[~rising]
    return starts, ends


def long_runs(starts, ends, width: int, radius: int) -> np.ndarray:
    """
    Which runs survive a morphological opening by ±``radius`` pixels
    (erosion treats pixels beyond the row as True): runs of at least
    2·radius + 1 pixels, r + 1 at an end of the row, any at both; for radius
    0, runs of at least 2 pixels (a lone pixel is a spike).
    """
    length = ends - starts
    if radius <= 0:
        return length >= 2
    column = starts % (width + 1)
    at_start, at_end = column == 0, (column + length) == width
    need = np.where(at_start | at_end, radius + 1, 2 * radius + 1)
    return (length >= need) | (at_start & at_end)


def dilated_runs(
    starts, ends, width: int, radius: int
) -> tuple[np.ndarray, np.ndarray]:
    """Runs grown by ±``radius`` pixels within their row, overlaps merged."""
    if radius <= 0 or starts.size == 0:
        return starts, ends
    row_start = starts - starts % (width + 1)
    grown_starts = np.maximum(starts - radius, row_start)
    grown_ends = np.minimum(ends + radius, row_start + width)
    # Runs are in order and grow by the same radius: a run opens a new group
    # unless it starts at or before the previous one's end.
    first = np.ones(starts.size, dtype=bool)
    first[1:] = grown_starts[1:] > grown_ends[:-1]
    last = np.ones(starts.size, dtype=bool)
    last[:-1] = first[1:]
    return grown_starts[first], grown_ends[last]


def painted(starts, ends, n: int, width: int, inside: bool = True) -> np.ndarray:
    """(N, W) bool: ``inside`` on the runs, the opposite elsewhere."""
    bounds = np.empty(2 * starts.size + 2, dtype=np.intp)
    bounds[0], bounds[-1] = 0, n * (width + 1)
    bounds[1:-1:2], bounds[2:-1:2] = starts, ends
    values = np.full(bounds.size - 1, not inside)
    values[1::2] = inside
    flat = np.repeat(values, np.diff(bounds))
    return np.ascontiguousarray(flat.reshape(n, width + 1)[:, :width])


def run_around(starts, ends, positions) -> tuple[np.ndarray, np.ndarray]:
    """
    The run holding each flat position (in the (N, W + 1) layout): its start
    and (exclusive) end; (position, position) where no run holds it.
    ``starts`` must be sorted (:func:`find_runs` and :func:`dilated_runs`
    give them so).
    """
    positions = np.asarray(positions, dtype=np.intp)
    if starts.size == 0:
        return positions.copy(), positions.copy()
    run = np.maximum(np.searchsorted(starts, positions, side="right") - 1, 0)
    inside = (starts[run] <= positions) & (ends[run] > positions)
    return (np.where(inside, starts[run], positions),
            np.where(inside, ends[run], positions))  # fmt: skip


def row_extent(starts, ends, n: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """
    Each row's first pixel in a run and the pixel after its last one, as
    columns; (width, 0) for a row without runs.
    """
    if starts.size == 0:
        return np.full(n, width, dtype=np.intp), np.zeros(n, dtype=np.intp)
    row_start = np.arange(n, dtype=np.intp) * (width + 1)
    first = np.searchsorted(starts, row_start)
    last = np.searchsorted(starts, row_start + width + 1) - 1
    has = first <= last
    begin = np.where(has, starts[np.minimum(first, starts.size - 1)] - row_start, width)
    finish = np.where(has, ends[np.maximum(last, 0)] - row_start, 0)
    return begin, finish
