"""
The series axis of a spectral series: from the column headers of a wide
table (``t = 0 h``, ``3.0 V``, ``EL_4.5V``, clock times), and combined with
what the caller asks for (axis name, unit, explicit values).

Units are recognised and converted by :mod:`core.units`; the axis ends in
the default unit of :data:`core.models.AXIS_DEFAULT_UNITS` unless asked
otherwise.
"""

from __future__ import annotations

import re

import numpy as np

from core import units
from core.errors import InputError
from core.io.columns import header_unit
from core.io.messages import plural
from core.io.timestamps import clock_elapsed_h, is_clock_time
from core.models import AXIS_DEFAULT_UNITS, AXIS_NAMES

__all__ = [
    "SERIES_QUANTITIES",
    "SERIES_HEADER",
    "quantity_of_name",
    "axis_from_headers",
    "check_axis_name",
    "final_axis",
]

SERIES_QUANTITIES = ("time", "voltage", "current_density", "temperature")


_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"


SERIES_HEADER = re.compile(
    rf"^\s*(?:(?P<name>[^\d=:@]*?)\s*[=:@]\s*)?(?P<number>{_NUMBER})\s*"
    r"(?P<unit>[^\s\d][^\s]*)?\s*$"
)


# Looser: a number with a unit of an axis quantity anywhere in the header
# ("EL_3.0V", "spectrum @ 4.5 V (a.u.)"); used only when every header has
# exactly one (the unit is checked by core.units, see _loose_matches).
_SERIES_HEADER_LOOSE = re.compile(
    r"(?<![\d.,])(?P<number>[+-]?\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>°?[A-Za-zµμ][A-Za-z0-9µμ/²]*)"
)


def quantity_of_name(name: str) -> str | None:
    """The axis quantity a header's words name (``Temp``, ``time``, ``V``...)."""
    text = name.strip()
    if not text:
        return None
    if text == "T" or re.search(r"temp", text, re.I):
        return "temperature"
    lower = text.lower()
    if lower in ("t", "time") or re.search(
        r"\btime\b|elapsed|duration|aging|ageing", lower
    ):
        return "time"
    if lower in ("v", "u") or re.search(r"volt|bias", lower):
        return "voltage"
    if lower == "j" or re.search(r"current dens", lower):
        return "current_density"
    return None


def _series_quantity(unit: str) -> str | None:
    """The axis quantity a unit measures (time, voltage...), or None."""
    quantity = units.quantity_of(unit)
    return quantity if quantity in SERIES_QUANTITIES else None


def _unit_factor(quantity: str, unit: str) -> float | None:
    """Factor to the internal unit of ``quantity`` (h, V, mA/cm²); None if unknown."""
    if quantity not in ("time", "voltage", "current_density") or not unit:
        return None
    return units.factor_to_internal(unit, quantity)


def _converted_axis(values, quantity, from_unit, to_unit):
    """Values in ``to_unit``; None when the units cannot be converted."""
    if units.normalise_unit(from_unit) == units.normalise_unit(to_unit):
        return values
    source = _unit_factor(quantity, from_unit)
    target = _unit_factor(quantity, to_unit)
    if source is None or target is None:
        return None
    return values * (source / target)


def _clock_axis(headers: list[str]) -> tuple[np.ndarray, str]:
    hours, wraps = clock_elapsed_h(headers)
    note = (
        "the spectrum column headers are clock times: time counted from "
        f"{headers[0]}, in h"
        + (f"; the clock passes midnight {wraps} time(s)." if wraps else ".")
    )
    return hours, note


def _loose_matches(header: str) -> list:
    """The number-and-unit pairs of a header whose unit is an axis unit."""
    return [
        match
        for match in _SERIES_HEADER_LOOSE.finditer(header)
        if _series_quantity(match.group("unit"))
    ]


def _header_matches(headers: list[str]) -> list:
    """One match per header (strict form, else the loose one), None if not."""
    parsed = [SERIES_HEADER.match(h) for h in headers]
    if headers and any(m is None for m in parsed):
        loose = [_loose_matches(h) for h in headers]
        if all(len(found) == 1 for found in loose):
            parsed = [found[0] for found in loose]
    return parsed


def _mixed_units(values, quantity, written: list[str], distinct: set[str]):
    """Axis from headers in different units: converted to one, or as written."""
    factors = [_unit_factor(quantity or "", u) for u in written]
    if quantity is None or any(f is None for f in factors):
        note = (
            "the spectrum column headers use units that cannot be converted to "
            "one another (" + ", ".join(sorted(distinct)) + "); their "
            "numbers are used as written, without a unit."
        )
        return values, quantity, "", [note]
    unit = AXIS_DEFAULT_UNITS[quantity]
    note = (
        "the spectrum column headers use different units ("
        + ", ".join(sorted(distinct))
        + f"); all were converted to {unit}."
    )
    return values * np.array(factors), quantity, unit, [note]


