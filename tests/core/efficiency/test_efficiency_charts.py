"""Tests of the efficiency chart builders (core/figures/efficiency.py) on results.

Kept here from the former tests/core/test_efficiency.py; they belong in
tests/core/figures/ once that folder's split settles.
"""

from __future__ import annotations

from efficiency_sweeps import make_sweep

from core.efficiency import batch_table, efficiency_metrics, points_table
from core.models import JVLSweep


def _spec_data(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_charts_filter_log_axes_and_sub_turn_on_points():
    from core.figures import efficiency as figures

    sweep = make_sweep(
        [0, 1, 2, 3, 4],
        [-0.01, 0.001, 0.1, 1, 10],
        [-0.2, 0.0, 2.0, 100.0, 900.0],
        [50, 40, 5, 10, 8],
    )
    points = points_table([efficiency_metrics(sweep)])
    lv = figures.lv_chart(points)
    assert len(_spec_data(lv)) == 3  # L ≤ 0 cannot sit on a log axis
    assert (
        figures.hidden_on_log_axes(points, "voltage_v", "luminance_cd_m2", False, True)
        == 2
    )
    spec = lv.to_dict()
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert spec["encoding"]["y"]["title"] == "luminance [cd/m²]"
    eqe = figures.eqe_luminance_chart(points)
    # Only the 3 points from turn-on (2 V) on; the 50 % "EQE" at 0 V is noise.
    assert [row["eqe_percent"] for row in _spec_data(eqe)] == [5, 10, 8]
    assert eqe.to_dict()["encoding"]["x"]["scale"]["type"] == "log"
    jv_linear = figures.jv_chart(points, log_y=False)
    assert len(_spec_data(jv_linear)) == 5


def test_batch_histogram_marks_mean_and_median_and_exports():
    from core.figures import chart_to_bytes, themed
    from core.figures import efficiency as figures

    results = [
        efficiency_metrics(JVLSweep([2, 3], [0.1, 1], [2, 100], [1, e], label=n))
        for n, e in (("a", 10.0), ("b", 12.0), ("c", 20.0))
    ]
    chart = figures.batch_histogram(batch_table(results))
    spec = chart.to_dict()
    rule_data = [d for d in spec["datasets"].values() if "statistic" in d[0]][0]
    assert {r["statistic"]: r["value"] for r in rule_data} == {
        "mean": 14.0,
        "median": 12.0,
    }
    assert spec["layer"][0]["encoding"]["y"]["title"] == "devices [count] (n = 3)"
    svg = chart_to_bytes(themed(chart), "svg").decode()
    assert "peak EQE [%]" in svg
