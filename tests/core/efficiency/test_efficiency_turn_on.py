"""Tests for core.efficiency.turn_on: the turn-on rule and the emitting range."""

from __future__ import annotations

import math

import numpy as np
import pytest
from efficiency_sweeps import real_sweep

from core.efficiency import turn_on_voltage_v
from core.efficiency.turn_on import NOISE_K, emitting_range


def _range(voltage, luminance, threshold=1.0, current=None):
    voltage = np.asarray(voltage, float)
    current = np.ones_like(voltage) if current is None else np.asarray(current, float)
    return emitting_range(voltage, current, np.asarray(luminance, float), threshold)


def test_turn_on_voltage():
    assert turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0]) == 2.5
    assert turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0], 10.0) == 3.0
    assert math.isnan(turn_on_voltage_v([2.0, 2.5], [0.2, 0.5]))
    assert turn_on_voltage_v([1.0, 2.0], [0.5, 1.0]) == 2.0  # L = threshold counts


def test_turn_on_is_where_luminance_stays_above_not_one_reading():
    # A lone 1.2 cd/m² reading at 1.5 V, then dark again: not turn-on.
    voltage = [1.0, 1.5, 2.0, 2.5, 3.0]
    assert turn_on_voltage_v(voltage, [0.1, 1.2, 0.3, 2.0, 40.0]) == 2.5
    emitting = _range(voltage, [0.1, 1.2, 0.3, 2.0, 40.0])
    assert emitting.mask.tolist() == [False, False, False, True, True]
    assert any("(at 1.5 V) are meter noise" in w for w in emitting.warnings)


def test_a_reverse_branch_after_the_forward_sweep_keeps_the_forward_turn_on():
    # Forward to 3 V, then back: the reverse branch stays bright down to
    # 1.5 V, but turn-on is where the forward sweep began to emit.
    voltage = [1.0, 2.0, 3.0, 2.5, 1.5]
    luminance = [0.1, 0.5, 40.0, 5.0, 1.2]
    emitting = _range(voltage, luminance)
    assert emitting.turn_on_v == 3.0
    assert emitting.mask.tolist() == [False, False, True, True, True]


def test_a_sweep_measured_from_high_to_low_bias_turns_on_at_its_low_end():
    voltage = [5.0, 4.0, 3.0, 2.0, 1.0, 0.0]
    assert turn_on_voltage_v(voltage, [900.0, 100.0, 3.0, 0.4, 0.1, 0.0]) == 3.0


def test_noise_above_the_threshold_raises_the_level():
    # Dark readings scattered ±1 cd/m² around 0.5: a 1.3 cd/m² reading is not
    # light; the level is the dark median + 3 σ (σ = 1.4826 MAD).
    rng = np.random.default_rng(3)
    dark = 0.5 + rng.normal(0.0, 0.5, 40)
    dark = np.clip(dark, -1.0, 1.9)  # meter noise crosses 1 cd/m² often
    bright = [1.3, 2.6, 5.0, 20.0, 80.0]
    luminance = np.concatenate([dark, bright])
    voltage = np.arange(luminance.size) * 0.1
    emitting = _range(voltage, luminance)
    outside = luminance[~emitting.mask]
    median = np.median(outside)
    sigma = 1.4826 * np.median(np.abs(outside - median))
    assert emitting.dark_cd_m2 == pytest.approx(median)
    assert emitting.noise_cd_m2 == pytest.approx(sigma, rel=1e-4)
    assert emitting.level_cd_m2 == pytest.approx(median + NOISE_K * sigma, rel=1e-4)
    assert luminance[emitting.start] >= emitting.level_cd_m2 > 1.0
    assert luminance[emitting.start - 1] < emitting.level_cd_m2
    assert any(
        w.startswith("Turn-on level raised from 1 to") for w in emitting.warnings
    )


