"""
Readers for emission spectra and spectral series.

Two entry points, both returning a :class:`~core.models.SpectralSeries`:

- :func:`read_spectral_series` reads one file holding one or many spectra and
  recognises its layout from the content: a wide table (wavelength column,
  one column per spectrum), a long table (axis, wavelength, intensity), a
  headerless matrix on a wavelength grid given by the user, an instrument
  export (SpectraSuite, OceanView, SpectraWiz, AvaSoft, SpectraWin), a
  transposed time series, or an Excel workbook (by its ``.xlsx`` extension).
- :func:`read_spectra_files` combines several single-spectrum files into one
  series, ordered by a number in the file names, by the time stamps inside
  the files, or as given.

Whatever the layout, the wavelengths are validated the same way: values in
:data:`WAVELENGTH_RANGE_NM`, rows with a missing value dropped, at least
:data:`MIN_WAVELENGTHS` wavelengths, ascending order (a descending grid is
reversed), no repeated wavelength. Everything the reader did that changes
what the user sees is written to ``SpectralSeries.notes``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath

import numpy as np
import openpyxl

from core.errors import InputError
from core.io.columns import identify_column
from core.io.instruments import (
    ParsedSpectra,
    clock_elapsed_h,
    is_clock_time,
    parse_instrument,
)
from core.io.text import check_workbook, decode_text, read_numeric_table
from core.models import AXIS_DEFAULT_UNITS, AXIS_NAMES, SpectralSeries

__all__ = [
    "wavelength_grid",
    "WAVELENGTH_RANGE_NM",
    "MIN_WAVELENGTHS",
    "read_spectral_series",
    "read_spectra_files",
]

#: Wavelengths a spectrometer column may hold. [nm] UV-enhanced silicon arrays
#: (Ocean Optics Maya/HR, Avantes) start at 165-190 nm and extended InGaAs
#: arrays end near 2500 nm; values outside this band are not wavelengths in nm.
WAVELENGTH_RANGE_NM = (150.0, 2600.0)

#: Fewest wavelengths a spectrum may have: fewer cannot give a peak and a width.
MIN_WAVELENGTHS = 5

_SERIES_QUANTITIES = ("time", "voltage", "current_density", "temperature")
_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_SERIES_HEADER = re.compile(
    rf"^\s*(?:(?P<name>[^\d=:@]*?)\s*[=:@]\s*)?(?P<number>{_NUMBER})\s*"
    r"(?P<unit>[^\s\d][^\s]*)?\s*$"
)
# Looser: a number with a known unit anywhere in the header ("EL_3.0V",
# "spectrum @ 4.5 V (a.u.)"); used only when every header has exactly one.
_SERIES_HEADER_LOOSE = re.compile(
    r"(?<![\d.,])(?P<number>[+-]?\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>mA/cm2|mA/cm²|mV|V|min|h|hr|s|°C|K)(?![A-Za-z0-9])"
)
_UNIT_QUANTITY = {
    **dict.fromkeys(
        ("s", "sec", "min", "h", "hr", "hrs", "hour", "hours", "ms"), "time"
    ),
    **dict.fromkeys(("v", "mv"), "voltage"),
    **dict.fromkeys(
        ("ma/cm2", "a/cm2", "a/m2", "ma/m2", "ua/cm2", "µa/cm2"), "current_density"
    ),
    **dict.fromkeys(("°c", "degc", "c", "k"), "temperature"),
}
_INTENSITY_HEADER = re.compile(
    r"intens|count|signal|irrad|radian|flux|power|\bel\b|\bpl\b|emission|spectr|"
    r"\bcps\b|a\.?u\.?",
    re.I,
)
_MAX_LISTED = 8


# --- small helpers ------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {'spectra' if word == 'spectrum' else word + 's'}"


def _listing(values, limit: int = _MAX_LISTED) -> str:
    items = [str(v) for v in values]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return ", ".join(items)


def _clean_header(cell: str) -> str:
    return cell.strip().strip('"').strip()


def _bracket_unit(text: str) -> str:
    match = re.search(r"[\(\[]([^\)\]]*)[\)\]]", text)
    return match.group(1).strip() if match else ""


def _normal_unit(unit: str) -> str:
    unit = unit.strip().strip("()[]").lower().replace(" ", "")
    return unit.replace("²", "2").replace("^", "").replace("μ", "µ")


def _quantity_of_name(name: str) -> str | None:
    text = name.strip()
    if not text:
        return None
    if text == "T" or re.search(r"temp", text, re.I):
        return "temperature"
    lower = text.lower()
    if lower in ("t", "time") or re.search(
        r"\btime\b|elapsed|duration|aging|ageing", lower
    ):
        return "time"
    if lower in ("v", "u") or re.search(r"volt|bias", lower):
        return "voltage"
    if lower == "j" or re.search(r"current dens", lower):
        return "current_density"
    return None


def _unit_factor(quantity: str, unit: str) -> float | None:
    """Factor to the internal unit of ``quantity`` (h, V, mA/cm²); None if unknown."""
    label = {
        "time": "time",
        "voltage": "voltage",
        "current_density": "current density",
    }.get(quantity)
    if label is None or not unit:
        return None
    spec = identify_column(f"{label} ({unit})")
    return spec.factor if spec.quantity == quantity else None


def _is_grid(values: np.ndarray) -> bool:
    """Strictly monotonic, finite and inside :data:`WAVELENGTH_RANGE_NM`."""
    if values.size < 2 or not np.all(np.isfinite(values)):
        return False
    steps = np.diff(values)
    low, high = WAVELENGTH_RANGE_NM
    return bool(
        (np.all(steps > 0) or np.all(steps < 0))
        and values.min() >= low
        and values.max() <= high
    )


def _is_monotonic(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return False
    steps = np.diff(finite)
    return bool(np.all(steps > 0) or np.all(steps < 0))


# --- wide-table axis from the column headers ----------------------------------


def _axis_hint_from_first_header(cell: str) -> tuple[str | None, str]:
    """``Wavelength (nm) / time (h)`` or ``time (h)`` -> ("time", "h")."""
    rest = re.sub(
        r"(wave\w*|lambda|λ|\bwl\b)\s*([\(\[][^\)\]]*[\)\]])?", " ", cell, flags=re.I
    )
    rest = re.sub(r"^\s*[/\\|,;]+|[/\\|,;]+\s*$", " ", rest).strip(" /\\|")
    if not rest:
        return None, ""
    name_part = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", rest)
    quantity = None
    for word in re.split(r"[/\\|,;]", name_part):
        quantity = _quantity_of_name(word)
        if quantity:
            break
    return quantity, _bracket_unit(rest)


def _axis_from_headers(
    headers: list[str], first_header: str
) -> tuple[np.ndarray | None, str | None, str, list[str]]:
    """
    Series axis from the headers of the spectrum columns.

    Returns values (None when the headers are not all numbers), quantity,
    unit as written (converted to the internal unit when units are mixed)
    and notes.
    """
    notes: list[str] = []
    if len(headers) > 1 and all(is_clock_time(h) for h in headers):
        hours, wraps = clock_elapsed_h(headers)
        notes.append(
            "the spectrum column headers are clock times: time counted from "
            f"{headers[0]}, in h"
            + (f"; the clock passes midnight {wraps} time(s)." if wraps else ".")
        )
        return hours, "time", "h", notes
    parsed = [_SERIES_HEADER.match(h) for h in headers]
    if headers and any(m is None for m in parsed):
        loose = [list(_SERIES_HEADER_LOOSE.finditer(h)) for h in headers]
        if all(len(found) == 1 for found in loose):
            parsed = [found[0] for found in loose]
    if not headers or any(m is None for m in parsed):
        if len(headers) > 1:
            bad = next(
                (h for h, m in zip(headers, parsed, strict=True) if m is None), ""
            )
            notes.append(
                f"the spectrum column headers are not numbers (e.g. '{bad}'), so the "
                f"spectra are numbered 0 to {len(headers) - 1}; give axis values to "
                "use times or voltages."
            )
        return None, None, "", notes
    values = np.array(
        [float(m.group("number").replace(",", ".")) for m in parsed], dtype=float
    )
    units = [(m.group("unit") or "").strip("()[]") for m in parsed]
    names = [(m.groupdict().get("name") or "").strip() for m in parsed]
    quantities = {_UNIT_QUANTITY.get(_normal_unit(u)) for u in units if u}
    quantities |= {_quantity_of_name(n) for n in names if n}
    quantities.discard(None)
    hint_quantity, hint_unit = _axis_hint_from_first_header(first_header)
    if not quantities and hint_quantity:
        quantities = {hint_quantity}
    if len(quantities) > 1:
        notes.append(
            "the spectrum column headers mix quantities ("
            + ", ".join(sorted(quantities))
            + "); their numbers are used without a unit."
        )
        return values, None, "", notes
    quantity = quantities.pop() if quantities else None
    distinct_units = {u for u in units if u}
    if not distinct_units:
        unit = hint_unit
    elif len(distinct_units) == 1:
        unit = distinct_units.pop()
    else:
        factors = [_unit_factor(quantity or "", u) for u in units]
        if quantity is None or any(f is None for f in factors):
            notes.append(
                "the spectrum column headers use units that cannot be converted to "
                "one another (" + ", ".join(sorted(distinct_units)) + "); their "
                "numbers are used as written, without a unit."
            )
            return values, quantity, "", notes
        values = values * np.array(factors)
        unit = {"time": "h", "voltage": "V", "current_density": "mA/cm²"}[quantity]
        notes.append(
            "the spectrum column headers use different units ("
            + ", ".join(sorted(distinct_units))
            + f"); all were converted to {unit}."
        )
    if quantity is None:
        notes.append(
            "the spectrum column headers are numbers without a quantity or unit; "
            "give the axis name and unit to label them."
        )
    return values, quantity, unit, notes


# --- the plain-table reader ---------------------------------------------------


def _wavelength_factor(header: str) -> tuple[float, str | None]:
    spec = identify_column(header)
    if spec.quantity == "wavelength" and spec.factor not in (None, 1.0):
        return float(spec.factor), (
            f"wavelengths converted from {spec.unit} to nm (header '{header}')."
        )
    return 1.0, None


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


def _long_table(
    values, lines, headers, name, wavelength_col, axis_col, axis_quantity
) -> ParsedSpectra:
    """Pivot a long (axis, wavelength, intensity) table onto one grid."""
    notes: list[str] = []
    others = [j for j in range(values.shape[1]) if j not in (wavelength_col, axis_col)]
    preferred = [j for j in others if _INTENSITY_HEADER.search(headers[j] or "")]
    intensity_col = (preferred or others)[0]
    ignored = [j for j in others if j != intensity_col]
    if ignored:
        notes.append(
            "long table: intensity read from column "
            f"{intensity_col + 1} '{headers[intensity_col]}'; columns "
            + _listing(f"{j + 1} '{headers[j]}'" for j in ignored)
            + " were not used."
        )
    factor, factor_note = _wavelength_factor(headers[wavelength_col])
    if factor_note:
        notes.append(factor_note)
    axis = values[:, axis_col]
    wavelength = values[:, wavelength_col] * factor
    intensity = values[:, intensity_col]
    finite = np.isfinite(axis) & np.isfinite(wavelength) & np.isfinite(intensity)
    if not finite.all():
        dropped = lines[~finite]
        notes.append(
            f"dropped {_plural(int(dropped.size), 'row')} with a missing, NaN or Inf "
            f"value (lines {_listing(dropped)})."
        )
        axis, wavelength, intensity, lines = (
            axis[finite],
            wavelength[finite],
            intensity[finite],
            lines[finite],
        )
    if wavelength.size == 0:
        raise _too_few_wavelengths(name, 0, all_blank=True)
    _check_range(wavelength, lines, name)
    axis_label = headers[axis_col] or "axis"
    keys, first_index, inverse = np.unique(axis, return_index=True, return_inverse=True)
    groups = [np.flatnonzero(inverse == k) for k in np.argsort(first_index)]
    ordered_keys = keys[np.argsort(first_index)]
    grids, spectra, reversed_any = [], [], False
    for key, index in zip(ordered_keys, groups, strict=True):
        order = np.argsort(wavelength[index], kind="stable")
        if not np.array_equal(order, np.arange(index.size)):
            reversed_any = True
        index = index[order]
        grid = wavelength[index]
        repeated = np.flatnonzero(np.diff(grid) == 0)
        if repeated.size:
            k = repeated[0]
            raise InputError(
                f"{name}, line {lines[index[k + 1]]}: wavelength {grid[k]:g} nm "
                f"appears twice for {axis_label} = {key:g} (first at line "
                f"{lines[index[k]]}); expected each wavelength once per spectrum. "
                "Remove the repeated row.",
                source=name,
                line=int(lines[index[k + 1]]),
            )
        if grid.size < MIN_WAVELENGTHS:
            raise InputError(
                f"{name}: the spectrum at {axis_label} = {key:g} has "
                f"{_plural(grid.size, 'wavelength')}, expected at least "
                f"{MIN_WAVELENGTHS}; each spectrum of a long table needs its own rows.",
                source=name,
            )
        grids.append((grid, lines[index]))
        spectra.append(intensity[index])
    if reversed_any:
        notes.append("long table: rows sorted by wavelength within each spectrum.")
    reference, reference_lines = grids[0]
    step = float(np.median(np.diff(reference)))
    interpolated = []
    rows = []
    for key, (grid, _), spectrum in zip(ordered_keys, grids, spectra, strict=True):
        if grid.size == reference.size and np.allclose(
            grid, reference, rtol=0, atol=1e-6
        ):
            rows.append(spectrum)
            continue
        if grid[0] > reference[0] + step / 2 or grid[-1] < reference[-1] - step / 2:
            raise InputError(
                f"{name}: the spectrum at {axis_label} = {key:g} covers "
                f"{grid[0]:g}-{grid[-1]:g} nm but the first spectrum covers "
                f"{reference[0]:g}-{reference[-1]:g} nm; a long table needs one "
                "wavelength grid for all spectra (grids that differ slightly are "
                "interpolated). Export the spectra on one grid.",
                source=name,
            )
        rows.append(np.interp(reference, grid, spectrum))
        interpolated.append(f"{key:g}")
    if interpolated:
        notes.append(
            f"long table: {_plural(len(interpolated), 'spectrum')} on a slightly "
            f"different wavelength grid ({axis_label} = {_listing(interpolated)}) "
            "interpolated linearly onto the grid of the first spectrum."
        )
    notes.insert(
        0,
        f"read as a long table: {_plural(len(rows), 'spectrum')} with "
        f"'{axis_label}' as the axis, wavelengths from column {wavelength_col + 1}.",
    )
    return ParsedSpectra(
        wavelength_nm=reference,
        intensity=np.vstack(rows),
        line_numbers=reference_lines,
        fmt="a long table",
        axis=ordered_keys.astype(float),
        axis_name=axis_quantity,
        axis_unit=_bracket_unit(headers[axis_col])
        or (re.search(r"_([A-Za-z/%µ0-9]+)$", headers[axis_col]) or [None, ""])[1],
        notes=tuple(notes),
    )


def _headerless_long(values: np.ndarray) -> bool:
    if values.shape[1] != 3 or values.shape[0] < 2 * MIN_WAVELENGTHS:
        return False
    first = values[:, 0][np.isfinite(values[:, 0])]
    second = values[:, 1][np.isfinite(values[:, 1])]
    if first.size < 2 or second.size < 2:
        return False
    steps = np.diff(first)
    unique = np.unique(first).size
    low, high = WAVELENGTH_RANGE_NM
    return bool(
        (np.all(steps >= 0) or np.all(steps <= 0))
        and 2 <= unique <= first.size // MIN_WAVELENGTHS
        and second.min() >= low
        and second.max() <= high
        and np.unique(second).size < second.size
    )


def _parse_table(text: str, name: str, wavelength_nm=None) -> ParsedSpectra:
    """Wide, long or headerless table (no instrument header)."""
    table = read_numeric_table(
        text, name, min_columns=1 if wavelength_nm is not None else 2
    )
    values, lines = table.values, table.line_numbers
    width = values.shape[1]
    if values.shape[0] < MIN_WAVELENGTHS and wavelength_nm is None:
        raise _too_few_wavelengths(name, values.shape[0])
    headers = [_clean_header(h) for h in table.header]
    named = sum(bool(h) for h in headers)
    has_header = table.header_line is not None and named >= max(1, width - 1)
    notes: list[str] = []
    if not has_header:
        headers = [""] * width

    # Long table: an axis column and a wavelength column, by their headers.
    if has_header and width >= 3:
        specs = [identify_column(h) for h in headers]
        wavelength_cols = [j for j, s in enumerate(specs) if s.quantity == "wavelength"]
        axis_cols = []
        for j, header in enumerate(headers):
            if j in wavelength_cols or _SERIES_HEADER.match(header):
                continue
            quantity = _quantity_of_name(re.sub(r"[\(\[].*", "", header))
            if quantity is None and specs[j].quantity in _SERIES_QUANTITIES:
                quantity = specs[j].quantity
            if quantity in _SERIES_QUANTITIES:
                axis_cols.append((j, quantity))
        if wavelength_cols and axis_cols:
            j, quantity = axis_cols[0]
            return _long_table(
                values, lines, headers, name, wavelength_cols[0], j, quantity
            )
    if not has_header and wavelength_nm is None and _headerless_long(values):
        headers = ["", "", ""]
        parsed = _long_table(values, lines, headers, name, 1, 0, None)
        return replace(
            parsed,
            notes=parsed.notes
            + (
                "the table has no header; it was read as a long table with the "
                "series axis in column 1 and wavelengths in column 2.",
            ),
        )

    # Numbers above the spectra with a blank (or 0) corner: an axis row.
    axis_row = None
    if (
        not has_header
        and width >= 2
        and values.shape[0] >= MIN_WAVELENGTHS + 1
        and (not np.isfinite(values[0, 0]) or values[0, 0] == 0)
        and np.all(np.isfinite(values[0, 1:]))
        and _is_grid(values[1:, 0])
    ):
        axis_row = values[0, 1:].copy()
        notes.append(
            f"line {lines[0]} read as the axis values of the spectra (numbers above "
            "the spectrum columns, corner cell blank or 0)."
        )
        values, lines = values[1:], lines[1:]

    grid_from_user = False
    first_is_wavelength = True
    if wavelength_nm is not None:
        grid = np.asarray(wavelength_nm, dtype=float).ravel()
        header_says = (
            has_header and identify_column(headers[0]).quantity == "wavelength"
        )
        if header_says:
            notes.append(
                "the wavelength grid given was not used: the file has its own "
                f"wavelength column '{headers[0]}'."
            )
        else:
            if grid.size != values.shape[0]:
                raise InputError(
                    f"{name}: the wavelength grid given has {grid.size} values but the "
                    f"file has {values.shape[0]} data rows; expected one row per "
                    "wavelength. Check the first, last and step of the grid.",
                    source=name,
                )
            first_is_wavelength = bool(
                np.allclose(values[:, 0], grid, rtol=0, atol=1e-6)
            )
            grid_from_user = not first_is_wavelength
    elif not has_header and not _is_monotonic(values[:, 0]):
        column = values[:, 0]
        finite = column[np.isfinite(column)]
        shown = ", ".join(f"{v:g}" for v in finite[:3])
        raise InputError(
            f"{name}: the table has no header and its first column is not a "
            f"wavelength grid (it starts {shown}, neither increasing nor "
            "decreasing); expected wavelengths in nm in the first column. If the "
            "file holds only intensities, give the wavelength grid it was recorded "
            "on (first, last and step in nm).",
            source=name,
        )

    if grid_from_user:
        wavelength = np.asarray(wavelength_nm, dtype=float).ravel()
        columns = list(range(width))
        notes.append(
            f"wavelengths from the grid given ({wavelength[0]:g}-{wavelength[-1]:g} "
            f"nm, {wavelength.size} values), not from the file."
        )
    else:
        factor, factor_note = _wavelength_factor(headers[0])
        if factor_note:
            notes.append(factor_note)
        wavelength = values[:, 0] * factor
        columns = list(range(1, width))
    if not columns:
        raise InputError(
            f"{name}: found only a wavelength column; expected at least one column of "
            "intensities next to it.",
            source=name,
        )

    if not has_header:
        zero = [j for j in columns if np.all(values[:, j] == 0)]
        if zero and len(zero) < len(columns):
            columns = [j for j in columns if j not in zero]
            notes.append(
                f"{'column' if len(zero) == 1 else 'columns'} "
                f"{_listing(j + 1 for j in zero)} hold only zeros (filler written by "
                "the acquisition program, not spectra) and "
                f"{'was' if len(zero) == 1 else 'were'} dropped."
            )
            if axis_row is not None:
                axis_row = np.array([axis_row[j - 1] for j in columns])
    _check_all_nan_columns(values, columns, headers, name, int(lines[0]))

    axis, quantity, unit = None, None, ""
    if axis_row is not None:
        axis = axis_row
    elif has_header:
        axis, quantity, unit, axis_notes = _axis_from_headers(
            [headers[j] for j in columns], headers[0]
        )
        notes.extend(axis_notes)
    elif len(columns) > 1:
        notes.append(
            f"the table has no header: the {len(columns)} spectra are numbered 0 to "
            f"{len(columns) - 1}; give axis values to use voltages or times."
        )
    if table.preamble:
        notes.append(
            "lines above the table kept as metadata, not data: "
            + "; ".join(f"{k}: {v}" for k, v in list(table.preamble.items())[:6])
            + ("; ..." if len(table.preamble) > 6 else "")
            + "."
        )
    kind = "a headerless matrix" if not has_header else "a wide table"
    notes.insert(
        0,
        f"read as {kind}: {_plural(len(columns), 'spectrum')} in columns, "
        f"{_plural(values.shape[0], 'row')}.",
    )
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=values[:, columns].T,
        line_numbers=lines,
        fmt=kind,
        axis=axis,
        axis_name=quantity if axis is not None else None,
        axis_unit=unit,
        notes=tuple(notes),
        grid_from_user=grid_from_user,
    )


# --- Excel --------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return re.sub(r"[\t\r\n]+", " ", str(value))


def _excel_text(data: bytes, name: str, sheet) -> tuple[str, str]:
    """A worksheet as tab-separated text (line n = spreadsheet row n)."""
    if not data:
        raise InputError(f"{name} is empty: expected an Excel workbook.", source=name)
    check_workbook(data, name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a bad file
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({type(error).__name__})"
            ": expected an .xlsx file saved by Excel or LibreOffice. Save it again as "
            ".xlsx, or export the sheet as CSV.",
            source=name,
        ) from None
    try:
        sheets = book.sheetnames
        if sheet is None:
            worksheet = book.worksheets[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(sheets):
                raise InputError(
                    f"{name} has {len(sheets)} sheet(s); sheet number {sheet} does not "
                    f"exist (sheets are numbered from 0: {_listing(sheets)}).",
                    source=name,
                )
            worksheet = book.worksheets[sheet]
        else:
            if sheet not in sheets:
                raise InputError(
                    f"{name} has no sheet '{sheet}'; its sheets are "
                    f"{_listing(repr(s) for s in sheets)}.",
                    source=name,
                )
            worksheet = book[sheet]
        rows = [
            "\t".join(_cell_text(v) for v in row)
            for row in worksheet.iter_rows(min_row=1, values_only=True)
        ]
        title = worksheet.title
    finally:
        book.close()
    text = "\n".join(rows)
    if not text.strip():
        raise InputError(
            f"{name}: sheet '{title}' is empty; expected a table of spectra.",
            source=name,
        )
    return text, f"read sheet '{title}' of the workbook; line numbers are sheet rows."


# --- validation ---------------------------------------------------------------


def _check_range(wavelength: np.ndarray, lines: np.ndarray, name: str) -> None:
    finite = np.isfinite(wavelength)
    low, high = WAVELENGTH_RANGE_NM
    outside = finite & ((wavelength < low) | (wavelength > high))
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        values = wavelength[finite]
        raise InputError(
            f"{name}, line {lines[first]}: the first column does not look like "
            f"wavelengths in nm: it holds {values.min():g} to {values.max():g} (line "
            f"{lines[first]}: {wavelength[first]:g}), expected values between "
            f"{low:g} and {high:g} nm. If the file holds no wavelengths, give the "
            "wavelength grid; if they are in µm, say so in the header "
            "('Wavelength (µm)').",
            source=name,
            line=int(lines[first]),
        )


def _too_few_wavelengths(name: str, count: int, all_blank: bool = False) -> InputError:
    hint = (
        " If the spectrum is written across one row, transpose it to one "
        "wavelength per row."
        if count == 1
        else ""
    )
    found = _plural(count, "wavelength")
    if all_blank:
        found = "0 wavelengths with a value (every row has a blank, NaN or Inf)"
    return InputError(
        f"{name}: found {found}, expected at least {MIN_WAVELENGTHS} (one per "
        f"row, wavelength first).{hint}",
        source=name,
    )


def _validated(parsed: ParsedSpectra, name: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Sorted, finite, unique wavelengths and their spectra, with notes."""
    notes = list(parsed.notes)
    wavelength = np.asarray(parsed.wavelength_nm, dtype=float)
    intensity = np.atleast_2d(np.asarray(parsed.intensity, dtype=float))
    lines = np.asarray(parsed.line_numbers)
    source = "the wavelength grid given" if parsed.grid_from_user else name
    if not parsed.grid_from_user:
        _check_range(wavelength, lines, name)
    good = np.isfinite(wavelength) & np.all(np.isfinite(intensity), axis=0)
    if not good.all():
        dropped = lines[~good]
        if good.any():
            notes.append(
                f"dropped {_plural(int(dropped.size), 'row')} with a missing, NaN or "
                f"Inf value (lines {_listing(dropped)})."
            )
        wavelength, intensity, lines = wavelength[good], intensity[:, good], lines[good]
    if wavelength.size < MIN_WAVELENGTHS:
        raise _too_few_wavelengths(name, int(wavelength.size), all_blank=not good.any())
    steps = np.diff(wavelength)
    if np.all(steps < 0):
        wavelength, intensity, lines = wavelength[::-1], intensity[:, ::-1], lines[::-1]
        notes.append(
            f"wavelengths were in descending order ({wavelength[-1]:g} to "
            f"{wavelength[0]:g} nm); the rows were reversed to ascending order."
        )
    elif np.any(steps < 0):
        order = np.argsort(wavelength, kind="stable")
        wavelength, intensity, lines = (
            wavelength[order],
            intensity[:, order],
            lines[order],
        )
        notes.append(
            "wavelengths were not in order; the rows were sorted by wavelength."
        )
    repeated = np.flatnonzero(np.diff(wavelength) == 0)
    if repeated.size:
        k = int(repeated[0])
        first, again = sorted((int(lines[k]), int(lines[k + 1])))
        raise InputError(
            f"{source}, line {again}: wavelength {wavelength[k]:g} nm appears again "
            f"(first at line {first}); expected each wavelength once. Remove the "
            "repeated row.",
            source=name,
            line=again,
        )
    return wavelength, intensity, notes


