"""
Transposed time series (Quantum Yield Berlin LuQY-style PL exports).

Row 1 is a date and one ``HH:MM:SS`` time stamp per spectrum; then come
per-spectrum metadata rows (``LuQY (%)``, ``Integration Time (ms)``...), a
``Wavelength (nm) <quantity>`` row, and one row per wavelength with one
column per spectrum. Tab-separated.
"""

from __future__ import annotations

import numpy as np

from core.errors import InputError
from core.io.instruments._common import (
    format_ms,
    key_unit,
    metadata_note,
    nonblank,
    time_ms,
)
from core.io.parsed import ParsedSpectra
from core.io.quantity import header_quantity
from core.io.text import NumericTable, parse_number, read_numeric_table, split_lines
from core.io.timestamps import clock_elapsed_h, is_clock_time, is_date, parse_timestamp

__all__ = ["NAME", "detect", "parse"]

NAME = "transposed"


def _tab_fields(line: str) -> list[str]:
    fields = [f.strip() for f in line.split("\t")]
    while fields and not fields[-1]:
        fields.pop()
    return fields


def detect(text: str) -> float:
    """
    0.7 when the first line is a date (or blank, ``time``) followed by one
    clock time per column, tab-separated; else 0.
    """
    head = nonblank(split_lines(text[:200_000])[:60])
    if not head:
        return 0.0
    fields = _tab_fields(head[0])
    if len(fields) < 2:
        return 0.0
    head_ok = (
        not fields[0]
        or is_date(fields[0])
        or is_clock_time(fields[0])
        or fields[0].lower() in ("time", "date", "date/time")
    )
    return 0.7 if head_ok and all(is_clock_time(f) for f in fields[1:]) else 0.0


def _metadata_rows(rows: list[str], n_spectra: int) -> dict[str, np.ndarray]:
    """Per-spectrum rows between the stamps and the wavelengths, by name."""
    metadata: dict[str, np.ndarray] = {}
    for line in rows:
        fields = [f.strip() for f in line.split("\t")]
        key = fields[0]
        if not key or set(key) <= {"-"}:
            continue
        values = [parse_number(f) for f in fields[1 : n_spectra + 1]]
        metadata[key] = np.array(
            [np.nan if v is None else v for v in values], dtype=float
        )
    return metadata


def _integration_part(rows: dict[str, np.ndarray], metadata: dict) -> str | None:
    key = next((k for k in rows if k.lower().startswith("integration")), None)
    if key is None:
        return None
    finite = rows[key][np.isfinite(rows[key])]
    if not finite.size:
        return None
    unit = key_unit(key)
    low, high = time_ms(finite.min(), unit), time_ms(finite.max(), unit)
    metadata["integration_time_ms"] = time_ms(float(np.median(finite)), unit)
    if low == high:
        return f"integration time {format_ms(low)}"
    return f"integration time {format_ms(low)} to {format_ms(high)}"


def _table(text: str, lines: list[str], first: int, name: str, n_spectra: int):
    """The wavelength rows, the line index of the 'Wavelength' row, notes."""
    wavelength_row = next(
        (
            i
            for i in range(first + 1, len(lines))
            if lines[i].strip().lower().startswith("wavelength")
        ),
        None,
    )
    anchor = wavelength_row if wavelength_row is not None else first
    table = read_numeric_table(text, name, start_after=lines[anchor].strip())
    notes = []
    if wavelength_row is None:
        notes.append(
            "no 'Wavelength' row: the rows of numbers after the time stamps were "
            "read as one wavelength and one intensity per spectrum."
        )
    if table.values.shape[1] != n_spectra + 1:
        line = int(table.line_numbers[0])
        raise InputError(
            f"{name}, line {line}: expected {n_spectra + 1} values (a wavelength and "
            f"one intensity for each of the {n_spectra} time stamps on line "
            f"{first + 1}), found {table.values.shape[1]}.",
            source=name,
            line=line,
        )
    return table, wavelength_row, notes


def _intensity_header(lines, wavelength_row) -> str:
    """``Luminescence Flux Density (photons/s/cm²/nm)`` beside the wavelengths."""
    if wavelength_row is None:
        return ""
    fields = [f.strip() for f in lines[wavelength_row].split("\t") if f.strip()]
    return fields[1] if len(fields) > 1 else ""


def _later_notes(lines, wavelength_row, rows: dict) -> list[str]:
    notes = []
    header = _intensity_header(lines, wavelength_row)
    if header:
        notes.append(f"intensity is '{header}'.")
    if rows:
        notes.append(
            "per-spectrum rows kept as metadata, not used as spectra: "
            + ", ".join(f"'{k}'" for k in rows)
            + "."
        )
    return notes


def parse(text: str, name: str) -> ParsedSpectra:
    """
    Transposed time series: a row of time stamps on top, one column per spectrum.

    The time axis is the time since the first stamp in hours; a stamp earlier
    than the one before it means the clock passed midnight and one day is
    added.

    Raises
    ------
    InputError
        Data rows whose column count does not match the number of time stamps.
    """
    lines = split_lines(text)
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    stamps = _tab_fields(lines[first])
    date_text, clock = stamps[0], stamps[1:]
    elapsed_h, wraps = clock_elapsed_h(clock)
    notes = []
    if wraps:
        notes.append(
            f"the time stamps pass midnight {wraps} time(s); one day was added "
            "after each wrap."
        )
    table, wavelength_row, table_notes = _table(text, lines, first, name, len(clock))
    notes.extend(table_notes)
    last_meta = wavelength_row if wavelength_row is not None else _row_above(table)
    rows = _metadata_rows(lines[first + 1 : last_meta], len(clock))
    metadata: dict = {"date": date_text, "time_stamps": clock, **rows}
    parts = [f"{len(clock)} spectra", f"first {date_text} {clock[0]}".strip()]
    integration = _integration_part(rows, metadata)
    if integration is not None:
        parts.append(integration)
    fmt_note = metadata_note(
        "a transposed time series with time stamps in row 1", parts
    )
    notes.insert(0, fmt_note)
    notes.extend(_later_notes(lines, wavelength_row, rows))
    quantity, unit = header_quantity(_intensity_header(lines, wavelength_row))
    return ParsedSpectra(
        wavelength_nm=table.values[:, 0],
        intensity=table.values[:, 1:].T,
        line_numbers=table.line_numbers,
        fmt="a transposed time series",
        axis=elapsed_h,
        axis_name="time",
        axis_unit="h",
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(f"{date_text} {clock[0]}") if date_text else None,
        intensity_quantity=quantity,
        intensity_unit=unit,
    )


def _row_above(table: NumericTable) -> int:
    """0-based index of the first data row: metadata rows end before it."""
    return int(table.line_numbers[0]) - 1
