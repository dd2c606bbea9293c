"""
Parsers for the ASCII exports of spectrometer software.

Each parser takes the decoded text of one file and returns a
:class:`ParsedSpectra`: the numbers as the file holds them (not yet sorted or
checked), the line of each wavelength for messages, the metadata worth keeping
and the notes a user should read. :mod:`core.io.spectra` validates the result
and builds the :class:`~core.models.SpectralSeries`.

Layouts handled (see ``FORMATS.md``, "Spectra and spectral series"):

- Ocean Optics SpectraSuite: ``SpectraSuite Data File``, ``Key: value`` lines,
  data between ``>>>>>Begin Processed Spectral Data<<<<<`` and
  ``>>>>>End Processed Spectral Data<<<<<``, often with a decimal comma.
- Ocean Optics OceanView: ``Data from ... Node``, ``Key: value`` lines,
  ``>>>>>Begin Spectral Data<<<<<``, two columns, no end marker.
- StellarNet SpectraWiz (``.IRR``, ``.SSM``, ``.TRM``): header lines starting
  with ``"``, two whitespace-separated columns, a stray last line ``: N``.
- Avantes AvaSoft: ``Key-->,value`` lines, then ``Wavelength[nm],<name>``.
- Photo Research SpectraWin (PR-6xx/PR-7xx): ``[HEADER]`` and ``[SPECTRAL]``
  sections closed by ``[END OF SECTION]``. The spectral section holds either
  ``wavelength, value`` rows or, in the older export, the start, end and step
  wavelengths on three lines followed by one value per line.
- Transposed time series (Quantum Yield Berlin LuQY-style PL exports): row 1
  is a date and one ``HH:MM:SS`` time stamp per spectrum, then per-spectrum
  metadata rows, a ``Wavelength (nm) ...`` row and the wavelength rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from core.errors import InputError
from core.io.text import (
    parse_number,
    parse_preamble_line,
    read_numeric_table,
    split_lines,
)

__all__ = [
    "ParsedSpectra",
    "INSTRUMENT_FORMATS",
    "detect_format",
    "parse_timestamp",
    "is_clock_time",
    "clock_elapsed_h",
    "parse_spectrasuite",
    "parse_oceanview",
    "parse_spectrawiz",
    "parse_avantes",
    "parse_spectrawin",
    "parse_transposed_series",
    "parse_instrument",
]


@dataclass(frozen=True)
class ParsedSpectra:
    """
    Spectra as a file holds them, before validation.

    Attributes
    ----------
    wavelength_nm : numpy.ndarray
        (W,) wavelengths in file order (may be descending, hold NaN...). [nm]
    intensity : numpy.ndarray
        (N, W) intensities, one row per spectrum.
    line_numbers : numpy.ndarray
        (W,) 1-based line (or spreadsheet row) of each wavelength.
    fmt : str
        Human-readable name of the layout ("Ocean Optics SpectraSuite export").
    axis : numpy.ndarray or None
        (N,) series axis when the file gives one, else None (index).
    axis_name, axis_unit : str or None
        Name (one of :data:`core.models.AXIS_NAMES`) and unit of ``axis``.
    notes : tuple of str
        What the user should know about the file (metadata, fixes).
    metadata : dict
        Parsed metadata; ``integration_time_ms`` [ms] when the file says.
    timestamp : datetime.datetime or None
        When the (first) spectrum was recorded, if the file says.
    grid_from_user : bool
        True when the wavelengths came from the caller, not the file.
    """

    wavelength_nm: np.ndarray
    intensity: np.ndarray
    line_numbers: np.ndarray
    fmt: str
    axis: np.ndarray | None = None
    axis_name: str | None = None
    axis_unit: str | None = None
    notes: tuple[str, ...] = ()
    metadata: dict = field(default_factory=dict)
    timestamp: datetime | None = None
    grid_from_user: bool = False


# --- time stamps --------------------------------------------------------------

_TIMESTAMP_FORMATS = (
    "%b %d %H:%M:%S %Y",  # SpectraSuite/OceanView after dropping weekday and zone
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
)
# "Wed Nov 27 17:21:38 EET 2013": weekday and time zone are dropped; the zone
# abbreviations are ambiguous and a series is recorded in one zone anyway.
_JAVA_DATE = re.compile(
    r"^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}:\d{2})"
    r"(?:\s+[A-Za-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?\s+(\d{4})$"
)


def parse_timestamp(text: str) -> datetime | None:
    """
    Parse a date-time as spectrometer software writes it; None if unknown.

    Examples
    --------
    >>> parse_timestamp("Wed Nov 27 17:21:38 EET 2013")
    datetime.datetime(2013, 11, 27, 17, 21, 38)
    >>> parse_timestamp("01.08.2024 15:14:51")
    datetime.datetime(2024, 8, 1, 15, 14, 51)
    """
    value = " ".join(text.strip().split())
    match = _JAVA_DATE.match(value)
    if match:
        value = f"{match.group(1)} {match.group(2)} {match.group(3)} {match.group(4)}"
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


# --- format detection ---------------------------------------------------------

_OCEAN_BEGIN = re.compile(r"^>{3,}\s*Begin.*Spectral Data\s*<{3,}", re.I)
_OCEAN_END = ">>>>>End"
_TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DATE = re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")
_SPECTRAWIZ_COUNT = re.compile(r"^:\s*\d+\s*$")


def _nonblank(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()]


def _is_transposed_header(line: str) -> bool:
    fields = [f.strip() for f in line.split("\t")]
    while fields and not fields[-1]:
        fields.pop()
    if len(fields) < 2:
        return False
    head_ok = (
        not fields[0]
        or _DATE.match(fields[0])
        or _TIME_OF_DAY.match(fields[0])
        or fields[0].lower() in ("time", "date", "date/time")
    )
    return bool(head_ok) and all(_TIME_OF_DAY.match(f) for f in fields[1:])


def detect_format(text: str) -> str | None:
    """
    Recognise an instrument export from its content.

    Returns
    -------
    str or None
        A key of :data:`INSTRUMENT_FORMATS` (``"spectrasuite"``,
        ``"oceanview"``, ``"spectrawiz"``, ``"avantes"``, ``"spectrawin"``,
        ``"transposed"``), or None for a plain table.
    """
    lines = split_lines(text[:200_000])
    head = _nonblank(lines[:60])
    if not head:
        return None
    stripped = [line.strip() for line in head]
    if any("SpectraSuite Data File" in line for line in stripped[:5]):
        return "spectrasuite"
    if any(line.upper() in ("[SPECTRAL]", "[HEADER]") for line in stripped):
        return "spectrawin"
    begin = [line for line in stripped if _OCEAN_BEGIN.match(line)]
    if begin:
        return "spectrasuite" if "processed" in begin[0].lower() else "oceanview"
    if re.match(r"^Data from .* Node$", stripped[0]):
        return "oceanview"
    if "-->" in stripped[0]:
        return "avantes"
    if _is_transposed_header(head[0]):
        return "transposed"
    # SpectraWiz header lines open a quote they never close.
    first = stripped[0]
    tail = _nonblank(split_lines(text[-200:]))
    if (first.startswith('"') and first.count('"') % 2 == 1) or (
        tail and _SPECTRAWIZ_COUNT.match(tail[-1].strip())
    ):
        return "spectrawiz"
    return None


# --- helpers ------------------------------------------------------------------


def _padded_block(lines: list[str], first_line: int) -> str:
    """Text whose line numbers match the file: block starts at ``first_line``."""
    return "\n" * (first_line - 1) + "\n".join(lines)


def _two_columns(table, name: str, fmt: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Wavelength and intensity of a one-spectrum export; note extra columns."""
    notes = []
    if table.values.shape[1] > 2:
        notes.append(
            f"{fmt}: only the first two columns were read (wavelength and "
            f"intensity); {table.values.shape[1] - 2} further column(s) ignored."
        )
    return table.values[:, 0], table.values[:, 1], notes


