"""
StellarNet SpectraWiz exports (``.IRR``, ``.SSM``, ``.TRM``).

Header lines start with a ``"`` they never close (file path; ``RAD-> Wave:
Pix: Time:230ms Avg:1 ... >102513.CAL``); the data are two
whitespace-separated columns; a stray last line ``: N`` is not data.
"""

from __future__ import annotations

import re

from core.io.instruments._common import (
    format_ms,
    metadata_note,
    nonblank,
    two_columns,
)
from core.io.parsed import ParsedSpectra
from core.io.text import read_numeric_table, split_lines

__all__ = ["NAME", "detect", "parse"]

NAME = "spectrawiz"

_COUNT_LINE = re.compile(r"^:\s*\d+\s*$")
_MODES = {
    "RAD": "radiometric (irradiance)",
    "SCOPE": "scope mode (counts)",
    "TRANS": "transmission",
    "ABS": "absorbance",
}
_FMT = "a StellarNet SpectraWiz export"


def detect(text: str) -> float:
    """
    0.6 when the first line opens a quote it never closes or the last line is
    ``: N``; else 0. Weak hints: every other format is tried first.
    """
    head = nonblank(split_lines(text[:200_000])[:60])
    if not head:
        return 0.0
    first = head[0].strip()
    tail = nonblank(split_lines(text[-200:]))
    if (first.startswith('"') and first.count('"') % 2 == 1) or (
        tail and _COUNT_LINE.match(tail[-1].strip())
    ):
        return 0.6
    return 0.0


def _header_parts(joined: str, metadata: dict) -> list[str]:
    parts = []
    mode = re.search(r"\b([A-Z]+)->", joined)
    if mode:
        parts.append(_MODES.get(mode.group(1), mode.group(1)))
    time_match = re.search(r"Time:\s*([\d.]+)\s*ms", joined)
    if time_match:
        metadata["integration_time_ms"] = float(time_match.group(1))
        parts.append(f"integration time {format_ms(float(time_match.group(1)))}")
    avg_match = re.search(r"Avg:\s*(\d+)", joined)
    if avg_match:
        count = int(avg_match.group(1))
        parts.append(f"{count} scan{'' if count == 1 else 's'} averaged")
    cal = re.search(r">\s*(\S+\.CAL)", joined, re.I)
    if cal:
        parts.append(f"calibration {cal.group(1)}")
    return parts


def parse(text: str, name: str) -> ParsedSpectra:
    """
    StellarNet SpectraWiz export.

    Integration time and averages come from the ``Time:230ms  Avg:1`` fields
    of the header; the trailer ``: N`` is skipped with a note.
    """
    lines = split_lines(text)
    header = [
        ln.strip().lstrip('"').strip() for ln in lines if ln.strip().startswith('"')
    ]
    table = read_numeric_table(text, name, stop_markers=(":",))
    wavelength, intensity, notes = two_columns(table, "SpectraWiz")
    metadata: dict = {"header": header}
    notes.insert(0, metadata_note(_FMT, _header_parts(" ".join(header), metadata)))
    tail = nonblank(lines)
    if tail and _COUNT_LINE.match(tail[-1].strip()):
        notes.append(
            f"the last line '{tail[-1].strip()}' is a SpectraWiz trailer, not data; "
            "it was skipped."
        )
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt=_FMT,
        notes=tuple(notes),
        metadata=metadata,
    )
