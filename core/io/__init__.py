"""
Readers: bytes of a user's file -> the containers of :mod:`core.models`.

Every reader raises :class:`~core.errors.InputError` with a sentence naming the
file, the line or column, what was expected and what was found.
"""

from core.io.spectra import read_spectra_files, read_spectral_series, wavelength_grid

__all__ = ["read_spectral_series", "read_spectra_files", "wavelength_grid"]
