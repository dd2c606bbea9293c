"""
CIE 1931 xy (and CIE 1976 u'v') diagrams drawn in Altair.

colour-science's own plotting needs matplotlib; here the spectral locus, the
display gamuts and the trajectories are plain Altair layers.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from core import colorimetry
from core.figures.fitting import ASPECT_KEY

__all__ = ["ZOOMS", "locus_frame", "gamut_frame", "cie_chart"]

#: Axis ranges of the views a user can pick. [chromaticity]
#: The whole diagram leaves room for the locus' labels around it; exported
#: figures widen one range further for equal units along x and y.
ZOOMS = {
    "full": {
        "xy": ((-0.1, 0.85), (-0.1, 0.95)),
        "uv": ((-0.08, 0.7), (-0.05, 0.68)),
    },
    "red corner": {
        "xy": ((0.6, 0.76), (0.22, 0.38)),
        "uv": ((0.44, 0.66), (0.46, 0.56)),
    },
}
#: Tick values of the whole diagram's axes (its range has margins).
_FULL_TICKS = {
    "xy": (
        [round(0.1 * i, 1) for i in range(9)],
        [round(0.1 * i, 1) for i in range(10)],
    ),
    "uv": (
        [round(0.1 * i, 1) for i in range(7)],
        [round(0.1 * i, 1) for i in range(7)],
    ),
}

_GAMUT_DASH = {
    "BT.2020": [1, 0],
    "DCI-P3": [6, 3],
    "sRGB / BT.709": [2, 2],
    "NTSC (1953)": [8, 2, 2, 2],
}


def _to_space(xy: np.ndarray, space: str) -> np.ndarray:
    return xy if space == "xy" else colorimetry.uv_prime_from_xy(xy)


def _fit_view(data: pd.DataFrame, space: str):
    """A square view around the points and the BT.2020 red primary."""
    red = _to_space(np.asarray([colorimetry.BT2020_RED_XY]), space)[0]
    a = np.r_[data["a"].dropna().to_numpy(), red[0]]
    b = np.r_[data["b"].dropna().to_numpy(), red[1]]
    span = max(np.ptp(a), np.ptp(b)) * 1.3 + 0.004
    centre_a, centre_b = (a.min() + a.max()) / 2, (b.min() + b.max()) / 2
    return (
        (centre_a - span / 2, centre_a + span / 2),
        (centre_b - span / 2, centre_b + span / 2),
    )


def locus_frame(space: str = "xy") -> pd.DataFrame:
    """Spectral locus 360–699 nm (closed by the purple line) as a frame."""
    wavelength, xy = colorimetry.spectral_locus_xy(1.0)
    coords = _to_space(xy, space)
    frame = pd.DataFrame({"a": coords[:, 0], "b": coords[:, 1], "nm": wavelength})
    frame["order"] = np.arange(len(frame))
    closing = frame.iloc[[0]].assign(order=len(frame))
    return pd.concat([frame, closing], ignore_index=True)


def gamut_frame(names=None, space: str = "xy") -> pd.DataFrame:
    """Closed triangles of the display gamuts in :data:`colorimetry.GAMUTS`."""
    rows = []
    for name in names or colorimetry.GAMUTS:
        primaries = _to_space(colorimetry.gamut_primaries_xy(name), space)
        for order, k in enumerate((0, 1, 2, 0)):
            rows.append(
                {
                    "gamut": name,
                    "a": primaries[k, 0],
                    "b": primaries[k, 1],
                    "order": order,
                }
            )
    return pd.DataFrame(rows)


#: Wavelengths that may be labelled on the spectral locus, most wanted first;
#: a label is kept when it is far enough from those kept before it and fits
#: inside the view (:func:`_locus_ticks`). [nm]
_LOCUS_TICKS_NM = (
    *range(620, 701, 20),
    *range(460, 601, 20),
    *range(610, 691, 20),
)
#: Label box of three digits and its gap from the locus, as fractions of
#: the view's span (a plot ≈ 110 pt across at 7 pt type, the tightest preset).
_LABEL_W, _LABEL_H, _LABEL_GAP, _LABEL_APART = 0.14, 0.075, 0.03, 0.09
#: A label's box keeps this far from the BT.2020 red point (the cross's arm
#: and a gap), as a fraction of the view's span.
_CROSS_CLEAR = 0.06
#: Where a label goes for each direction of the locus' outward normal
#: (eighths of a turn from +x, counter-clockwise): align, baseline.
_PLACES: dict[int, tuple[Any, Any]] = {
    0: ("left", "middle"),
    1: ("left", "bottom"),
    2: ("center", "bottom"),
    3: ("right", "bottom"),
    4: ("right", "middle"),
    5: ("right", "top"),
    6: ("center", "top"),
    7: ("left", "top"),
}


def _normals(locus: pd.DataFrame, space: str) -> np.ndarray:
    """Unit normals of the locus at each point, pointing away from white."""
    a, b = locus["a"].to_numpy(), locus["b"].to_numpy()
    ta, tb = np.gradient(a), np.gradient(b)
    n = np.column_stack([tb, -ta])
    n /= np.maximum(np.hypot(n[:, 0], n[:, 1]), 1e-12)[:, None]
    white = _to_space(np.asarray([[1 / 3, 1 / 3]]), space)[0]
    outward = np.sign((a - white[0]) * n[:, 0] + (b - white[1]) * n[:, 1]).reshape(
        -1, 1
    )
    return n * np.where(outward == 0, 1.0, outward)


def _label_box(a, b, eighth, span):
    """The label's box (a0, a1, b0, b1) in chromaticity units."""
    align, baseline = _PLACES[eighth]
    w, h, gap = _LABEL_W * span, _LABEL_H * span, _LABEL_GAP * span
    a0 = {"left": a + gap, "center": a - w / 2, "right": a - gap - w}[align]
    b0 = {"bottom": b + gap, "middle": b - h / 2, "top": b - gap - h}[baseline]
    return a0, a0 + w, b0, b0 + h


