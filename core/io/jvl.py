"""
Read current-voltage-luminance (J-V-L, optionally EQE) sweeps.

A sweep file holds a voltage column, a current or current-density column and
a luminance column, often with EQE, current-efficiency and power-efficiency
columns the rig computed itself, and a ``key: value`` preamble that may give
the device area (``Area (mm2) : 10.00``). The reader recognises the columns
from their headers (:func:`core.io.columns.identify_column`), converts them to
V, mA/cm² and cd/m², and says in :attr:`JVLSweep.notes` everything it did:
rows dropped for NaN/Inf, columns it did not use, where the area came from.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

import numpy as np

from core.errors import InputError
from core.io.columns import identify_column
from core.io.text import NumericTable, check_workbook, parse_number, read_numeric_table
from core.models import JVLSweep

__all__ = ["read_jvl", "area_from_preamble_cm2", "format_line_numbers"]

# Area units a preamble may use, to cm².
_AREA_FACTORS_CM2 = {
    "cm2": 1.0,
    "mm2": 1e-2,
    "m2": 1e4,
    "um2": 1e-8,
    "µm2": 1e-8,
}
_AREA_UNIT = re.compile(r"(cm|mm|µm|um|m)\s*(?:\^?2|²)", re.I)

# Quantities the reader reports as "not used" rather than silently ignoring.
_RECOMPUTED = {
    "current_efficiency": "current efficiency",
    "power_efficiency": "power efficiency",
}


def format_line_numbers(lines, limit: int = 12) -> str:
    """
    Compact, human-readable list of 1-based line numbers.

    Examples
    --------
    >>> format_line_numbers([3, 4, 5, 9])
    '3-5, 9'
    """
    numbers = sorted(int(n) for n in lines)
    if not numbers:
        return ""
    runs: list[tuple[int, int]] = []
    start = previous = numbers[0]
    for number in numbers[1:]:
        if number == previous + 1:
            previous = number
            continue
        runs.append((start, previous))
        start = previous = number
    runs.append((start, previous))
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    if len(parts) > limit:
        return ", ".join(parts[:limit]) + f" and {len(parts) - limit} more"
    return ", ".join(parts)


def area_from_preamble_cm2(
    preamble: dict, decimal_comma: bool = False
) -> tuple[float | None, str | None]:
    """
    Device area from a file preamble.

    Looks for a key containing ``area`` whose unit (in the key, e.g.
    ``Area (mm2)``, ``Device Area (cm^2)``, or after the value, e.g.
    ``Area: 4 mm2``) is mm², cm², m² or µm².

    Parameters
    ----------
    preamble : dict
        ``key: value`` pairs (:attr:`NumericTable.preamble`).
    decimal_comma : bool
        Parse ``10,00`` as 10.0.

    Returns
    -------
    area_cm2 : float or None
        The area. [cm²]
    note : str or None
        What was found, or why an ``area`` entry could not be used.
    """
    for key, value in preamble.items():
        if "area" not in key.lower():
            continue
        text = str(value).strip()
        number_match = re.match(r"^\s*([+-]?[\d.,]+(?:[eE][+-]?\d+)?)", text)
        number = None
        if number_match:
            number = parse_number(number_match.group(1), decimal_comma=True)
        unit_match = _AREA_UNIT.search(key) or _AREA_UNIT.search(text)
        if number is None or not np.isfinite(number) or number <= 0:
            return None, (
                f"the preamble entry '{key}: {text}' was not used as the device "
                "area: expected a positive number"
            )
        if unit_match is None:
            return None, (
                f"the preamble entry '{key}: {text}' has no unit (mm², cm²); "
                "it was not used as the device area"
            )
        unit = unit_match.group(1).lower().replace("µ", "u") + "2"
        area = number * _AREA_FACTORS_CM2[unit]
        return area, f"device area {area:.4g} cm² read from the preamble ('{key}')"
    return None, None


def _table_from_excel(data: bytes, name: str) -> str:
    """First sheet of an .xlsx workbook as tab-separated text."""
    import pandas as pd

    check_workbook(data, name)
    try:
        frame = pd.read_excel(io.BytesIO(data), header=None, sheet_name=0)
    except Exception as error:  # openpyxl raises many types on bad workbooks
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({error}); expected "
            "an .xlsx file whose first sheet holds the sweep.",
            source=name,
        ) from None
    lines = []
    for row in frame.itertuples(index=False):
        cells = ["" if (isinstance(v, float) and np.isnan(v)) else str(v) for v in row]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines)


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


_EXAMPLE_HEADERS = {
    "voltage": "Voltage (V)",
    "current": "Current (mA)",
    "current_density": "J (mA/cm2)",
    "luminance": "L (cd/m2)",
    "eqe": "EQE (%)",
}


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
    if isinstance(data, bytes) and data[:4] == b"PK\x03\x04":
        data = _table_from_excel(data, name)
    table = read_numeric_table(data, name, min_columns=2)
    specs = [identify_column(label) for label in table.header]
    notes: list[str] = []

    found: dict[str, int] = {}
    duplicates: list[int] = []
    for index, spec in enumerate(specs):
        if spec.quantity is None:
            continue
        if spec.quantity in found:
            duplicates.append(index)
            first = found[spec.quantity]
            notes.append(
                f"{table.column_description(index)} also looks like "
                f"{spec.quantity.replace('_', ' ')}; "
                f"{table.column_description(first)} was used."
            )
            continue
        found[spec.quantity] = index

    missing = [q for q in ("voltage", "luminance") if q not in found]
    if missing:
        if not any(table.header):
            columns = f"{table.values.shape[1]} columns without a header"
        else:
            columns = _describe_columns(table, specs)
        wanted = " and ".join(
            f"a {q} column (e.g. '{_EXAMPLE_HEADERS[q]}')" for q in missing
        )
        raise InputError(
            f"{name}: expected {wanted}, but found {columns}. "
            "Name the columns in a header line above the numbers.",
            source=name,
            line=table.header_line,
        )

    values = table.values
    lines = table.line_numbers

    def column(quantity: str, expected: str) -> np.ndarray:
        index = found[quantity]
        spec = specs[index]
        if spec.factor is None:
            raise _unit_error(table, index, spec, expected)
        return values[:, index] * spec.factor

    voltage = column("voltage", "V or mV")
    luminance = column("luminance", "cd/m² (or nit, kcd/m²)")

    preamble_area, area_note = area_from_preamble_cm2(
        table.preamble, table.decimal_comma
    )
    area = area_cm2
    if area_cm2 is not None:
        notes.append(f"device area {area_cm2:.4g} cm² given by the user")
        if preamble_area is not None and not np.isclose(preamble_area, area_cm2):
            notes.append(
                f"the file's preamble says {preamble_area:.4g} cm²; the area given "
                "by the user was used"
            )
    elif preamble_area is not None:
        area = preamble_area
        notes.append(area_note)
    elif area_note:
        notes.append(area_note)

    if "current_density" in found:
        current_density = column("current_density", "mA/cm², A/cm² or A/m²")
        if "current" in found and specs[found["current"]].factor is not None:
            current_ma = column("current", "A or mA")
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
                f"current density taken from "
                f"{table.column_description(found['current_density'])}; "
                f"{table.column_description(found['current'])} not used"
            )
    elif "current" in found:
        if area is None:
            raise InputError(
                f"{name}: {table.column_description(found['current'])} holds a "
                "current but the file has no current-density column and no device "
                "area in its preamble; enter the device area in cm² (e.g. 0.04) so "
                "the current density can be computed.",
                source=name,
                column=table.header[found["current"]],
            )
        current_density = column("current", "A or mA") / area
        notes.append(
            f"current density = current / {area:.4g} cm² "
            f"(from {table.column_description(found['current'])})"
        )
    else:
        raise InputError(
            f"{name}: expected a current column (e.g. 'Current (mA)') or a current "
            "density column (e.g. 'J (mA/cm2)'), but found "
            f"{_describe_columns(table, specs)}.",
            source=name,
            line=table.header_line,
        )

    eqe = None
    if "eqe" in found:
        eqe = column("eqe", "%")
        if specs[found["eqe"]].unit == "" and np.nanmax(np.abs(eqe)) <= 1.0:
            notes.append(
                f"{table.column_description(found['eqe'])} has no unit and all "
                "values are at most 1; read as percent, check whether they are "
                "fractions"
            )

    for quantity, label in _RECOMPUTED.items():
        if quantity in found:
            notes.append(
                f"{table.column_description(found[quantity])} ({label}) not used: "
                f"{label} is recomputed from J, L and V"
            )
    handled = set(duplicates) | {
        found[q]
        for q in (
            "voltage",
            "luminance",
            "current_density",
            "current",
            "eqe",
            *_RECOMPUTED,
        )
        if q in found
    }
    for index, spec in enumerate(specs):
        if index in handled:
            continue
        kind = f" ({spec.quantity.replace('_', ' ')})" if spec.quantity else ""
        notes.append(f"{table.column_description(index)}{kind} not used")

    finite = np.isfinite(voltage) & np.isfinite(current_density)
    finite &= np.isfinite(luminance)
    if not finite.any():
        raise InputError(
            f"{name}: no row has a finite voltage, current density and luminance "
            f"(lines {format_line_numbers(lines)}); expected numbers, found only "
            "NaN, Inf or blanks.",
            source=name,
        )
    if not finite.all():
        dropped = lines[~finite]
        notes.append(
            f"{dropped.size} row(s) dropped for NaN/Inf/blank voltage, current "
            f"density or luminance: line(s) {format_line_numbers(dropped)}"
        )
    voltage = voltage[finite]
    current_density = current_density[finite]
    luminance = luminance[finite]
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
