"""Tests for core.efficiency.turn_on: the turn-on rule and the emitting range."""

from __future__ import annotations

import math

import numpy as np

from core.efficiency import turn_on_voltage_v
from core.efficiency.turn_on import emitting_range


def test_turn_on_voltage():
    assert turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0]) == 2.5
    assert turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0], 10.0) == 3.0
    assert math.isnan(turn_on_voltage_v([2.0, 2.5], [0.2, 0.5]))


def test_turn_on_is_first_in_measured_order_and_counts_equality():
    # Forward to 3 V, then back: the reverse branch is brighter at 1.5 V than
    # the forward one was, but turn-on is the first point measured at L ≥ 1.
    voltage = [1.0, 2.0, 3.0, 2.5, 1.5]
    luminance = [0.1, 0.5, 40.0, 5.0, 1.2]
    assert turn_on_voltage_v(voltage, luminance) == 3.0
    assert turn_on_voltage_v([1.0, 2.0], [0.5, 1.0]) == 2.0  # L = threshold


def _range(voltage, current, luminance, threshold=1.0):
    return emitting_range(
        np.asarray(voltage, float),
        np.asarray(current, float),
        np.asarray(luminance, float),
        threshold,
    )


def test_emitting_range_drops_dark_and_reverse_current_points_after_turn_on():
    emitting = _range(
        [1, 2, 3, 4, 5, 6],
        [0.1, 0.2, -0.1, 1.0, 2.0, 3.0],  # J < 0 at 3 V
        [0.5, 2.0, 5.0, 0.8, 10.0, 20.0],  # L dips below 1 cd/m² at 4 V
    )
    assert emitting.start == 1 and emitting.turn_on_v == 2.0
    assert emitting.mask.tolist() == [False, True, False, False, True, True]
    assert emitting.warnings == ()


def test_emitting_range_not_reached_says_the_highest_luminance():
    emitting = _range([1, 2], [0.1, 1.0], [0.1, 0.5], threshold=2.0)
    assert emitting.start is None and math.isnan(emitting.turn_on_v)
    assert not emitting.mask.any() and emitting.mask.size == 2
    assert emitting.warnings == (
        "Turn-on not reached: the luminance never reaches 2 cd/m² (highest 0.5 "
        "cd/m²); efficiency maxima are not determined.",
    )
    dark = _range([1, 2], [0.1, 1.0], [math.nan, math.nan])
    assert dark.warnings[0].startswith(
        "Turn-on not reached: the luminance never reaches 1 cd/m² (highest none "
    )
