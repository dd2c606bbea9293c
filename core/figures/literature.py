"""
Charts of the literature table: where a device stands among published ones.

Every builder takes the frame from :func:`literature_chart_frame` and returns
an un-themed Altair chart; apply :func:`core.figures.theme.themed` (and export
with :mod:`core.figures.export`) in the page or script.

Colours: each emitter class has one colour in every chart (its place in
:data:`EMITTER_CLASSES`, from :data:`core.figures.colors.CATEGORY_PALETTE`,
none of them a device colour), and the user's device its own (the session's
colour of that device, ``device_color``), in the same legend.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from core import literature
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.figures.cie import cie_chart
from core.figures.colors import CATEGORY_PALETTE, distinct_colors

__all__ = [
    "DEVICE_LABEL",
    "EMITTER_CLASSES",
    "literature_color_scale",
    "T50_MARKS",
    "cie_red_corner_chart",
    "eqe_vs_peak_chart",
    "literature_chart_frame",
    "lmax_vs_eqe_chart",
    "t50_vs_eqe_chart",
]

#: Legend/source label of the user's own device in every chart.
DEVICE_LABEL = "your device"
#: Colour of a device typed in by hand (not a session device).
_DEVICE_COLOR = "#000000"
#: The emitter classes of the table's codebook (literature/README.md), in
#: the order their colours are given.
EMITTER_CLASSES = (
    "quantum-dots",
    "quasi-2D",
    "3D-film",
    "nanoplatelets",
    "nanocrystals-in-matrix",
    "other",
)

_CHART_COLUMNS = [
    "record_id",
    "label",
    "source",
    "emitter_class",
    "rankable",
    "el_peak_nm",
    "eqe_max_percent",
    "luminance_max_cd_m2",
    "t50_ref_h",
    "t50_ref_bound_h",
    "t50_plot_h",
    "t50_ref_kind",
    "t50_mark",
    "cie_x",
    "cie_y",
    "group",
]

#: How each kind of T50 is drawn on the T50 chart (the legend's entries).
T50_MARKS = {
    "measured": "measured",
    "kind not stated": "kind not stated",
    "normalised": "normalised",
    "extrapolated": "extrapolated",
    "lower bound": "lower bound (>): open",
}
_T50_SHAPES = ["circle", "cross", "diamond", "square", "triangle-up"]
# Vega-Lite draws a shape legend's symbols filled: the open marker of a bound
# is explained in the title (exported with the figure).
_T50_NOTE = "T50: open ▲ = lower bound (>), the true T50 is longer"


def _label(row: pd.Series) -> str:
    author = str(row.get("first_author", "") or "").strip()
    year = row.get("year")
    year_text = "" if pd.isna(year) else str(int(year))
    if author:
        return f"{author} {year_text}".strip()
    return str(row["record_id"])


def literature_chart_frame(
    table: pd.DataFrame,
    device: Mapping | None = None,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    One tidy frame for all literature charts, with the device appended.

    Parameters
    ----------
    table : pandas.DataFrame
        Typed (and possibly filtered) literature table.
    device : mapping, optional
        The user's device, keys as in :func:`core.literature.rank_device`
        plus optional ``el_peak_nm`` [nm].
    reference_luminance_cd_m2 : float
        Luminance at which T50 is shown. [cd/m²]
    n : float
        Acceleration exponent for the T50 conversion. [-]

    Returns
    -------
    pandas.DataFrame
        Columns ``record_id, label, source, emitter_class, rankable,
        el_peak_nm, eqe_max_percent, luminance_max_cd_m2, t50_ref_h,
        t50_ref_bound_h, t50_plot_h, t50_ref_kind, t50_mark, cie_x, cie_y,
        group``;
        ``source`` is ``"literature"``, ``"user table"`` or
        :data:`DEVICE_LABEL`; ``group`` the emitter class, or the device's
        name on its row (the colour legend); ``t50_plot_h`` is the value, or
        the bound of a ">" T50 (drawn open), and ``t50_mark`` its legend entry
        (:data:`T50_MARKS`).
    """
    frame = table.copy()
    frame = frame.join(literature.normalised_t50_h(frame, reference_luminance_cd_m2, n))
    frame["label"] = [_label(row) for _, row in frame.iterrows()]
    origin = frame["origin"] if "origin" in frame else pd.Series("curated", frame.index)
    frame["source"] = np.where(origin == "user", "user table", "literature")
    frame["t50_plot_h"] = frame["t50_ref_h"].fillna(frame["t50_ref_bound_h"])
    frame["t50_mark"] = frame["t50_ref_kind"].map(T50_MARKS).fillna("")
    frame["group"] = frame["emitter_class"].fillna("other").replace("", "other")
    frame = frame[_CHART_COLUMNS]
    if device:
        t50 = literature.device_t50_ref(device, reference_luminance_cd_m2, n)
        plotted = t50.value_h if np.isfinite(t50.value_h) else t50.bound_h
        kind = t50.kind if np.isfinite(plotted) else ""

        def number(key: str) -> float:
            value = device.get(key)
            if value is None:
                return np.nan
            try:
                return float(value)
            except (TypeError, ValueError):
                return np.nan

        row = {
            "record_id": DEVICE_LABEL,
            "label": str(device.get("name") or DEVICE_LABEL),
            "source": DEVICE_LABEL,
            "emitter_class": "",
            "rankable": False,
            "el_peak_nm": number("el_peak_nm"),
            "eqe_max_percent": number("eqe_max_percent"),
            "luminance_max_cd_m2": number("luminance_max_cd_m2"),
            "t50_ref_h": t50.value_h,
            "t50_ref_bound_h": t50.bound_h,
            "t50_plot_h": plotted,
            "t50_ref_kind": kind,
            "t50_mark": T50_MARKS.get(kind, ""),
            "cie_x": number("cie_x"),
            "cie_y": number("cie_y"),
            "group": str(device.get("name") or DEVICE_LABEL),
        }
        frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    return frame.reset_index(drop=True)