# --- reading one file ---------------------------------------------------------


def _parsed(data: bytes, name: str, *, wavelength_nm=None, sheet=None) -> ParsedSpectra:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("data must be the file content as bytes")
    data = bytes(data)
    suffix = PurePath(name).suffix.lower()
    # By content too: an .xlsx renamed .csv is read as the workbook it is, as
    # the J-V-L and lifetime readers do (check_workbook refuses other zips).
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        text, sheet_note = _excel_text(data, name, sheet)
        parsed = _parse_table(text, name, wavelength_nm)
        return replace(parsed, notes=(sheet_note, *parsed.notes))
    if suffix == ".xls":
        raise InputError(
            f"{name} is an old Excel .xls workbook, which cannot be read here; "
            "expected .xlsx or a text table. Save it again as .xlsx or CSV.",
            source=name,
        )
    text = decode_text(data, name)
    parsed = parse_instrument(text, name)
    if parsed is None:
        return _parse_table(text, name, wavelength_nm)
    if wavelength_nm is not None:
        parsed = replace(
            parsed,
            notes=parsed.notes
            + (
                f"the wavelength grid given was not used: {parsed.fmt} has its own "
                "wavelengths.",
            ),
        )
    return parsed


def _dark_spectrum(
    dark: bytes, dark_name: str, wavelength: np.ndarray, name: str
) -> tuple[np.ndarray, ParsedSpectra, list[str]]:
    parsed = _parsed(dark, dark_name)
    dark_wavelength, dark_intensity, _ = _validated(parsed, dark_name)
    notes = []
    if dark_intensity.shape[0] > 1:
        notes.append(
            f"dark file {dark_name} holds {dark_intensity.shape[0]} spectra; their "
            "mean was subtracted."
        )
    if dark_wavelength.size != wavelength.size or not np.allclose(
        dark_wavelength, wavelength, rtol=0, atol=1e-3
    ):
        raise InputError(
            f"the dark spectrum {dark_name} has {dark_wavelength.size} wavelengths "
            f"({dark_wavelength[0]:g}-{dark_wavelength[-1]:g} nm) but {name} has "
            f"{wavelength.size} ({wavelength[0]:g}-{wavelength[-1]:g} nm); expected "
            "the same wavelength grid to subtract it pixel by pixel. Record the dark "
            "with the same spectrometer and settings.",
            source=dark_name,
        )
    return dark_intensity.mean(axis=0), parsed, notes


