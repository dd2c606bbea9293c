"""
Macam spectroradiometer ``.DTA`` files (PC1800-style software).

Three header lines — the date and time, each after an ``@``
(``@19/05/97``, ``@17:44:58``), and a remark — then the spectrum with the
wavelength and its value on alternate lines::

    @19/05/97
    @17:44:58
    UV lamp, 50 cm
    250
    1.234E-04
    251
    ...

(a reader takes the numbers after the header in pairs, so two numbers on one
line are read the same way). The files do not state the unit; they usually
hold spectral irradiance in W m⁻² nm⁻¹. A unit in the remark
(``W/m2/nm``, ``µmol/m2/s/nm``, ``quantum``) is used when present.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from core.errors import InputError
from core.io.instruments._common import metadata_note
from core.io.parsed import ParsedSpectra
from core.io.quantity import header_quantity
from core.io.text import parse_number, split_lines

__all__ = ["NAME", "detect", "parse"]

NAME = "macam"

_FMT = "a Macam .DTA file"
_HEADER_LINES = 3
_DATE = re.compile(r"@\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})")
_TIME = re.compile(r"@\s*(\d{1,2}:\d{2}(?::\d{2})?)")


def _header(lines: list[str]) -> tuple[str | None, str | None, str]:
    """Date, time and remark of the three header lines."""
    head = " ".join(lines[:_HEADER_LINES])
    date, clock = _DATE.search(head), _TIME.search(head)
    remark = " ".join(
        line.strip()
        for line in lines[:_HEADER_LINES]
        if not _DATE.fullmatch(line.strip()) and not _TIME.fullmatch(line.strip())
    )
    return (
        date.group(1) if date else None,
        clock.group(1) if clock else None,
        remark,
    )


def detect(text: str) -> float:
    """
    0.9 when the first lines hold ``@date`` and ``@time`` and the lines after
    the three-line header are single numbers; else 0.
    """
    lines = split_lines(text[:20_000])[:40]
    if len(lines) < _HEADER_LINES + 4 or not lines[0].lstrip().startswith("@"):
        return 0.0
    date, clock, _ = _header(lines)
    if date is None or clock is None:
        return 0.0
    body = [line.split() for line in lines[_HEADER_LINES:] if line.strip()]
    numeric = all(
        len(tokens) in (1, 2) and all(parse_number(t) is not None for t in tokens)
        for tokens in body
    )
    return 0.9 if numeric else 0.0


def _tokens(lines: list[str], name: str) -> tuple[list[float], list[int]]:
    """Every number after the header, with its 1-based line."""
    values, line_numbers = [], []
    for i in range(_HEADER_LINES, len(lines)):
        for token in lines[i].split():
            value = parse_number(token)
            if value is None:
                raise InputError(
                    f"{name}, line {i + 1}: expected a number (a wavelength or its "
                    f"value, on alternate lines), found '{token[:40]}'.",
                    source=name,
                    line=i + 1,
                )
            values.append(value)
            line_numbers.append(i + 1)
    if not values or len(values) % 2:
        where = f" (line {line_numbers[-1]})" if values else ""
        raise InputError(
            f"{name}: expected wavelength and value pairs after the three header "
            f"lines; found {len(values)} number(s), the last{where} without its "
            "value. The file looks truncated.",
            source=name,
        )
    return values, line_numbers


def _recorded(date: str | None, clock: str | None) -> datetime | None:
    if date is None:
        return None
    text = date.replace(".", "/").replace("-", "/") + (f" {clock}" if clock else "")
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse(text: str, name: str) -> ParsedSpectra:
    """
    Macam .DTA: the header's date and remark, wavelength/value pairs.

    Raises
    ------
    InputError
        Text among the numbers, or an odd count of numbers (a wavelength
        without its value).
    """
    lines = split_lines(text)
    date, clock, remark = _header(lines)
    values, line_numbers = _tokens(lines, name)
    pairs = np.array(values, dtype=float).reshape(-1, 2)
    quantity, unit = header_quantity(remark)
    parts = [f"recorded {date} {clock or ''}".strip() if date else "", remark]
    notes = [metadata_note(_FMT, [p for p in parts if p])]
    if quantity is None:
        notes.append(
            "the file does not state its unit (Macam files usually hold spectral "
            "irradiance, W m⁻² nm⁻¹); if it holds photon irradiance, choose the "
            "spectral quantity 'photon'."
        )
    return ParsedSpectra(
        wavelength_nm=pairs[:, 0],
        intensity=pairs[None, :, 1],
        line_numbers=np.array(line_numbers[0::2], dtype=int),
        fmt=_FMT,
        notes=tuple(notes),
        metadata={"date": date, "time": clock, "remark": remark},
        timestamp=_recorded(date, clock),
        intensity_quantity=quantity,
        intensity_unit=unit,
    )
