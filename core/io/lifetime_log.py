"""
Reader for lifetime logs: luminance (or a photodiode signal) against time.

Layouts accepted (FORMATS.md "Lifetime logs"): a time column in s, min or h; a
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

import io
import math
import re
from dataclasses import replace
from pathlib import PurePath

import numpy as np

from core.errors import InputError
from core.io.columns import identify_column
from core.io.text import NumericTable, check_workbook, read_numeric_table
from core.models import LifetimeLog

__all__ = ["TIME_UNITS", "read_lifetime_log", "read_lifetime_logs"]

#: Time units a user may choose, with the factor to hours.
TIME_UNITS = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0}

# Headers the shared column patterns do not know but a lifetime log uses for a
# relative optical signal (EL intensity in a.u., radiance, counts).
_SIGNAL = re.compile(r"intens|signal|radian|counts|\ba\.?u\.?\b|arb", re.I)
# Preamble keys that give the device area, with the unit in the key.
_AREA_KEY = re.compile(r"area", re.I)
_AREA_UNITS = {"cm2": 1.0, "cm^2": 1.0, "mm2": 0.01, "mm^2": 0.01, "m2": 1e4}
# Preamble keys that give the photodiode's dark reading.
_BACKGROUND_KEY = re.compile(r"background|dark", re.I)


def _label_of(name: str) -> str:
    return PurePath(name).stem or name


def _xlsx_to_text(data: bytes, name: str) -> str:
    """First sheet of an .xlsx workbook as tab-separated text."""
    import pandas as pd

    check_workbook(data, name)
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None)
    except Exception as error:  # openpyxl raises many types for broken files
        raise InputError(
            f"{name} looks like an Excel workbook but could not be opened "
            f"({error.__class__.__name__}); save it again as .xlsx or export the "
            "sheet as CSV.",
            source=name,
        ) from None
    frame = frame.dropna(how="all").dropna(axis=1, how="all")
    return frame.to_csv(sep="\t", index=False, header=False)


def _area_cm2(preamble: dict) -> float | None:
    for key, value in preamble.items():
        if not _AREA_KEY.search(key):
            continue
        match = re.search(r"[\(\[]([^\)\]]*)[\)\]]", key)
        unit = (match.group(1) if match else "cm2").replace(" ", "").lower()
        unit = unit.replace("²", "2")
        factor = _AREA_UNITS.get(unit)
        try:
            number = float(value.replace(",", ".").split()[0])
        except (ValueError, IndexError):
            continue
        if factor is not None and number > 0:
            return number * factor
    return None


def _background(preamble: dict) -> tuple[str, float] | None:
    for key, value in preamble.items():
        if not _BACKGROUND_KEY.search(key):
            continue
        try:
            number = float(value.replace(",", ".").split()[0])
        except (ValueError, IndexError):
            continue
        if math.isfinite(number):
            return key, number
    return None


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


def _line_list(lines: np.ndarray) -> str:
    shown = ", ".join(str(int(v)) for v in lines[:5])
    return shown + (f" and {lines.size - 5} more" if lines.size > 5 else "")


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
    text: bytes | str = data
    if isinstance(data, bytes | bytearray) and bytes(data[:4]) == b"PK\x03\x04":
        text = _xlsx_to_text(bytes(data), name)
    table = read_numeric_table(text, name, min_columns=2)
    notes: list[str] = []
    headerless = not any(h.strip() for h in table.header)
    roles = _roles(table)

    if headerless:
        if time_unit is None:
            raise InputError(
                f"{name} has no header line: expected column names such as "
                "'Time (s)' and 'Luminance (cd/m2)'. Add a header, or choose the "
                "time unit to read column 1 as time and column 2 as a relative "
                "luminance signal.",
                source=name,
            )
        time_col, lum_cols, kind = 0, [1], "signal"
        notes.append(
            f"{name} has no header: column 1 read as time ({time_unit}) and "
            "column 2 as a relative luminance signal."
        )
        extra = list(range(2, table.values.shape[1]))
        roles = {"voltage": [], "current_density": [], "current": [], "other": extra}
    else:
        if not roles["time"]:
            raise InputError(
                f"{name}: no time column was found among "
                f"{', '.join(repr(h) for h in table.header)}; expected a header "
                "such as 'Time (s)', 'Time (min)' or 'time_h'.",
                source=name,
                line=table.header_line,
            )
        time_col = roles["time"][0]
        for kind in ("luminance", "relative_luminance", "photodiode", "signal"):
            if roles[kind]:
                lum_cols = roles[kind]
                break
        else:
            raise InputError(
                f"{name}: no luminance column was found among "
                f"{', '.join(repr(h) for h in table.header)}; expected luminance "
                "('L (cd/m2)'), relative luminance ('L/L0') or a photodiode signal "
                "('PD (V)').",
                source=name,
                line=table.header_line,
            )
        for other_kind in ("luminance", "relative_luminance", "photodiode", "signal"):
            if other_kind != kind:
                for j in roles[other_kind]:
                    notes.append(
                        f"{table.column_description(j)} was not used: the luminance "
                        f"comes from {table.column_description(lum_cols[0])}."
                    )
        for j in roles["time"][1:]:
            notes.append(f"{table.column_description(j)} (a second time) was not used.")

    factor = _time_factor(table, time_col, time_unit, notes)
    time_label = time_unit or identify_column(table.header[time_col]).unit or "h"
    raw_time = table.values[:, time_col]
    finite_time = np.isfinite(raw_time)
    steps = np.diff(raw_time[finite_time])
    if steps.size >= 2 and np.all(steps < 0):
        # A log written newest-first: one run, in reverse order.
        table = replace(
            table, values=table.values[::-1], line_numbers=table.line_numbers[::-1]
        )
        raw_time = table.values[:, time_col]
        finite_time = np.isfinite(raw_time)
        notes.append(
            f"time decreases down {name} (newest reading first): the rows were "
            "read in reverse order."
        )
    _check_time(
        raw_time[finite_time],
        table.line_numbers[finite_time],
        time_label,
        name,
        time_col + 1,
    )

    relative = kind != "luminance"
    area = _area_cm2(table.preamble)
    # Voltage and current columns belong to a log when there is one luminance
    # column, or one of each per luminance column (paired in order).
    paired: dict[str, list[int | None]] = {}
    unmatched: list[int] = []
    for role in ("voltage", "current_density", "current"):
        columns = roles[role]
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
    for j in roles["other"]:
        notes.append(f"{table.column_description(j)} was not recognised and not used.")
    for j in sorted(unmatched):
        notes.append(
            f"{table.column_description(j)} was not used: it cannot be matched to "
            "one luminance column."
        )

    background = _background(table.preamble) if kind == "photodiode" else None
    if background is not None:
        notes.append(
            f"The detector background '{background[0]}' = {background[1]:g} from the "
            "preamble was subtracted from the photodiode signal."
        )

    time_h = raw_time * factor
    logs = []
    for position, lum_col in enumerate(lum_cols):
        log_notes = list(notes)
        desc = table.column_description(lum_col)
        lum_factor = 1.0
        if kind == "luminance":
            lum_factor = identify_column(table.header[lum_col]).factor or 1.0
        signal = table.values[:, lum_col] * lum_factor
        voltage_col = paired["voltage"][position]
        density_col = paired["current_density"][position]
        current_col = paired["current"][position]
        if background is not None:
            signal = signal - background[1]
        keep = np.isfinite(time_h) & np.isfinite(signal)
        dropped = table.line_numbers[~keep]
        if dropped.size:
            log_notes.append(
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
            log_notes.append(
                f"{negative} negative luminance reading(s) kept as measured (noise)."
            )
        log_notes.insert(
            0,
            f"Time from {table.column_description(time_col)} "
            f"({time_label} → h); luminance from {desc}"
            + ("" if not relative else f" ({kind.replace('_', ' ')}, relative)")
            + ".",
        )
        voltage = current_density = None
        if voltage_col is not None:
            voltage = table.values[keep, voltage_col] * (
                identify_column(table.header[voltage_col]).factor or 1.0
            )
            log_notes.append(f"Voltage from {table.column_description(voltage_col)}.")
        if density_col is not None:
            spec = identify_column(table.header[density_col])
            current_density = table.values[keep, density_col] * (spec.factor or 1.0)
            log_notes.append(
                f"Current density from {table.column_description(density_col)}."
            )
        elif current_col is not None:
            spec = identify_column(table.header[current_col])
            if area is not None and spec.factor is not None:
                current_density = table.values[keep, current_col] * spec.factor / area
                log_notes.append(
                    f"Current density = {table.column_description(current_col)} / "
                    f"device area {area:g} cm² (from the preamble)."
                )
            else:
                log_notes.append(
                    f"{table.column_description(current_col)} was not converted to "
                    "current density: the file gives no device area (or the unit "
                    "is unknown)."
                )
        for label, array in (("voltage", voltage), ("current", current_density)):
            if array is not None and not np.all(np.isfinite(array)):
                log_notes.append(
                    f"{int((~np.isfinite(array)).sum())} {label} reading(s) are "
                    "blank or not finite; those rows keep their luminance."
                )
        l0 = None
        if initial_luminance_cd_m2 is not None:
            l0 = float(initial_luminance_cd_m2)
            if relative:
                log_notes.append(f"L0 = {l0:g} cd/m² given by the user.")
            else:
                log_notes.append(
                    f"L0 = {l0:g} cd/m² given by the user is used for conversions; "
                    f"the first reading is {values[0]:g} cd/m²."
                )
        elif relative:
            log_notes.append(
                "Relative data without L0: T-values work on L/L0; conversions to a "
                "reference luminance need L0 in cd/m²."
            )
        first_time = float(time_h[keep][0])
        if first_time != 0:
            log_notes.append(
                f"The first reading is at {first_time / factor:g} {time_label}; "
                "times are kept as written (the test is taken to start at 0)."
            )
        label = _label_of(name)
        if len(lum_cols) > 1:
            label = f"{label} – {table.header[lum_col] or f'column {lum_col + 1}'}"
        logs.append(
            LifetimeLog(
                time_h=time_h[keep],
                luminance_cd_m2=values,
                relative=relative,
                initial_luminance_cd_m2=l0,
                voltage_v=voltage,
                current_density_ma_cm2=current_density,
                label=label,
                source=name,
                notes=tuple(log_notes),
            )
        )
    return tuple(logs)


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