def _first_number(text: str) -> float | None:
    match = re.search(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", text)
    if match is None:
        return None
    return parse_number(match.group(0), decimal_comma=True)


def _format_ms(value_ms: float) -> str:
    return f"{value_ms:g} ms"


def _metadata_note(fmt: str, parts: list[str]) -> str:
    details = "; ".join(p for p in parts if p)
    return f"read as {fmt}" + (f" ({details})." if details else ".")


# --- Ocean Optics -------------------------------------------------------------


def _parse_ocean(text: str, name: str, product: str) -> ParsedSpectra:
    lines = split_lines(text)
    begin = next(
        (i for i, ln in enumerate(lines) if _OCEAN_BEGIN.match(ln.strip())), None
    )
    fmt = f"an Ocean Optics {product} export"
    if begin is None:
        raise InputError(
            f"{name}: looks like an Ocean Optics {product} export but has no "
            "'>>>>>Begin ... Spectral Data<<<<<' line; expected the data after it. "
            "The file looks truncated; export it again.",
            source=name,
        )
    end = next(
        (
            i
            for i in range(begin + 1, len(lines))
            if lines[i].strip().startswith(_OCEAN_END)
        ),
        None,
    )
    block = lines[begin + 1 : end if end is not None else len(lines)]
    if not _nonblank(block):
        raise InputError(
            f"{name}, line {begin + 1}: the {product} export has the "
            f"'{lines[begin].strip()}' marker but no data rows after it; expected "
            "one 'wavelength<TAB>intensity' row per pixel. The file looks truncated; "
            "export it again.",
            source=name,
            line=begin + 1,
        )
    metadata: dict = {}
    for line in lines[:begin]:
        parsed = parse_preamble_line(line)
        if parsed is not None:
            metadata.setdefault(parsed[0], parsed[1])
    table = read_numeric_table(_padded_block(block, begin + 2), name)
    wavelength, intensity, notes = _two_columns(table, name, product)

    parts = []
    spectrometer = metadata.get("Spectrometers") or metadata.get("Spectrometer")
    if spectrometer:
        parts.append(f"spectrometer {spectrometer}")
    integration_ms = None
    for key, scale in (
        ("Integration Time (usec)", 1e-3),
        ("Integration Time (sec)", 1e3),
        ("Integration Time (msec)", 1.0),
    ):
        if key in metadata:
            value = _first_number(metadata[key])
            if value is not None:
                integration_ms = value * scale
                parts.append(f"integration time {_format_ms(integration_ms)}")
            break
    averages = metadata.get("Spectra Averaged") or metadata.get("Scans to average")
    if averages:
        count = _first_number(averages)
        if count is not None:
            parts.append(f"{count:g} scan{'' if count == 1 else 's'} averaged")
    date = metadata.get("Date")
    timestamp = parse_timestamp(date) if date else None
    if date:
        parts.append(f"recorded {date}")
    notes.insert(0, _metadata_note(fmt, parts))
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
    count = _first_number(announced) if announced else None
    if count is not None and int(count) != wavelength.size:
        notes.append(
            f"the header announces {int(count)} pixels but {wavelength.size} data "
            "rows were read; the file may be truncated."
        )
    if product == "SpectraSuite" and end is None:
        notes.append(
            "no '>>>>>End Processed Spectral Data<<<<<' line: the file may be "
            "truncated; all rows after the Begin marker were read."
        )
    if integration_ms is not None:
        metadata["integration_time_ms"] = integration_ms
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt=fmt,
        notes=tuple(notes),
        metadata=metadata,
        timestamp=timestamp,
    )


