"""Tests for core.io.jvl: J-V-L(-EQE) sweep reader."""

from __future__ import annotations

import io

import numpy as np
import pytest
from support import REALDATA

from core.errors import InputError
from core.io.jvl import area_from_preamble_cm2, format_line_numbers, read_jvl

SIMONE = "simone-peled_DC_data.dat"
BSUBPC = "bsubpc-oled_OLED-004_A1-1_JVL.txt"


def _real(name: str) -> bytes:
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    return path.read_bytes()


# --- real instrument files ---------------------------------------------------


def test_simone_labview_export_preamble_inf_misspelt_header():
    sweep = read_jvl(_real(SIMONE), SIMONE)
    # 161 rows from -0.5 V to 7.5 V in 0.05 V steps (SOURCES.md); the single
    # Inf sits in the PE column, which is not used, so no row is dropped.
    assert sweep.voltage_v.size == 161
    assert sweep.voltage_v[0] == -0.5 and sweep.voltage_v[-1] == 7.5
    assert sweep.area_cm2 == pytest.approx(0.1)  # "Area (mm2) : 10.00"
    assert sweep.eqe_percent is not None
    assert sweep.luminance_cd_m2.max() == pytest.approx(6.743e4)
    notes = " | ".join(sweep.notes)
    assert "device area 0.1 cm² read from the preamble ('Area (mm2)')" in notes
    assert "column 6 'PE (lm/W)' (power efficiency) not used" in notes
    assert "column 3 'I_PD (A)' (photodiode) not used" in notes
    assert sweep.label == "simone-peled_DC_data"


def test_bsubpc_tab_scientific_current_and_density():
    sweep = read_jvl(_real(BSUBPC), BSUBPC)
    assert sweep.voltage_v.size == 56
    # J column used as written; the area follows from Current(A)/J: 0.16 cm².
    assert sweep.current_density_ma_cm2[10] == pytest.approx(1.45559e-2)
    assert sweep.area_cm2 == pytest.approx(0.16, rel=1e-3)
    assert any("inferred from the current" in n for n in sweep.notes)
    assert any("10 row(s) have a negative luminance" in n for n in sweep.notes)


# --- layouts -------------------------------------------------------------------


def test_current_with_area_in_preamble_gives_density():
    text = (
        "Device: A1\r\n"
        "Area (mm2) : 4.00\n"
        "\n"
        "Voltage (V)\tCurrent (mA)\tLuminance (cd/m2)\t\n"
        "2.0\t0.004\t0.5\t\r\n"
        "3.0\t0.4\t1000\t\n"
    )
    sweep = read_jvl(text.encode(), "a1.txt")
    np.testing.assert_allclose(sweep.current_density_ma_cm2, [0.1, 10.0])
    assert sweep.area_cm2 == pytest.approx(0.04)


def test_user_area_wins_over_preamble_and_is_noted():
    text = "Area (mm2): 4\nV (V),I (A),L (cd/m2)\n3.0,1e-4,100\n"
    sweep = read_jvl(text.encode(), "x.csv", area_cm2=0.1)
    assert sweep.current_density_ma_cm2[0] == pytest.approx(1.0)  # 0.1 mA/0.1 cm²
    assert any("preamble says 0.04 cm²" in n for n in sweep.notes)


def test_decimal_comma_semicolon_and_negative_exponent_units():
    text = (
        "U (V);J (mA cm-2);L (cd m-2);EQE (%)\n2,5;1,0E-1;2,0;1,5\n3,0;1,0;30,5;2,0\n"
    )
    sweep = read_jvl(text.encode("latin-1"), "eu.csv")
    np.testing.assert_allclose(sweep.voltage_v, [2.5, 3.0])
    np.testing.assert_allclose(sweep.current_density_ma_cm2, [0.1, 1.0])
    np.testing.assert_allclose(sweep.luminance_cd_m2, [2.0, 30.5])
    np.testing.assert_allclose(sweep.eqe_percent, [1.5, 2.0])


def test_rows_with_nan_or_inf_are_dropped_and_counted():
    text = (
        "V (V)\tJ (mA/cm2)\tL (cd/m2)\n"  # line 1
        "1.0\t0.01\t0.0\n"  # line 2
        "1.5\tInf\t0.1\n"  # line 3: dropped
        "2.0\t0.1\tNaN\n"  # line 4: dropped
        "2.5\t1.0\t10\n"  # line 5
    )
    sweep = read_jvl(text.encode(), "nan.txt")
    np.testing.assert_allclose(sweep.voltage_v, [1.0, 2.5])
    assert (
        "2 row(s) dropped for NaN/Inf/blank voltage, current density or "
        "luminance: line(s) 3-4" in sweep.notes
    )


def test_inf_in_eqe_column_kept_as_missing_with_note():
    text = "V (V)\tJ (mA/cm2)\tL (cd/m2)\tEQE (%)\n0\t0\t0\tInf\n3\t1\t10\t1\n"
    sweep = read_jvl(text.encode(), "e.txt")
    assert np.isnan(sweep.eqe_percent[0]) and sweep.eqe_percent[1] == 1.0
    assert any("EQE is NaN/Inf on 1 row(s) (line(s) 2)" in n for n in sweep.notes)


def test_xlsx_first_sheet():
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl not installed")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Voltage (V)", "J (mA/cm2)", "L (cd/m2)"])
    sheet.append([2.0, 0.1, 1.5])
    sheet.append([3.0, 10.0, 900.0])
    buffer = io.BytesIO()
    book.save(buffer)
    sweep = read_jvl(buffer.getvalue(), "sweep.xlsx")
    np.testing.assert_allclose(sweep.luminance_cd_m2, [1.5, 900.0])


