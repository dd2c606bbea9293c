"""
Readers for the ASCII exports of spectrometer software, one module per family.

Each reader module takes the decoded text of one file and returns a
:class:`ParsedSpectra`: the numbers as the file holds them (not yet sorted or
checked), the line of each wavelength for messages, the metadata worth
keeping and the notes a user should read. :mod:`core.io.spectra` validates
the result and builds the :class:`~core.models.SpectralSeries`. A file no
reader claims is read as a plain table (:mod:`core.io.tables`).

Families (``docs/formats.md``, "Spectra and spectral series"):

- :mod:`~core.io.instruments.ocean`: Ocean Optics SpectraSuite and OceanView.
- :mod:`~core.io.instruments.spectrawin`: Photo Research SpectraWin (PR-6xx/7xx).
- :mod:`~core.io.instruments.avantes`: Avantes AvaSoft.
- :mod:`~core.io.instruments.transposed`: transposed time series (LuQY Pro).
- :mod:`~core.io.instruments.spectrawiz`: StellarNet SpectraWiz.
- :mod:`~core.io.instruments.jaz`: Ocean Optics Jaz (W, D, R, S, P columns).
- :mod:`~core.io.instruments.enlighten`: Wasatch Photonics ENLIGHTEN CSV.
- :mod:`~core.io.instruments.spectrapen`: PSI SpectraPen CSV (unit blocks).
- :mod:`~core.io.instruments.macam`: Macam .DTA (wavelength, value alternate).

Adding a format
---------------
A new format is one new file, its test and one line in :data:`READERS`:

1. ``core/io/instruments/<family>.py`` with ``NAME = "<family>"`` and two
   functions (copy ``avantes.py``, the shortest, as a start):

   - ``detect(text: str) -> float``: how sure the reader is that ``text`` is
     its format, 0..1; 0 when it is not. Look only at the first lines
     (``text[:200_000]``) and score by how specific the signature is: a line
     naming the program 1.0, a section or data marker ~0.9, a layout hint
     (a ``-->`` on line 1, quotes) 0.5-0.8. Every text file goes through
     every ``detect``: keep it cheap and never raise. Present scores:

     ==========  ====================================================  =====
     jaz         ``Jaz ... File`` title / ``W D R S P`` after Begin    1.0 /
                                                                       0.95
     enlighten   ``ENLIGHTEN Version`` / ``Pixel,Wavelength`` header   1.0 /
                                                                       0.9
     ocean       ``SpectraSuite Data File`` / Begin marker / ``Node``  1.0 /
                                                                       0.9 /
                                                                       0.85
     spectrawin  ``[SPECTRAL]`` or ``[HEADER]`` line                   0.95
     spectrapen  ``Irradiance [unit],`` with ``Time,`` and ``[nm],``   0.9
     macam       ``@date`` ``@time`` header, then numbers              0.9
     avantes     ``-->`` on the first line                             0.8
     transposed  a date and clock times on the first line              0.7
     spectrawiz  an unclosed ``"`` on line 1, or a ``: N`` last line   0.6
     ==========  ====================================================  =====
   - ``parse(text: str, name: str) -> ParsedSpectra``: read the numbers with
     :func:`core.io.text.read_numeric_table` (it gives line-precise errors;
     ``start_after``/``stop_markers`` cut the data block, and
     :func:`~core.io.instruments._common.padded_block` keeps line numbers
     right for a block cut by hand), start ``notes`` with
     :func:`~core.io.instruments._common.metadata_note`, say what the
     intensity is when the file states it (``intensity_quantity`` and
     ``intensity_unit`` from :func:`core.io.quantity.header_quantity`; photon
     spectra are converted to power after parsing), put an integration
     time in ``metadata["integration_time_ms"]`` (it is compared with the
     dark's) and a recording time in ``timestamp``. Raise
     :class:`~core.errors.InputError` naming file and line for a truncated or
     inconsistent export.

2. Add the module to :data:`READERS` below (and to the import above it).
3. ``tests/core/io/instruments/test_<family>.py`` (copy ``test_avantes.py``):
   a synthetic file written from the format description, listed in the
   module's ``SAMPLES`` (``test_instrument_registry.py`` checks that your
   reader wins each of them and that no other reader wins yours), tests of
   ``detect``, the numbers, the notes and each error; and the real file from
   ``/work/shared/realdata`` when there is one (``real(name)`` skips when the
   folder is absent).
4. Run ``pytest tests/core/io tests/regression``: the regression snapshots
   must not move (a real file another reader used to read now read by yours
   would show up there).
"""

from __future__ import annotations

from core.io.instruments import (
    avantes,
    enlighten,
    jaz,
    macam,
    ocean,
    spectrapen,
    spectrawin,
    spectrawiz,
    transposed,
)
from core.io.instruments.ocean import parse_oceanview, parse_spectrasuite
from core.io.parsed import ParsedSpectra
from core.io.timestamps import clock_elapsed_h, is_clock_time, parse_timestamp

__all__ = [
    "READERS",
    "ParsedSpectra",
    "detect_format",
    "parse_instrument",
    "parse_timestamp",
    "is_clock_time",
    "clock_elapsed_h",
    "parse_spectrasuite",
    "parse_oceanview",
    "parse_spectrawiz",
    "parse_avantes",
    "parse_spectrawin",
    "parse_transposed_series",
]

#: Every instrument reader; the one whose ``detect`` scores highest parses a
#: file (ties: the first listed). One line per format family.
READERS = (
    jaz,
    enlighten,
    ocean,
    spectrawin,
    spectrapen,
    macam,
    avantes,
    transposed,
    spectrawiz,
)

parse_spectrawiz = spectrawiz.parse
parse_avantes = avantes.parse
parse_spectrawin = spectrawin.parse
parse_transposed_series = transposed.parse


def _best(text: str):
    scores = [(reader.detect(text), -index) for index, reader in enumerate(READERS)]
    score, index = max(scores)
    return READERS[-index] if score > 0 else None


def detect_format(text: str) -> str | None:
    """
    The ``NAME`` of the reader for ``text`` (``"ocean"``, ``"spectrawiz"``,
    ...), or None for a plain table.
    """
    reader = _best(text)
    return reader.NAME if reader is not None else None


def parse_instrument(text: str, name: str) -> ParsedSpectra | None:
    """Parse ``text`` if it is a known instrument export, else return None."""
    reader = _best(text)
    return reader.parse(text, name) if reader is not None else None
