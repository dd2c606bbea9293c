"""Tests for core/literature/ranking.py, on a hand-made table and the curated one."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core import literature
from core.errors import InputError


def test_rank_known_ranks_and_percentiles(small_table):
    device = {
        "eqe_max_percent": 20.0,
        "luminance_max_cd_m2": 4000.0,
        "cie_x": 0.70,
        "cie_y": 0.30,
        "t50_h": 20.0,
        "t50_initial_luminance_cd_m2": 100.0,
    }
    result = literature.rank_device(device, small_table, 100, n=2).set_index("metric")
    # EQE: literature 10, 20, 30, 20 (row e not rankable); one strictly better.
    assert result.loc["eqe_max_percent", "rank"] == 2
    assert result.loc["eqe_max_percent", "n_compared"] == 4
    assert result.loc["eqe_max_percent", "percentile"] == pytest.approx(75.0)
    assert result.loc["eqe_max_percent", "best_record_id"] == "c"
    # L max: 1000, 5000, 3000 (b blank); one better (5000).
    assert result.loc["luminance_max_cd_m2", "rank"] == 2
    assert result.loc["luminance_max_cd_m2", "n_compared"] == 3
    assert result.loc["luminance_max_cd_m2", "percentile"] == pytest.approx(200 / 3)
    # T50 at 100: a = 1 h * (1000/100)^2 = 100 h, b = 10 h, d has no L0.
    assert result.loc["t50_ref_h", "n_compared"] == 2
    assert result.loc["t50_ref_h", "rank"] == 2
    assert result.loc["t50_ref_h", "best_value"] == pytest.approx(100.0)
    assert result.loc["t50_ref_h", "percentile"] == pytest.approx(50.0)
    # CIE distance (lower is better): a = 0, b = d(0.70, 0.30), d larger.
    assert result.loc["cie_distance_bt2020_red", "n_compared"] == 3
    assert result.loc["cie_distance_bt2020_red", "rank"] == 2  # ties with b
    assert result.loc["cie_distance_bt2020_red", "value"] == pytest.approx(
        math.hypot(0.008, 0.008)
    )


def test_rank_extremes_and_missing(small_table):
    best = literature.rank_device({"eqe_max_percent": 50.0}, small_table)
    row = best.set_index("metric").loc["eqe_max_percent"]
    assert (row["rank"], row["percentile"]) == (1, 100.0)
    worst = literature.rank_device({"eqe_max_percent": 1.0}, small_table)
    row = worst.set_index("metric").loc["eqe_max_percent"]
    assert (row["rank"], row["percentile"]) == (5, 0.0)
    missing = worst.set_index("metric").loc["luminance_max_cd_m2"]
    assert pd.isna(missing["rank"]) and missing["note"] == "not given"
    assert list(worst["metric"]) == [m.name for m in literature.RANK_METRICS]


def test_rank_rejects_text_metric(small_table):
    with pytest.raises(InputError) as error:
        literature.rank_device({"eqe_max_percent": "high"}, small_table)
    assert str(error.value) == (
        "Device metric 'eqe_max_percent' must be a number, found 'high'."
    )


def test_rank_against_curated_table(table):
    result = literature.rank_device({"eqe_max_percent": 26.0}, table)
    row = result.set_index("metric").loc["eqe_max_percent"]
    assert row["n_compared"] == int(
        (table["rankable"] & table["eqe_max_percent"].notna()).sum()
    )
    assert row["rank"] >= 1


def test_rank_devices_has_one_row_per_device_and_metric(small_table):
    devices = {
        "mine": {"eqe_max_percent": 20.0, "luminance_max_cd_m2": 4000.0},
        "best": {"eqe_max_percent": 50.0},
    }
    ranks = literature.rank_devices(devices, small_table, 100, n=2)
    assert list(ranks.columns) == ["device", "metric", "rank", "of", "percentile"]
    n_metrics = len(literature.RANK_METRICS)
    assert list(ranks.device) == ["mine"] * n_metrics + ["best"] * n_metrics
    eqe_label = literature.rank_device(devices["mine"], small_table).label.iloc[0]
    mine = ranks[(ranks.device == "mine") & (ranks.metric == eqe_label)].iloc[0]
    # The same numbers as test_rank_known_ranks_and_percentiles: #2 of 4 + 1.
    assert (mine["rank"], mine["of"], mine["percentile"]) == (2, 5, 75.0)
    best = ranks[(ranks.device == "best") & (ranks.metric == eqe_label)].iloc[0]
    assert best["rank"] == 1 and best["percentile"] == 100.0
    assert literature.rank_devices({}, small_table).empty
