"""
The numeric block of a text table at the speed of pandas' C reader.

:func:`core.io.text.read_numeric_table` decides the delimiter, the decimal
mark and where the block starts from the first lines; this module hands the
block to ``pandas.read_csv(engine="c")`` and keeps only results the precise,
field-by-field parser would give too. A block qualifies when it holds nothing
but plain numbers (digits, ``. e E + -``, the delimiter, spaces, tabs and line
breaks), no blank line and no row wider than the first; anything else (text,
``NaN``/``Inf`` spelled out, quotes, non-ASCII, ragged or blank rows) returns
None and the precise parser reads the block, so its error messages, line and
column numbers stay exactly as they were.

Memory: the text is never split into a list of lines nor copied whole; pandas
reads it in slices of a few MB, each chunk of rows goes straight into the
preallocated result, so the block costs the float64 result (8 bytes a value,
about one byte per byte of file) plus a few MB.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import numpy as np

__all__ = ["LineIndex", "c_engine_block", "MIN_ENGINE_ROWS"]

#: Blocks with fewer rows are left to the precise parser (fast enough there).
MIN_ENGINE_ROWS = 50

_EOL = re.compile(r"\r\n|\n|\r")
_PLAIN = b"0123456789.eE+-\n \t"
#: Characters handed to pandas per read() and values per chunk it returns.
_SLICE_CHARS = 1 << 18
_CHUNK_VALUES = 1 << 17
#: Tables this wide are read one value per record (pandas' cost per column
#: and chunk would dominate); narrower ones row by row.
_FLAT_FIELDS = 32
_TO_SPACE = bytes.maketrans(b"\t\n", b"  ")
#: Candidate stop-marker hits examined before giving the block to the precise
#: parser (a marker made of digits would otherwise be searched at every row).
_MAX_MARKER_HITS = 200


class LineIndex:
    """
    The lines of a text, split on demand (CRLF, LF or a lone CR end a line).

    Lines are cut from the text as they are asked for and kept, so reading the
    first lines of a 30 MB file does not split all of it; :meth:`rest` walks
    further without keeping what it yields. ``lines[i]`` raises IndexError
    past the last line, like a list.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] = []
        self._starts: list[int] = []
        self._position = 0
        self._done = False
        # Without a CR, str.find (memchr) finds line ends ~10x faster than
        # the regular expression.
        self._lf_only = "\r" not in text

    def _break_after(self, position: int) -> tuple[int, int] | None:
        """(start, end) of the first line break at or after ``position``."""
        if self._lf_only:
            found = self.text.find("\n", position)
            return None if found == -1 else (found, found + 1)
        match = _EOL.search(self.text, position)
        return None if match is None else match.span()

    def _extend(self) -> bool:
        if self._done:
            return False
        found = self._break_after(self._position)
        self._starts.append(self._position)
        if found is None:
            self._lines.append(self.text[self._position :])
            self._done = True
        else:
            self._lines.append(self.text[self._position : found[0]])
            self._position = found[1]
        return True

    def __getitem__(self, index: int) -> str:
        while index >= len(self._lines) and self._extend():
            pass
        return self._lines[index]

    def offset(self, index: int) -> int:
        """Position in the text where line ``index`` (0-based) starts."""
        self[index]
        return self._starts[index]

    def enumerate_from(self, first: int) -> Iterator[tuple[int, str]]:
        """(index, line) from line ``first`` on, keeping every line it yields."""
        index = first
        while True:
            try:
                yield index, self[index]
            except IndexError:
                return
            index += 1

    def rest(self, first: int) -> Iterator[str]:
        """The lines from ``first`` on; lines not split yet are not kept."""
        index = first
        while index < len(self._lines):
            yield self._lines[index]
            index += 1
        if self._done:
            return
        position = self._position
        while (found := self._break_after(position)) is not None:
            yield self.text[position : found[0]]
            position = found[1]
        yield self.text[position:]

    def all(self) -> list[str]:
        """Every line, as :func:`core.io.text.split_lines` gives them."""
        if not self._done:
            return _EOL.split(self.text)
        return self._lines


def _line_start(text: str, position: int, lower: int) -> int | None:
    """Start of the line at ``position`` if only whitespace precedes it, else None."""
    k = position - 1
    while k >= lower and text[k] not in "\r\n":
        if not text[k].isspace():
            return None
        k -= 1
    return k + 1


