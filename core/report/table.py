"""
The side-by-side metrics table, and how a table cell and header are shown.

:func:`metrics_table` puts the key figures of every device side by side with
their differences from the control; :func:`format_cell` and
:func:`core.tables.column_label` (re-exported here) are how the HTML and PDF
reports show a value and a column name (the CSV files keep the values and
names as they are).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from core.errors import InputError
from core.report.settings import (
    DEFAULT_SETTINGS,
    SECTIONS,
    DeviceAnalysis,
    ReportSettings,
)
from core.tables import column_label

__all__ = ["metrics_table", "format_cell", "table_cells", "column_label"]

# (section, metric label, unit, getter) for the comparison table.
_Getter = Callable[[DeviceAnalysis], object]


def _first(column: str) -> _Getter:
    """A column's value in the reference spectrum (the first with emission)."""

    def get(a: DeviceAnalysis):
        if a.stability is None:
            return None
        metrics = a.stability.metrics
        reference = metrics.loc[metrics["reference"], column]
        return reference.iloc[0] if len(reference) else None

    return get


def _trend(name: str, field: str) -> _Getter:
    """A field of a trend (peak, fwhm or delta_uv) of the stability result."""
    return lambda a: (
        None if a.stability is None else getattr(getattr(a.stability, name), field)
    )


def _stab(name: str) -> _Getter:
    return lambda a: None if a.stability is None else getattr(a.stability, name)


def _eff(name: str) -> _Getter:
    return lambda a: None if a.efficiency is None else getattr(a.efficiency, name)


def _life(name: str) -> _Getter:
    return lambda a: None if a.lifetime_main is None else getattr(a.lifetime_main, name)


def _outside_percent(a: DeviceAnalysis):
    if a.stability is None:
        return None
    return 100.0 * a.stability.max_outside_fraction


def _left_out(a: DeviceAnalysis):
    if a.stability is None:
        return None
    return int((~a.stability.metrics["included"]).sum())


def _t50_reference(a: DeviceAnalysis):
    result = a.lifetime_main
    if result is None or result.reference is None:
        return None
    return result.reference.value_h


def _percentile(metric: str) -> _Getter:
    """The percentile; with fewer than 5 rows "too few (n = k)" instead."""

    def get(a: DeviceAnalysis):
        if a.rank is None:
            return None
        rows = a.rank.loc[a.rank["metric"] == metric]
        if rows.empty:
            return None
        row = rows.iloc[0]
        if row["status"] == "too few to rank":
            return f"too few to rank (n = {int(row['n_compared'])})"
        return None if pd.isna(row["percentile"]) else float(row["percentile"])

    return get


def _series_axis(a: DeviceAnalysis):
    return None if a.series is None else a.series.axis_label


