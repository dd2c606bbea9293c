"""
Which parser reads a spectrum file: Excel, an instrument export, or a table.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from core.errors import InputError
from core.io.excel import is_workbook, workbook_text
from core.io.instruments import parse_instrument
from core.io.parsed import ParsedSpectra
from core.io.tables import parse_table
from core.io.text import decode_text

__all__ = ["parse_file"]


def parse_file(
    data: bytes, name: str, *, wavelength_nm=None, sheet=None
) -> ParsedSpectra:
    """
    The spectra of one file as it holds them, whatever its layout.

    An ``.xlsx`` (by name or content) is read as text by
    :func:`core.io.excel.workbook_text` then as a plain table; a text file
    goes to the instrument reader that recognises it
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
        text, sheet_note = workbook_text(data, name, sheet)
        table = parse_table(text, name, wavelength_nm)
        return replace(table, notes=(sheet_note, *table.notes))
    if suffix == ".xls":
        raise InputError(
            f"{name} is an old Excel .xls workbook, which cannot be read here; "
            "expected .xlsx or a text table. Save it again as .xlsx or CSV.",
            source=name,
        )
    text = decode_text(data, name)
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
