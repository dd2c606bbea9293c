"""
Dark-spectrum subtraction, pixel by pixel on the same wavelength grid.
"""

from __future__ import annotations

import numpy as np

from core.errors import InputError
from core.io.dispatch import parse_file
from core.io.parsed import ParsedSpectra
from core.io.validation import validated

__all__ = ["subtract_dark"]


def _dark_spectrum(
    dark: bytes, dark_name: str, wavelength: np.ndarray, name: str
) -> tuple[np.ndarray, ParsedSpectra, list[str]]:
    parsed = parse_file(dark, dark_name)
    dark_wavelength, dark_intensity, _ = validated(parsed, dark_name)
    notes = []
    if dark_intensity.shape[0] > 1:
        notes.append(
            f"dark file {dark_name} holds {dark_intensity.shape[0]} spectra; their "
            "mean was subtracted."
        )
    if dark_wavelength.size != wavelength.size or not np.allclose(
        dark_wavelength, wavelength, rtol=0, atol=1e-3
    ):
        raise InputError(
            f"the dark spectrum {dark_name} has {dark_wavelength.size} wavelengths "
            f"({dark_wavelength[0]:g}-{dark_wavelength[-1]:g} nm) but {name} has "
            f"{wavelength.size} ({wavelength[0]:g}-{wavelength[-1]:g} nm); expected "
            "the same wavelength grid to subtract it pixel by pixel. Record the dark "
            "with the same spectrometer and settings.",
            source=dark_name,
        )
    return dark_intensity.mean(axis=0), parsed, notes


def subtract_dark(
    intensity, parsed, dark, dark_name, wavelength, name
) -> tuple[np.ndarray, list[str]]:
    """
    ``intensity`` minus the dark spectrum in ``dark`` (the mean of its spectra),
    with notes; a different integration time than ``parsed``'s is noted.

    Raises
    ------
    InputError
        The dark cannot be read, or is on another wavelength grid.
    """
    dark_values, dark_parsed, notes = _dark_spectrum(dark, dark_name, wavelength, name)
    light_ms = parsed.metadata.get("integration_time_ms")
    dark_ms = dark_parsed.metadata.get("integration_time_ms")
    if (
        light_ms is not None
        and dark_ms is not None
        and not np.isclose(light_ms, dark_ms)
    ):
        notes.append(
            f"integration times differ: {light_ms:g} ms for {name}, {dark_ms:g} ms for "
            f"the dark {dark_name}; the dark may not match."
        )
    notes.append(f"dark spectrum {dark_name} subtracted.")
    return intensity - dark_values[None, :], notes
