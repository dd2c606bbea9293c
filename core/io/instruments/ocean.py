"""
Ocean Optics SpectraSuite and OceanView exports.

- SpectraSuite: ``SpectraSuite Data File``, ``Key: value`` lines, data between
  ``>>>>>Begin Processed Spectral Data<<<<<`` and
  ``>>>>>End Processed Spectral Data<<<<<``, often with a decimal comma.
- OceanView: ``Data from ... Node``, ``Key: value`` lines,
  ``>>>>>Begin Spectral Data<<<<<``, two columns, no end marker.

Integration time, averages, spectrometer and date go to the notes; the date
is the spectrum's time stamp (files can be ordered by it).
"""

from __future__ import annotations

import re

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
    two_columns,
)
from core.io.parsed import ParsedSpectra
from core.io.text import read_numeric_table, split_lines
from core.io.timestamps import parse_timestamp

__all__ = ["NAME", "detect", "parse", "parse_spectrasuite", "parse_oceanview"]

NAME = "ocean"

_BEGIN = re.compile(r"^>{3,}\s*Begin.*Spectral Data\s*<{3,}", re.I)
_END = ">>>>>End"


def _product(text: str) -> tuple[float, str | None]:
    """Score and product ("SpectraSuite" or "OceanView") of a text."""
    head = [line.strip() for line in nonblank(split_lines(text[:200_000])[:60])]
    if not head:
        return 0.0, None
    if any("SpectraSuite Data File" in line for line in head[:5]):
        return 1.0, "SpectraSuite"
    begin = [line for line in head if _BEGIN.match(line)]
    if begin:
        product = "SpectraSuite" if "processed" in begin[0].lower() else "OceanView"
        return 0.9, product
    if re.match(r"^Data from .* Node$", head[0]):
        return 0.85, "OceanView"
    return 0.0, None


def detect(text: str) -> float:
    """
    1.0 for the ``SpectraSuite Data File`` title line; 0.9 for a
    ``>>>>>Begin ... Spectral Data<<<<<`` marker; 0.85 for OceanView's
    ``Data from ... Node`` first line; else 0.
    """
    return _product(text)[0]


def parse(text: str, name: str) -> ParsedSpectra:
    """SpectraSuite or OceanView export, whichever ``text`` is."""
    product = _product(text)[1] or "OceanView"
    return _parse_ocean(text, name, product)


def parse_spectrasuite(text: str, name: str) -> ParsedSpectra:
    """
    Ocean Optics SpectraSuite export (``SpectraSuite Data File``).

    Raises
    ------
    InputError
        When the Begin marker is missing or no data follow it (truncated file).
    """
    return _parse_ocean(text, name, "SpectraSuite")


def parse_oceanview(text: str, name: str) -> ParsedSpectra:
    """Ocean Optics OceanView export (``Data from ... Node``)."""
    return _parse_ocean(text, name, "OceanView")


def _block(lines: list[str], name: str, product: str) -> tuple[int, int | None]:
    """Indices of the Begin and End marker lines (End None when missing)."""
    begin = next((i for i, ln in enumerate(lines) if _BEGIN.match(ln.strip())), None)
    if begin is None:
        raise InputError(
            f"{name}: looks like an Ocean Optics {product} export but has no "
            "'>>>>>Begin ... Spectral Data<<<<<' line; expected the data after it. "
            "The file looks truncated; export it again.",
            source=name,
        )
    end = next(
        (i for i in range(begin + 1, len(lines)) if lines[i].strip().startswith(_END)),
        None,
    )
    if not nonblank(lines[begin + 1 : end if end is not None else len(lines)]):
        raise InputError(
            f"{name}, line {begin + 1}: the {product} export has the "
            f"'{lines[begin].strip()}' marker but no data rows after it; expected "
            "one 'wavelength<TAB>intensity' row per pixel. The file looks truncated; "
            "export it again.",
            source=name,
            line=begin + 1,
        )
    return begin, end


def _integration_ms(metadata: dict) -> float | None:
    keys = (
        "Integration Time (usec)",
        "Integration Time (sec)",
        "Integration Time (msec)",
    )
    key = next((k for k in keys if k in metadata), None)
    if key is None:
        return None
    value = first_number(metadata[key])
    return None if value is None else time_ms(value, key_unit(key))


def _header_parts(metadata: dict, integration_ms: float | None) -> list[str]:
    parts = []
    spectrometer = metadata.get("Spectrometers") or metadata.get("Spectrometer")
    if spectrometer:
        parts.append(f"spectrometer {spectrometer}")
    if integration_ms is not None:
        parts.append(f"integration time {format_ms(integration_ms)}")
    averages = metadata.get("Spectra Averaged") or metadata.get("Scans to average")
    if averages:
        count = first_number(averages)
        if count is not None:
            parts.append(f"{count:g} scan{'' if count == 1 else 's'} averaged")
    if metadata.get("Date"):
        parts.append(f"recorded {metadata['Date']}")
    return parts


def _warnings(metadata: dict, product: str, pixels: int, end) -> list[str]:
    notes = []
    dark_present = metadata.get("Dark Spectrum Present") or metadata.get(
        "Storing dark spectrum"
    )
    if dark_present and dark_present.strip().lower() in ("yes", "true"):
        notes.append(
            f"the {product} header says a dark spectrum was already subtracted "
            "by the instrument software."
        )
    announced = metadata.get("Number of Pixels in Processed Spectrum") or metadata.get(
        "Number of Pixels in Spectrum"
    )
    count = first_number(announced) if announced else None
    if count is not None and int(count) != pixels:
        notes.append(
            f"the header announces {int(count)} pixels but {pixels} data "
            "rows were read; the file may be truncated."
        )
    if product == "SpectraSuite" and end is None:
        notes.append(
            "no '>>>>>End Processed Spectral Data<<<<<' line: the file may be "
            "truncated; all rows after the Begin marker were read."
        )
    return notes


def _parse_ocean(text: str, name: str, product: str) -> ParsedSpectra:
    lines = split_lines(text)
    fmt = f"an Ocean Optics {product} export"
    begin, end = _block(lines, name, product)
    block = lines[begin + 1 : end if end is not None else len(lines)]
    metadata: dict = preamble_of(lines[:begin])
    table = read_numeric_table(padded_block(block, begin + 2), name)
    wavelength, intensity, notes = two_columns(table, product)
    integration_ms = _integration_ms(metadata)
    notes.insert(0, metadata_note(fmt, _header_parts(metadata, integration_ms)))
    notes.extend(_warnings(metadata, product, wavelength.size, end))
    date = metadata.get("Date")
    if integration_ms is not None:
        metadata["integration_time_ms"] = integration_ms
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt=fmt,
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(date) if date else None,
    )
