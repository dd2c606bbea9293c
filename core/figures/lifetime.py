"""
Chart builders for the lifetime view: L/L0 against time with the T-values,
the decay model and its residuals, voltage against time, the Weibull plot and
the acceleration plot (T50 against L0, log-log).

Data are first put in long tables (one row per reading, per bin, per T-value,
per test; built in :mod:`core.figures.lifetime_frames` and re-exported here),
which are also the CSV downloads; the builders turn those tables
into un-themed Altair charts (pages and exports apply
:func:`core.figures.theme.themed`). Where tests are drawn, each test gets a
shade of its device's colour (the device's own colour for its first test,
darker ones for the next: :func:`core.figures.colors.shades`); the
acceleration plot colours by device.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from core.constants import ACCELERATION_BAND_N, DEFAULT_ACCELERATION_N
from core.figures.colors import assign_colors, shades
from core.figures.lifetime_frames import (
    acceleration_frame,
    binned_frame,
    model_frame,
    readings_frame,
    thresholds_frame,
)
from core.lifetime import AccelerationFit, lifetime_at_luminance_h

__all__ = [
    "TIME_FACTORS",
    "readings_frame",
    "binned_frame",
    "model_frame",
    "thresholds_frame",
    "acceleration_frame",
    "decay_chart",
    "residuals_chart",
    "voltage_chart",
    "weibull_chart",
    "acceleration_chart",
    "shades_by_test",
]

#: Display unit of time -> factor from hours.
TIME_FACTORS = {"h": 1.0, "min": 60.0}

# Vega-Lite draws the symbols of a shape legend with a transparent stroke when
# the colour channel holds another field, so the marks are explained in a
# subtitle instead (it is exported with the figure).
_MARKS_NOTE = "filled circle: measured; open diamond: extrapolated with the model"


def _time(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    out = frame.copy()
    out["time"] = out["time_h"] * TIME_FACTORS[unit]
    return out


def _time_axis(unit: str, log_time: bool):
    return alt.X(
        "time:Q",
        title=f"time [{unit}]",
        scale=alt.Scale(type="log") if log_time else alt.Scale(zero=True),
    )


def _positive_time(frame: pd.DataFrame, log_time: bool) -> pd.DataFrame:
    if not log_time:
        return frame
    return frame.loc[frame["time_h"] > 0]


def _color(color_scale):
    return alt.Color(
        "device:N",
        title="device",
        scale=color_scale if color_scale is not None else alt.Undefined,
        legend=alt.Legend(symbolOpacity=1),
    )


def _scale_colors(color_scale) -> dict[str, str]:
    """Device -> colour of an Altair scale with a domain and a range."""
    if color_scale is None:
        return {}
    scale = color_scale.to_dict() if hasattr(color_scale, "to_dict") else color_scale
    domain, colors = scale.get("domain"), scale.get("range")
    if not (isinstance(domain, list) and isinstance(colors, list)):
        return {}
    return dict(zip(domain, colors, strict=False))


def shades_by_test(frames, color_scale=None) -> dict[str, str]:
    """
    Test -> colour: shades of its device's colour (the device's own for its
    first test), from the tests found in ``frames`` (columns ``device``,
    ``test``), in order.
    """
    pairs: dict[str, str] = {}
    for frame in frames:
        if len(frame) and {"device", "test"} <= set(frame.columns):
            for device, test in frame[["device", "test"]].itertuples(index=False):
                pairs.setdefault(test, device)
    devices = list(dict.fromkeys(pairs.values()))
    colors = assign_colors(devices, _scale_colors(color_scale))
    out: dict[str, str] = {}
    for device in devices:
        tests = [test for test, owner in pairs.items() if owner == device]
        out |= dict(zip(tests, shades(colors[device], len(tests)), strict=True))
    return out


def _test_color(colors: dict[str, str], symbol: str = "stroke") -> alt.Color:
    """Colour by test, with the test legend (line symbols; "circle" for a
    chart of points, whose filled marks draw no stroke)."""
    legend = alt.Legend(symbolOpacity=1, symbolType=symbol)
    if symbol == "circle":
        legend = alt.Legend(symbolOpacity=1, symbolType="circle", symbolSize=40)
    return alt.Color(
        "test:N",
        title="test",
        scale=alt.Scale(domain=list(colors), range=list(colors.values())),
        legend=legend,
    )


def _kind_shape(title: str) -> alt.Shape:
    """Circles for measured, diamonds for extrapolated values (no legend)."""
    return alt.Shape(
        "kind:N",
        title=title,
        scale=alt.Scale(
            domain=["measured", "extrapolated"], range=["circle", "diamond"]
        ),
        legend=None,
    )


def _kind_fill(color):
    """Filled in the device's colour when measured, white when extrapolated."""
    return alt.condition(alt.datum.kind == "measured", color, alt.value("white"))


