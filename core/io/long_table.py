"""
Long tables: one row per (axis value, wavelength, intensity).

``time_h, wavelength_nm, counts`` rows, as a LabVIEW loop or a database
export writes them, are pivoted onto one wavelength grid (the first
spectrum's; spectra on a slightly different grid are interpolated onto it).
"""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError
from core.io.columns import header_unit, wavelength_factor
from core.io.messages import listing, plural
from core.io.parsed import ParsedSpectra
from core.io.quantity import header_quantity
from core.io.validation import (
    MIN_WAVELENGTHS,
    WAVELENGTH_RANGE_NM,
    check_range,
    too_few_wavelengths,
)

__all__ = ["long_table", "headerless_long"]

_INTENSITY_HEADER = re.compile(
    r"intens|count|signal|irrad|radian|flux|power|\bel\b|\bpl\b|emission|spectr|"
    r"\bcps\b|a\.?u\.?",
    re.I,
)


def _intensity_column(headers, others: list[int]) -> tuple[int, list[str]]:
    """The intensity column among the others: by its header, else the first."""
    preferred = [j for j in others if _INTENSITY_HEADER.search(headers[j] or "")]
    intensity_col = (preferred or others)[0]
    ignored = [j for j in others if j != intensity_col]
    if not ignored:
        return intensity_col, []
    note = (
        "long table: intensity read from column "
        f"{intensity_col + 1} '{headers[intensity_col]}'; columns "
        + listing(f"{j + 1} '{headers[j]}'" for j in ignored)
        + " were not used."
    )
    return intensity_col, [note]


def _finite_rows(axis, wavelength, intensity, lines):
    """The rows where all three are finite, and the note about the others."""
    finite = np.isfinite(axis) & np.isfinite(wavelength) & np.isfinite(intensity)
    if finite.all():
        return axis, wavelength, intensity, lines, []
    dropped = lines[~finite]
    note = (
        f"dropped {plural(int(dropped.size), 'row')} with a missing, NaN or Inf "
        f"value (lines {listing(dropped)})."
    )
    return axis[finite], wavelength[finite], intensity[finite], lines[finite], [note]


def _spectra(axis, wavelength, intensity, lines, axis_label: str, name: str):
    """
    One (grid, lines, spectrum) per axis value, in file order, each sorted by
    wavelength; and whether any had to be sorted.
    """
    keys, first_index, inverse = np.unique(axis, return_index=True, return_inverse=True)
    # The rows of each key in file order, in one sort (a scan per key is
    # quadratic: 1200 spectra x 1.2 million rows).
    by_key = np.split(
        np.argsort(inverse, kind="stable"), np.cumsum(np.bincount(inverse))[:-1]
    )
    groups = [by_key[k] for k in np.argsort(first_index)]
    ordered_keys = keys[np.argsort(first_index)]
    spectra, reversed_any = [], False
    for key, index in zip(ordered_keys, groups, strict=True):
        order = np.argsort(wavelength[index], kind="stable")
        if not np.array_equal(order, np.arange(index.size)):
            reversed_any = True
        index = index[order]
        grid = wavelength[index]
        repeated = np.flatnonzero(np.diff(grid) == 0)
        if repeated.size:
            k = repeated[0]
            raise InputError(
                f"{name}, line {lines[index[k + 1]]}: wavelength {grid[k]:g} nm "
                f"appears twice for {axis_label} = {key:g} (first at line "
                f"{lines[index[k]]}); expected each wavelength once per spectrum. "
                "Remove the repeated row.",
                source=name,
                line=int(lines[index[k + 1]]),
            )
        if grid.size < MIN_WAVELENGTHS:
            raise InputError(
                f"{name}: the spectrum at {axis_label} = {key:g} has "
                f"{plural(grid.size, 'wavelength')}, expected at least "
                f"{MIN_WAVELENGTHS}; each spectrum of a long table needs its own rows.",
                source=name,
            )
        spectra.append((grid, lines[index], intensity[index]))
    return ordered_keys, spectra, reversed_any