def test_a_meter_offset_above_the_threshold_is_not_emission():
    # Ambient light: the meter reads 5 ± 0.3 cd/m² with the LED dark, in
    # reverse bias too. Every reading is ≥ 1 cd/m²; the reverse-bias ones
    # say it is an offset, and turn-on is where L stands above it (3 V).
    rng = np.random.default_rng(5)
    voltage = np.arange(-1.0, 5.01, 0.25)
    luminance = 5.0 + rng.normal(0.0, 0.3, voltage.size)
    luminance[voltage >= 3.0] += 10.0 ** (voltage[voltage >= 3.0] - 1.5)
    emitting = _range(voltage, luminance)
    assert emitting.turn_on_v == 3.0
    assert emitting.dark_cd_m2 == pytest.approx(5.0, abs=0.2)
    assert emitting.noise_cd_m2 == pytest.approx(0.3, abs=0.15)


def test_points_with_reverse_current_stay_in_the_range_for_the_data_checks():
    emitting = _range([1, 2, 3, 4], [0.5, 2.0, 5.0, 10.0], current=[0.1, 0.2, -0.1, 1])
    assert emitting.start == 1 and emitting.turn_on_v == 2.0
    assert emitting.mask.tolist() == [False, True, True, True]


def test_emitting_range_not_reached_says_the_highest_luminance():
    emitting = _range([1, 2], [0.1, 0.5], threshold=2.0)
    assert emitting.start is None and math.isnan(emitting.turn_on_v)
    assert not emitting.mask.any() and emitting.mask.size == 2
    assert emitting.warnings == (
        "Turn-on not reached: the luminance never reaches 2 cd/m² (highest 0.5 "
        "cd/m²); efficiency maxima are not determined.",
    )
    dark = _range([1, 2], [math.nan, math.nan])
    assert dark.warnings[0].startswith(
        "Turn-on not reached: the luminance never reaches 1 cd/m² (highest none "
    )


def test_a_single_reading_over_the_threshold_amid_noise_is_no_turn_on():
    luminance = [0.2, -0.6, 0.9, 0.1, 0.7, -0.3, 1.05, 0.4, 0.6, 0.0]
    emitting = _range(np.arange(10.0), luminance)
    assert emitting.start is None
    assert emitting.warnings[0].startswith(
        "Turn-on not reached: no reading stands above the meter's noise (highest 1.05"
    )


def test_too_few_dark_readings_leave_the_threshold_alone_and_say_so():
    emitting = _range([2.0, 2.5, 3.0], [0.2, 1.5, 40.0])
    assert math.isnan(emitting.noise_cd_m2) and emitting.level_cd_m2 == 1.0
    assert emitting.warnings[0].startswith("Luminance noise not estimated: 1 dark")


@pytest.mark.parametrize(
    ("name", "turn_on_v"),
    [
        # SOURCES.md: "turn-on (first voltage from which L stays ≥ 1 cd/m²) 3.2 V";
        # the first-reading rule gave -0.6 V (a 1.12 cd/m² dark reading).
        ("bsubpc_OLED-009_D5-1_JVL.txt", 3.2),
        ("bsubpc-oled_OLED-004_A1-1_JVL.txt", 3.4),  # SOURCES.md: 3.4 V
        ("simone-peled_DC_data.dat", 2.6),  # the file's first L ≥ 1 cd/m²
    ],
)
def test_real_sweeps_turn_on(name, turn_on_v):
    sweep = real_sweep(name)
    emitting = emitting_range(
        sweep.voltage_v, sweep.current_density_ma_cm2, sweep.luminance_cd_m2, 1.0
    )
    assert emitting.turn_on_v == pytest.approx(turn_on_v, abs=1e-3)
    assert emitting.mask[emitting.start :].all()  # it stays above to the end


def test_oled009_noise_is_the_dark_readings_scatter():
    """SOURCES.md: luminance noise ±1 cd/m² below turn-on (OLED-009)."""
    sweep = real_sweep("bsubpc_OLED-009_D5-1_JVL.txt")
    emitting = emitting_range(
        sweep.voltage_v, sweep.current_density_ma_cm2, sweep.luminance_cd_m2, 1.0
    )
    dark = sweep.luminance_cd_m2[: emitting.start]
    assert dark.min() > -1.0 and dark.max() < 1.2  # the ±1 cd/m² of SOURCES.md
    assert emitting.n_noise == 21
    assert emitting.dark_cd_m2 == pytest.approx(0.4475, abs=1e-4)
    assert emitting.noise_cd_m2 == pytest.approx(0.2214, abs=1e-4)
    assert emitting.level_cd_m2 == pytest.approx(0.4475 + 3 * 0.2214, abs=1e-3)