def parse_spectrasuite(text: str, name: str) -> ParsedSpectra:
    """
    Ocean Optics SpectraSuite export (``SpectraSuite Data File``).

    Data lie between ``>>>>>Begin Processed Spectral Data<<<<<`` and
    ``>>>>>End Processed Spectral Data<<<<<``; the decimal comma is common.
    Integration time, averages, spectrometer and date go to the notes.

    Raises
    ------
    InputError
        When the Begin marker is missing or no data follow it (truncated file).
    """
    return _parse_ocean(text, name, "SpectraSuite")


def parse_oceanview(text: str, name: str) -> ParsedSpectra:
    """
    Ocean Optics OceanView export (``Data from ... Node``).

    Data follow ``>>>>>Begin Spectral Data<<<<<`` up to the end of the file.
    """
    return _parse_ocean(text, name, "OceanView")


# --- StellarNet SpectraWiz ----------------------------------------------------

_SPECTRAWIZ_MODES = {
    "RAD": "radiometric (irradiance)",
    "SCOPE": "scope mode (counts)",
    "TRANS": "transmission",
    "ABS": "absorbance",
}


def parse_spectrawiz(text: str, name: str) -> ParsedSpectra:
    """
    StellarNet SpectraWiz export (``.IRR``, ``.SSM``, ``.TRM``).

    Header lines start with ``"``; the data are two whitespace-separated
    columns; a stray last line ``: N`` is skipped. Integration time and
    averages come from the ``Time:230ms  Avg:1`` fields of the header.
    """
    lines = split_lines(text)
    header = [
        ln.strip().lstrip('"').strip() for ln in lines if ln.strip().startswith('"')
    ]
    table = read_numeric_table(text, name, stop_markers=(":",))
    wavelength, intensity, notes = _two_columns(table, name, "SpectraWiz")
    parts = []
    metadata: dict = {"header": header}
    joined = " ".join(header)
    mode = re.search(r"\b([A-Z]+)->", joined)
    if mode:
        parts.append(_SPECTRAWIZ_MODES.get(mode.group(1), mode.group(1)))
    time_match = re.search(r"Time:\s*([\d.]+)\s*ms", joined)
    if time_match:
        metadata["integration_time_ms"] = float(time_match.group(1))
        parts.append(f"integration time {_format_ms(float(time_match.group(1)))}")
    avg_match = re.search(r"Avg:\s*(\d+)", joined)
    if avg_match:
        count = int(avg_match.group(1))
        parts.append(f"{count} scan{'' if count == 1 else 's'} averaged")
    cal = re.search(r">\s*(\S+\.CAL)", joined, re.I)
    if cal:
        parts.append(f"calibration {cal.group(1)}")
    notes.insert(0, _metadata_note("a StellarNet SpectraWiz export", parts))
    tail = _nonblank(lines)
    if tail and _SPECTRAWIZ_COUNT.match(tail[-1].strip()):
        notes.append(
            f"the last line '{tail[-1].strip()}' is a SpectraWiz trailer, not data; "
            "it was skipped."
        )
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt="a StellarNet SpectraWiz export",
        notes=tuple(notes),
        metadata=metadata,
    )


