"""
The cells of one SI-table row: numbers as text and the footnotes each cell
carries (see :mod:`core.literature.si_table` for the rules).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from core.literature.normalise import device_t50_ref, normalised_t50_h
from core.literature.precision import decimals_of
from core.literature.schema import _blank

# device_line, literature_lines and note_texts serve si_table only.
__all__ = ["BLANK", "SIColumn"]

#: What an empty cell says.
BLANK = "–"


@dataclass(frozen=True)
class SIColumn:
    """
    One column of the SI table.

    Attributes
    ----------
    key : str
        Name used to choose it (``--columns`` on the command line).
    label : str
        Header without the unit ("EL peak").
    unit : str
        Unit as plain text ("nm", "cd m⁻²"; '' for none).
    latex_label, latex_unit : str
        The same in LaTeX.
    """

    key: str
    label: str
    unit: str
    latex_label: str
    latex_unit: str

    @property
    def header(self) -> str:
        """Label with the unit: "EL peak (nm)"."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


#: Decimals of this work's numbers, per table column (T50s: 3 significant).
_DEVICE_DECIMALS = {
    "el_peak_nm": 1,
    "el_fwhm_nm": 1,
    "cie_x": 3,
    "cie_y": 3,
    "eqe_max_percent": 1,
    "luminance_max_cd_m2": 0,
    "turn_on_v": 2,
    "t50_initial_luminance_cd_m2": 0,
}


def _text(row, key: str) -> str:
    """A text cell, '' when absent, blank or NaN."""
    value = row.get(key)
    return "" if value is None or _blank(value) else str(value).strip()


