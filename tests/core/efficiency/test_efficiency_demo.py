"""Tests for core.demo.efficiency: the synthetic sweeps meet their design."""

from __future__ import annotations

import numpy as np
import pytest

from core.demo.efficiency import demo_batch, demo_jvl
from core.efficiency import batch_statistics, efficiency_metrics


@pytest.fixture(scope="module")
def demo_results():
    return {name: efficiency_metrics(s) for name, s in demo_jvl().items()}


def test_demo_devices_meet_their_design(demo_results):
    # Tolerances: the seeded meter noise (0.4 % on L) shifts maxima by < 0.5 %;
    # the 0.05 V grid puts the EQE peak within a factor 1.5 of its design L.
    control = demo_results["Control (synthetic)"]
    assert control.eqe_max_percent == pytest.approx(14.5, abs=0.2)
    assert control.luminance_max_cd_m2 == pytest.approx(5000, rel=0.02)
    assert control.turn_on_v == pytest.approx(2.3)
    treated = demo_results["Treated (synthetic)"]
    assert treated.eqe_max_percent == pytest.approx(26.0, abs=0.3)
    assert 280 / 1.5 < treated.luminance_at_eqe_max_cd_m2 < 280 * 1.5
    assert treated.luminance_max_cd_m2 == pytest.approx(18500, rel=0.02)
    assert treated.turn_on_v == pytest.approx(2.0)
    points = treated.points[treated.points.above_turn_on]
    at_10k = np.interp(
        4.0, np.log10(points.luminance_cd_m2.to_numpy()), points.eqe_percent
    )
    assert at_10k == pytest.approx(21.0, abs=0.3)
    assert treated.eqe_source == "spectrum"


def test_demo_is_deterministic_and_labelled():
    first, second = demo_jvl(), demo_jvl()
    for name, sweep in first.items():
        assert "(synthetic)" in sweep.label
        assert sweep.source == "synthetic demo data"
        assert sweep.spectrum.source == "synthetic demo data"
        np.testing.assert_array_equal(
            sweep.luminance_cd_m2, second[name].luminance_cd_m2
        )


def test_demo_batch_statistics():
    batch = demo_batch()
    assert len(batch) == 50 and batch[0].label == "Batch 01 (synthetic)"
    stats = batch_statistics([efficiency_metrics(s) for s in batch])
    eqe = stats.loc["eqe_max_percent"]
    # Design: mean 22.0 %, champion 26.0 % (Ren et al. 2024, via the brief).
    assert eqe["mean"] == pytest.approx(22.0, abs=0.15)
    assert eqe.champion == pytest.approx(26.0, abs=0.3)
    assert 1.0 < eqe["std"] < 3.0
    assert len(demo_batch(5)) == 5
