"""Tests for core.efficiency.rolloff: EQE at fixed luminances, roll-off."""

from __future__ import annotations

import math

import numpy as np
import pytest
from efficiency_sweeps import make_sweep

from core.efficiency import efficiency_metrics, summary_record
from core.efficiency.rolloff import (
    FIXED_LUMINANCES_CD_M2,
    eqe_at_fixed_luminances,
    roll_off,
)


def test_eqe_at_fixed_luminance_interpolates_in_log_l():
    # 100 cd/m² lies half-way (in log L) between 50 and 200 cd/m².
    sweep = make_sweep(
        [2, 3, 4, 5], [0.1, 1, 2, 4], [0.5, 50, 200, 400], [5, 10, 20, 4]
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_at_100_cd_m2_percent == pytest.approx(15.0)
    assert math.isnan(result.eqe_at_1000_cd_m2_percent)
    assert (
        "EQE at 1000 cd/m² not determined: the luminance never reaches 1000 cd/m² "
        "(highest 400 cd/m²)." in result.warnings
    )
    record = summary_record(result)
    assert record["eqe_at_1000_cd_m2_percent"] is None


def test_rolloff_half_maximum_in_log_j():
    # EQE 20 % at 1 mA/cm², 12 % at 10, 8 % at 100: half (10 %) is half-way from
    # 12 to 8, so at J = 10^1.5 mA/cm² and L = 10^((log 1200 + log 8000)/2).
    sweep = make_sweep(
        [3, 4, 5, 6], [0.1, 1, 10, 100], [2, 200, 1200, 8000], [10, 20, 12, 8]
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_max_percent == 20
    assert result.current_density_at_half_eqe_max_ma_cm2 == pytest.approx(10**1.5)
    assert result.luminance_at_half_eqe_max_cd_m2 == pytest.approx(
        math.sqrt(1200 * 8000)
    )


def test_rolloff_not_reached_is_null_with_reason():
    sweep = make_sweep([3, 4, 5], [0.1, 1, 10], [2, 200, 1500], [10, 20, 15])
    result = efficiency_metrics(sweep)
    assert math.isnan(result.luminance_at_half_eqe_max_cd_m2)
    assert (
        "Roll-off to half the EQE maximum not determined: the EQE stays above 10 % "
        "up to the highest current measured." in result.warnings
    )


# --- the functions on their own ----------------------------------------------------


def test_fixed_luminance_eqe_uses_only_the_rising_branch():
    # L peaks at 1200 cd/m² (2nd point), then falls to 60 and rises to 500:
    # 100 cd/m² is bracketed only after the peak, which does not count.
    luminance = np.array([150.0, 1200.0, 60.0, 500.0])
    eqe = np.array([10.0, 20.0, 5.0, 8.0])
    values, warnings = eqe_at_fixed_luminances(eqe, luminance, np.ones(4, bool))
    fraction = math.log10(1000 / 150) / math.log10(1200 / 150)
    assert values["eqe_at_1000_cd_m2_percent"] == pytest.approx(10 + 10 * fraction)
    assert math.isnan(values["eqe_at_100_cd_m2_percent"])
    assert warnings == [
        "EQE at 100 cd/m² not determined: the first point above turn-on is "
        "already at 150 cd/m²."
    ]


def test_fixed_luminance_eqe_missing_around_the_target():
    luminance = np.array([2.0, 50.0, 200.0, 2000.0])
    eqe = np.array([1.0, math.nan, 12.0, 14.0])
    values, warnings = eqe_at_fixed_luminances(eqe, luminance, np.ones(4, bool))
    assert math.isnan(values["eqe_at_100_cd_m2_percent"])
    assert warnings == [
        "EQE at 100 cd/m² not determined: the EQE is missing around that luminance."
    ]
    # 1000 cd/m² lies log10(5) of the way, in log L, from 200 to 2000 cd/m².
    assert values["eqe_at_1000_cd_m2_percent"] == pytest.approx(12 + 2 * math.log10(5))


def test_fixed_luminance_eqe_of_an_empty_emitting_range_is_nan_silently():
    values, warnings = eqe_at_fixed_luminances(
        np.array([5.0, 6.0]), np.array([50.0, 500.0]), np.zeros(2, bool)
    )
    assert all(math.isnan(v) for v in values.values()) and warnings == []
    assert list(values) == list(FIXED_LUMINANCES_CD_M2)


def test_roll_off_skips_points_outside_the_emitting_range():
    # Peak 20 % at 1 mA/cm²; the 5 % at 2 mA/cm² is outside the emitting range
    # (masked), so the half-maximum crossing is between 12 % and 8 %: halfway,
    # at J = sqrt(10 · 100) mA/cm² and L = sqrt(1200 · 8000) cd/m².
    eqe = np.array([20.0, 5.0, 12.0, 8.0])
    luminance = np.array([200.0, 300.0, 1200.0, 8000.0])
    current = np.array([1.0, 2.0, 10.0, 100.0])
    mask = np.array([True, False, True, True])
    values, warnings = roll_off(eqe, luminance, current, mask, peak=0)
    assert values["current_density_at_half_eqe_max_ma_cm2"] == pytest.approx(
        math.sqrt(10 * 100)
    )
    assert values["luminance_at_half_eqe_max_cd_m2"] == pytest.approx(
        math.sqrt(1200 * 8000)
    )
    assert warnings == []
    none, warnings = roll_off(eqe, luminance, current, mask, peak=None)
    assert all(math.isnan(v) for v in none.values()) and warnings == []
