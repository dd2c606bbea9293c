"""core/io/timestamps.py: time stamps and clock times of spectrometer files."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from core.io.timestamps import (
    clock_elapsed_h,
    is_clock_time,
    is_date,
    parse_timestamp,
)


def test_parse_timestamp_formats():
    assert parse_timestamp("Thu Jun 19 19:20:35 CEST 2025").isoformat() == (
        "2025-06-19T19:20:35"
    )
    assert parse_timestamp("03/15/2024 10:32:15 PM").hour == 22
    assert parse_timestamp("sometime last week") is None
    assert parse_timestamp("2024-08-01T15:14:51.5") == datetime(
        2024, 8, 1, 15, 14, 51, 500000
    )


def test_clock_times_and_dates():
    assert is_clock_time("23:59") and is_clock_time(" 00:00:10.5 ")
    assert not is_clock_time("24 h") and not is_clock_time("12:5")
    assert is_date("31.12.2024") and is_date("2024-12-31")
    assert not is_date("12:00:00")


def test_elapsed_hours_add_a_day_at_each_midnight():
    hours, wraps = clock_elapsed_h(["23:00:00", "01:00:00", "23:30:00", "00:30:00"])
    # 23:00 -> 01:00 (+2 h), -> 23:30 (+22.5 h), -> 00:30 next day (+1 h).
    np.testing.assert_allclose(hours, [0.0, 2.0, 24.5, 25.5])
    assert wraps == 2