def _locus_ticks(locus: pd.DataFrame, space: str, view) -> pd.DataFrame:
    """
    The labelled wavelengths with where their labels go (``eighth``): in
    order of :data:`_LOCUS_TICKS_NM`, each kept when its label lies inside
    the view, it is ``_LABEL_APART`` of the span from every label kept, and
    its box stays a gap away from the BT.2020 red cross (which sits on the
    locus at 630 nm: its label would run into the cross).
    """
    (x0, x1), (y0, y1) = view
    span = max(x1 - x0, y1 - y0)
    red_a, red_b = _to_space(np.asarray([colorimetry.BT2020_RED_XY]), space)[0]
    pad = _CROSS_CLEAR * span
    normals = _normals(locus, space)
    angle = np.degrees(np.arctan2(normals[:, 1], normals[:, 0])) % 360
    eighths = np.round(angle / 45).astype(int) % 8
    kept: list[int] = []
    for nm in _LOCUS_TICKS_NM:
        index = np.flatnonzero(np.isclose(locus["nm"].to_numpy(), nm))
        if not index.size:
            continue
        i = int(index[0])
        a, b = locus["a"].iat[i], locus["b"].iat[i]
        a0, a1, b0, b1 = _label_box(a, b, eighths[i], span)
        inside = x0 <= a0 and a1 <= x1 and y0 <= b0 and b1 <= y1
        on_cross = a0 - pad <= red_a <= a1 + pad and b0 - pad <= red_b <= b1 + pad
        apart = not on_cross and all(
            np.hypot(a - locus["a"].iat[j], b - locus["b"].iat[j])
            >= _LABEL_APART * span
            for j in kept
        )
        if inside and apart:
            kept.append(i)
    ticks = locus.iloc[kept].copy()
    ticks["eighth"] = eighths[kept]
    return ticks


def _titles(space: str) -> tuple[str, str]:
    return ("CIE x", "CIE y") if space == "xy" else ("CIE u'", "CIE v'")


#: σ columns of each space, when the points carry them.
_SD_COLUMNS = {"xy": ("cie_x_sd", "cie_y_sd"), "uv": ("u_prime_sd", "v_prime_sd")}


def _with_coordinates(points: pd.DataFrame, space: str) -> pd.DataFrame:
    """
    A copy of the points with their coordinates in ``space`` as a, b (and
    their σ as a_sd, b_sd when the points hold them).
    """
    data = points.copy()
    if space == "xy":
        data["a"], data["b"] = data["cie_x"], data["cie_y"]
    else:
        uv = colorimetry.uv_prime_from_xy(data[["cie_x", "cie_y"]].to_numpy())
        data["a"], data["b"] = uv[:, 0], uv[:, 1]
    sd_a, sd_b = _SD_COLUMNS[space]
    if sd_a in data and sd_b in data:
        data["a_sd"], data["b_sd"] = data[sd_a], data[sd_b]
    return data


