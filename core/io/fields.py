"""
The cells of a text table: fields of a line, numbers as labs write them
(decimal comma, ``Inf``, ``NaN``, quotes) and ``key: value`` preamble lines.
Used by :mod:`core.io.text` and the instrument readers (re-exported there).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = [
    "split_fields",
    "parse_number",
    "parse_preamble_line",
    "numeric_fields",
    "looks_numeric",
]

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_SPECIAL = {
    "nan": np.nan,
    "+nan": np.nan,
    "-nan": np.nan,
    "inf": np.inf,
    "+inf": np.inf,
    "-inf": -np.inf,
    "infinity": np.inf,
    "-infinity": -np.inf,
    "": np.nan,
}
_PREAMBLE = re.compile(r"^\s*([^:=\t]{1,80}?)\s*(?:-->|:|=)\s*,?\s*(.*?)\s*$")


def split_fields(line: str, delimiter: str | None) -> list[str]:
    """Split one line; trailing empty fields (trailing tabs) are dropped."""
    if delimiter is None:
        return line.split()
    parts = [p.strip() for p in line.strip("\r\n").split(delimiter)]
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def parse_number(token: str, decimal_comma: bool = False) -> float | None:
    """
    Parse one numeric field; ``None`` when it is not a number.

    ``Inf``, ``NaN`` and blanks are numbers here (inf/nan): readers drop such
    rows and say how many. With ``decimal_comma`` ``1,000000E-1`` is 0.1.
    """
    text = token.strip().strip('"').strip()
    special = _SPECIAL.get(text.lower())
    if special is not None:
        return special
    if not _NUMBER.match(text):
        return None
    if "," in text:
        if not decimal_comma:
            return None
        text = text.replace(",", ".")
    return float(text)


def parse_preamble_line(line: str) -> tuple[str, str] | None:
    """``Area (mm2) : 10.00`` -> (``"Area (mm2)"``, ``"10.00"``); else None."""
    match = _PREAMBLE.match(line.replace("\t", " ").strip())
    if match is None or not match.group(1).strip():
        return None
    return match.group(1).strip(), match.group(2).strip()


def numeric_fields(fields: list[str], decimal_comma: bool) -> list[float | None]:
    return [parse_number(f, decimal_comma) for f in fields]


def looks_numeric(fields: list[str], decimal_comma: bool) -> bool:
    if not fields:
        return False
    parsed = numeric_fields(fields, decimal_comma)
    good = sum(p is not None and fields[i].strip() != "" for i, p in enumerate(parsed))
    return good >= max(1, len(fields) - 1) and parsed[0] is not None
