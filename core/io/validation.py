"""
The checks every spectrum goes through, whatever its layout.

Wavelengths in :data:`WAVELENGTH_RANGE_NM`, rows with a missing value
dropped, at least :data:`MIN_WAVELENGTHS` wavelengths, ascending order (a
descending grid is reversed), no repeated wavelength. What was changed is
said in the notes; what cannot be fixed raises an
:class:`~core.errors.InputError` naming the line.
"""

from __future__ import annotations

import numpy as np

from core.errors import InputError
from core.io.messages import listing, plural
from core.io.parsed import ParsedSpectra

__all__ = [
    "WAVELENGTH_RANGE_NM",
    "MIN_WAVELENGTHS",
    "is_grid",
    "is_monotonic",
    "check_range",
    "too_few_wavelengths",
    "validated",
]

#: Wavelengths a spectrometer column may hold. [nm] UV-enhanced silicon arrays
#: (Ocean Optics Maya/HR, Avantes) start at 165-190 nm and extended InGaAs
#: arrays end near 2500 nm; values outside this band are not wavelengths in nm.
WAVELENGTH_RANGE_NM = (150.0, 2600.0)


#: Fewest wavelengths a spectrum may have: fewer cannot give a peak and a width.
MIN_WAVELENGTHS = 5


def is_grid(values: np.ndarray) -> bool:
    """Strictly monotonic, finite and inside :data:`WAVELENGTH_RANGE_NM`."""
    if values.size < 2 or not np.all(np.isfinite(values)):
        return False
    steps = np.diff(values)
    low, high = WAVELENGTH_RANGE_NM
    return bool(
        (np.all(steps > 0) or np.all(steps < 0))
        and values.min() >= low
        and values.max() <= high
    )


def is_monotonic(values: np.ndarray) -> bool:
    """Finite values strictly increasing or strictly decreasing."""
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return False
    steps = np.diff(finite)
    return bool(np.all(steps > 0) or np.all(steps < 0))


def check_range(wavelength: np.ndarray, lines: np.ndarray, name: str) -> None:
    """Raise an InputError naming the first line outside WAVELENGTH_RANGE_NM."""
    finite = np.isfinite(wavelength)
    low, high = WAVELENGTH_RANGE_NM
    outside = finite & ((wavelength < low) | (wavelength > high))
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        values = wavelength[finite]
        raise InputError(
            f"{name}, line {lines[first]}: the first column does not look like "
            f"wavelengths in nm: it holds {values.min():g} to {values.max():g} (line "
            f"{lines[first]}: {wavelength[first]:g}), expected values between "
            f"{low:g} and {high:g} nm. If the file holds no wavelengths, give the "
            "wavelength grid; if they are in µm, say so in the header "
            "('Wavelength (µm)').",
            source=name,
            line=int(lines[first]),
        )


def too_few_wavelengths(name: str, count: int, all_blank: bool = False) -> InputError:
    """The error for a spectrum with fewer than MIN_WAVELENGTHS wavelengths."""
    hint = (
        " If the spectrum is written across one row, transpose it to one "
        "wavelength per row."
        if count == 1
        else ""
    )
    found = plural(count, "wavelength")
    if all_blank:
        found = "0 wavelengths with a value (every row has a blank, NaN or Inf)"
    return InputError(
        f"{name}: found {found}, expected at least {MIN_WAVELENGTHS} (one per "
        f"row, wavelength first).{hint}",
        source=name,
    )


def validated(parsed: ParsedSpectra, name: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Sorted, finite, unique wavelengths and their spectra, with notes."""
    notes = list(parsed.notes)
    wavelength = np.asarray(parsed.wavelength_nm, dtype=float)
    intensity = np.atleast_2d(np.asarray(parsed.intensity, dtype=float))
    lines = np.asarray(parsed.line_numbers)
    source = "the wavelength grid given" if parsed.grid_from_user else name
    if not parsed.grid_from_user:
        check_range(wavelength, lines, name)
    good = np.isfinite(wavelength) & np.all(np.isfinite(intensity), axis=0)
    if not good.all():
        dropped = lines[~good]
        if good.any():
            notes.append(
                f"dropped {plural(int(dropped.size), 'row')} with a missing, NaN or "
                f"Inf value (lines {listing(dropped)})."
            )
        wavelength, intensity, lines = wavelength[good], intensity[:, good], lines[good]
    if wavelength.size < MIN_WAVELENGTHS:
        raise too_few_wavelengths(name, int(wavelength.size), all_blank=not good.any())
    steps = np.diff(wavelength)
    if np.all(steps < 0):
        wavelength, intensity, lines = wavelength[::-1], intensity[:, ::-1], lines[::-1]
        notes.append(
            f"wavelengths were in descending order ({wavelength[-1]:g} to "
            f"{wavelength[0]:g} nm); the rows were reversed to ascending order."
        )
    elif np.any(steps < 0):
        order = np.argsort(wavelength, kind="stable")
        wavelength, intensity, lines = (
            wavelength[order],
            intensity[:, order],
            lines[order],
        )
        notes.append(
            "wavelengths were not in order; the rows were sorted by wavelength."
        )
    repeated = np.flatnonzero(np.diff(wavelength) == 0)
    if repeated.size:
        k = int(repeated[0])
        first, again = sorted((int(lines[k]), int(lines[k + 1])))
        raise InputError(
            f"{source}, line {again}: wavelength {wavelength[k]:g} nm appears again "
            f"(first at line {first}); expected each wavelength once. Remove the "
            "repeated row.",
            source=name,
            line=again,
        )
    return wavelength, intensity, notes
