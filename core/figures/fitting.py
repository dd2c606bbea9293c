"""
Sizing that needs a render: panels of compound charts, equal-aspect views.

Vega's ``fit`` autosize sizes single and layered views to the figure, but not
concatenated or faceted ones (:func:`fit_compound` resizes their panels from
measured renders), and it knows nothing of aspect: a chromaticity diagram
must have as many pt per unit along x as along y (:func:`fit_equal_aspect`
widens the shorter domain around its centre from the plot's measured size).
Both work on the finished spec and render offline with vl-convert.
"""

from __future__ import annotations

from typing import Any

import vl_convert

from core.figures.finish import chart_spec, target_size_pt
from core.figures.sizes import svg_size_pt

__all__ = ["OFFLINE", "ASPECT_KEY", "fit_compound", "fit_equal_aspect", "plot_size"]

#: vl-convert options that forbid every network access (fonts, data, images).
OFFLINE: dict[str, Any] = {"allowed_base_urls": []}
#: ``usermeta`` key of a chart whose x and y share one scale (a CIE diagram).
ASPECT_KEY = "peled_equal_aspect"


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


def _rebuilt(chart, spec: dict):
    # Vega's legend layout is not in Vega-Lite's schema: chart_spec adds it
    # again from usermeta at every export.
    spec.get("config", {}).get("legend", {}).pop("layout", None)
    return type(chart).from_dict(spec, validate=False)


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
    if target is None:
        return chart
    spec = chart_spec(chart)
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
    return _rebuilt(chart, spec)


def plot_size(spec: dict) -> tuple[float, float]:
    """Width and height of a single or layered view's plot area. [pt]"""
    graph = vl_convert.vegalite_to_scenegraph(spec, **OFFLINE)
    root = graph["scenegraph"]["items"][0]
    return float(root["width"]), float(root["height"])


def _domains(spec: dict) -> list[dict]:
    """The x and y scale dicts with explicit domains, of every layer."""
    found = []
    for node in [spec, *spec.get("layer", [])]:
        for channel in ("x", "y"):
            definition = (node.get("encoding") or {}).get(channel)
            if isinstance(definition, dict):
                scale = definition.get("scale")
                if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
                    found.append({"channel": channel, "scale": scale})
    return found


def _widen(span: list[float], length: float) -> list[float]:
    centre = (span[0] + span[1]) / 2
    return [centre - length / 2, centre + length / 2]


def fit_equal_aspect(chart, *, tolerance: float = 0.002, rounds: int = 3):
    """
    Widen the x or y domain of a chart so that one unit is as long along x as
    along y (a chromaticity diagram), keeping the figure's size.

    The chart must give explicit x and y scale domains (every layer with the
    same ones); the plot area is measured on the rendered scene and the
    shorter domain is widened around its centre, until the two scales agree
    within ``tolerance`` (tick labels may change the plot's size slightly).

    Returns
    -------
    altair chart
        A chart built from the corrected spec, or ``chart`` when it has no
        explicit domains.
    """
    spec = chart_spec(chart)
    scales = _domains(spec)
    xs = [s["scale"] for s in scales if s["channel"] == "x"]
    ys = [s["scale"] for s in scales if s["channel"] == "y"]
    if not xs or not ys:
        return chart
    x_span, y_span = list(xs[0]["domain"]), list(ys[0]["domain"])
    for _ in range(rounds):
        width, height = plot_size(spec)
        per_x = (x_span[1] - x_span[0]) / width
        per_y = (y_span[1] - y_span[0]) / height
        if abs(per_x / per_y - 1) <= tolerance:
            break
        if per_x < per_y:
            x_span = _widen(x_span, per_y * width)
        else:
            y_span = _widen(y_span, per_x * height)
        for scale in xs:
            scale["domain"] = list(x_span)
        for scale in ys:
            scale["domain"] = list(y_span)
    return _rebuilt(chart, spec)
