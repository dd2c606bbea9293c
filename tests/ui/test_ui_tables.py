"""
ui/tables.py and the table downloads of ui/export.py: labelled headers and
rounded values on screen, CSV and Excel buttons side by side.
"""

from __future__ import annotations

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from ui.tables import shown_text


def _table_script():
    import numpy as np
    import pandas as pd
    import streamlit as st

    from ui.tables import show_table

    frame = pd.DataFrame(
        {
            "device": ["Control", "Treated"],
            "eqe_max_percent": [14.504282, 26.117359],
            "T50_h": [0.710003, 8.172115],
            "T50_uncertainty_h": [0.013883, 0.03354],
            "T50_shown": ["42.6 ± 0.83 min", "8.17 ± 0.034 h"],
        }
    )
    show_table(
        frame,
        "t_csv",
        "lifetime_table",
        column_config={"T50_shown": st.column_config.TextColumn("T50 ± 1σ")},
    )
    ranking = pd.DataFrame(
        {
            "metric": ["eqe_max_percent", "luminance_max_cd_m2"],
            "label": ["Maximum EQE", "Maximum luminance"],
            "value": [14.504282, 5024.715585],
        }
    )
    show_table(ranking, "r_csv", "ranking")
    side = pd.DataFrame(
        {"metric": ["EL peak", "series"], "unit": ["nm", ""],
         "Control": [643.837002, "time [h]"], "Δ": [np.nan, np.nan]}
    )  # fmt: skip
    show_table(side, "s_csv")


def test_tables_show_labels_and_rounded_values_with_two_downloads():
    at = AppTest.from_function(_table_script).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "device",
        "EQE max [%]",
        "T50 [h]",
        "± T50 [h]",
        "T50 ± 1σ",
    ]
    assert table["EQE max [%]"].tolist() == [14.5, 26.1]
    assert table["T50 [h]"].tolist() == [0.710, 8.172]
    assert table["± T50 [h]"].tolist() == [0.014, 0.034]
    # Column settings given by machine name reach the labelled column.
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["T50 ± 1σ"]["type_config"] == {"type": "text"}
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Table (CSV)", "Table (Excel)"] * 2  # none for the third
    assert "every digit" in at.get("download_button")[0].proto.help
    assert "rounded as on the page" in at.get("download_button")[1].proto.help


def test_a_machine_metric_beside_its_label_is_hidden_and_rows_keep_units():
    at = AppTest.from_function(_table_script).run()
    ranking = at.dataframe[1].value
    assert list(ranking.columns) == ["label", "value"]
    assert ranking["value"].tolist() == [14.5, 5025.0]  # % then cd/m² digits
    side = at.dataframe[2].value
    # A column of numbers and text is shown as text, each number rounded.
    assert side["Control"].tolist() == ["643.8", "time [h]"]


def test_shown_text():
    assert shown_text(18500.0) == "18500"
    assert shown_text(np.nan) == "—"
    assert shown_text(0.014) == "0.014"
    assert shown_text(3) == 3
