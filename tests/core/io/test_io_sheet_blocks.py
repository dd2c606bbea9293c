"""
core/io/sheet_blocks.py (through core/io/excel.py and read_spectral_series):
the block of a processing workbook that holds the spectrum.

A synthetic processing workbook (labelled synthetic in its first cell) is
built like the Maya workbook of SOURCES.md: a parameters sheet, then a sheet
with a title, settings, raw counts in columns A-C and, further right, the
wavelength and the calibrated spectrum whose rows outside the calibrated
range are zero padding (the calibration column beside it is zero there too).
The real workbook's spectrum is in sheet ``front``, cells H125:I1581
(SOURCES.md).
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest
from support import gaussian

from core.io import read_spectral_series
from core.io.sheet_blocks import parse_cells
from tests.core.io.spectra_support import has_note, peak_nm, raises, real

MAYA = "pbLEDs_Maya_workbook_HLMP_CM30.xlsx"
WAVELENGTH_NM = np.arange(400.0, 800.0, 2.0)  # rows 11..210 of sheet 'data'
CALIBRATED = (WAVELENGTH_NM >= 450) & (WAVELENGTH_NM <= 750)  # rows 36..186


def processing_workbook(bad_cell: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    params = book.active
    params.title = "params"
    params.append(["synthetic processing workbook (test data)"])
    params.append(["integration time [ms]", 100])
    for k in range(30):
        params.append([f"coefficient {k}", 1.0 + k / 10])
    data = book.create_sheet("data")
    data["A1"] = "synthetic LED measurement"
    data["A3"], data["B3"] = "integration [ms]", 100
    data["F8"] = "calibrated"
    for col, title in zip(
        "ABCEFGH",
        [
            "Wavelength",
            "dark",
            "sample",
            "Wavelength",
            "spectrum [W/m²/nm]",
            None,
            "calibration",
        ],
        strict=True,
    ):
        if title:
            data[f"{col}10"] = title
    spectrum = gaussian(WAVELENGTH_NM, 620, 30) * 1e-3
    for k, w in enumerate(WAVELENGTH_NM):
        row = 11 + k
        calib = 2e-6 if CALIBRATED[k] else 0.0
        data[f"A{row}"], data[f"B{row}"] = w, 900.0
        data[f"C{row}"] = 900.0 + 5e4 * gaussian(w, 620, 30)
        data[f"E{row}"] = w
        data[f"F{row}"] = float(spectrum[k]) if CALIBRATED[k] else 0.0
        data[f"H{row}"] = calib
    if bad_cell:
        data[bad_cell] = "n/a"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_block_is_found_across_sheets_and_padding_left_out():
    series = read_spectral_series(processing_workbook(), "proc.xlsx")
    assert series.wavelength_nm[0] == 450.0 and series.wavelength_nm[-1] == 750.0
    assert peak_nm(series) == 620.0
    assert (series.intensity_quantity, series.intensity_unit) == ("energy", "W/m²/nm")
    assert series.notes[0].startswith(
        "read sheet 'data', cells E36:F186: the block holding a wavelength column "
        "beside 'spectrum [W/m²/nm]', found by searching every sheet; other "
        "blocks: 'data' A11:C210; 49 row(s) at the ends where the spectrum and "
        "every cell to its right are 0 or blank (padding) were left out."
    )


def test_cells_given_as_a_range_or_as_columns():
    data = processing_workbook()
    series = read_spectral_series(data, "proc.xlsx", cells="data!E36:F186")
    assert series.wavelength_nm.size == 151
    assert series.notes[0].startswith("read sheet 'data', cells E36:F186.")
    assert series.intensity_quantity == "energy"  # header found above the range
    raw = read_spectral_series(data, "proc.xlsx", sheet="data", cells="A:C")
    assert raw.n_spectra == 2 and raw.intensity_quantity == "unknown"
    assert raw.notes[0].startswith(
        "read sheet 'data', cells A11:C210 (as given: columns A:C)."
    )
    by_number = read_spectral_series(data, "proc.xlsx", sheet="1", cells="E11:F210")
    assert by_number.wavelength_nm.size == 200


def test_a_bad_cell_inside_the_spectrum_is_named_not_cut_away():
    message = raises(processing_workbook("F20"), "proc.xlsx")
    assert "line 20" in message and "found 'n/a'" in message


@pytest.mark.parametrize(
    ("cells", "sheet", "expected"),
    [
        ("H125", None, "are not a range"),
        ("I125:H130", None, "must span at least two columns"),
        ("E36:F", None, "give rows at both ends or none"),
        ("E50:F40", None, "the last row is above the first"),
        ("data!E36:F186", "params", "name sheet 'data' but sheet 'params'"),
        ("nope!E36:F186", None, "has no sheet 'nope'"),
        ("B:C", "data", "column B holds no run of 20 or more increasing wavelengths"),
    ],
)
def test_bad_cells(cells, sheet, expected):
    assert expected in raises(
        processing_workbook(), "proc.xlsx", cells=cells, sheet=sheet
    )


def test_parse_cells():
    assert parse_cells("'front page'!H125:I1581", "x") == (
        "front page",
        (7, 124, 8, 1580),
    )
    assert parse_cells("aa1:ab3", "x") == (None, (26, 0, 27, 2))


def test_no_block_anywhere():
    book = openpyxl.Workbook()
    book.active.append(["notes only"])
    book.active.append(["a", 1, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    message = raises(buffer.getvalue(), "notes.xlsx")
    assert "Searching every sheet for a spectrum did not help either" in message
    assert "no sheet ('Sheet') holds a wavelength column" in message


def test_sheet_or_cells_for_a_text_file_are_refused():
    text = b"Wavelength (nm),I\n" + b"".join(b"%d,1\n" % w for w in range(500, 510))
    assert "is not an Excel workbook" in raises(text, "a.csv", cells="A:B")


def test_real_maya_workbook_reads_front_h125_i1581():
    series = read_spectral_series(real(MAYA), MAYA)
    assert has_note(series, "read sheet 'front', cells H125:I1581")
    assert series.wavelength_nm.size == 1581 - 125 + 1
    assert series.wavelength_nm[0] == pytest.approx(250.01)
    assert series.wavelength_nm[-1] == pytest.approx(905.62)
    assert (series.intensity_quantity, series.intensity_unit) == ("energy", "W/cm²nm")
    given = read_spectral_series(real(MAYA), MAYA, cells="front!H125:I1581")
    np.testing.assert_array_equal(given.intensity, series.intensity)
