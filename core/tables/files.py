"""
Tables as files: CSV for Origin and scripts (every digit), .xlsx for Excel
(every digit, shown as the page shows it).
"""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd

from core.tables.labels import _labelled_values, _labels
from core.tables.precision import _is_float, _with_index, human_table, table_decimals

__all__ = ["plain_csv", "csv_bytes", "xlsx_bytes"]

#: First characters that make a spreadsheet read a text cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value):
    """Text a spreadsheet shows as text (OWASP: CSV injection), numbers as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _float_text(value):
    """A float as its shortest round-trip text (None when missing)."""
    if _is_float(value):
        return repr(float(value)) if not math.isnan(value) else None
    return value


def _full_precision(frame: pd.DataFrame) -> pd.DataFrame:
    """
    Floats as their shortest round-trip text, whatever numpy's print options.

    colour-science sets ``numpy.set_printoptions(legacy="1.13")`` on import;
    from then on ``str()`` of a float64 keeps 12 significant digits, and
    pandas' CSV writer with it. ``repr(float(v))`` keeps every digit.
    """
    out = frame.copy()
    for j in range(out.shape[1]):
        values = out.iloc[:, j]
        if pd.api.types.is_float_dtype(values.dtype) or values.dtype == object:
            out[out.columns[j]] = pd.Series(
                [_float_text(v) for v in values], index=out.index, dtype=object
            )
    return out


def plain_csv(frame: pd.DataFrame) -> str:
    """
    A table as CSV with its machine names and full precision (the CLI's
    ``--format csv``): no index, missing values empty.

    Examples
    --------
    >>> table = pd.DataFrame({"t50_h": [0.02625920629901049, None], "n": [1, 2]})
    >>> print(plain_csv(table), end="")
    t50_h,n
    0.02625920629901049,1
    ,2
    """
    return _full_precision(frame).to_csv(index=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """
    A table as CSV for Excel and Origin: labelled headers, full precision.

    UTF-8 with a byte-order mark (Excel then reads "²", "±", "Δ" right);
    missing values are empty; text that a spreadsheet would take for a
    formula starts with an apostrophe.
    """
    table = _full_precision(human_table(frame, rounded=False))
    table.columns = [_safe_text(c) for c in table.columns]
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column].dtype):
            table[column] = table[column].map(_safe_text)
    return table.to_csv(index=False).encode("utf-8-sig")


def _cell_value(value):
    """A Python value openpyxl writes: numbers, text, bools; None if missing."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if _is_float(value):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(_cell_value(v)) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return str(value)


def _number_format(places) -> str:
    if places is None or pd.isna(places) or int(places) <= 0:
        return "0"
    return "0." + "0" * int(places)


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "table") -> bytes:
    """
    A table as an Excel workbook.

    Numbers stay numbers at full precision; each cell's number format shows
    it as the page does (:func:`table_decimals`). Headers are labelled
    (:func:`column_label`), bold and frozen; text is always text (a cell
    starting with "=" is never a formula).

    Parameters
    ----------
    frame : pandas.DataFrame
    sheet : str
        Worksheet name (cut to Excel's 31 characters).

    Returns
    -------
    bytes
        An .xlsx file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table = _labelled_values(_with_index(frame))
    decimals = table_decimals(table)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "table"
    labels = _labels(table.columns)
    worksheet.append(labels)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    widths = [len(label) for label in labels]
    for i in range(len(table)):
        for j in range(table.shape[1]):
            value = _cell_value(table.iat[i, j])
            cell = worksheet.cell(row=i + 2, column=j + 1, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                widths[j] = max(widths[j], min(len(value), 50))
            elif isinstance(value, float):
                cell.number_format = _number_format(decimals.iat[i, j])
                widths[j] = max(widths[j], 10)
    for j, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(j)].width = width + 2
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
