"""
Read current-voltage-luminance (J-V-L, optionally EQE) sweeps.

A sweep file holds a voltage column, a current or current-density column and
a luminance column, often with EQE, current-efficiency and power-efficiency
columns the rig computed itself, and a ``key: value`` preamble that may give
the device area (``Area (mm2) : 10.00``, read by :mod:`core.io.preamble`).
The reader recognises the columns from their headers
(:func:`core.io.columns.identify_column`), converts them to V, mA/cm² and
cd/m², and says in :attr:`JVLSweep.notes` everything it did: rows dropped for
NaN/Inf, columns it did not use, where the area came from.
"""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from core.errors import InputError
from core.io.columns import ColumnSpec, identify_column
from core.io.excel import is_workbook, workbook_text
from core.io.messages import format_line_numbers
from core.io.preamble import area_from_preamble_cm2
from core.io.text import NumericTable, read_numeric_table
from core.models import JVLSweep

__all__ = ["read_jvl", "area_from_preamble_cm2", "format_line_numbers"]

# Quantities the reader reports as "not used" rather than silently ignoring.
_RECOMPUTED = {
    "current_efficiency": "current efficiency",
    "power_efficiency": "power efficiency",
}
_EXAMPLE_HEADERS = {
    "voltage": "Voltage (V)",
    "current": "Current (mA)",
    "current_density": "J (mA/cm2)",
    "luminance": "L (cd/m2)",
    "eqe": "EQE (%)",
}


def _describe_columns(table: NumericTable, specs) -> str:
    parts = []
    for index, spec in enumerate(specs):
        label = table.header[index] or f"column {index + 1}"
        kind = spec.quantity.replace("_", " ") if spec.quantity else "not recognised"
        parts.append(f"'{label}' ({kind})")
    return ", ".join(parts)


def _unit_error(table: NumericTable, index: int, spec, expected: str) -> InputError:
    where = table.column_description(index)
    found = f"unit '{spec.unit}'" if spec.unit else "no unit"
    return InputError(
        f"{table.name}: {where} looks like {spec.quantity.replace('_', ' ')} but "
        f"has {found}; expected {expected}. Put the unit in the header, e.g. "
        f"'{_EXAMPLE_HEADERS.get(spec.quantity, spec.quantity)}'.",
        source=table.name,
        column=table.header[index] or index + 1,
    )


class _Columns:
    """The table's columns by quantity (the first of each), converted on demand."""

    def __init__(self, table: NumericTable) -> None:
        self.table = table
        self.specs: list[ColumnSpec] = [identify_column(h) for h in table.header]
        self.found: dict[str, int] = {}
        self.duplicates: list[int] = []
        self.notes: list[str] = []
        for index, spec in enumerate(self.specs):
            if spec.quantity is None:
                continue
            if spec.quantity in self.found:
                self.duplicates.append(index)
                first = self.found[spec.quantity]
                self.notes.append(
                    f"{table.column_description(index)} also looks like "
                    f"{spec.quantity.replace('_', ' ')}; "
                    f"{table.column_description(first)} was used."
                )
                continue
            self.found[spec.quantity] = index

    def __contains__(self, quantity: str) -> bool:
        return quantity in self.found

    def describe(self, quantity: str) -> str:
        return self.table.column_description(self.found[quantity])

    def values(self, quantity: str, expected: str) -> np.ndarray:
        """The column in the internal unit; an error naming ``expected`` units."""
        index = self.found[quantity]
        spec = self.specs[index]
        if spec.factor is None:
            raise _unit_error(self.table, index, spec, expected)
        return self.table.values[:, index] * spec.factor


def _check_required(columns: _Columns, name: str) -> None:
    table = columns.table
    missing = [q for q in ("voltage", "luminance") if q not in columns]
    if not missing:
        return
    if not any(table.header):
        found = f"{table.values.shape[1]} columns without a header"
    else:
        found = _describe_columns(table, columns.specs)
    wanted = " and ".join(
        f"a {q} column (e.g. '{_EXAMPLE_HEADERS[q]}')" for q in missing
    )
    raise InputError(
        f"{name}: expected {wanted}, but found {found}. "
        "Name the columns in a header line above the numbers.",
        source=name,
        line=table.header_line,
    )