def _error_bars(ends: pd.DataFrame, x_enc, y_enc, color) -> list:
    """±2σ crosses on the start and end points (when σ is known)."""
    if "a_sd" not in ends:
        return []
    bars = ends.assign(
        a_low=ends.a - 2 * ends.a_sd,
        a_high=ends.a + 2 * ends.a_sd,
        b_low=ends.b - 2 * ends.b_sd,
        b_high=ends.b + 2 * ends.b_sd,
    )
    chart = alt.Chart(bars).encode(color=color)
    return [
        chart.mark_rule(clip=True).encode(x="a_low:Q", x2="a_high:Q", y=y_enc),
        chart.mark_rule(clip=True).encode(y="b_low:Q", y2="b_high:Q", x=x_enc),
    ]


def _view(data: pd.DataFrame, space: str, zoom: str):
    """The axis ranges ((x0, x1), (y0, y1)) of a zoom."""
    if zoom == "data":
        return _fit_view(data, space)
    return ZOOMS[zoom][space]


def _locus_layers(space: str, zoom: str, view, x_enc, y_enc) -> list:
    """The spectral locus (cropped near the view unless full) and its labels."""
    (x0, x1), (y0, y1) = view
    locus = locus_frame(space)
    if zoom != "full":
        locus = locus[
            (locus.a >= x0 - 0.05)
            & (locus.a <= x1 + 0.05)
            & (locus.b >= y0 - 0.05)
            & (locus.b <= y1 + 0.05)
        ]
    line = (
        alt.Chart(locus)
        .mark_line(color="#555555", strokeWidth=1, clip=True)
        .encode(
            x=x_enc,
            y=y_enc,
            order="order:Q",
            tooltip=[alt.Tooltip("nm:Q", title="λ [nm]")],
        )
    )
    ticks = _locus_ticks(locus_frame(space), space, view)
    labels = [
        alt.Chart(group)
        .mark_text(
            align=_PLACES[eighth][0],
            baseline=_PLACES[eighth][1],
            dx=4 * np.cos(np.radians(45 * eighth)),
            dy=-4 * np.sin(np.radians(45 * eighth)),
            color="#555555",
            clip=True,
        )
        .encode(x="a:Q", y="b:Q", text=alt.Text("nm:Q", format=".0f"))
        for eighth, group in ticks.groupby("eighth", sort=True)
    ]
    return [line, *labels]


def _gamut_layer(gamuts, space: str) -> alt.Chart:
    """The gamut triangles, told apart by their stroke dash."""
    drawn = list(gamuts or colorimetry.GAMUTS)
    return (
        alt.Chart(gamut_frame(drawn, space))
        .mark_line(strokeWidth=1, clip=True)
        .encode(
            x="a:Q",
            y="b:Q",
            order="order:Q",
            detail="gamut:N",
            strokeDash=alt.StrokeDash(
                "gamut:N",
                scale=alt.Scale(
                    domain=drawn, range=[_GAMUT_DASH[name] for name in drawn]
                ),
                legend=alt.Legend(title="gamut"),
            ),
            color=alt.value("#888888"),
        )
    )


def _device_tooltip(axis_title: str, space: str) -> list:
    a_title, b_title = _titles(space)
    return [
        alt.Tooltip("device:N"),
        alt.Tooltip("axis:Q", title=axis_title or "axis", format=".3g"),
        alt.Tooltip("a:Q", title=a_title, format=".4f"),
        alt.Tooltip("b:Q", title=b_title, format=".4f"),
    ]


def _trajectory_layers(data: pd.DataFrame, base, x_enc, y_enc, color, tooltip):
    """Each device's points joined in axis order, its start and end marked."""
    first = data.groupby("device", sort=False).head(1).assign(mark="start")
    last = data.groupby("device", sort=False).tail(1).assign(mark="end")
    both = pd.concat([first, last], ignore_index=True)
    ends = (
        alt.Chart(both)
        .mark_point(size=50, filled=True, clip=True)
        .encode(
            x=x_enc,
            y=y_enc,
            color=color,
            shape=alt.Shape(
                "mark:N",
                title="",
                scale=alt.Scale(domain=["start", "end"], range=["circle", "square"]),
            ),
            tooltip=tooltip,
        )
    )
    return [
        base.mark_line(strokeWidth=1.2, clip=True).encode(
            order="axis:Q", detail="device:N"
        ),
        *_error_bars(both, x_enc, y_enc, color),
        ends,
        base.mark_circle(size=12, opacity=0.6, clip=True).encode(tooltip=tooltip),
    ]