def _reading_layers(readings, binned, x, y, color, log_time, time_unit) -> list:
    """The readings as faint points and the binned curve as solid lines."""
    tooltip_time = alt.Tooltip("time:Q", title=f"time [{time_unit}]", format=".4g")
    points = (
        alt.Chart(_time(_positive_time(readings, log_time), time_unit))
        .mark_circle(size=6, opacity=0.25)
        .encode(x=x, y=y, color=color, detail="test:N")
    )
    curve = (
        alt.Chart(_time(_positive_time(binned, log_time), time_unit))
        .mark_line(clip=True)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=["test:N", tooltip_time, alt.Tooltip("fraction:Q", format=".4f")],
        )
    )
    return [points, curve]


def _model_layers(model, x, y, color, log_time, time_unit) -> list:
    """The decay model: dashed over the test, dotted where it extrapolates."""
    if not len(model):
        return []
    fitted = _time(_positive_time(model, log_time), time_unit)
    layers = [
        alt.Chart(fitted.loc[fitted["segment"] == "fit"])
        .mark_line(strokeDash=[6, 3], strokeWidth=1.2, clip=True)
        .encode(x=x, y=y, color=color, detail="test:N")
    ]
    beyond = fitted.loc[fitted["segment"] == "extrapolation"]
    if len(beyond):
        layers.append(
            alt.Chart(beyond)
            .mark_line(strokeDash=[1, 3], strokeWidth=1.2, clip=True)
            .encode(x=x, y=y, color=color, detail="test:N")
        )
    return layers


def _level_layers(levels: Sequence[float]) -> list:
    """
    Grey rules at the threshold levels, labelled T95, T90, ... at the right
    edge (where the curves have fallen): the highest label above its rule,
    the others below theirs, so that T95 and T90 (0.05 apart) never touch.
    """
    rules = pd.DataFrame({"level": sorted(levels, reverse=True)})
    rules["label"] = [f"T{v * 100:g}" for v in rules["level"]]
    layers = [
        alt.Chart(rules)
        .mark_rule(color="#999999", strokeWidth=0.6)
        .encode(y=alt.Y("level:Q", title="L/L0 [-]"))
    ]
    places: tuple[tuple[pd.DataFrame, Any, int], ...] = (
        (rules.iloc[:1], "bottom", -1),
        (rules.iloc[1:], "top", 1),
    )
    for part, baseline, dy in places:
        if len(part):
            layers.append(
                alt.Chart(part)
                .mark_text(
                    align="right", baseline=baseline, dx=-2, dy=dy, color="#666666"
                )
                .encode(y="level:Q", text="label:N", x=alt.value("width"))
            )
    return layers


def _t_value_layer(marks: pd.DataFrame, x, color, time_unit: str) -> alt.Chart:
    """The T-values on their levels, marked by their kind."""
    return (
        alt.Chart(marks)
        .mark_point(size=40, strokeWidth=1.5, clip=True)
        .encode(
            x=x,
            y=alt.Y("level:Q", title="L/L0 [-]"),
            color=color,
            shape=_kind_shape("T-value"),
            fill=_kind_fill(color),
            tooltip=[
                "test:N",
                "name:N",
                "kind:N",
                alt.Tooltip("time:Q", title=f"time [{time_unit}]", format=".4g"),
                alt.Tooltip("uncertainty_h:Q", title="± [h]", format=".2g"),
            ],
        )
    )