def _area(table: NumericTable, area_cm2: float | None) -> tuple[float | None, list]:
    """The area given by the user, else the preamble's, with notes."""
    preamble_area, area_note = area_from_preamble_cm2(
        table.preamble, table.decimal_comma
    )
    if area_cm2 is not None:
        notes = [f"device area {area_cm2:.4g} cm² given by the user"]
        if preamble_area is not None and not np.isclose(preamble_area, area_cm2):
            notes.append(
                f"the file's preamble says {preamble_area:.4g} cm²; the area given "
                "by the user was used"
            )
        return area_cm2, notes
    return preamble_area, [area_note] if area_note else []


def _density_and_current(columns: _Columns, area: float | None):
    """J from the J column; the area inferred from I / J when still unknown."""
    current_density = columns.values("current_density", "mA/cm², A/cm² or A/m²")
    if (
        "current" not in columns
        or columns.specs[columns.found["current"]].factor is None
    ):
        return current_density, area, []
    notes = []
    current_ma = columns.values("current", "A or mA")
    ok = np.isfinite(current_ma) & np.isfinite(current_density)
    ok &= np.abs(current_density) > 0
    if area is None and ok.any():
        with np.errstate(over="ignore"):  # extreme values give inf
            inferred = float(np.median(current_ma[ok] / current_density[ok]))
        if np.isfinite(inferred) and inferred > 0:
            area = inferred
            notes.append(
                f"device area {inferred:.4g} cm² inferred from the current "
                "and current-density columns"
            )
    notes.append(
        f"current density taken from {columns.describe('current_density')}; "
        f"{columns.describe('current')} not used"
    )
    return current_density, area, notes


def _current_density(columns: _Columns, area: float | None, name: str, why=None):
    """
    Current density [mA/cm²], the area [cm²] and notes; ``why`` says why a
    preamble area was not used, for the message when one is needed.
    """
    if "current_density" in columns:
        return _density_and_current(columns, area)
    table = columns.table
    if "current" not in columns:
        raise InputError(
            f"{name}: expected a current column (e.g. 'Current (mA)') or a current "
            "density column (e.g. 'J (mA/cm2)'), but found "
            f"{_describe_columns(table, columns.specs)}.",
            source=name,
            line=table.header_line,
        )
    if area is None:
        raise InputError(
            f"{name}: {columns.describe('current')} holds a "
            "current but the file has no current-density column and no device "
            "area in its preamble; enter the device area in cm² (e.g. 0.04) so "
            "the current density can be computed."
            + (f" ({why[0].upper()}{why[1:]}.)" if why else ""),
            source=name,
            column=table.header[columns.found["current"]],
        )
    note = (
        f"current density = current / {area:.4g} cm² "
        f"(from {columns.describe('current')})"
    )
    return columns.values("current", "A or mA") / area, area, [note]


def _eqe(columns: _Columns) -> tuple[np.ndarray | None, list[str]]:
    if "eqe" not in columns:
        return None, []
    eqe = columns.values("eqe", "%")
    if columns.specs[columns.found["eqe"]].unit == "" and np.nanmax(np.abs(eqe)) <= 1:
        return eqe, [
            f"{columns.describe('eqe')} has no unit and all "
            "values are at most 1; read as percent, check whether they are "
            "fractions"
        ]
    return eqe, []


def _unused(columns: _Columns) -> list[str]:
    """Notes on the columns the sweep does not use."""
    table = columns.table
    notes = [
        f"{columns.describe(quantity)} ({label}) not used: "
        f"{label} is recomputed from J, L and V"
        for quantity, label in _RECOMPUTED.items()
        if quantity in columns
    ]
    used = ("voltage", "luminance", "current_density", "current", "eqe", *_RECOMPUTED)
    handled = set(columns.duplicates) | {columns.found[q] for q in used if q in columns}
    for index, spec in enumerate(columns.specs):
        if index in handled:
            continue
        kind = f" ({spec.quantity.replace('_', ' ')})" if spec.quantity else ""
        notes.append(f"{table.column_description(index)}{kind} not used")
    return notes


