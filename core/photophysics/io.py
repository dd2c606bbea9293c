"""
Readers for the emitter's own data: PL decays, absorbance spectra, the spectra
of an integrating-sphere measurement and temperature series of PL spectra.

Bytes in, containers of :mod:`core.photophysics.models` (or a
:class:`~core.models.SpectralSeries`) out; every problem is an
:class:`~core.errors.InputError` naming the file, line and column. Decay
layouts are in :mod:`core.photophysics.decay_formats`; spectra reuse the
project's spectrum readers (:func:`core.io.read_spectral_series`), so every
spectrometer export they know works here too.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import reduce
from pathlib import PurePath

import numpy as np

from core import units
from core.errors import InputError
from core.io import read_spectra_files, read_spectral_series
from core.io.columns import header_unit
from core.io.text import decode_text, read_numeric_table, split_lines
from core.models import SpectralSeries
from core.photophysics.decay_formats import FORMATS, PARSERS, detect_format
from core.photophysics.models import AbsorbanceSpectrum, DecayCurve, SphereMeasurement

__all__ = [
    "DECAY_FORMATS",
    "TIME_UNITS_NS",
    "MIN_CHANNELS",
    "IRF_LABEL",
    "read_decays",
    "read_decay",
    "split_irf",
    "read_absorbance",
    "read_sphere",
    "read_temperature_series",
]

DECAY_FORMATS = FORMATS

#: Time units of decay exports -> factor to ns (``core.units`` has no ps/fs).
TIME_UNITS_NS = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

#: Fewest histogram channels a decay may have.
MIN_CHANNELS = 20

#: A curve whose label matches this is an instrument response function.
IRF_LABEL = re.compile(r"\b(irf|prompt|instrument|lamp|scatter|ludox)", re.I)

_HC_EV_NM = 1239.841984  # h c / e in eV·nm (scipy.constants, CODATA 2018)


def _time_factor(unit: str, given: str | None, name: str) -> tuple[float, str, str]:
    """(factor to ns, unit used, note) for the file's unit or the caller's."""
    unit = units.normalise_unit(given or unit).replace("µ", "u")
    if not unit:
        return 1.0, "ns", "the file gives no time unit: nanoseconds assumed."
    factor = TIME_UNITS_NS.get(unit)
    if factor is None:
        parsed = units.conversion_factor(unit, "ns", "time")
        if parsed is None:
            raise InputError(
                f"{name}: the time unit '{unit}' is not one of "
                f"{', '.join(TIME_UNITS_NS)}; give the unit of the time column.",
                source=name,
            )
        factor = parsed
    return factor, unit, ""


def _check_time(time: np.ndarray, name: str) -> None:
    if time.size < MIN_CHANNELS:
        raise InputError(
            f"{name}: {time.size} channels; expected a decay histogram with at "
            f"least {MIN_CHANNELS} time channels.",
            source=name,
        )
    if not np.all(np.isfinite(time)):
        raise InputError(f"{name}: a time value is missing or not finite.", source=name)
    steps = np.diff(time)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        raise InputError(
            f"{name}: the time column must increase; channel {bad[0] + 2} "
            f"({time[bad[0] + 1]:g}) is not after channel {bad[0] + 1} "
            f"({time[bad[0]]:g}).",
            source=name,
        )
    step = np.median(steps)
    irregular = np.flatnonzero(np.abs(steps - step) > 0.01 * step + 1e-9)
    if irregular.size:
        k = irregular[0]
        raise InputError(
            f"{name}: expected a uniform TCSPC time grid (one channel width); the "
            f"step between channels {k + 1} and {k + 2} is {steps[k]:g} instead of "
            f"{step:g}.",
            source=name,
        )


def _count_notes(counts: np.ndarray, label: str, name: str) -> list[str]:
    """Negative or missing counts raise; scaled or rounded counts are noted."""
    if not np.all(np.isfinite(counts)):
        index = int(np.flatnonzero(~np.isfinite(counts))[0])
        raise InputError(
            f"{name}: curve '{label}' has a missing count at channel {index + 1}; "
            "expected a number of photons in every channel.",
            source=name,
        )
    if np.any(counts < 0):
        index = int(np.flatnonzero(counts < 0)[0])
        raise InputError(
            f"{name}: curve '{label}' has {counts[index]:g} counts at channel "
            f"{index + 1}; expected photon counts ≥ 0 (raw, not background-"
            "subtracted, histograms).",
            source=name,
        )
    if not np.allclose(counts, np.round(counts)):
        return [
            f"'{label}': the counts are not whole numbers (a normalised or "
            "processed curve?); the Poisson weights and uncertainties assume raw "
            "photon counts."
        ]
    nonzero = np.round(counts[counts > 0]).astype(np.int64)
    common = int(reduce(math.gcd, nonzero.tolist(), 0)) if nonzero.size else 0
    if common > 1:
        return [
            f"'{label}': every count is a multiple of {common} (a scaled or summed "
            "histogram?); Poisson uncertainties assume raw counts, so χ²ᵣ ≈ "
            f"{common} is expected from such a file."
        ]
    return []


def read_decays(
    data: bytes | str, name: str, *, time_unit: str | None = None
) -> list[DecayCurve]:
    """
    Every decay curve of a TCSPC export.

    Parameters
    ----------
    data : bytes or str
        File content (one of :data:`DECAY_FORMATS`).
    name : str
        File name for messages and ``source``.
    time_unit : str, optional
        Unit of the time column when the file does not say (fs, ps, ns, us,
        ms, s); overrides the file.

    Returns
    -------
    list of DecayCurve
        Times converted to ns; the file's curve labels (``IRF`` ones included,
        see :func:`split_irf`).

    Raises
    ------
    InputError
        Unknown layout, text in the counts, negative or missing counts, a time
        axis that does not increase evenly, fewer than :data:`MIN_CHANNELS`
        channels, no curve with counts.
    """
    text = decode_text(data, name) if isinstance(data, bytes) else data
    lines = split_lines(text)
    layout = detect_format(lines)
    time, unit, curves, notes = PARSERS[layout](lines, name)
    factor, unit_used, unit_note = _time_factor(unit, time_unit, name)
    time_ns = np.asarray(time, dtype=float) * factor
    _check_time(time_ns, name)
    curves = [(label, counts) for label, counts in curves if np.nansum(counts) > 0]
    if not curves:
        raise InputError(
            f"{name}: every curve of the file is empty (no counts); expected a "
            "decay histogram.",
            source=name,
        )
    if unit_note:
        notes.append(unit_note)
    elif factor != 1.0:
        notes.append(f"times converted from {unit_used} to ns.")
    result = []
    for label, counts in curves:
        curve_notes = notes + _count_notes(np.asarray(counts, float), label, name)
        result.append(
            DecayCurve(
                time_ns=time_ns,
                counts=counts,
                label=label if len(curves) > 1 else _single_label(label, name),
                source=name,
                notes=tuple(curve_notes),
            )
        )
    return result


def _single_label(label: str, name: str) -> str:
    """A lone curve's label: the file's own name for it, else the file stem."""
    generic = re.fullmatch(r"(curve|block) \d+|counts?|cts|intensity|", label, re.I)
    return re.sub(r"\.[^.]*$", "", PurePath(name).name) if generic else label


def split_irf(curves: list[DecayCurve]) -> tuple[list[DecayCurve], DecayCurve | None]:
    """The decays and, if one curve is labelled so (IRF, prompt...), the IRF."""
    irfs = [c for c in curves if IRF_LABEL.search(c.label)]
    decays = [c for c in curves if not IRF_LABEL.search(c.label)]
    return decays, (irfs[0] if irfs else None)


def read_decay(
    data: bytes | str,
    name: str,
    *,
    time_unit: str | None = None,
    curve: int | str | None = None,
) -> DecayCurve:
    """
    One decay curve of a TCSPC export (see :func:`read_decays`).

    ``curve`` picks it by 0-based number or label; by default the first curve
    that is not an IRF.
    """
    curves = read_decays(data, name, time_unit=time_unit)
    if curve is None:
        decays, irf = split_irf(curves)
        return decays[0] if decays else curves[0]
    if isinstance(curve, int):
        if not 0 <= curve < len(curves):
            raise InputError(
                f"{name}: curve {curve} asked for, the file holds {len(curves)} "
                f"(0 to {len(curves) - 1}).",
                source=name,
            )
        return curves[curve]
    for item in curves:
        if item.label == curve:
            return item
    labels = ", ".join(f"'{c.label}'" for c in curves)
    raise InputError(
        f"{name}: no curve '{curve}'; the file holds {labels}.", source=name
    )


def _energy_or_wavelength(x: np.ndarray, header: str, name: str):
    """Wavelengths in nm from a first column in nm, µm or eV (and a note)."""
    unit = units.normalise_unit(header_unit(header))
    if unit == "ev" or re.search(r"energy|ev\b", header, re.I):
        with np.errstate(divide="ignore"):
            return _HC_EV_NM / x, "photon energies (eV) converted to wavelengths."
    factor = units.factor_to_internal(unit, "wavelength") if unit else None
    if factor not in (None, 1.0):
        return x * factor, f"wavelengths converted from {unit} to nm."
    return x, ""


def _absorbance_from(y: np.ndarray, header: str) -> tuple[np.ndarray, str]:
    """Absorbance from a column of absorbance, %T or T (and a note)."""
    label = header.lower()
    if not re.search(r"%\s*t\b|t\s*%|transmi", label):
        return y, ""
    percent = "%" in label or np.nanmax(y) > 1.5
    transmittance = y / 100.0 if percent else y
    with np.errstate(divide="ignore", invalid="ignore"):
        absorbance = -np.log10(transmittance)
    return absorbance, f"absorbance = −log10(T) from column '{header}'."


def read_absorbance(
    data: bytes | str, name: str, *, column: int = 1
) -> AbsorbanceSpectrum:
    """
    An absorbance spectrum: wavelength (nm, µm or eV) and absorbance columns.

    A column headed ``%T``/``Transmittance`` is converted with A = −log10(T).

    Parameters
    ----------
    data : bytes or str
        File content: a text table (first column wavelength or energy).
    name : str
        File name.
    column : int
        0-based column holding the absorbance (default the second).

    Raises
    ------
    InputError
        Text in a number column, fewer than 10 points, wavelengths outside
        150–2600 nm, a repeated wavelength, a column that does not exist.
    """
    table = read_numeric_table(data, name)
    if column >= table.values.shape[1] or column < 1:
        raise InputError(
            f"{name}: column {column + 1} asked for the absorbance; the table has "
            f"{table.values.shape[1]} columns (the first is the wavelength).",
            source=name,
        )
    header = table.header
    wavelength, note = _energy_or_wavelength(table.values[:, 0], header[0], name)
    absorbance, a_note = _absorbance_from(table.values[:, column], header[column])
    notes = [n for n in (note,) if n]
    if a_note:
        notes.append(a_note)
    keep = np.isfinite(wavelength) & np.isfinite(absorbance)
    if (~keep).any():
        lines = table.line_numbers[~keep]
        notes.append(
            f"{int((~keep).sum())} row(s) without a value dropped (line {lines[0]})."
        )
    wavelength, absorbance = wavelength[keep], absorbance[keep]
    order = np.argsort(wavelength)
    if order[0] != 0:
        notes.append("wavelengths sorted into increasing order.")
    wavelength, absorbance = wavelength[order], absorbance[order]
    _check_spectrum_grid(wavelength, name)
    return AbsorbanceSpectrum(
        wavelength_nm=wavelength,
        absorbance=absorbance,
        label=re.sub(r"\.[^.]*$", "", name),
        source=name,
        notes=tuple(notes),
    )


def _check_spectrum_grid(wavelength: np.ndarray, name: str) -> None:
    if wavelength.size < 10:
        raise InputError(
            f"{name}: {wavelength.size} points; expected a spectrum of at least 10.",
            source=name,
        )
    if wavelength[0] < 150 or wavelength[-1] > 2600:
        raise InputError(
            f"{name}: wavelengths {wavelength[0]:g}–{wavelength[-1]:g} nm; expected "
            "150–2600 nm (is the first column a wavelength in nm or an energy in "
            "eV?).",
            source=name,
        )
    repeated = np.flatnonzero(np.diff(wavelength) == 0)
    if repeated.size:
        raise InputError(
            f"{name}: the wavelength {wavelength[repeated[0]]:g} nm appears twice; "
            "expected one value per wavelength.",
            source=name,
        )


def read_sphere(
    empty: tuple[str, bytes],
    in_beam: tuple[str, bytes],
    out_of_beam: tuple[str, bytes] | None = None,
    *,
    label: str = "",
) -> SphereMeasurement:
    """
    The spectra of an integrating-sphere measurement, on the empty sphere's grid.

    Each file is read by :func:`core.io.read_spectral_series` (any spectrometer
    export it knows, one spectrum per file); the others are interpolated onto
    the grid of the empty-sphere spectrum over the common range.

    Parameters
    ----------
    empty, in_beam, out_of_beam : (str, bytes)
        File name and content of spectra A, C and (three-measurement method) B.
    label : str
        Sample name.

    Raises
    ------
    InputError
        A file that cannot be read, that holds several spectra, or that does
        not overlap the empty sphere's wavelength range.
    """
    roles = [("empty sphere", empty), ("in beam", in_beam)]
    if out_of_beam is not None:
        roles.append(("out of beam", out_of_beam))
    spectra = {}
    for role, (name, content) in roles:
        series = read_spectral_series(content, name)
        if series.n_spectra != 1:
            raise InputError(
                f"{name} ({role}) holds {series.n_spectra} spectra; expected one "
                "spectrum per configuration of the sphere.",
                source=name,
            )
        spectra[role] = (name, series.wavelength_nm, series.intensity[0])
    _, grid, _ = spectra["empty sphere"]
    low = max(s[1][0] for s in spectra.values())
    high = min(s[1][-1] for s in spectra.values())
    keep = (grid >= low) & (grid <= high)
    if keep.sum() < 10:
        raise InputError(
            f"{in_beam[0]}: the sphere spectra share no wavelength range with the "
            f"empty-sphere spectrum {empty[0]}; expected the same spectrometer range.",
            source=in_beam[0],
        )
    grid = grid[keep]
    values = {role: np.interp(grid, wl, y) for role, (_, wl, y) in spectra.items()}
    notes = []
    if not keep.all():
        notes.append(
            f"spectra compared over {grid[0]:g}–{grid[-1]:g} nm (common range)."
        )
    return SphereMeasurement(
        wavelength_nm=grid,
        empty=values["empty sphere"],
        in_beam=values["in beam"],
        out_of_beam=values.get("out of beam"),
        label=label,
        source=", ".join(name for _, (name, _) in roles),
        notes=tuple(notes),
    )


def read_temperature_series(
    files: list[tuple[str, bytes]], temperatures_k=None
) -> SpectralSeries:
    """
    PL spectra at several temperatures, with the axis in kelvin.

    One file holding the series (column headers ``80 K``, ``100 K`` ...) or one
    file per temperature (the number in each name, ``PL_80K.txt``, is the
    temperature), read by the project's series readers; ``temperatures_k``
    overrides both. Temperatures in °C are converted to K.

    Raises
    ------
    InputError
        A file that cannot be read; temperatures neither in the files nor
        given; a temperature at or below 0 K.
    """
    values = None if temperatures_k is None else np.asarray(temperatures_k, float)
    # Kelvin unless the file says otherwise (the readers' default is °C).
    if len(files) == 1:
        series = read_spectral_series(
            files[0][1],
            files[0][0],
            axis_name="temperature",
            axis_unit="K",
            axis_values=values,
        )
    else:
        series = read_spectra_files(
            files,
            order="name",
            axis_name="temperature",
            axis_unit="K",
            axis_values=values,
        )
    return in_kelvin(series, given=values is not None)


def in_kelvin(series: SpectralSeries, *, given: bool = False) -> SpectralSeries:
    """The series with its temperature axis in K (°C converted)."""
    source = series.source or "the spectra"
    if series.axis_name != "temperature" and not given:
        raise InputError(
            f"{source}: the spectra carry no temperatures; expected column headers "
            "like '80 K', file names like 'PL_80K.txt', or the temperatures given "
            "(--temperatures).",
            source=source,
        )
    unit = units.normalise_unit(series.axis_unit)
    axis = np.asarray(series.axis, dtype=float)
    notes = list(series.notes)
    if unit in ("°c", "degc", "c", "celsius"):
        axis = axis + 273.15
        notes = [n for n in notes if "could not be converted" not in n]
        notes.append(f"temperatures converted from {series.axis_unit} to K.")
    if np.any(axis <= 0):
        raise InputError(
            f"{source}: a temperature of {axis.min():g} K; expected temperatures "
            "above 0 K (in K, or in °C when the file says so).",
            source=source,
        )
    return replace(series.with_axis(axis, "temperature", "K"), notes=tuple(notes))
