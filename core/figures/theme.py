"""
The one publication theme every chart of PeLED Bench uses, and journal sizes.

Font: Liberation Sans (metric-compatible with Arial/Helvetica, which journals
ask for). vl-convert embeds it, so labels survive SVG/PDF/PNG export on any
machine; a font the export engine lacks ("Arial") silently drops every label
(docs/methods.md §6). Colours: :mod:`core.figures.colors` (Okabe & Ito's
colour-blind-safe set first; the same device keeps its colour on every page,
:func:`device_color_scale`).

Type and marks follow the preset: fonts from its ``font_pt``, data lines from
its ``line_width`` and markers from the square of its font (builders draw at
screen size; :mod:`core.figures.finish` scales their explicit widths and
sizes, wraps titles and fits legends so that nothing is shortened).

Sizes are exact: :func:`themed` makes the whole figure (axes, legend and
padding included) the preset's width × height. Vega draws 1 px as 1 pt
(1/72 in) in SVG and PDF, so a preset of 8.25 cm is 233.86 pt wide in SVG and
PDF and 8.25 / 2.54 × dpi px in PNG. Single and layered charts use Vega's
``fit`` autosize; concatenated, faceted and repeated charts (which Vega cannot
fit) get their panels resized from two measured renders and the last fraction
of a point absorbed by the padding (:mod:`core.figures.fitting`); charts that
ask for it (``usermeta["peled_equal_aspect"]``: chromaticity diagrams) get
equal units along x and y.

The presets live in :mod:`core.figures.presets` (plain data, no Altair) and
are re-exported here. Column widths (checked against the publishers' guides):
ACS 3.25 in (8.25 cm) and 7 in (17.78 cm); RSC 8.3 cm and 17.1 cm, 7 pt Arial;
Nature 89 mm and 183 mm, text 5–7 pt, at most 170 mm high; Wiley journals
differ from one another, ≈ 8.5 cm and ≈ 17.8 cm are typical (check the
journal's guide).
"""

from __future__ import annotations

from typing import Any

import altair as alt

from core.figures.colors import PALETTE, assign_colors, device_colors
from core.figures.finish import (
    USERMETA_KEY,
    chart_spec,
    finish_spec,
    log_label_expr,
    target_size_pt,
)
from core.figures.fitting import ASPECT_KEY, OFFLINE, fit_compound, fit_equal_aspect
from core.figures.presets import (
    DEFAULT_PRESET,
    PRESETS,
    Preset,
    cm_to_px,
    px_to_cm,
)

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
    "ASPECT_KEY",
]

FONT = "Liberation Sans"
#: Labels of a log axis reaching beyond 0.01–1000 (see
#: :func:`core.figures.finish.log_label_expr`).
LOG_LABEL_EXPR = log_label_expr("exponent")


def device_color_scale(names, colors=None) -> alt.Scale:
    """
    An Altair colour scale of device names.

    Parameters
    ----------
    names : iterable of str
        The devices, in the session's order.
    colors : mapping of str to str, optional
        Colours already given (the session's); the others get
        :func:`core.figures.colors.assign_colors`.
    """
    mapping = assign_colors(names, colors)
    shown = list(dict.fromkeys(names))
    return alt.Scale(domain=shown, range=[mapping[name] for name in shown])


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
        # gradients along the width. The columns and label widths of each
        # legend are set from its labels (core.figures.finish).
        legend |= {
            "direction": "horizontal",
            "columns": 2,
            "titleOrient": "left",
            "offset": 0.6 * font,
            "labelLimit": width_pt - 4 * font,
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


def _marker_area(p: Preset) -> float:
    """Default marker area: Vega-Lite's 30 px² on screen, with the font's
    square elsewhere. [pt²]"""
    return 30.0 * (p.font_pt / PRESETS[DEFAULT_PRESET].font_pt) ** 2


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
        "trail": {"strokeWidth": p.line_width},
        "point": {"size": _marker_area(p)},
        "circle": {"size": _marker_area(p)},
        "square": {"size": _marker_area(p)},
        "text": {"font": FONT, "fontSize": font},
        "range": {"category": list(PALETTE)},
        "concat": {"spacing": 2 * font},
        "facet": {"spacing": 1.5 * font},
    }


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
        is exactly the target size (two to three offline renders, ≈ 0.1 s),
        and equal-aspect charts measure their plot to match their scales.
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
    sized.usermeta = {**_usermeta(chart), USERMETA_KEY: meta}
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
    if exact and _usermeta(chart).get(ASPECT_KEY):
        return fit_equal_aspect(sized)
    return sized


def _usermeta(chart) -> dict:
    meta: Any = getattr(chart, "usermeta", alt.Undefined)
    if meta is alt.Undefined or meta is None:
        return {}
    return dict(meta) if isinstance(meta, dict) else meta.to_dict()
