"""Tests for core.efficiency.tables: CLI record, batch tables, page helpers."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from efficiency_sweeps import make_sweep

from core.efficiency import (
    SUMMARY_KEYS,
    batch_statistics,
    batch_table,
    efficiency_metrics,
    points_table,
    summary_record,
    sweep_notes,
    unique_labels,
)
from core.efficiency.result import POINT_COLUMNS
from core.models import JVLSweep, SpectralSeries


def test_summary_record_has_the_cli_keys():
    record = summary_record(
        efficiency_metrics(make_sweep([2, 3], [0.1, 10], [2, 1000]))
    )
    for key in (
        "eqe_max_percent",
        "voltage_at_eqe_max_v",
        "luminance_at_eqe_max_cd_m2",
        "current_density_at_eqe_max_ma_cm2",
        "luminance_max_cd_m2",
        "turn_on_v",
        "current_efficiency_max_cd_a",
        "power_efficiency_max_lm_w",
        "eqe_at_100_cd_m2_percent",
        "eqe_at_1000_cd_m2_percent",
        "points",
        "warnings",
    ):
        assert key in record
    assert set(SUMMARY_KEYS) <= set(record)
    assert record["points"][1]["voltage_v"] == 3.0


def test_batch_statistics_closed_form():
    results = [
        efficiency_metrics(
            JVLSweep([v0, v0 + 1], [0.1, 1.0], [2.0, lmax], [1.0, eqe], label=name)
        )
        for name, v0, lmax, eqe in (
            ("a", 2.2, 1000, 10),
            ("b", 2.0, 3000, 20),
            ("c", 2.4, 2000, 30),
        )
    ]
    stats = batch_statistics(results)
    eqe = stats.loc["eqe_max_percent"]
    assert (eqe.n, eqe["mean"], eqe["median"], eqe["std"]) == (3, 20, 20, 10)
    assert (eqe.champion, eqe.champion_device) == (30, "c")
    assert stats.loc["luminance_max_cd_m2", "champion_device"] == "b"
    turn_on = stats.loc["turn_on_v"]
    assert turn_on.champion == 2.0 and turn_on.champion_device == "b"  # lowest
    table = batch_table(results)
    assert list(table.device) == ["a", "b", "c"]
    assert list(points_table(results).columns[:2]) == ["device", "voltage_v"]


def test_batch_statistics_skips_missing_values():
    results = [
        efficiency_metrics(JVLSweep([2, 3], [0.1, 1], [2, 100], [1, 5], label="a")),
        efficiency_metrics(JVLSweep([2, 3], [0.1, 1], [2, 100], label="b")),
    ]
    row = batch_statistics(results).loc["eqe_max_percent"]
    assert (row.n, row.n_missing, row["mean"]) == (1, 1, 5)
    assert math.isnan(row["std"])


def test_repeated_labels_become_unique_in_order():
    def sweep(label, v0):
        return JVLSweep([v0, v0 + 1], [0.1, 1.0], [2.0, 20.0], label=label)

    sweeps = unique_labels([sweep("pixel", 2.0), sweep("pixel", 2.1), sweep("x", 2.2)])
    assert list(sweeps) == ["pixel", "pixel (2)", "x"]
    assert [s.label for s in sweeps.values()] == list(sweeps)
    assert sweeps["pixel (2)"].voltage_v[0] == 2.1
    third = unique_labels([sweep("p", 1.0), sweep("p", 1.0), sweep("p", 1.0)])
    assert list(third) == ["p", "p (2)", "p (2) (2)"]


def test_sweep_notes_name_the_spectrum_behind_the_eqe():
    spectrum = SpectralSeries(
        np.linspace(500, 800, 301), np.ones((1, 301)), [0.0], label="el.txt"
    )
    sweep = JVLSweep([2.0, 3.0], [0.1, 1.0], [2.0, 20.0], notes=("area 0.04 cm²",))
    assert sweep_notes(sweep) == ["area 0.04 cm²"]
    assert sweep_notes(replace(sweep, spectrum=spectrum)) == [
        "area 0.04 cm²",
        "EL spectrum used for the EQE: el.txt",
    ]


def test_summary_record_without_points_and_nan_as_none():
    result = efficiency_metrics(make_sweep([1, 2], [0.1, 1], [0.1, 0.5]))
    record = summary_record(result, include_points=False)
    assert "points" not in record
    assert record["turn_on_v"] is None and record["eqe_max_percent"] is None
    assert record["luminance_max_cd_m2"] == 0.5
    assert record["eqe_source"] == "none" and record["label"] == "s"


def test_tables_of_no_results_keep_their_columns():
    assert list(points_table([]).columns) == ["device", *POINT_COLUMNS]
    assert list(batch_table([]).columns) == [
        "device",
        "eqe_source",
        *SUMMARY_KEYS,
        "data_problems",
        "eqe_basis",
    ]


def test_batch_statistics_of_a_metric_no_device_has():
    results = [
        efficiency_metrics(JVLSweep([2, 3], [0.1, 1], [0.1, 0.5], label=n))
        for n in ("a", "b")
    ]
    row = batch_statistics(results).loc["turn_on_v"]
    assert (row.n, row.n_missing, row.champion_device) == (0, 2, "")
    stats = row[["mean", "median", "std", "min", "max", "champion"]]
    assert np.isnan(stats.to_numpy(dtype=float)).all()