# --- Avantes AvaSoft ----------------------------------------------------------


def parse_avantes(text: str, name: str) -> ParsedSpectra:
    """
    Avantes AvaSoft ASCII export: ``Key-->,value`` lines, then
    ``Wavelength[nm],<sample name>`` and the data rows.
    """
    table = read_numeric_table(text, name)
    wavelength, intensity, notes = _two_columns(table, name, "AvaSoft")
    metadata = dict(table.preamble)
    parts = []
    if "Mode/Unit" in metadata:
        parts.append(f"mode {metadata['Mode/Unit']}")
    for key in ("Int.time[ms]", "Integration time [ms]", "Int.time [ms]"):
        if key in metadata:
            value = _first_number(metadata[key])
            if value is not None:
                metadata["integration_time_ms"] = value
                parts.append(f"integration time {_format_ms(value)}")
            break
    if "NrOfAverages" in metadata:
        parts.append(f"{metadata['NrOfAverages']} scans averaged")
    if len(table.header) > 1 and table.header[1]:
        parts.append(f"sample '{table.header[1]}'")
    notes.insert(0, _metadata_note("an Avantes AvaSoft export", parts))
    return ParsedSpectra(
        wavelength_nm=wavelength,
        intensity=intensity[None, :],
        line_numbers=table.line_numbers,
        fmt="an Avantes AvaSoft export",
        notes=tuple(notes),
        metadata=metadata,
    )


# --- Photo Research SpectraWin ------------------------------------------------


def _sections(lines: list[str]) -> dict[str, tuple[int, list[str]]]:
    """``[NAME]`` sections -> (1-based first line of content, content lines)."""
    sections: dict[str, tuple[int, list[str]]] = {}
    current = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            title = stripped[1:-1].strip().upper()
            if title == "END OF SECTION":
                current = None
            else:
                current = title
                sections[current] = (i + 2, [])
            continue
        if current is not None:
            sections[current][1].append(line)
    return sections


