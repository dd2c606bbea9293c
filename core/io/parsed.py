"""
:class:`ParsedSpectra`: what every spectrum parser hands to validation.

Instrument parsers (:mod:`core.io.instruments`) and the plain-table parsers
(:mod:`core.io.tables`, :mod:`core.io.long_table`) return the numbers as the
file holds them; :mod:`core.io.validation` checks and sorts them and
:mod:`core.io.spectra` builds the :class:`~core.models.SpectralSeries`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

__all__ = ["ParsedSpectra"]


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
    intensity_quantity : str or None
        What the file says the intensity is (``"counts"``, ``"energy"``,
        ``"photon"``, ``"relative"``), None when it does not say
        (:func:`core.io.quantity.header_quantity`).
    intensity_unit : str
        The unit the file gives for it, as written ("" when none).
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
    intensity_quantity: str | None = None
    intensity_unit: str = ""
