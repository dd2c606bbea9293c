"""
Chart builders for the efficiency view: J-V, L-V, EQE-L, EQE-J, CE, PE, batch.

Builders take the long points table of :func:`core.efficiency.points_table`
(one row per measured point, a ``device`` column) and return un-themed Altair
charts; pages and exports apply :func:`core.figures.theme.themed`. Log axes
cannot show zero or negative values: those points are left out of that chart
(:func:`hidden_on_log_axes` counts them so the page can say so). EQE, CE and
PE are drawn only above turn-on, where they mean something.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.figures.theme import PALETTE

__all__ = [
    "AXIS_TITLES",
    "hidden_on_log_axes",
    "curve_chart",
    "jv_chart",
    "lv_chart",
    "eqe_luminance_chart",
    "eqe_current_density_chart",
    "current_efficiency_chart",
    "power_efficiency_chart",
    "batch_histogram",
]

#: Axis title (quantity [unit]) of every column the charts use.
AXIS_TITLES = {
    "voltage_v": "voltage [V]",
    "current_density_ma_cm2": "current density [mA/cm²]",
    "luminance_cd_m2": "luminance [cd/m²]",
    "eqe_percent": "EQE [%]",
    "current_efficiency_cd_a": "current efficiency [cd/A]",
    "power_efficiency_lm_w": "power efficiency [lm/W]",
    "eqe_max_percent": "peak EQE [%]",
    "luminance_max_cd_m2": "peak luminance [cd/m²]",
    "turn_on_v": "turn-on voltage [V]",
}


def hidden_on_log_axes(
    points: pd.DataFrame, x: str, y: str, log_x: bool, log_y: bool
) -> int:
    """Number of rows a chart leaves out because a log axis needs values > 0."""
    return len(points) - len(_plottable(points, x, y, log_x, log_y))


def _plottable(points, x, y, log_x, log_y) -> pd.DataFrame:
    keep = np.isfinite(points[x].to_numpy(float)) & np.isfinite(
        points[y].to_numpy(float)
    )
    if log_x:
        keep &= points[x].to_numpy(float) > 0
    if log_y:
        keep &= points[y].to_numpy(float) > 0
    return points.loc[keep]


def curve_chart(
    points: pd.DataFrame,
    x: str,
    y: str,
    *,
    log_x: bool = False,
    log_y: bool = False,
    above_turn_on_only: bool = False,
    color_scale: alt.Scale | None = None,
):
    """
    One quantity against another, one line (with points) per device.

    Parameters
    ----------
    points : pandas.DataFrame
        Long table with ``device``, ``above_turn_on`` and the ``x``/``y``
        columns (:func:`core.efficiency.points_table`).
    x, y : str
        Column names; their axis titles come from :data:`AXIS_TITLES`.
    log_x, log_y : bool
        Logarithmic axes (rows with values ≤ 0 are left out).
    above_turn_on_only : bool
        Keep only points at or after turn-on with L ≥ the threshold.
    color_scale : altair.Scale, optional
        The session's device colours (:func:`core.figures.device_color_scale`).

    Returns
    -------
    altair.Chart
    """
    data = points
    if above_turn_on_only:
        data = data.loc[data["above_turn_on"].astype(bool)]
    data = _plottable(data, x, y, log_x, log_y)[["device", x, y]]
    x_title, y_title = AXIS_TITLES.get(x, x), AXIS_TITLES.get(y, y)
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=12), clip=True)
        .encode(
            x=alt.X(
                f"{x}:Q",
                title=x_title,
                scale=alt.Scale(type="log") if log_x else alt.Scale(zero=False),
            ),
            y=alt.Y(
                f"{y}:Q",
                title=y_title,
                scale=alt.Scale(type="log") if log_y else alt.Scale(zero=False),
            ),
            color=alt.Color(
                "device:N",
                title="device",
                scale=color_scale if color_scale is not None else alt.Undefined,
            ),
            order=alt.Order("index:Q"),
            tooltip=[
                alt.Tooltip("device:N"),
                alt.Tooltip(f"{x}:Q", title=x_title, format=".4g"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=".4g"),
            ],
        )
        .transform_window(index="row_number()", groupby=["device"])
    )


def jv_chart(points: pd.DataFrame, *, log_y: bool = True, color_scale=None):
    """Current density against voltage (log J by default; J ≤ 0 left out)."""
    return curve_chart(
        points,
        "voltage_v",
        "current_density_ma_cm2",
        log_y=log_y,
        color_scale=color_scale,
    )


def lv_chart(points: pd.DataFrame, *, color_scale=None):
    """Luminance (log) against voltage; L ≤ 0 (meter noise) left out."""
    return curve_chart(
        points, "voltage_v", "luminance_cd_m2", log_y=True, color_scale=color_scale
    )


def eqe_luminance_chart(points: pd.DataFrame, *, color_scale=None):
    """EQE against luminance (log x), above turn-on only."""
    return curve_chart(
        points,
        "luminance_cd_m2",
        "eqe_percent",
        log_x=True,
        above_turn_on_only=True,
        color_scale=color_scale,
    )


def eqe_current_density_chart(points: pd.DataFrame, *, color_scale=None):
    """EQE against current density (log x), above turn-on only."""
    return curve_chart(
        points,
        "current_density_ma_cm2",
        "eqe_percent",
        log_x=True,
        above_turn_on_only=True,
        color_scale=color_scale,
    )


def current_efficiency_chart(points: pd.DataFrame, *, color_scale=None):
    """Current efficiency against luminance (log x), above turn-on only."""
    return curve_chart(
        points,
        "luminance_cd_m2",
        "current_efficiency_cd_a",
        log_x=True,
        above_turn_on_only=True,
        color_scale=color_scale,
    )


def power_efficiency_chart(points: pd.DataFrame, *, color_scale=None):
    """Power efficiency against luminance (log x), above turn-on only."""
    return curve_chart(
        points,
        "luminance_cd_m2",
        "power_efficiency_lm_w",
        log_x=True,
        above_turn_on_only=True,
        color_scale=color_scale,
    )


def batch_histogram(
    table: pd.DataFrame,
    metric: str = "eqe_max_percent",
    *,
    maxbins: int = 15,
    color: str = PALETTE[0],
):
    """
    Histogram of one figure of merit over a batch of devices.

    A dashed rule marks the mean and a solid one the median; the title of
    the y axis says how many devices are counted.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`core.efficiency.batch_table` (one row per device).
    metric : str
        ``eqe_max_percent``, ``luminance_max_cd_m2`` or ``turn_on_v``.
    maxbins : int
        Most bins.
    color : str
        Bar colour.

    Returns
    -------
    altair.LayerChart
    """
    values = table[["device", metric]].copy()
    values = values.loc[np.isfinite(values[metric].to_numpy(float))]
    title = AXIS_TITLES.get(metric, metric)
    bars = (
        alt.Chart(values)
        .mark_bar(color=color, opacity=0.85, binSpacing=1)
        .encode(
            x=alt.X(f"{metric}:Q", bin=alt.Bin(maxbins=maxbins), title=title),
            y=alt.Y("count():Q", title=f"devices [count] (n = {len(values)})"),
            tooltip=[alt.Tooltip("count():Q", title="devices")],
        )
    )
    if values.empty:
        return bars
    summary = pd.DataFrame(
        {
            "value": [values[metric].mean(), values[metric].median()],
            "statistic": ["mean", "median"],
        }
    )
    rules = (
        alt.Chart(summary)
        .mark_rule(color="black")
        .encode(
            x=alt.X("value:Q"),
            strokeDash=alt.StrokeDash(
                "statistic:N",
                title=None,
                scale=alt.Scale(domain=["mean", "median"], range=[[5, 3], [1, 0]]),
            ),
            tooltip=[
                alt.Tooltip("statistic:N"),
                alt.Tooltip("value:Q", title=title, format=".4g"),
            ],
        )
    )
    return alt.layer(bars, rules)
