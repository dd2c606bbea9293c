"""
Several single-spectrum files -> one spectral series.

Each file is read as by :func:`core.io.spectra.read_spectral_series`; the
files are ordered (by the number in their names, the time stamps inside them,
or as given) and put on one wavelength grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import numpy as np

from core.errors import InputError
from core.io.axis import check_axis_name, final_axis
from core.io.dark import subtract_dark
from core.io.dispatch import parse_file
from core.io.messages import listing
from core.io.quantity import apply_quantity, check_choice
from core.io.validation import MIN_WAVELENGTHS, validated
from core.models import SpectralSeries

__all__ = ["read_spectra_files"]


@dataclass(frozen=True)
class _OneFile:
    name: str
    wavelength_nm: np.ndarray
    intensity: np.ndarray
    notes: tuple[str, ...]
    timestamp: datetime | None
    quantity: str = "unknown"
    unit: str = ""


def _natural_key(text: str) -> tuple:
    parts = re.split(r"(\d+(?:\.\d+)?)", text.lower())
    return tuple(
        (0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts)
    )


def _name_numbers(names: list[str]) -> list[float | None]:
    """
    The number in each file name that varies between the files.

    When every name has the same count of numbers, the last position whose
    value differs between files is used (``run3_t10.txt``, ``run3_t20.txt``
    -> 10, 20); otherwise the last number of each name.
    """
    tokens = [
        [float(t) for t in re.findall(r"\d+(?:\.\d+)?", PurePath(n).stem)]
        for n in names
    ]
    lengths = {len(t) for t in tokens}
    if len(lengths) == 1 and 0 not in lengths and len(names) > 1:
        width = lengths.pop()
        varying = [k for k in range(width) if len({t[k] for t in tokens}) > 1]
        position = varying[-1] if varying else width - 1
        return [t[position] for t in tokens]
    return [t[-1] if t else None for t in tokens]


def _merged_notes(items: list[_OneFile]) -> list[str]:
    by_note: dict[str, list[str]] = {}
    for item in items:
        for note in item.notes:
            by_note.setdefault(note, []).append(item.name)
    merged = []
    for note, names in by_note.items():
        if len(names) == len(items) and len(items) > 1:
            merged.append(f"all {len(items)} files: {note}")
        else:
            merged.append(f"{listing(names, 3)}: {note}")
    return merged


def _series_label(names: list[str]) -> str:
    stems = [PurePath(n).stem for n in names]
    prefix = stems[0]
    for stem in stems[1:]:
        while not stem.startswith(prefix):
            prefix = prefix[:-1]
    prefix = prefix.rstrip(" _-.")
    if len(prefix) >= 2:
        return prefix
    return f"{stems[0]} + {len(stems) - 1} more" if len(stems) > 1 else stems[0]


def _check_arguments(files, order: str, axis_name) -> None:
    check_axis_name(axis_name)
    if not files:
        raise InputError("no spectrum files were given; expected at least one file.")
    if order not in ("name", "timestamp", "given"):
        raise InputError(
            f"order '{order}' is not known; expected 'name', 'timestamp' or 'given'."
        )


def _one_file(
    file_name: str, content: bytes, dark, dark_label: str, options: dict
) -> _OneFile:
    parsed = parse_file(
        content, file_name, sheet=options["sheet"], cells=options["cells"]
    )
    wavelength, intensity, notes = validated(parsed, file_name)
    if intensity.shape[0] != 1:
        raise InputError(
            f"{file_name} holds {intensity.shape[0]} spectra; expected one "
            "spectrum per file when several files are combined. Read that file "
            "on its own as a series.",
            source=file_name,
        )
    if dark is not None:
        intensity, dark_notes = subtract_dark(
            intensity, parsed, dark, dark_label, wavelength, file_name
        )
        notes.extend(dark_notes)
    intensity, quantity, unit, quantity_notes = apply_quantity(
        wavelength,
        intensity,
        parsed.intensity_quantity,
        parsed.intensity_unit,
        options["spectral_quantity"],
    )
    notes.extend(quantity_notes)
    return _OneFile(
        file_name,
        wavelength,
        intensity[0],
        tuple(notes),
        parsed.timestamp,
        quantity,
        unit,
    )


def _common_quantity(items: list[_OneFile]) -> tuple[str, str, list[str]]:
    """The series' intensity quantity and unit: the files' when they agree."""
    kinds = {(item.quantity, item.unit) for item in items}
    if len(kinds) == 1:
        quantity, unit = kinds.pop()
        return quantity, unit, []
    shown = "; ".join(
        f"{item.name}: {item.quantity}" + (f" ({item.unit})" if item.unit else "")
        for item in items[:4]
    )
    return (
        "unknown",
        "",
        [
            f"the files hold different spectral quantities or units ({shown}); "
            "compare their spectra with care."
        ],
    )


def _by_name(items: list[_OneFile], axis_name, axis_values):
    """Files ordered by the number in their names; that number as the axis."""
    numbers = _name_numbers([item.name for item in items])
    if all(n is not None for n in numbers):
        ranked = sorted(
            zip(numbers, items, strict=True),
            key=lambda p: (p[0], _natural_key(p[1].name)),
        )
        items = [item for _, item in ranked]
        numbers = [n for n, _ in ranked]
    else:
        items = sorted(items, key=lambda item: _natural_key(item.name))
        numbers = _name_numbers([item.name for item in items])
    if axis_name in (None, "index") or axis_values is not None:
        notes = ["files ordered by the number in their names (natural sort)."]
        return items, None, None, None, notes
    missing = [item.name for item, n in zip(items, numbers, strict=True) if n is None]
    if missing:
        raise InputError(
            f"{missing[0]}: the file name has no number, so its "
            f"{axis_name.replace('_', ' ')} cannot be taken from it; expected "
            "a number in every file name (e.g. 'spectrum_3.5V.txt'), or "
            "order the files another way.",
            source=missing[0],
        )
    axis = np.array(numbers, dtype=float)
    notes = [
        f"files ordered by the number in their names, used as the "
        f"{axis_name.replace('_', ' ')}."
    ]
    if np.unique(axis).size < axis.size:
        notes.append("some files share the same number in their names.")
    return items, axis, axis_name, None, notes


def _by_timestamp(items: list[_OneFile]):
    """Files ordered by their time stamps; hours since the first as the axis."""
    stamped = [(item.timestamp, item) for item in items if item.timestamp is not None]
    missing = [item.name for item in items if item.timestamp is None]
    if missing:
        raise InputError(
            f"{missing[0]}: no time stamp was found in the file (e.g. a "
            "SpectraSuite or OceanView 'Date:' line); expected one in every file "
            "to order them by time. Order the files by name or as given.",
            source=missing[0],
        )
    stamped.sort(key=lambda pair: pair[0])
    start = stamped[0][0]
    axis = np.array([(stamp - start).total_seconds() / 3600.0 for stamp, _ in stamped])
    items = [item for _, item in stamped]
    notes = [
        f"files ordered by the time stamps in them; time counted from "
        f"{start.isoformat(sep=' ')}."
    ]
    return items, axis, "time", "h", notes


def _ordered(items, order: str, axis_name, axis_values):
    """Items in the final order, the axis the order gives, its name, unit, notes."""
    if order == "name":
        return _by_name(items, axis_name, axis_values)
    if order == "timestamp":
        return _by_timestamp(items)
    return items, None, None, None, ["files kept in the order given."]


def _common_grid(items: list[_OneFile]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The first file's grid (cut to the common range) and every spectrum on it."""
    reference = items[0].wavelength_nm
    same = [
        item.wavelength_nm.size == reference.size
        and np.allclose(item.wavelength_nm, reference, rtol=0, atol=1e-6)
        for item in items
    ]
    if all(same):
        return reference, np.vstack([item.intensity for item in items]), []
    low = max(item.wavelength_nm[0] for item in items)
    high = min(item.wavelength_nm[-1] for item in items)
    grid = reference[(reference >= low - 1e-9) & (reference <= high + 1e-9)]
    if grid.size < MIN_WAVELENGTHS:
        raise InputError(
            "the files share no common wavelength range: "
            + "; ".join(
                f"{item.name} covers {item.wavelength_nm[0]:g}-"
                f"{item.wavelength_nm[-1]:g} nm"
                for item in items[:4]
            )
            + ". Expected spectra of one spectrometer range.",
        )
    intensity = np.vstack(
        [np.interp(grid, item.wavelength_nm, item.intensity) for item in items]
    )
    moved = [item.name for item, s in zip(items, same, strict=True) if not s]
    notes = [
        f"wavelength grids differ: {listing(moved, 3)} interpolated linearly onto "
        f"the grid of {items[0].name}."
    ]
    if grid.size < reference.size:
        notes.append(
            f"grid cut to {grid[0]:g}-{grid[-1]:g} nm, the range every file covers."
        )
    return grid, intensity, notes


