"""
PSI (Photon Systems Instruments) SpectraPen CSV exports.

One block per unit, each holding several spectra side by side::

    Irradiance \\t [µW/cm2/nm],
    Time,11/10/2022 7:08:01 PM,11/10/2022 7:08:05 PM,...,
    Index,13,14,...,
    Name,,,...,
    GPS,,,...,
    [nm],
    327.1,3.733005E+000,3.711488E+000,...
    ...

and, after blank lines, the same spectra in photon units
(``Irradiance [µE/m2/s/nm]``, µE = µmol of photons). Each block is its own
set of spectra with the unit of its header. The energy block is read when
there is one; otherwise the photon block, which the reader converts to
power (:mod:`core.io.quantity`). The ``Time`` row gives the time axis.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from core.errors import InputError
from core.io.instruments._common import metadata_note, nonblank, padded_block
from core.io.parsed import ParsedSpectra
from core.io.quantity import bracketed_unit, header_quantity
from core.io.text import read_numeric_table, split_lines

__all__ = ["NAME", "detect", "parse"]

NAME = "spectrapen"

_FMT = "a PSI SpectraPen export"
_BLOCK = re.compile(r"^\s*[A-Za-z][A-Za-z ]*[\s\t]*\[[^\]]+\]\s*,?\s*$")
_NM = re.compile(r"^\s*\[nm\]\s*,?\s*$", re.I)
# Dates as the SpectraPen software writes them (day first, as its readers take).
_TIME_FORMATS = (
    "%d/%m/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)


def _row(line: str, key: str) -> list[str] | None:
    """The fields after ``key,`` (trailing empty field dropped), else None."""
    fields = [f.strip() for f in line.split(",")]
    if fields[0].lower() != key.lower():
        return None
    while len(fields) > 1 and not fields[-1]:
        fields.pop()
    return fields[1:]


def detect(text: str) -> float:
    """
    0.9 when the first line is a quantity with a bracketed unit
    (``Irradiance [µW/cm2/nm],``) followed by a ``Time,`` row and a
    ``[nm],`` row; else 0.
    """
    lines = nonblank(split_lines(text[:200_000])[:40])
    if not lines or not _BLOCK.match(lines[0]):
        return 0.0
    has_time = any(_row(line, "Time") is not None for line in lines[1:6])
    has_nm = any(_NM.match(line) for line in lines[1:10])
    return 0.9 if has_time and has_nm else 0.0


def _times(fields: list[str]) -> list[datetime] | None:
    for fmt in _TIME_FORMATS:
        try:
            return [datetime.strptime(" ".join(f.split()), fmt) for f in fields]
        except ValueError:
            continue
    return None


def _block(lines: list[str], start: int, stop: int, name: str) -> dict:
    """One unit block: its header, unit, times, names and numeric table."""
    header = " ".join(lines[start].strip().rstrip(",").split())
    rows: dict[str, list[str] | None] = dict.fromkeys(("Time", "Index", "Name"))
    nm_index = None
    for i in range(start + 1, stop):
        for key in rows:
            if rows[key] is None:
                rows[key] = _row(lines[i], key)
        if _NM.match(lines[i]):
            nm_index = i
            break
    if nm_index is None:
        raise InputError(
            f"{name}, line {start + 1}: the SpectraPen block '{header}' has no "
            "'[nm],' line; expected it just above the wavelength rows.",
            source=name,
            line=start + 1,
        )
    end = next((i for i in range(nm_index + 1, stop) if not lines[i].strip()), stop)
    table = read_numeric_table(
        padded_block(lines[nm_index + 1 : end], nm_index + 2), name
    )
    quantity, unit = header_quantity(header)
    return {
        "header": header,
        "unit": unit or bracketed_unit(header),
        "quantity": quantity,
        "times": rows["Time"] or [],
        "names": rows["Name"] or [],
        "table": table,
    }


def _blocks(lines: list[str], name: str) -> list[dict]:
    starts = [i for i, line in enumerate(lines) if _BLOCK.match(line)]
    bounds = zip(starts, [*starts[1:], len(lines)], strict=True)
    return [_block(lines, start, stop, name) for start, stop in bounds]


def _chosen(blocks: list[dict]) -> tuple[dict, str]:
    """The block to read and the sentence saying why."""
    listed = "; ".join(
        f"'{b['header']}' ({b['table'].values.shape[1] - 1} spectra)" for b in blocks
    )
    for wanted in ("energy", "photon"):
        found = [b for b in blocks if b["quantity"] == wanted]
        if found:
            why = (
                "the energy block was read"
                if wanted == "energy"
                else "the photon block was read (no energy block)"
            )
            if len(blocks) > 1 and wanted == "energy":
                why += "; the other block holds the same spectra in other units"
            return found[0], f"SpectraPen blocks: {listed}; {why}."
    return blocks[0], f"SpectraPen blocks: {listed}; the first block was read."


def _axis(block: dict, n_spectra: int) -> tuple[np.ndarray | None, list[str]]:
    times = _times(block["times"]) if len(block["times"]) == n_spectra else None
    if not times:
        return None, ["the 'Time' row could not be read: spectra numbered in order."]
    start = times[0]
    axis = np.array([(t - start).total_seconds() / 3600 for t in times])
    return axis, [f"time axis from the 'Time' row, counted from {block['times'][0]}."]


def parse(text: str, name: str) -> ParsedSpectra:
    """
    PSI SpectraPen CSV: the spectra of one unit block (energy if present).

    Raises
    ------
    InputError
        A block without its ``[nm],`` line, text inside a block's table, or
        a table of wavelengths only.
    """
    lines = split_lines(text)
    blocks = _blocks(lines, name)
    block, which = _chosen(blocks)
    table = block["table"]
    n_spectra = table.values.shape[1] - 1
    axis, axis_notes = _axis(block, n_spectra)
    parts = [f"{n_spectra} spectra", f"unit {block['unit']}" if block["unit"] else ""]
    notes = [metadata_note(_FMT, parts), which, *axis_notes]
    first = _times(block["times"][:1]) if block["times"] else None
    return ParsedSpectra(
        wavelength_nm=table.values[:, 0],
        intensity=table.values[:, 1:].T,
        line_numbers=table.line_numbers,
        fmt=_FMT,
        axis=axis,
        axis_name="time" if axis is not None else None,
        axis_unit="h" if axis is not None else None,
        notes=tuple(notes),
        metadata={"names": block["names"], "times": block["times"]},
        timestamp=first[0] if first else None,
        intensity_quantity=block["quantity"],
        intensity_unit=block["unit"],
    )
