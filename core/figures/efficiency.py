"""
Chart builders for the efficiency view: J-V, L-V, EQE-L, EQE-J, CE, PE, batch.

Builders take the long points table of :func:`core.efficiency.points_table`
(one row per measured point, a ``device`` column) and return un-themed Altair
charts; pages and exports apply :func:`core.figures.theme.themed`. Log axes
cannot show zero or negative values: those points are left out of that chart
(:func:`hidden_on_log_axes` counts them so the page can say so). EQE, CE and
PE are drawn only above turn-on, where they mean something. Points that break
a physical limit (the points table's ``data_problem``) are errors of the
data: they are left out of the lines and drawn as open red circles
(:data:`PROBLEM_COLOR`), with the limit they break in their tooltip.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.figures.theme import PALETTE

__all__ = [
    "AXIS_TITLES",
    "PROBLEM_COLOR",
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


#: Colour of the open markers of points that break a physical limit.
PROBLEM_COLOR = "#d62728"


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
        Logarithmic axes (rows with values ≤ 0 left out).
    above_turn_on_only : bool
        Keep only the emitting range (``above_turn_on``).
    color_scale : altair.Scale, optional
        The session's device colours (:func:`core.figures.device_color_scale`).

    Returns
    -------
    altair.Chart or altair.LayerChart
        With a layer of open red circles when a point breaks a physical limit.
    """
    data = points
    if above_turn_on_only:
        data = data.loc[data["above_turn_on"].astype(bool)]
    data = _plottable(data, x, y, log_x, log_y)
    problem = _has_problem(data)
    x_enc, y_enc, tooltip = _encodings(x, y, log_x, log_y)
    lines = (
        alt.Chart(data.loc[~problem, ["device", x, y]])
        .mark_line(point=alt.OverlayMarkDef(size=12), clip=True)
        .encode(
            x=x_enc,
            y=y_enc,
            color=alt.Color(
                "device:N",
                title="device",
                scale=color_scale if color_scale is not None else alt.Undefined,
            ),
            order=alt.Order("index:Q"),
            tooltip=tooltip,
        )
        .transform_window(index="row_number()", groupby=["device"])
    )
    if not problem.any():
        return lines
    marks = (
        alt.Chart(data.loc[problem, ["device", x, y, "data_problem"]])
        .mark_point(shape="circle", filled=False, size=60, color=PROBLEM_COLOR)
        .encode(
            x=x_enc,
            y=y_enc,
            tooltip=[*tooltip, alt.Tooltip("data_problem:N", title="data error")],
        )
    )
    return alt.layer(lines, marks)


def _encodings(x: str, y: str, log_x: bool, log_y: bool):
    """The x and y encodings (titled, log or linear) and the tooltip."""
    x_title, y_title = AXIS_TITLES.get(x, x), AXIS_TITLES.get(y, y)

    def scale(log: bool) -> alt.Scale:
        return alt.Scale(type="log") if log else alt.Scale(zero=False)

    tooltip = [
        alt.Tooltip("device:N"),
        alt.Tooltip(f"{x}:Q", title=x_title, format=".4g"),
        alt.Tooltip(f"{y}:Q", title=y_title, format=".4g"),
    ]
    x_enc = alt.X(f"{x}:Q", title=x_title, scale=scale(log_x))
    return x_enc, alt.Y(f"{y}:Q", title=y_title, scale=scale(log_y)), tooltip


def _has_problem(data: pd.DataFrame) -> np.ndarray:
    """True for rows that break a physical limit (non-empty ``data_problem``)."""
    if "data_problem" not in data.columns:
        return np.zeros(len(data), dtype=bool)
    return data["data_problem"].fillna("").astype(str).str.len().to_numpy() > 0


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
