"""
Results as records and tables: the CLI's JSON, long and batch tables.

Also the two helpers of the Efficiency page that prepare its sweeps
(:func:`unique_labels`, :func:`sweep_notes`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from core.efficiency.result import POINT_COLUMNS, SUMMARY_KEYS, EfficiencyResult
from core.models import JVLSweep

__all__ = [
    "summary_record",
    "points_table",
    "batch_table",
    "batch_statistics",
    "unique_labels",
    "sweep_notes",
]


def summary_record(result: EfficiencyResult, *, include_points: bool = True) -> dict:
    """
    The result as the JSON-ready dict the CLI prints (NaN -> None).

    Keys: :data:`SUMMARY_KEYS`, ``label``, ``eqe_source``, ``eqe_spectrum``
    (the EQE choice), ``eqe_basis`` (where the EQE comes from, one sentence),
    ``data_warnings`` (``check``, ``points``, ``voltages_v``, ``message`` of
    each broken physical limit), ``points`` (a list of row dicts, when
    ``include_points``) and ``warnings``.
    """
    record: dict = {"label": result.label}
    for key in SUMMARY_KEYS:
        record[key] = _nan_to_none(getattr(result, key))
    record["eqe_source"] = result.eqe_source
    record["eqe_spectrum"] = result.eqe_spectrum
    record["eqe_basis"] = result.eqe_basis
    record["data_warnings"] = [
        {
            "check": w.check,
            "points": list(w.points),
            "voltages_v": list(w.voltages_v),
            "message": w.message,
        }
        for w in result.data_warnings
    ]
    if include_points:
        record["points"] = [
            {k: _nan_to_none(v) for k, v in row.items()}
            for row in result.points.to_dict(orient="records")
        ]
    record["warnings"] = list(result.warnings)
    return record


def points_table(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    The points of several results stacked, with a ``device`` column first.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Long table for overlaid charts and CSV export.
    """
    frames = [r.points.assign(device=r.label) for r in results]
    if not frames:
        return pd.DataFrame(columns=["device", *POINT_COLUMNS])
    table = pd.concat(frames, ignore_index=True)
    return table[["device", *[c for c in table.columns if c != "device"]]]


def batch_table(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    One row per device with its scalar figures of merit.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Columns ``device``, ``eqe_source``, :data:`SUMMARY_KEYS`,
        ``data_problems`` (points that break a physical limit) and
        ``eqe_basis`` (where the EQE comes from).
    """
    rows = [
        {"device": r.label, "eqe_source": r.eqe_source, "eqe_basis": r.eqe_basis}
        | {key: getattr(r, key) for key in SUMMARY_KEYS}
        | {"data_problems": sum(len(w.points) for w in r.data_warnings)}
        for r in results
    ]
    columns = ["device", "eqe_source", *SUMMARY_KEYS, "data_problems", "eqe_basis"]
    return pd.DataFrame(rows, columns=columns)


#: Batch metrics and whether the champion is the largest (True) or smallest.
_BATCH_METRICS = {
    "eqe_max_percent": True,
    "luminance_max_cd_m2": True,
    "turn_on_v": False,
}


def batch_statistics(results: Sequence[EfficiencyResult]) -> pd.DataFrame:
    """
    Device-to-device statistics of peak EQE, peak luminance and turn-on.

    Champion values mislead: a paper's 26.0 % champion sits beside a 22.0 %
    mean over 50 devices. Devices where a metric is NaN are left out of that
    metric and counted in ``n_missing``.

    Parameters
    ----------
    results : sequence of EfficiencyResult

    Returns
    -------
    pandas.DataFrame
        Index ``metric`` (``eqe_max_percent``, ``luminance_max_cd_m2``,
        ``turn_on_v``); columns ``n``, ``n_missing``, ``mean``, ``median``,
        ``std`` (sample, ddof = 1; NaN for one device), ``min``, ``max``,
        ``champion`` (highest EQE and L, lowest turn-on) and
        ``champion_device``.
    """
    table = batch_table(results)
    rows = []
    for metric, higher_is_better in _BATCH_METRICS.items():
        values = table[metric].to_numpy(dtype=float)
        finite = np.isfinite(values)
        row = {
            "metric": metric,
            "n": int(finite.sum()),
            "n_missing": int((~finite).sum()),
        }
        if finite.any():
            kept = values[finite]
            best = int(np.argmax(kept) if higher_is_better else np.argmin(kept))
            row |= {
                "mean": float(kept.mean()),
                "median": float(np.median(kept)),
                "std": float(kept.std(ddof=1)) if kept.size > 1 else math.nan,
                "min": float(kept.min()),
                "max": float(kept.max()),
                "champion": float(kept[best]),
                "champion_device": str(table["device"].to_numpy()[finite][best]),
            }
        else:
            row |= dict.fromkeys(
                ("mean", "median", "std", "min", "max", "champion"), math.nan
            )
            row["champion_device"] = ""
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


# --------------------------------------------------------------------------
# Sweeps of the Efficiency page
# --------------------------------------------------------------------------


def unique_labels(sweeps: Sequence[JVLSweep]) -> dict[str, JVLSweep]:
    """
    Sweeps by label, a repeated label made unique with " (2)" appended.

    Parameters
    ----------
    sweeps : sequence of JVLSweep
        E.g. one per uploaded file, several of them named "pixel 1".

    Returns
    -------
    dict of str to JVLSweep
        In the given order; each sweep's ``label`` is its key.
    """
    unique: dict[str, JVLSweep] = {}
    for sweep in sweeps:
        label = sweep.label
        while label in unique:
            label += " (2)"
        unique[label] = replace(sweep, label=label)
    return unique


def sweep_notes(sweep: JVLSweep) -> list[str]:
    """What the reader did with a sweep's file, and which EL spectrum gave its EQE."""
    notes = list(sweep.notes)
    if sweep.spectrum is not None:
        spectrum_name = sweep.spectrum.label or sweep.spectrum.source
        notes.append(f"EL spectrum used for the EQE: {spectrum_name}")
    return notes


def _nan_to_none(value):
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
