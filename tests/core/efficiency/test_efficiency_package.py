"""Tests for core.efficiency as a package: every public name where callers use it."""

from __future__ import annotations

import importlib

import core.efficiency

MODULES = (
    "formulas",
    "turn_on",
    "spectral",
    "rolloff",
    "result",
    "checks",
    "metrics",
    "device",
    "tables",
)


def test_every_public_name_is_re_exported_from_its_module():
    homes = {}
    for name in MODULES:
        module = importlib.import_module(f"core.efficiency.{name}")
        for public in module.__all__:
            homes.setdefault(public, getattr(module, public))
    for public in core.efficiency.__all__:
        assert getattr(core.efficiency, public) is homes[public], public
    # The names callers import from core.efficiency before it was a package.
    assert set(core.efficiency.__all__) >= {
        "LUMINOUS_EFFICACY_MAX_LM_W",
        "SUMMARY_KEYS",
        "POINT_COLUMNS",
        "EfficiencyResult",
        "eqe_percent_per_cd_a",
        "eqe_percent",
        "current_efficiency_cd_a",
        "power_efficiency_lm_w",
        "turn_on_voltage_v",
        "efficiency_metrics",
        "summary_record",
        "points_table",
        "batch_table",
        "batch_statistics",
        "unique_labels",
        "sweep_notes",
    }