def _tooltip(extra: list) -> list:
    return [
        alt.Tooltip("label:N", title="device"),
        alt.Tooltip("record_id:N", title="record"),
        alt.Tooltip("source:N"),
        *extra,
    ]


def literature_color_scale(frame: pd.DataFrame, device_color: str | None = None):
    """
    The colour of every emitter class (all of :data:`EMITTER_CLASSES`, then
    any other class in ``frame``: the same colour on every chart) and of the
    device (``device_color``, black by default; no class takes it).
    """
    extra = sorted(set(frame["group"][frame["source"] != DEVICE_LABEL]))
    classes = [*EMITTER_CLASSES, *(c for c in extra if c not in EMITTER_CLASSES)]
    device = device_color or _DEVICE_COLOR
    colors = distinct_colors(classes, CATEGORY_PALETTE, avoid=[device])
    mine = list(dict.fromkeys(frame["group"][frame["source"] == DEVICE_LABEL]))
    return alt.Scale(
        domain=[*classes, *mine],
        range=[*colors.values(), *([device] * len(mine))],
    )


def _label_place(data: pd.DataFrame, mine: pd.DataFrame, x, y) -> dict:
    """
    Where the device's name goes: towards the middle of the plot from its
    point (left of it in the right half, below it in the top half), so it
    stays inside the plot and off the legend.
    """
    place = {"align": "left", "dx": 8, "baseline": "bottom", "dy": -6}

    def half(column: str, log: bool) -> bool:
        values = pd.to_numeric(data[column], errors="coerce").dropna()
        values = values[values > 0] if log else values
        if values.empty or mine[column].isna().all():
            return False
        transform = np.log10 if log else (lambda v: v)
        low, high = transform(values.min()), transform(values.max())
        return bool(transform(float(mine[column].iloc[0])) > (low + high) / 2)

    def is_log(channel) -> bool:
        scale = channel.to_dict().get("scale", {})
        return isinstance(scale, dict) and scale.get("type") == "log"

    x_field = x.to_dict()["field"]
    y_field = y.to_dict()["field"]
    if half(x_field, is_log(x)):
        place |= {"align": "right", "dx": -8}
    if half(y_field, is_log(y)):
        place |= {"baseline": "top", "dy": 6}
    return place


