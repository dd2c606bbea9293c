"""core.io.lifetime_log: layouts, units, several logs, and a sentence per bad input."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from core.errors import InputError
from core.io.lifetime_log import read_lifetime_log, read_lifetime_logs

ANGLE = "simone-peled_angle_lifetime-program-format.txt"


def read(text: str, name: str = "log.csv", **kwargs):
    return read_lifetime_log(text.encode("utf-8"), name, **kwargs)


# --- the real lifetime-program layout ---------------------------------------------


def test_real_lifetime_program_file_gets_the_line_where_time_restarts(realdata):
    data = (realdata / ANGLE).read_bytes()
    with pytest.raises(InputError) as caught:
        read_lifetime_log(data, ANGLE)
    # Line 29 holds 8.1705E-1 s, line 30 restarts at 0 (each block is repeated).
    assert str(caught.value) == (
        f"{ANGLE}, line 30: time goes back from 0.81705 s (line 29) to 0 s; expected "
        "time that increases down the file. The file seems to hold several runs "
        "(time restarts): split it into one file per run."
    )
    assert caught.value.line == 30


def test_real_lifetime_program_layout_is_parsed(realdata):
    # The first run of the file (its preamble, header and first 5 rows) is a
    # valid log: a photodiode signal (relative), voltage, current / area.
    lines = (realdata / ANGLE).read_bytes().split(b"\r\n")
    log = read_lifetime_log(b"\r\n".join(lines[:29]), ANGLE)
    assert log.relative
    assert log.time_h.size == 5
    assert log.time_h[-1] == pytest.approx(0.81705 / 3600)
    # Background 9.9e-14 V subtracted from 1.967e-10 V.
    assert log.luminance_cd_m2[0] == pytest.approx(1.9670e-10 - 9.9e-14)
    assert log.voltage_v == pytest.approx([0.03] * 5)
    # 2.9178e3 mA over 0.1 cm² (Device Area (cm^2) in the preamble).
    assert log.current_density_ma_cm2[0] == pytest.approx(29178.0)
    notes = " ".join(log.notes)
    assert "luminance from column 4 'V Det (V)' (photodiode, relative)" in notes
    assert "device area 0.1 cm² (from the preamble)" in notes
    assert "'Detector Background (V)' = 9.9e-14" in notes
    assert "Relative data without L0" in notes


# --- layouts and units -------------------------------------------------------------


def test_csv_in_seconds_with_voltage_and_current_density():
    log = read(
        "Time (s),Luminance (cd/m2),Voltage (V),J (mA/cm2)\n"
        "0,101.0,2.60,3.1\n1800,80.0,2.70,3.1\n3600,60.0,2.80,3.1\n"
    )
    assert log.time_h == pytest.approx([0.0, 0.5, 1.0])
    assert log.luminance_cd_m2 == pytest.approx([101.0, 80.0, 60.0])
    assert not log.relative and log.initial_luminance_cd_m2 is None
    assert log.voltage_v == pytest.approx([2.6, 2.7, 2.8])
    assert log.current_density_ma_cm2 == pytest.approx([3.1] * 3)
    assert log.label == "log" and log.source == "log.csv"


def test_tab_minutes_and_semicolon_decimal_comma_hours():
    tab = read("Time (min)\tL (cd/m²)\n0\t100\n30\t90\n60\t80\n", "a.txt")
    assert tab.time_h == pytest.approx([0.0, 0.5, 1.0])
    semi = read("time_h;L (cd/m2)\n0,0;100,5\n0,5;90,25\n1,0;80,0\n", "b.csv")
    assert semi.time_h == pytest.approx([0.0, 0.5, 1.0])
    assert semi.luminance_cd_m2 == pytest.approx([100.5, 90.25, 80.0])


def test_relative_luminance_in_percent_is_a_relative_log_with_the_users_l0():
    log = read("t (h),L/L0 (%)\n0,100\n1,90\n2,80\n", initial_luminance_cd_m2=1000.0)
    assert log.relative and log.initial_luminance_cd_m2 == 1000.0
    assert "L0 = 1000 cd/m² given by the user." in log.notes


def test_absolute_log_with_a_users_l0_says_which_is_used():
    log = read("Time (h),L (cd/m2)\n0,98\n1,90\n2,80\n", initial_luminance_cd_m2=100)
    assert not log.relative and log.initial_luminance_cd_m2 == 100.0
    assert any("used for conversions; the first reading is 98" in n for n in log.notes)


def test_current_in_amps_with_area_in_mm2_gives_current_density():
    log = read(
        "Area (mm2) : 4.00\n\nTime (s)\tL (cd/m2)\tI (A)\n"
        "0\t100\t0.0002\n60\t99\t0.0002\n120\t98\t0.0002\n",
        "dev.txt",
    )
    # 0.2 mA over 0.04 cm² = 5 mA/cm².
    assert log.current_density_ma_cm2 == pytest.approx([5.0] * 3)


def test_current_without_area_is_kept_out_with_a_note():
    log = read("Time (s),L (cd/m2),I (mA)\n0,100,1\n1,99,1\n2,98,1\n")
    assert log.current_density_ma_cm2 is None
    assert any("the file gives no device area" in n for n in log.notes)


def test_an_el_intensity_column_is_read_as_a_relative_signal():
    log = read("Time (s),EL intensity (a.u.)\n0,5000\n10,4900\n20,4800\n")
    assert log.relative and log.luminance_cd_m2[0] == 5000


def test_luminance_wins_over_a_photodiode_column_and_says_so():
    log = read("Time (s),PD (V),L (cd/m2)\n0,0.5,100\n1,0.49,99\n2,0.48,98\n")
    assert not log.relative and log.luminance_cd_m2[0] == 100
    assert any("column 2 'PD (V)' was not used" in n for n in log.notes)


def test_unrecognised_columns_are_named_in_the_notes():
    log = read("Time (s),L (cd/m2),Temperature (C)\n0,100,25\n1,99,25\n2,98,25\n")
    assert any("column 3 'Temperature (C)' was not recognised" in n for n in log.notes)


def test_several_luminance_columns_give_several_logs():
    text = "Time (h),L1 (cd/m2),L2 (cd/m2),L3 (cd/m2)\n0,100,300,1000\n1,90,250,600\n"
    text += "2,80,200,300\n"
    logs = read_lifetime_logs(text.encode(), "multi.csv")
    assert [log.label for log in logs] == [
        "multi – L1 (cd/m2)",
        "multi – L2 (cd/m2)",
        "multi – L3 (cd/m2)",
    ]
    assert logs[2].luminance_cd_m2 == pytest.approx([1000, 600, 300])
    with pytest.raises(InputError) as caught:
        read_lifetime_log(text.encode(), "multi.csv")
    assert str(caught.value).startswith(
        "multi.csv holds 3 luminance columns ('multi – L1 (cd/m2)', "
    )


def test_voltage_columns_pair_with_luminance_columns_in_order():
    text = (
        "Time (h),L1 (cd/m2),V1 (V),L2 (cd/m2),V2 (V)\n"
        "0,100,3.0,300,3.5\n1,90,3.1,250,3.6\n2,80,3.2,200,3.7\n"
    )
    first, second = read_lifetime_logs(text.encode(), "pairs.csv")
    assert first.voltage_v == pytest.approx([3.0, 3.1, 3.2])
    assert second.voltage_v == pytest.approx([3.5, 3.6, 3.7])
    # One voltage for two luminance columns cannot be attributed: noted.
    text = "Time (h),L1 (cd/m2),L2 (cd/m2),V (V)\n0,100,300,3\n1,90,250,3\n2,80,200,3\n"
    logs = read_lifetime_logs(text.encode(), "one_v.csv")
    assert all(log.voltage_v is None for log in logs)
    assert any(
        "column 4 'V (V)' was not used: it cannot be matched" in n
        for n in logs[0].notes
    )


def test_first_sheet_of_an_xlsx_workbook():
    frame = pd.DataFrame({"Time (min)": [0, 30, 60], "L (cd/m2)": [100, 90, 80]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    log = read_lifetime_log(buffer.getvalue(), "log.xlsx")
    assert log.time_h == pytest.approx([0.0, 0.5, 1.0])
    assert log.luminance_cd_m2 == pytest.approx([100, 90, 80])


def test_time_unit_chosen_by_the_user_overrides_the_header_with_a_note():
    log = read("Time (s),L (cd/m2)\n0,100\n1,90\n2,80\n", time_unit="min")
    assert log.time_h == pytest.approx([0, 1 / 60, 2 / 60])
    assert any("Time read in min as chosen" in n for n in log.notes)


def test_headerless_two_columns_with_a_time_unit_are_time_and_signal():
    log = read("0\t1.00\n10\t0.95\n20\t0.90\n", "raw.txt", time_unit="s")
    assert log.relative and log.time_h[-1] == pytest.approx(20 / 3600)


def test_nan_rows_are_dropped_with_their_lines_and_blank_voltage_kept():
    log = read("Time (s),L (cd/m2),V (V)\n0,100,3\n1,NaN,3\n2,98,\n3,,3\n4,96,3.1\n")
    assert log.luminance_cd_m2 == pytest.approx([100, 98, 96])
    assert np.isnan(log.voltage_v[1])
    assert any(
        "2 row(s) without a number" in n and "(line 3, 5)" in n for n in log.notes
    )
    assert any("1 voltage reading(s) are blank" in n for n in log.notes)


def test_negative_readings_are_kept_and_counted():
    log = read("Time (s),L (cd/m2)\n0,100\n1,50\n2,-0.3\n")
    assert log.luminance_cd_m2[-1] == -0.3
    assert "1 negative luminance reading(s) kept as measured (noise)." in log.notes


# --- bad inputs: one sentence each -------------------------------------------------


def test_synthetic_time_that_goes_back():
    with pytest.raises(InputError) as caught:
        read("Time (min),L (cd/m2)\n0,100\n5,95\n3,90\n")
    assert str(caught.value).startswith(
        "log.csv, line 4: time goes back from 5 min (line 3) to 3 min; expected time"
    )


def test_empty_file():
    with pytest.raises(InputError, match=r"^log\.csv is empty: expected a text table"):
        read_lifetime_log(b"", "log.csv")


def test_binary_file():
    with pytest.raises(InputError, match=r"^log\.bin is a binary file: expected"):
        read_lifetime_log(b"\x00\x01\x02\x03" * 20, "log.bin")


def test_one_column():
    with pytest.raises(InputError, match=r"line 2: expected at least 2 columns"):
        read("Time (s)\n0\n1\n2\n")


def test_text_in_a_number_column():
    with pytest.raises(InputError) as caught:
        read("Time (s),L (cd/m2)\n0,100\n1,n/a\n2,98\n")
    assert str(caught.value) == (
        "log.csv, line 3, column 2 'L (cd/m2)': expected a number, found 'n/a'. "
        "Blank the cell or remove the row."
    )


def test_time_without_a_unit():
    with pytest.raises(InputError) as caught:
        read("Time,L (cd/m2)\n0,100\n1,99\n2,98\n")
    assert str(caught.value) == (
        "log.csv, column 1 'Time': expected the time unit (s, min or h) in the "
        "header, e.g. 'Time (s)'; found no unit. Choose the time unit."
    )
    assert read("Time,L (cd/m2)\n0,100\n1,99\n2,98\n", time_unit="h").time_h[-1] == 2


def test_no_time_column():
    with pytest.raises(InputError, match=r"no time column was found among 'V \(V\)'"):
        read("V (V),L (cd/m2)\n3,100\n3,99\n3,98\n")


def test_no_luminance_column():
    with pytest.raises(InputError, match=r"no luminance column was found among"):
        read("Time (s),V (V)\n0,3\n1,3\n2,3\n")


def test_headerless_without_a_time_unit():
    with pytest.raises(InputError, match=r"raw\.txt has no header line: expected"):
        read("0\t1.00\n10\t0.95\n20\t0.90\n", "raw.txt")


def test_first_reading_in_the_dark():
    with pytest.raises(InputError) as caught:
        read("Time (s),L (cd/m2)\n0,0\n1,99\n2,98\n")
    assert str(caught.value).startswith(
        "log.csv, line 2, column 2 'L (cd/m2)': the first reading is 0; expected a "
        "positive initial luminance L0."
    )


def test_all_readings_zero_or_negative():
    with pytest.raises(InputError, match=r"every reading is zero or negative"):
        read("Time (s),L (cd/m2)\n0,0\n1,-1\n2,0\n")


def test_too_few_readings():
    with pytest.raises(InputError, match=r"expected at least 3 readings with a time "):
        read("Time (s),L (cd/m2)\n0,100\n1,99\n")


def test_bad_time_unit_and_bad_l0():
    with pytest.raises(InputError, match=r"Time unit 'days' is not known: expected"):
        read("Time (s),L (cd/m2)\n0,100\n1,99\n2,98\n", time_unit="days")
    with pytest.raises(InputError, match=r"L0 for log\.csv is -5; expected a positive"):
        read("Time (s),L (cd/m2)\n0,100\n1,99\n2,98\n", initial_luminance_cd_m2=-5)


def test_broken_xlsx():
    with pytest.raises(InputError, match=r"bad\.xlsx is not a valid \.xlsx workbook"):
        read_lifetime_log(b"PK\x03\x04 not really a zip", "bad.xlsx")


def test_newest_first_log_is_reversed_with_a_note():
    log = read_lifetime_log(
        b"Time (h),L (cd/m2)\n3,70\n2,80\n1,90\n0,100\n", "newest_first.csv"
    )
    assert list(log.time_h) == [0.0, 1.0, 2.0, 3.0]
    assert list(log.luminance_cd_m2) == [100.0, 90.0, 80.0, 70.0]
    assert any("newest reading first" in note for note in log.notes)
