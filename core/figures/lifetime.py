"""
Chart builders for the lifetime view: L/L0 against time with the T-values,
the decay model and its residuals, voltage against time, the Weibull plot and
the acceleration plot (T50 against L0, log-log).

Data are first put in long tables (one row per reading, per bin, per T-value,
per test), which are also the CSV downloads; the builders turn those tables
into un-themed Altair charts (pages and exports apply
:func:`core.figures.theme.themed`). Colour is the device (the session's colour
scale), the stroke dash tells the tests of one device apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.lifetime import (
    ACCELERATION_BAND_N,
    AccelerationFit,
    LifetimeResult,
    lifetime_at_luminance_h,
)
from core.models import LifetimeLog

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
]

#: Display unit of time -> factor from hours.
TIME_FACTORS = {"h": 1.0, "min": 60.0}

# Vega-Lite draws the symbols of a shape legend with a transparent stroke when
# the colour channel holds another field, so the marks are explained in a
# subtitle instead (it is exported with the figure).
_MARKS_NOTE = "filled circle: measured; open diamond: extrapolated with the model"

# (device name, log, its result) for every test shown.
Item = tuple[str, LifetimeLog, LifetimeResult]


def _test_name(log: LifetimeLog, result: LifetimeResult) -> str:
    return result.label or log.label or log.source


def readings_frame(
    items: Sequence[Item], max_points: int | None = None
) -> pd.DataFrame:
    """
    Every reading: device, test, time_h, fraction (L/L0), model, residual, voltage.

    Parameters
    ----------
    items : sequence of (str, LifetimeLog, LifetimeResult)
        Device name, log and result of each test.
    max_points : int, optional
        Keep at most this many readings per test (evenly strided, first and
        last kept) for drawing; None keeps all (the CSV download).

    Returns
    -------
    pandas.DataFrame
    """
    frames = []
    for device, log, result in items:
        time = np.asarray(log.time_h, dtype=float)
        fraction = np.asarray(log.luminance_cd_m2, dtype=float) / result.first_reading
        model = (
            result.fit.fraction_at(time)
            if result.fit is not None
            else np.full(time.size, np.nan)
        )
        voltage = (
            np.asarray(log.voltage_v, dtype=float)
            if log.voltage_v is not None
            else np.full(time.size, np.nan)
        )
        index = np.arange(time.size)
        if max_points is not None and time.size > max_points:
            index = np.unique(np.r_[np.linspace(0, time.size - 1, max_points).round()])
            index = index.astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "device": device,
                    "test": _test_name(log, result),
                    "time_h": time[index],
                    "fraction": fraction[index],
                    "model_fraction": model[index],
                    "residual": (fraction - model)[index],
                    "voltage_v": voltage[index],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else _empty_readings()


def _empty_readings() -> pd.DataFrame:
    columns = ["device", "test", "time_h", "fraction", "model_fraction", "residual"]
    return pd.DataFrame(columns=[*columns, "voltage_v"])


def binned_frame(items: Sequence[Item]) -> pd.DataFrame:
    """The log-time-binned L/L0 the T-values were read on, per test."""
    frames = [
        pd.DataFrame(
            {
                "device": device,
                "test": _test_name(log, result),
                "time_h": result.binned_time_h,
                "fraction": result.binned_fraction,
            }
        )
        for device, log, result in items
    ]
    if not frames:
        return pd.DataFrame(columns=["device", "test", "time_h", "fraction"])
    return pd.concat(frames, ignore_index=True)


def model_frame(items: Sequence[Item], n_points: int = 200) -> pd.DataFrame:
    """
    The fitted model per test, over the data and on to any extrapolated T-value.

    ``segment`` is ``"fit"`` within the test and ``"extrapolation"`` beyond it.
    """
    frames = []
    for device, log, result in items:
        fit = result.fit
        if fit is None:
            continue
        end = float(log.time_h[-1])
        times = [
            item.time_h for item in result.thresholds if item.kind == "extrapolated"
        ]
        far = max([end, *[t for t in times if np.isfinite(t)]])
        start = max(fit.start_h, float(log.time_h[0]))
        inside = np.linspace(start, end, n_points)
        parts = [("fit", inside)]
        if far > end:
            parts.append(("extrapolation", np.linspace(end, far, n_points // 2)))
        for segment, t in parts:
            frames.append(
                pd.DataFrame(
                    {
                        "device": device,
                        "test": _test_name(log, result),
                        "segment": segment,
                        "time_h": t,
                        "fraction": fit.fraction_at(t),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=["device", "test", "segment", "time_h", "fraction"])
    return pd.concat(frames, ignore_index=True)


def thresholds_frame(items: Sequence[Item], include_from_max: bool = False):
    """
    One row per T-value: device, test, name, level (L/L0), time_h, kind.

    ``level`` is the height the T-value is read at (x, or x · L_max/L0 for
    values counted from L_max), so markers sit on the curve. Values counted
    from L_max are added with ``include_from_max``.
    """
    rows = []
    for device, log, result in items:
        pools = [(result.thresholds, 1.0)]
        if include_from_max and result.thresholds_from_max:
            pools.append((result.thresholds_from_max, result.l_max_fraction))
        for pool, scale in pools:
            for item in pool:
                suffix = "" if item.counted_from == "initial" else " (from L_max)"
                rows.append(
                    {
                        "device": device,
                        "test": _test_name(log, result),
                        "name": item.name + suffix,
                        "fraction": item.fraction,
                        "level": item.fraction * scale,
                        "time_h": item.time_h,
                        "uncertainty_h": item.uncertainty_h,
                        "kind": item.kind,
                        "counted_from": item.counted_from,
                    }
                )
    columns = ["device", "test", "name", "fraction", "level", "time_h"]
    columns += ["uncertainty_h", "kind", "counted_from"]
    return pd.DataFrame(rows, columns=columns)


def acceleration_frame(items: Sequence[Item], stress: str = "luminance"):
    """
    One row per test: device, test, stress value, T50, its kind.

    ``stress`` is ``"luminance"`` (L0) or ``"current_density"`` (median J).
    """
    rows = []
    for device, log, result in items:
        value = (
            result.initial_luminance_cd_m2
            if stress == "luminance"
            else result.current_density_ma_cm2
        )
        rows.append(
            {
                "device": device,
                "test": _test_name(log, result),
                "stress": np.nan if value is None else float(value),
                "t50_h": result.t50_h,
                "t50_uncertainty_h": result.threshold(0.5).uncertainty_h,
                "kind": result.t50_kind,
            }
        )
    columns = ["device", "test", "stress", "t50_h", "t50_uncertainty_h", "kind"]
    return pd.DataFrame(rows, columns=columns)


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
    color = _color(color_scale)
    dash = alt.StrokeDash("test:N", title="test")
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
            strokeDash=dash,
            tooltip=["test:N", tooltip_time, alt.Tooltip("fraction:Q", format=".4f")],
        )
    )
    layers = [points, curve]
    if len(model):
        fitted = _time(_positive_time(model, log_time), time_unit)
        layers.append(
            alt.Chart(fitted.loc[fitted["segment"] == "fit"])
            .mark_line(strokeDash=[6, 3], strokeWidth=1.2, clip=True)
            .encode(x=x, y=y, color=color, detail="test:N")
        )
        beyond = fitted.loc[fitted["segment"] == "extrapolation"]
        if len(beyond):
            layers.append(
                alt.Chart(beyond)
                .mark_line(strokeDash=[1, 3], strokeWidth=1.2, clip=True)
                .encode(x=x, y=y, color=color, detail="test:N")
            )
    rules = pd.DataFrame({"level": list(levels)})
    rules["label"] = [f"T{v * 100:g}" for v in levels]
    layers.append(
        alt.Chart(rules)
        .mark_rule(color="#999999", strokeWidth=0.6)
        .encode(y=alt.Y("level:Q", title="L/L0 [-]"))
    )
    layers.append(
        alt.Chart(rules)
        .mark_text(align="left", dx=3, dy=-5, color="#666666")
        .encode(y="level:Q", text="label:N", x=alt.value(0))
    )
    marks = _time(
        _positive_time(thresholds.dropna(subset=["time_h"]), log_time), time_unit
    )
    if len(marks):
        layers.append(
            alt.Chart(marks)
            .mark_point(size=60, strokeWidth=1.5, clip=True)
            .encode(
                x=x,
                y=alt.Y("level:Q", title="L/L0 [-]"),
                color=color,
                shape=alt.Shape(
                    "kind:N",
                    title="T-value",
                    scale=alt.Scale(
                        domain=["measured", "extrapolated"],
                        range=["circle", "diamond"],
                    ),
                    legend=None,
                ),
                fill=alt.condition(
                    alt.datum.kind == "measured", color, alt.value("white")
                ),
                tooltip=[
                    "test:N",
                    "name:N",
                    "kind:N",
                    alt.Tooltip("time:Q", title=f"time [{time_unit}]", format=".4g"),
                    alt.Tooltip("uncertainty_h:Q", title="± [h]", format=".2g"),
                ],
            )
        )
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
            color=_color(color_scale),
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
            color=_color(color_scale),
            strokeDash=alt.StrokeDash("test:N", title="test"),
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
            color=_color(color_scale),
            strokeDash=alt.StrokeDash("test:N", title="test"),
        )
    )


def acceleration_chart(
    frame: pd.DataFrame,
    fits: dict[str, AccelerationFit] | None = None,
    *,
    n: float = 1.8,
    stress_title: str = "initial luminance L0 [cd/m²]",
    reference_stresses: Sequence[float] = (100.0, 1000.0),
    color_scale=None,
):
    """
    T50 against the stress, log-log, with the fitted n and the n band.

    Each device gets its tests as points (filled: measured, open: extrapolated
    T50), the line of its fitted n where it has one, and otherwise the line of
    the chosen ``n`` through its lowest-stress test with the n = 1.5–2.0 band
    around it. Vertical rules mark the reference stresses.

    Returns
    -------
    altair.LayerChart
    """
    fits = fits or {}
    data = frame.loc[(frame["stress"] > 0) & (frame["t50_h"] > 0)].copy()
    lo = float(data["stress"].min()) if len(data) else 1.0
    hi = float(data["stress"].max()) if len(data) else 10.0
    span = [min([lo, *reference_stresses]) / 1.5, max([hi, *reference_stresses]) * 1.5]
    grid = np.geomspace(span[0], span[1], 40)
    lines, bands = [], []
    for device, group in data.groupby("device", sort=False):
        fit = fits.get(device)
        if fit is not None:
            lines.append(
                pd.DataFrame(
                    {
                        "device": device,
                        "stress": grid,
                        "t50_h": fit.lifetime_h(grid),
                        "line": f"fit n = {fit.n:.2f} ± {fit.n_stderr:.2f}",
                    }
                )
            )
            continue
        anchor = group.sort_values("stress").iloc[0]
        lines.append(
            pd.DataFrame(
                {
                    "device": device,
                    "stress": grid,
                    "t50_h": lifetime_at_luminance_h(
                        anchor["t50_h"], anchor["stress"], grid, n
                    ),
                    "line": f"n = {n:g}",
                }
            )
        )
        low_n, high_n = ACCELERATION_BAND_N
        a = lifetime_at_luminance_h(anchor["t50_h"], anchor["stress"], grid, low_n)
        b = lifetime_at_luminance_h(anchor["t50_h"], anchor["stress"], grid, high_n)
        bands.append(
            pd.DataFrame(
                {
                    "device": device,
                    "stress": grid,
                    "low": np.minimum(a, b),
                    "high": np.maximum(a, b),
                }
            )
        )
    x = alt.X(
        "stress:Q",
        title=stress_title,
        scale=alt.Scale(type="log", domain=span, nice=False),
    )
    y_scale = alt.Scale(type="log")
    color = _color(color_scale)
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
    if len(reference_stresses):
        layers.append(
            alt.Chart(pd.DataFrame({"stress": list(reference_stresses)}))
            .mark_rule(color="#999999", strokeWidth=0.6)
            .encode(x=x)
        )
    layers.append(
        alt.Chart(data)
        .mark_point(size=70, strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("t50_h:Q", title="T50 [h]", scale=y_scale),
            color=color,
            shape=alt.Shape(
                "kind:N",
                title="T50",
                scale=alt.Scale(
                    domain=["measured", "extrapolated"], range=["circle", "diamond"]
                ),
                legend=None,
            ),
            fill=alt.condition(alt.datum.kind == "measured", color, alt.value("white")),
            tooltip=[
                "device:N",
                "test:N",
                "kind:N",
                alt.Tooltip("stress:Q", format=".4g"),
                alt.Tooltip("t50_h:Q", title="T50 [h]", format=".4g"),
            ],
        )
    )
    return alt.layer(*layers).properties(
        title=alt.TitleParams(text=f"T50: {_MARKS_NOTE}")
    )
