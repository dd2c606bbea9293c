"""
Excel workbooks: the one path from an ``.xlsx`` to the text the readers parse.

Every reader (spectra, J-V-L, lifetime) turns a workbook into tab-separated
text with :func:`workbook_text` and reads that text like any text export, so
a workbook and its CSV give the same result and the same messages. Line ``n``
of the text is row ``n`` of the sheet, so messages name sheet rows.

Processing workbooks keep the spectrum somewhere inside a sheet, among
parameters and other tables (``front!H125:I1581``). For spectra,
:func:`spectrum_block_text` reads the cells a user names, or finds across all
sheets the block holding a wavelength column (:mod:`core.io.sheet_blocks`), and
says which sheet and cells were read.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import TypeGuard

from core.errors import InputError
from core.io.messages import listing

__all__ = [
    "MAX_WORKBOOK_XML_BYTES",
    "check_workbook",
    "is_workbook",
    "workbook_text",
    "workbook_rows",
    "spectrum_block_text",
]

#: Largest uncompressed worksheet XML of an .xlsx (~2 million cells; openpyxl
#: reads ~1 million cells in 15 s). A workbook over it is refused before it
#: is parsed, so a small "zip bomb" cannot keep the server busy. [bytes]
MAX_WORKBOOK_XML_BYTES = 40 * 1024 * 1024


def is_workbook(data: object) -> TypeGuard[bytes | bytearray]:
    """True when ``data`` starts like a zip archive (an .xlsx is one)."""
    return isinstance(data, bytes | bytearray) and bytes(data[:4]) == b"PK\x03\x04"


def check_workbook(data: bytes, name: str) -> None:
    """
    Refuse an .xlsx that is not a workbook or that expands too far, up front.

    Reads only the zip directory: no cell is parsed. Call it before openpyxl
    or ``pandas.read_excel``.

    Raises
    ------
    InputError
        Not a zip archive, a zip archive without ``xl/workbook.xml``, or
        worksheets whose uncompressed XML exceeds
        :data:`MAX_WORKBOOK_XML_BYTES`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputError(
            f"{name} is not a valid .xlsx workbook (not a zip archive): expected "
            "a workbook saved by Excel or LibreOffice, or a text table renamed "
            "to .csv/.txt.",
            source=name,
        ) from None
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise InputError(
            f"{name} is a zip archive but not an Excel workbook (it has no "
            "xl/workbook.xml): expected a text table or an .xlsx file. Unzip it "
            "and upload the files inside.",
            source=name,
        )
    sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
    expanded = sum(item.file_size for item in sheets)
    if expanded > MAX_WORKBOOK_XML_BYTES:
        raise InputError(
            f"{name}: expected a workbook whose sheets hold up to "
            f"{MAX_WORKBOOK_XML_BYTES / 2**20:.0f} MB of cell data; they expand to "
            f"{expanded / 2**20:.0f} MB (about {expanded / 20e6:.0f} million "
            "cells). Export the sheet as CSV (it reads much faster) and upload "
            "that.",
            source=name,
        )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return re.sub(r"[\t\r\n]+", " ", str(value))


def _worksheet(book, name: str, sheet):
    sheets = book.sheetnames
    if sheet is None:
        return book.worksheets[0]
    if isinstance(sheet, str) and sheet not in sheets and sheet.strip().isdigit():
        sheet = int(sheet)  # "--sheet 2" from a command line: a sheet number
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(sheets):
            raise InputError(
                f"{name} has {len(sheets)} sheet(s); sheet number {sheet} does not "
                f"exist (sheets are numbered from 0: {listing(sheets)}).",
                source=name,
            )
        return book.worksheets[sheet]
    if sheet not in sheets:
        raise InputError(
            f"{name} has no sheet '{sheet}'; its sheets are "
            f"{listing(repr(s) for s in sheets)}.",
            source=name,
        )
    return book[sheet]