def _subtract_dark(
    intensity, parsed, dark, dark_name, wavelength, name
) -> tuple[np.ndarray, list[str]]:
    dark_values, dark_parsed, notes = _dark_spectrum(dark, dark_name, wavelength, name)
    light_ms = parsed.metadata.get("integration_time_ms")
    dark_ms = dark_parsed.metadata.get("integration_time_ms")
    if (
        light_ms is not None
        and dark_ms is not None
        and not np.isclose(light_ms, dark_ms)
    ):
        notes.append(
            f"integration times differ: {light_ms:g} ms for {name}, {dark_ms:g} ms for "
            f"the dark {dark_name}; the dark may not match."
        )
    notes.append(f"dark spectrum {dark_name} subtracted.")
    return intensity - dark_values[None, :], notes


def _check_axis_name(axis_name: str | None) -> None:
    if axis_name is not None and axis_name not in AXIS_DEFAULT_UNITS:
        raise InputError(
            f"axis name '{axis_name}' is not known; expected one of "
            f"{', '.join(AXIS_NAMES)}."
        )


def _converted_axis(values, quantity, from_unit, to_unit):
    """Values in ``to_unit``; None when the units cannot be converted."""
    if _normal_unit(from_unit) == _normal_unit(to_unit):
        return values
    source = _unit_factor(quantity, from_unit)
    target = _unit_factor(quantity, to_unit)
    if source is None or target is None:
        return None
    return values * (source / target)


