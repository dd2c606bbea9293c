"""
Reader for lifetime logs: luminance (or a photodiode signal) against time.

Layouts accepted (docs/formats.md "Lifetime logs"): a time column in s, min or h; a
luminance column in cd/m², a photodiode signal, or relative luminance (L/L0,
fraction or percent); optional voltage and current (mA or A, with the device
area from the preamble) or current density; ``key: value`` preambles such as
the one of the "OLED Lifetime Measurement" program; text or the first sheet
of an Excel ``.xlsx`` workbook. A file with several luminance columns sharing
one time column gives one log per column (one per device or per initial
luminance).

Relative data and photodiode signals are still valid logs (``relative=True``):
T-values work on L/L0 anyway. Only conversions to a reference luminance need
L0, which the user gives (``initial_luminance_cd_m2``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import PurePath

import numpy as np

from core import units
from core.constants import LIFETIME_TIME_UNITS
from core.errors import InputError
from core.io.columns import identify_column
from core.io.excel import is_workbook, workbook_text
from core.io.messages import listing
from core.io.preamble import area_from_preamble_cm2, background_from_preamble
from core.io.text import NumericTable, read_numeric_table
from core.models import LifetimeLog

__all__ = ["TIME_UNITS", "read_lifetime_log", "read_lifetime_logs"]


def _hours_per(unit: str) -> float:
    factor = units.factor_to_internal(unit, "time")
    if factor is None:  # cannot happen for the units below
        raise ValueError(f"'{unit}' is not a time unit")
    return factor


#: Time units a user may choose, with the factor to hours.
TIME_UNITS: dict[str, float] = {unit: _hours_per(unit) for unit in LIFETIME_TIME_UNITS}

# Headers the shared column patterns do not know but a lifetime log uses for a
# relative optical signal (EL intensity in a.u., radiance, counts).
_SIGNAL = re.compile(r"intens|signal|radian|counts|\ba\.?u\.?\b|arb", re.I)
_KINDS = ("luminance", "relative_luminance", "photodiode", "signal")


def _label_of(name: str) -> str:
    return PurePath(name).stem or name


def _line_list(lines: np.ndarray) -> str:
    return listing((int(v) for v in lines), 5)


def _time_factor(table: NumericTable, column: int, time_unit: str | None, notes):
    name = table.name
    spec = identify_column(table.header[column])
    if time_unit is not None:
        if spec.factor is not None and abs(spec.factor - TIME_UNITS[time_unit]) > 1e-15:
            notes.append(
                f"Time read in {time_unit} as chosen, although the header of "
                f"{table.column_description(column)} says '{spec.unit}'."
            )
        return TIME_UNITS[time_unit]
    if spec.factor is None:
        found = f"'{spec.unit}'" if spec.unit else "no unit"
        raise InputError(
            f"{name}, {table.column_description(column)}: expected the time unit "
            f"(s, min or h) in the header, e.g. 'Time (s)'; found {found}. Choose "
            "the time unit.",
            source=name,
            column=column + 1,
        )
    return spec.factor


def _roles(table: NumericTable) -> dict:
    """Column indices by role, from the headers."""
    roles: dict[str, list[int]] = {
        "time": [],
        "luminance": [],
        "relative_luminance": [],
        "photodiode": [],
        "signal": [],
        "voltage": [],
        "current_density": [],
        "current": [],
        "other": [],
    }
    for j, label in enumerate(table.header):
        quantity = identify_column(label).quantity
        if quantity in roles:
            roles[quantity].append(j)
        elif label and _SIGNAL.search(label):
            roles["signal"].append(j)
        else:
            roles["other"].append(j)
    return roles


def _check_time(time: np.ndarray, lines: np.ndarray, unit: str, name: str, column):
    steps = np.diff(time)
    back = np.nonzero(steps < 0)[0]
    if back.size:
        i = int(back[0]) + 1
        raise InputError(
            f"{name}, line {lines[i]}: time goes back from {time[i - 1]:g} {unit} "
            f"(line {lines[i - 1]}) to {time[i]:g} {unit}; expected time that "
            "increases down the file. The file seems to hold several runs (time "
            "restarts): split it into one file per run.",
            source=name,
            line=int(lines[i]),
            column=column,
        )


@dataclass(frozen=True)
class _Layout:
    """Which columns a log file uses, and the notes that apply to every log."""

    table: NumericTable
    time_col: int
    lum_cols: list[int]
    kind: str
    roles: dict
    notes: list[str]

    @property
    def relative(self) -> bool:
        return self.kind != "luminance"


@dataclass(frozen=True)
class _Time:
    """The time column in h, its factor to h and its unit as written."""

    h: np.ndarray
    factor: float
    label: str


@dataclass(frozen=True)
class _Drive:
    """What the voltage and current of each log come from."""

    paired: dict
    area: float | None
    area_note: str | None
    background: tuple[str, float] | None


def _check_arguments(name: str, time_unit, initial_luminance_cd_m2) -> None:
    if time_unit is not None and time_unit not in TIME_UNITS:
        raise InputError(
            f"Time unit '{time_unit}' is not known: expected one of "
            f"{', '.join(TIME_UNITS)}.",
            source=name,
        )
    if initial_luminance_cd_m2 is not None:
        value = float(initial_luminance_cd_m2)
        if not math.isfinite(value) or value <= 0:
            raise InputError(
                f"The initial luminance L0 for {name} is {initial_luminance_cd_m2}; "
                "expected a positive number in cd/m².",
                source=name,
            )


def _headerless_layout(table: NumericTable, time_unit, notes: list[str]) -> _Layout:
    name = table.name
    if time_unit is None:
        raise InputError(
            f"{name} has no header line: expected column names such as "
            "'Time (s)' and 'Luminance (cd/m2)'. Add a header, or choose the "
            "time unit to read column 1 as time and column 2 as a relative "
            "luminance signal.",
            source=name,
        )
    notes.append(
        f"{name} has no header: column 1 read as time ({time_unit}) and "
        "column 2 as a relative luminance signal."
    )
    extra = list(range(2, table.values.shape[1]))
    roles = {"voltage": [], "current_density": [], "current": [], "other": extra}
    return _Layout(table, 0, [1], "signal", roles, notes)


def _layout(table: NumericTable, time_unit, notes: list[str]) -> _Layout:
    """The time column, the luminance column(s) and their kind."""
    name = table.name
    if not any(h.strip() for h in table.header):
        return _headerless_layout(table, time_unit, notes)
    roles = _roles(table)
    found = ", ".join(repr(h) for h in table.header)
    if not roles["time"]:
        raise InputError(
            f"{name}: no time column was found among {found}; expected a header "
            "such as 'Time (s)', 'Time (min)' or 'time_h'.",
            source=name,
            line=table.header_line,
        )
    kind = next((k for k in _KINDS if roles[k]), None)
    if kind is None:
        raise InputError(
            f"{name}: no luminance column was found among {found}; expected "
            "luminance ('L (cd/m2)'), relative luminance ('L/L0') or a photodiode "
            "signal ('PD (V)').",
            source=name,
            line=table.header_line,
        )
    lum_cols = roles[kind]
    for other_kind in _KINDS:
        if other_kind != kind:
            for j in roles[other_kind]:
                notes.append(
                    f"{table.column_description(j)} was not used: the luminance "
                    f"comes from {table.column_description(lum_cols[0])}."
                )
    for j in roles["time"][1:]:
        notes.append(f"{table.column_description(j)} (a second time) was not used.")
    return _Layout(table, roles["time"][0], lum_cols, kind, roles, notes)


def _in_time_order(layout: _Layout, time_label: str) -> _Layout:
    """The rows in time order: a log written newest-first is reversed."""
    table, name = layout.table, layout.table.name
    raw_time = table.values[:, layout.time_col]
    steps = np.diff(raw_time[np.isfinite(raw_time)])
    if steps.size >= 2 and np.all(steps < 0):
        table = replace(
            table, values=table.values[::-1], line_numbers=table.line_numbers[::-1]
        )
        layout.notes.append(
            f"time decreases down {name} (newest reading first): the rows were "
            "read in reverse order."
        )
        layout = replace(layout, table=table)
        raw_time = table.values[:, layout.time_col]
    finite = np.isfinite(raw_time)
    _check_time(
        raw_time[finite],
        table.line_numbers[finite],
        time_label,
        name,
        layout.time_col + 1,
    )
    return layout


def _paired(layout: _Layout) -> dict[str, list[int | None]]:
    """
    Voltage and current columns of each log: they belong to a log when there
    is one luminance column, or one of each per luminance column (paired in
    order). Notes name the columns left over.
    """
    table, lum_cols = layout.table, layout.lum_cols
    paired: dict[str, list[int | None]] = {}
    unmatched: list[int] = []
    for role in ("voltage", "current_density", "current"):
        columns = layout.roles[role]
        if len(lum_cols) == 1:
            paired[role] = [columns[0] if columns else None]
            unmatched += columns[1:]
        elif len(columns) == len(lum_cols):
            paired[role] = list(columns)
        else:
            paired[role] = [None] * len(lum_cols)
            unmatched += columns
    for i, density in enumerate(paired["current_density"]):
        current = paired["current"][i]
        if density is not None and current is not None:
            unmatched.append(current)
            paired["current"][i] = None
    for j in layout.roles["other"]:
        layout.notes.append(
            f"{table.column_description(j)} was not recognised and not used."
        )
    for j in sorted(unmatched):
        layout.notes.append(
            f"{table.column_description(j)} was not used: it cannot be matched to "
            "one luminance column."
        )
    return paired


def _readings(layout: _Layout, lum_col: int, time_h, background):
    """The luminance readings of one column, the rows kept, and notes."""
    table, name = layout.table, layout.table.name
    desc = table.column_description(lum_col)
    lum_factor = 1.0
    if layout.kind == "luminance":
        lum_factor = identify_column(table.header[lum_col]).factor or 1.0
    signal = table.values[:, lum_col] * lum_factor
    if background is not None:
        signal = signal - background[1]
    keep = np.isfinite(time_h) & np.isfinite(signal)
    notes = []
    dropped = table.line_numbers[~keep]
    if dropped.size:
        notes.append(
            f"{dropped.size} row(s) without a number in the time or luminance "
            f"column were dropped (line {_line_list(dropped)})."
        )
    if keep.sum() < 3:
        raise InputError(
            f"{name}, {desc}: expected at least 3 readings with a time and a "
            f"luminance; found {int(keep.sum())}.",
            source=name,
            column=lum_col + 1,
        )
    values = signal[keep]
    if not np.any(values > 0):
        raise InputError(
            f"{name}, {desc}: every reading is zero or negative; expected "
            "luminance above zero.",
            source=name,
            column=lum_col + 1,
        )
    if values[0] <= 0:
        first_line = int(table.line_numbers[keep][0])
        raise InputError(
            f"{name}, line {first_line}, {desc}: the first reading is "
            f"{values[0]:g}; expected a positive initial luminance L0. Remove "
            "the rows recorded before the device was switched on.",
            source=name,
            line=first_line,
            column=lum_col + 1,
        )
    negative = int((values < 0).sum())
    if negative:
        notes.append(
            f"{negative} negative luminance reading(s) kept as measured (noise)."
        )
    return values, keep, notes


def _drive(table: NumericTable, keep, columns: dict, area, area_note):
    """Voltage [V] and current density [mA/cm²] of one log, with notes."""
    notes = []
    voltage = current_density = None
    voltage_col = columns["voltage"]
    density_col, current_col = columns["current_density"], columns["current"]
    if voltage_col is not None:
        voltage = table.values[keep, voltage_col] * (
            identify_column(table.header[voltage_col]).factor or 1.0
        )
        notes.append(f"Voltage from {table.column_description(voltage_col)}.")
    if density_col is not None:
        spec = identify_column(table.header[density_col])
        current_density = table.values[keep, density_col] * (spec.factor or 1.0)
        notes.append(f"Current density from {table.column_description(density_col)}.")
    elif current_col is not None:
        spec = identify_column(table.header[current_col])
        if area is not None and spec.factor is not None:
            current_density = table.values[keep, current_col] * spec.factor / area
            notes.append(
                f"Current density = {table.column_description(current_col)} / "
                f"device area {area:g} cm² (from the preamble)."
            )
        else:
            notes.append(
                f"{table.column_description(current_col)} was not converted to "
                "current density: the file gives no device area (or the unit "
                "is unknown)."
            )
            if area_note:
                notes.append(f"{area_note[0].upper()}{area_note[1:]}.")
    for label, array in (("voltage", voltage), ("current", current_density)):
        if array is not None and not np.all(np.isfinite(array)):
            notes.append(
                f"{int((~np.isfinite(array)).sum())} {label} reading(s) are "
                "blank or not finite; those rows keep their luminance."
            )
    return voltage, current_density, notes


def _l0_notes(l0: float | None, relative: bool, first_reading: float) -> list[str]:
    if l0 is not None and relative:
        return [f"L0 = {l0:g} cd/m² given by the user."]
    if l0 is not None:
        return [
            f"L0 = {l0:g} cd/m² given by the user is used for conversions; "
            f"the first reading is {first_reading:g} cd/m²."
        ]
    if relative:
        return [
            "Relative data without L0: T-values work on L/L0; conversions to a "
            "reference luminance need L0 in cd/m²."
        ]
    return []


def _log(layout: _Layout, position: int, time: _Time, drive: _Drive, l0) -> LifetimeLog:
    """The log of the ``position``-th luminance column."""
    table, lum_col = layout.table, layout.lum_cols[position]
    values, keep, notes = _readings(layout, lum_col, time.h, drive.background)
    first_note = (
        f"Time from {table.column_description(layout.time_col)} "
        f"({time.label} → h); luminance from {table.column_description(lum_col)}"
        + (f" ({layout.kind.replace('_', ' ')}, relative)" if layout.relative else "")
        + "."
    )
    columns = {role: drive.paired[role][position] for role in drive.paired}
    voltage, current_density, drive_notes = _drive(
        table, keep, columns, drive.area, drive.area_note
    )
    notes += drive_notes + _l0_notes(l0, layout.relative, values[0])
    first_time = float(time.h[keep][0])
    if first_time != 0:
        notes.append(
            f"The first reading is at {first_time / time.factor:g} {time.label}; "
            "times are kept as written (the test is taken to start at 0)."
        )
    label = _label_of(table.name)
    if len(layout.lum_cols) > 1:
        label = f"{label} – {table.header[lum_col] or f'column {lum_col + 1}'}"
    return LifetimeLog(
        time_h=time.h[keep],
        luminance_cd_m2=values,
        relative=layout.relative,
        initial_luminance_cd_m2=l0,
        voltage_v=voltage,
        current_density_ma_cm2=current_density,
        label=label,
        source=table.name,
        notes=(first_note, *layout.notes, *notes),
    )


def read_lifetime_logs(
    data: bytes,
    name: str,
    *,
    initial_luminance_cd_m2: float | None = None,
    time_unit: str | None = None,
) -> tuple[LifetimeLog, ...]:
    """
    Read every lifetime log in a file (one per luminance column).

    Parameters
    ----------
    data : bytes
        File content (text, or an .xlsx workbook: first sheet).
    name : str
        File name, for messages and labels.
    initial_luminance_cd_m2 : float, optional
        L0 for relative data or a photodiode signal [cd/m²]. For an absolute
        log it replaces the first reading as the L0 of conversions (noted).
    time_unit : {"s", "min", "h"}, optional
        Unit of the time column when its header does not say, or to override
        it.

    Returns
    -------
    tuple of LifetimeLog
        Time in [h]; luminance in [cd/m²] or relative; voltage [V] and current
        density [mA/cm²] when the file has them. ``notes`` tell what the reader
        did (columns used, rows dropped).

    Raises
    ------
    InputError
        Empty, binary or unreadable file; no time or luminance column; time
        without unit; time that goes back; fewer than 3 readings; a bad
        ``time_unit`` or ``initial_luminance_cd_m2``.
    """
    _check_arguments(name, time_unit, initial_luminance_cd_m2)
    text: bytes | str = data
    notes: list[str] = []
    if is_workbook(data):
        text, sheet_note = workbook_text(bytes(data), name, holds="a lifetime log")
        notes.append(sheet_note)
    table = read_numeric_table(text, name, min_columns=2)
    layout = _layout(table, time_unit, notes)
    factor = _time_factor(table, layout.time_col, time_unit, layout.notes)
    time_label = time_unit or identify_column(table.header[layout.time_col]).unit
    layout = _in_time_order(layout, time_label or "h")
    area, area_note = area_from_preamble_cm2(table.preamble, table.decimal_comma)
    background = None
    if layout.kind == "photodiode":
        background = background_from_preamble(table.preamble)
    drive = _Drive(_paired(layout), area, area_note, background)
    if background is not None:
        layout.notes.append(
            f"The detector background '{background[0]}' = {background[1]:g} from the "
            "preamble was subtracted from the photodiode signal."
        )
    time = _Time(
        layout.table.values[:, layout.time_col] * factor, factor, time_label or "h"
    )
    l0 = None if initial_luminance_cd_m2 is None else float(initial_luminance_cd_m2)
    return tuple(
        _log(layout, position, time, drive, l0)
        for position in range(len(layout.lum_cols))
    )


def read_lifetime_log(
    data: bytes,
    name: str,
    *,
    initial_luminance_cd_m2: float | None = None,
    time_unit: str | None = None,
) -> LifetimeLog:
    """
    Read a lifetime log with one luminance column.

    Parameters and errors as in :func:`read_lifetime_logs`; a file with
    several luminance columns raises an :class:`InputError` that says to read
    it with :func:`read_lifetime_logs` (the app and the CLI do).

    Returns
    -------
    LifetimeLog
    """
    logs = read_lifetime_logs(
        data, name, initial_luminance_cd_m2=initial_luminance_cd_m2, time_unit=time_unit
    )
    if len(logs) > 1:
        labels = ", ".join(f"'{log.label}'" for log in logs)
        raise InputError(
            f"{name} holds {len(logs)} luminance columns ({labels}); expected one. "
            "Upload it to the Lifetime page or give it to `python -m core lifetime`, "
            "which read each column as its own log.",
            source=name,
        )
    return logs[0]
