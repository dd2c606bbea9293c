"""
Wasatch Photonics ENLIGHTEN CSV exports (column-oriented).

``Key,value`` lines (``ENLIGHTEN Version,2.2.7``, ``Technique,Scope``,
``Integration Time,60``, ``Note,Dark substracted``, ``Pixel Count,1024``),
a blank line, then a table whose header names the columns: ``Pixel,
Wavelength, [Wavenumber,] Processed[, Raw, Dark, Reference]``. The pixel
index comes first, so the wavelengths are found by their header, never by
position. The spectrum is ``Processed``, or ``Raw`` minus ``Dark`` when
there is no processed column.
"""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError
from core.io.instruments._common import first_number, format_ms, metadata_note
from core.io.parsed import ParsedSpectra
from core.io.text import parse_number, parse_preamble_line, split_lines
from core.io.timestamps import parse_timestamp

__all__ = ["NAME", "detect", "parse"]

NAME = "enlighten"

_FMT = "a Wasatch ENLIGHTEN export"
_HEADER = re.compile(r"^\s*pixel\s*,\s*wavelength\b", re.I)
_TABLE = re.compile(r"(^|,)\s*wavelength\s*(,|$)", re.I)
# Techniques whose Processed column is a ratio of two spectra, not light.
_RATIOS = ("absorbance", "transmission", "reflectance", "transmittance")


def detect(text: str) -> float:
    """
    1.0 for an ``ENLIGHTEN Version`` line; 0.9 for a ``Pixel,Wavelength,...``
    column header; else 0.
    """
    lines = split_lines(text[:200_000])[:120]
    if any(line.strip().lower().startswith("enlighten version") for line in lines[:5]):
        return 1.0
    return 0.9 if any(_HEADER.match(line) for line in lines) else 0.0


def _metadata(lines: list[str], header: int) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in lines[:header]:
        key, _, value = line.partition(",")
        if key.strip() and _:
            metadata.setdefault(key.strip(), value.strip())
        else:
            parsed = parse_preamble_line(line)
            if parsed is not None:
                metadata.setdefault(*parsed)
    return metadata


def _find(names: list[str], wanted: str) -> int | None:
    lowered = [n.strip().lower() for n in names]
    return lowered.index(wanted) if wanted in lowered else None


def _spectrum_columns(names: list[str], name: str) -> tuple[tuple[int, ...], str]:
    """Columns giving the spectrum (one, or Raw and Dark) and the sentence."""
    processed = _find(names, "processed")
    if processed is not None:
        return (processed,), "column 'Processed' read"
    raw, dark = _find(names, "raw"), _find(names, "dark")
    if raw is not None and dark is not None:
        return (raw, dark), "no 'Processed' column: Raw - Dark read"
    if raw is not None:
        return (raw,), "no 'Processed' or 'Dark' column: Raw read"
    raise InputError(
        f"{name}: the ENLIGHTEN table has columns {', '.join(names)}; expected a "
        "'Processed' column (or 'Raw' and 'Dark') beside 'Wavelength'.",
        source=name,
    )


def _rows(lines: list[str], header: int, names: list[str], needed, name: str):
    """
    The needed columns of the table under the header, by name, with the line
    of each row; other columns may be blank. Stops at the first line that
    does not start with a number, and says so when lines follow.
    """
    values: list[list[float]] = []
    numbers, notes = [], []
    for i in range(header + 1, len(lines)):
        fields = [f.strip() for f in lines[i].split(",")]
        if not lines[i].strip():
            continue
        if parse_number(fields[0]) is None:
            if values:
                notes.append(
                    f"lines from {i + 1} on follow the table and were not read."
                )
                break
            continue
        row = []
        for j in needed:
            value = parse_number(fields[j]) if j < len(fields) else None
            if value is None:
                found = fields[j] if j < len(fields) else "nothing"
                raise InputError(
                    f"{name}, line {i + 1}, column {j + 1} '{names[j]}': expected a "
                    f"number, found '{found[:40]}'.",
                    source=name,
                    line=i + 1,
                    column=names[j],
                )
            row.append(value)
        values.append(row)
        numbers.append(i + 1)
    if not values:
        raise InputError(
            f"{name}, line {header + 1}: the ENLIGHTEN header is followed by no rows "
            "of numbers; expected one row per pixel. The file looks truncated.",
            source=name,
            line=header + 1,
        )
    return np.array(values, dtype=float), np.array(numbers, dtype=int), notes


