"""core.stability.trend: trends, smoothed changes and crossings against
synthetic trajectories of known truth (fast Monte-Carlo; the 200-draw runs on
whole spectra are in benchmarks/bench_drift_noise.py)."""

from __future__ import annotations

import numpy as np
import pytest

from core.stability.trend import (
    chi2_radius,
    linear_trend,
    local_linear,
    planar_within_noise,
    smoothed_change,
    threshold_crossing,
)

HOURS = np.linspace(0.0, 10.0, 3600)


def test_exact_line_is_recovered_exactly():
    y = 638.0 + 0.3 * HOURS
    slope, error, intercept = linear_trend(HOURS, y, np.full(HOURS.size, 0.2))
    assert slope == pytest.approx(0.3) and intercept == pytest.approx(638.0)
    assert error == pytest.approx(0.0, abs=1e-9)
    smooth, se = local_linear(HOURS, y, np.full(HOURS.size, 0.2))
    np.testing.assert_allclose(smooth, y, atol=1e-9)  # ends not biased


def test_slope_error_covers_the_truth_68_percent_of_the_time():
    # 400 draws of a 10 h, 1000-point trajectory with σ = 0.23 nm (SNR 50) and
    # per-point σ estimates that scatter ±20 % (as real ones do).
    rng = np.random.default_rng(1)
    hours = np.linspace(0.0, 10.0, 1000)
    covered = 0
    for _ in range(400):
        y = 638.0 + 0.3 * hours + rng.normal(0, 0.23, hours.size)
        sd = 0.23 * rng.uniform(0.8, 1.2, hours.size)
        slope, error, _ = linear_trend(hours, y, sd)
        covered += abs(slope - 0.3) <= error
    assert 0.6 <= covered / 400 <= 0.76  # 68.4 % over 2000 draws


def test_standard_error_comes_from_the_scatter_not_the_claimed_sigma():
    # The claimed σ is 4× too small (correlated pixels, say): the error still
    # follows the scatter (sandwich estimate), so coverage stays near 68 %.
    rng = np.random.default_rng(2)
    x = np.linspace(0, 1, 200)
    covered = 0
    for _ in range(300):
        y = 2.0 * x + rng.normal(0, 0.4, x.size)
        slope, error, _ = linear_trend(x, y, np.full(x.size, 0.1))
        covered += abs(slope - 2.0) <= error
    assert 0.6 <= covered / 300 <= 0.76


def test_a_few_outliers_do_not_move_the_trend():
    rng = np.random.default_rng(3)
    y = 1.0 + 0.5 * HOURS + rng.normal(0, 0.1, HOURS.size)
    y[[100, 2000, 3000]] += 50.0  # two real outliers in the HZB series
    slope, error, _ = linear_trend(HOURS, y, np.full(HOURS.size, 0.1))
    assert slope == pytest.approx(0.5, abs=3 * error)


def test_smoothed_change_band_covers_the_truth():
    # The change from the first point to each point: its ±1 SE band holds the
    # true change about 68 % of the time (pooled over points and draws).
    rng = np.random.default_rng(4)
    x = np.linspace(0.0, 10.0, 361)
    inside = []
    for _ in range(100):
        y = 0.3 * x + rng.normal(0, 0.25, x.size)
        smooth, se = local_linear(x, y, np.full(x.size, 0.25))
        change, change_se = smoothed_change(smooth, se, 0)
        inside.append(np.abs(change[1:] - 0.3 * x[1:]) <= change_se[1:])
    assert 0.6 <= np.mean(inside) <= 0.8


def test_threshold_crossing_needs_the_band_to_stay_beyond():
    x = np.arange(10.0)
    change = np.array([0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7])
    se = np.full(10, 0.1)
    at, early, late = threshold_crossing(x, change, se, 1.0, k=2.0)
    # Beyond 1 nm from x = 4 on; upper band edge (+0.2) from 3, lower from 5.
    assert (at, early, late) == (4.0, 3.0, 5.0)
    # A blip beyond the threshold that comes back is no crossing.
    blip = np.array([0, 0.2, 1.5, 0.2, 0.1, 0.0, 0.2, 0.1, 0.0, 0.1])
    assert np.isnan(threshold_crossing(x, blip, se, 1.0)[0])
    # Beyond the threshold, but not beyond by more than the band: unconfirmed.
    assert np.isnan(threshold_crossing(x, change, np.full(10, 1.0), 1.0)[0])
    # Negative shifts cross −threshold.
    assert threshold_crossing(x, -change, se, 1.0)[0] == 4.0


@pytest.mark.parametrize("k", [0.5, 1.0, 2.0, 3.0, 4.0])
def test_chi2_radius_is_scipys_chi_square_quantile(k):
    from scipy import stats

    expected = np.sqrt(stats.chi2.ppf(stats.norm.cdf(k) - stats.norm.cdf(-k), 2))
    assert chi2_radius(k) == pytest.approx(expected, rel=1e-9)


def test_planar_within_noise_uses_a_chi_square_radius():
    # k = 2 ↔ 95.4 % ↔ radius 2.49 σ in two dimensions.
    assert planar_within_noise(2.4, 0.0, 1.0, 1.0) is True
    assert planar_within_noise(2.6, 0.0, 1.0, 1.0) is False
    assert planar_within_noise(1.8, 1.8, 1.0, 1.0) is False
    assert planar_within_noise(np.nan, 0.0, 1.0, 1.0) is None
