"""
Where a device stands among the rankable literature devices, metric by metric.

References
----------
.. [1] ITU-R BT.2020-2, "Parameter values for ultra-high definition television
   systems", 2015: red primary (x, y) = (0.708, 0.292), taken here from
   colour-science's ``RGB_COLOURSPACE_BT2020``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.colorimetry import BT2020_RED_XY
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.literature.normalise import _user_value, device_t50_ref, normalised_t50_h
from core.literature.precision import decimals_of, half_unit

__all__ = [
    "MIN_RANK_N",
    "RANK_METRICS",
    "RankMetric",
    "cie_distance_to_bt2020_red",
    "rank_device",
    "rank_devices",
]


@dataclass(frozen=True)
class RankMetric:
    """
    One figure of merit a device is ranked on.

    Parameters
    ----------
    name : str
        Column name in the ranking output (and in the table, where it exists).
    label : str
        Human-readable label.
    unit : str
        Unit of the value, '' when dimensionless.
    higher_is_better : bool
        Direction of "better".
    """

    name: str
    label: str
    unit: str
    higher_is_better: bool


#: The metrics :func:`rank_device` ranks on, in output order.
RANK_METRICS: tuple[RankMetric, ...] = (
    RankMetric("eqe_max_percent", "Maximum EQE", "%", True),
    RankMetric("t50_ref_h", "T50 at the reference luminance", "h", True),
    RankMetric("luminance_max_cd_m2", "Maximum luminance", "cd/m²", True),
    RankMetric("cie_distance_bt2020_red", "CIE xy distance to BT.2020 red", "", False),
)


def cie_distance_to_bt2020_red(cie_x, cie_y):
    """
    Euclidean distance in CIE 1931 xy to the BT.2020 red primary.

    Parameters
    ----------
    cie_x, cie_y : array_like
        Chromaticity coordinates. [-]

    Returns
    -------
    numpy.ndarray
        sqrt((x - 0.708)² + (y - 0.292)²). [-]

    Examples
    --------
    >>> float(cie_distance_to_bt2020_red(0.708, 0.292))
    0.0
    """
    x = np.asarray(cie_x, dtype=float)
    y = np.asarray(cie_y, dtype=float)
    return np.hypot(x - BT2020_RED_XY[0], y - BT2020_RED_XY[1])


#: Fewest decided literature devices for a rank and a percentile; below it
#: the compared devices are listed instead ("too few to rank").
MIN_RANK_N = 5

# Relative float slack of a tie, on top of the table's stated precision.
_FLOAT_SLACK = 1e-9


@dataclass(frozen=True)
class _Column:
    """One metric over the literature rows: values, '>' bounds, tie resolution."""

    values: np.ndarray
    bounds: np.ndarray
    resolution: np.ndarray


def _plain_column(rows: pd.DataFrame, name: str) -> _Column:
    values = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)
    return _Column(
        values, np.full(values.shape, np.nan), half_unit(decimals_of(rows, name))
    )


def _cie_column(rows: pd.DataFrame) -> _Column:
    """Distance to BT.2020 red; its resolution from the stated decimals of x, y."""
    x = pd.to_numeric(rows["cie_x"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(rows["cie_y"], errors="coerce").to_numpy(dtype=float)
    distance = np.asarray(cie_distance_to_bt2020_red(x, y), dtype=float)
    hx, hy = (
        half_unit(decimals_of(rows, "cie_x")),
        half_unit(decimals_of(rows, "cie_y")),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = (
            np.abs(x - BT2020_RED_XY[0]) * hx + np.abs(y - BT2020_RED_XY[1]) * hy
        ) / distance
    resolution = np.where(distance > 0, spread, np.hypot(hx, hy))
    return _Column(distance, np.full(distance.shape, np.nan), resolution)


def _literature_metrics(
    rankable: pd.DataFrame, reference_luminance_cd_m2: float, n: float
) -> dict[str, _Column]:
    """Every metric of :data:`RANK_METRICS` for the rankable rows."""
    t50 = normalised_t50_h(rankable, reference_luminance_cd_m2, n)
    return {
        "eqe_max_percent": _plain_column(rankable, "eqe_max_percent"),
        "luminance_max_cd_m2": _plain_column(rankable, "luminance_max_cd_m2"),
        "t50_ref_h": _Column(
            t50["t50_ref_h"].to_numpy(dtype=float),
            t50["t50_ref_bound_h"].to_numpy(dtype=float),
            t50["t50_ref_resolution_h"].to_numpy(dtype=float),
        ),
        "cie_distance_bt2020_red": _cie_column(rankable),
    }


def _device_metrics(
    metrics: Mapping, reference_luminance_cd_m2: float, n: float
) -> dict[str, tuple[float, float, str]]:
    """The device's (value, '>' bound, note) of every metric (NaN when absent)."""
    t50 = device_t50_ref(metrics, reference_luminance_cd_m2, n)
    x, y = _user_value(metrics, "cie_x"), _user_value(metrics, "cie_y")
    return {
        "eqe_max_percent": (_user_value(metrics, "eqe_max_percent"), math.nan, ""),
        "luminance_max_cd_m2": (
            _user_value(metrics, "luminance_max_cd_m2"),
            math.nan,
            "",
        ),
        "t50_ref_h": (t50.value_h, t50.bound_h, t50.note),
        "cie_distance_bt2020_red": (
            float(cie_distance_to_bt2020_red(x, y)),
            math.nan,
            "" if math.isfinite(x) and math.isfinite(y) else "cie_x/cie_y not given",
        ),
    }