def _quantity(technique: str, name: str) -> str | None:
    lowered = technique.lower()
    if any(word in lowered for word in _RATIOS):
        raise InputError(
            f"{name}: the ENLIGHTEN technique is '{technique}', so 'Processed' holds "
            "a ratio of two spectra, not emitted light; expected a Scope, Raman or "
            "irradiance export of the emission.",
            source=name,
        )
    if "relative" in lowered:
        return "relative"
    if "irradiance" in lowered:
        return "energy"
    return "counts" if lowered in ("scope", "raman", "") else None


def _parts(metadata: dict) -> list[str]:
    parts = []
    if metadata.get("Model"):
        serial = metadata.get("Serial Number")
        parts.append(
            f"spectrometer {metadata['Model']}" + (f" {serial}" if serial else "")
        )
    if metadata.get("Technique"):
        parts.append(f"technique {metadata['Technique']}")
    integration = first_number(metadata.get("Integration Time", ""))
    if integration is not None:
        metadata["integration_time_ms"] = integration
        parts.append(f"integration time {format_ms(integration)}")
    averages = first_number(metadata.get("Scan Averaging", ""))
    if averages is not None:
        parts.append(f"{averages:g} scan{'' if averages == 1 else 's'} averaged")
    if metadata.get("Timestamp"):
        parts.append(f"recorded {metadata['Timestamp']}")
    return parts


def parse(text: str, name: str) -> ParsedSpectra:
    """
    ENLIGHTEN CSV: wavelengths and the processed spectrum, by column name.

    Raises
    ------
    InputError
        No header naming a ``Wavelength`` column, no spectrum column, a ratio
        technique (absorbance, transmission), no rows, or text in a needed
        column (other columns may be blank).
    """
    lines = split_lines(text)
    header = next((i for i, line in enumerate(lines) if _TABLE.search(line)), None)
    if header is None:
        raise InputError(
            f"{name}: looks like a Wasatch ENLIGHTEN export but has no column "
            "header 'Pixel,Wavelength,...'; expected the spectrum table after the "
            "key,value lines (a column named 'Wavelength'). Export it again as "
            "column-oriented CSV.",
            source=name,
        )
    metadata = _metadata(lines, header)
    quantity = _quantity(metadata.get("Technique", ""), name)
    names = [n.strip() for n in lines[header].split(",")]
    column = [n.lower() for n in names].index("wavelength")  # _TABLE found it
    spectrum, which = _spectrum_columns(names, name)
    values, line_numbers, row_notes = _rows(
        lines, header, names, (column, *spectrum), name
    )
    intensity = values[:, 1] - values[:, 2] if len(spectrum) == 2 else values[:, 1]
    where = f" (column {column + 1}, after '{names[0]}')" if column else ""
    notes = [
        metadata_note(_FMT, _parts(metadata)),
        f"wavelengths from column 'Wavelength'{where}; {which}.",
        *row_notes,
    ]
    if "dark sub" in metadata.get("Note", "").lower():
        notes.append("the ENLIGHTEN note says the dark was subtracted by the software.")
    stamp = metadata.get("Timestamp")
    return ParsedSpectra(
        wavelength_nm=values[:, 0],
        intensity=intensity[None, :],
        line_numbers=line_numbers,
        fmt=_FMT,
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(stamp.split(".")[0]) if stamp else None,
        intensity_quantity=quantity,
        intensity_unit="counts" if quantity == "counts" else "",
    )