def _block_end(text: str, offset: int, stop_markers: tuple[str, ...]) -> int | None:
    """
    End of the block (after its last non-blank character): the file's end or
    the first line whose stripped text starts with a stop marker; None when
    the markers are too common to find cheaply.
    """
    end = len(text)
    for marker in stop_markers:
        position = text.find(marker, offset, end)
        hits = 0
        while position != -1:
            start = _line_start(text, position, offset)
            if start is not None:
                end = start
                break
            hits += 1
            if hits > _MAX_MARKER_HITS:
                return None
            position = text.find(marker, position + 1, end)
    while end > offset and text[end - 1].isspace():
        end -= 1
    return end


def _line_breaks(text: str, start: int, end: int) -> int:
    """How many line breaks (CRLF, LF, lone CR) lie in ``text[start:end]``."""
    breaks = text.count("\n", start, end)
    carriage = text.count("\r", start, end)
    if carriage:
        breaks += carriage - text.count("\r\n", start, end)
    return breaks


class _Slices:
    """
    A binary file over ``text[start:end]`` for pandas.

    Each read() takes the next slice of whole lines, turns CRLF and lone CR
    into LF and checks that it holds only the bytes of a plain number table.
    For a wide table (``flat``) it also checks that every
    line has ``fields`` fields and replaces the line breaks by the delimiter
    (by a space for whitespace tables): pandas then reads one value per
    record, which fills the (R, fields) result row by row without pandas'
    per-column cost (3600 columns). Anything unexpected sets ``rejected`` and
    ends the stream.
    """

    mode = "rb"

    def __init__(self, text: str, start: int, end: int, delimiter, fields, comma):
        self.text, self.position, self.end = text, start, end
        self.delimiter = delimiter
        self.fields = fields
        self.flat = fields >= _FLAT_FIELDS
        self.allowed = _PLAIN + (delimiter or "").encode() + (b"," if comma else b"")
        self.rejected = False

    def _slice_end(self) -> int:
        """Where the next slice stops: after a line break, or at the block's end."""
        stop = self.position + _SLICE_CHARS
        if stop >= self.end:
            return self.end
        cut = max(
            self.text.rfind("\n", self.position, stop),
            self.text.rfind("\r", self.position, stop),
        )
        if cut == -1:
            ahead = [self.text.find(c, stop, self.end) for c in "\n\r"]
            cut = min((k for k in ahead if k != -1), default=self.end - 1)
        if self.text.startswith("\r\n", cut):
            cut += 1
        return min(cut + 1, self.end)

    def _same_fields(self, chunk: bytes, last: bool) -> bool:
        """Whether every line of the slice has ``fields`` fields."""
        if self.delimiter is not None:
            lines = chunk.split(b"\n")
            if not last:
                lines.pop()  # the slice ends with a line break
            mark = self.delimiter.encode()
            return all(line.count(mark) == self.fields - 1 for line in lines)
        buffer = np.frombuffer(chunk, dtype=np.uint8)
        ends = np.flatnonzero(buffer == 10)
        if last:
            ends = np.append(ends, buffer.size)
        space = (buffer == 32) | (buffer == 9) | (buffer == 10)
        starts = np.flatnonzero(~space & np.concatenate(([True], space[:-1])))
        counts = np.diff(np.searchsorted(starts, ends), prepend=0)
        return bool(np.all(counts == self.fields))

    def read(self, size: int = -1) -> bytes:
        if self.rejected or self.position >= self.end:
            return b""
        stop = self._slice_end()
        piece = self.text[self.position : stop]
        self.position = stop
        last = stop >= self.end
        if "\r" in piece:
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        chunk = piece.encode("utf-8")
        del piece
        # A blank line has one field (none in a whitespace table): the wide
        # check refuses it; pandas skips it in a narrow table, and the row
        # count then differs from the line count (c_engine_block's check).
        if chunk.translate(None, self.allowed) or (
            self.flat and not self._same_fields(chunk, last)
        ):
            self.rejected = True
            return b""
        if not self.flat:
            return chunk
        if self.delimiter is None:
            return chunk.translate(_TO_SPACE)
        mark = self.delimiter.encode()
        if last and chunk.endswith(mark):
            chunk += mark  # a last empty field is a record of its own
        return chunk.replace(b"\n", mark)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        chunk = self.read()
        if not chunk:
            raise StopIteration
        return chunk


