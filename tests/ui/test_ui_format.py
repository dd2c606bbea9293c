"""ui.format: what a page shows for numbers, missing ones included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ui.format import (
    MISSING,
    device_contents,
    hours_text,
    is_finite,
    number_text,
    signed_nm,
    significant,
    value_text,
)


@pytest.mark.parametrize(
    "value", [None, math.nan, np.nan, np.float32("nan"), math.inf, -np.inf, "1.0", True]
)
def test_anything_that_is_not_a_finite_number_is_a_dash(value):
    assert not is_finite(value)
    for text in (
        number_text(value),
        signed_nm(value),
        value_text(value, "%"),
        hours_text(value),
    ):
        assert text == MISSING == "—"


def test_numpy_numbers_format_like_python_ones():
    assert number_text(np.float64(638.04), ".1f", "nm") == "638.0 nm"
    assert number_text(np.int64(3), "d") == "3"
    assert value_text(np.float32(21.5), "%") == "21.50 %"


def test_stability_cards_shifts_keep_three_significant_digits():
    # The three magnitudes a stability card shows (issue: +77.8, not +77.81).
    assert [signed_nm(v) for v in (0.2213, 4.567, 77.81, -12.0)] == [
        "+0.22 nm",
        "+4.57 nm",
        "+77.8 nm",
        "-12.0 nm",
    ]


def test_hours_switch_to_minutes_below_one_hour():
    assert hours_text(43.0 / 60.0) == "43 min"
    assert hours_text(1.0) == "1 h"
    assert hours_text(490.0 / 60.0) == "8.167 h"


def test_significant_leaves_non_floats_alone():
    assert significant(2 / 3) == "0.6667"
    assert significant(2 / 3, 2) == "0.67"
    assert significant(12) == "12" and significant("D65") == "D65"
    assert significant(math.nan) == MISSING


def test_device_contents_lists_what_a_device_holds():
    from core.demo import demo_devices

    control = demo_devices()[0]
    assert device_contents(control) == (
        "61 spectra over time, 19 spectra over bias, 1 J-V-L sweep(s), "
        "1 lifetime log(s)"
    )
    assert device_contents(control.__class__(name="empty")) == "no data"
