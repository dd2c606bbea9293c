"""
The precision a table states: the decimals of each ranked number as written.

Two values that agree within the precision of the table's number rank equal
(:mod:`core.literature.ranking`). The decimals are read from the CSV text
when the table is validated (``<column>_decimals``, e.g. ``t50_h_decimals``
is 4 for "8.1667"); a frame built without them falls back on the shortest
form of the float (``repr``), which cannot see trailing zeros ("26.0" and
"26" both give 26.0: 1 and 0 decimals are then told apart only by the text).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = [
    "PRECISION_COLUMNS",
    "DECIMALS_SUFFIX",
    "stated_decimals",
    "decimals_of",
    "half_unit",
    "without_precision",
]

#: Numeric columns whose written precision is kept (those a device is ranked on).
PRECISION_COLUMNS = (
    "eqe_max_percent",
    "luminance_max_cd_m2",
    "cie_x",
    "cie_y",
    "t50_h",
)
#: Suffix of the column that holds a column's stated decimals.
DECIMALS_SUFFIX = "_decimals"

_NUMBER = re.compile(r"^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")


def stated_decimals(text) -> int | None:
    """
    Decimals of a number as written: "8.1667" -> 4, "18500" -> 0, "2.5e3" -> 0.

    Parameters
    ----------
    text : str
        The cell as written in the CSV.

    Returns
    -------
    int or None
        Number of decimal places (negative for "2e3": hundreds are not
        stated); None for a blank or non-numeric cell.

    Examples
    --------
    >>> [stated_decimals(v) for v in ("8.1667", "26.0", "18500", "1.5e-2", "")]
    [4, 1, 0, 3, None]
    """
    if text is None:
        return None
    match = _NUMBER.match(str(text).strip())
    if match is None or not (match.group(1) or match.group(2)):
        return None
    fraction = match.group(2) or ""
    exponent = int(match.group(3) or 0)
    return len(fraction) - exponent


def _decimals_from_float(value: float) -> float:
    """Decimals of the shortest repr of a float (no trailing zeros)."""
    if not math.isfinite(value):
        return math.nan
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    decimals = stated_decimals(text)
    return math.nan if decimals is None else float(decimals)


def decimals_of(frame: pd.DataFrame, column: str) -> np.ndarray:
    """
    Stated decimals of every row's ``column`` (NaN where the value is blank).

    From ``<column>_decimals`` when the table was validated from text, else
    from the shortest form of each float.

    Parameters
    ----------
    frame : pandas.DataFrame
    column : str

    Returns
    -------
    numpy.ndarray
        (N,) float.
    """
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    fallback = np.array([_decimals_from_float(v) for v in values], dtype=float)
    name = column + DECIMALS_SUFFIX
    if name not in frame.columns:
        return fallback
    stated = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(stated), stated, fallback)


def half_unit(decimals) -> np.ndarray:
    """
    Half a unit of the last stated decimal: 0.5 · 10^−d (NaN for NaN).

    Examples
    --------
    >>> half_unit([4, 0]).tolist()
    [5e-05, 0.5]
    """
    d = np.asarray(decimals, dtype=float)
    return 0.5 * np.power(10.0, -d)


def without_precision(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its ``*_decimals`` columns (for files and display)."""
    names = [c + DECIMALS_SUFFIX for c in PRECISION_COLUMNS]
    return frame.drop(columns=[c for c in names if c in frame.columns])
