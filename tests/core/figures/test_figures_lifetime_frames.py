"""
core.figures.lifetime_frames: the long tables behind the lifetime charts, on
a single-exponential decay L = L0·exp(−t/τ) whose T-values are τ·ln(1/x).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.figures import lifetime as lifetime_figures
from core.figures import lifetime_frames as frames
from core.lifetime import lifetime_metrics
from core.models import LifetimeLog

TAU_H = 10.0
L0 = 200.0


def item(t_end_h: float, n: int = 301, label: str = "test"):
    time_h = np.linspace(0.0, t_end_h, n)
    log = LifetimeLog(
        time_h,
        L0 * np.exp(-time_h / TAU_H),
        voltage_v=3.0 + 0.01 * time_h,
        label=label,
    )
    return ("dev", log, lifetime_metrics(log))


def test_the_chart_module_re_exports_the_frame_builders():
    for name in frames.__all__:
        if name != "Item":
            assert getattr(lifetime_figures, name) is getattr(frames, name)


def test_readings_are_l_over_l0_and_thinned_with_first_and_last_kept():
    full = frames.readings_frame([item(30.0)])
    assert len(full) == 301
    expected = np.exp(-full["time_h"].to_numpy() / TAU_H)
    np.testing.assert_allclose(full["fraction"], expected, rtol=1e-9)
    np.testing.assert_allclose(full["voltage_v"], 3.0 + 0.01 * full["time_h"])
    thin = frames.readings_frame([item(30.0)], max_points=10)
    assert len(thin) <= 10
    assert thin["time_h"].iloc[0] == 0.0 and thin["time_h"].iloc[-1] == 30.0
    assert list(frames.readings_frame([]).columns) == list(full.columns)


def test_t50_is_tau_ln2_in_the_thresholds_and_acceleration_frames():
    measured = [item(30.0)]
    t50 = frames.thresholds_frame(measured).set_index("name").loc["T50"]
    assert t50["time_h"] == pytest.approx(TAU_H * np.log(2), rel=2e-3)
    assert (t50["level"], t50["kind"]) == (0.5, "measured")
    accel = frames.acceleration_frame(measured)
    assert accel["stress"].iloc[0] == pytest.approx(L0)
    assert accel["t50_h"].iloc[0] == pytest.approx(TAU_H * np.log(2), rel=2e-3)


def test_the_model_runs_on_to_an_extrapolated_t50():
    # Stopped at 80 %: T50 = τ ln 2 ≈ 6.93 h is extrapolated with the model.
    stopped = [item(TAU_H * np.log(1 / 0.8))]
    model = frames.model_frame(stopped, n_points=40)
    assert set(model["segment"]) == {"fit", "extrapolation"}
    beyond = model.loc[model["segment"] == "extrapolation"]
    assert beyond["time_h"].max() == pytest.approx(TAU_H * np.log(2), rel=1e-2)
    assert beyond["fraction"].iloc[-1] == pytest.approx(0.5, abs=5e-3)
    binned = frames.binned_frame(stopped)
    assert binned["fraction"].min() >= 0.79