def _final_axis(
    n_spectra: int,
    name: str,
    axis: np.ndarray | None,
    file_name: str | None,
    file_unit: str | None,
    axis_name: str | None,
    axis_unit: str | None,
    axis_values,
) -> tuple[np.ndarray, str, str, list[str]]:
    """Axis values, name and unit from the file and the caller's arguments."""
    notes: list[str] = []
    if axis_values is not None:
        given = np.asarray(axis_values, dtype=float).ravel()
        if given.size != n_spectra:
            raise InputError(
                f"{name}: {given.size} axis values were given for "
                f"{_plural(n_spectra, 'spectrum')} in the file; expected one value per "
                "spectrum. Check that the axis values (e.g. the voltages of the J-V-L "
                "file) belong to this file.",
                source=name,
            )
        final_name = axis_name or "index"
        final_unit = (
            axis_unit if axis_unit is not None else AXIS_DEFAULT_UNITS[final_name]
        )
        return given, final_name, final_unit, notes
    if axis is None:
        if axis_name not in (None, "index"):
            notes.append(
                f"the file gives no {axis_name.replace('_', ' ')} values: the spectra "
                f"are numbered 0 to {n_spectra - 1}; give the axis values to use them."
            )
        return np.arange(n_spectra, dtype=float), "index", "", notes
    file_unit = file_unit or ""
    final_name = axis_name or file_name or "index"
    if file_name and axis_name and axis_name != file_name:
        notes.append(
            f"the file labels the axis {file_name.replace('_', ' ')}; it is used as "
            f"{axis_name.replace('_', ' ')} as asked."
        )
        return axis, final_name, axis_unit or AXIS_DEFAULT_UNITS[final_name], notes
    if final_name == "index":
        return axis, "index", "", notes
    default_unit = AXIS_DEFAULT_UNITS[final_name]
    if not file_unit:
        return (
            axis,
            final_name,
            axis_unit if axis_unit is not None else default_unit,
            notes,
        )
    target = (
        axis_unit
        if axis_unit
        else (default_unit if final_name != "temperature" else file_unit)
    )
    converted = _converted_axis(axis, final_name, file_unit, target)
    if converted is None:
        notes.append(
            f"the axis unit in the file ({file_unit}) could not be converted to "
            f"{target}; the values are used as written, in {file_unit}."
        )
        return axis, final_name, file_unit, notes
    if _normal_unit(file_unit) != _normal_unit(target):
        notes.append(f"axis converted from {file_unit} to {target}.")
    return converted, final_name, target, notes


