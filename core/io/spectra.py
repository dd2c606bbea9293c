"""
Readers for emission spectra and spectral series.

Two entry points, both returning a :class:`~core.models.SpectralSeries`:

- :func:`read_spectral_series` reads one file holding one or many spectra and
  recognises its layout from the content: a wide table (wavelength column,
  one column per spectrum), a long table (axis, wavelength, intensity), a
  headerless matrix on a wavelength grid given by the user, an instrument
  export (SpectraSuite, OceanView, SpectraWiz, AvaSoft, SpectraWin), a
  transposed time series, or an Excel workbook (by its ``.xlsx`` extension).
- :func:`read_spectra_files` combines several single-spectrum files into one
  series, ordered by a number in the file names, by the time stamps inside
  the files, or as given.

Whatever the layout, the wavelengths are validated the same way
(:mod:`core.io.validation`): values in :data:`WAVELENGTH_RANGE_NM`, rows with
a missing value dropped, at least :data:`MIN_WAVELENGTHS` wavelengths,
ascending order (a descending grid is reversed), no repeated wavelength.
Everything the reader did that changes what the user sees is written to
``SpectralSeries.notes``.

Where the steps live: :mod:`core.io.dispatch` (which parser),
:mod:`core.io.instruments` (instrument exports), :mod:`core.io.tables` and
:mod:`core.io.long_table` (plain tables), :mod:`core.io.excel` (workbooks),
:mod:`core.io.axis` (the series axis), :mod:`core.io.dark` (dark
subtraction), :mod:`core.io.series` (several files).
"""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from core.errors import InputError
from core.io.axis import check_axis_name, final_axis
from core.io.dark import subtract_dark
from core.io.dispatch import parse_file
from core.io.quantity import QUANTITY_CHOICES, apply_quantity, check_choice
from core.io.series import read_spectra_files
from core.io.validation import MIN_WAVELENGTHS, WAVELENGTH_RANGE_NM, validated
from core.models import SpectralSeries

__all__ = [
    "wavelength_grid",
    "WAVELENGTH_RANGE_NM",
    "MIN_WAVELENGTHS",
    "QUANTITY_CHOICES",
    "read_spectral_series",
    "read_spectra_files",
]


def _series(parsed, wavelength, intensity, notes, name, axis_name, axis_unit, values):
    """The validated spectra with their final axis, as a SpectralSeries.

    ``intensity`` is ``(values, quantity, unit)``.
    """
    intensity, quantity, unit = intensity
    axis, final_name, final_unit, axis_notes = final_axis(
        intensity.shape[0],
        name,
        parsed.axis,
        parsed.axis_name,
        parsed.axis_unit,
        axis_name,
        axis_unit,
        values,
    )
    return SpectralSeries(
        wavelength_nm=wavelength,
        intensity=intensity,
        axis=axis,
        axis_name=final_name,
        axis_unit=final_unit,
        label=PurePath(name).stem,
        source=name,
        notes=tuple(notes + axis_notes),
        intensity_quantity=quantity,
        intensity_unit=unit,
    )