def _frames(source: _Slices, decimal_comma: bool):
    """pandas' chunks of the stream: records of one value, or rows of a table."""
    import pandas as pd

    if source.flat:
        layout = {
            "lineterminator": " " if source.delimiter is None else source.delimiter,
            "sep": "\x1f",  # never in a plain table: one field per record
            "skip_blank_lines": source.delimiter is None,
            "chunksize": _CHUNK_VALUES,
        }
    else:
        layout = {
            "sep": r"\s+" if source.delimiter is None else source.delimiter,
            "chunksize": max(1, _CHUNK_VALUES // source.fields),
        }
    return pd.read_csv(
        source,
        decimal="," if decimal_comma else ".",
        header=None,
        index_col=False,
        dtype=float,
        engine="c",
        quoting=csv.QUOTE_NONE,
        **layout,
    )


def _values(source: _Slices, decimal_comma: bool, rows: int) -> np.ndarray | None:
    """The (rows, fields) values of the stream; None if pandas read otherwise."""
    values = np.empty((rows, source.fields))
    flat = values.reshape(-1)
    filled = 0  # values, in file order
    for frame in _frames(source, decimal_comma):
        chunk = frame.to_numpy(dtype=float)
        if chunk.shape[1] != (1 if source.flat else source.fields):
            return None
        if not source.flat and np.isnan(chunk).all(axis=1).any():
            return None  # a blank row: the precise parser skips or explains it
        if filled + chunk.size > flat.size:
            return None
        flat[filled : filled + chunk.size] = chunk.reshape(-1)
        filled += chunk.size
    return values if filled == flat.size else None


def _first_row(text: str, offset: int, end: int, delimiter) -> tuple[int, int]:
    """Fields of the first row, and how many the precise parser keeps."""
    breaks = [
        k
        for k in (text.find("\n", offset, end), text.find("\r", offset, end))
        if k != -1
    ]
    line = text[offset : min(breaks, default=end)]
    if delimiter is None:
        return len(line.split()), len(line.split())
    kept = [p.strip() for p in line.split(delimiter)]
    while kept and kept[-1] == "":
        kept.pop()
    return line.count(delimiter) + 1, len(kept)


def c_engine_block(
    text: str,
    offset: int,
    line_number: int,
    delimiter: str | None,
    decimal_comma: bool,
    stop_markers: tuple[str, ...] = (),
    min_columns: int = 1,
    min_rows: int = MIN_ENGINE_ROWS,
) -> tuple[np.ndarray, np.ndarray] | None:
    """
    The numeric block starting at ``text[offset]`` parsed by pandas' C engine.

    Parameters
    ----------
    text : str
        The whole decoded file.
    offset : int
        Position of the block's first row in ``text``.
    line_number : int
        1-based line number of that row.
    delimiter : str or None
        ``"\\t"``, ``";"``, ``","`` or None for runs of whitespace.
    decimal_comma : bool
        Numbers are written ``1,5``.
    stop_markers : tuple of str
        A line starting with one of these ends the block.
    min_columns : int
        Fewer columns in the first row: None (the precise parser says why).
    min_rows : int
        Smaller blocks: None.

    Returns
    -------
    tuple of numpy.ndarray or None
        (R, W) float values and the (R,) 1-based line number of each row, equal
        to the precise parser's; None when the block is not a plain number
        table with the same number of fields on every line (the caller then
        parses it field by field).
    """
    end = _block_end(text, offset, stop_markers)
    if end is None or end <= offset:
        return None
    rows = _line_breaks(text, offset, end) + 1
    fields, width = _first_row(text, offset, end, delimiter)
    if rows < min_rows or width < max(1, min_columns):
        return None
    source = _Slices(text, offset, end, delimiter, fields, decimal_comma)
    try:
        values = _values(source, decimal_comma, rows)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None  # pandas' ParserError is a ValueError
    if values is None or source.rejected:
        return None
    if width < fields:
        # Trailing empty fields: the precise parser drops them (and refuses a
        # row with a value there, which it then explains).
        if not np.isnan(values[:, width:]).all():
            return None
        values = np.ascontiguousarray(values[:, :width])
    return values, np.arange(line_number, line_number + rows)