def _open(data: bytes, name: str):
    """The workbook, read-only with cached values, after the safety checks."""
    if not data:
        raise InputError(f"{name} is empty: expected an Excel workbook.", source=name)
    check_workbook(data, name)
    import openpyxl  # here: ~0.1 s of import that only a workbook needs

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a bad file
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({type(error).__name__})"
            ": expected an .xlsx file saved by Excel or LibreOffice. Save it again as "
            ".xlsx, or export the sheet as CSV.",
            source=name,
        ) from None


def workbook_rows(data: bytes, name: str, sheet=None) -> list[tuple[str, list]]:
    """
    The cell values of every sheet (or of ``sheet`` only), as (title, rows).

    Rows are tuples of values (numbers, text, dates, None), row 1 first.
    """
    book = _open(data, name)
    try:
        sheets = book.worksheets if sheet is None else [_worksheet(book, name, sheet)]
        return [
            (ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)])
            for ws in sheets
        ]
    finally:
        book.close()


def spectrum_block_text(
    data: bytes, name: str, *, sheet=None, cells: str | None = None
) -> tuple[str, list[str]]:
    """
    The cells of a workbook holding a spectrum, as text a table reader parses.

    Parameters
    ----------
    data, name : bytes, str
        The workbook and its name.
    sheet : str or int, optional
        Sheet to read or to search (by name or 0-based number); by default
        the sheet named in ``cells``, else every sheet is searched.
    cells : str, optional
        ``"H125:I1581"``, ``"front!H125:I1581"`` or columns ``"H:I"``: the
        first column holds the wavelengths, the others spectra. By default the
        block is found (:func:`core.io.sheet_blocks.find_block`).

    Returns
    -------
    text : str
        Tab-separated text of the block's header and rows; line n is sheet
        row n.
    notes : list of str
        Which sheet and cells were read, and why.

    Raises
    ------
    InputError
        A range that cannot be read, a missing sheet, or no block found.
    """
    from core.io.sheet_blocks import block_text, find_block, parse_cells, user_block

    cell_sheet, bounds = parse_cells(cells, name) if cells else (None, None)
    if cell_sheet is not None and sheet is not None and str(sheet) != cell_sheet:
        raise InputError(
            f"{name}: the cells '{cells}' name sheet '{cell_sheet}' but sheet "
            f"'{sheet}' was chosen; expected one sheet. Give the sheet once.",
            source=name,
        )
    chosen = cell_sheet if cell_sheet is not None else sheet
    sheets = workbook_rows(data, name, chosen)
    if bounds is not None:
        title, rows = sheets[0]
        block = user_block(title, rows, bounds, name)
        return block_text(rows, block), [block.note(given=True)]
    block, others = find_block(sheets, name)
    rows = dict(sheets)[block.sheet]
    return block_text(rows, block), [block.note(given=False, others=others)]


def workbook_text(
    data: bytes, name: str, sheet=None, *, holds: str = "a table of spectra"
) -> tuple[str, str]:
    """
    A worksheet as tab-separated text (line n = spreadsheet row n).

    Parameters
    ----------
    data : bytes
        The workbook.
    name : str
        File name for messages.
    sheet : str or int, optional
        Sheet name or 0-based number; the first sheet by default.
    holds : str
        What the sheet should hold, for the message about an empty sheet.

    Returns
    -------
    text : str
        The cells, tab-separated; numbers as Python writes them (``repr``),
        dates in ISO format.
    note : str
        The sentence telling the user which sheet was read.

    Raises
    ------
    InputError
        Empty data, not a workbook (:func:`check_workbook`), a workbook
        openpyxl cannot open, a missing sheet, an empty sheet.
    """
    book = _open(data, name)
    try:
        worksheet = _worksheet(book, name, sheet)
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
            f"{name}: sheet '{title}' is empty; expected {holds}.",
            source=name,
        )
    return text, f"read sheet '{title}' of the workbook; line numbers are sheet rows."
