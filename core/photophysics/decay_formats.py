"""
The text layouts TCSPC software writes, parsed into (time, curves).

Each parser takes the decoded lines and the file name and returns
``(time, unit, curves, notes)``: the time column as written, its unit, a list
of ``(label, counts)`` and notes. Line numbers in errors are the file's own:
a block is read by :func:`core.io.text.read_numeric_table` on the file with
the lines before the block blanked.

Layouts (learned from public readers and exports; sources in docs/methods.md,
"Photophysics"):

- **PicoQuant** PicoHarp/HydraHarp/TimeHarp histogram ASCII (``.dat``):
  ``#PicoHarp 300  Histogram Data`` on the first line, then ``#`` marker lines
  each followed by its values (``#channels per curve``, ``#display curve
  no.``, ``#ns/channel``), then ``#counts`` and one column of counts per curve.
  There is no time column: time = channel × ns/channel.
- **Edinburgh Instruments** F900/FLS/Fluoracle export (CSV or tab): a block
  of ``key,value,`` rows (``Labels``, ``Type`` = ``Time Scan``, ``Comment``,
  ``Start``, ``Stop``, ``Step``, ``Fixed/Offset``, ``XAxis`` = ``Time(ns)``,
  ``YAxis`` = ``Counts``), a blank line, then time and one column per label,
  often with a trailing delimiter.
- **Becker & Hickl** SPCM ASCII export (``.asc``): ``Title : ...`` lines, an
  optional ``SYS_PARA_BEGIN: ... *END`` setup block, then
  ``*BLOCK 1  ( Time[ns]  No_of_photons )`` and ``time , counts`` rows up to
  ``*END`` (one block per curve).
- **Plain table**: time and one or more count columns, with or without a
  header; the time unit from the header (``Time (ns)``, ``t [ps]``).
"""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError
from core.io.columns import header_unit
from core.io.text import read_numeric_table, split_fields

__all__ = [
    "FORMATS",
    "PARSERS",
    "detect_format",
    "parse_picoquant",
    "parse_edinburgh",
    "parse_becker_hickl",
    "parse_table",
]

#: Layout name -> description, in the order they are tried.
FORMATS = {
    "picoquant": "PicoQuant histogram ASCII (#PicoHarp ... Histogram Data)",
    "edinburgh": "Edinburgh Instruments F900/FLS/Fluoracle export (Labels, Type ...)",
    "becker-hickl": "Becker & Hickl SPCM ASCII export (*BLOCK ... *END)",
    "table": "plain table: time and counts columns",
}

Parsed = tuple[np.ndarray, str, list[tuple[str, np.ndarray]], list[str]]

_PICOQUANT = re.compile(
    r"^#\s*(PicoHarp|HydraHarp|TimeHarp|MultiHarp).*Histogram", re.I
)


def detect_format(lines: list[str]) -> str:
    """The layout of a decay file: a key of :data:`FORMATS`."""
    head = [ln.strip() for ln in lines[:60]]
    if head and _PICOQUANT.match(head[0]):
        return "picoquant"
    keys = {re.split(r"[,\t;]", ln, maxsplit=1)[0].strip().lower() for ln in head}
    if "labels" in keys and ("type" in keys or "xaxis" in keys):
        return "edinburgh"
    if any(ln.strip().startswith("*BLOCK") for ln in lines):
        return "becker-hickl"
    return "table"


def _blanked(lines: list[str], start: int) -> str:
    """The file with the lines before ``start`` blanked (line numbers kept)."""
    return "\n" * start + "\n".join(lines[start:])


def _marker_values(lines: list[str], marker: str, name: str) -> tuple[list[str], int]:
    """Values on the line after a PicoQuant ``#marker`` line, and its index."""
    for i, line in enumerate(lines):
        if line.strip().lower().startswith(marker):
            following = next(
                (j for j in range(i + 1, len(lines)) if lines[j].strip()), None
            )
            if following is None:
                break
            return lines[following].split(), following
    raise InputError(
        f"{name}: expected a '{marker}' line followed by its values (PicoQuant "
        "histogram export); none was found. Export the histogram again as ASCII.",
        source=name,
    )


