"""Helpers the instrument parsers share (not a reader: not in the table)."""

from __future__ import annotations

import re

import numpy as np

from core import units
from core.io.columns import header_unit
from core.io.text import NumericTable, parse_number, parse_preamble_line

__all__ = [
    "nonblank",
    "padded_block",
    "two_columns",
    "first_number",
    "format_ms",
    "metadata_note",
    "preamble_of",
    "time_ms",
    "key_unit",
]


def nonblank(lines: list[str]) -> list[str]:
    """The lines that hold something besides whitespace."""
    return [line for line in lines if line.strip()]


def padded_block(lines: list[str], first_line: int) -> str:
    """Text whose line numbers match the file: block starts at ``first_line``."""
    return "\n" * (first_line - 1) + "\n".join(lines)


def two_columns(
    table: NumericTable, fmt: str
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Wavelength and intensity of a one-spectrum export; note extra columns."""
    notes = []
    if table.values.shape[1] > 2:
        notes.append(
            f"{fmt}: only the first two columns were read (wavelength and "
            f"intensity); {table.values.shape[1] - 2} further column(s) ignored."
        )
    return table.values[:, 0], table.values[:, 1], notes


def first_number(text: str) -> float | None:
    """The first number in ``text`` (decimal point or comma), or None."""
    match = re.search(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", text)
    if match is None:
        return None
    return parse_number(match.group(0), decimal_comma=True)


def format_ms(value_ms: float) -> str:
    """``230 ms``."""
    return f"{value_ms:g} ms"


def metadata_note(fmt: str, parts: list[str]) -> str:
    """``read as <fmt> (part; part).``: the first note of every export."""
    details = "; ".join(p for p in parts if p)
    return f"read as {fmt}" + (f" ({details})." if details else ".")


def preamble_of(lines: list[str]) -> dict[str, str]:
    """``Key: value`` lines -> dict (the first of a repeated key wins)."""
    metadata: dict[str, str] = {}
    for line in lines:
        parsed = parse_preamble_line(line)
        if parsed is not None:
            metadata.setdefault(parsed[0], parsed[1])
    return metadata


def time_ms(value: float, unit: str, default_ms: float = 1.0) -> float:
    """
    A duration in ms from a value and its unit (``usec``, ``s``, ``min``...).

    ``default_ms`` is the factor when the unit is empty or not a time: the
    exports that write ms without saying so.
    """
    factor = units.conversion_factor(unit, "ms", "time") if unit else None
    return value * (factor if factor is not None else default_ms)


def key_unit(key: str) -> str:
    """The unit in a metadata key: ``Integration Time (usec)`` -> ``usec``."""
    return header_unit(key)
