"""
core/io/spectra.py: read_spectral_series end to end (dark subtraction, the
checks every layout goes through, bad input), and a fuzz test over every
layout. Layout-specific tests are in test_io_tables.py, test_io_long_table.py,
test_io_axis.py, test_io_excel.py, test_io_series.py and instruments/.
"""

from __future__ import annotations

import io
import time
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.io import read_spectral_series
from tests.core.io.spectra_support import (
    GREEN,
    IRR,
    has_note,
    raises,
    real,
    reference_series,
    wide_text,
)


def single_spectrum_text(peak):
    w = np.arange(560, 681, 2.0)
    y = 1000 * np.exp(-0.5 * ((w - peak) / 8.5) ** 2)
    return "".join(f"{a:.2f}\t{b:.4f}\n" for a, b in zip(w, y, strict=True)).encode()


def test_dark_subtraction_for_text_table_and_grid_mismatch():
    light = single_spectrum_text(620)
    dark = "".join(f"{w:.2f}\t100\n" for w in np.arange(560, 681, 2.0)).encode()
    series = read_spectral_series(light, "light.txt", dark=dark, dark_name="dark.txt")
    reference = read_spectral_series(light, "light.txt")
    np.testing.assert_allclose(series.intensity, reference.intensity - 100)
    assert has_note(series, "dark spectrum dark.txt subtracted")
    other_grid = "".join(f"{w:.2f}\t100\n" for w in np.arange(560, 681, 4.0)).encode()
    with pytest.raises(InputError) as error:
        read_spectral_series(light, "light.txt", dark=other_grid, dark_name="dark.txt")
    assert (
        "the dark spectrum dark.txt has 31 wavelengths (560-680 nm) but light.txt has "
        "61 (560-680 nm); expected the same wavelength grid" in str(error.value)
    )


def test_dark_grid_mismatch_real_spectrasuite():
    with pytest.raises(InputError) as error:
        read_spectral_series(real(GREEN), GREEN, dark=real(IRR), dark_name="irr")
    assert "the dark spectrum irr has 600 wavelengths (400-999 nm)" in str(error.value)


# --- bad input --------------------------------------------------------------------


def test_empty_file():
    assert raises(b"") == (
        "bad.csv is empty: expected a text table with at least one data row."
    )
    assert raises(b"  \r\n\n").startswith("bad.csv is empty")


def test_binary_file():
    assert raises(bytes(range(256)) * 4).startswith("bad.csv is a binary file")


def test_zip_renamed_csv():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("spectra.csv", wide_text())
    assert raises(buffer.getvalue()).startswith("bad.csv is a zip archive")


def test_wrong_delimiter():
    message = raises(wide_text(delimiter="|").encode())
    assert message == (
        "bad.csv, line 2: expected numbers separated by tabs, commas, semicolons or "
        "spaces; found '500.0|0.0000|0.0000|0.0000', which does not split into "
        "numbers. Check the delimiter of the export."
    )


def test_one_column():
    message = raises("".join(f"{w}\n" for w in range(500, 520)).encode())
    assert message == (
        "bad.csv, line 1: expected at least 2 columns separated by tabs, commas, "
        "semicolons or spaces; found one column ('500'). Check the delimiter of the "
        "export."
    )


def test_text_in_a_number_column_names_line_and_column():
    lines = wide_text().splitlines()
    lines[7] = lines[7].split(",")[0] + ",12.5,abc,3.0"
    message = raises("\n".join(lines).encode())
    assert message == (
        "bad.csv, line 8, column 3 't = 0.5 h': expected a number, found 'abc'. "
        "Blank the cell or remove the row."
    )


def test_one_row():
    message = raises(b"Wavelength (nm),I\n620,1.0\n")
    assert "bad.csv: found 1 wavelength, expected at least 5" in message
    assert "transpose it" in message


def test_nan_column():
    lines = wide_text().splitlines()
    out = [lines[0] + ",t = 2 h"] + [line + ",NaN" for line in lines[1:]]
    message = raises("\n".join(out).encode())
    assert "bad.csv, column 5 't = 2 h': holds no numbers" in message


