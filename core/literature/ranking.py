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
from core.literature.normalise import _user_value, device_t50_ref_h, normalised_t50_h

__all__ = [
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


def _literature_metrics(
    rankable: pd.DataFrame, reference_luminance_cd_m2: float, n: float
) -> pd.DataFrame:
    """Every metric of :data:`RANK_METRICS` for the rankable rows, NaN when absent."""
    literature = pd.DataFrame(index=rankable.index)
    literature["eqe_max_percent"] = pd.to_numeric(
        rankable["eqe_max_percent"], errors="coerce"
    )
    literature["luminance_max_cd_m2"] = pd.to_numeric(
        rankable["luminance_max_cd_m2"], errors="coerce"
    )
    literature["t50_ref_h"] = normalised_t50_h(rankable, reference_luminance_cd_m2, n)[
        "t50_ref_h"
    ]
    literature["cie_distance_bt2020_red"] = cie_distance_to_bt2020_red(
        pd.to_numeric(rankable["cie_x"], errors="coerce"),
        pd.to_numeric(rankable["cie_y"], errors="coerce"),
    )
    return literature


def _device_metrics(
    metrics: Mapping, reference_luminance_cd_m2: float, n: float
) -> dict[str, tuple[float, str]]:
    """The device's value of every metric (NaN when absent) and a note on it."""
    t50_value, t50_note = device_t50_ref_h(metrics, reference_luminance_cd_m2, n)
    x, y = _user_value(metrics, "cie_x"), _user_value(metrics, "cie_y")
    return {
        "eqe_max_percent": (_user_value(metrics, "eqe_max_percent"), ""),
        "luminance_max_cd_m2": (_user_value(metrics, "luminance_max_cd_m2"), ""),
        "t50_ref_h": (t50_value, t50_note),
        "cie_distance_bt2020_red": (
            float(cie_distance_to_bt2020_red(x, y)),
            "" if math.isfinite(x) and math.isfinite(y) else "cie_x/cie_y not given",
        ),
    }


def _rank_one_metric(
    metric: RankMetric, value: float, note: str, column: pd.Series, rows: pd.DataFrame
) -> dict:
    """
    The ranking record of one metric: the device's value against ``column``.

    ``column`` holds the literature values (NaN when a row lacks the metric)
    on the index of ``rows``, the literature rows (for the best one's
    ``record_id``).
    """
    present = column[np.isfinite(column.to_numpy(dtype=float))]
    n_compared = int(present.size)
    best_value = math.nan
    best_id = ""
    if n_compared:
        best_index = present.idxmax() if metric.higher_is_better else present.idxmin()
        best_value = float(present.loc[best_index])
        best_id = str(rows.loc[best_index, "record_id"])
    rank = percentile = math.nan
    if not math.isfinite(value):
        note = note or "not given"
    elif n_compared == 0:
        note = "no rankable literature device reports this metric"
    else:
        values = present.to_numpy(dtype=float)
        better = values > value if metric.higher_is_better else values < value
        n_better = int(better.sum())
        rank = float(1 + n_better)
        percentile = 100.0 * (n_compared - n_better) / n_compared
    return {
        "metric": metric.name,
        "label": metric.label,
        "unit": metric.unit,
        "higher_is_better": metric.higher_is_better,
        "value": value,
        "rank": rank,
        "n_compared": n_compared,
        "percentile": percentile,
        "best_value": best_value,
        "best_record_id": best_id,
        "note": note,
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
    rankable rows of ``table`` that report that metric (pass a
    :func:`filter_table` result to rank within a window).
    ``rank = 1 + (number of literature devices strictly better)`` and
    ``percentile = 100 · (n_compared − number strictly better) / n_compared``:
    the share of compared devices the device equals or beats (100 = best).

    Parameters
    ----------
    metrics : mapping
        The device: ``eqe_max_percent`` [%], ``luminance_max_cd_m2`` [cd/m²],
        ``cie_x`` and ``cie_y`` [-], and either ``t50_ref_h`` (or
        ``t50_at_reference_h``) [h] already at the reference luminance, or
        ``t50_h`` [h] with ``t50_initial_luminance_cd_m2`` [cd/m²]. Missing
        keys are reported, not guessed.
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
        rank, n_compared, percentile, best_value, best_record_id, note``
        (``rank`` is a nullable integer; ``rank``/``percentile`` are missing
        when the device or the table lacks the metric, and ``note`` says why;
        for T50 ``note`` gives how the device's value was obtained).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "record_id": ["a", "b"], "rankable": [True, True],
    ...     "eqe_max_percent": [10.0, 20.0], "luminance_max_cd_m2": [np.nan] * 2,
    ...     "cie_x": [np.nan] * 2, "cie_y": [np.nan] * 2, "t50_h": [np.nan] * 2,
    ...     "t50_initial_luminance_cd_m2": [np.nan] * 2})
    >>> result = rank_device({"eqe_max_percent": 15.0}, table)
    >>> first = result.iloc[0]
    >>> print(first["rank"], first["n_compared"], first["percentile"])
    2 2 50.0
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
        _rank_one_metric(
            metric, *device[metric.name], literature[metric.name], rankable
        )
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
        (the number of devices compared, the device included) and
        ``percentile``.
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
                    "of": item.n_compared + 1,
                    "percentile": item.percentile,
                }
            )
    return pd.DataFrame(rows, columns=["device", "metric", "rank", "of", "percentile"])
