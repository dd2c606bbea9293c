"""
Which parser reads a spectrum file: Excel, an instrument export, or a table.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from core.errors import InputError
from core.io.excel import is_workbook, spectrum_block_text, workbook_text
from core.io.instruments import parse_instrument
from core.io.parsed import ParsedSpectra
from core.io.tables import parse_table
from core.io.text import decode_text
from core.io.validation import validated

__all__ = ["parse_file"]


def _noted(parsed: ParsedSpectra, notes) -> ParsedSpectra:
    return replace(parsed, notes=(*notes, *parsed.notes))


def _parse_workbook(data: bytes, name: str, wavelength_nm, sheet, cells):
    """
    A workbook's spectra: the cells given; else the sheet as a table; else
    the block found by searching the sheets (:func:`spectrum_block_text`).
    """
    if cells:
        text, notes = spectrum_block_text(data, name, sheet=sheet, cells=cells)
        return _noted(parse_table(text, name, wavelength_nm), notes)
    text, sheet_note = workbook_text(data, name, sheet)
    try:
        table = parse_table(text, name, wavelength_nm)
        validated(table, name)
        return _noted(table, [sheet_note])
    except InputError as error:
        try:
            text, notes = spectrum_block_text(data, name, sheet=sheet)
        except InputError as search_error:
            raise InputError(
                f"{error} Searching every sheet for a spectrum did not help "
                f"either: {search_error}",
                source=name,
                line=error.line,
                column=error.column,
            ) from None
        return _noted(parse_table(text, name, wavelength_nm), notes)


def parse_file(
    data: bytes, name: str, *, wavelength_nm=None, sheet=None, cells=None
) -> ParsedSpectra:
    """
    The spectra of one file as it holds them, whatever its layout.

    An ``.xlsx`` (by name or content) is read as text by
    :mod:`core.io.excel` then as a plain table: the cells given, else the
    sheet (first by default) when it is a table of spectra, else the block
    holding a wavelength column found across the sheets. A text file goes to
    the instrument reader that recognises it
    (:func:`core.io.instruments.parse_instrument`), else to
    :func:`core.io.tables.parse_table`.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("data must be the file content as bytes")
    data = bytes(data)
    suffix = PurePath(name).suffix.lower()
    # By content too: an .xlsx renamed .csv is read as the workbook it is, as
    # the J-V-L and lifetime readers do (check_workbook refuses other zips).
    if suffix in (".xlsx", ".xlsm") or is_workbook(data):
        return _parse_workbook(data, name, wavelength_nm, sheet, cells)
    if suffix == ".xls":
        raise InputError(
            f"{name} is an old Excel .xls workbook, which cannot be read here; "
            "expected .xlsx or a text table. Save it again as .xlsx or CSV.",
            source=name,
        )
    text = decode_text(data, name)
    if sheet is not None or cells:
        raise InputError(
            f"{name} is not an Excel workbook, so it has no sheet or cells to "
            "choose; expected an .xlsx file when a sheet or cells are given. "
            "Clear the sheet and cells to read it as a text export.",
            source=name,
        )
    parsed = parse_instrument(text, name)
    if parsed is None:
        return parse_table(text, name, wavelength_nm)
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
