"""
Trends over a device library: a headline number against the date the
devices were made or their batch, each device a point with its uncertainty.

The table is :func:`core.library.table.summary_table` (or any table with the
same columns); the uncertainty is a ± column (drawn as value ± σ) or a
(low, high) pair of columns (drawn as that band).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["TREND_AXES", "trend_frame", "trend_chart"]

#: What the horizontal axis can be: label -> column.
TREND_AXES = {"date made": "date made", "batch": "batch"}


def trend_frame(
    table: pd.DataFrame, metric: str, by: str, error: str | tuple | None = None
) -> pd.DataFrame:
    """
    The rows that can be drawn: ``name``, ``batch``, ``by``, ``value`` and
    ``low``/``high`` (the error bar; NaN without one).

    Rows without the number, or without a date made (``by="date made"``) or
    a batch (``by="batch"``), are left out.
    """
    columns = ["name", "batch", "date made"]
    frame = table.loc[:, columns].copy()
    frame["value"] = pd.to_numeric(table[metric], errors="coerce")
    if isinstance(error, str):
        sigma = pd.to_numeric(table[error], errors="coerce")
        frame["low"], frame["high"] = frame["value"] - sigma, frame["value"] + sigma
    elif isinstance(error, tuple):
        frame["low"] = pd.to_numeric(table[error[0]], errors="coerce")
        frame["high"] = pd.to_numeric(table[error[1]], errors="coerce")
    else:
        frame["low"] = frame["high"] = float("nan")
    keep = frame["value"].notna()
    if by == "date made":
        frame["date made"] = pd.to_datetime(frame["date made"], errors="coerce")
        keep &= frame["date made"].notna()
    else:
        keep &= frame["batch"].astype(str).str.len() > 0
    return frame.loc[keep].reset_index(drop=True)


def trend_chart(
    table: pd.DataFrame,
    metric: str,
    *,
    by: str = "date made",
    error: str | tuple | None = None,
    title: str | None = None,
):
    """
    ``metric`` of each device against ``by`` (``"date made"`` or
    ``"batch"``), coloured by batch, with error bars where there is an
    uncertainty; by batch, a tick marks each batch's median.

    Returns
    -------
    altair.LayerChart
    """
    if by not in TREND_AXES:
        raise ValueError(f"by must be one of {list(TREND_AXES)}, got {by!r}")
    data = trend_frame(table, metric, by, error)
    x = (
        alt.X("date made:T", title="date made")
        if by == "date made"
        else alt.X("batch:N", title="batch", sort="ascending")
    )
    y_title = title or metric
    tooltip = [
        alt.Tooltip("name:N", title="device"),
        alt.Tooltip("batch:N"),
        alt.Tooltip("date made:T", title="made"),
        alt.Tooltip("value:Q", title=y_title, format=".4~g"),
    ]
    base = alt.Chart(data)
    points = base.mark_point(filled=True, size=70).encode(
        x=x,
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("batch:N", title="batch"),
        tooltip=tooltip,
    )
    bars = (
        base.transform_filter("isValid(datum.low) && isValid(datum.high)")
        .mark_rule()
        .encode(x=x, y="low:Q", y2="high:Q", color=alt.Color("batch:N"))
    )
    layers = [bars, points]
    if by == "batch":
        layers.append(
            base.mark_tick(thickness=2, size=18, color="black").encode(
                x=x, y=alt.Y("median(value):Q")
            )
        )
    return alt.layer(*layers)
