"""
Ocean Optics Jaz exports (``.jaz``, ``.JazIrrad``).

A SpectraSuite-like header (``Jaz Data File`` or ``Jaz Absolute Irradiance
File``, ``Key: value`` lines, ``Dark/Reference/Processed Spectrum Present:``)
then ``>>>>>Begin Processed Spectral Data<<<<<``, a column header of letters
and one row per pixel, often with a decimal comma:

==  ======================================================================
W   wavelength [nm]
D   dark spectrum (counts)
R   reference spectrum (counts), for transmission/reflectance
S   sample spectrum (counts)
P   processed: sample minus dark (scope mode), the irradiance (irradiance
    files), or sample relative to reference (a ratio, %, when a reference
    is present)
==  ======================================================================

The emission spectrum is P when P is the processed scope-minus-dark or
irradiance spectrum, else S - D (or S without a dark); D is never read as
the spectrum. The notes say which column was read and why.
"""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError
from core.io.instruments._common import (
    first_number,
    format_ms,
    key_unit,
    metadata_note,
    nonblank,
    padded_block,
    preamble_of,
    time_ms,
)
from core.io.parsed import ParsedSpectra
from core.io.text import read_numeric_table, split_lines
from core.io.timestamps import parse_timestamp

__all__ = ["NAME", "detect", "parse"]

NAME = "jaz"

_FMT = "an Ocean Optics Jaz export"
_TITLE = re.compile(r"^Jaz\b.*\bFile\b", re.I)
_BEGIN = re.compile(r"^>{3,}\s*Begin.*Spectral Data\s*<{3,}", re.I)
_LETTERS = re.compile(r"^[WDRSP](\s+[WDRSP])+$")
_END = ">>>>>End"


def _begin_index(lines: list[str]) -> int | None:
    return next((i for i, ln in enumerate(lines) if _BEGIN.match(ln.strip())), None)


def detect(text: str) -> float:
    """
    1.0 for a ``Jaz ... File`` title line; 0.95 for a ``W D ... P`` column
    header right after the Begin marker (ahead of SpectraSuite's 0.9); else 0.
    """
    lines = split_lines(text[:200_000])[:80]
    head = [line.strip() for line in nonblank(lines)]
    if any(_TITLE.match(line) for line in head[:3]):
        return 1.0
    begin = _begin_index(lines)
    if begin is not None:
        after = nonblank(lines[begin + 1 : begin + 3])
        if after and _LETTERS.match(after[0].strip()):
            return 0.95
    return 0.0


def _yes(metadata: dict, key: str) -> bool | None:
    value = metadata.get(key)
    return None if value is None else value.strip().lower().startswith("yes")


def _column(columns: dict, letter: str) -> np.ndarray | None:
    values = columns.get(letter)
    if values is None or not np.any(np.isfinite(values) & (values != 0)):
        return None
    return values


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """``a`` equals ``b`` within 1 % of b's range (processed = S - D?)."""
    scale = float(np.nanmax(np.abs(b))) or 1.0
    return bool(np.nanmedian(np.abs(a - b)) <= 0.01 * scale)


def _choose(columns: dict, metadata: dict, title: str) -> tuple[np.ndarray, str, str]:
    """The emission spectrum, the sentence saying which column, the quantity."""
    dark, sample = _column(columns, "D"), _column(columns, "S")
    processed = _column(columns, "P")
    reference = _column(columns, "R")
    irradiance = "irradiance" in title.lower()
    if processed is not None and irradiance:
        return processed, "column P (the processed irradiance) was read", "energy"
    has_reference = (
        reference is not None
        and _yes(metadata, "Reference Spectrum Present") is not False
    )
    minus_dark = sample - dark if sample is not None and dark is not None else None
    if processed is not None and not has_reference:
        if minus_dark is not None and _close(processed, minus_dark):
            how = "sample minus dark, S - D"
        elif sample is not None and _close(processed, sample):
            how = "the sample S"
        else:
            how = "scope mode"
        return processed, f"column P (the processed spectrum: {how}) was read", "counts"
    why = (
        "P holds the sample relative to the reference R (a transmission or "
        "reflectance ratio), not an emission spectrum; "
        if processed is not None
        else "there is no processed column P; "
    )
    if sample is None:
        raise InputError(
            "the Jaz export has no sample column S with numbers; expected the "
            "sample spectrum (S) or a processed spectrum (P) beside the "
            "wavelengths (W). The dark column D is never read as the spectrum.",
        )
    if minus_dark is not None:
        return minus_dark, why + "the spectrum is S - D (sample minus dark)", "counts"
    return sample, why + "the spectrum is the sample S (no dark column)", "counts"


