"""
Avantes AvaSoft ASCII exports.

``Key-->,value`` lines (``Mode/Unit-->,Irradiance[...]``,
``Int.time[ms]-->,100``, ``NrOfAverages-->,100``), then the column header
``Wavelength[nm],<sample name>`` and ``wavelength,value`` rows.
"""

from __future__ import annotations

from core.io.instruments._common import (
    first_number,
    format_ms,
    key_unit,
    metadata_note,
    nonblank,
    time_ms,
    two_columns,
)
from core.io.parsed import ParsedSpectra
from core.io.text import read_numeric_table, split_lines

__all__ = ["NAME", "detect", "parse"]

NAME = "avantes"

_FMT = "an Avantes AvaSoft export"


def detect(text: str) -> float:
    """0.8 when the first line is a ``Key-->`` line; else 0."""
    head = nonblank(split_lines(text[:200_000])[:60])
    return 0.8 if head and "-->" in head[0].strip() else 0.0


def parse(text: str, name: str) -> ParsedSpectra:
    """Avantes AvaSoft export: one spectrum, metadata from the ``-->`` lines."""
    table = read_numeric_table(text, name)
    wavelength, intensity, notes = two_columns(table, "AvaSoft")
    metadata = dict(table.preamble)
    parts = []
    if "Mode/Unit" in metadata:
        parts.append(f"mode {metadata['Mode/Unit']}")
    for key in ("Int.time[ms]", "Integration time [ms]", "Int.time [ms]"):
        if key in metadata:
            value = first_number(metadata[key])
            if value is not None:
                metadata["integration_time_ms"] = time_ms(value, key_unit(key))
                parts.append(f"integration time {format_ms(value)}")
            break
    if "NrOfAverages" in metadata:
        parts.append(f"{metadata['NrOfAverages']} scans averaged")
    if len(table.header) > 1 and table.header[1]:
        parts.append(f"sample '{table.header[1]}'")
    notes.insert(0, metadata_note(_FMT, parts))
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt=_FMT,
        notes=tuple(notes),
        metadata=metadata,
    )
