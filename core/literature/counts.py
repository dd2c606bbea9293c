"""
What a comparison rests on: how many rows the table has, and per metric how
many rows carry a value (rankable ones, lab ones, and for T50 how each was
obtained), so that the page can say "rests on n rows" and "too few to rank".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.literature.normalise import normalised_t50_h
from core.literature.ranking import MIN_RANK_N

__all__ = ["COUNTED_METRICS", "metric_counts", "row_counts"]

#: The metrics :func:`metric_counts` counts: (name, label, table columns).
COUNTED_METRICS = (
    ("el_peak_nm", "EL peak", ("el_peak_nm",)),
    ("eqe_max_percent", "Maximum EQE", ("eqe_max_percent",)),
    ("luminance_max_cd_m2", "Maximum luminance", ("luminance_max_cd_m2",)),
    ("cie", "CIE x, y", ("cie_x", "cie_y")),
    ("t50_ref_h", "T50 at the reference luminance", ()),
    ("el_shift_nm", "EL shift", ("el_shift_nm",)),
)
#: The counted metrics a device is ranked on (the others are context).
_RANKED = ("eqe_max_percent", "luminance_max_cd_m2", "cie", "t50_ref_h")


def _numeric(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)


def _flag(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows.columns:
        return np.zeros(len(rows), dtype=bool)
    return rows[column].fillna(False).astype(bool).to_numpy()


def _origin(rows: pd.DataFrame) -> np.ndarray:
    if "origin" not in rows.columns:
        return np.full(len(rows), "curated", dtype=object)
    return rows["origin"].fillna("curated").astype(str).to_numpy()


def row_counts(rows: pd.DataFrame) -> dict[str, int]:
    """
    Row counts of a literature table.

    Returns
    -------
    dict
        ``total``, ``curated``, ``lab``, ``user`` (by ``origin``),
        ``rankable``, ``with_t50_and_l0`` (a T50 and its initial luminance),
        ``with_el_shift`` (a spectral-stability value, ``el_shift_nm``) and
        ``with_stability_note`` (a statement in ``spectral_stability_note``).
    """
    origin = _origin(rows)
    note = (
        rows["spectral_stability_note"].fillna("").astype(str).str.strip() != ""
        if "spectral_stability_note" in rows.columns
        else pd.Series(False, index=rows.index)
    )
    t50 = np.isfinite(_numeric(rows, "t50_h"))
    l0 = np.isfinite(_numeric(rows, "t50_initial_luminance_cd_m2"))
    return {
        "total": len(rows),
        "curated": int((origin == "curated").sum()),
        "lab": int((origin == "lab").sum()),
        "user": int((origin == "user").sum()),
        "rankable": int(_flag(rows, "rankable").sum()),
        "with_t50_and_l0": int((t50 & l0).sum()),
        "with_el_shift": int(np.isfinite(_numeric(rows, "el_shift_nm")).sum()),
        "with_stability_note": int(note.sum()),
    }


def metric_counts(
    rows: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    Per metric, the rows a comparison on it rests on.

    Parameters
    ----------
    rows : pandas.DataFrame
        Typed literature rows (as shown: filtered, lab rows included).
    reference_luminance_cd_m2 : float
        Luminance of the T50 comparison. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    pandas.DataFrame
        One row per :data:`COUNTED_METRICS`: ``metric``, ``label``,
        ``n_rows`` (rows with a value; for T50 a value or a ">" bound at the
        reference), ``n_rankable`` (of those, rankable), ``n_lab`` (of
        those, lab rows), ``kinds`` (T50 only: "3 measured, 1 normalised,
        ..."; '' otherwise), ``too_few_to_rank`` (a ranked metric
        with fewer than :data:`MIN_RANK_N` rankable rows) and ``text``
        ("Maximum EQE: rests on 9 rows (9 rankable).").
    """
    rankable = _flag(rows, "rankable")
    lab = _origin(rows) == "lab"
    t50 = normalised_t50_h(rows, reference_luminance_cd_m2, n) if len(rows) else None
    out = []
    for name, label, columns in COUNTED_METRICS:
        kinds = ""
        if name == "t50_ref_h":
            if t50 is None:
                has = np.zeros(0, dtype=bool)
            else:
                value = t50["t50_ref_h"].to_numpy(dtype=float)
                bound = t50["t50_ref_bound_h"].to_numpy(dtype=float)
                has = np.isfinite(value) | np.isfinite(bound)
                counted = t50.loc[has, "t50_ref_kind"].value_counts()
                kinds = ", ".join(f"{count} {kind}" for kind, count in counted.items())
        else:
            has = np.all([np.isfinite(_numeric(rows, c)) for c in columns], axis=0)
            has = np.asarray(has, dtype=bool).reshape(len(rows))
        n_rows, n_rank = int(has.sum()), int((has & rankable).sum())
        n_lab = int((has & lab).sum())
        text = f"{label}: rests on {n_rows} row{'s' * (n_rows != 1)} ({n_rank} rankable"
        text += f", {n_lab} lab" if n_lab else ""
        text += f"; {kinds}" if kinds else ""
        text += ")"
        too_few = name in _RANKED and n_rank < MIN_RANK_N
        if too_few:
            text += f": too few to rank (fewer than {MIN_RANK_N} rankable rows)"
        out.append(
            {
                "metric": name,
                "label": label,
                "n_rows": n_rows,
                "n_rankable": n_rank,
                "n_lab": n_lab,
                "kinds": kinds,
                "too_few_to_rank": too_few,
                "text": text + ".",
            }
        )
    return pd.DataFrame(out)