def parse_spectrawin(text: str, name: str) -> ParsedSpectra:
    """
    Photo Research SpectraWin export (PR-6xx/PR-7xx spectroradiometers).

    ``[HEADER]`` holds ``Key: value`` lines (``Model Num.``, ``Exp. Time``,
    ``Date / Time``, ``Radiometric Mode``...); ``[SPECTRAL]`` holds either
    ``wavelength, value`` rows or the start, end and step wavelengths on three
    lines followed by one value per line. Sections end with
    ``[END OF SECTION]``; other sections (``[CALCULATED]``) are not read.

    Raises
    ------
    InputError
        No ``[SPECTRAL]`` section, an empty one, or a value count that does
        not match the start/end/step grid.
    """
    lines = split_lines(text)
    sections = _sections(lines)
    if "SPECTRAL" not in sections:
        raise InputError(
            f"{name}: looks like a Photo Research SpectraWin export ([HEADER] "
            "section) but has no [SPECTRAL] section; expected the spectral data in "
            "it. Export with 'Spectral data' ticked.",
            source=name,
        )
    first_line, block = sections["SPECTRAL"]
    if not _nonblank(block):
        raise InputError(
            f"{name}, line {first_line - 1}: the [SPECTRAL] section is empty; "
            "expected one wavelength and value per line. The file looks truncated; "
            "export it again.",
            source=name,
            line=first_line - 1,
        )
    table = read_numeric_table(_padded_block(block, first_line), name, min_columns=1)
    notes: list[str] = []
    if table.values.shape[1] >= 2:
        wavelength, intensity, notes = _two_columns(table, name, "SpectraWin")
        line_numbers = table.line_numbers
    else:
        values = table.values[:, 0]
        if values.size < 4:
            raise InputError(
                f"{name}, line {first_line}: the [SPECTRAL] section holds "
                f"{values.size} number(s); expected the start, end and step "
                "wavelengths followed by one value per wavelength.",
                source=name,
                line=first_line,
            )
        start, stop, step = values[:3]
        count = int(round((stop - start) / step)) + 1 if step > 0 else 0
        if count != values.size - 3:
            raise InputError(
                f"{name}, line {table.line_numbers[0]}: the [SPECTRAL] section gives "
                f"the grid {start:g}-{stop:g} nm in {step:g} nm steps ({count} "
                f"wavelengths) but holds {values.size - 3} values; expected one "
                "value per wavelength.",
                source=name,
                line=int(table.line_numbers[0]),
            )
        wavelength = start + step * np.arange(count)
        intensity = values[3:]
        line_numbers = table.line_numbers[3:]
        notes.append(
            f"wavelengths built from the start/end/step lines: {start:g}-{stop:g} "
            f"nm in {step:g} nm steps."
        )
    metadata: dict = {}
    if "HEADER" in sections:
        for line in sections["HEADER"][1]:
            parsed = parse_preamble_line(line)
            if parsed is not None:
                metadata.setdefault(parsed[0], parsed[1])
    parts = []
    for key, label in (
        ("Model Num.", "model"),
        ("Serial Num.", "serial"),
        ("Radiometric Mode", "mode"),
        ("Exp. Time", "exposure"),
        ("Date / Time", "recorded"),
    ):
        if metadata.get(key):
            parts.append(f"{label} {metadata[key]}")
    exposure = metadata.get("Exp. Time")
    if exposure:
        value = _first_number(exposure)
        if value is not None:
            metadata["integration_time_ms"] = value * (
                1e3 if re.search(r"\bs(ec)?\b", exposure) else 1.0
            )
    date = metadata.get("Date / Time") or metadata.get("Date")
    notes.insert(0, _metadata_note("a Photo Research SpectraWin export", parts))
    return ParsedSpectra(
        wavelength_nm=np.asarray(wavelength, dtype=float),
        intensity=np.asarray(intensity, dtype=float)[None, :],
        line_numbers=np.asarray(line_numbers),
        fmt="a Photo Research SpectraWin export",
        notes=tuple(notes),
        metadata=metadata,
        timestamp=parse_timestamp(date) if date else None,
    )


# --- transposed time series ---------------------------------------------------


