"""
Photo Research SpectraWin exports (PR-6xx/PR-7xx spectroradiometers).

``[HEADER]`` holds ``Key: value`` lines (``Model Num.``, ``Exp. Time``,
``Date / Time``, ``Radiometric Mode``...); ``[SPECTRAL]`` holds either
``wavelength, value`` rows or, in the older export, the start, end and step
wavelengths on three lines followed by one value per line. Sections end with
``[END OF SECTION]``; other sections (``[CALCULATED]``) are not read.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from core.errors import InputError
from core.io.instruments._common import (
    first_number,
    metadata_note,
    nonblank,
    padded_block,
    preamble_of,
    time_ms,
    two_columns,
)
from core.io.parsed import ParsedSpectra
from core.io.text import NumericTable, read_numeric_table, split_lines
from core.io.timestamps import parse_timestamp

__all__ = ["NAME", "detect", "parse"]

NAME = "spectrawin"

_FMT = "a Photo Research SpectraWin export"
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def detect(text: str) -> float:
    """0.95 when a line is ``[SPECTRAL]`` or ``[HEADER]``; else 0."""
    head = nonblank(split_lines(text[:200_000])[:60])
    sections = {line.strip().upper() for line in head}
    return 0.95 if sections & {"[SPECTRAL]", "[HEADER]"} else 0.0


def _sections(lines: list[str]) -> dict[str, tuple[int, list[str]]]:
    """``[NAME]`` sections -> (1-based first line of content, content lines)."""
    sections: dict[str, tuple[int, list[str]]] = {}
    current = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            title = stripped[1:-1].strip().upper()
            if title == "END OF SECTION":
                current = None
            else:
                current = title
                sections[current] = (i + 2, [])
            continue
        if current is not None:
            sections[current][1].append(line)
    return sections


def _spectral_block(sections: dict, name: str) -> tuple[int, list[str]]:
    if "SPECTRAL" not in sections:
        raise InputError(
            f"{name}: looks like a Photo Research SpectraWin export ([HEADER] "
            "section) but has no [SPECTRAL] section; expected the spectral data in "
            "it. Export with 'Spectral data' ticked.",
            source=name,
        )
    first_line, block = sections["SPECTRAL"]
    if not nonblank(block):
        raise InputError(
            f"{name}, line {first_line - 1}: the [SPECTRAL] section is empty; "
            "expected one wavelength and value per line. The file looks truncated; "
            "export it again.",
            source=name,
            line=first_line - 1,
        )
    return first_line, block


def _start_end_step(table: NumericTable, first_line: int, name: str):
    """The older layout: start, end, step, then one value per wavelength."""
    values = table.values[:, 0]
    if values.size < 4:
        raise InputError(
            f"{name}, line {first_line}: the [SPECTRAL] section holds "
            f"{values.size} number(s); expected the start, end and step "
            "wavelengths followed by one value per wavelength.",
            source=name,
            line=first_line,
        )
    start, stop, step = values[:3]
    count = int(round((stop - start) / step)) + 1 if step > 0 else 0
    if count != values.size - 3:
        raise InputError(
            f"{name}, line {table.line_numbers[0]}: the [SPECTRAL] section gives "
            f"the grid {start:g}-{stop:g} nm in {step:g} nm steps ({count} "
            f"wavelengths) but holds {values.size - 3} values; expected one "
            "value per wavelength.",
            source=name,
            line=int(table.line_numbers[0]),
        )
    note = (
        f"wavelengths built from the start/end/step lines: {start:g}-{stop:g} "
        f"nm in {step:g} nm steps."
    )
    wavelength = start + step * np.arange(count)
    return wavelength, values[3:], table.line_numbers[3:], [note]


def _header(sections: dict) -> tuple[dict[str, Any], list[str]]:
    preamble = preamble_of(sections["HEADER"][1]) if "HEADER" in sections else {}
    metadata: dict[str, Any] = dict(preamble)
    parts = []
    for key, label in (
        ("Model Num.", "model"),
        ("Serial Num.", "serial"),
        ("Radiometric Mode", "mode"),
        ("Exp. Time", "exposure"),
        ("Date / Time", "recorded"),
    ):
        if metadata.get(key):
            parts.append(f"{label} {metadata[key]}")
    exposure = preamble.get("Exp. Time") or ""
    number = _NUMBER.search(exposure)
    value = first_number(exposure)
    if number is not None and value is not None:
        # "250 ms" or "0.5 s": the unit follows the number; ms when none.
        after = exposure[number.end() :].split()
        metadata["integration_time_ms"] = time_ms(value, after[0] if after else "")
    return metadata, parts


def parse(text: str, name: str) -> ParsedSpectra:
    """
    Photo Research SpectraWin export.

    Raises
    ------
    InputError
        No ``[SPECTRAL]`` section, an empty one, or a value count that does
        not match the start/end/step grid.
    """
    sections = _sections(split_lines(text))
    first_line, block = _spectral_block(sections, name)
    table = read_numeric_table(padded_block(block, first_line), name, min_columns=1)
    if table.values.shape[1] >= 2:
        wavelength, intensity, notes = two_columns(table, "SpectraWin")
        line_numbers = table.line_numbers
    else:
        wavelength, intensity, line_numbers, notes = _start_end_step(
            table, first_line, name
        )
    metadata, parts = _header(sections)
    date = metadata.get("Date / Time") or metadata.get("Date")
    notes.insert(0, metadata_note(_FMT, parts))
    return ParsedSpectra(
        wavelength_nm=np.asarray(wavelength, dtype=float),
        intensity=np.asarray(intensity, dtype=float)[None, :],
        line_numbers=np.asarray(line_numbers),
        fmt=_FMT,
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(date) if date else None,
    )
