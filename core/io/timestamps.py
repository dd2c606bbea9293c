"""
Time stamps as spectrometer software writes them.

``Wed Nov 27 17:21:38 EET 2013`` (Ocean Optics), ``01.08.2024 15:14:51``,
ISO dates, and clock times ``HH:MM:SS`` whose differences give the time axis
of a series (with a day added each time the clock passes midnight).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

__all__ = ["parse_timestamp", "is_clock_time", "clock_elapsed_h", "is_date"]

#: A time of day: ``HH:MM`` or ``HH:MM:SS(.s)``.
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
#: A date: ``27.11.2013``, ``11/27/13``, ``2013-11-27``.
DATE = re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")

_TIMESTAMP_FORMATS = (
    "%b %d %H:%M:%S %Y",  # SpectraSuite/OceanView after dropping weekday and zone
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
)
# "Wed Nov 27 17:21:38 EET 2013": weekday and time zone are dropped; the zone
# abbreviations are ambiguous and a series is recorded in one zone anyway.
_JAVA_DATE = re.compile(
    r"^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}:\d{2})"
    r"(?:\s+[A-Za-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?\s+(\d{4})$"
)


def parse_timestamp(text: str) -> datetime | None:
    """
    Parse a date-time as spectrometer software writes it; None if unknown.

    Examples
    --------
    >>> parse_timestamp("Wed Nov 27 17:21:38 EET 2013")
    datetime.datetime(2013, 11, 27, 17, 21, 38)
    >>> parse_timestamp("01.08.2024 15:14:51")
    datetime.datetime(2024, 8, 1, 15, 14, 51)
    """
    value = " ".join(text.strip().split())
    match = _JAVA_DATE.match(value)
    if match:
        value = f"{match.group(1)} {match.group(2)} {match.group(3)} {match.group(4)}"
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def is_date(text: str) -> bool:
    """True for a date alone (``27.11.2013``, ``2013-11-27``)."""
    return bool(DATE.match(text.strip()))


def _clock_seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.append(0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def is_clock_time(text: str) -> bool:
    """True for a time of day ``HH:MM`` or ``HH:MM:SS(.s)``."""
    return bool(TIME_OF_DAY.match(text.strip()))


def clock_elapsed_h(stamps: list[str]) -> tuple[np.ndarray, int]:
    """
    Hours since the first of a list of ``HH:MM:SS`` stamps, and midnight wraps.

    A stamp earlier than the one before it means the clock passed midnight:
    one day is added from there on.

    Examples
    --------
    >>> hours, wraps = clock_elapsed_h(["23:59:50", "00:00:00", "00:00:10"])
    >>> (hours * 3600).round(6).tolist(), wraps
    ([0.0, 10.0, 20.0], 1)
    """
    seconds = np.array([_clock_seconds(s.strip()) for s in stamps])
    wraps = np.concatenate([[0], np.cumsum(np.diff(seconds) < 0)])
    elapsed_s = seconds + 86400.0 * wraps - seconds[0]
    return elapsed_s / 3600.0, int(wraps[-1])