def _outcomes(
    metric: RankMetric, value: float, bound: float, column: _Column
) -> np.ndarray:
    """
    Each row against the device: +1 better, 0 equal, −1 worse, NaN undecided
    (or no value).

    Equal: within the row's resolution (half its last stated decimal). A row's
    ">" bound B decides only when B ≥ the device's value (the row is then
    higher); a device's bound D only when a row's value is ≤ D.
    """
    r, b, res = column.values, column.bounds, column.resolution
    higher = np.full(r.shape, np.nan)
    with np.errstate(invalid="ignore"):
        if math.isfinite(value):
            slack = np.nan_to_num(res, nan=0.0) + _FLOAT_SLACK * np.maximum(
                np.abs(r), abs(value)
            )
            exact = np.isfinite(r)
            higher[exact] = np.sign(r[exact] - value)
            higher[exact & (np.abs(r - value) <= slack)] = 0.0
            higher[np.isfinite(b) & (b >= value)] = 1.0
        elif math.isfinite(bound):
            higher[np.isfinite(r) & (r <= bound)] = -1.0
    return higher if metric.higher_is_better else -higher


def _ids(rows: pd.DataFrame, mask: np.ndarray) -> str:
    return "; ".join(str(v) for v in rows.loc[mask, "record_id"])


def _best(metric: RankMetric, column: _Column, rows: pd.DataFrame):
    """(value, qualifier, record_id) of the best row; a bound counts by its number."""
    candidates = column.values.copy()
    if metric.higher_is_better:
        bounded = ~np.isfinite(candidates) & np.isfinite(column.bounds)
        candidates[bounded] = column.bounds[bounded]
    if not np.isfinite(candidates).any():
        return math.nan, "", ""
    scores = candidates if metric.higher_is_better else -candidates
    i = int(np.nanargmax(scores))
    qualifier = ">" if not np.isfinite(column.values[i]) else ""
    return float(candidates[i]), qualifier, str(rows["record_id"].iloc[i])


