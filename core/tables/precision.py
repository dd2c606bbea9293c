"""
Values at a sensible precision: significant digits per quantity, an
uncertainty at two significant digits and its value to the same place.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from core.tables.labels import (
    _labelled_values,
    _labels,
    uncertainty_partner,
    unit_of,
)

__all__ = [
    "DEFAULT_SIGNIFICANT_DIGITS",
    "SIGNIFICANT_DIGITS",
    "UNCERTAINTY_DIGITS",
    "round_half_up",
    "significant_decimals",
    "round_with_uncertainty",
    "table_decimals",
    "human_table",
]

#: Significant digits a value is shown with, by the unit of its column (or
#: of its row, in tables with a ``unit`` or ``metric`` column). Integer digits
#: are never rounded away.
SIGNIFICANT_DIGITS: dict[str, int] = {
    "%": 3,
    "%/(cd/A)": 3,
    "mA/cm²": 3,
    "cd/A": 3,
    "lm/W": 3,
    "h": 3,
    "meV": 3,
    "ns": 3,
    "nm": 4,
    "nm per axis unit": 3,
    "cd/m²": 4,
    "V": 4,
    "eV": 4,
    "K": 4,
    "counts": 4,
}
#: Significant digits of a value whose unit is not in the table (ratios, CIE).
DEFAULT_SIGNIFICANT_DIGITS = 4
#: Significant digits of an uncertainty; its value gets the same decimals.
UNCERTAINTY_DIGITS = 2


def _is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, bool)


def round_half_up(value: float, decimals: int) -> float:
    """
    ``value`` rounded to ``decimals`` places (negative: tens, hundreds…),
    halves away from zero as a reader rounds the printed number.

    Examples
    --------
    >>> round_half_up(2.675, 2), round_half_up(-0.125, 2), round_half_up(18493.4, -2)
    (2.68, -0.13, 18500.0)
    """
    value = float(value)
    if not math.isfinite(value):
        return value
    step = Decimal(1).scaleb(-int(decimals))
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def significant_decimals(value: float, digits: int) -> int:
    """
    Decimal places that show ``value`` with ``digits`` significant digits,
    never fewer than 0 (integer digits are kept).

    Examples
    --------
    >>> significant_decimals(14.504282, 3), significant_decimals(5024.7, 4)
    (1, 0)
    >>> significant_decimals(0.0000104, 3), significant_decimals(0.0, 3)
    (7, 0)
    """
    value = abs(float(value))
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, int(digits) - 1 - math.floor(math.log10(value)))


def _uncertainty_decimals(sd: float, digits: int = UNCERTAINTY_DIGITS) -> int | None:
    """Decimals of an uncertainty at ``digits`` significant digits (None: none)."""
    if not _is_float(sd) and not isinstance(sd, (int, np.integer)):
        return None
    sd = abs(float(sd))
    if sd == 0 or not math.isfinite(sd):
        return None
    decimals = digits - 1 - math.floor(math.log10(sd))
    # 0.0996 at 2 digits is 0.10: keep 2 significant digits after rounding.
    if abs(round_half_up(sd, decimals)) >= 10.0 ** (digits - decimals):
        decimals -= 1
    return decimals


def round_with_uncertainty(
    value: float, sd: float, digits: int = UNCERTAINTY_DIGITS
) -> tuple[float, float]:
    """
    An uncertainty at ``digits`` significant digits, its value to the same place.

    Parameters
    ----------
    value : float
    sd : float
        Its uncertainty (one standard deviation). Zero, NaN or inf: both are
        returned as they are.
    digits : int
        Significant digits of the uncertainty (2).

    Returns
    -------
    tuple of float
        ``(value, sd)`` rounded (halves away from zero).

    Examples
    --------
    >>> round_with_uncertainty(8.172115, 0.03354)
    (8.172, 0.034)
    >>> round_with_uncertainty(18493.46, 9523.8)
    (18500.0, 9500.0)
    >>> round_with_uncertainty(1.5, float("nan"))
    (1.5, nan)
    """
    decimals = _uncertainty_decimals(sd, digits)
    if decimals is None:
        return float(value), float(sd)
    return round_half_up(value, decimals), round_half_up(sd, decimals)


def _plain_index(frame: pd.DataFrame) -> bool:
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.name is None


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a meaningful index as its first column(s)."""
    if _plain_index(frame):
        return frame.reset_index(drop=True)
    return frame.reset_index()


def _row_units(frame: pd.DataFrame) -> list[str] | None:
    """Each row's unit in a table of quantities by row (``unit``/``metric``)."""
    if "unit" in frame.columns:
        return ["" if pd.isna(u) else str(u) for u in frame["unit"]]
    if "metric" in frame.columns:
        return [unit_of(m) for m in frame["metric"].astype(str)]
    return None


def _column_digits(frame: pd.DataFrame, column, rows: list[str] | None) -> np.ndarray:
    """Significant digits of each row of one column (its unit, else the row's)."""
    own = unit_of(column)
    if own or rows is None:
        digits = SIGNIFICANT_DIGITS.get(own, DEFAULT_SIGNIFICANT_DIGITS)
        return np.full(len(frame), digits)
    return np.array(
        [SIGNIFICANT_DIGITS.get(unit, DEFAULT_SIGNIFICANT_DIGITS) for unit in rows]
    )