def parse_picoquant(lines: list[str], name: str) -> Parsed:
    """PicoHarp/HydraHarp/TimeHarp histogram ASCII: counts per channel."""
    values, line_index = _marker_values(lines, "#ns/channel", name)
    try:
        resolution = [float(v.replace(",", ".")) for v in values]
    except ValueError:
        raise InputError(
            f"{name}, line {line_index + 1}: expected the channel width in ns "
            f"after '#ns/channel', found '{lines[line_index].strip()[:40]}'.",
            source=name,
            line=line_index + 1,
        ) from None
    curve_ids = [str(i) for i in range(len(resolution))]
    try:
        curve_ids = _marker_values(lines, "#display curve", name)[0]
    except InputError:
        pass
    start = next(
        (i + 1 for i, ln in enumerate(lines) if ln.strip().lower() == "#counts"), None
    )
    if start is None:
        raise InputError(
            f"{name}: expected a '#counts' line before the counts (PicoQuant "
            "histogram export); none was found. The export looks truncated.",
            source=name,
        )
    table = read_numeric_table(_blanked(lines, start), name, min_columns=1)
    counts = table.values
    if counts.shape[1] > len(resolution):
        raise InputError(
            f"{name}, line {line_index + 1}: {counts.shape[1]} curves of counts "
            f"but {len(resolution)} channel widths after '#ns/channel'; expected "
            "one width per curve.",
            source=name,
            line=line_index + 1,
        )
    if len(set(resolution[: counts.shape[1]])) > 1:
        raise InputError(
            f"{name}, line {line_index + 1}: the curves have different channel "
            f"widths ({', '.join(values)} ns); export each curve to its own file.",
            source=name,
            line=line_index + 1,
        )
    time = np.arange(counts.shape[0]) * resolution[0]
    curves = [
        (f"curve {curve_ids[j] if j < len(curve_ids) else j}", counts[:, j])
        for j in range(counts.shape[1])
    ]
    notes = [f"PicoQuant histogram: {resolution[0]:g} ns per channel."]
    return time, "ns", curves, notes


def _edinburgh_preamble(lines: list[str], name: str) -> tuple[dict, int]:
    """``key -> fields`` of the Edinburgh header block and its last line index."""
    delimiter = "," if "," in lines[0] else ("\t" if "\t" in lines[0] else None)
    rows: dict[str, list[str]] = {}
    last = 0
    for i, line in enumerate(lines[:60]):
        fields = split_fields(line, delimiter)
        if not fields or not fields[0]:
            continue
        if re.match(r"^[+-]?\d", fields[0]):
            break
        rows.setdefault(fields[0].strip().lower(), fields[1:])
        last = i
    return rows, last


def parse_edinburgh(lines: list[str], name: str) -> Parsed:
    """Edinburgh Instruments F900/FLS/Fluoracle decay export."""
    rows, last = _edinburgh_preamble(lines, name)
    kind = " ".join(rows.get("type", [])).strip()
    if kind and "time" not in kind.lower():
        raise InputError(
            f"{name}: this Edinburgh Instruments export is a '{kind}', not a decay; "
            "expected 'Type' = 'Time Scan' (a TCSPC or MCS decay).",
            source=name,
        )
    x_axis = " ".join(rows.get("xaxis", [])).strip()
    unit = header_unit(x_axis) if x_axis else ""
    table = read_numeric_table(_blanked(lines, last + 1), name)
    labels = [lab for lab in rows.get("labels", []) if lab]
    counts = table.values[:, 1:]
    curves = []
    for j in range(counts.shape[1]):
        column = counts[:, j]
        if np.isnan(column).all():
            continue  # the empty field after a trailing delimiter
        label = labels[j] if j < len(labels) else f"curve {j + 1}"
        curves.append((label, column))
    notes = [f"Edinburgh Instruments export ({kind or 'decay'}, X axis '{x_axis}')."]
    return table.values[:, 0], unit, curves, notes


def parse_becker_hickl(lines: list[str], name: str) -> Parsed:
    """Becker & Hickl SPCM ASCII export: one ``*BLOCK`` per curve."""
    starts = [i for i, ln in enumerate(lines) if ln.strip().startswith("*BLOCK")]
    title = ""
    for line in lines[: starts[0]]:
        match = re.match(r"^\s*Title\s*:\s*(.*?)\s*$", line)
        if match:
            title = match.group(1)
            break
    time = None
    unit = ""
    curves = []
    for number, start in enumerate(starts, start=1):
        header = lines[start]
        unit = unit or header_unit(header.replace("(", " ").replace(")", " "))
        table = read_numeric_table(
            _blanked(lines, start + 1), name, stop_markers=("*END", "*BLOCK")
        )
        if time is None:
            time = table.values[:, 0]
        elif table.values.shape[0] != time.size or not np.allclose(
            table.values[:, 0], time
        ):
            raise InputError(
                f"{name}, line {start + 1}: block {number} has another time axis "
                "than block 1; expected the curves of one file on one time grid.",
                source=name,
                line=start + 1,
            )
        label = title if len(starts) == 1 and title else f"block {number}"
        curves.append((label, table.values[:, 1]))
    notes = [f"Becker & Hickl SPCM ASCII export ({len(starts)} block(s))."]
    assert time is not None  # starts is not empty: detect_format saw a *BLOCK
    return time, unit or "ns", curves, notes


def parse_table(lines: list[str], name: str) -> Parsed:
    """A plain table: time, then one column of counts per curve."""
    text = "\n".join(lines)
    table = read_numeric_table(text, name)
    header = table.header
    unit = header_unit(header[0]) if header and header[0] else ""
    curves = []
    for j in range(1, table.values.shape[1]):
        column = table.values[:, j]
        if np.isnan(column).all():
            continue
        label = header[j] if j < len(header) and header[j] else f"curve {j}"
        curves.append((label, column))
    return table.values[:, 0], unit, curves, []


PARSERS = {
    "picoquant": parse_picoquant,
    "edinburgh": parse_edinburgh,
    "becker-hickl": parse_becker_hickl,
    "table": parse_table,
}
