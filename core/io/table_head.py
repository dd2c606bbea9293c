"""
Where the numeric block of a text table starts, and what lies above it: the
header (the non-blank line just above the numbers), the ``key: value``
preamble, and a row of data whose first cell is not a number, which must not
be taken for the header (it would hide the real one and vanish without a
word). Part of :func:`core.io.text.read_numeric_table`.
"""

from __future__ import annotations

import re

from core.errors import InputError
from core.io.block import LineIndex
from core.io.columns import identify_column
from core.io.fields import (
    looks_numeric,
    parse_number,
    parse_preamble_line,
    split_fields,
)

__all__ = ["first_line", "block_start", "header_and_preamble"]


def first_line(lines: LineIndex, start_after: str | None, name: str) -> int:
    """Index of the first line to look at: after ``start_after`` when given."""
    if start_after is None:
        return 0
    for i, line in lines.enumerate_from(0):
        if line.strip().startswith(start_after):
            return i + 1
    raise InputError(
        f"{name}: expected a line starting with '{start_after}' before the "
        "data, but none was found; the export looks truncated.",
        source=name,
    )


def block_start(
    index: LineIndex, first: int, delimiter: str | None, decimal_comma: bool, name: str
) -> int:
    """Index of the first numeric line, or the error saying why there is none."""
    for i, line in index.enumerate_from(first):
        if looks_numeric(split_fields(line, delimiter), decimal_comma):
            return i
    lines = index.all()
    # Rows that start with a number but do not split into numbers: the
    # delimiter is one we do not know ("500.0|0.12") or numbers are glued.
    glued = next(
        (i for i in range(first, len(lines)) if re.match(r"^\s*[+-]?\.?\d", lines[i])),
        None,
    )
    if glued is not None:
        shown = lines[glued].strip()[:60]
        raise InputError(
            f"{name}, line {glued + 1}: expected numbers separated by tabs, "
            f"commas, semicolons or spaces; found '{shown}', which does not "
            "split into numbers. Check the delimiter of the export.",
            source=name,
            line=glued + 1,
        )
    raise InputError(
        f"{name}: no rows of numbers were found; expected a table whose rows "
        "start with a number (e.g. a wavelength or a voltage).",
        source=name,
    )


#: Cells that mark a missing value: a line starting with one is a row of data
#: with a gap, never a header (an "n/a,0" row right above the numbers would
#: otherwise become the header and vanish without a word).
_MISSING_MARKS = frozenset({"n/a", "na", "#n/a", "n.a.", "null", "none", "-", "?"})


#: A first cell of dashes or question marks ("--", "—", "??") marks a gap too.
_MISSING_RUN = re.compile(r"^[-–—?]+$")


def _damaged_row(header: list[str], above: list[str], decimal_comma: bool) -> bool:
    """
    Whether the line taken as the header is a row of data whose first cell
    is not a number: a missing mark ("n/a", "--"), or any text when the other
    cells are numbers (or blank) and the line above names every column
    (``Wavelength (nm),t = 0 h`` over ``x,0``): the header is then that line,
    and the row would vanish without a word.
    """
    first = header[0].strip().strip('"').lower()
    if first in _MISSING_MARKS:
        return True
    rest = header[1:]
    data_cells = all(
        not c.strip() or parse_number(c, decimal_comma) is not None for c in rest
    )
    if _MISSING_RUN.match(first):  # "--,0": a gap; "--,--,--": a separator
        return data_cells
    return bool(
        first
        and rest
        and data_cells
        and len(above) == len(header)
        and all(c.strip() and parse_number(c, decimal_comma) is None for c in above)
        and identify_column(header[0]).quantity is None
    )


def header_and_preamble(
    lines: LineIndex,
    first: int,
    start: int,
    delimiter: str | None,
    name: str = "",
    decimal_comma: bool = False,
) -> tuple[list[str], int | None, dict[str, str]]:
    """The header (the non-blank line above the block) and the preamble."""
    header: list[str] = []
    header_line = None
    preamble: dict[str, str] = {}
    for i in range(start - 1, first - 1, -1):
        if lines[i].strip():
            header = split_fields(lines[i], delimiter)
            header_line = i + 1
            break
    above = next(
        (
            split_fields(lines[i], delimiter)
            for i in range(start - 2, first - 1, -1)
            if lines[i].strip()
        ),
        [],
    )
    if header and _damaged_row(header, above, decimal_comma):
        label = above[0] if above else ""
        where = f"column 1 '{label}'" if label else "column 1"
        raise InputError(
            f"{name}, line {header_line}, {where}: expected a number, found "
            f"'{header[0].strip()[:40]}'. Blank the cell or remove the row.",
            source=name,
            line=header_line,
            column=label or 1,
        )
    for i in range(first, (header_line - 1) if header_line else start):
        parsed = parse_preamble_line(lines[i])
        if parsed is not None:
            preamble.setdefault(parsed[0], parsed[1])
    return header, header_line, preamble