def read_spectra_files(
    files: list[tuple[str, bytes]],
    order: str = "name",
    *,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    axis_values=None,
    dark: bytes | None = None,
    dark_name: str | None = None,
    spectral_quantity: str = "auto",
    sheet=None,
    cells: str | None = None,
) -> SpectralSeries:
    """
    Combine several single-spectrum files into one series.

    Each file is read as by :func:`read_spectral_series` (any layout holding
    one spectrum). The series is then ordered and put on one wavelength grid.

    Parameters
    ----------
    files : list of (str, bytes)
        File name and content of each file.
    order : {"name", "timestamp", "given"}
        ``"name"``: by the number in the file names that varies between files
        (natural sort when not every name has one); with ``axis_name`` that
        number becomes the axis value (``spectrum_3V.txt`` -> 3), else the
        axis is the index. ``"timestamp"``: by the recording time inside each
        file (SpectraSuite/OceanView ``Date:`` line, SpectraWin ``Date / Time``);
        the axis is the time since the first spectrum, in h (or ``axis_unit``).
        ``"given"``: the order of ``files``, index axis.
    axis_name, axis_unit : str, optional
        Axis of the series (see ``order``).
    axis_values : array_like, optional
        (N,) axis values in the final order; override everything else.
    dark, dark_name : bytes, str, optional
        Dark spectrum subtracted from every file (same grid), and its name.
    spectral_quantity, sheet, cells : optional
        As for :func:`read_spectral_series`, file by file.

    Returns
    -------
    SpectralSeries
        N = number of files. Files on a different wavelength grid than the
        first (in the final order) are interpolated linearly onto it, over the
        range every file covers; ``notes`` say so and repeat each file's notes.

    Raises
    ------
    InputError
        No files; a file that cannot be read (the message names it); a file
        holding several spectra; ``"timestamp"`` order with a file that has no
        time stamp; axis from names with a name that has no number; files with
        no common wavelength range.
    """
    _check_arguments(files, order, axis_name)
    dark_label = dark_name or "(dark file)"
    options = dict(
        spectral_quantity=check_choice(spectral_quantity), sheet=sheet, cells=cells
    )
    items = [_one_file(n, content, dark, dark_label, options) for n, content in files]
    items, axis, file_axis_name, file_axis_unit, notes = _ordered(
        items, order, axis_name, axis_values
    )
    grid, intensity, grid_notes = _common_grid(items)
    names = [item.name for item in items]
    final = final_axis(
        len(items),
        listing(names, 3),
        axis,
        file_axis_name,
        file_axis_unit,
        axis_name,
        axis_unit,
        axis_values,
    )
    return _assembled(items, grid, intensity, notes + grid_notes, final)


def _assembled(items, grid, intensity, notes: list[str], final) -> SpectralSeries:
    """The series of the ordered files on their common grid."""
    values, name, unit, axis_notes = final
    quantity, intensity_unit, quantity_notes = _common_quantity(items)
    names = [item.name for item in items]
    return SpectralSeries(
        wavelength_nm=grid,
        intensity=intensity,
        axis=values,
        axis_name=name,
        axis_unit=unit,
        label=_series_label(names),
        source=", ".join(names) if len(names) <= 5 else f"{listing(names, 3)} files",
        notes=tuple(notes + quantity_notes + axis_notes + _merged_notes(items)),
        intensity_quantity=quantity,
        intensity_unit=intensity_unit,
    )
