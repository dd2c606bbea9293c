"""
Tests for core/io/spectra.py and core/io/instruments.py.

Reference values:

- Real instrument files (../shared/realdata, described in its SOURCES.md): pixel
  counts, first/last wavelengths and time stamps are exact properties of the
  files; peak wavelengths are the argmax of the raw (dark-subtracted) data and
  match SOURCES.md to the pixel; FWHM at half the raw maximum is compared with
  the SOURCES.md values to +-1 nm (one SpectraWiz pixel; two Maya pixels).
- Synthetic fixtures (tests/data/synthetic_*): Gaussians with peaks 620, 618 and
  616 nm on a 2 nm grid (on grid points, so argmax is exact), written once by a
  script with 4-decimal values; comparisons between layouts use rtol 1e-12
  because every layout holds the same decimal strings.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REALDATA, ROOT

from core.errors import InputError
from core.io import read_spectra_files, read_spectral_series
from core.io.instruments import detect_format, parse_timestamp

DATA = ROOT / "tests" / "data"

GREEN = "photobiologyLEDs_Norlux_Green_GREEN_short_SpectraSuite.txt"
DARK = "photobiologyLEDs_Norlux_Green_dark_short_SpectraSuite.txt"
IRR = "simone-peled_spectrum1_SpectraWiz.IRR"
OCEANVIEW = "photobiologyInOut_oo-spectrum.OVIrrad"
AVANTES = "photobiologyInOut_avantes-avaspec-e-irrad.csv"
HZB_12 = "hzb-pl_T02f3_500ms_gs_cont__newSpotf3_2.txt"
HZB_1H = "hzb-pl_T02f3_500ms_gs_cont_1hr__newSpotf3_1_raw.txt"
BSUBPC = "bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt"
BSUBPC_JVL = "bsubpc-oled_OLED-004_A1-1_JVL.txt"
BSUBPC_GRID = np.arange(380, 780.5, 0.5)

SYNTHETIC_PEAKS_NM = [620.0, 618.0, 616.0]


def real(name: str) -> bytes:
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"real instrument file not available: {path}")
    return path.read_bytes()


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def peak_nm(series, index=0) -> float:
    return float(series.wavelength_nm[np.argmax(series.intensity[index])])


def fwhm_at_half_raw_max(series, index=0) -> float:
    y = series.intensity[index]
    above = np.flatnonzero(y >= y.max() / 2)
    return float(series.wavelength_nm[above[-1]] - series.wavelength_nm[above[0]])


def has_note(series, text: str) -> bool:
    return any(text in note for note in series.notes)


def wide_text(delimiter=",", decimal_comma=False, header=True, rows=None):
    """The synthetic wide table as text in another layout."""
    source = fixture("synthetic_wide_time.csv").decode().splitlines()
    lines = source if header else source[1:]
    out = []
    for line in lines[: rows + 1 if rows else None]:
        fields = line.split(",")
        if decimal_comma:
            fields = [f.replace(".", ",") for f in fields]
        out.append(delimiter.join(fields))
    return "\n".join(out) + "\n"


# --- real instrument files ---------------------------------------------------


def test_spectrasuite_green_led_with_dark_subtracted():
    series = read_spectral_series(
        real(GREEN), GREEN, dark=real(DARK), dark_name="dark_short.txt"
    )
    assert series.n_spectra == 1
    assert series.wavelength_nm.size == 2068
    assert series.wavelength_nm[0] == pytest.approx(188.05, abs=1e-9)
    assert series.wavelength_nm[-1] == pytest.approx(1119.33, abs=1e-9)
    # First pixel: 2292,80 (LED) - 2294,40 (dark), decimal comma in both files.
    assert series.intensity[0, 0] == pytest.approx(2292.80 - 2294.40, abs=1e-9)
    assert has_note(series, "dark spectrum dark_short.txt subtracted")
    assert has_note(series, "integration time 120 ms")
    assert peak_nm(series) == pytest.approx(528.31, abs=0.01)  # SOURCES: 528.3
    assert fwhm_at_half_raw_max(series) == pytest.approx(38, abs=1)  # SOURCES: ~38


def test_spectrawiz_irr():
    series = read_spectral_series(real(IRR), IRR)
    assert series.wavelength_nm.size == 600
    assert series.wavelength_nm[[0, -1]].tolist() == [400.0, 999.0]
    assert has_note(series, "': 5' is a SpectraWiz trailer")
    assert has_note(series, "integration time 230 ms")
    assert peak_nm(series) == 754.0
    assert fwhm_at_half_raw_max(series) == pytest.approx(42, abs=1)


def test_oceanview_decimal_comma_no_end_marker():
    series = read_spectral_series(real(OCEANVIEW), OCEANVIEW)
    assert series.wavelength_nm.size == 2048
    assert series.wavelength_nm[0] == pytest.approx(178.699)
    assert series.wavelength_nm[-1] == pytest.approx(862.714)
    assert series.intensity[0, -1] == pytest.approx(0.12903)
    assert has_note(series, "OceanView")
    assert has_note(series, "integration time 100 ms")  # 1,000000E-1 s


def test_avantes_avasoft():
    series = read_spectral_series(real(AVANTES), AVANTES)
    assert series.wavelength_nm.size == 1604
    assert series.wavelength_nm[0] == pytest.approx(172.485)
    assert series.intensity[0, 0] == pytest.approx(9.27919e-09)
    assert has_note(series, "Avantes AvaSoft")


def test_hzb_transposed_12_spectra_time_axis():
    series = read_spectral_series(real(HZB_12), HZB_12)
    assert series.n_spectra == 12
    assert series.wavelength_nm.size == 1024
    assert series.axis_name == "time" and series.axis_unit == "h"
    # 15:14:51 ... 15:16:41, 10 s apart: 0..110 s.
    np.testing.assert_allclose(series.axis, np.arange(12) * 10 / 3600, atol=1e-12)
    assert series.axis[-1] == pytest.approx(0.030556, abs=1e-6)
    assert has_note(series, "'LuQY (%)'")
    assert has_note(series, "cm²")  # Latin-1 0xB2 decoded


def test_hzb_transposed_one_hour_drift():
    start = time.perf_counter()
    series = read_spectral_series(real(HZB_1H), HZB_1H)
    elapsed = time.perf_counter() - start
    assert series.n_spectra == 360
    assert series.axis[-1] == pytest.approx(3590 / 3600)  # 15:25:58 -> 16:25:48
    assert peak_nm(series, 0) == pytest.approx(616.5)
    assert peak_nm(series, 359) == pytest.approx(611.9)
    assert elapsed < 5  # ~0.3 s on the dev machine; 370 000 cells


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


def test_real_files_combined_by_timestamp():
    files = [(DARK, real(DARK)), (GREEN, real(GREEN))]  # given in reverse time
    series = read_spectra_files(files, order="timestamp")
    assert series.source.startswith(GREEN)  # 17:21:38 before 17:23:29
    assert series.axis_name == "time" and series.axis_unit == "h"
    np.testing.assert_allclose(series.axis, [0.0, (111) / 3600])
    assert series.label == "photobiologyLEDs_Norlux_Green"


def test_detect_format_on_real_files():
    expected = {
        GREEN: "ocean",
        IRR: "spectrawiz",
        OCEANVIEW: "ocean",
        AVANTES: "avantes",
        HZB_12: "transposed",
        BSUBPC: None,
    }
    for name, key in expected.items():
        text = real(name).decode("latin-1")
        assert detect_format(text) == key, name


# --- synthetic wide tables -----------------------------------------------------


def reference_series():
    return read_spectral_series(fixture("synthetic_wide_time.csv"), "wide.csv")


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


def test_axis_from_first_header_with_unit_conversion():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm) / time (min),0,30,60"
    series = read_spectral_series("\n".join(text).encode(), "minutes.csv")
    assert series.axis_name == "time" and series.axis_unit == "h"
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert has_note(series, "axis converted from min to h")


def test_voltage_headers_with_mixed_units():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),3 V,3.5 V,4000 mV"
    series = read_spectral_series("\n".join(text).encode(), "bias.csv")
    assert series.axis_name == "voltage" and series.axis_unit == "V"
    assert series.axis.tolist() == [3.0, 3.5, 4.0]
    assert has_note(series, "different units (V, mV); all were converted to V")


@pytest.mark.parametrize(
    ("headers", "axis_name", "axis_unit", "axis"),
    [
        ("EL_3.0V,EL_3.5V,EL_4V", "voltage", "V", [3.0, 3.5, 4.0]),
        ("T = 25 °C,T = 50 °C,T = 75 °C", "temperature", "°C", [25.0, 50.0, 75.0]),
        (
            "J = 1 mA/cm2,J = 10 mA/cm2,J = 100 mA/cm2",
            "current_density",
            "mA/cm²",
            [1.0, 10.0, 100.0],
        ),
        ("0 s,1800 s,3600 s", "time", "h", [0.0, 0.5, 1.0]),
    ],
)
def test_series_headers(headers, axis_name, axis_unit, axis):
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm)," + headers
    series = read_spectral_series("\n".join(text).encode("utf-8"), "h.csv")
    assert (series.axis_name, series.axis_unit) == (axis_name, axis_unit)
    np.testing.assert_allclose(series.axis, axis)


def test_clock_time_headers_become_hours():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),23:30:00,00:00:00,00:30:00"
    series = read_spectral_series("\n".join(text).encode(), "clock.csv")
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    np.testing.assert_allclose(series.axis, [0.0, 0.5, 1.0])
    assert has_note(series, "clock passes midnight 1 time(s)")


def test_transposed_series_without_wavelength_row():
    text = fixture("synthetic_transposed_midnight.txt").decode("latin-1")
    lines = [ln for ln in text.split("\r\n") if not ln.startswith("Wavelength")]
    series = read_spectral_series("\r\n".join(lines).encode("latin-1"), "t.txt")
    np.testing.assert_allclose(series.axis, np.array([0, 10, 20]) / 3600)
    assert [peak_nm(series, i) for i in range(3)] == SYNTHETIC_PEAKS_NM
    assert has_note(series, "no 'Wavelength' row")


def test_axis_named_in_first_header_only():
    text = wide_text().splitlines()
    text[0] = "time (h),0,0.5,1"
    series = read_spectral_series("\n".join(text).encode(), "first.csv")
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    np.testing.assert_allclose(series.wavelength_nm, reference_series().wavelength_nm)


def test_plain_number_headers_take_axis_name_and_unit_from_arguments():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),0,30,60"
    series = read_spectral_series(
        "\n".join(text).encode(), "n.csv", axis_name="time", axis_unit="s"
    )
    assert series.axis.tolist() == [0.0, 30.0, 60.0]
    assert (series.axis_name, series.axis_unit) == ("time", "s")
    plain = read_spectral_series("\n".join(text).encode(), "n.csv")
    assert plain.axis_name == "index" and plain.axis.tolist() == [0.0, 30.0, 60.0]
    assert has_note(plain, "numbers without a quantity or unit")


def test_non_numeric_headers_give_index_axis_with_note():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),pixel A,pixel B,pixel C"
    series = read_spectral_series("\n".join(text).encode(), "names.csv")
    assert series.axis_name == "index" and series.axis.tolist() == [0.0, 1.0, 2.0]
    assert has_note(series, "not numbers (e.g. 'pixel A')")


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


# --- long tables -------------------------------------------------------------------


def test_long_table_pivot_and_minutes_to_hours():
    series = read_spectral_series(fixture("synthetic_long_time.csv"), "long.csv")
    reference = reference_series()
    np.testing.assert_allclose(series.intensity, reference.intensity, rtol=1e-12)
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    assert has_note(series, "long table")


def test_long_table_rows_in_any_order():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    body = lines[1:]
    rng = np.random.default_rng(7)
    shuffled = [body[i] for i in rng.permutation(len(body))]
    text = "\n".join([lines[0], *shuffled])
    series = read_spectral_series(text.encode(), "shuffled.csv")
    # Axis values keep their first appearance order; compare after sorting.
    order = np.argsort(series.axis)
    np.testing.assert_allclose(
        series.intensity[order], reference_series().intensity, rtol=1e-12
    )


def test_long_table_slightly_different_grid_is_interpolated():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        t, w, y = line.split(",")
        if t == "60":
            w = f"{float(w) + 0.2:.1f}"  # spectrometer recalibrated by 0.2 nm
        out.append(",".join((t, w, y)))
    series = read_spectral_series("\n".join(out).encode(), "shift.csv")
    assert series.n_spectra == 3
    assert has_note(series, "interpolated linearly onto the grid of the first")
    assert has_note(series, "time (min) = 60")


def test_long_table_grids_that_cannot_be_pivoted():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    out = [lines[0]] + [
        ln
        for ln in lines[1:]
        if not (ln.startswith("30,") and float(ln.split(",")[1]) > 600)
    ]
    with pytest.raises(InputError) as error:
        read_spectral_series("\n".join(out).encode(), "cut.csv")
    message = str(error.value)
    assert "cut.csv: the spectrum at time (min) = 30 covers 500-600 nm" in message
    assert "one wavelength grid for all spectra" in message


def test_long_table_duplicate_wavelength_names_line():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    lines.insert(5, lines[4])  # repeat "0,506.0,..." at line 6
    with pytest.raises(InputError) as error:
        read_spectral_series("\n".join(lines).encode(), "dup.csv")
    assert "line 6: wavelength 506 nm appears twice for time (min) = 0" in str(
        error.value
    )


def test_headerless_long_table():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()[1:]
    series = read_spectral_series("\n".join(lines).encode(), "bare_long.csv")
    assert series.n_spectra == 3
    assert series.axis.tolist() == [0.0, 30.0, 60.0]
    assert has_note(series, "no header; it was read as a long table")


# --- Excel ----------------------------------------------------------------------


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


# --- instrument exports (synthetic) -------------------------------------------------


def test_spectrawin_two_column_export():
    name = "synthetic_spectrawin_pr655.txt"
    series = read_spectral_series(fixture(name), name)
    assert series.wavelength_nm.size == 101
    assert series.wavelength_nm[[0, -1]].tolist() == [380.0, 780.0]
    # Gaussian at 630 nm on a 4 nm grid: 628 and 632 nm tie up to rounding.
    assert peak_nm(series) in (628.0, 632.0)
    assert has_note(series, "model PR-655")
    assert has_note(series, "exposure 250 ms")


def test_spectrawin_start_end_step_export():
    name = "synthetic_spectrawin_pr715_start_end_step.txt"
    series = read_spectral_series(fixture(name), name)
    two_column = read_spectral_series(
        fixture("synthetic_spectrawin_pr655.txt"), "pr655.txt"
    )
    np.testing.assert_allclose(series.wavelength_nm, two_column.wavelength_nm)
    np.testing.assert_allclose(series.intensity, two_column.intensity, rtol=1e-12)
    assert has_note(series, "380-780 nm in 4 nm steps")


def test_spectrawin_bad_sections():
    text = fixture("synthetic_spectrawin_pr715_start_end_step.txt").decode()
    short = text.replace("[END OF SECTION]\n", "").rsplit("\n", 6)[0]
    with pytest.raises(InputError) as error:
        read_spectral_series(short.encode(), "pr715.txt")
    assert "gives the grid 380-780 nm in 4 nm steps (101 wavelengths) but holds 96" in (
        str(error.value)
    )
    empty = "[HEADER]\nModel Num.: PR-655\n[END OF SECTION]\n[SPECTRAL]\n"
    with pytest.raises(InputError) as error:
        read_spectral_series(empty.encode(), "empty.txt")
    assert "empty.txt, line 4: the [SPECTRAL] section is empty" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectral_series(b"[HEADER]\nTitle: x\n[END OF SECTION]\n", "nospec.txt")
    assert "has no [SPECTRAL] section" in str(error.value)


def test_transposed_series_midnight_wrap():
    name = "synthetic_transposed_midnight.txt"
    series = read_spectral_series(fixture(name), name)
    np.testing.assert_allclose(series.axis, np.array([0, 10, 20]) / 3600)
    assert has_note(series, "pass midnight 1 time(s)")
    assert [peak_nm(series, i) for i in range(3)] == SYNTHETIC_PEAKS_NM


def test_parse_timestamp_formats():
    assert parse_timestamp("Thu Jun 19 19:20:35 CEST 2025").isoformat() == (
        "2025-06-19T19:20:35"
    )
    assert parse_timestamp("03/15/2024 10:32:15 PM").hour == 22
    assert parse_timestamp("sometime last week") is None


# --- several files ---------------------------------------------------------------


def single_spectrum_text(peak, shift_nm=0.0):
    w = np.arange(560, 681, 2.0) + shift_nm
    y = 1000 * np.exp(-0.5 * ((w - peak) / 8.5) ** 2)
    return "".join(f"{a:.2f}\t{b:.4f}\n" for a, b in zip(w, y, strict=True)).encode()


def test_files_ordered_by_number_in_name_as_axis():
    files = [
        ("EL_10V.txt", single_spectrum_text(610)),
        ("EL_2V.txt", single_spectrum_text(630)),
        ("EL_5.5V.txt", single_spectrum_text(620)),
    ]
    series = read_spectra_files(files, axis_name="voltage")
    assert series.axis.tolist() == [2.0, 5.5, 10.0]
    assert (series.axis_name, series.axis_unit) == ("voltage", "V")
    assert [peak_nm(series, i) for i in range(3)] == [630.0, 620.0, 610.0]
    assert series.label == "EL"
    plain = read_spectra_files(files)
    assert plain.axis.tolist() == [0.0, 1.0, 2.0]
    assert plain.source.split(", ")[0] == "EL_2V.txt"


def test_files_given_order_and_axis_values():
    files = [("b.txt", single_spectrum_text(610)), ("a.txt", single_spectrum_text(630))]
    series = read_spectra_files(
        files, order="given", axis_name="current_density", axis_values=[5.0, 1.0]
    )
    assert peak_nm(series, 0) == 610.0
    assert series.axis.tolist() == [5.0, 1.0]
    assert series.axis_unit == "mA/cm²"
    with pytest.raises(InputError) as error:
        read_spectra_files(files, axis_values=[1.0])
    assert "1 axis values were given for 2 spectra" in str(error.value)


def test_files_on_different_grids_are_interpolated():
    files = [
        ("s1.txt", single_spectrum_text(620)),
        ("s2.txt", single_spectrum_text(620, shift_nm=1.0)),
    ]
    series = read_spectra_files(files)
    assert has_note(series, "s2.txt interpolated linearly onto the grid of s1.txt")
    assert has_note(series, "grid cut to 562-680 nm")
    assert series.wavelength_nm[0] == 562.0


def test_files_errors_name_the_file():
    files = [("good_1.txt", single_spectrum_text(620)), ("bad_2.txt", b"\x00\x01")]
    with pytest.raises(InputError) as error:
        read_spectra_files(files)
    assert str(error.value).startswith("bad_2.txt is a binary file")
    with pytest.raises(InputError) as error:
        read_spectra_files([("x.txt", single_spectrum_text(620))], order="timestamp")
    assert "x.txt: no time stamp was found in the file" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectra_files([("wide.csv", fixture("synthetic_wide_time.csv"))])
    assert "wide.csv holds 3 spectra; expected one spectrum per file" in str(
        error.value
    )
    with pytest.raises(InputError) as error:
        read_spectra_files(
            [
                ("a1.txt", single_spectrum_text(620)),
                ("b.txt", single_spectrum_text(621)),
            ],
            axis_name="time",
        )
    assert "b.txt: the file name has no number" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectra_files([])
    assert "no spectrum files were given" in str(error.value)


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


def raises(data: bytes, name: str = "bad.csv", **kwargs) -> str:
    with pytest.raises(InputError) as error:
        read_spectral_series(data, name, **kwargs)
    return str(error.value)


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


def test_truncated_spectrasuite_export():
    text = real(GREEN).decode("latin-1")
    head = text.split(">>>>>Begin")[0] + ">>>>>Begin Processed Spectral Data<<<<<\n"
    message = raises(head.encode("latin-1"), "cut.txt")
    assert message.startswith(
        "cut.txt, line 17: the SpectraSuite export has the "
        "'>>>>>Begin Processed Spectral Data<<<<<' marker but no data rows after it"
    )
    assert "looks truncated" in message


def test_truncated_spectrasuite_synthetic():
    text = "SpectraSuite Data File\nDate: Wed Nov 27 17:21:38 EET 2013\n"
    text += ">>>>>Begin Processed Spectral Data<<<<<\n\n"
    message = raises(text.encode(), "cut.txt")
    assert "cut.txt, line 3: the SpectraSuite export has the" in message


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


def test_unknown_axis_name():
    message = raises(wide_text().encode(), axis_name="pressure")
    assert "axis name 'pressure' is not known; expected one of time, voltage" in message


def test_user_grid_ignored_when_file_has_wavelengths():
    series = read_spectral_series(
        wide_text().encode(), "w.csv", wavelength_nm=np.arange(121.0)
    )
    assert has_note(series, "wavelength grid given was not used")
    np.testing.assert_allclose(series.wavelength_nm, reference_series().wavelength_nm)


def test_long_table_with_only_blank_rows():
    # Found by fuzzing: a header that splits into a long-table header, no data.
    text = "Wavelength (nm)\tt = 0 h\tt = 1 h\n300\t300\tNaN\n300\n300\n300\n300"
    message = raises(text.encode())
    assert "bad.csv: found 0 wavelengths with a value" in message


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