def _float_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(finite float cells as a mask, the column as floats with NaN elsewhere)."""
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, copy=True)
        return np.isfinite(numbers), numbers
    mask = np.array([_is_float(v) and math.isfinite(v) for v in values], dtype=bool)
    numbers = np.array(
        [float(v) if m else np.nan for v, m in zip(values, mask, strict=True)]
    )
    return mask, numbers


def _significant_decimals_array(numbers: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """:func:`significant_decimals` of every finite number (0 for zeros)."""
    size = np.abs(numbers)
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.where(size > 0, np.floor(np.log10(size)), 0.0)
    return np.maximum(0, digits - 1 - np.nan_to_num(exponent)).astype(int)


def table_decimals(frame: pd.DataFrame) -> pd.DataFrame:
    """
    The decimal places each float cell of a table is shown with.

    A value is shown at the significant digits of its unit
    (:data:`SIGNIFICANT_DIGITS`: the column's unit, else the row's in tables
    with a ``unit`` or ``metric`` column); a value with an uncertainty column
    (:func:`uncertainty_partner`) at the decimals of its uncertainty rounded
    to :data:`UNCERTAINTY_DIGITS` significant digits.

    Parameters
    ----------
    frame : pandas.DataFrame
        Machine names (the index is not a cell: reset it first).

    Returns
    -------
    pandas.DataFrame
        Same shape and labels; an int per finite float cell, None elsewhere.
    """
    columns = list(frame.columns)
    rows = _row_units(frame)
    cells = [np.full(len(frame), None, dtype=object) for _ in columns]
    for j, column in enumerate(columns):
        mask, numbers = _float_cells(frame.iloc[:, j])
        if not mask.any():
            continue
        places = _significant_decimals_array(
            numbers, _column_digits(frame, column, rows)
        )
        cells[j][mask] = places[mask].tolist()
    for j, column in enumerate(columns):
        partner = uncertainty_partner(column, columns)
        if partner is None:
            continue
        k = columns.index(partner)
        shared = _uncertainty_decimals_column(frame.iloc[:, j])
        known = np.array([value is not None for value in shared], dtype=bool)
        cells[j][known] = shared[known]
        valued = np.array([value is not None for value in cells[k]], dtype=bool)
        cells[k][known & valued] = shared[known & valued]
    decimals = pd.DataFrame(dict(enumerate(cells)), index=frame.index, dtype=object)
    decimals.columns = frame.columns
    return decimals


def _uncertainty_decimals_column(values: pd.Series) -> np.ndarray:
    """
    :func:`_uncertainty_decimals` of every cell (object array, None where
    there is none): vectorised for a float column, the exact scalar rule
    only near a power of ten, where rounding can add a digit (0.0996 ->
    0.10).
    """
    if not pd.api.types.is_float_dtype(values.dtype):
        return np.array([_uncertainty_decimals(sd) for sd in values], dtype=object)
    size = np.abs(values.to_numpy(dtype=float))
    out = np.full(size.size, None, dtype=object)
    valid = np.isfinite(size) & (size > 0)
    if not valid.any():
        return out
    decimals = UNCERTAINTY_DIGITS - 1 - np.floor(np.log10(size[valid])).astype(int)
    scaled = size[valid] * 10.0 ** decimals.astype(float)
    # Rounding reaches the next power of ten only from ≥ 10**digits − 0.5.
    near = scaled >= 10.0**UNCERTAINTY_DIGITS - 0.6
    places = decimals.astype(object)
    if near.any():
        where = np.flatnonzero(valid)[near]
        places[near] = [_uncertainty_decimals(size[i]) for i in where]
    out[valid] = places
    return out


def _round_array(numbers: np.ndarray, places: np.ndarray) -> np.ndarray:
    """
    Numbers rounded to their places, halves away from zero as printed.

    The vector form of :func:`round_half_up`: a value whose shortest repr is
    a tie (2.675 is 267.4999… × 0.01 in binary) is nudged by 8 units in the
    last place before the floor, so both give 2.68.
    """
    places = places.astype(float)
    up, down = 10.0 ** np.maximum(places, 0), 10.0 ** np.maximum(-places, 0)
    scaled = np.abs(numbers) * up / down
    nudge = scaled * 8 * np.finfo(float).eps
    return np.sign(numbers) * np.floor(scaled + 0.5 + nudge) * down / up


def human_table(frame: pd.DataFrame, rounded: bool = True) -> pd.DataFrame:
    """
    A table as a reader reads it: labelled headers, values rounded.

    Parameters
    ----------
    frame : pandas.DataFrame
        Machine names and full-precision values; a named index becomes the
        first column.
    rounded : bool
        Round every float to :func:`table_decimals` (shown tables); False
        keeps full precision (CSV for Origin and scripts).

    Returns
    -------
    pandas.DataFrame
        A new frame with a plain index; numbers stay numbers.

    Examples
    --------
    >>> table = pd.DataFrame({"T50_h": [8.172115], "T50_uncertainty_h": [0.03354]})
    >>> human_table(table).to_dict("records")
    [{'T50 [h]': 8.172, '± T50 [h]': 0.034}]
    """
    table = _with_index(frame)
    if rounded:
        decimals = table_decimals(table)
        table = table.copy()
        for j in range(table.shape[1]):
            places = decimals.iloc[:, j]
            mask = places.notna().to_numpy()
            if not mask.any():
                continue
            _, numbers = _float_cells(table.iloc[:, j])
            rounded_values = _round_array(
                numbers[mask], places[mask].to_numpy(dtype=float)
            )
            if pd.api.types.is_float_dtype(table.dtypes.iloc[j]):
                numbers[mask] = rounded_values
                table.iloc[:, j] = numbers
            else:
                cells = table.iloc[:, j].to_numpy(dtype=object, copy=True)
                cells[mask] = rounded_values.tolist()
                table.iloc[:, j] = cells
    table = _labelled_values(table)
    table.columns = _labels(table.columns)
    return table