def test_nan_rows_dropped_with_note():
    lines = wide_text().splitlines()
    lines[3] = lines[3].split(",")[0] + ",NaN,1,2"
    lines[9] = lines[9].split(",")[0] + ",,1,2"
    series = read_spectral_series("\n".join(lines).encode(), "gaps.csv")
    assert series.wavelength_nm.size == 119
    assert has_note(
        series, "dropped 2 rows with a missing, NaN or Inf value (lines 4, 10)"
    )


def test_duplicate_wavelengths():
    lines = wide_text().splitlines()
    lines.insert(6, lines[5])
    message = raises("\n".join(lines).encode())
    assert message.startswith(
        "bad.csv, line 7: wavelength 508 nm appears again (first at line 6)"
    )


def test_descending_wavelengths_are_reversed_with_note():
    lines = wide_text().splitlines()
    text = "\n".join([lines[0], *reversed(lines[1:])])
    series = read_spectral_series(text.encode(), "desc.csv")
    np.testing.assert_allclose(series.intensity, reference_series().intensity)
    assert has_note(series, "descending order (740 to 500 nm)")


def test_unsorted_wavelengths_are_sorted_with_note():
    lines = wide_text().splitlines()
    lines[3], lines[4] = lines[4], lines[3]
    series = read_spectral_series("\n".join(lines).encode(), "swap.csv")
    np.testing.assert_allclose(series.intensity, reference_series().intensity)
    assert has_note(series, "not in order; the rows were sorted")


def test_first_column_not_wavelengths():
    text = "Voltage (V),L (cd/m2)\n" + "".join(f"{v},{v * 10}\n" for v in range(8))
    message = raises(text.encode())
    assert "bad.csv, line 2: the first column does not look like wavelengths in nm" in (
        message
    )
    assert "holds 0 to 7" in message


def test_hundred_thousand_column_line():
    line = "\t".join(["1.0"] * 100_000)
    start = time.perf_counter()
    message = raises(f"620\t{line}\n".encode())
    assert "bad.csv: found 1 wavelength, expected at least 5" in message
    ragged = wide_text(delimiter="\t").splitlines()
    ragged.insert(4, ragged[3] + "\t" + line)
    message = raises("\n".join(ragged).encode())
    assert "bad.csv, line 5: expected 4 values like the rows above, found 100004" in (
        message
    )
    assert time.perf_counter() - start < 5  # ~0.3 s; the guard is against a hang


fuzz_cells = st.one_of(
    st.integers(300, 1200).map(str),
    st.sampled_from(["0", "NaN", "", "1,5", "-3", "1e3", "abc", "t = 0 h"]),
)
fuzz_heads = st.sampled_from(
    [
        "",
        "Wavelength (nm),t = 0 h,t = 1 h",
        "time (min),wavelength (nm),intensity",
        "SpectraSuite Data File\n>>>>>Begin Processed Spectral Data<<<<<",
        "01.08.2024\t10:00:00\t09:00:00\nWavelength (nm)\tX",
        "[HEADER]\n[SPECTRAL]",
        "Filename-->,x\nWavelength[nm],s",
        '" RAD-> Time:5ms',
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    head=fuzz_heads,
    delimiter=st.sampled_from([",", ";", "\t", " "]),
    rows=st.lists(st.lists(fuzz_cells, min_size=1, max_size=4), max_size=25),
    grid=st.booleans(),
)
def test_any_input_gives_a_series_or_an_input_error(head, delimiter, rows, grid):
    text = head + "\n" + "\n".join(delimiter.join(row) for row in rows)
    grid_nm = np.linspace(400, 700, max(len(rows), 1)) if grid else None
    try:
        series = read_spectral_series(text.encode(), "fuzz.txt", wavelength_nm=grid_nm)
    except InputError as error:
        assert str(error)
    else:
        assert np.all(np.diff(series.wavelength_nm) > 0)
        assert np.all(np.isfinite(series.intensity))
        assert series.wavelength_nm.size >= 5