def _header_parts(metadata: dict, integration_ms) -> list[str]:
    parts = []
    if metadata.get("Spectrometers"):
        parts.append(f"spectrometer {metadata['Spectrometers']}")
    if integration_ms is not None:
        parts.append(f"integration time {format_ms(integration_ms)}")
    averages = first_number(metadata.get("Spectra Averaged", ""))
    if averages is not None:
        parts.append(f"{averages:g} scan{'' if averages == 1 else 's'} averaged")
    if metadata.get("Date"):
        parts.append(f"recorded {metadata['Date']}")
    return parts


def _table(lines: list[str], name: str):
    """Column letters and the numeric block after the Begin marker."""
    begin = _begin_index(lines)
    if begin is None:
        raise InputError(
            f"{name}: looks like an Ocean Optics Jaz export but has no "
            "'>>>>>Begin Processed Spectral Data<<<<<' line; expected the data "
            "after it. The file looks truncated; export it again.",
            source=name,
        )
    header = next(
        (i for i in range(begin + 1, len(lines)) if lines[i].strip()), len(lines)
    )
    letters = lines[header].split() if header < len(lines) else []
    if not letters or not _LETTERS.match(" ".join(letters)) or "W" not in letters:
        raise InputError(
            f"{name}, line {header + 1}: expected the Jaz column header (letters "
            "W, D, R, S, P) after the Begin marker; found "
            f"'{lines[header].strip()[:60] if header < len(lines) else ''}'.",
            source=name,
            line=header + 1,
        )
    end = next(
        (j for j in range(header + 1, len(lines)) if lines[j].startswith(_END)),
        len(lines),
    )
    table = read_numeric_table(padded_block(lines[header + 1 : end], header + 2), name)
    if table.values.shape[1] != len(letters):
        line = int(table.line_numbers[0])
        raise InputError(
            f"{name}, line {line}: expected {len(letters)} values (columns "
            f"{' '.join(letters)}), found {table.values.shape[1]}.",
            source=name,
            line=line,
        )
    return begin, letters, table


def parse(text: str, name: str) -> ParsedSpectra:
    """
    Ocean Optics Jaz export: the emission spectrum from its W/D/R/S/P columns.

    Raises
    ------
    InputError
        No Begin marker, no column header, rows not matching the header, or
        no sample or processed column.
    """
    lines = split_lines(text)
    begin, letters, table = _table(lines, name)
    metadata: dict = preamble_of(lines[:begin])
    columns = {letter: table.values[:, k] for k, letter in enumerate(letters)}
    title = next((ln.strip() for ln in lines if ln.strip()), "")
    try:
        intensity, which, quantity = _choose(columns, metadata, title)
    except InputError as error:
        raise InputError(f"{name}: {error}", source=name) from None
    key = "Integration Time (usec)"
    value = first_number(metadata.get(key, ""))
    integration_ms = time_ms(value, key_unit(key)) if value is not None else None
    if integration_ms is not None:
        metadata["integration_time_ms"] = integration_ms
    notes = [
        metadata_note(_FMT, _header_parts(metadata, integration_ms)),
        f"Jaz columns {' '.join(letters)}: {which}.",
    ]
    date = metadata.get("Date")
    return ParsedSpectra(
        wavelength_nm=columns["W"],
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt=_FMT,
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(date) if date else None,
        intensity_quantity=quantity,
        intensity_unit="µW/cm²/nm" if quantity == "energy" else "counts",
    )