def decay_chart(
    readings: pd.DataFrame,
    binned: pd.DataFrame,
    model: pd.DataFrame,
    thresholds: pd.DataFrame,
    *,
    log_time: bool = False,
    time_unit: str = "h",
    levels: Sequence[float] = (0.95, 0.9, 0.8, 0.7, 0.5),
    color_scale=None,
):
    """
    L/L0 against time: readings, binned curve, model, threshold lines, T-values.

    Readings are faint points; the binned curve (what T-values are read on) a
    solid line; the model a dashed line, dotted where it extrapolates beyond
    the test. Grey rules mark the thresholds; T-values are filled circles when
    measured, open diamonds when extrapolated. With ``log_time`` the reading
    at t = 0 is left out (a log axis cannot show it).

    Returns
    -------
    altair.LayerChart
    """
    x = _time_axis(time_unit, log_time)
    y = alt.Y("fraction:Q", title="L/L0 [-]", scale=alt.Scale(zero=True))
    color = _test_color(shades_by_test((readings, binned, thresholds), color_scale))
    layers = [
        *_reading_layers(readings, binned, x, y, color, log_time, time_unit),
        *_model_layers(model, x, y, color, log_time, time_unit),
        *_level_layers(levels),
    ]
    marks = _time(
        _positive_time(thresholds.dropna(subset=["time_h"]), log_time), time_unit
    )
    if len(marks):
        layers.append(_t_value_layer(marks, x, color, time_unit))
    return alt.layer(*layers).properties(
        title=alt.TitleParams(text=f"T-values: {_MARKS_NOTE}")
    )


def residuals_chart(readings: pd.DataFrame, *, time_unit: str = "h", color_scale=None):
    """Readings minus the model (L/L0), against time."""
    data = _time(readings.dropna(subset=["residual"]), time_unit)
    x = _time_axis(time_unit, False)
    base = (
        alt.Chart(data)
        .mark_circle(size=6, opacity=0.4)
        .encode(
            x=x,
            y=alt.Y("residual:Q", title="reading − model, L/L0 [-]"),
            color=_test_color(shades_by_test([data], color_scale), "circle"),
            detail="test:N",
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="black").encode(y="y:Q")
    )
    return alt.layer(base, zero)


def voltage_chart(readings: pd.DataFrame, *, time_unit: str = "h", color_scale=None):
    """Drive voltage against time (tests without voltage are left out)."""
    data = _time(readings.dropna(subset=["voltage_v"]), time_unit)
    return (
        alt.Chart(data)
        .mark_line(clip=True)
        .encode(
            x=_time_axis(time_unit, False),
            y=alt.Y("voltage_v:Q", title="voltage [V]", scale=alt.Scale(zero=False)),
            color=_test_color(shades_by_test([data], color_scale)),
        )
    )


def weibull_chart(binned: pd.DataFrame, *, color_scale=None):
    """
    Weibull plot: ln(−ln L/L0) against ln t on the binned data.

    A straight line means a stretched exponential holds (slope β); only bins
    with 0 < L/L0 < 0.99 and t > 0 can be drawn.
    """
    data = binned.loc[
        (binned["time_h"] > 0) & (binned["fraction"] > 0) & (binned["fraction"] < 0.99)
    ].copy()
    data["ln_t"] = np.log(data["time_h"])
    data["weibull"] = np.log(-np.log(data["fraction"]))
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=10))
        .encode(
            x=alt.X("ln_t:Q", title="ln(time [h])", scale=alt.Scale(zero=False)),
            y=alt.Y("weibull:Q", title="ln(−ln L/L0)", scale=alt.Scale(zero=False)),
            color=_test_color(shades_by_test([data], color_scale)),
        )
    )


def _acceleration_span(data: pd.DataFrame, reference_stresses) -> list[float]:
    """The stress axis: the tests and the reference stresses, with a margin."""
    lo = float(data["stress"].min()) if len(data) else 1.0
    hi = float(data["stress"].max()) if len(data) else 10.0
    return [
        min([lo, *reference_stresses]) / 1.5,
        max([hi, *reference_stresses]) * 1.5,
    ]


def _fitted_line(device: str, fit: AccelerationFit, grid) -> pd.DataFrame:
    """The line of a device's fitted n."""
    return pd.DataFrame(
        {
            "device": device,
            "stress": grid,
            "t50_h": fit.lifetime_h(grid),
            "line": f"fit n = {fit.n:.2f} ± {fit.n_stderr:.2f}",
        }
    )


def _chosen_n_line(device: str, anchor, grid, n: float) -> pd.DataFrame:
    """The line of the chosen n through the device's lowest-stress test."""
    return pd.DataFrame(
        {
            "device": device,
            "stress": grid,
            "t50_h": lifetime_at_luminance_h(
                anchor["t50_h"], anchor["stress"], grid, n
            ),
            "line": f"n = {n:g}",
        }
    )