def test_area_from_preamble_units():
    assert area_from_preamble_cm2({"Device Area (cm^2)": "1.000000E-1"})[0] == 0.1
    assert area_from_preamble_cm2({"Active area": "4 mm2"})[0] == pytest.approx(0.04)
    area, note = area_from_preamble_cm2({"Area": "0.04"})
    assert area is None
    assert note == (
        "the preamble entry 'Area: 0.04' has no unit (mm², cm²); it was not used "
        "as the device area"
    )


def test_format_line_numbers():
    assert format_line_numbers([9, 3, 4, 5]) == "3-5, 9"
    assert format_line_numbers(range(1, 40, 2), limit=3) == "1, 3, 5 and 17 more"


# --- bad inputs: each gets a sentence -------------------------------------------


def test_missing_luminance_names_the_columns_found():
    text = "V (V)\tJ (mA/cm2)\tEQE (%)\n2\t0.1\t1\n3\t1\t2\n"
    with pytest.raises(InputError) as error:
        read_jvl(text.encode(), "noL.txt")
    assert str(error.value) == (
        "noL.txt: expected a luminance column (e.g. 'L (cd/m2)'), but found "
        "'V (V)' (voltage), 'J (mA/cm2)' (current density), 'EQE (%)' (eqe). "
        "Name the columns in a header line above the numbers."
    )


def test_missing_voltage_and_luminance_in_headerless_file():
    with pytest.raises(InputError) as error:
        read_jvl(b"2\t0.1\t1\n3\t1\t2\n", "bare.txt")
    assert str(error.value) == (
        "bare.txt: expected a voltage column (e.g. 'Voltage (V)') and a luminance "
        "column (e.g. 'L (cd/m2)'), but found 3 columns without a header. Name the "
        "columns in a header line above the numbers."
    )


def test_current_without_area_asks_for_the_area():
    text = "V (V)\tI (A)\tL (cd/m2)\n2\t1e-6\t1\n"
    with pytest.raises(InputError) as error:
        read_jvl(text.encode(), "noarea.txt")
    assert str(error.value) == (
        "noarea.txt: column 2 'I (A)' holds a current but the file has no "
        "current-density column and no device area in its preamble; enter the "
        "device area in cm² (e.g. 0.04) so the current density can be computed."
    )


def test_no_current_at_all():
    with pytest.raises(InputError) as error:
        read_jvl(b"V (V)\tL (cd/m2)\n2\t1\n", "vl.txt")
    assert str(error.value) == (
        "vl.txt: expected a current column (e.g. 'Current (mA)') or a current "
        "density column (e.g. 'J (mA/cm2)'), but found 'V (V)' (voltage), "
        "'L (cd/m2)' (luminance)."
    )


def test_unknown_luminance_unit():
    text = "V (V)\tJ (mA/cm2)\tL (fL)\n2\t0.1\t1\n"
    with pytest.raises(InputError) as error:
        read_jvl(text.encode(), "fl.txt")
    assert str(error.value) == (
        "fl.txt: column 3 'L (fL)' looks like luminance but has unit 'fl'; expected "
        "cd/m² (or nit, kcd/m²). Put the unit in the header, e.g. 'L (cd/m2)'."
    )


def test_current_without_unit():
    text = "V (V)\tCurrent\tL (cd/m2)\n2\t0.1\t1\n"
    with pytest.raises(
        InputError,
        match="column 2 'Current' looks like current but has no unit; expected A or mA",
    ):
        read_jvl(text.encode(), "nounit.txt", area_cm2=0.04)


def test_text_in_number_column_names_line_and_column():
    text = "V (V)\tJ (mA/cm2)\tL (cd/m2)\n2\t0.1\t1\n3\t1\tn/a\n"
    with pytest.raises(InputError) as error:
        read_jvl(text.encode(), "text.txt")
    assert str(error.value) == (
        "text.txt, line 3, column 3 'L (cd/m2)': expected a number, found 'n/a'. "
        "Blank the cell or remove the row."
    )


def test_only_nan_rows():
    text = "V (V)\tJ (mA/cm2)\tL (cd/m2)\n2\tNaN\t1\n3\t1\tInf\n"
    with pytest.raises(InputError) as error:
        read_jvl(text.encode(), "allnan.txt")
    assert str(error.value) == (
        "allnan.txt: no row has a finite voltage, current density and luminance "
        "(lines 2-3); expected numbers, found only NaN, Inf or blanks."
    )


def test_empty_and_binary_files():
    with pytest.raises(InputError, match=r"^empty.txt is empty: expected a text "):
        read_jvl(b"", "empty.txt")
    with pytest.raises(InputError, match=r"^blob.dat is a binary file: expected"):
        read_jvl(b"\x00\x01\x02V\tJ\tL", "blob.dat")


def test_one_column():
    with pytest.raises(
        InputError,
        match=r"one.txt, line 2: expected at least 2 "
        r"columns .* found one column",
    ):
        read_jvl(b"Voltage (V)\n1\n2\n", "one.txt")


def test_bad_user_area():
    with pytest.raises(InputError) as error:
        read_jvl(b"V (V)\tI (A)\tL (cd/m2)\n2\t1\t1\n", "a.txt", area_cm2=-1.0)
    assert str(error.value) == (
        "a.txt: the device area must be a positive number in cm², got -1.0."
    )


def test_corrupt_xlsx():
    with pytest.raises(
        InputError,
        match=r"^bad\.xlsx is not a valid \.xlsx workbook \(not a zip archive\): "
        r"expected a workbook",
    ):
        read_jvl(b"PK\x03\x04garbage", "bad.xlsx")