def read_spectral_series(
    data: bytes,
    name: str,
    *,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    wavelength_nm=None,
    axis_values=None,
    dark: bytes | None = None,
    dark_name: str | None = None,
    sheet=None,
) -> SpectralSeries:
    """
    Read one file holding one spectrum or a series of spectra.

    The layout is recognised from the content (the extension matters only for
    ``.xlsx``): wide table, long table, headerless matrix, instrument export
    (Ocean Optics SpectraSuite and OceanView, StellarNet SpectraWiz, Avantes
    AvaSoft, Photo Research SpectraWin), transposed time series, or Excel.

    Parameters
    ----------
    data : bytes
        File content.
    name : str
        File name, used in messages, as ``source`` and (without its extension)
        as ``label``.
    axis_name : str, optional
        Series axis, one of :data:`core.models.AXIS_NAMES`, when the file does
        not say (e.g. headers ``0, 0.5, 1``) or to relabel the axis.
    axis_unit : str, optional
        Unit of the axis. When the file gives a unit of the same quantity the
        values are converted to it; by default time is converted to h,
        voltage to V and current density to mA/cm².
    wavelength_nm : array_like, optional
        (W,) wavelength grid for a headerless matrix of intensities whose
        wavelengths are not in the file (e.g. ``np.arange(380, 780.5, 0.5)``).
        Ignored, with a note, when the file has its own wavelength column. [nm]
    axis_values : array_like, optional
        (N,) axis value of each spectrum (e.g. the voltages of the matching
        J-V-L file); overrides the file's axis. Its length must equal the
        number of spectra left after dropping all-zero filler columns.
    dark : bytes, optional
        Content of a dark spectrum on the same wavelength grid, subtracted from
        every spectrum (the mean of the dark file's spectra if it holds several).
    dark_name : str, optional
        File name of ``dark`` for messages and notes.
    sheet : str or int, optional
        Worksheet of an ``.xlsx`` file, by name or 0-based number; first by
        default.

    Returns
    -------
    SpectralSeries
        Ascending wavelength grid, (N, W) intensities, the axis, and ``notes``
        saying what the reader did (rows dropped, grid reversed, filler columns
        dropped, dark subtracted, instrument metadata).

    Raises
    ------
    InputError
        Empty, binary or zipped file; a table with one column or text in a
        number column (line and column named); fewer than 5 wavelengths;
        wavelengths outside 150-2600 nm; a repeated wavelength (line named);
        a truncated instrument export; axis values or a wavelength grid whose
        length does not match the file; a dark spectrum on another grid.

    Examples
    --------
    >>> text = "Wavelength (nm),t = 0 h,t = 1 h\\n" + "".join(
    ...     f"{w},{w - 400},{(w - 400) / 2}\\n" for w in range(500, 510))
    >>> series = read_spectral_series(text.encode(), "drift.csv")
    >>> series.n_spectra, series.axis_name, series.axis.tolist()
    (2, 'time', [0.0, 1.0])
    """
    _check_axis_name(axis_name)
    parsed = _parsed(data, name, wavelength_nm=wavelength_nm, sheet=sheet)
    wavelength, intensity, notes = _validated(parsed, name)
    if dark is not None:
        intensity, dark_notes = _subtract_dark(
            intensity, parsed, dark, dark_name or "(dark file)", wavelength, name
        )
        notes.extend(dark_notes)
    axis, final_name, final_unit, axis_notes = _final_axis(
        intensity.shape[0],
        name,
        parsed.axis,
        parsed.axis_name,
        parsed.axis_unit,
        axis_name,
        axis_unit,
        axis_values,
    )
    notes.extend(axis_notes)
    return SpectralSeries(
        wavelength_nm=wavelength,
        intensity=intensity,
        axis=axis,
        axis_name=final_name,
        axis_unit=final_unit,
        label=PurePath(name).stem,
        source=name,
        notes=tuple(notes),
    )