def _standing(
    metric: RankMetric, device: tuple[float, float, str], column: _Column, rows
) -> dict:
    """Counts, rank, percentile and what to show of one metric."""
    value, bound, note = device
    present = np.isfinite(column.values) | np.isfinite(column.bounds)
    outcome = _outcomes(metric, value, bound, column)
    counts = {
        "n_compared": int(present.sum()),
        "n_better": int((outcome == 1).sum()),
        "n_equal": int((outcome == 0).sum()),
        "n_worse": int((outcome == -1).sum()),
    }
    counts["n_undecided"] = counts["n_compared"] - sum(
        counts[k] for k in ("n_better", "n_equal", "n_worse")
    )
    decided = counts["n_compared"] - counts["n_undecided"]
    out: dict = {**counts, "rank": math.nan, "percentile": math.nan, "status": ""}
    out["better_record_ids"] = _ids(rows, outcome == 1)
    out["equal_record_ids"] = _ids(rows, outcome == 0)
    out["undecided_record_ids"] = _ids(rows, present & ~np.isfinite(outcome))
    out["compared_record_ids"] = _ids(rows, present)
    if not (math.isfinite(value) or math.isfinite(bound)):
        out.update(status="not ranked", note=note or "not given")
    elif counts["n_compared"] == 0:
        out.update(
            status="not ranked",
            note="no rankable literature device reports this metric",
        )
    elif decided < MIN_RANK_N:
        out.update(status="too few to rank", note=note)
    else:
        out.update(
            status="ranked",
            note=note,
            rank=float(1 + counts["n_better"]),
            percentile=100.0 * (decided - counts["n_better"]) / decided,
        )
    if counts["n_undecided"] and out["status"] != "not ranked":
        out["note"] = "; ".join(
            filter(
                None,
                [
                    out["note"],
                    f"{counts['n_undecided']} '>' bound(s) neither above nor below "
                    "yours: undecided, counted neither better nor worse",
                ],
            )
        )
    out["shown"] = _shown(out, outcome, present, rows)
    return out


def _shown(out: dict, outcome, present, rows) -> str:
    """``"#2 of 7"``, ``"too few to rank (n = 2: a (better than yours), b (equal
    to yours))"`` or ""."""
    if out["status"] == "ranked":
        decided = out["n_compared"] - out["n_undecided"]
        return f"#{int(out['rank'])} of {decided + 1}"
    if out["status"] != "too few to rank":
        return ""
    words = {1.0: "better than yours", 0.0: "equal to yours", -1.0: "worse than yours"}
    listed = [
        f"{record} ({words.get(float(o), 'undecided')})"
        for record, o, here in zip(rows["record_id"], outcome, present, strict=True)
        if here
    ]
    return f"too few to rank (n = {out['n_compared']}: {', '.join(listed)})"


def _rank_one_metric(
    metric: RankMetric,
    device: tuple[float, float, str],
    column: _Column,
    rows: pd.DataFrame,
) -> dict:
    """
    The ranking record of one metric: the device's value against ``column``.

    ``column`` holds the literature values, bounds and resolutions of
    ``rows``, the rankable literature rows (for their ``record_id``).
    """
    value, bound, _ = device
    best_value, best_qualifier, best_id = _best(metric, column, rows)
    standing = _standing(metric, device, column, rows)
    return {
        "metric": metric.name,
        "label": metric.label,
        "unit": metric.unit,
        "higher_is_better": metric.higher_is_better,
        "value": value,
        "value_bound": bound,
        "rank": standing.pop("rank"),
        "n_compared": standing.pop("n_compared"),
        "percentile": standing.pop("percentile"),
        "status": standing.pop("status"),
        "shown": standing.pop("shown"),
        "best_value": best_value,
        "best_qualifier": best_qualifier,
        "best_record_id": best_id,
        "note": standing.pop("note"),
        **standing,
    }