def _device_layers(data, x_enc, y_enc, color, trajectory, axis_title, space):
    """The devices' points (as trajectories when ``trajectory``)."""
    if "axis" not in data:
        data["axis"] = np.arange(len(data), dtype=float)
    data = data.sort_values(["device", "axis"])
    tooltip = _device_tooltip(axis_title, space)
    base = alt.Chart(data).encode(x=x_enc, y=y_enc, color=color)
    if trajectory:
        return _trajectory_layers(data, base, x_enc, y_enc, color, tooltip)
    return [base.mark_point(size=50, filled=True, clip=True).encode(tooltip=tooltip)]


def _red_primary_layer(space: str) -> alt.Chart:
    """The BT.2020 red primary, the target of pure-red emitters, as a cross."""
    red_point = _to_space(np.asarray([colorimetry.BT2020_RED_XY]), space)
    return (
        alt.Chart(
            pd.DataFrame(
                {"a": red_point[:, 0], "b": red_point[:, 1], "label": ["BT.2020 red"]}
            )
        )
        .mark_point(shape="cross", size=90, color="black", clip=True)
        .encode(x="a:Q", y="b:Q", tooltip="label:N")
    )


def cie_chart(
    points: pd.DataFrame,
    *,
    space: str = "xy",
    zoom: str = "full",
    color_scale: alt.Scale | None = None,
    gamuts=None,
    trajectory: bool = True,
    axis_title: str = "",
    color_title: str = "device",
) -> alt.LayerChart | alt.FacetChart:
    """
    CIE diagram with the spectral locus, gamut triangles and device points.

    Parameters
    ----------
    points : pandas.DataFrame
        Columns ``device``, ``cie_x``, ``cie_y`` (with ``cie_x_sd``,
        ``cie_y_sd`` or ``u_prime_sd``, ``v_prime_sd`` the start and end
        points get ±2σ error bars; and ``axis`` to order a
        trajectory and label tooltips). Each device's points are joined in
        axis order when ``trajectory`` is True, with the first point drawn as
        an open circle ("start") and the last as a filled square ("end").
    space : {"xy", "uv"}
        CIE 1931 xy or CIE 1976 u'v'.
    zoom : {"data", "full", "red corner"}
        ``"data"`` fits the points and BT.2020 red; the others are the fixed
        ranges of :data:`ZOOMS`.
    color_scale : altair.Scale, optional
        Device colours (:func:`core.figures.theme.device_color_scale`).
    gamuts : list of str, optional
        Gamuts to draw (default: all of :data:`colorimetry.GAMUTS`).
    trajectory : bool
        Join points per device.
    axis_title : str
        Name of the ordering axis for tooltips ("time [h]").
    color_title : str
        Title of the colour legend.
    """
    a_title, b_title = _titles(space)
    data = _with_coordinates(points, space)
    view = _view(data, space, zoom)
    (x0, x1), (y0, y1) = view
    x_axis: Any = alt.Undefined
    y_axis: Any = alt.Undefined
    if zoom == "full":
        x_axis = alt.Axis(values=_FULL_TICKS[space][0])
        y_axis = alt.Axis(values=_FULL_TICKS[space][1])
    x_enc = alt.X(
        "a:Q",
        title=a_title,
        scale=alt.Scale(domain=[x0, x1], clamp=False, nice=False),
        axis=x_axis,
    )
    y_enc = alt.Y(
        "b:Q",
        title=b_title,
        scale=alt.Scale(domain=[y0, y1], clamp=False, nice=False),
        axis=y_axis,
    )
    color = alt.Color(
        "device:N",
        title=color_title,
        scale=color_scale if color_scale is not None else alt.Undefined,
    )
    layers = [
        *_locus_layers(space, zoom, view, x_enc, y_enc),
        _gamut_layer(gamuts, space),
        *_device_layers(data, x_enc, y_enc, color, trajectory, axis_title, space),
        _red_primary_layer(space),
    ]
    # One unit is as long along x as along y in the exported figure.
    return alt.layer(*layers).properties(usermeta={ASPECT_KEY: True})