# --- several files ------------------------------------------------------------


@dataclass(frozen=True)
class _OneFile:
    name: str
    wavelength_nm: np.ndarray
    intensity: np.ndarray
    notes: tuple[str, ...]
    timestamp: datetime | None


def _natural_key(text: str) -> tuple:
    parts = re.split(r"(\d+(?:\.\d+)?)", text.lower())
    return tuple(
        (0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts)
    )


def _name_numbers(names: list[str]) -> list[float | None]:
    """
    The number in each file name that varies between the files.

    When every name has the same count of numbers, the last position whose
    value differs between files is used (``run3_t10.txt``, ``run3_t20.txt``
    -> 10, 20); otherwise the last number of each name.
    """
    tokens = [
        [float(t) for t in re.findall(r"\d+(?:\.\d+)?", PurePath(n).stem)]
        for n in names
    ]
    lengths = {len(t) for t in tokens}
    if len(lengths) == 1 and 0 not in lengths and len(names) > 1:
        width = lengths.pop()
        varying = [k for k in range(width) if len({t[k] for t in tokens}) > 1]
        position = varying[-1] if varying else width - 1
        return [t[position] for t in tokens]
    return [t[-1] if t else None for t in tokens]


def _merged_notes(items: list[_OneFile]) -> list[str]:
    by_note: dict[str, list[str]] = {}
    for item in items:
        for note in item.notes:
            by_note.setdefault(note, []).append(item.name)
    merged = []
    for note, names in by_note.items():
        if len(names) == len(items) and len(items) > 1:
            merged.append(f"all {len(items)} files: {note}")
        else:
            merged.append(f"{_listing(names, 3)}: {note}")
    return merged


