"""
What a file's ``key: value`` preamble says about the device.

The J-V-L reader (:mod:`core.io.jvl`) and the lifetime reader
(:mod:`core.io.lifetime_log`) both read the device area here, so that
``Area: 4 mm2`` is 0.04 cm² in both (it once was 4 cm² in one of them, which
made current densities 100x too low). The lifetime reader also reads the
photodiode's dark reading here.
"""

from __future__ import annotations

import math
import re

from core import units
from core.io.columns import header_unit
from core.io.text import parse_number

__all__ = ["area_from_preamble_cm2", "background_from_preamble"]

_AREA_KEY = re.compile(r"area", re.I)
_LEADING_NUMBER = re.compile(r"^\s*([+-]?[\d.,]+(?:[eE][+-]?\d+)?)")
_BACKGROUND_KEY = re.compile(r"background|dark", re.I)


def _is_area(unit: str) -> bool:
    return bool(unit) and units.quantity_of(unit) == "area"


def _unit_written(key: str, rest: str) -> str:
    """
    The unit of an area entry: in brackets in the key (``Area (mm2)``), after
    the word area in the key (``Area mm^2``), or after the number in the
    value (``4 mm2``, ``0.04 cm² (pixel 3)``); "" when none.
    """
    after_word = re.split(r"area", key, maxsplit=1, flags=re.I)[-1]
    tokens = rest.split()
    candidates = (
        header_unit(key, suffix=False),
        after_word.strip(" ,:;_-="),
        rest.strip("()[] "),
        tokens[0].strip("()[]") if tokens else "",
    )
    for candidate in candidates:
        if _is_area(candidate):
            return candidate
    return next((c for c in candidates[:3] if c), "")


def _one_area(key: str, text: str) -> tuple[float | None, str]:
    match = _LEADING_NUMBER.match(text)
    number = parse_number(match.group(1), decimal_comma=True) if match else None
    if match is None or number is None or not math.isfinite(number) or number <= 0:
        return None, (
            f"the preamble entry '{key}: {text}' was not used as the device "
            "area: expected a positive number"
        )
    unit = _unit_written(key, text[match.end() :])
    if not unit:
        return None, (
            f"the preamble entry '{key}: {text}' has no unit (mm², cm²); "
            "it was not used as the device area"
        )
    factor = units.factor_to_internal(unit, "area") if _is_area(unit) else None
    if factor is None:
        return None, (
            f"the preamble entry '{key}: {text}' gives the unit '{unit}', not an "
            "area (mm², cm²); it was not used as the device area"
        )
    area = number * factor
    return area, f"device area {area:.4g} cm² read from the preamble ('{key}')"


def area_from_preamble_cm2(
    preamble: dict, decimal_comma: bool = False
) -> tuple[float | None, str | None]:
    """
    Device area from a file preamble.

    Looks at every key containing ``area``; the unit may be in the key
    (``Area (mm2)``, ``Device Area (cm^2)``, ``Area mm2``) or after the value
    (``Area: 4 mm2``, ``area = 0.04 cm²``): any area unit of
    :mod:`core.units` (µm², mm², cm², m²). An entry without a unit is not
    used: ``Area: 4`` could be mm² as well as cm².

    Parameters
    ----------
    preamble : dict
        ``key: value`` pairs (:attr:`core.io.text.NumericTable.preamble`).
    decimal_comma : bool
        Accepted for compatibility: ``10,00`` is always read as 10.0.

    Returns
    -------
    area_cm2 : float or None
        The area of the first usable entry. [cm²]
    note : str or None
        What was found, or why the first ``area`` entry could not be used.

    Examples
    --------
    >>> area_from_preamble_cm2({"Area": "4 mm2"})[0]
    0.04
    >>> area_from_preamble_cm2({"Device Area (cm^2)": "1.000000E-1"})[0]
    0.1
    """
    first_note = None
    for key, value in preamble.items():
        if not _AREA_KEY.search(key):
            continue
        area, note = _one_area(key, str(value).strip())
        if area is not None:
            return area, note
        first_note = first_note or note
    return None, first_note


def background_from_preamble(preamble: dict) -> tuple[str, float] | None:
    """
    The detector's dark reading: the first ``background``/``dark`` entry
    whose value starts with a finite number, as (key, value).

    Examples
    --------
    >>> background_from_preamble({"Detector Background (V)": "9.9E-14"})
    ('Detector Background (V)', 9.9e-14)
    """
    for key, value in preamble.items():
        if not _BACKGROUND_KEY.search(key):
            continue
        try:
            number = float(value.replace(",", ".").split()[0])
        except (ValueError, IndexError):
            continue
        if math.isfinite(number):
            return key, number
    return None