def axis_from_headers(
    headers: list[str], first_header: str
) -> tuple[np.ndarray | None, str | None, str, list[str]]:
    """
    Series axis from the headers of the spectrum columns.

    Returns values (None when the headers are not all numbers), quantity,
    unit as written (converted to the internal unit when units are mixed)
    and notes.
    """
    if len(headers) > 1 and all(is_clock_time(h) for h in headers):
        hours, note = _clock_axis(headers)
        return hours, "time", "h", [note]
    parsed = _header_matches(headers)
    if not headers or any(m is None for m in parsed):
        notes = []
        if len(headers) > 1:
            bad = next(
                (h for h, m in zip(headers, parsed, strict=True) if m is None), ""
            )
            notes.append(
                f"the spectrum column headers are not numbers (e.g. '{bad}'), so the "
                f"spectra are numbered 0 to {len(headers) - 1}; give axis values to "
                "use times or voltages."
            )
        return None, None, "", notes
    values = np.array(
        [float(m.group("number").replace(",", ".")) for m in parsed], dtype=float
    )
    written = [(m.group("unit") or "").strip("()[]") for m in parsed]
    names = [(m.groupdict().get("name") or "").strip() for m in parsed]
    found = [_series_quantity(u) for u in written if u]
    found += [quantity_of_name(n) for n in names if n]
    quantities = {q for q in found if q is not None}
    hint_quantity, hint_unit = _axis_hint_from_first_header(first_header)
    if not quantities and hint_quantity:
        quantities = {hint_quantity}
    if len(quantities) > 1:
        note = (
            "the spectrum column headers mix quantities ("
            + ", ".join(sorted(quantities))
            + "); their numbers are used without a unit."
        )
        return values, None, "", [note]
    quantity = quantities.pop() if quantities else None
    distinct = {u for u in written if u}
    if len(distinct) > 1:
        return _mixed_units(values, quantity, written, distinct)
    unit = distinct.pop() if distinct else hint_unit
    notes = []
    if quantity is None:
        notes.append(
            "the spectrum column headers are numbers without a quantity or unit; "
            "give the axis name and unit to label them."
        )
    return values, quantity, unit, notes


def _axis_hint_from_first_header(cell: str) -> tuple[str | None, str]:
    """``Wavelength (nm) / time (h)`` or ``time (h)`` -> ("time", "h")."""
    rest = re.sub(
        r"(wave\w*|lambda|λ|\bwl\b)\s*([\(\[][^\)\]]*[\)\]])?", " ", cell, flags=re.I
    )
    rest = re.sub(r"^\s*[/\\|,;]+|[/\\|,;]+\s*$", " ", rest).strip(" /\\|")
    if not rest:
        return None, ""
    name_part = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", rest)
    quantity = None
    for word in re.split(r"[/\\|,;]", name_part):
        quantity = quantity_of_name(word)
        if quantity:
            break
    return quantity, header_unit(rest, suffix=False)


def check_axis_name(axis_name: str | None) -> None:
    """Raise an InputError for an axis name not in AXIS_NAMES."""
    if axis_name is not None and axis_name not in AXIS_DEFAULT_UNITS:
        raise InputError(
            f"axis name '{axis_name}' is not known; expected one of "
            f"{', '.join(AXIS_NAMES)}."
        )


def final_axis(
    n_spectra: int,
    name: str,
    axis: np.ndarray | None,
    file_name: str | None,
    file_unit: str | None,
    axis_name: str | None,
    axis_unit: str | None,
    axis_values,
) -> tuple[np.ndarray, str, str, list[str]]:
    """Axis values, name and unit from the file and the caller's arguments."""
    notes: list[str] = []
    if axis_values is not None:
        given = np.asarray(axis_values, dtype=float).ravel()
        if given.size != n_spectra:
            raise InputError(
                f"{name}: {given.size} axis values were given for "
                f"{plural(n_spectra, 'spectrum')} in the file; expected one value per "
                "spectrum. Check that the axis values (e.g. the voltages of the J-V-L "
                "file) belong to this file.",
                source=name,
            )
        final_name = axis_name or "index"
        final_unit = (
            axis_unit if axis_unit is not None else AXIS_DEFAULT_UNITS[final_name]
        )
        return given, final_name, final_unit, notes
    if axis is None:
        if axis_name not in (None, "index"):
            notes.append(
                f"the file gives no {axis_name.replace('_', ' ')} values: the spectra "
                f"are numbered 0 to {n_spectra - 1}; give the axis values to use them."
            )
        return np.arange(n_spectra, dtype=float), "index", "", notes
    file_unit = file_unit or ""
    final_name = axis_name or file_name or "index"
    if file_name and axis_name and axis_name != file_name:
        notes.append(
            f"the file labels the axis {file_name.replace('_', ' ')}; it is used as "
            f"{axis_name.replace('_', ' ')} as asked."
        )
        return axis, final_name, axis_unit or AXIS_DEFAULT_UNITS[final_name], notes
    if final_name == "index":
        return axis, "index", "", notes
    default_unit = AXIS_DEFAULT_UNITS[final_name]
    if not file_unit:
        return (
            axis,
            final_name,
            axis_unit if axis_unit is not None else default_unit,
            notes,
        )
    target = (
        axis_unit
        if axis_unit
        else (default_unit if final_name != "temperature" else file_unit)
    )
    converted = _converted_axis(axis, final_name, file_unit, target)
    if converted is None:
        notes.append(
            f"the axis unit in the file ({file_unit}) could not be converted to "
            f"{target}; the values are used as written, in {file_unit}."
        )
        return axis, final_name, file_unit, notes
    if units.normalise_unit(file_unit) != units.normalise_unit(target):
        notes.append(f"axis converted from {file_unit} to {target}.")
    return converted, final_name, target, notes