def _number(value) -> float:
    if value is None or _blank(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _fixed(value: float, decimals: float) -> str:
    if not math.isfinite(value):
        return BLANK
    d = 0 if not math.isfinite(decimals) else int(decimals)
    if d < 0:  # "2e3": hundreds not stated, written as the number
        return f"{value:.0f}"
    return f"{value:.{d}f}"


def _significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures, never in e-notation."""
    if not math.isfinite(value):
        return BLANK
    if value == 0:
        return "0"
    places = digits - 1 - math.floor(math.log10(abs(value)))
    return f"{round(value, places):.{max(0, places)}f}"


# --------------------------------------------------------------------------
# Rows of cells
# --------------------------------------------------------------------------


@dataclass
class _Line:
    """One row being built: cell values and the footnote texts of each cell."""

    values: dict
    notes: dict


def _new_line(columns: Sequence[SIColumn]) -> _Line:
    # Notes of every key: a cell filled but not chosen is simply not shown.
    return _Line({c.key: BLANK for c in columns}, defaultdict(list))


def note_texts(reference: float, n: float) -> dict[str, str]:
    """The footnote sentences, by kind."""
    return {
        "normalised": (
            f"Normalised to {reference:g} cd m⁻² with L0^n · T50 = const, "
            f"n = {n:g}: an estimate, the lifetime was measured at another L0."
        ),
        "extrapolated": (
            "Extrapolated beyond the end of the lifetime test (by the authors; "
            "for this work's devices, by the decay model)."
        ),
        "bound": (
            "'>': a lower bound: the test stopped before the luminance fell to 50 %."
        ),
        "beyond cap": (
            "The decay model puts T50 beyond 6 times the test's duration: not "
            "given (docs/methods.md §4a)."
        ),
        "no L0": "T50 reported without its initial luminance L0: not normalised.",
        "synthetic": "Synthetic demo data, not a measurement.",
        "lab": (
            "Entered by the lab (device library), not in the curated table; "
            "values as read by the lab."
        ),
        "user": "From a user's uploaded table, not in the curated table.",
    }


def _t50_cells(line, value_h, qualifier, kind, l0, ref, texts, digits_of_value):
    """T50 and L0 cells of one row."""
    if math.isfinite(value_h):
        text = digits_of_value(value_h)
        line.values["t50"] = f"> {text}" if qualifier == ">" else text
        if qualifier == ">":
            line.notes["t50"].append(texts["bound"])
        if kind == "extrapolated":
            line.notes["t50"].append(texts["extrapolated"])
    elif kind == "beyond cap":
        line.notes["t50"].append(texts["beyond cap"])
    if math.isfinite(l0):
        line.values["t50_l0"] = _fixed(l0, 0)
    elif math.isfinite(value_h):
        line.notes["t50_ref"].append(texts["no L0"])
    value, bound, ref_kind, converted = ref
    shown = value if math.isfinite(value) else bound
    if math.isfinite(shown):
        text = _significant(shown)
        line.values["t50_ref"] = f"> {text}" if math.isfinite(bound) else text
        if converted:
            line.notes["t50_ref"].append(texts["normalised"])
        if ref_kind == "extrapolated" or kind == "extrapolated":
            line.notes["t50_ref"].append(texts["extrapolated"])
        if math.isfinite(bound):
            line.notes["t50_ref"].append(texts["bound"])


def _shift_cell(line, magnitude, qualifier, direction, note):
    if not math.isfinite(magnitude):
        return
    text = f"{qualifier} {magnitude:g}" if qualifier else f"{magnitude:g}"
    if direction in ("red", "blue"):
        text += f" ({direction})"
    line.values["el_shift"] = text
    if note:
        line.notes["el_shift"].append(note)


def _cie_text(x: str, y: str) -> str:
    return BLANK if BLANK in (x, y) else f"({x}, {y})"


def device_line(device: Mapping, columns, reference, n, texts) -> _Line:
    """One of this work's devices, from its :func:`device_summary` dict."""
    line = _new_line(columns)
    name = str(device.get("name") or "this work")
    line.values["device"], line.values["ref"] = name, "this work"
    if device.get("synthetic"):
        line.notes["device"].append(texts["synthetic"])

    _number_cells(line, device, _DEVICE_DECIMALS)
    if device.get("eqe_basis") and line.values["eqe_max"] != BLANK:
        basis = str(device["eqe_basis"]).rstrip(".")
        line.notes["eqe_max"].append(f"{name}: {basis}.")
    t50 = device_t50_ref(device, reference, n)
    _t50_cells(
        line,
        _number(device.get("t50_h")),
        str(device.get("t50_qualifier") or ""),
        str(device.get("t50_kind") or ""),
        _number(device.get("t50_initial_luminance_cd_m2")),
        (t50.value_h, t50.bound_h, t50.kind, t50.converted),
        texts,
        _significant,
    )
    shift = _number(device.get("peak_shift_nm"))
    direction = "red" if shift > 0 else "blue" if shift < 0 else ""
    _shift_cell(
        line,
        round(abs(shift), 1),
        "",
        direction,
        "This work: EL peak shift over the device's EL time series (last minus "
        "first spectrum).",
    )
    return line


def _row_label(row: pd.Series) -> str:
    author = _text(row, "first_author")
    if not author:
        return str(row["record_id"])
    year = row.get("year")
    label = f"{author} et al." + ("" if pd.isna(year) else f" {int(year)}")
    _, dash, suffix = str(row["record_id"]).partition("-")
    return f"{label} ({suffix})" if dash and suffix else label


def _literature_line(row: pd.Series, decimals, ref, columns, texts) -> _Line:
    """One literature row; ``decimals`` maps column -> stated decimals."""
    line = _new_line(columns)
    line.values["device"] = _row_label(row)
    origin = _text(row, "origin") or "curated"
    if origin in ("lab", "user"):
        line.notes["device"].append(texts[origin])

    _number_cells(line, row, decimals)
    _t50_cells(
        line,
        _number(row.get("t50_h")),
        str(row.get("t50_qualifier") or ""),
        str(row.get("t50_kind") or ""),
        _number(row.get("t50_initial_luminance_cd_m2")),
        ref,
        texts,
        lambda value: _fixed(value, decimals["t50_h"]),
    )
    location = ", ".join(
        _text(row, k)
        for k in ("el_shift_kind", "el_shift_condition", "el_shift_location")
        if _text(row, k)
    )
    _shift_cell(
        line,
        _number(row.get("el_shift_nm")),
        _text(row, "el_shift_qualifier"),
        _text(row, "el_shift_direction"),
        f"{_row_label(row)}: EL shift under {location}." if location else "",
    )
    return line


def _number_cells(line, values, decimals) -> None:
    """The numeric cells of a line, each at its stated decimals (blank if absent)."""

    def fixed(key: str) -> str:
        return _fixed(_number(values.get(key)), decimals[key])

    line.values.update(
        el_peak=fixed("el_peak_nm"),
        fwhm=fixed("el_fwhm_nm"),
        cie=_cie_text(fixed("cie_x"), fixed("cie_y")),
        eqe_max=fixed("eqe_max_percent"),
        l_max=fixed("luminance_max_cd_m2"),
        turn_on=fixed("turn_on_v"),
    )


_NUMERIC = (
    "el_peak_nm",
    "el_fwhm_nm",
    "cie_x",
    "cie_y",
    "eqe_max_percent",
    "luminance_max_cd_m2",
    "turn_on_v",
    "t50_h",
)


def literature_lines(rows: pd.DataFrame, columns, reference, n, texts):
    """The lines of the literature rows (a number column the frame lacks is
    blank, so a partial frame works too)."""
    if rows.empty:
        return []
    missing = [
        c for c in (*_NUMERIC, "t50_initial_luminance_cd_m2") if c not in rows.columns
    ]
    rows = rows.assign(**dict.fromkeys(missing, math.nan))
    t50 = normalised_t50_h(rows, reference, n)
    decimals = {key: decimals_of(rows, key) for key in _NUMERIC}
    lines = []
    for position in range(len(rows)):
        ref = t50.iloc[position]
        lines.append(
            _literature_line(
                rows.iloc[position],
                {key: decimals[key][position] for key in _NUMERIC},
                (
                    float(ref["t50_ref_h"]),
                    float(ref["t50_ref_bound_h"]),
                    str(ref["t50_ref_kind"]),
                    bool(ref["t50_ref_converted"]),
                ),
                columns,
                texts,
            )
        )
    return lines
