"""
core/tables/files.py: CSV for Origin and scripts (labelled, every digit) and
.xlsx for Excel, read back with openpyxl and pandas (independent of the
writer's code).
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd

from core.tables import csv_bytes, xlsx_bytes


def test_csv_has_labelled_headers_and_full_precision():
    frame = pd.DataFrame(
        {
            "device": ['=HYPERLINK("x")', "-3.5", "Treated"],
            "eqe_max_percent": [14.504282, 26.117359, np.nan],
        }
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads ² and ±
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["device", "EQE max [%]"]
    assert back["EQE max [%]"].iloc[0] == 14.504282
    assert np.isnan(back["EQE max [%]"].iloc[2])
    # A formula is text in a spreadsheet; a negative number stays a number.
    assert back["device"].tolist() == ['\'=HYPERLINK("x")', "-3.5", "Treated"]


def test_xlsx_keeps_numbers_full_with_the_shown_format_bold_frozen_header():
    frame = pd.DataFrame(
        {
            "device": ["=1+1", "Treated"],
            "T50_h": [8.172115, 0.710003],
            "T50_uncertainty_h": [0.03354, 0.013883],
            "luminance_max_cd_m2": [5024.715585, 18493.459769],
            "above_turn_on": [True, False],
            "n": [3, 4],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, sheet="lifetime")))
    sheet = book["lifetime"]
    assert [c.value for c in sheet[1]] == [
        "device",
        "T50 [h]",
        "± T50 [h]",
        "luminance max [cd/m²]",
        "above turn-on",
        "n",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 8.172115 and sheet["B2"].number_format == "0.000"
    assert sheet["C2"].value == 0.03354 and sheet["C2"].number_format == "0.000"
    assert sheet["B3"].number_format == "0.000"  # 0.710 ± 0.014
    assert sheet["D2"].value == 5024.715585 and sheet["D2"].number_format == "0"
    assert sheet["E2"].value is True and sheet["F2"].value == 3
    read = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert read["T50 [h]"].tolist() == [8.172115, 0.710003]


def test_csv_keeps_every_digit_after_colour_science_changed_numpys_printing():
    import colour  # noqa: F401  sets numpy.set_printoptions(legacy="1.13")

    value = 0.02625920629901049
    assert str(np.float64(value)) == "0.026259206299"  # 12 digits: the trap
    frame = pd.DataFrame({"t95_h": [value], "mixed": [value]}).astype({"mixed": object})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1] == "0.02625920629901049,0.02625920629901049"
