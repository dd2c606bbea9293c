"""
The block of a worksheet that holds a spectrum.

A lab's processing workbook keeps its spectrum among parameters, raw counts
and correction tables (the Maya workbook: sheet ``front``, cells
``H125:I1581``). :func:`find_block` looks in every sheet for a wavelength
column — a run of at least :data:`MIN_RUN` increasing numbers inside
:data:`~core.io.validation.WAVELENGTH_RANGE_NM` — with columns of numbers
beside it, scores the candidates by their headers (a spectral unit such as
``[W/cm²nm]``, words like *calibrated*, *irradiance*, *spectrum*; against
*dark*, *reference*, *calibration*, constant columns) and takes the best.
Rows at either end where the spectrum is 0 or blank and no cell to its right
holds a non-zero number are padding outside the measured range and are left
out. :func:`user_block` reads the cells a user names instead. Both say in
:meth:`Block.note` which sheet and cells were read.

Works on plain rows of cell values (no openpyxl here):
:mod:`core.io.excel` loads them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from core.errors import InputError
from core.io.messages import listing
from core.io.quantity import header_quantity
from core.io.validation import WAVELENGTH_RANGE_NM

__all__ = ["MIN_RUN", "Block", "parse_cells", "find_block", "user_block", "block_text"]

#: Fewest increasing wavelengths that make a column a wavelength column.
MIN_RUN = 20
# Cells that are not numbers a run of wavelengths carries over.
_GAP = 2

_GOOD = re.compile(
    r"calibrated|irradiance|radiance|spectrum|spectral|intensity|emission|"
    r"flux|signal|measurement|\bel\b|\bpl\b|power",
    re.I,
)
_BAD = re.compile(
    r"dark|reference|background|calibration|correction|factor|change|weight|"
    r"\bstd\b|error|korj",
    re.I,
)
_WAVELENGTH = re.compile(r"wave|lambda|λ|\bnm\b", re.I)
_CELLS = re.compile(
    r"^\s*(?:'?([^'!]+)'?!)?\s*([A-Za-z]{1,3})(\d*)\s*:\s*([A-Za-z]{1,3})(\d*)\s*$"
)


def _letters(column: int) -> str:
    """0-based column -> ``A``, ``B``, ... ``AA``."""
    text = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def _index(letters: str) -> int:
    """``A`` -> 0, ``AA`` -> 26."""
    value = 0
    for char in letters.upper():
        value = value * 26 + ord(char) - 64
    return value - 1


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _cell(rows: list, row: int, column: int):
    """Value at 0-based (row, column), None outside the sheet."""
    if row < 0 or row >= len(rows) or column >= len(rows[row]):
        return None
    return rows[row][column]


@dataclass(frozen=True)
class Block:
    """
    A wavelength column and the spectrum columns beside it.

    Rows and columns are 0-based; ``first``..``last`` inclusive.
    """

    sheet: str
    header_row: int | None
    first: int
    last: int
    wavelength_column: int
    columns: tuple[int, ...]
    headers: tuple[str, ...] = ()
    score: float = 0.0
    trimmed: tuple[int, int] = (0, 0)
    given: str = ""

    @property
    def cells(self) -> str:
        """``H125:I1581``."""
        right = max(self.columns)
        return (
            f"{_letters(self.wavelength_column)}{self.first + 1}:"
            f"{_letters(right)}{self.last + 1}"
        )

    def note(self, *, given: bool, others: tuple[Block, ...] = ()) -> str:
        """Which sheet and cells were read, and why."""
        text = f"read sheet '{self.sheet}', cells {self.cells}"
        if given:
            text += f" (as given: {self.given})" if self.given != self.cells else ""
        else:
            names = [h for h in self.headers[1:] if h]
            beside = f" beside {listing(repr(h) for h in names)}" if names else ""
            text += (
                f": the block holding a wavelength column{beside}, found by "
                "searching every sheet"
            )
            if others:
                text += "; other blocks: " + ", ".join(
                    f"'{b.sheet}' {b.cells}" for b in others[:3]
                )
        if any(self.trimmed):
            text += (
                f"; {self.trimmed[0] + self.trimmed[1]} row(s) at the ends where the "
                "spectrum and every cell to its right are 0 or blank (padding) "
                "were left out"
            )
        return (
            text
            + ". Line numbers are sheet rows; give other cells to read another block."
        )


def parse_cells(cells: str, name: str) -> tuple[str | None, tuple]:
    """
    ``"front!H125:I1581"`` -> (``"front"``, (col0, row0, col1, row1)).

    Rows are None for columns only (``"H:I"``). Indices are 0-based.
    """
    match = _CELLS.match(cells or "")
    if match is None:
        raise InputError(
            f"{name}: cells '{cells}' are not a range; expected e.g. 'H125:I1581', "
            "'front!H125:I1581' or columns 'H:I' (wavelength first).",
            source=name,
        )
    sheet, col0, row0, col1, row1 = match.groups()
    first, last = _index(col0), _index(col1)
    if (row0 == "") != (row1 == "") or last <= first:
        raise InputError(
            f"{name}: cells '{cells}' must span at least two columns (the "
            "wavelength, then the spectrum) and give rows at both ends or none; "
            "expected e.g. 'H125:I1581' or 'H:I'.",
            source=name,
        )
    rows = (int(row0) - 1, int(row1) - 1) if row0 else (None, None)
    if rows[0] is not None and (rows[0] < 0 or rows[1] < rows[0]):
        raise InputError(
            f"{name}: cells '{cells}': the last row is above the first.", source=name
        )
    return (sheet.strip() if sheet else None), (first, rows[0], last, rows[1])


def _regular(rows: list, column: int, first: int, last: int) -> bool:
    """Steps of a wavelength grid: none over 5x the median, median <= 50 nm."""
    cells = [_number(_cell(rows, i, column)) for i in range(first, last + 1)]
    values = [v for v in cells if v is not None]
    steps = sorted(b - a for a, b in zip(values, values[1:], strict=False))
    median = steps[len(steps) // 2]
    return median <= 50 and steps[-1] <= 5 * median


def _runs(rows: list, column: int) -> list[tuple[int, int]]:
    """
    (first, last) rows of each run of >= MIN_RUN increasing wavelengths.

    A run carries over up to :data:`_GAP` cells that are not numbers (a
    typo, a blank) when the next number still increases: the block then
    holds the bad cell, and the table reader names it instead of the block
    being cut there.
    """
    low, high = WAVELENGTH_RANGE_NM
    runs: list[tuple[int, int]] = []
    start = last = -1  # -1: no run open
    previous = -math.inf
    for i in range(len(rows) + 1):
        value = _number(_cell(rows, i, column)) if i < len(rows) else None
        wavelength = value if value is not None and low <= value <= high else None
        if wavelength is not None and wavelength > previous:
            start = i if start < 0 else start
            last, previous = i, wavelength
            continue
        if value is None and i < len(rows) and start >= 0 and i - last <= _GAP:
            continue  # a gap the run may carry over
        closed = start >= 0 and last - start + 1 >= MIN_RUN
        if closed and _regular(rows, column, start, last):
            runs.append((start, last))
        start = last = i if wavelength is not None else -1
        previous = wavelength if wavelength is not None else -math.inf
    return runs


def _value_columns(rows: list, column: int, first: int, last: int) -> tuple[int, ...]:
    """Columns right of the wavelengths holding numbers on most run rows."""
    width = max(len(rows[i]) for i in range(first, last + 1))
    found = []
    for j in range(column + 1, width):
        values = [_number(_cell(rows, i, j)) for i in range(first, last + 1)]
        numbers = [v for v in values if v is not None]
        if len(numbers) < 0.8 * len(values):
            break
        wavelength = [_number(_cell(rows, i, column)) for i in range(first, last + 1)]
        if values == wavelength:
            break  # a copy of the wavelengths starts the next block
        found.append(j)
    return tuple(found)


def _header_row(rows: list, columns: tuple[int, ...], first: int) -> int | None:
    """The nearest row above the block (up to 5) with text in its columns."""
    for i in range(first - 1, max(first - 6, -1), -1):
        if any(isinstance(_cell(rows, i, j), str) for j in columns):
            return i
    return None


def _headers(rows, columns, header_row) -> tuple[str, ...]:
    if header_row is None:
        return ("",) * len(columns)
    return tuple(
        str(_cell(rows, header_row, j)).strip()
        if isinstance(_cell(rows, header_row, j), str)
        else ""
        for j in columns
    )


def _score(rows: list, block: Block) -> float:
    """How much the block looks like the spectrum (higher is better)."""
    best = -math.inf
    for j, header in zip(block.columns, block.headers[1:], strict=True):
        score = 0.0
        quantity, _ = header_quantity(header)
        if quantity in ("energy", "photon"):
            score += 4
        score += 2 if _GOOD.search(header) and not _BAD.search(header) else 0
        score -= 3 if _BAD.search(header) else 0
        values = [
            _number(_cell(rows, i, j)) for i in range(block.first, block.last + 1)
        ]
        numbers = [v for v in values if v is not None]
        if not numbers or max(numbers) == min(numbers):
            score -= 5
        best = max(best, score)
    return best + (1 if _WAVELENGTH.search(block.headers[0]) else 0)


def _quiet(rows: list, i: int, columns: tuple[int, ...]) -> bool:
    """
    Row i holds 0 or blank in the spectrum and in every cell to its right
    (text in the spectrum is not quiet: it is kept for the reader to name).
    """
    row = rows[i] if i < len(rows) else ()
    for j in range(columns[0], len(row)):
        if j <= columns[-1] and isinstance(row[j], str) and row[j].strip():
            return False
        value = _number(row[j])
        if value is not None and value != 0:
            return False
    return True


def _trimmed(rows: list, block: Block) -> Block:
    """The block without padding rows at either end."""
    first, last = block.first, block.last
    while first < last and _quiet(rows, first, block.columns):
        first += 1
    while last > first and _quiet(rows, last, block.columns):
        last -= 1
    if last - first + 1 < MIN_RUN:
        return block
    return replace(
        block, first=first, last=last, trimmed=(first - block.first, block.last - last)
    )


def _blocks_of(title: str, rows: list) -> list[Block]:
    blocks = []
    width = max((len(r) for r in rows), default=0)
    for column in range(width):
        for first, last in _runs(rows, column):
            columns = _value_columns(rows, column, first, last)
            if not columns:
                continue
            header_row = _header_row(rows, (column, *columns), first)
            headers = _headers(rows, (column, *columns), header_row)
            block = Block(title, header_row, first, last, column, columns, headers)
            blocks.append(replace(block, score=_score(rows, block)))
    return blocks


def find_block(
    sheets: list[tuple[str, list]], name: str
) -> tuple[Block, tuple[Block, ...]]:
    """
    The block most like a spectrum across ``sheets``, and the other candidates.

    Raises
    ------
    InputError
        When no sheet holds a wavelength column with numbers beside it.
    """
    found: list[tuple[float, int, int, int, Block]] = []
    for index, (title, rows) in enumerate(sheets):
        for block in _blocks_of(title, rows):
            found.append(
                (-block.score, index, block.wavelength_column, block.first, block)
            )
    if not found:
        titles = listing(repr(t) for t, _ in sheets)
        raise InputError(
            f"{name}: no sheet ({titles}) holds a wavelength column: expected a run "
            f"of at least {MIN_RUN} increasing wavelengths between "
            f"{WAVELENGTH_RANGE_NM[0]:g} and {WAVELENGTH_RANGE_NM[1]:g} nm with a "
            "column of intensities beside it. Give the sheet and the cells of the "
            "spectrum (e.g. 'H125:I1581').",
            source=name,
        )
    found.sort(key=lambda item: item[:4])
    best = found[0][4]
    rows = dict(sheets)[best.sheet]
    return _trimmed(rows, best), tuple(item[4] for item in found[1:])


def user_block(title: str, rows: list, bounds: tuple, name: str) -> Block:
    """The block a user named: a range, or columns whose rows are found."""
    col0, row0, col1, row1 = bounds
    columns = tuple(range(col0 + 1, col1 + 1))
    if row0 is None:
        runs = _runs(rows, col0)
        if not runs:
            raise InputError(
                f"{name}, sheet '{title}': column {_letters(col0)} holds no run of "
                f"{MIN_RUN} or more increasing wavelengths between "
                f"{WAVELENGTH_RANGE_NM[0]:g} and {WAVELENGTH_RANGE_NM[1]:g} nm; "
                "expected the wavelengths in the first column given.",
                source=name,
            )
        first, last = max(runs, key=lambda r: r[1] - r[0])
        header_row = _header_row(rows, (col0, *columns), first)
        block = Block(
            title,
            header_row,
            first,
            last,
            col0,
            columns,
            _headers(rows, (col0, *columns), header_row),
        )
        return replace(
            _trimmed(rows, block), given=f"columns {_letters(col0)}:{_letters(col1)}"
        )
    first, last = row0, min(row1, len(rows) - 1)
    if first > last:
        raise InputError(
            f"{name}, sheet '{title}': the cells start at row {row0 + 1} but the "
            f"sheet has {len(rows)} rows.",
            source=name,
        )
    if isinstance(_cell(rows, first, col0), str):
        header_row, first = first, first + 1
    else:
        top = first  # the header sits above the run of numbers the range is in
        while top > 0 and _number(_cell(rows, top - 1, col0)) is not None:
            top -= 1
        header_row = _header_row(rows, (col0, *columns), top)
    headers = _headers(rows, (col0, *columns), header_row)
    block = Block(title, header_row, first, last, col0, columns, headers)
    return replace(block, given=block.cells)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return re.sub(r"[\t\r\n]+", " ", str(value))


def block_text(rows: list, block: Block) -> str:
    """The block as tab-separated text; line n is sheet row n (others blank)."""
    columns = (block.wavelength_column, *block.columns)
    lines = [""] * (block.last + 1)
    if block.header_row is not None:
        lines[block.header_row] = "\t".join(block.headers)
    for i in range(block.first, block.last + 1):
        lines[i] = "\t".join(_text(_cell(rows, i, j)) for j in columns)
    return "\n".join(lines)
