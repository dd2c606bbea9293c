"""core.lifetime.thresholds: measured, extrapolated and from-L_max T-values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifetime_logs import FRACTIONS, clean_log, noisy_log

from core.errors import InputError
from core.lifetime import (
    lifetime_metrics,
    lifetime_summary,
    stretched_exponential,
    stretched_exponential_time_h,
)
from core.models import LifetimeLog


@pytest.mark.parametrize(("tau", "beta"), [(100.0, 0.6), (5.0, 1.4), (100.0, 1.0)])
def test_measured_t_values_on_clean_data_carry_only_the_interpolation_bias(tau, beta):
    # First crossings on log-time bins (20 per decade, ≥ 3 readings), linearly
    # interpolated: the chord over a convex decay is late by ≈ f''h²/8. With
    # 3001 readings that is ≤ 1.2 % for T95 at β = 0.6 (the steep start, bins
    # of 3 readings) and ≤ 0.2 % for T90...T50 (measured).
    result = lifetime_metrics(clean_log(tau, beta, 3 * tau))
    expected = stretched_exponential_time_h(FRACTIONS, tau, beta)
    measured = np.array([result.threshold(x).time_h for x in FRACTIONS])
    np.testing.assert_allclose(measured[0], expected[0], rtol=0.015)
    np.testing.assert_allclose(measured[1:], expected[1:], rtol=0.002)


def test_a_log_stopped_at_70_percent_gives_an_extrapolated_t50_with_warnings():
    tau, beta = 100.0, 0.6
    t70 = float(stretched_exponential_time_h(0.7, tau, beta))
    rng = np.random.default_rng(1)
    t = np.linspace(0.0, t70, 800)
    result = lifetime_metrics(noisy_log(tau, beta, t, 0.005, rng))
    assert result.t50_kind == "extrapolated"
    assert result.threshold(0.9).kind == "measured"
    t50 = result.threshold(0.5)
    assert t50.model == "stretched-exponential"
    true_t50 = float(stretched_exponential_time_h(0.5, tau, beta))
    assert abs(t50.time_h - true_t50) < 3 * t50.uncertainty_h
    # The 1σ holds the fit, the noise of L0 and the model choice, in quadrature.
    parts = t50.uncertainty_parts_h
    assert set(parts) == {"fit", "l0", "model_choice"}
    assert t50.uncertainty_h == pytest.approx(
        math.sqrt(sum(v * v for v in parts.values()))
    )
    text = " ".join(result.warnings)
    assert (
        "T50 = " in text and "extrapolated with the stretched-exponential model" in text
    )
    assert "TM-21" not in text  # T50 = 54 h, 2.5x the 21.6 h test
    summary = lifetime_summary(result)
    assert summary["t50_kind"] == "extrapolated"
    assert summary["kinds"]["t50_h"] == "extrapolated"
    assert summary["t50_at_reference_kind"] == "extrapolated"
    assert summary["uncertainty_parts_h"]["t50_h"]["l0"] == pytest.approx(parts["l0"])
    assert summary["beyond_cap_h"] == {}
    assert summary["extrapolation_limit_h"] == pytest.approx(6 * t70)


def test_beyond_6x_the_test_a_t_value_is_not_reported_unless_asked():
    # Stopped at 80 %: T50 = 54.3 h lies 6.6x beyond the 8.2 h test.
    tau, beta = 100.0, 0.6
    t80 = float(stretched_exponential_time_h(0.8, tau, beta))
    rng = np.random.default_rng(1)
    log = noisy_log(tau, beta, np.linspace(0.0, t80, 800), 0.005, rng)
    result = lifetime_metrics(log)
    t50 = result.threshold(0.5)
    assert (t50.kind, math.isnan(t50.time_h), math.isnan(t50.beyond_cap_h)) == (
        "beyond cap",
        True,
        True,
    )
    assert math.isnan(result.t50_h) and result.reference is None
    text = " ".join(result.warnings)
    assert "T50 is not reported" in text and "past the 6x limit of IES TM-21" in text
    assert "54." not in text  # the value is not given away in the warning
    summary = lifetime_summary(result)
    assert summary["t50_h"] is None and summary["t50_kind"] == "beyond cap"
    assert summary["beyond_cap_h"] == {"t50_h": None}
    assert summary["model"]["t50_h"] is None  # the model block is capped too
    assert any(
        w.startswith("t50_h is null: T50 lies beyond") for w in summary["warnings"]
    )
    # Asked for: the model's value, with its uncertainty, outside t50_h.
    asked = lifetime_metrics(log, report_beyond_cap=True)
    t50 = asked.threshold(0.5)
    assert t50.kind == "beyond cap" and math.isnan(t50.time_h)
    true_t50 = float(stretched_exponential_time_h(0.5, tau, beta))
    assert abs(t50.beyond_cap_h - true_t50) < 3 * t50.uncertainty_h
    summary = lifetime_summary(asked)
    assert summary["t50_h"] is None
    assert summary["beyond_cap_h"]["t50_h"] == pytest.approx(t50.beyond_cap_h)
    assert "past the 6x limit of IES TM-21" in " ".join(asked.warnings)


def test_no_extrapolated_value_without_its_label():
    t = np.linspace(0.0, 30.0, 600)
    result = lifetime_metrics(clean_log(100.0, 0.6, 30.0, n=600))
    for item in result.thresholds:
        if item.kind == "extrapolated":
            assert item.model and any(item.name + " = " in w for w in result.warnings)
        else:
            assert item.kind == "measured" and item.time_h <= t[-1]


def test_extrapolation_within_6x_has_no_tm21_warning():
    result = lifetime_metrics(clean_log(100.0, 0.6, 30.0, n=600))
    assert result.t50_kind == "extrapolated"  # T50 = 54 h, 1.8x the test
    assert not any("TM-21" in w for w in result.warnings)


def test_without_a_model_an_unreached_threshold_is_not_determined():
    log = LifetimeLog([0.0, 1.0, 2.0, 3.0], [100.0, 99.0, 98.0, 97.0])
    result = lifetime_metrics(log, method="biexponential")  # needs 6 readings
    assert result.fit is None
    assert result.t50_kind == "not determined" and math.isnan(result.t50_h)
    assert any("needs at least 6 readings" in w for w in result.warnings)
    summary = lifetime_summary(result)
    assert summary["t50_h"] is None
    assert any(w.startswith("t50_h is null:") for w in summary["warnings"])


def test_a_brightening_device_gets_t_values_from_l0_and_from_lmax():
    t = np.linspace(0.0, 40.0, 4001)
    bump = 1.0 + 0.06 * (1.0 - np.exp(-t / 0.5))
    fraction = bump * stretched_exponential(t, 15.0, 1.5)
    result = lifetime_metrics(LifetimeLog(t, 80.0 * fraction))
    assert result.brightens
    i_max = int(np.argmax(fraction))
    assert result.t_max_h == pytest.approx(t[i_max], abs=0.15)  # bin width there
    assert result.l_max_fraction == pytest.approx(fraction[i_max], abs=1e-3)
    assert result.l_max_cd_m2 == pytest.approx(80.0 * fraction[i_max], rel=1e-3)
    # Truth from the dense noise-free curve.
    after = slice(i_max, None)
    for x in (0.9, 0.5):
        from_l0 = np.interp(x, fraction[after][::-1], t[after][::-1])
        from_max = np.interp(x * fraction[i_max], fraction[after][::-1], t[after][::-1])
        assert result.threshold(x).time_h == pytest.approx(from_l0, rel=2e-3)
        assert result.threshold(x, "maximum").time_h == pytest.approx(
            from_max, rel=2e-3
        )
    assert result.threshold(0.5, "maximum").time_h < result.t50_h
    assert any("brightens first" in w for w in result.warnings)


def test_a_flat_noisy_start_is_not_called_brightening():
    rng = np.random.default_rng(4)
    t = np.linspace(0.0, 300.0, 2000)
    result = lifetime_metrics(noisy_log(100.0, 1.2, t, 0.01, rng))
    assert not result.brightens
    assert result.thresholds_from_max == ()


def test_any_user_fraction_and_bad_fractions():
    result = lifetime_metrics(clean_log(10.0, 1.0, 40.0), fractions=(0.97, 0.6))
    expected = stretched_exponential_time_h(0.97, 10.0, 1.0)
    assert result.threshold(0.97).time_h == pytest.approx(expected, rel=0.01)
    assert result.threshold(0.97).name == "T97"
    with pytest.raises(InputError, match=r"threshold of 1\.2 was asked for: expected"):
        lifetime_metrics(clean_log(10.0, 1.0, 40.0), fractions=(1.2,))
