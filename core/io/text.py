"""
Low-level parsing of the text tables lab instruments write.

Everything the three reader families share lives here: decoding bytes
(UTF-8 with or without BOM, Latin-1), splitting mixed CRLF/LF/CR line endings,
detecting the delimiter and the decimal comma, reading ``key: value`` preambles
and finding the numeric block with its header. Every error is an
:class:`~core.errors.InputError` that names the file, the line and the column.
The cells (numbers, fields, preamble lines) are parsed in
:mod:`core.io.fields`, where the block starts and its header are found in
:mod:`core.io.table_head`; both are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from core.errors import InputError
from core.io.block import LineIndex, c_engine_block
from core.io.excel import MAX_WORKBOOK_XML_BYTES, check_workbook
from core.io.fields import (
    numeric_fields,
    parse_number,
    parse_preamble_line,
    split_fields,
)
from core.io.table_head import block_start, first_line, header_and_preamble

__all__ = [
    "MAX_UPLOAD_BYTES",
    "MAX_WORKBOOK_XML_BYTES",
    "check_workbook",
    "NumericTable",
    "decode_text",
    "split_lines",
    "detect_delimiter",
    "split_fields",
    "parse_number",
    "parse_preamble_line",
    "read_numeric_table",
]

#: Largest file the readers accept (the app's upload limit is the same). A
#: table of plain numbers takes about 3 bytes of memory per byte of file while
#: it is read (the text, the float64 result, a few MB of pandas' buffers;
#: tests/test_hostile_inputs.py), so 100 MB stays under ~300 MB. [bytes]
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def decode_text(data: bytes, name: str) -> str:
    """
    Decode a text file written by lab software.

    UTF-16/UTF-32 with a byte-order mark (Excel's "Unicode text") are decoded
    by their mark; otherwise UTF-8 (a BOM is dropped) is tried first, then
    Latin-1, which accepts every byte (``²`` written as 0xB2 by Windows
    programs).

    Raises
    ------
    InputError
        For an empty file, a file over :data:`MAX_UPLOAD_BYTES`, or binary
        content (NUL bytes, zip/xlsx/PDF signatures).
    """
    if not data or data.isspace():  # (strip() would copy a 100 MB upload)
        raise InputError(
            f"{name} is empty: expected a text table with at least one data row.",
            source=name,
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{name} is {len(data) / 2**20:.0f} MB: files up to "
            f"{MAX_UPLOAD_BYTES / 2**20:.0f} MB are accepted; split the series "
            "or export fewer spectra.",
            source=name,
        )
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            f"{name} is a zip archive (or an Excel .xlsx): expected a text table. "
            "Rename an Excel file to .xlsx, or unzip the archive and upload its files.",
            source=name,
        )
    if data[:5] == b"%PDF-":
        raise InputError(
            f"{name} is a PDF document: expected a text table exported by the "
            "instrument software.",
            source=name,
        )
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark: its NUL
    # bytes are not binary content. UTF-32 marks are checked first (FF FE 00 00
    # starts with the UTF-16 LE mark).
    for mark, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(mark):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts with a {codec.upper()} byte-order mark but is "
                    f"not valid {codec.upper()} text; expected a text table. Save "
                    "it again as UTF-8 text (CSV UTF-8).",
                    source=name,
                ) from None
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{name} is a binary file: expected a text table (CSV, TXT, or an "
            "instrument's ASCII export). Export the data as text and upload that.",
            source=name,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or a lone CR (files that mix them are common)."""
    return re.split(r"\r\n|\n|\r", text)


def detect_delimiter(lines: list[str]) -> str | None:
    """
    Guess the column delimiter from numeric-looking lines.

    Returns ``"\\t"``, ``";"``, ``","`` or ``None`` (runs of whitespace). A
    comma counts as a delimiter only if splitting on it gives numbers that do
    not look like decimal-comma values.
    """
    sample = [ln for ln in lines if ln.strip() and ln.strip()[0] in "+-.0123456789"]
    sample = sample[:200] or [ln for ln in lines if ln.strip()][:200]
    for delimiter in ("\t", ";"):
        counts = [ln.strip(" \r").count(delimiter) for ln in sample]
        if counts and np.median(counts) >= 1:
            return delimiter
    comma_counts = [ln.count(",") for ln in sample]
    if comma_counts and np.median(comma_counts) >= 1:
        # "188,05 2292,80" (decimal comma, whitespace-separated) has commas but
        # splitting on them leaves fields with spaces inside numbers.
        # A match never spans a comma, so lines without one are skipped whole,
        # and so are lines with no whitespace between two characters (split()
        # finds that at C speed; a 3600-column comma table has none).
        inside = re.compile(r"[\dNnFf]\s+[-+.\dNnIi]")
        whitespace_inside = sum(
            1
            for ln in sample
            if len(ln.split(None, 1)) > 1 and inside.search(ln)
            for f in ln.split(",")
            if inside.search(f)
        )
        if whitespace_inside < 0.5 * len(sample):
            return ","
    return None


@dataclass(frozen=True)
class NumericTable:
    """
    The numeric block of a text file, with what came before it.

    Attributes
    ----------
    values : numpy.ndarray
        (R, C) float array; NaN/inf kept as they were written.
    header : list of str
        C column names ("" where the file had none, or ``column 1``...).
    line_numbers : numpy.ndarray
        (R,) 1-based line number of each row in the file.
    preamble : dict
        ``key: value`` pairs found before the header.
    header_line : int or None
        1-based line of the header, None when the file had none.
    name : str
        The file name, for messages.
    decimal_comma : bool
        True when numbers were written with a decimal comma.
    delimiter : str or None
        The delimiter used (None: whitespace).
    """

    values: np.ndarray
    header: list[str]
    line_numbers: np.ndarray
    preamble: dict = field(default_factory=dict)
    header_line: int | None = None
    name: str = ""
    decimal_comma: bool = False
    delimiter: str | None = None

    def column_description(self, index: int) -> str:
        """``column 3 'L(cd/m2)'`` for messages."""
        label = self.header[index] if index < len(self.header) else ""
        return f"column {index + 1} '{label}'" if label else f"column {index + 1}"


def _uses_decimal_comma(lines: Iterable[str], delimiter: str | None) -> bool:
    """Whether a whole field of the first 4000 non-blank lines is ``1,5``-like."""
    if delimiter == ",":
        return False
    # One search per line instead of a match per field (same rule: a whole
    # field that is a number with a decimal comma); a line without a comma
    # cannot hold one.
    number = r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?"
    if delimiter is None:
        pattern = rf"(?:^|(?<=\s)){number}(?=\s|$)"
    else:
        sep = re.escape(delimiter)
        pattern = rf"(?:^|(?<={sep}))[^\S\n]*{number}[^\S\n]*(?={sep}|$)"
    search = re.compile(pattern, re.MULTILINE).search
    nonblank = (ln for ln in lines if ln.strip())
    return any("," in ln and search(ln) for ln in islice(nonblank, 4000))


def _fast_block(
    lines: list[str],
    start: int,
    delimiter: str | None,
    decimal_comma: bool,
    stop_markers: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray] | None:
    """
    The numeric block parsed in one numpy call, or None to take the exact path.

    Large tables (a 360-spectrum series is 370 000 cells) parse ~10x faster
    this way. Anything unusual (ragged rows, blanks, quotes, text, characters
    Python's float() accepts but the exact parser does not: ``_``, non-ASCII
    digits) returns None, and the field-by-field parser then gives the same
    result or the precise error message.
    """
    fields: list[str] = []
    numbers: list[int] = []
    width = None
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if not stripped:
            continue
        if stop_markers and stripped.startswith(stop_markers):
            break
        if delimiter is None:
            row = lines[i].split()
        else:
            # float() ignores the spaces split_fields() strips from each field.
            row = lines[i].strip("\r\n").split(delimiter)
            while row and not row[-1].strip():
                row.pop()
        if width is None:
            width = len(row)
        elif len(row) != width:
            return None
        fields.extend(row)
        numbers.append(i + 1)
    if width is None or len(numbers) < 50:
        return None  # small tables: the exact path is fast enough
    joined = "\x00".join(fields)
    if not joined.isascii() or "_" in joined or '"' in joined:
        return None
    if decimal_comma:
        fields = joined.replace(",", ".").split("\x00")
    try:
        values = np.array(fields, dtype=float)
    except ValueError:
        return None
    return values.reshape(-1, width), np.array(numbers, dtype=int)


def _delimiter_sample(index: LineIndex, first: int) -> list[str]:
    """
    The lines :func:`detect_delimiter` looks at: from ``first`` to the 200th
    that starts like a number (it samples those), or to the end.
    """
    sample = []
    numeric = 0
    for line in index.rest(first):
        sample.append(line)
        stripped = line.strip()
        if stripped and stripped[0] in "+-.0123456789":
            numeric += 1
            if numeric == 200:
                break
    return sample


def _row_error(
    name: str, i: int, stripped: str, fields, parsed, header, rows_read: int
) -> InputError:
    """The error for a row of the block holding something that is not a number."""
    bad = [j for j, p in enumerate(parsed) if p is None]
    j = bad[0]
    label = header[j] if j < len(header) else ""
    where = f"column {j + 1} '{label}'" if label else f"column {j + 1}"
    if len(bad) == len(fields) and rows_read >= 1:
        return InputError(
            f"{name}, line {i + 1}: the table of numbers stops at a line of "
            f"text ('{stripped[:60]}'); expected a number in every column "
            "until the end of the file. Remove the text or split the file.",
            source=name,
            line=i + 1,
        )
    return InputError(
        f"{name}, line {i + 1}, {where}: expected a number, found "
        f"'{fields[j][:40]}'. Blank the cell or remove the row.",
        source=name,
        line=i + 1,
        column=label or j + 1,
    )


def _exact_block(
    lines: list[str],
    start: int,
    delimiter: str | None,
    decimal_comma: bool,
    stop_markers: tuple[str, ...],
    header: list[str],
    min_columns: int,
    name: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The numeric block parsed field by field, with the precise messages."""
    rows: list[list[float]] = []
    numbers: list[int] = []
    width = None
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if not stripped:
            continue
        if stop_markers and stripped.startswith(stop_markers):
            break
        fields = split_fields(lines[i], delimiter)
        parsed = numeric_fields(fields, decimal_comma)
        if width is None:
            width = len(fields)
            if width < min_columns:
                found = "one column" if width == 1 else f"{width} columns"
                raise InputError(
                    f"{name}, line {i + 1}: expected at least {min_columns} columns "
                    f"separated by tabs, commas, semicolons or spaces; found {found} "
                    f"('{stripped[:60]}'). Check the delimiter of the export.",
                    source=name,
                    line=i + 1,
                )
        values = [p for p in parsed if p is not None]
        if len(values) < len(parsed):
            raise _row_error(name, i, stripped, fields, parsed, header, len(rows))
        if len(parsed) > width:
            raise InputError(
                f"{name}, line {i + 1}: expected {width} values like the rows "
                f"above, found {len(parsed)}. The table is ragged; check the "
                "delimiter or remove the extra cells.",
                source=name,
                line=i + 1,
            )
        rows.append(values + [np.nan] * (width - len(values)))
        numbers.append(i + 1)
    return np.array(rows, dtype=float), np.array(numbers, dtype=int)


def read_numeric_table(
    data: bytes | str,
    name: str,
    *,
    min_columns: int = 2,
    stop_markers: tuple[str, ...] = (),
    start_after: str | None = None,
) -> NumericTable:
    """
    Find and parse the numeric block of a text table.

    The block is the first run of numeric lines (blank lines inside it are
    skipped); the non-numeric line just above it is the header, and
    ``key: value`` lines above that form the preamble. A line inside the block
    that is not numeric raises an error naming its line and column, so nothing
    a user uploaded is silently dropped.

    Parameters
    ----------
    data : bytes or str
        File content.
    name : str
        File name for messages.
    min_columns : int
        Fewest columns a table may have.
    stop_markers : tuple of str
        Lines starting with one of these end the block (instrument end markers).
    start_after : str, optional
        Only look for the block after the line that starts with this marker.

    Raises
    ------
    InputError
        No numeric block, too few columns, text inside the block, ragged rows.
    """
    text = decode_text(data, name) if isinstance(data, bytes) else data
    index = LineIndex(text)
    first = first_line(index, start_after, name)
    delimiter = detect_delimiter(_delimiter_sample(index, first))
    decimal_comma = _uses_decimal_comma(index.rest(first), delimiter)
    start = block_start(index, first, delimiter, decimal_comma, name)
    header, header_line, preamble = header_and_preamble(
        index, first, start, delimiter, name, decimal_comma
    )
    block = c_engine_block(
        text,
        index.offset(start),
        start + 1,
        delimiter,
        decimal_comma,
        stop_markers,
        min_columns,
    )
    if block is None:
        lines = index.all()
        block = _fast_block(lines, start, delimiter, decimal_comma, stop_markers)
        if block is None or block[0].shape[1] < min_columns:
            block = _exact_block(
                lines,
                start,
                delimiter,
                decimal_comma,
                stop_markers,
                header,
                min_columns,
                name,
            )
    values, line_numbers = block
    width = values.shape[1]
    return NumericTable(
        values=values,
        header=(header + [""] * width)[:width],
        line_numbers=line_numbers,
        preamble=preamble,
        header_line=header_line,
        name=name,
        decimal_comma=decimal_comma,
        delimiter=delimiter,
    )