def _on_first_grid(ordered_keys, spectra, axis_label: str, name: str):
    """Every spectrum on the first one's grid; the keys of those interpolated."""
    reference = spectra[0][0]
    step = float(np.median(np.diff(reference)))
    interpolated = []
    rows = []
    for key, (grid, _, spectrum) in zip(ordered_keys, spectra, strict=True):
        if grid.size == reference.size and np.allclose(
            grid, reference, rtol=0, atol=1e-6
        ):
            rows.append(spectrum)
            continue
        if grid[0] > reference[0] + step / 2 or grid[-1] < reference[-1] - step / 2:
            raise InputError(
                f"{name}: the spectrum at {axis_label} = {key:g} covers "
                f"{grid[0]:g}-{grid[-1]:g} nm but the first spectrum covers "
                f"{reference[0]:g}-{reference[-1]:g} nm; a long table needs one "
                "wavelength grid for all spectra (grids that differ slightly are "
                "interpolated). Export the spectra on one grid.",
                source=name,
            )
        rows.append(np.interp(reference, grid, spectrum))
        interpolated.append(f"{key:g}")
    return np.vstack(rows), interpolated


def long_table(
    values, lines, headers, name, wavelength_col, axis_col, axis_quantity
) -> ParsedSpectra:
    """Pivot a long (axis, wavelength, intensity) table onto one grid."""
    others = [j for j in range(values.shape[1]) if j not in (wavelength_col, axis_col)]
    intensity_col, notes = _intensity_column(headers, others)
    quantity, quantity_unit = header_quantity(headers[intensity_col])
    factor, factor_note = wavelength_factor(headers[wavelength_col])
    if factor_note:
        notes.append(factor_note)
    axis, wavelength, intensity, lines, dropped = _finite_rows(
        values[:, axis_col],
        values[:, wavelength_col] * factor,
        values[:, intensity_col],
        lines,
    )
    notes.extend(dropped)
    if wavelength.size == 0:
        raise too_few_wavelengths(name, 0, all_blank=True)
    check_range(wavelength, lines, name)
    axis_label = headers[axis_col] or "axis"
    keys, spectra, reversed_any = _spectra(
        axis, wavelength, intensity, lines, axis_label, name
    )
    if reversed_any:
        notes.append("long table: rows sorted by wavelength within each spectrum.")
    intensity, interpolated = _on_first_grid(keys, spectra, axis_label, name)
    if interpolated:
        notes.append(
            f"long table: {plural(len(interpolated), 'spectrum')} on a slightly "
            f"different wavelength grid ({axis_label} = {listing(interpolated)}) "
            "interpolated linearly onto the grid of the first spectrum."
        )
    notes.insert(
        0,
        f"read as a long table: {plural(intensity.shape[0], 'spectrum')} with "
        f"'{axis_label}' as the axis, wavelengths from column {wavelength_col + 1}.",
    )
    return ParsedSpectra(
        wavelength_nm=spectra[0][0],
        intensity=intensity,
        line_numbers=spectra[0][1],
        fmt="a long table",
        axis=keys.astype(float),
        axis_name=axis_quantity,
        axis_unit=header_unit(headers[axis_col]),
        notes=tuple(notes),
        intensity_quantity=quantity,
        intensity_unit=quantity_unit,
    )


def headerless_long(values: np.ndarray) -> bool:
    """True for 3 columns: a repeating axis, wavelengths, intensities."""
    if values.shape[1] != 3 or values.shape[0] < 2 * MIN_WAVELENGTHS:
        return False
    first = values[:, 0][np.isfinite(values[:, 0])]
    second = values[:, 1][np.isfinite(values[:, 1])]
    if first.size < 2 or second.size < 2:
        return False
    steps = np.diff(first)
    unique = np.unique(first).size
    low, high = WAVELENGTH_RANGE_NM
    return bool(
        (np.all(steps >= 0) or np.all(steps <= 0))
        and 2 <= unique <= first.size // MIN_WAVELENGTHS
        and second.min() >= low
        and second.max() <= high
        and np.unique(second).size < second.size
    )
