"""
Which literature rows go into the SI table: closest N by EL peak, top N by
EQE, rows by id, or a spec string for the command line (:func:`select_rows`).
Filter first with :func:`core.literature.filter_table`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from core.errors import InputError

__all__ = ["closest_by_peak", "rows_by_ids", "select_rows", "top_by_eqe"]


def _positive_count(n, what: str) -> int:
    try:
        count = int(n)
    except (TypeError, ValueError):
        count = -1
    if count < 1 or str(n).strip() != str(count):
        raise InputError(f"{what}: expected a whole number of rows ≥ 1, found {n!r}.")
    return count


def closest_by_peak(rows: pd.DataFrame, peak_nm: float, n: int) -> pd.DataFrame:
    """
    The ``n`` rows whose EL peak is closest to ``peak_nm`` [nm] (rows without
    a peak left out; equal distances in record-id order), closest first.
    """
    n = _positive_count(n, "closest N by EL peak")
    if peak_nm is None or not math.isfinite(float(peak_nm)):
        raise InputError(
            "closest N by EL peak: the device has no EL peak to compare with "
            "(choose top N by EQE, or rows by id)."
        )
    peak = pd.to_numeric(rows["el_peak_nm"], errors="coerce")
    chosen = rows.assign(_distance=(peak - float(peak_nm)).abs()).dropna(
        subset=["_distance"]
    )
    chosen = chosen.sort_values(["_distance", "record_id"], kind="stable")
    return chosen.drop(columns="_distance").head(n)


def top_by_eqe(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` rows of highest maximum EQE (ties in record-id order)."""
    n = _positive_count(n, "top N by EQE")
    eqe = pd.to_numeric(rows["eqe_max_percent"], errors="coerce")
    chosen = rows.assign(_eqe=-eqe).dropna(subset=["_eqe"])
    chosen = chosen.sort_values(["_eqe", "record_id"], kind="stable")
    return chosen.drop(columns="_eqe").head(n)


def rows_by_ids(rows: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """The rows with these record ids, in the order given."""
    ids = [str(i).strip() for i in ids if str(i).strip()]
    known = list(rows["record_id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise InputError(
            f"Record id {unknown[0]!r} is not among the literature rows "
            f"(after the filters); known ids: {', '.join(sorted(known))}.",
            column="record_id",
        )
    return rows.iloc[[known.index(i) for i in ids]]


def select_rows(
    rows: pd.DataFrame, spec: str, *, peak_nm: float | None = None
) -> pd.DataFrame:
    """
    Literature rows by a spec: ``closest:N`` (by EL peak to ``peak_nm``),
    ``top:N`` (by EQE), ``ids:a,b,c`` or ``all``.
    """
    kind, _, argument = str(spec or "").strip().partition(":")
    if kind == "all" and not argument:
        return rows.copy()
    if kind == "closest":
        return closest_by_peak(rows, peak_nm, argument)  # type: ignore[arg-type]
    if kind == "top":
        return top_by_eqe(rows, argument)  # type: ignore[arg-type]
    if kind == "ids":
        return rows_by_ids(rows, argument.split(","))
    raise InputError(
        f"Rows: expected closest:N, top:N, ids:a,b,c or all, found {spec!r}."
    )