def _series_label(names: list[str]) -> str:
    stems = [PurePath(n).stem for n in names]
    prefix = stems[0]
    for stem in stems[1:]:
        while not stem.startswith(prefix):
            prefix = prefix[:-1]
    prefix = prefix.rstrip(" _-.")
    if len(prefix) >= 2:
        return prefix
    return f"{stems[0]} + {len(stems) - 1} more" if len(stems) > 1 else stems[0]


def read_spectra_files(
    files: list[tuple[str, bytes]],
    order: str = "name",
    *,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    axis_values=None,
    dark: bytes | None = None,
    dark_name: str | None = None,
) -> SpectralSeries:
    """
    Combine several single-spectrum files into one series.

    Each file is read as by :func:`read_spectral_series` (any layout holding
    one spectrum). The series is then ordered and put on one wavelength grid.

    Parameters
    ----------
    files : list of (str, bytes)
        File name and content of each file.
    order : {"name", "timestamp", "given"}
        ``"name"``: by the number in the file names that varies between files
        (natural sort when not every name has one); with ``axis_name`` that
        number becomes the axis value (``spectrum_3V.txt`` -> 3), else the
        axis is the index. ``"timestamp"``: by the recording time inside each
        file (SpectraSuite/OceanView ``Date:`` line, SpectraWin ``Date / Time``);
        the axis is the time since the first spectrum, in h (or ``axis_unit``).
        ``"given"``: the order of ``files``, index axis.
    axis_name, axis_unit : str, optional
        Axis of the series (see ``order``).
    axis_values : array_like, optional
        (N,) axis values in the final order; override everything else.
    dark : bytes, optional
        Dark spectrum subtracted from every file (same grid as each file).
    dark_name : str, optional
        File name of ``dark``.

    Returns
    -------
    SpectralSeries
        N = number of files. Files on a different wavelength grid than the
        first (in the final order) are interpolated linearly onto it, over the
        range every file covers; ``notes`` say so and repeat each file's notes.

    Raises
    ------
    InputError
        No files; a file that cannot be read (the message names it); a file
        holding several spectra; ``"timestamp"`` order with a file that has no
        time stamp; axis from names with a name that has no number; files with
        no common wavelength range.
    """
    _check_axis_name(axis_name)
    if not files:
        raise InputError("no spectrum files were given; expected at least one file.")
    if order not in ("name", "timestamp", "given"):
        raise InputError(
            f"order '{order}' is not known; expected 'name', 'timestamp' or 'given'."
        )
    dark_label = dark_name or "(dark file)"
    items: list[_OneFile] = []
    for file_name, content in files:
        parsed = _parsed(content, file_name)
        wavelength, intensity, notes = _validated(parsed, file_name)
        if intensity.shape[0] != 1:
            raise InputError(
                f"{file_name} holds {intensity.shape[0]} spectra; expected one "
                "spectrum per file when several files are combined. Read that file "
                "on its own as a series.",
                source=file_name,
            )
        if dark is not None:
            intensity, dark_notes = _subtract_dark(
                intensity, parsed, dark, dark_label, wavelength, file_name
            )
            notes.extend(dark_notes)
        items.append(
            _OneFile(
                file_name, wavelength, intensity[0], tuple(notes), parsed.timestamp
            )
        )

    notes: list[str] = []
    axis = None
    file_axis_name, file_axis_unit = None, None
    if order == "name":
        numbers = _name_numbers([item.name for item in items])
        if all(n is not None for n in numbers):
            ranked = sorted(
                zip(numbers, items, strict=True),
                key=lambda p: (p[0], _natural_key(p[1].name)),
            )
            items = [item for _, item in ranked]
            numbers = [n for n, _ in ranked]
        else:
            items = sorted(items, key=lambda item: _natural_key(item.name))
            numbers = _name_numbers([item.name for item in items])
        if axis_name not in (None, "index") and axis_values is None:
            missing = [
                item.name for item, n in zip(items, numbers, strict=True) if n is None
            ]
            if missing:
                raise InputError(
                    f"{missing[0]}: the file name has no number, so its "
                    f"{axis_name.replace('_', ' ')} cannot be taken from it; expected "
                    "a number in every file name (e.g. 'spectrum_3.5V.txt'), or "
                    "order the files another way.",
                    source=missing[0],
                )
            axis = np.array(numbers, dtype=float)
            file_axis_name = axis_name
            notes.append(
                f"files ordered by the number in their names, used as the "
                f"{axis_name.replace('_', ' ')}."
            )
            if np.unique(axis).size < axis.size:
                notes.append("some files share the same number in their names.")
        else:
            notes.append("files ordered by the number in their names (natural sort).")
    elif order == "timestamp":
        missing = [item.name for item in items if item.timestamp is None]
        if missing:
            raise InputError(
                f"{missing[0]}: no time stamp was found in the file (e.g. a "
                "SpectraSuite or OceanView 'Date:' line); expected one in every file "
                "to order them by time. Order the files by name or as given.",
                source=missing[0],
            )
        items = sorted(items, key=lambda item: item.timestamp)
        start = items[0].timestamp
        axis = np.array(
            [(item.timestamp - start).total_seconds() / 3600.0 for item in items]
        )
        file_axis_name, file_axis_unit = "time", "h"
        notes.append(
            f"files ordered by the time stamps in them; time counted from "
            f"{start.isoformat(sep=' ')}."
        )
    else:
        notes.append("files kept in the order given.")

    reference = items[0].wavelength_nm
    same = [
        item.wavelength_nm.size == reference.size
        and np.allclose(item.wavelength_nm, reference, rtol=0, atol=1e-6)
        for item in items
    ]
    if all(same):
        grid = reference
        intensity = np.vstack([item.intensity for item in items])
    else:
        low = max(item.wavelength_nm[0] for item in items)
        high = min(item.wavelength_nm[-1] for item in items)
        grid = reference[(reference >= low - 1e-9) & (reference <= high + 1e-9)]
        if grid.size < MIN_WAVELENGTHS:
            raise InputError(
                "the files share no common wavelength range: "
                + "; ".join(
                    f"{item.name} covers {item.wavelength_nm[0]:g}-"
                    f"{item.wavelength_nm[-1]:g} nm"
                    for item in items[:4]
                )
                + ". Expected spectra of one spectrometer range.",
            )
        intensity = np.vstack(
            [np.interp(grid, item.wavelength_nm, item.intensity) for item in items]
        )
        moved = [item.name for item, s in zip(items, same, strict=True) if not s]
        notes.append(
            f"wavelength grids differ: {_listing(moved, 3)} interpolated linearly onto "
            f"the grid of {items[0].name}."
        )
        if grid.size < reference.size:
            notes.append(
                f"grid cut to {grid[0]:g}-{grid[-1]:g} nm, the range every file covers."
            )

    axis_values_final, final_name, final_unit, axis_notes = _final_axis(
        len(items),
        _listing([item.name for item in items], 3),
        axis,
        file_axis_name,
        file_axis_unit,
        axis_name,
        axis_unit,
        axis_values,
    )
    notes.extend(axis_notes)
    notes.extend(_merged_notes(items))
    names = [item.name for item in items]
    return SpectralSeries(
        wavelength_nm=grid,
        intensity=intensity,
        axis=axis_values_final,
        axis_name=final_name,
        axis_unit=final_unit,
        label=_series_label(names),
        source=", ".join(names) if len(names) <= 5 else f"{_listing(names, 3)} files",
        notes=tuple(notes),
    )


def wavelength_grid(start_nm: float, stop_nm: float, step_nm: float) -> np.ndarray:
    """
    The wavelength grid of a headerless matrix, from its first, last and step.

    Parameters
    ----------
    start_nm, stop_nm, step_nm : float
        First and last wavelength and the step, as the user gives them. [nm]

    Returns
    -------
    numpy.ndarray
        ``start_nm, start_nm + step_nm, ...`` up to and including ``stop_nm``
        (within half a step). [nm]

    Raises
    ------
    InputError
        When the step is not positive or the range is empty.

    Examples
    --------
    >>> wavelength_grid(380, 780, 0.5).size
    801
    """
    if not (step_nm > 0 and stop_nm > start_nm):
        raise InputError(
            f"Wavelength grid: expected last > first and a positive step, found "
            f"first {start_nm:g} nm, last {stop_nm:g} nm, step {step_nm:g} nm."
        )
    return np.arange(start_nm, stop_nm + step_nm / 2, step_nm)
