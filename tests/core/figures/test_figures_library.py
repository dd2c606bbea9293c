"""core/figures/library.py: the trends chart draws each device's number with
its error bar against date made or batch, with each batch's median."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.figures.library import trend_chart, trend_frame
from core.figures.theme import chart_spec

TABLE = pd.DataFrame(
    {
        "name": ["A1", "A2", "A3", "A4"],
        "batch": ["B1", "B1", "B2", ""],
        "date made": [
            dt.date(2026, 1, 5),
            dt.date(2026, 1, 6),
            None,
            dt.date(2026, 2, 1),
        ],
        "peak shift [nm]": [4.0, 2.0, 1.0, np.nan],
        "σ peak shift [nm]": [0.5, np.nan, 0.1, 0.2],
        "low": [1.0, 2.0, 3.0, 4.0],
        "high": [2.0, 3.0, 4.0, 5.0],
    }
)


def test_the_frame_keeps_drawable_rows_with_their_error_bars():
    by_date = trend_frame(TABLE, "peak shift [nm]", "date made", "σ peak shift [nm]")
    assert list(by_date["name"]) == ["A1", "A2"]  # A3 has no date, A4 no number
    assert by_date.loc[0, ["low", "high"]].tolist() == [3.5, 4.5]
    assert np.isnan(by_date.loc[1, "low"])
    by_batch = trend_frame(TABLE, "peak shift [nm]", "batch", ("low", "high"))
    assert list(by_batch["name"]) == ["A1", "A2", "A3"]
    assert by_batch["high"].tolist() == [2.0, 3.0, 4.0]


def test_the_chart_layers_error_bars_points_and_batch_medians():
    spec = chart_spec(
        trend_chart(TABLE, "peak shift [nm]", by="batch", error="σ peak shift [nm]")
    )
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "point", "tick"]
    assert spec["layer"][2]["encoding"]["y"]["aggregate"] == "median"
    by_date = chart_spec(trend_chart(TABLE, "peak shift [nm]"))
    assert [layer["mark"]["type"] for layer in by_date["layer"]] == ["rule", "point"]
    assert by_date["layer"][1]["encoding"]["x"]["type"] == "temporal"
    with pytest.raises(ValueError, match="by must be"):
        trend_chart(TABLE, "peak shift [nm]", by="owner")
