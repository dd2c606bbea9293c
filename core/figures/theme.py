"""
The one publication theme every chart of PeLED Bench uses, and journal sizes.

Font: Liberation Sans (metric-compatible with Arial/Helvetica, which journals
ask for). vl-convert embeds it, so labels survive SVG/PDF/PNG export on any
machine; a font the export engine lacks ("Arial") silently drops every label
(docs/methods.md §6). Palette: Okabe & Ito's colour-blind-safe set, the one
Nature's figure guide points to (B. Wong, "Points of view: Color blindness,"
Nat. Methods 8, 441 (2011), doi:10.1038/nmeth.1618). The same device gets the
same colour on every page (:func:`device_color_scale`).

Sizes are exact: :func:`themed` makes the whole figure (axes, legend and
padding included) the preset's width × height. Vega draws 1 px as 1 pt
(1/72 in) in SVG and PDF, so a preset of 8.25 cm is 233.86 pt wide in SVG and
PDF and 8.25 / 2.54 × dpi px in PNG. Single and layered charts use Vega's
``fit`` autosize; concatenated, faceted and repeated charts (which Vega cannot
fit) get their panels resized from two measured renders and the last fraction
of a point absorbed by the padding.

The presets live in :mod:`core.figures.presets` (plain data, no Altair) and
are re-exported here. Column widths (checked against the publishers' guides):
ACS 3.25 in (8.25 cm) and 7 in (17.78 cm); RSC 8.3 cm and 17.1 cm, 7 pt Arial;
Nature 89 mm and 183 mm, text 5–7 pt, at most 170 mm high; Wiley journals
differ from one another, ≈ 8.5 cm and ≈ 17.8 cm are typical (check the
journal's guide).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import altair as alt
import vl_convert

from core.figures.presets import (
    DEFAULT_PRESET,
    PRESETS,
    Preset,
    cm_to_px,
    px_to_cm,
)
from core.figures.sizes import svg_size_pt

__all__ = [
    "FONT",
    "PALETTE",
    "Preset",
    "PRESETS",
    "DEFAULT_PRESET",
    "USERMETA_KEY",
    "cm_to_px",
    "px_to_cm",
    "device_colors",
    "device_color_scale",
    "themed",
    "target_size_pt",
    "finish_spec",
    "chart_spec",
    "fit_compound",
    "LOG_LABEL_EXPR",
    "OFFLINE",
]

FONT = "Liberation Sans"

#: vl-convert options: no URL may be fetched during a conversion (figures
#: carry their data inline).
#: vl-convert options that forbid every network access (fonts, data, images).
OFFLINE: dict[str, Any] = {"allowed_base_urls": []}

#: Okabe & Ito (2008), "Color Universal Design", colour-blind safe.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)

#: Key of the chart's ``usermeta`` where :func:`themed` records its target.
USERMETA_KEY = "peled_figure"


def device_colors(names) -> dict[str, str]:
    """
    Colour of each device, by its position in the session's device list.

    Pass the full, ordered list of the session's devices (not the subset a
    chart shows) so that a device keeps its colour on every page.

    Examples
    --------
    >>> device_colors(["control", "treated", "control"])
    {'control': '#0072B2', 'treated': '#D55E00'}
    """
    unique = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(unique)}


def device_color_scale(names) -> alt.Scale:
    """An Altair colour scale mapping device names to :func:`device_colors`."""
    colors = device_colors(names)
    return alt.Scale(domain=list(colors), range=list(colors.values()))


_COMPOUND = (
    alt.HConcatChart,
    alt.VConcatChart,
    alt.ConcatChart,
    alt.FacetChart,
    alt.RepeatChart,
)


def _legend_config(p: Preset, width_pt: float) -> dict:
    """The theme's legends: sizes from the preset's font, placed by its orient."""
    font = p.font_pt
    legend = {
        "labelFontSize": font,
        "titleFontSize": font,
        "titleFontWeight": "normal",
        "labelFont": FONT,
        "titleFont": FONT,
        "labelColor": "black",
        "titleColor": "black",
        "symbolSize": 4 * font,
        "symbolStrokeWidth": max(1.0, p.line_width),
        "labelLimit": 30 * font,
        "orient": p.legend_orient,
        "padding": 0,
        "rowPadding": 0.3 * font,
        "columnPadding": 0.8 * font,
        "titlePadding": 0.4 * font,
        "gradientLength": 8 * font,
        "gradientThickness": 0.9 * font,
    }
    if p.legend_orient in ("top", "bottom"):
        # Side by side above the plot: the title to the left of the entries,
        # gradients along the width.
        legend |= {
            "direction": "horizontal",
            # Two entries a row: a third long device name runs off a single
            # column (≈ 234 pt).
            "columns": 2,
            "titleOrient": "left",
            "offset": 0.6 * font,
            # Long labels end with "…" rather than running off the figure.
            "labelLimit": max(8 * font, (width_pt - 6 * font) / 2 - 3 * font),
        }
    return legend


def _axis_config(p: Preset) -> dict:
    """The theme's axes: black, no grid, sizes from the preset's font."""
    font = p.font_pt
    return {
        "labelFontSize": font,
        "titleFontSize": font,
        "titleFontWeight": "normal",
        "labelColor": "black",
        "titleColor": "black",
        "domainColor": "black",
        "tickColor": "black",
        "domainWidth": 0.8,
        "tickWidth": 0.8,
        "tickSize": 0.5 * font,
        "labelPadding": 0.3 * font,
        "titlePadding": 0.5 * font,
        "labelFlush": True,
        "labelOverlap": True,
        "grid": False,
        "labelFont": FONT,
        "titleFont": FONT,
    }


def _config(p: Preset, width_pt: float) -> dict:
    """The Vega-Lite ``config`` of the theme for one preset and figure width."""
    font = p.font_pt
    return {
        "font": FONT,
        "background": "white",
        "axis": _axis_config(p),
        "legend": _legend_config(p, width_pt),
        "header": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": font,
            "titleFontSize": font,
            "titleFontWeight": "normal",
        },
        "title": {
            "fontSize": p.title_pt,
            "font": FONT,
            "anchor": "start",
            "fontWeight": "normal",
            "limit": width_pt - font,
            "subtitleFont": FONT,
            "subtitleFontSize": font,
        },
        "view": {"stroke": "black", "strokeWidth": 0.8},
        "line": {"strokeWidth": p.line_width},
        "text": {"font": FONT, "fontSize": font},
        "range": {"category": list(PALETTE)},
        "concat": {"spacing": 2 * font},
        "facet": {"spacing": 1.5 * font},
    }


def target_size_pt(chart_or_spec) -> tuple[float, float] | None:
    """
    Width and height a themed chart must have when exported. [pt]

    Parameters
    ----------
    chart_or_spec : altair chart or dict
        A chart returned by :func:`themed`, or its ``to_dict()``.

    Returns
    -------
    tuple of float or None
        ``(width_pt, height_pt)``, or None for a chart :func:`themed` did not
        size.
    """
    if isinstance(chart_or_spec, dict):
        meta = chart_or_spec.get("usermeta") or {}
    else:
        meta = getattr(chart_or_spec, "usermeta", alt.Undefined)
        meta = {} if meta is alt.Undefined else meta
        if not isinstance(meta, dict):
            meta = meta.to_dict()
    entry = meta.get(USERMETA_KEY)
    if not entry:
        return None
    return float(entry["width_pt"]), float(entry["height_pt"])


# Log axes: decades 0.001 ... 10000 as plain numbers, beyond as 1e−6 (true
# minus). Liberation Sans has no superscript digits (U+2070-2079): a "10⁻⁶"
# label would make the renderer fall back to another font for the whole label.
_DECADE = "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-9"
_EXPONENT = "round(log(datum.value) / LN10)"
LOG_LABEL_EXPR = (
    f"datum.label == '' ? '' : ({_DECADE} && ({_EXPONENT} < -3 || {_EXPONENT} > 4)) ? "
    "replace(replace(format(datum.value, '.0e'), '+', ''), '-', '\u2212') : "
    "replace(replace(datum.label, ',', ''), '-', '\u2212')"
)


def _fix_log_axes(node) -> None:
    if isinstance(node, list):
        for item in node:
            _fix_log_axes(item)
        return
    if not isinstance(node, dict):
        return
    encoding = node.get("encoding")
    if isinstance(encoding, dict):
        for channel in ("x", "y"):
            definition = encoding.get(channel)
            if not isinstance(definition, dict):
                continue
            scale = definition.get("scale")
            if not (isinstance(scale, dict) and scale.get("type") == "log"):
                continue
            axis = definition.get("axis", {})
            if axis is None:
                continue
            if "labelExpr" not in axis and "format" not in axis:
                definition["axis"] = {**axis, "labelExpr": LOG_LABEL_EXPR}
    for key in ("layer", "hconcat", "vconcat", "concat", "spec"):
        if key in node:
            _fix_log_axes(node[key])


def finish_spec(spec: dict) -> dict:
    """
    Last touches the export adds to a themed chart's Vega-Lite spec.

    Vega's legend ``layout`` (several legends stacked above a single-column
    figure), which Vega-Lite's schema cannot carry, and tick labels of log
    axes without thousands separators, with a true minus and ``1e−6`` beyond
    0.001–10000.

    Parameters
    ----------
    spec : dict
        ``chart.to_dict()`` of a chart (changed in place and returned).

    Returns
    -------
    dict
    """
    meta = (spec.get("usermeta") or {}).get(USERMETA_KEY)
    if not meta:
        return spec
    layout = meta.get("legend_layout")
    if layout:
        spec.setdefault("config", {}).setdefault("legend", {})["layout"] = layout
    _fix_log_axes(spec)
    return spec


@contextmanager
def _no_row_limit():
    # Altair refuses data frames over 5000 rows unless told otherwise; a
    # heatmap of 150 spectra x 250 wavelengths is 37 500 rows and is fine.
    with alt.data_transformers.disable_max_rows():
        yield


def chart_spec(chart) -> dict:
    """
    The Vega-Lite spec of a chart, without Altair's 5000-row limit.

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    dict
    """
    with _no_row_limit():
        return finish_spec(chart.to_dict())


def _leaf_specs(spec: dict) -> list[dict]:
    """The dicts whose width/height size the panels of a compound spec."""
    for key in ("hconcat", "vconcat", "concat"):
        if key in spec:
            return [leaf for part in spec[key] for leaf in _leaf_specs(part)]
    if "facet" in spec or "repeat" in spec:
        return _leaf_specs(spec["spec"])
    return [spec]


def _measure(spec: dict) -> tuple[float, float]:
    return svg_size_pt(vl_convert.vegalite_to_svg(spec, **OFFLINE).encode())


def _shift_leaves(spec: dict, base: list, d_width: float, d_height: float):
    for leaf, (width, height) in zip(_leaf_specs(spec), base, strict=True):
        leaf["width"] = max(1.0, width + d_width)
        leaf["height"] = max(1.0, height + d_height)


def fit_compound(chart, *, step_pt: float = 20.0, pad_pt: float = 4.0):
    """
    Resize the panels of a concatenated/faceted chart to its exact target size.

    Vega's ``fit`` autosize does not work for compound views, so the figure is
    rendered twice (panels as given, then every panel ``step_pt`` larger), the
    panel size that hits the target is solved from the two (the figure grows
    linearly with its panels between tick changes), a third render checks it,
    and the remaining fraction of a point goes into the padding.

    Parameters
    ----------
    chart : altair compound chart
        Themed (its target size is in ``usermeta``), with numeric panel sizes.
    step_pt : float
        Trial enlargement of every panel. [pt]
    pad_pt : float
        Padding on each side before the correction. [pt]

    Returns
    -------
    altair chart
        A chart built from the corrected spec.
    """
    target = target_size_pt(chart)
    spec = chart_spec(chart)
    if target is None:
        return chart
    width_t, height_t = target
    spec["autosize"] = {"type": "pad"}
    spec["padding"] = {"left": pad_pt, "right": pad_pt, "top": pad_pt}
    spec["padding"]["bottom"] = pad_pt
    base = [
        (float(leaf.get("width", 200)), float(leaf.get("height", 150)))
        for leaf in _leaf_specs(spec)
    ]
    w0, h0 = _measure(spec)
    _shift_leaves(spec, base, step_pt, step_pt)
    w1, h1 = _measure(spec)
    slope_w = max((w1 - w0) / step_pt, 1e-6)
    slope_h = max((h1 - h0) / step_pt, 1e-6)
    d_width = (width_t - w0) / slope_w
    d_height = (height_t - h0) / slope_h
    for _ in range(3):
        _shift_leaves(spec, base, d_width, d_height)
        w2, h2 = _measure(spec)
        extra_w, extra_h = width_t - w2, height_t - h2
        # Padding can absorb what remains as long as it stays >= 0.
        if extra_w > -2 * pad_pt and extra_h > -2 * pad_pt:
            break
        d_width += min(extra_w, 0) / slope_w - 1.0
        d_height += min(extra_h, 0) / slope_h - 1.0
    spec["padding"] = {
        "left": pad_pt + extra_w / 2,
        "right": pad_pt + extra_w / 2,
        "top": pad_pt + extra_h / 2,
        "bottom": pad_pt + extra_h / 2,
    }
    # Vega's legend layout is not in Vega-Lite's schema: chart_spec adds it
    # again from usermeta at every export.
    spec.get("config", {}).get("legend", {}).pop("layout", None)
    return type(chart).from_dict(spec, validate=False)


def _leaves(chart):
    """The single or layered views inside a compound chart (for sizing)."""
    if isinstance(chart, alt.HConcatChart):
        parts = chart.hconcat
    elif isinstance(chart, alt.VConcatChart):
        parts = chart.vconcat
    elif isinstance(chart, alt.ConcatChart):
        parts = chart.concat
    elif isinstance(chart, (alt.FacetChart, alt.RepeatChart)):
        parts = [chart.spec]
    else:
        return [chart]
    return [leaf for part in parts for leaf in _leaves(part)]


def themed(
    chart,
    preset: str = DEFAULT_PRESET,
    *,
    width_cm: float | None = None,
    height_cm: float | None = None,
    exact: bool = True,
):
    """
    Apply the publication theme and a preset's exact size to a chart.

    Parameters
    ----------
    chart : altair chart
        A single, layered, concatenated, faceted or repeated chart without
        top-level ``configure`` calls. It is not modified.
    preset : str
        A key of :data:`PRESETS`.
    width_cm, height_cm : float, optional
        Whole-figure size overriding the preset's (e.g. a taller panel). [cm]
    exact : bool
        For compound charts, measure and resize the panels so that the figure
        is exactly the target size (two to three offline renders, ≈ 0.1 s).
        With False the panels are only estimated (fast; for the screen).

    Returns
    -------
    altair.TopLevelMixin
        A configured copy whose exported width and height are the target's
        (recorded in ``usermeta["peled_figure"]`` for the export checks).

    Raises
    ------
    KeyError
        For an unknown preset, with the known ones listed.
    """
    if preset not in PRESETS:
        raise KeyError(f"unknown preset {preset!r}; choose one of {list(PRESETS)}")
    p = PRESETS[preset]
    width_pt = cm_to_px(width_cm if width_cm is not None else p.width_cm)
    height_pt = cm_to_px(height_cm if height_cm is not None else p.height_cm)
    sized = chart.copy(deep=True)
    meta = {
        "preset": preset,
        "width_pt": width_pt,
        "height_pt": height_pt,
        "width_cm": px_to_cm(width_pt),
        "height_cm": px_to_cm(height_pt),
    }
    if p.legend_orient in ("top", "bottom"):
        # Several legends stack one above the other instead of running off the
        # side of a narrow figure. Vega-Lite's schema has no place for Vega's
        # legend layout, so export adds it to the spec (see finish_spec).
        meta["legend_layout"] = {
            p.legend_orient: {
                "anchor": "start",
                "direction": "vertical",
                "margin": 0.3 * p.font_pt,
            }
        }
    sized.usermeta = {USERMETA_KEY: meta}
    sized.config = alt.Config.from_dict(_config(p, width_pt))
    if isinstance(sized, _COMPOUND):
        leaves = _leaves(sized)
        columns = max(1, len(leaves) if isinstance(sized, alt.HConcatChart) else 1)
        rows = max(1, len(leaves) if isinstance(sized, alt.VConcatChart) else 1)
        for leaf in leaves:
            leaf.width = max(20.0, (width_pt - 8 * p.font_pt * columns) / columns)
            leaf.height = max(20.0, (height_pt - 6 * p.font_pt * rows) / rows)
        return fit_compound(sized) if exact else sized
    sized.width = width_pt
    sized.height = height_pt
    sized.autosize = alt.AutoSizeParams(type="fit", contains="padding")
    return sized