def _scatter(
    frame: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    tooltip: list,
    required: list[str],
    shape: alt.Shape | None = None,
    scale: alt.Scale | None = None,
) -> list[alt.Chart]:
    # A list, not alt.layer: a one-layer LayerChart hoists its data to the
    # parent, and a caller re-layering its ``.layer`` would lose the points.
    data = frame.dropna(subset=required)
    others = data[data["source"] != DEVICE_LABEL]
    mine = data[data["source"] == DEVICE_LABEL]
    scale = scale if scale is not None else literature_color_scale(frame)
    color = _color(scale)
    encoding = {"x": x, "y": y, "color": color, "tooltip": tooltip}
    if shape is not None:
        encoding["shape"] = shape
    layers = [
        alt.Chart(others)
        .mark_point(size=55, filled=True, opacity=0.85)
        .encode(**encoding)
    ]
    if len(mine):
        layers.append(
            alt.Chart(mine)
            .mark_point(shape="diamond", size=160, filled=True, opacity=1)
            .encode(x=x, y=y, color=color, tooltip=tooltip)
        )
        layers.append(
            alt.Chart(mine)
            .mark_text(**_label_place(data, mine, x, y))
            .encode(x=x, y=y, text="label:N", color=_color(scale, legend=None))
        )
    return layers


def _color(scale: alt.Scale, **options) -> alt.Color:
    return alt.Color("group:N", title="emitter", scale=scale, **options)


def eqe_vs_peak_chart(
    frame: pd.DataFrame, *, device_color: str | None = None
) -> alt.LayerChart | alt.FacetChart:
    """
    Maximum EQE [%] against EL peak [nm], pure-red window shaded.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`literature_chart_frame`.

    Returns
    -------
    altair.LayerChart
    """
    x = alt.X("el_peak_nm:Q", title="EL peak [nm]", scale=alt.Scale(zero=False))
    y = alt.Y("eqe_max_percent:Q", title="maximum EQE [%]")
    tooltip = _tooltip(
        [
            alt.Tooltip("el_peak_nm:Q", title="EL peak [nm]"),
            alt.Tooltip("eqe_max_percent:Q", title="EQE max [%]"),
        ]
    )
    window = (
        alt.Chart(pd.DataFrame({"start": [620.0], "end": [650.0]}))
        .mark_rect(color="#E69F00", opacity=0.12)
        .encode(x="start:Q", x2="end:Q")
    )
    scale = literature_color_scale(frame, device_color)
    points = _scatter(
        frame, x, y, tooltip, ["el_peak_nm", "eqe_max_percent"], None, scale
    )
    return alt.layer(window, *points)


