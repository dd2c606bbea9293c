"""
Thinning long series for the screen: min/max per pixel column.

A 10-hour test has 3600 spectra, a 100-hour one 36 000; a chart a
thousand pixels wide cannot show more than a few values per pixel column,
yet every row is serialised to JSON, sent to the browser and drawn by
Vega. For the screen, the x range is split into ``columns`` bins of equal
width (one per pixel column of a wide chart) and, per group (device), each
bin keeps the rows holding the smallest and the largest value of each
column in ``y``, plus the group's first and last rows: the drawn envelope
(what a pixel column shows) is the full data's, and every extreme stays —
the M4 rule of Jugel et al. [1]_ without the bin's first and last rows
(a line's interior points in a bin are covered by its min and max).

Only what is drawn is thinned: downloads (CSV) and the heatmap keep every
spectrum. A series at or below ``columns`` rows per group is returned as it
is.

References
----------
.. [1] U. Jugel, Z. Jerzak, G. Hackenbroich, V. Markl, "M4: a
   visualization-oriented time series data aggregation," Proc. VLDB
   Endowment 7, 797 (2014), doi:10.14778/2732951.2732953.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["SCREEN_COLUMNS", "extreme_rows", "decimate_for_screen"]

#: Bins across the x axis: about the pixel columns of a wide chart. [-]
SCREEN_COLUMNS = 800


def extreme_rows(x, values, columns: int = SCREEN_COLUMNS) -> np.ndarray:
    """
    Indices of the rows to draw: per x bin, the minimum and maximum of each
    column of ``values`` (NaN ignored), and the first and last rows.

    Parameters
    ----------
    x : array_like
        (N,) x values (any order; NaN rows are dropped).
    values : array_like
        (N,) or (N, K) y values.
    columns : int
        Bins of equal width across the x range.

    Returns
    -------
    numpy.ndarray
        Sorted unique row indices (all rows when N ≤ ``columns``).

    Examples
    --------
    >>> x = np.arange(10_000.0)
    >>> y = np.sin(x / 500)
    >>> rows = extreme_rows(x, y, columns=100)
    >>> len(rows) <= 2 * 100 + 2, float(y[rows].max()) == float(y.max())
    (True, True)
    """
    x = np.asarray(x, dtype=float)
    values = np.asarray(values, dtype=float).reshape(x.size, -1)
    if x.size <= columns:
        return np.arange(x.size)
    finite = np.flatnonzero(np.isfinite(x))
    if finite.size == 0:
        return np.arange(x.size)
    low, high = x[finite].min(), x[finite].max()
    span = high - low if high > low else 1.0
    bins = np.minimum(((x[finite] - low) / span * columns).astype(int), columns - 1)
    keep = [finite[[np.argmin(x[finite]), np.argmax(x[finite])]]]
    order = np.argsort(bins, kind="stable")  # rows grouped by bin
    starts = np.flatnonzero(np.r_[True, np.diff(bins[order]) != 0])
    counts = np.diff(np.r_[starts, order.size])
    for column in values.T:
        y = column[finite][order]
        for reduce, fill in ((np.fmin, np.inf), (np.fmax, -np.inf)):
            filled = np.where(np.isnan(y), fill, y)
            extreme = np.repeat(reduce.reduceat(filled, starts), counts)
            keep.append(finite[order[(filled == extreme) & np.isfinite(filled)]])
    return np.unique(np.concatenate(keep))


def decimate_for_screen(
    frame: pd.DataFrame,
    y: Sequence[str] | None = None,
    x: str = "axis",
    by: Sequence[str] = ("device", "included"),
    columns: int = SCREEN_COLUMNS,
) -> pd.DataFrame:
    """
    The rows of ``frame`` a chart needs on screen (see the module's rule).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long-format chart data.
    y : sequence of str, optional
        Columns whose per-bin minimum and maximum are kept (default: every
        numeric column but ``x`` and the groups).
    x : str
        The x column.
    by : sequence of str
        Group columns (one line or mark per group: the device, and whether a
        spectrum is used), thinned separately; absent ones are ignored.
    columns : int
        Bins across the x range.

    Returns
    -------
    pandas.DataFrame
        A subset of ``frame``'s rows in their original order.
    """
    if len(frame) <= columns:
        return frame
    keys = [name for name in by if name in frame and name != x]
    if y is None:
        numeric = frame.select_dtypes("number").columns
        y = [c for c in numeric if c != x and c not in keys]
    if keys:
        groups = list(frame.groupby(keys, sort=False, dropna=False).indices.values())
    else:
        groups = [np.arange(len(frame))]
    x_values = frame[x].to_numpy(dtype=float)
    y_values = frame[list(y)].to_numpy(dtype=float)
    kept = [g[extreme_rows(x_values[g], y_values[g], columns)] for g in groups]
    return frame.iloc[np.sort(np.concatenate(kept))]