def _metric_rows(settings: ReportSettings) -> list[tuple[str, str, str, _Getter]]:
    ref = f"{settings.reference_luminance_cd_m2:g}"
    return [
        ("stability", "spectral series", "", _series_axis),
        ("stability", "EL peak (reference spectrum)", "nm", _first("peak_nm")),
        ("stability", "FWHM (reference spectrum)", "nm", _first("fwhm_nm")),
        ("stability", "CIE x (reference spectrum)", "", _first("cie_x")),
        ("stability", "σ of CIE x (noise)", "", _first("cie_x_sd")),
        ("stability", "CIE y (reference spectrum)", "", _first("cie_y")),
        (
            "stability",
            f"dominant wavelength (white point {settings.white_point})",
            "nm",
            _first("dominant_nm"),
        ),
        ("stability", "peak shift, trend", "nm", _trend("peak", "change")),
        ("stability", "its standard error", "nm", _trend("peak", "change_se")),
        ("stability", "peak shift within noise", "", _trend("peak", "within_noise")),
        ("stability", "peak shift, last − reference", "nm", _stab("peak_shift_nm")),
        ("stability", "max |peak shift|", "nm", _stab("max_abs_peak_shift_nm")),
        ("stability", "FWHM change, trend", "nm", _trend("fwhm", "change")),
        ("stability", "FWHM change, last − reference", "nm", _stab("fwhm_change_nm")),
        ("stability", "Δu'v', trend", "", _trend("delta_uv", "change")),
        ("stability", "max Δu'v'", "", _stab("max_delta_u_prime_v_prime")),
        ("stability", "max Δu'v' from noise alone", "",
         _stab("max_delta_u_prime_v_prime_noise")),
        (
            "stability",
            "max emission outside the reference's window",
            "%",
            _outside_percent,
        ),
        ("stability", "second band appears at", "", _stab("second_band_axis")),
        ("stability", "spectra left out", "", _left_out),
        ("efficiency", "maximum EQE", "%", _eff("eqe_max_percent")),
        ("efficiency", "maximum luminance", "cd/m²", _eff("luminance_max_cd_m2")),
        ("efficiency", "turn-on voltage (1 cd/m²)", "V", _eff("turn_on_v")),
        ("efficiency", "maximum current efficiency", "cd/A",
         _eff("current_efficiency_max_cd_a")),
        ("efficiency", "maximum power efficiency", "lm/W",
         _eff("power_efficiency_max_lm_w")),
        ("efficiency", "EQE at 1000 cd/m²", "%", _eff("eqe_at_1000_cd_m2_percent")),
        ("lifetime", "L0 of the test shown", "cd/m²", _life("initial_luminance_cd_m2")),
        ("lifetime", "T95", "h", _life("t95_h")),
        ("lifetime", "T90", "h", _life("t90_h")),
        ("lifetime", "T50", "h", _life("t50_h")),
        ("lifetime", "T50 is", "", _life("t50_kind")),
        (
            "lifetime",
            f"T50 at {ref} cd/m² (n = {settings.acceleration_n:g})",
            "h",
            _t50_reference,
        ),
        ("literature", "EQE percentile among published", "%",
         _percentile("eqe_max_percent")),
        ("literature", "T50 percentile among published", "%", _percentile("t50_ref_h")),
    ]  # fmt: skip


def _plain(value) -> float | str:
    if value is None:
        return np.nan
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else np.nan
    return str(value)


def metrics_table(
    analyses: Sequence[DeviceAnalysis],
    settings: ReportSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """
    Key figures of every device side by side, with differences from the control.

    Parameters
    ----------
    analyses : sequence of DeviceAnalysis
    settings : ReportSettings
        ``reference_device`` names the control (default: the first device).

    Returns
    -------
    pandas.DataFrame
        Columns ``section``, ``metric``, ``unit``, one per device, then
        ``Δ <device> − <control>`` for every other device (numbers only).
        Rows no device has a value for are left out.
    """
    names = [a.device.name for a in analyses]
    reference = settings.reference_device or (names[0] if names else "")
    if names and reference not in names:
        raise InputError(
            f"Reference device '{reference}' is not among the devices: "
            f"{', '.join(names)}."
        )
    rows = []
    for section, label, unit, getter in _metric_rows(settings):
        values = [_plain(getter(a)) for a in analyses]
        if all(isinstance(v, float) and math.isnan(v) for v in values):
            continue
        row: dict[str, float | str] = {
            "section": SECTIONS[section],
            "metric": label,
            "unit": unit,
        }
        row |= dict(zip(names, values, strict=True))
        base = row.get(reference)
        for name in names:
            if name == reference:
                continue
            value = row[name]
            row[f"Δ {name} − {reference}"] = (
                value - base
                if isinstance(value, float) and isinstance(base, float)
                else np.nan
            )
        rows.append(row)
    columns = ["section", "metric", "unit", *names]
    columns += [f"Δ {n} − {reference}" for n in names if n != reference]
    return pd.DataFrame(rows, columns=columns)


def format_cell(value) -> str:
    """A table cell: 4 significant digits, true minus, no exponent for 1e-3..1e6."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value)}".replace("-", "−")
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return "—"
        if value == 0:
            return "0"
        magnitude = math.floor(math.log10(abs(value)))
        if -3 <= magnitude < 6:
            text = f"{value:.{max(0, 3 - magnitude)}f}"
        else:
            text = f"{value:.3e}".replace("e+0", "e").replace("e-0", "e-")
            text = text.replace("e+", "e")
        return text.replace("-", "−")
    if isinstance(value, (list, tuple)):
        return ", ".join(format_cell(v) for v in value)
    return str(value)


def table_cells(frame: pd.DataFrame) -> list[list[str]]:
    """Every cell of a table as text (:func:`format_cell`), row by row."""
    return [[format_cell(v) for v in row] for row in frame.itertuples(index=False)]