def _finite_rows(voltage, current_density, luminance, eqe, lines, name):
    """Rows with a finite V, J and L; EQE NaN/Inf kept as missing; notes."""
    finite = np.isfinite(voltage) & np.isfinite(current_density)
    finite &= np.isfinite(luminance)
    if not finite.any():
        raise InputError(
            f"{name}: no row has a finite voltage, current density and luminance "
            f"(lines {format_line_numbers(lines)}); expected numbers, found only "
            "NaN, Inf or blanks.",
            source=name,
        )
    notes = []
    if not finite.all():
        dropped = lines[~finite]
        notes.append(
            f"{dropped.size} row(s) dropped for NaN/Inf/blank voltage, current "
            f"density or luminance: line(s) {format_line_numbers(dropped)}"
        )
    kept_lines = lines[finite]
    if eqe is not None:
        eqe = eqe[finite]
        bad = ~np.isfinite(eqe)
        if bad.any():
            notes.append(
                f"EQE is NaN/Inf on {int(bad.sum())} row(s) (line(s) "
                f"{format_line_numbers(kept_lines[bad])}); those EQE values are "
                "treated as missing"
            )
            eqe = np.where(bad, np.nan, eqe)
    rows = (voltage[finite], current_density[finite], luminance[finite], eqe)
    return rows, notes


def _shape_notes(voltage: np.ndarray, luminance: np.ndarray) -> list[str]:
    notes = []
    negative = int(np.sum(luminance < 0))
    if negative:
        notes.append(
            f"{negative} row(s) have a negative luminance (meter noise); kept "
            "as written, they lie below any turn-on threshold"
        )
    steps = np.diff(voltage)
    if steps.size and np.any(steps < 0) and np.any(steps > 0):
        notes.append(
            "the voltage goes up and down (forward and reverse sweep?); points "
            "are kept in the order measured"
        )
    return notes


def read_jvl(
    data: bytes | str, name: str, *, area_cm2: float | None = None
) -> JVLSweep:
    """
    Read one J-V-L(-EQE) sweep.

    Parameters
    ----------
    data : bytes or str
        File content: a text table (tab, comma, semicolon or whitespace
        delimited, decimal point or comma) or an ``.xlsx`` workbook (first
        sheet).
    name : str
        File name, used in messages and as the sweep's label (its stem).
    area_cm2 : float, optional
        Device (pixel) area given by the user. [cm²] Needed when the file
        has a current column but no current density and no area in its
        preamble; when given it takes precedence over the preamble.

    Returns
    -------
    JVLSweep
        Voltage [V], current density [mA/cm²], luminance [cd/m²], the file's
        EQE column [%] when it has one, the area [cm²] when known, and
        ``notes`` saying which rows were dropped and which columns were not
        used.

    Raises
    ------
    InputError
        No voltage or luminance column (the message lists the columns found),
        a current column without any device area, an unknown unit, a table
        the text reader rejects, or no row with finite V, J and L.

    Examples
    --------
    >>> text = "V (V)\\tJ (mA/cm2)\\tL (cd/m2)\\n2.0\\t0.1\\t0.5\\n3.0\\t10\\t1000\\n"
    >>> sweep = read_jvl(text.encode(), "pixel1.txt")
    >>> sweep.luminance_cd_m2.tolist()
    [0.5, 1000.0]
    """
    if area_cm2 is not None and not (np.isfinite(area_cm2) and area_cm2 > 0):
        raise InputError(
            f"{name}: the device area must be a positive number in cm², "
            f"got {area_cm2!r}.",
            source=name,
        )
    notes: list[str] = []
    if is_workbook(data):
        data, sheet_note = workbook_text(bytes(data), name, holds="a J-V-L sweep")
        notes.append(sheet_note)
    table = read_numeric_table(data, name, min_columns=2)
    columns = _Columns(table)
    notes.extend(columns.notes)
    _check_required(columns, name)
    voltage = columns.values("voltage", "V or mV")
    luminance = columns.values("luminance", "cd/m² (or nit, kcd/m²)")
    area, area_notes = _area(table, area_cm2)
    why = area_notes[0] if area is None and area_notes else None
    current_density, area, density_notes = _current_density(columns, area, name, why)
    eqe, eqe_notes = _eqe(columns)
    notes += area_notes + density_notes + eqe_notes + _unused(columns)
    (voltage, current_density, luminance, eqe), row_notes = _finite_rows(
        voltage, current_density, luminance, eqe, table.line_numbers, name
    )
    notes += row_notes + _shape_notes(voltage, luminance)
    return JVLSweep(
        voltage_v=voltage,
        current_density_ma_cm2=current_density,
        luminance_cd_m2=luminance,
        eqe_percent=eqe,
        area_cm2=area,
        label=PurePath(name).stem or name,
        source=name,
        notes=tuple(notes),
    )
