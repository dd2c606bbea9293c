"""
Plain tables of spectra: wide, long or headerless, with no instrument header.

- Wide: a wavelength column, then one column per spectrum; the column
  headers may give the series axis (``t = 0 h``, ``3.0 V``).
- Long: an axis column, a wavelength column and an intensity column
  (:mod:`core.io.long_table`), recognised by the headers or, without a
  header, by the layout.
- Headerless matrix: intensities only, on a wavelength grid the user gives;
  all-zero filler columns are dropped, a row of numbers above the spectra
  with a blank corner is the axis.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from core.errors import InputError
from core.io.axis import (
    SERIES_HEADER,
    SERIES_QUANTITIES,
    axis_from_headers,
    quantity_of_name,
)
from core.io.columns import identify_column, wavelength_factor
from core.io.long_table import headerless_long, long_table
from core.io.messages import listing, plural
from core.io.parsed import ParsedSpectra
from core.io.quantity import columns_quantity
from core.io.text import read_numeric_table
from core.io.validation import (
    MIN_WAVELENGTHS,
    is_grid,
    is_monotonic,
    too_few_wavelengths,
)

__all__ = ["parse_table"]


def _clean_header(cell: str) -> str:
    return cell.strip().strip('"').strip()


def _check_all_nan_columns(
    values, columns, headers, name: str, first_line: int
) -> None:
    for column in columns:
        if not np.any(np.isfinite(values[:, column])):
            label = headers[column] if column < len(headers) else ""
            where = f"column {column + 1}" + (f" '{label}'" if label else "")
            raise InputError(
                f"{name}, {where}: holds no numbers (every cell from line "
                f"{first_line} on is blank, NaN or Inf); expected one intensity per "
                "wavelength. Remove the column or fill it.",
                source=name,
                column=label or column + 1,
            )


def _columns(values: np.ndarray, columns: list[int]) -> np.ndarray:
    """``values[:, columns]``, as a view when the columns are adjacent."""
    if columns == list(range(columns[0], columns[-1] + 1)):
        return values[:, columns[0] : columns[-1] + 1]
    return values[:, columns]


def _long_by_headers(values, lines, headers, name) -> ParsedSpectra | None:
    """A long table when the headers name a wavelength and an axis column."""
    specs = [identify_column(h) for h in headers]
    wavelength_cols = [j for j, s in enumerate(specs) if s.quantity == "wavelength"]
    axis_cols = []
    for j, header in enumerate(headers):
        if j in wavelength_cols or SERIES_HEADER.match(header):
            continue
        quantity = quantity_of_name(re.sub(r"[\(\[].*", "", header))
        if quantity is None and specs[j].quantity in SERIES_QUANTITIES:
            quantity = specs[j].quantity
        if quantity in SERIES_QUANTITIES:
            axis_cols.append((j, quantity))
    if not (wavelength_cols and axis_cols):
        return None
    j, quantity = axis_cols[0]
    return long_table(values, lines, headers, name, wavelength_cols[0], j, quantity)


def _headerless_long_table(values, lines, name) -> ParsedSpectra:
    parsed = long_table(values, lines, ["", "", ""], name, 1, 0, None)
    return replace(
        parsed,
        notes=parsed.notes
        + (
            "the table has no header; it was read as a long table with the "
            "series axis in column 1 and wavelengths in column 2.",
        ),
    )


def _axis_row(values, lines, has_header: bool):
    """Numbers above the spectra with a blank (or 0) corner: an axis row."""
    if not (
        not has_header
        and values.shape[1] >= 2
        and values.shape[0] >= MIN_WAVELENGTHS + 1
        and (not np.isfinite(values[0, 0]) or values[0, 0] == 0)
        and np.all(np.isfinite(values[0, 1:]))
        and is_grid(values[1:, 0])
    ):
        return None, values, lines, []
    note = (
        f"line {lines[0]} read as the axis values of the spectra (numbers above "
        "the spectrum columns, corner cell blank or 0)."
    )
    return values[0, 1:].copy(), values[1:], lines[1:], [note]


def _grid_is_users(values, headers, has_header, wavelength_nm, name):
    """
    Whether the wavelengths come from the grid the user gave (True) or from
    the first column (False), with notes.
    """
    if wavelength_nm is None:
        if not has_header and not is_monotonic(values[:, 0]):
            column = values[:, 0]
            finite = column[np.isfinite(column)]
            shown = ", ".join(f"{v:g}" for v in finite[:3])
            raise InputError(
                f"{name}: the table has no header and its first column is not a "
                f"wavelength grid (it starts {shown}, neither increasing nor "
                "decreasing); expected wavelengths in nm in the first column. If "
                "the file holds only intensities, give the wavelength grid it was "
                "recorded on (first, last and step in nm).",
                source=name,
            )
        return False, []
    grid = np.asarray(wavelength_nm, dtype=float).ravel()
    if has_header and identify_column(headers[0]).quantity == "wavelength":
        note = (
            "the wavelength grid given was not used: the file has its own "
            f"wavelength column '{headers[0]}'."
        )
        return False, [note]
    if grid.size != values.shape[0]:
        raise InputError(
            f"{name}: the wavelength grid given has {grid.size} values but the "
            f"file has {values.shape[0]} data rows; expected one row per "
            "wavelength. Check the first, last and step of the grid.",
            source=name,
        )
    return not bool(np.allclose(values[:, 0], grid, rtol=0, atol=1e-6)), []


def _wavelengths(values, headers, grid_from_user: bool, wavelength_nm, name):
    """Wavelengths, the spectrum columns and notes."""
    width = values.shape[1]
    if grid_from_user:
        wavelength = np.asarray(wavelength_nm, dtype=float).ravel()
        columns = list(range(width))
        notes = [
            f"wavelengths from the grid given ({wavelength[0]:g}-{wavelength[-1]:g} "
            f"nm, {wavelength.size} values), not from the file."
        ]
    else:
        factor, factor_note = wavelength_factor(headers[0])
        notes = [factor_note] if factor_note else []
        wavelength = values[:, 0] * factor
        columns = list(range(1, width))
    if not columns:
        raise InputError(
            f"{name}: found only a wavelength column; expected at least one column "
            "of intensities next to it.",
            source=name,
        )
    return wavelength, columns, notes


def _without_filler(values, columns: list[int], axis_row):
    """Drop all-zero columns (acquisition filler) of a headerless matrix."""
    zero = [j for j in columns if np.all(values[:, j] == 0)]
    if not zero or len(zero) == len(columns):
        return columns, axis_row, []
    columns = [j for j in columns if j not in zero]
    note = (
        f"{'column' if len(zero) == 1 else 'columns'} "
        f"{listing(j + 1 for j in zero)} hold only zeros (filler written by "
        "the acquisition program, not spectra) and "
        f"{'was' if len(zero) == 1 else 'were'} dropped."
    )
    if axis_row is not None:
        axis_row = np.array([axis_row[j - 1] for j in columns])
    return columns, axis_row, [note]


def _axis(headers, columns, axis_row, has_header: bool):
    """Axis values, quantity, unit and notes of a wide table or matrix."""
    if axis_row is not None:
        return axis_row, None, "", []
    if has_header:
        return axis_from_headers([headers[j] for j in columns], headers[0])
    notes = []
    if len(columns) > 1:
        notes.append(
            f"the table has no header: the {len(columns)} spectra are numbered 0 to "
            f"{len(columns) - 1}; give axis values to use voltages or times."
        )
    return None, None, "", notes


def _preamble_note(preamble: dict) -> list[str]:
    if not preamble:
        return []
    return [
        "lines above the table kept as metadata, not data: "
        + "; ".join(f"{k}: {v}" for k, v in list(preamble.items())[:6])
        + ("; ..." if len(preamble) > 6 else "")
        + "."
    ]


def parse_table(text: str, name: str, wavelength_nm=None) -> ParsedSpectra:
    """Wide, long or headerless table (no instrument header)."""
    table = read_numeric_table(
        text, name, min_columns=1 if wavelength_nm is not None else 2
    )
    values, lines = table.values, table.line_numbers
    width = values.shape[1]
    if values.shape[0] < MIN_WAVELENGTHS and wavelength_nm is None:
        raise too_few_wavelengths(name, values.shape[0])
    headers = [_clean_header(h) for h in table.header]
    named = sum(bool(h) for h in headers)
    has_header = table.header_line is not None and named >= max(1, width - 1)
    if not has_header:
        headers = [""] * width
    if has_header and width >= 3:
        long = _long_by_headers(values, lines, headers, name)
        if long is not None:
            return long
    if not has_header and wavelength_nm is None and headerless_long(values):
        return _headerless_long_table(values, lines, name)
    axis_row, values, lines, notes = _axis_row(values, lines, has_header)
    grid_from_user, grid_notes = _grid_is_users(
        values, headers, has_header, wavelength_nm, name
    )
    notes += grid_notes
    wavelength, columns, wavelength_notes = _wavelengths(
        values, headers, grid_from_user, wavelength_nm, name
    )
    notes += wavelength_notes
    if not has_header:
        columns, axis_row, filler_notes = _without_filler(values, columns, axis_row)
        notes += filler_notes
    columns, intensity_kind, intensity_unit, quantity_notes = columns_quantity(
        headers, columns, table.preamble
    )
    notes += quantity_notes
    _check_all_nan_columns(values, columns, headers, name, int(lines[0]))
    axis, quantity, unit, axis_notes = _axis(headers, columns, axis_row, has_header)
    notes += axis_notes + _preamble_note(table.preamble)
    kind = "a headerless matrix" if not has_header else "a wide table"
    notes.insert(
        0,
        f"read as {kind}: {plural(len(columns), 'spectrum')} in columns, "
        f"{plural(values.shape[0], 'row')}.",
    )
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=_columns(values, columns).T,
        line_numbers=lines,
        fmt=kind,
        axis=axis,
        axis_name=quantity if axis is not None else None,
        axis_unit=unit,
        notes=tuple(notes),
        grid_from_user=grid_from_user,
        intensity_quantity=intensity_kind,
        intensity_unit=intensity_unit,
    )
