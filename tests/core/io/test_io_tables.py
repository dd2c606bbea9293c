"""
core/io/tables.py: wide tables and headerless matrices.

Synthetic fixtures (tests/data/synthetic_*): Gaussians with peaks 620, 618 and
616 nm on a 2 nm grid (on grid points, so argmax is exact), written once by a
script with 4-decimal values; comparisons between layouts use rtol 1e-12
because every layout holds the same decimal strings. Real: the OLED-004 count
matrix (SOURCES.md: 801 rows on 380-780 nm in 0.5 nm steps not in the file,
two zero filler columns, column k+2 for row k of the J-V-L file).
"""

from __future__ import annotations

import numpy as np
import pytest
from support import REALDATA

from core.errors import InputError
from core.io import read_spectral_series
from tests.core.io.spectra_support import (
    BSUBPC,
    BSUBPC_GRID,
    BSUBPC_JVL,
    SYNTHETIC_PEAKS_NM,
    fixture,
    has_note,
    peak_nm,
    real,
    reference_series,
    wide_text,
)


def test_bsubpc_matrix_needs_the_grid():
    with pytest.raises(InputError) as error:
        read_spectral_series(real(BSUBPC), BSUBPC)
    message = str(error.value)
    assert BSUBPC in message
    assert "no header and its first column is not a wavelength grid" in message
    assert "give the wavelength grid" in message


def test_bsubpc_matrix_with_grid_and_voltages():
    real(BSUBPC_JVL)  # skips when absent
    jvl = np.loadtxt(REALDATA / BSUBPC_JVL, skiprows=1)  # independent of core.io
    voltages, luminance = jvl[:, 0], jvl[:, -1]
    series = read_spectral_series(
        real(BSUBPC),
        BSUBPC,
        wavelength_nm=BSUBPC_GRID,
        axis_values=voltages,
        axis_name="voltage",
    )
    assert series.wavelength_nm.size == 801
    assert series.n_spectra == 56
    assert has_note(series, "columns 1, 2 hold only zeros")
    assert series.axis_name == "voltage" and series.axis_unit == "V"
    np.testing.assert_array_equal(series.axis, voltages)
    # Column k+2 belongs to row k of the J-V-L file (SOURCES.md): the integrated
    # counts track the luminance with r = 0.99999; one column off gives 0.9997.
    counts = series.intensity.sum(axis=1)
    assert np.corrcoef(counts, luminance)[0, 1] > 0.9999


def test_bsubpc_axis_values_count_mismatch():
    with pytest.raises(InputError) as error:
        read_spectral_series(
            real(BSUBPC), BSUBPC, wavelength_nm=BSUBPC_GRID, axis_values=np.arange(55)
        )
    assert "55 axis values were given for 56 spectra" in str(error.value)


def test_bsubpc_grid_length_mismatch():
    with pytest.raises(InputError) as error:
        read_spectral_series(real(BSUBPC), BSUBPC, wavelength_nm=np.arange(380, 781))
    assert "grid given has 401 values but the file has 801 data rows" in str(
        error.value
    )


def test_wide_table_axis_from_headers():
    series = reference_series()
    assert series.n_spectra == 3
    assert series.wavelength_nm.size == 121
    assert series.axis_name == "time" and series.axis_unit == "h"
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert [peak_nm(series, i) for i in range(3)] == SYNTHETIC_PEAKS_NM
    assert series.label == "wide" and series.source == "wide.csv"


@pytest.mark.parametrize(
    "layout",
    [
        dict(delimiter="\t"),
        dict(delimiter=";"),
        dict(delimiter="   "),
        dict(delimiter="\t", decimal_comma=True),
        dict(delimiter=";", decimal_comma=True),
        dict(delimiter=" ", decimal_comma=True),
    ],
    ids=["tab", "semicolon", "whitespace", "tab-dec-comma", "semi-dec-comma", "ws-dc"],
)
def test_wide_table_delimiters_and_decimal_comma(layout):
    text = wide_text(**layout)
    if layout["delimiter"].strip() == "":
        # Headers with spaces cannot be whitespace-separated: use bare numbers.
        text = text.replace("Wavelength (nm)", "nm").replace("t = ", "t=")
        text = text.replace("t=0 h", "0h").replace("t=0.5 h", "0.5h")
        text = text.replace("t=0,5 h", "0,5h").replace("t=1.0 h", "1.0h")
        text = text.replace("t=1,0 h", "1,0h")
    series = read_spectral_series(text.encode(), "layout.txt")
    reference = reference_series()
    np.testing.assert_allclose(series.intensity, reference.intensity, rtol=1e-12)
    np.testing.assert_allclose(series.wavelength_nm, reference.wavelength_nm)
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert series.axis_name == "time"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.replace("\n", "\r\n").encode(),
        lambda t: b"\xef\xbb\xbf" + t.encode(),
        lambda t: ("Sample: LED \xb5-1 at 25 \xb0C\n" + t).encode("latin-1"),
        lambda t: t.replace("\n", "\r\n", 40).encode(),  # mixed CRLF/LF
        lambda t: t.replace("\n", "\r\n").encode("utf-16"),  # Excel Unicode text
    ],
    ids=["crlf", "bom", "latin1-preamble", "mixed-endings", "utf16"],
)
def test_wide_table_encodings_and_line_endings(encode):
    series = read_spectral_series(encode(wide_text()), "enc.csv")
    reference = reference_series()
    np.testing.assert_allclose(series.intensity, reference.intensity, rtol=1e-12)
    assert series.axis.tolist() == [0.0, 0.5, 1.0]


def test_latin1_semicolon_decimal_comma_fixture():
    name = "synthetic_wide_semicolon_decimal_comma_latin1.csv"
    series = read_spectral_series(fixture(name), name)
    reference = reference_series()
    np.testing.assert_allclose(series.intensity, reference.intensity, rtol=1e-12)
    assert has_note(series, "Température: 25 °C")


def test_headerless_wide_table_index_axis():
    series = read_spectral_series(wide_text(header=False).encode(), "bare.csv")
    assert series.n_spectra == 3 and series.axis_name == "index"
    assert has_note(series, "no header: the 3 spectra are numbered 0 to 2")


def test_numeric_axis_row_with_blank_corner():
    lines = wide_text(header=False).splitlines()
    text = ",0,0.5,1\n" + "\n".join(lines)
    series = read_spectral_series(text.encode(), "corner.csv", axis_name="time")
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert series.wavelength_nm.size == 121
    assert has_note(series, "line 1 read as the axis values")


def test_wavelengths_in_micrometres_are_converted():
    lines = wide_text().splitlines()
    rows = [lines[0].replace("(nm)", "(µm)")]
    for line in lines[1:]:
        first, rest = line.split(",", 1)
        rows.append(f"{float(first) / 1000:.4f},{rest}")
    series = read_spectral_series("\n".join(rows).encode("utf-8"), "um.csv")
    np.testing.assert_allclose(series.wavelength_nm, reference_series().wavelength_nm)
    assert has_note(series, "converted from µm to nm")


def test_user_grid_ignored_when_file_has_wavelengths():
    series = read_spectral_series(
        wide_text().encode(), "w.csv", wavelength_nm=np.arange(121.0)
    )
    assert has_note(series, "wavelength grid given was not used")
    np.testing.assert_allclose(series.wavelength_nm, reference_series().wavelength_nm)
