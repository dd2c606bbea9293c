"""
core/io/excel.py: the one path from a workbook to text, for every reader.

A workbook and the CSV of the same cells must give the same numbers; messages
name sheet rows.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from core.errors import InputError
from core.io import read_spectral_series
from core.io.excel import workbook_text
from core.io.jvl import read_jvl
from core.io.lifetime_log import read_lifetime_logs
from tests.core.io.spectra_support import (
    fixture,
    has_note,
    reference_series,
    wide_text,
)


def workbook_bytes(tmp_path: Path, sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "spectra.xlsx"
    book.save(path)
    return path.read_bytes()


def wide_rows():
    lines = wide_text().splitlines()
    rows = [lines[0].split(",")]
    rows += [[float(v) for v in line.split(",")] for line in lines[1:]]
    return rows


def test_xlsx_first_sheet_and_named_sheet(tmp_path):
    long_lines = fixture("synthetic_long_time.csv").decode().splitlines()
    long_rows = [long_lines[0].split(",")] + [
        [float(v) for v in ln.split(",")] for ln in long_lines[1:]
    ]
    data = workbook_bytes(tmp_path, {"wide": wide_rows(), "long": long_rows})
    reference = reference_series()
    first = read_spectral_series(data, "book.xlsx")
    np.testing.assert_allclose(first.intensity, reference.intensity, rtol=1e-12)
    assert has_note(first, "read sheet 'wide'")
    second = read_spectral_series(data, "book.xlsx", sheet="long")
    np.testing.assert_allclose(second.intensity, reference.intensity, rtol=1e-12)
    assert second.axis.tolist() == [0.0, 0.5, 1.0]
    by_number = read_spectral_series(data, "book.xlsx", sheet=1)
    assert has_note(by_number, "read sheet 'long'")


def test_xlsx_missing_sheet_and_bad_workbook(tmp_path):
    data = workbook_bytes(tmp_path, {"wide": wide_rows()})
    with pytest.raises(InputError) as error:
        read_spectral_series(data, "book.xlsx", sheet="EL")
    assert "book.xlsx has no sheet 'EL'; its sheets are 'wide'" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectral_series(b"not a workbook", "fake.xlsx")
    assert "fake.xlsx is not a valid .xlsx workbook (not a zip archive)" in str(
        error.value
    )
    with pytest.raises(InputError) as error:
        read_spectral_series(b"\xd0\xcf\x11\xe0old", "old.xls")
    assert "old Excel .xls workbook" in str(error.value)


def test_xlsx_text_cell_names_row_and_column(tmp_path):
    rows = wide_rows()
    rows[10][2] = "n/a"
    data = workbook_bytes(tmp_path, {"Sheet1": rows})
    with pytest.raises(InputError) as error:
        read_spectral_series(data, "book.xlsx")
    assert (
        "book.xlsx, line 11, column 3 't = 0.5 h': expected a number, found 'n/a'"
        in (str(error.value))
    )


def book(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_cells_as_text_line_n_is_row_n():
    data = book([["a", None, 1.5], [], [2, "x\ty", 0.1]])
    text, note = workbook_text(data, "b.xlsx")
    assert text.split("\n") == ["a\t\t1.5", "\t\t", "2\tx y\t0.1"]
    assert note == "read sheet 'Sheet' of the workbook; line numbers are sheet rows."


def test_jvl_and_lifetime_read_workbooks_through_the_same_path():
    sweep = read_jvl(
        book([["V (V)", "J (mA/cm2)", "L (cd/m2)"], [2, 0.1, 1.5], [3, 10, 900]]),
        "sweep.xlsx",
    )
    assert sweep.notes[0].startswith("read sheet 'Sheet' of the workbook")
    rows = [["Time (min)", "L (cd/m2)"], [0, 100], [30, 90], [60, "n/a"]]
    with pytest.raises(InputError) as error:
        read_lifetime_logs(book(rows), "log.xlsx")
    # The message names the sheet row of the bad cell.
    assert "log.xlsx, line 4, column 2 'L (cd/m2)': expected a number" in str(
        error.value
    )


def test_empty_sheet():
    with pytest.raises(InputError) as error:
        read_jvl(book([]), "empty.xlsx")
    assert str(error.value) == (
        "empty.xlsx: sheet 'Sheet' is empty; expected a J-V-L sweep."
    )