def rank_device(
    metrics: Mapping,
    table: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    Where one device stands among the rankable literature devices.

    For each metric in :data:`RANK_METRICS` the device is compared with the
    rankable rows of ``table`` that report it (a :func:`filter_table` result
    ranks within a window); rules in docs/methods.md §4b:

    * **ties**: a row equal to the device within the table's stated precision
      (half a unit of the row's last written decimal, scaled by any T50
      conversion) is *equal*; competition ranking ("1224"): ``rank = 1 +
      number of rows better``;
    * **bounds**: a ``">"`` T50 is better when its bound is at least the
      device's value; otherwise it is *undecided*: counted neither better nor
      worse, left out of the percentile, and said so in ``note``;
    * **n**: with fewer than :data:`MIN_RANK_N` (5) decided rows, ``status``
      is ``"too few to rank"``: no rank, no percentile, and ``shown`` lists
      the rows with the device's standing against each;
    * ``percentile = 100 · (decided − better) / decided``.

    Parameters
    ----------
    metrics : mapping
        The device: ``eqe_max_percent`` [%], ``luminance_max_cd_m2`` [cd/m²],
        ``cie_x`` and ``cie_y`` [-], and either ``t50_h`` [h] with
        ``t50_initial_luminance_cd_m2`` [cd/m²] (and optionally ``t50_kind``,
        ``t50_qualifier``), or ``t50_ref_h`` (``t50_at_reference_h``) [h]
        already at the reference luminance. Missing keys are reported, not
        guessed.
    table : pandas.DataFrame
        Typed literature table.
    reference_luminance_cd_m2 : float
        Luminance at which T50s are compared. [cd/m²]
    n : float
        Acceleration exponent for the T50 conversion. [-]

    Returns
    -------
    pandas.DataFrame
        One row per metric: ``metric, label, unit, higher_is_better, value,
        value_bound, rank, n_compared, percentile, status, shown, best_value,
        best_qualifier, best_record_id, note, n_better, n_equal, n_worse,
        n_undecided, better_record_ids, equal_record_ids,
        undecided_record_ids, compared_record_ids`` (``rank`` is a nullable
        integer, missing unless ``status == "ranked"``; ``value`` is NaN for
        a device whose T50 is a lower bound, in ``value_bound``; id lists are
        "; "-separated).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "record_id": list("abcdef"), "rankable": [True] * 6,
    ...     "eqe_max_percent": [10.0, 20.0, 15.0, 12.0, 8.0, 30.0],
    ...     "luminance_max_cd_m2": [np.nan] * 6, "cie_x": [np.nan] * 6,
    ...     "cie_y": [np.nan] * 6, "t50_h": [np.nan] * 6,
    ...     "t50_initial_luminance_cd_m2": [np.nan] * 6})
    >>> first = rank_device({"eqe_max_percent": 15.0}, table).iloc[0]
    >>> print(first["rank"], first["shown"], round(first["percentile"], 1))
    3 #3 of 7 66.7
    """
    if not isinstance(metrics, Mapping):
        raise InputError(
            "The device metrics must be a mapping of metric name to number, found "
            f"{type(metrics).__name__}."
        )
    rankable = table.loc[table["rankable"].astype(bool)]
    literature = _literature_metrics(rankable, reference_luminance_cd_m2, n)
    device = _device_metrics(metrics, reference_luminance_cd_m2, n)
    records = [
        _rank_one_metric(metric, device[metric.name], literature[metric.name], rankable)
        for metric in RANK_METRICS
    ]
    result = pd.DataFrame.from_records(records)
    result["rank"] = result["rank"].astype("Float64").round().astype("Int64")
    return result


def rank_devices(
    devices: Mapping[str, Mapping],
    table: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    Rank of every device on every metric, one row per device and metric.

    Parameters
    ----------
    devices : mapping of str to mapping
        Device name -> its metrics (as :func:`rank_device` takes them).
    table, reference_luminance_cd_m2, n
        As :func:`rank_device`.

    Returns
    -------
    pandas.DataFrame
        Columns ``device``, ``metric`` (the metric's label), ``rank``, ``of``
        (the decided devices compared, the device included), ``percentile``
        (only with 5 or more decided rows), ``status`` and ``shown`` (see
        :func:`rank_device`).
    """
    rows = []
    for name, metrics in devices.items():
        ranked = rank_device(metrics, table, reference_luminance_cd_m2, n)
        for item in ranked.itertuples():
            rows.append(
                {
                    "device": name,
                    "metric": item.label,
                    "rank": item.rank,
                    "of": item.n_compared - item.n_undecided + 1,
                    "percentile": item.percentile,
                    "status": item.status,
                    "shown": item.shown,
                }
            )
    columns = ["device", "metric", "rank", "of", "percentile", "status", "shown"]
    return pd.DataFrame(rows, columns=columns)