def _band(device: str, anchor, grid) -> pd.DataFrame:
    """T50 between the lines of the two bounding exponents through ``anchor``."""
    low_n, high_n = ACCELERATION_BAND_N
    a = lifetime_at_luminance_h(anchor["t50_h"], anchor["stress"], grid, low_n)
    b = lifetime_at_luminance_h(anchor["t50_h"], anchor["stress"], grid, high_n)
    return pd.DataFrame(
        {
            "device": device,
            "stress": grid,
            "low": np.minimum(a, b),
            "high": np.maximum(a, b),
        }
    )


def _acceleration_lines(data: pd.DataFrame, fits: dict, grid, n: float):
    """(lines, bands): the frames of every device's line and n band."""
    lines, bands = [], []
    for device, group in data.groupby("device", sort=False):
        fit = fits.get(device)
        if fit is not None:
            lines.append(_fitted_line(device, fit, grid))
            continue
        anchor = group.sort_values("stress").iloc[0]
        lines.append(_chosen_n_line(device, anchor, grid, n))
        bands.append(_band(device, anchor, grid))
    return lines, bands


def _acceleration_line_layers(lines, bands, x, y_scale, color) -> list:
    """The n bands as faint areas, the lines dashed."""
    layers = []
    if bands:
        layers.append(
            alt.Chart(pd.concat(bands, ignore_index=True))
            .mark_area(opacity=0.15)
            .encode(
                x=x,
                y=alt.Y("low:Q", title="T50 [h]", scale=y_scale),
                y2="high:Q",
                color=color,
            )
        )
    if lines:
        layers.append(
            alt.Chart(pd.concat(lines, ignore_index=True))
            .mark_line(strokeDash=[5, 3], strokeWidth=1.2)
            .encode(
                x=x,
                y=alt.Y("t50_h:Q", title="T50 [h]", scale=y_scale),
                color=color,
                detail="line:N",
                tooltip=["device:N", "line:N"],
            )
        )
    return layers


def _t50_layer(data: pd.DataFrame, x, y_scale, color) -> alt.Chart:
    """Every test's T50 at its stress, marked by its kind."""
    return (
        alt.Chart(data)
        .mark_point(size=50, strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("t50_h:Q", title="T50 [h]", scale=y_scale),
            color=color,
            shape=_kind_shape("T50"),
            fill=_kind_fill(color),
            tooltip=[
                "device:N",
                "test:N",
                "kind:N",
                alt.Tooltip("stress:Q", format=".4g"),
                alt.Tooltip("t50_h:Q", title="T50 [h]", format=".4g"),
            ],
        )
    )


def acceleration_chart(
    frame: pd.DataFrame,
    fits: dict[str, AccelerationFit] | None = None,
    *,
    n: float = DEFAULT_ACCELERATION_N,
    stress_title: str = "initial luminance L0 [cd/m²]",
    reference_stresses: Sequence[float] = (100.0, 1000.0),
    color_scale=None,
):
    """
    T50 against the stress, log-log, with the fitted n and the n band.

    Each device gets its tests as points (filled: measured, open: extrapolated
    T50), the line of its fitted n where it has one, and otherwise the line of
    the chosen ``n`` through its lowest-stress test with the band of the usual
    exponents (:data:`core.constants.ACCELERATION_BAND_N`) around it.
    Vertical rules mark the reference stresses.

    Returns
    -------
    altair.LayerChart
    """
    data = frame.loc[(frame["stress"] > 0) & (frame["t50_h"] > 0)].copy()
    span = _acceleration_span(data, reference_stresses)
    grid = np.geomspace(span[0], span[1], 40)
    lines, bands = _acceleration_lines(data, fits or {}, grid, n)
    x = alt.X(
        "stress:Q",
        title=stress_title,
        scale=alt.Scale(type="log", domain=span, nice=False),
    )
    y_scale = alt.Scale(type="log")
    color = _color(color_scale)
    layers = _acceleration_line_layers(lines, bands, x, y_scale, color)
    if len(reference_stresses):
        layers.append(
            alt.Chart(pd.DataFrame({"stress": list(reference_stresses)}))
            .mark_rule(color="#999999", strokeWidth=0.6)
            .encode(x=x)
        )
    layers.append(_t50_layer(data, x, y_scale, color))
    return alt.layer(*layers).properties(
        title=alt.TitleParams(text=f"T50: {_MARKS_NOTE}")
    )