def t50_vs_eqe_chart(
    frame: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    *,
    device_color: str | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """
    T50 at the reference luminance [h, log] against maximum EQE [%].

    The shape tells how each T50 was obtained (measured, normalised from
    another L0, extrapolated by its authors, kind not stated); a ">" lower
    bound is drawn open at its bound, so that it is never read as a value.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`literature_chart_frame`.
    reference_luminance_cd_m2 : float
        Reference luminance used for ``t50_ref_h``, for the axis title. [cd/m²]

    Returns
    -------
    altair.LayerChart
    """
    x = alt.X("eqe_max_percent:Q", title="maximum EQE [%]")
    y = alt.Y(
        "t50_plot_h:Q",
        title=f"T50 at {reference_luminance_cd_m2:g} cd/m² [h]",
        scale=alt.Scale(type="log"),
    )
    shape = alt.Shape(
        "t50_mark:N",
        title="T50",
        scale=alt.Scale(domain=list(T50_MARKS.values()), range=_T50_SHAPES),
    )
    tooltip = _tooltip(
        [
            alt.Tooltip("t50_ref_h:Q", title="T50 [h]", format=".3g"),
            alt.Tooltip("t50_ref_bound_h:Q", title="T50 > [h]", format=".3g"),
            alt.Tooltip("t50_ref_kind:N", title="T50 kind"),
            alt.Tooltip("eqe_max_percent:Q", title="EQE max [%]"),
        ]
    )
    data = frame[frame["t50_plot_h"] > 0].dropna(subset=["eqe_max_percent"])
    bound = data["t50_ref_bound_h"].notna()
    scale = literature_color_scale(frame, device_color)
    layers = _scatter(data[~bound], x, y, tooltip, ["t50_plot_h"], shape, scale)
    others = data[bound & (data["source"] != DEVICE_LABEL)]
    mine = data[bound & (data["source"] == DEVICE_LABEL)]
    if len(others):
        layers.append(
            alt.Chart(others)
            .mark_point(size=70, filled=False, strokeWidth=2)
            .encode(x=x, y=y, color=_color(scale), shape=shape, tooltip=tooltip)
        )
    if len(mine):
        layers += [
            alt.Chart(mine)
            .mark_point(shape="diamond", size=160, filled=False, strokeWidth=2)
            .encode(x=x, y=y, color=_color(scale), tooltip=tooltip),
            alt.Chart(mine)
            .mark_text(**_label_place(data, mine, x, y))
            .encode(x=x, y=y, text="label:N", color=_color(scale, legend=None)),
        ]
    return alt.layer(*layers).properties(title=alt.TitleParams(text=_T50_NOTE))


def lmax_vs_eqe_chart(
    frame: pd.DataFrame, *, device_color: str | None = None
) -> alt.LayerChart | alt.FacetChart:
    """
    Maximum luminance [cd/m², log] against maximum EQE [%].

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`literature_chart_frame`.

    Returns
    -------
    altair.LayerChart
    """
    x = alt.X("eqe_max_percent:Q", title="maximum EQE [%]")
    y = alt.Y(
        "luminance_max_cd_m2:Q",
        title="maximum luminance [cd/m²]",
        scale=alt.Scale(type="log"),
    )
    tooltip = _tooltip(
        [
            alt.Tooltip("luminance_max_cd_m2:Q", title="L max [cd/m²]"),
            alt.Tooltip("eqe_max_percent:Q", title="EQE max [%]"),
        ]
    )
    data = frame[frame["luminance_max_cd_m2"] > 0]
    scale = literature_color_scale(frame, device_color)
    required = ["luminance_max_cd_m2", "eqe_max_percent"]
    return alt.layer(*_scatter(data, x, y, tooltip, required, None, scale))


def cie_red_corner_chart(
    frame: pd.DataFrame, *, device_color: str | None = None
) -> alt.LayerChart | alt.FacetChart:
    """
    The red corner of the CIE 1931 xy diagram with BT.2020 red marked, the
    published devices coloured by emitter class as on the other charts.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`literature_chart_frame`; rows without CIE are left out.

    Returns
    -------
    altair.LayerChart
    """
    data = frame.dropna(subset=["cie_x", "cie_y"])
    points = pd.DataFrame(
        {
            "device": data["group"].to_numpy(),
            "cie_x": data["cie_x"].to_numpy(),
            "cie_y": data["cie_y"].to_numpy(),
        }
    )
    return cie_chart(
        points,
        zoom="red corner",
        trajectory=False,
        gamuts=["BT.2020"],
        color_scale=literature_color_scale(frame, device_color),
        color_title="emitter",
    )