def read_spectral_series(
    data: bytes,
    name: str,
    *,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    wavelength_nm=None,
    axis_values=None,
    dark: bytes | None = None,
    dark_name: str | None = None,
    sheet=None,
    cells: str | None = None,
    spectral_quantity: str = "auto",
) -> SpectralSeries:
    """
    Read one file holding one spectrum or a series of spectra.

    The layout (module docstring) is recognised from the content, not the
    extension (except ``.xlsx``).

    Parameters
    ----------
    data : bytes
        File content.
    name : str
        File name: in messages, as ``source`` and (stem) as ``label``.
    axis_name : str, optional
        Series axis, one of :data:`core.models.AXIS_NAMES`, when the file does
        not say (e.g. headers ``0, 0.5, 1``) or to relabel the axis.
    axis_unit : str, optional
        Unit of the axis (file values converted to it; default h, V, mA/cm²).
    wavelength_nm : array_like, optional
        (W,) grid of a headerless matrix (``np.arange(380, 780.5, 0.5)``);
        ignored, with a note, when the file has its own wavelengths. [nm]
    axis_values : array_like, optional
        (N,) axis value of each spectrum (e.g. the voltages of the matching
        J-V-L file), after all-zero filler columns are dropped.
    dark, dark_name : bytes, str, optional
        A dark spectrum on the same wavelength grid, subtracted from every
        spectrum (the mean of its spectra if it holds several), and its name.
    sheet, cells : optional
        Worksheet (name or 0-based number) and cells (``"H125:I1581"``,
        ``"front!H125:I1581"``, columns ``"H:I"``; wavelength first) of an
        ``.xlsx``. By default the first sheet, else the block found across the
        sheets (:mod:`core.io.sheet_blocks`); the notes say which was read.
    spectral_quantity : {"auto", "energy", "photon", "counts"}
        What the intensities are; ``"auto"`` takes what the file states. Photon
        spectra are converted to power per nm (× hc/λ), with a note.

    Returns
    -------
    SpectralSeries
        Ascending wavelength grid, (N, W) intensities, the axis, their
        quantity, and ``notes`` saying what the reader did (rows dropped, grid
        reversed, dark subtracted, photon spectrum converted, metadata).

    Raises
    ------
    InputError
        Empty, binary or zipped file; text in a number column; fewer than 5
        wavelengths, or outside 150-2600 nm, or repeated; a truncated export;
        axis values, grid or dark not matching the file. Names file and line.

    Examples
    --------
    >>> text = "Wavelength (nm),t = 0 h,t = 1 h\\n" + "".join(
    ...     f"{w},{w - 400},{(w - 400) / 2}\\n" for w in range(500, 510))
    >>> series = read_spectral_series(text.encode(), "drift.csv")
    >>> series.n_spectra, series.axis_name, series.axis.tolist()
    (2, 'time', [0.0, 1.0])
    """
    check_axis_name(axis_name)
    choice = check_choice(spectral_quantity)
    parsed = parse_file(
        data, name, wavelength_nm=wavelength_nm, sheet=sheet, cells=cells
    )
    wavelength, intensity, notes = _spectra(parsed, name, dark, dark_name, choice)
    return _series(
        parsed, wavelength, intensity, notes, name, axis_name, axis_unit, axis_values
    )


def _spectra(parsed, name: str, dark, dark_name, choice: str):
    """Validated wavelengths, (intensity, quantity, unit) after the dark and
    the photon conversion, and the notes."""
    wavelength, intensity, notes = validated(parsed, name)
    if dark is not None:
        intensity, dark_notes = subtract_dark(
            intensity, parsed, dark, dark_name or "(dark file)", wavelength, name
        )
        notes.extend(dark_notes)
    intensity, quantity, unit, quantity_notes = apply_quantity(
        wavelength, intensity, parsed.intensity_quantity, parsed.intensity_unit, choice
    )
    return wavelength, (intensity, quantity, unit), notes + quantity_notes


def wavelength_grid(start_nm: float, stop_nm: float, step_nm: float) -> np.ndarray:
    """
    The wavelength grid of a headerless matrix, from its first, last and step.

    Parameters
    ----------
    start_nm, stop_nm, step_nm : float
        First and last wavelength and the step, as the user gives them. [nm]

    Returns
    -------
    numpy.ndarray
        ``start_nm, start_nm + step_nm, ...`` up to and including ``stop_nm``
        (within half a step). [nm]

    Raises
    ------
    InputError
        When the step is not positive or the range is empty.

    Examples
    --------
    >>> wavelength_grid(380, 780, 0.5).size
    801
    """
    if not (step_nm > 0 and stop_nm > start_nm):
        raise InputError(
            f"Wavelength grid: expected last > first and a positive step, found "
            f"first {start_nm:g} nm, last {stop_nm:g} nm, step {step_nm:g} nm."
        )
    return np.arange(start_nm, stop_nm + step_nm / 2, step_nm)
