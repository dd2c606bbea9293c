"""core.stability on series with a known, synthetic drift."""

from __future__ import annotations

import numpy as np
import pytest
from support import gaussian

from core.models import SpectralSeries
from core.stability import (
    STABILITY_KEYS,
    combined_metrics,
    peak_window_nm,
    series_stability,
)

GRID = np.linspace(380.0, 780.0, 1024)


def drifting_series(peaks, fwhms, axis, satellite=None):
    lines = np.stack([gaussian(GRID, p, f) for p, f in zip(peaks, fwhms, strict=True)])
    if satellite is not None:
        lines = lines + np.stack([gaussian(GRID, 700.0, 30.0, a) for a in satellite])
    return SpectralSeries(GRID, lines, axis, axis_name="time", axis_unit="h")


def test_linear_drift_is_recovered():
    time_h = np.linspace(0, 10, 21)
    peaks = 638.0 + 0.3 * time_h  # 0.3 nm/h
    fwhms = 32.0 + 0.2 * time_h
    result = series_stability(drifting_series(peaks, fwhms, time_h))
    assert result.peak_shift_nm == pytest.approx(3.0, abs=0.02)
    assert result.max_abs_peak_shift_nm == pytest.approx(3.0, abs=0.02)
    assert result.fwhm_change_nm == pytest.approx(2.0, abs=0.05)
    assert result.drift_rate_nm_per_unit == pytest.approx(0.3, abs=0.002)
    # |Δpeak| > 1 nm first at t = 3.5 h (0.3 nm/h × 3.5 h = 1.05 nm).
    assert result.axis_at_threshold == pytest.approx(3.5)
    assert set(STABILITY_KEYS) <= set(result.summary())
    assert not result.secondary_peak_detected


def test_stable_series_has_no_threshold_crossing():
    time_h = np.linspace(0, 5, 11)
    result = series_stability(drifting_series([638.0] * 11, [32.0] * 11, time_h))
    assert result.max_abs_peak_shift_nm < 0.01
    assert np.isnan(result.axis_at_threshold)
    assert result.summary()["axis_at_threshold"] is None
    assert result.max_delta_u_prime_v_prime < 1e-6


def test_growing_satellite_shows_in_outside_fraction_and_second_peak():
    time_h = np.arange(6.0)
    amplitude = [0.0, 0.0, 0.1, 0.2, 0.3, 0.4]
    result = series_stability(
        drifting_series([638.0] * 6, [32.0] * 6, time_h, satellite=amplitude)
    )
    outside = result.metrics.outside_fraction.to_numpy()
    assert outside[0] == pytest.approx(0.0, abs=1e-3)
    assert np.all(np.diff(outside[1:]) > 0)
    assert result.secondary_peak_detected
    # A 700 nm satellite 62 nm away is resolved from ~10 % of the main line on.
    assert result.first_secondary_peak_axis in (2.0, 3.0)
    # The difference spectrum peaks where the satellite grows.
    difference = result.difference_spectra[-1]
    assert GRID[np.argmax(difference)] == pytest.approx(700, abs=5)


def test_delta_uv_matches_direct_computation():
    time_h = np.array([0.0, 1.0])
    result = series_stability(drifting_series([630.0, 640.0], [32.0, 32.0], time_h))
    m = result.metrics
    expected = np.hypot(
        m.u_prime.iloc[1] - m.u_prime.iloc[0], m.v_prime.iloc[1] - m.v_prime.iloc[0]
    )
    assert result.max_delta_u_prime_v_prime == pytest.approx(expected)


def test_combined_metrics_stacks_devices_in_order():
    time_h = np.linspace(0, 4, 5)
    a = series_stability(drifting_series(638.0 + 0.5 * time_h, [32.0] * 5, time_h))
    b = series_stability(drifting_series([640.0] * 5, [30.0] * 5, time_h))
    combined = combined_metrics({"b": b, "a": a})
    assert list(combined.device) == ["b"] * 5 + ["a"] * 5
    assert combined.loc[combined.device == "a", "peak_nm"].iloc[-1] == pytest.approx(
        640.0, abs=0.02
    )
    assert list(combined.index) == list(range(10))
    assert set(a.metrics.columns) < set(combined.columns)


def test_peak_window_is_four_fwhm_each_side_within_the_grid():
    time_h = np.linspace(0, 4, 5)
    series = drifting_series([638.0] * 5, [32.0] * 5, time_h)
    low, high = peak_window_nm(series, series_stability(series))
    assert low == pytest.approx(638.0 - 4 * 32.0, abs=0.1)
    assert high == pytest.approx(638.0 + 4 * 32.0, abs=0.1)
    edge = drifting_series([760.0] * 5, [32.0] * 5, time_h)  # 760 + 128 > 780 nm
    assert peak_window_nm(edge, series_stability(edge))[1] == GRID[-1]
    flat = SpectralSeries(GRID, np.ones((5, GRID.size)), time_h, axis_name="time")
    assert peak_window_nm(flat, series_stability(flat)) == (GRID[0], GRID[-1])