def _clock_seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.append(0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def is_clock_time(text: str) -> bool:
    """True for a time of day ``HH:MM`` or ``HH:MM:SS(.s)``."""
    return bool(_TIME_OF_DAY.match(text.strip()))


def clock_elapsed_h(stamps: list[str]) -> tuple[np.ndarray, int]:
    """
    Hours since the first of a list of ``HH:MM:SS`` stamps, and midnight wraps.

    A stamp earlier than the one before it means the clock passed midnight:
    one day is added from there on.

    Examples
    --------
    >>> hours, wraps = clock_elapsed_h(["23:59:50", "00:00:00", "00:00:10"])
    >>> (hours * 3600).round(6).tolist(), wraps
    ([0.0, 10.0, 20.0], 1)
    """
    seconds = np.array([_clock_seconds(s.strip()) for s in stamps])
    wraps = np.concatenate([[0], np.cumsum(np.diff(seconds) < 0)])
    elapsed_s = seconds + 86400.0 * wraps - seconds[0]
    return elapsed_s / 3600.0, int(wraps[-1])


def parse_transposed_series(text: str, name: str) -> ParsedSpectra:
    """
    Transposed time series: a row of time stamps on top, one column per spectrum.

    Row 1 holds a date and one ``HH:MM:SS`` stamp per spectrum; then come
    per-spectrum metadata rows (``LuQY (%)``, ``Integration Time (ms)``...), a
    ``Wavelength (nm) <quantity>`` row, and one row per wavelength. The time
    axis is the time since the first stamp in hours; a stamp earlier than the
    one before it means the clock passed midnight and one day is added.

    Raises
    ------
    InputError
        Data rows whose column count does not match the number of time stamps.
    """
    lines = split_lines(text)
    first_index = next(i for i, ln in enumerate(lines) if ln.strip())
    stamps = [f.strip() for f in lines[first_index].split("\t")]
    while stamps and not stamps[-1]:
        stamps.pop()
    date_text, clock = stamps[0], stamps[1:]
    n_spectra = len(clock)
    elapsed_h, wraps = clock_elapsed_h(clock)
    notes = []
    if wraps:
        notes.append(
            f"the time stamps pass midnight {wraps} time(s); one day was added "
            "after each wrap."
        )
    wavelength_row = next(
        (
            i
            for i in range(first_index + 1, len(lines))
            if lines[i].strip().lower().startswith("wavelength")
        ),
        None,
    )
    has_wavelength_row = wavelength_row is not None
    anchor = wavelength_row if has_wavelength_row else first_index
    table = read_numeric_table(text, name, start_after=lines[anchor].strip())
    if wavelength_row is None:
        notes.append(
            "no 'Wavelength' row: the rows of numbers after the time stamps were "
            "read as one wavelength and one intensity per spectrum."
        )
        wavelength_row = int(table.line_numbers[0]) - 1
    if table.values.shape[1] != n_spectra + 1:
        line = int(table.line_numbers[0])
        raise InputError(
            f"{name}, line {line}: expected {n_spectra + 1} values (a wavelength and "
            f"one intensity for each of the {n_spectra} time stamps on line "
            f"{first_index + 1}), found {table.values.shape[1]}.",
            source=name,
            line=line,
        )
    metadata: dict = {"date": date_text, "time_stamps": clock}
    meta_rows = []
    for line in lines[first_index + 1 : wavelength_row]:
        fields = [f.strip() for f in line.split("\t")]
        key = fields[0]
        if not key or set(key) <= {"-"}:
            continue
        values = [parse_number(f) for f in fields[1 : n_spectra + 1]]
        numbers = np.array([np.nan if v is None else v for v in values], dtype=float)
        metadata[key] = numbers
        meta_rows.append(key)
    parts = [f"{n_spectra} spectra", f"first {date_text} {clock[0]}".strip()]
    integration = next(
        (k for k in meta_rows if k.lower().startswith("integration")), None
    )
    if integration is not None:
        values = metadata[integration]
        finite = values[np.isfinite(values)]
        if finite.size:
            scale = 1e3 if "(s)" in integration else 1.0
            low, high = finite.min() * scale, finite.max() * scale
            metadata["integration_time_ms"] = float(np.median(finite)) * scale
            parts.append(
                f"integration time {_format_ms(low)}"
                if low == high
                else f"integration time {_format_ms(low)} to {_format_ms(high)}"
            )
    notes.insert(
        0, _metadata_note("a transposed time series with time stamps in row 1", parts)
    )
    quantity = [f.strip() for f in lines[wavelength_row].split("\t") if f.strip()]
    if has_wavelength_row and len(quantity) > 1:
        notes.append(f"intensity is '{quantity[1]}'.")
    if meta_rows:
        notes.append(
            "per-spectrum rows kept as metadata, not used as spectra: "
            + ", ".join(f"'{k}'" for k in meta_rows)
            + "."
        )
    timestamp = parse_timestamp(f"{date_text} {clock[0]}") if date_text else None
    return ParsedSpectra(
        wavelength_nm=table.values[:, 0],
        intensity=table.values[:, 1:].T,
        line_numbers=table.line_numbers,
        fmt="a transposed time series",
        axis=elapsed_h,
        axis_name="time",
        axis_unit="h",
        notes=tuple(notes),
        metadata=metadata,
        timestamp=timestamp,
    )


#: Parser for each key :func:`detect_format` returns.
INSTRUMENT_FORMATS = {
    "spectrasuite": parse_spectrasuite,
    "oceanview": parse_oceanview,
    "spectrawiz": parse_spectrawiz,
    "avantes": parse_avantes,
    "spectrawin": parse_spectrawin,
    "transposed": parse_transposed_series,
}


def parse_instrument(text: str, name: str) -> ParsedSpectra | None:
    """Parse ``text`` if it is a known instrument export, else return None."""
    key = detect_format(text)
    if key is None:
        return None
    return INSTRUMENT_FORMATS[key](text, name)
