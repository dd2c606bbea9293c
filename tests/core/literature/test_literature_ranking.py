"""Tests for core/literature/ranking.py: ties, bounds and too-few rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core import literature
from core.errors import InputError

nan = np.nan


def six_rows(**columns) -> pd.DataFrame:
    """Six rankable rows a..f; metrics not given are blank."""
    base = {
        "record_id": list("abcdef"),
        "rankable": [True] * 6,
        "eqe_max_percent": [nan] * 6,
        "luminance_max_cd_m2": [nan] * 6,
        "cie_x": [nan] * 6,
        "cie_y": [nan] * 6,
        "t50_h": [nan] * 6,
        "t50_initial_luminance_cd_m2": [nan] * 6,
    }
    base.update(columns)
    return pd.DataFrame(base)


def eqe_row(device: dict, table: pd.DataFrame) -> pd.Series:
    return (
        literature.rank_device(device, table).set_index("metric").loc["eqe_max_percent"]
    )


EQE = [30.0, 20.0, 20.0, 15.0, 10.0, 5.0]


def test_values_equal_within_the_stated_precision_rank_equal_1224():
    table = six_rows(eqe_max_percent=EQE, eqe_max_percent_decimals=[1] * 6)
    # "20.0" is stated to 0.1 %: 20.04 is equal to both rows of 20.0, and the
    # three share rank 2 (competition ranking: 1, 2, 2, 2, 5...).
    row = eqe_row({"eqe_max_percent": 20.04}, table)
    assert (row["rank"], row["n_better"], row["n_equal"]) == (2, 1, 2)
    assert row["equal_record_ids"] == "b; c"
    assert row["shown"] == "#2 of 7"
    assert row["percentile"] == pytest.approx(100 * 5 / 6)
    # Outside the precision the order is strict both ways.
    assert eqe_row({"eqe_max_percent": 20.06}, table)["n_equal"] == 0
    below = eqe_row({"eqe_max_percent": 19.9}, table)
    assert (below["rank"], below["n_better"]) == (4, 3)


def test_the_decimals_as_written_win_over_the_float():
    # Written "20" (no decimal): a device at 20.4 % is equal to it.
    table = six_rows(eqe_max_percent=EQE, eqe_max_percent_decimals=[0] * 6)
    row = eqe_row({"eqe_max_percent": 20.4}, table)
    assert row["n_equal"] == 2 and row["rank"] == 2
    # Without the text, the float's shortest form stands in: 20.25 has 2
    # decimals; 20.0 reads as "20" (a trailing zero cannot be seen).
    frame = pd.DataFrame({"x": [20.25, 20.0, 8.1667]})
    assert literature.decimals_of(frame, "x").tolist() == [2.0, 0.0, 4.0]
    # From text, validate_table keeps what was written.
    assert [literature.stated_decimals(v) for v in ("20.0", "20", "8.1667")] == [
        1,
        0,
        4,
    ]


def test_the_seed_device_entered_as_490_min_ranks_equal_with_its_row(table):
    # Ren et al. 2024 (doi:10.1021/acsmaterialslett.4c00912): treated device,
    # T50 = 490 min at L0 = 102 cd/m²; the table holds 8.1667 h (4 decimals).
    device = {"t50_h": 490 / 60, "t50_initial_luminance_cd_m2": 102.0}
    row = literature.rank_device(device, table).set_index("metric").loc["t50_ref_h"]
    assert row["value"] == 490 / 60  # 102 is within 5 % of 100: not converted
    assert "ren2024acsml-treated" in row["equal_record_ids"].split("; ")
    assert "ren2024acsml-treated" not in row["better_record_ids"]
    # Two rankable rows have a T50 with an L0: too few for a rank.
    assert row["status"] == "too few to rank" and math.isnan(row["percentile"])
    assert pd.isna(row["rank"])
    assert row["shown"].startswith(f"too few to rank (n = {row['n_compared']}: ")
    assert "ren2024acsml-treated (equal to yours)" in row["shown"]


def test_the_seed_device_ranks_like_its_row_among_enough_rows(table):
    seed = table.loc[table["record_id"] == "ren2024acsml-treated"]
    others = six_rows(
        t50_h=[20.0, 12.0, 5.0, 4.0, 3.0, 1.0],
        t50_initial_luminance_cd_m2=[100.0] * 6,
    )
    combined = pd.concat([seed, others], ignore_index=True)
    device = {"t50_h": 490 / 60, "t50_initial_luminance_cd_m2": 102.0}
    row = literature.rank_device(device, combined).set_index("metric").loc["t50_ref_h"]
    # 20 and 12 h are better, the seed row is equal: #3, like the row itself.
    assert (row["rank"], row["n_equal"], row["status"]) == (3, 1, "ranked")
    assert row["equal_record_ids"] == "ren2024acsml-treated"


def test_a_bound_ranks_only_where_it_decides():
    table = six_rows(
        t50_h=[50.0, 5.0, 30.0, 10.0, 8.0, 2.0],
        t50_qualifier=[">", ">", "", "", "", ""],
        t50_initial_luminance_cd_m2=[100.0] * 6,
    )
    ranked = literature.rank_device(
        {"t50_h": 20.0, "t50_initial_luminance_cd_m2": 100.0}, table
    ).set_index("metric")
    row = ranked.loc["t50_ref_h"]
    # a: > 50 h is certainly better than 20 h; b: > 5 h may be either.
    assert row["better_record_ids"] == "a; c"
    assert row["undecided_record_ids"] == "b"
    assert (row["n_better"], row["n_worse"], row["n_undecided"]) == (2, 3, 1)
    assert row["rank"] == 3 and row["shown"] == "#3 of 6"
    assert row["percentile"] == pytest.approx(100 * 3 / 5)  # b left out
    assert "undecided, counted neither better nor worse" in row["note"]
    # The best is the bound, and it stays one.
    assert (row["best_value"], row["best_qualifier"]) == (50.0, ">")


def test_a_bound_is_never_shown_as_a_value():
    # A device whose T50 is a bound ("> 10 h", a test stopped first).
    table = six_rows(
        t50_h=[5.0, 20.0, 2.0, 3.0, 4.0, 1.0], t50_initial_luminance_cd_m2=[100.0] * 6
    )
    device = {"t50_h": 10.0, "t50_initial_luminance_cd_m2": 100.0, "t50_qualifier": ">"}
    row = literature.rank_device(device, table).set_index("metric").loc["t50_ref_h"]
    assert math.isnan(row["value"]) and row["value_bound"] == 10.0
    # 5, 2, 3, 4, 1 h are below the bound: the device is better; 20 h: undecided.
    assert (row["n_worse"], row["n_undecided"], row["undecided_record_ids"]) == (
        5,
        1,
        "b",
    )
    assert row["rank"] == 1 and row["shown"] == "#1 of 6"
    normalised = literature.normalised_t50_h(
        six_rows(
            t50_h=[15.0] + [1.0] * 5,
            t50_qualifier=[">"] + [""] * 5,
            t50_initial_luminance_cd_m2=[20.0] * 6,
        )  # fmt: skip
    )
    assert math.isnan(normalised["t50_ref_h"].iloc[0])


@pytest.mark.parametrize("n_rows", [1, 2, 3, 4])
def test_below_five_rows_there_is_never_a_percentile(n_rows):
    table = six_rows(eqe_max_percent=EQE).iloc[:n_rows]
    for value in (1.0, 20.0, 99.0):
        row = eqe_row({"eqe_max_percent": value}, table)
        assert row["status"] == "too few to rank"
        assert math.isnan(row["percentile"]) and pd.isna(row["rank"])
        listed = ", ".join(
            f"{r} ({w})"
            for r, w in zip(
                "abcdef"[:n_rows],
                [
                    "better than yours" if e > value + 0.5
                    else "worse than yours" if e < value - 0.5
                    else "equal to yours"
                    for e in EQE[:n_rows]
                ],
                strict=True,
            )
        )  # fmt: skip
        assert row["shown"] == f"too few to rank (n = {n_rows}: {listed})"


def test_five_decided_rows_give_a_rank_with_its_n():
    row = eqe_row({"eqe_max_percent": 12.0}, six_rows(eqe_max_percent=EQE).iloc[:5])
    # 30, 20, 20 and 15 % are better, 10 % worse.
    assert (row["status"], row["rank"], row["shown"]) == ("ranked", 5, "#5 of 6")
    assert row["percentile"] == pytest.approx(20.0)


def test_cie_distance_ties_follow_the_stated_decimals():
    table = six_rows(
        cie_x=[0.708, 0.700, 0.690, 0.680, 0.670, 0.660],
        cie_y=[0.292, 0.300, 0.300, 0.310, 0.320, 0.330],
        cie_x_decimals=[3] * 6,
        cie_y_decimals=[3] * 6,
    )
    ranked = literature.rank_device({"cie_x": 0.7002, "cie_y": 0.2999}, table)
    row = ranked.set_index("metric").loc["cie_distance_bt2020_red"]
    assert row["value"] == pytest.approx(math.hypot(0.0078, 0.0079))
    assert row["equal_record_ids"] == "b"  # (0.700, 0.300) stated to 0.001
    assert (row["rank"], row["n_better"]) == (2, 1)


def test_missing_metrics_and_text_values():
    ranked = literature.rank_device(
        {"eqe_max_percent": 1.0}, six_rows(eqe_max_percent=EQE)
    )
    missing = ranked.set_index("metric").loc["luminance_max_cd_m2"]
    assert pd.isna(missing["rank"]) and missing["note"] == "not given"
    assert missing["status"] == "not ranked"
    assert list(ranked["metric"]) == [m.name for m in literature.RANK_METRICS]
    with pytest.raises(InputError) as error:
        literature.rank_device({"eqe_max_percent": "high"}, six_rows())
    assert str(error.value) == (
        "Device metric 'eqe_max_percent' must be a number, found 'high'."
    )


def test_rank_against_curated_table(table):
    result = literature.rank_device({"eqe_max_percent": 26.0}, table)
    row = result.set_index("metric").loc["eqe_max_percent"]
    assert row["n_compared"] == int(
        (table["rankable"] & table["eqe_max_percent"].notna()).sum()
    )
    # 26.0 equals the seed row's "26.0"; the others are better or worse.
    assert "ren2024acsml-treated" in row["equal_record_ids"].split("; ")
    assert row["n_better"] + row["n_equal"] + row["n_worse"] == row["n_compared"]


def test_rank_devices_has_one_row_per_device_and_metric():
    table = six_rows(eqe_max_percent=EQE)
    devices = {"mine": {"eqe_max_percent": 20.0}, "best": {"eqe_max_percent": 50.0}}
    ranks = literature.rank_devices(devices, table, 100, n=2)
    assert list(ranks.columns) == [
        "device", "metric", "rank", "of", "percentile", "status", "shown",
    ]  # fmt: skip
    n_metrics = len(literature.RANK_METRICS)
    assert list(ranks.device) == ["mine"] * n_metrics + ["best"] * n_metrics
    eqe_label = literature.rank_device(devices["mine"], table).label.iloc[0]
    mine = ranks[(ranks.device == "mine") & (ranks.metric == eqe_label)].iloc[0]
    assert (mine["rank"], mine["of"], mine["shown"]) == (2, 7, "#2 of 7")
    best = ranks[(ranks.device == "best") & (ranks.metric == eqe_label)].iloc[0]
    assert best["rank"] == 1 and best["percentile"] == 100.0
    assert literature.rank_devices({}, table).empty
