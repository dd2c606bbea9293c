"""
The last touches the export gives a themed chart's Vega-Lite spec.

:func:`finish_spec` runs on every export (:func:`chart_spec`), once per spec:

- log axes get one label format per axis (:func:`log_label_expr`),
- line widths and marker sizes are scaled to the preset (builders draw at
  screen size; a single column gets thinner lines and smaller markers),
- titles and axis titles are wrapped to fit the figure,
- legends get as many columns as their longest label allows, and titles
  above rather than beside them when a label needs the whole width, so that
  no label is shortened with "…",
- colour, shape and dash legends list only the values the chart draws
  (:func:`prune_domains`).

It works on the plain spec (the data are inline, in ``datasets``), so any
builder's chart gets it without changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from core.figures.fonts import text_width_pt, wrap_text
from core.figures.presets import DEFAULT_PRESET, PRESETS, Preset

__all__ = [
    "USERMETA_KEY",
    "LEGEND_CHANNELS",
    "target_size_pt",
    "chart_spec",
    "finish_spec",
    "field_values",
    "prune_domains",
    "log_label_expr",
    "fix_log_axes",
    "scale_marks",
    "preset_factors",
    "iter_views",
    "iter_encodings",
    "no_row_limit",
]

#: Key of the chart's ``usermeta`` where :func:`core.figures.theme.themed`
#: records its target size and preset.
USERMETA_KEY = "peled_figure"
#: Channels whose nominal scales get a legend of their values.
LEGEND_CHANNELS = ("color", "fill", "stroke", "strokeDash", "shape")
#: Marks whose stroke width follows the preset (rect strokes close the seams
#: of heatmap cells and keep their width).
_STROKED = ("line", "rule", "trail", "point", "circle", "square", "area", "tick")
_SIZED = ("point", "circle", "square")
#: Vega-Lite's default area of a point mark. [px²]
DEFAULT_POINT_SIZE = 30.0
#: Thinnest data line the export draws (journals ask for ≥ 0.5 pt). [pt]
MIN_LINE_PT = 0.4
_COMPOUND_KEYS = ("layer", "hconcat", "vconcat", "concat")


def target_size_pt(chart_or_spec) -> tuple[float, float] | None:
    """
    Width and height a themed chart must have when exported. [pt]

    Parameters
    ----------
    chart_or_spec : altair chart or dict
        A chart returned by :func:`core.figures.theme.themed`, or its
        ``to_dict()``.

    Returns
    -------
    tuple of float or None
        ``(width_pt, height_pt)``, or None for a chart ``themed`` did not size.
    """
    entry = _meta(chart_or_spec)
    if not entry:
        return None
    return float(entry["width_pt"]), float(entry["height_pt"])


def _meta(chart_or_spec) -> dict:
    if isinstance(chart_or_spec, dict):
        meta = chart_or_spec.get("usermeta") or {}
    else:
        import altair as alt

        meta = getattr(chart_or_spec, "usermeta", alt.Undefined)
        meta = {} if meta is alt.Undefined else meta
        if not isinstance(meta, dict):
            meta = meta.to_dict()
    return meta.get(USERMETA_KEY) or {}


@contextmanager
def no_row_limit():
    # Altair refuses data frames over 5000 rows unless told otherwise; a
    # heatmap of 150 spectra x 250 wavelengths is 37 500 rows and is fine.
    import altair as alt

    with alt.data_transformers.disable_max_rows():
        yield


def chart_spec(chart) -> dict:
    """
    The finished Vega-Lite spec of a chart, without Altair's 5000-row limit.

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    dict
    """
    with no_row_limit():
        return finish_spec(chart.to_dict())


# --------------------------------------------------------------------------
# Walking a spec
# --------------------------------------------------------------------------


def _records(data, datasets):
    """The rows a view draws: a list of dicts, or a DataFrame for a large
    frame the app's screen path keeps whole (ui.memo.base_spec)."""
    if not isinstance(data, dict):
        return []
    if "values" in data and isinstance(data["values"], list):
        return data["values"]
    return datasets.get(data.get("name"), []) if "name" in data else []


def iter_views(spec: dict) -> Iterator[tuple[dict, list]]:
    """Every view of a spec with the records it draws (inherited or its own)."""
    datasets = spec.get("datasets") or {}

    def walk(node, records):
        if not isinstance(node, dict):
            return
        if "data" in node:
            records = _records(node["data"], datasets)
        yield node, records
        for key in _COMPOUND_KEYS:
            for child in node.get(key) or ():
                yield from walk(child, records)
        if isinstance(node.get("spec"), dict):
            yield from walk(node["spec"], records)

    yield from walk(spec, [])


def iter_encodings(spec: dict) -> Iterator[tuple[str, dict, list, dict]]:
    """(channel, definition, records, node) of every encoding channel."""
    for node, records in iter_views(spec):
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        for channel, definition in encoding.items():
            if isinstance(definition, dict):
                yield channel, definition, records, node


def field_values(spec: dict, fields=None) -> dict[str, list]:
    """
    Field -> the distinct values the chart draws for it, in order of
    appearance (the fields of every encoding, read from the inline data;
    only those in ``fields`` if given).
    """
    found: dict[str, dict] = {}
    for _, definition, records, _ in iter_encodings(spec):
        name = definition.get("field")
        if not isinstance(name, str) or (fields is not None and name not in fields):
            continue
        seen = found.setdefault(name, {})
        if isinstance(records, pd.DataFrame):  # a large frame kept as one
            if name in records.columns:
                seen.update(dict.fromkeys(records[name].dropna().tolist()))
            continue
        drawn = (row.get(name) for row in records if isinstance(row, dict))
        seen.update(dict.fromkeys(value for value in drawn if value is not None))
    return {name: list(values) for name, values in found.items()}


def prune_domains(spec: dict) -> dict:
    """
    Keep only the drawn values in nominal scales with an explicit domain and
    range (device colours, dashes, shapes), each with its own colour: a
    legend then lists what the chart shows, and every colour stays the
    device's. Changes ``spec`` in place and returns it.
    """
    needed = {
        str(definition.get("field"))
        for channel, definition, _, _ in iter_encodings(spec)
        if channel in LEGEND_CHANNELS
        and isinstance(definition.get("scale"), dict)
        and isinstance(definition["scale"].get("domain"), list)
    }
    values = field_values(spec, needed)
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in LEGEND_CHANNELS:
            continue
        scale = definition.get("scale")
        drawn = values.get(str(definition.get("field")))
        if not (isinstance(scale, dict) and drawn):
            continue
        domain, range_ = scale.get("domain"), scale.get("range")
        if not (isinstance(domain, list) and isinstance(range_, list)):
            continue
        if len(domain) != len(range_):
            continue
        keep = [i for i, value in enumerate(domain) if value in set(drawn)]
        if keep and len(keep) < len(domain):
            scale["domain"] = [domain[i] for i in keep]
            scale["range"] = [range_[i] for i in keep]
    return spec


# --------------------------------------------------------------------------
# Log axes
# --------------------------------------------------------------------------

#: Decades written as plain numbers when an axis stays within these
#: exponents (0.01 ... 1000); otherwise every decade of the axis is written
#: 1eN. Liberation Sans has no superscript digits or minus (U+2070, U+2074–
#: U+2079, U+207B; measured: a "10⁻⁴" label falls back to DejaVu Serif for
#: the whole label), so "10ⁿ" is not an option with the journal font.
PLAIN_DECADES = (-2, 3)
_DECADE = "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-9"
_EXPONENT = "round(log(datum.value) / LN10)"
_MINUS = "'\u2212'"


def log_label_expr(style: str) -> str:
    """
    Vega ``labelExpr`` of a log axis: ``"plain"`` (0.01, 1, 1000: no
    thousands separator) or ``"exponent"`` (1e−2, 1e0, 1e3 for decades, 2e3
    between them), true minus signs in both.
    """
    if style == "plain":
        return (
            "datum.label == '' ? '' : "
            f"replace(replace(datum.label, ',', ''), '-', {_MINUS})"
        )
    return (
        f"datum.label == '' ? '' : {_DECADE} ? "
        f"'1e' + replace(format({_EXPONENT}, 'd'), '-', {_MINUS}) : "
        f"replace(replace(format(datum.value, '.0e'), '+', ''), '-', {_MINUS})"
    )


def _log_style(values: list, domain) -> str:
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and v > 0]
    if isinstance(domain, list):
        numbers += [float(v) for v in domain if isinstance(v, (int, float)) and v > 0]
    if not numbers:
        return "exponent"
    low = math.floor(math.log10(min(numbers)) + 1e-9)
    high = math.ceil(math.log10(max(numbers)) - 1e-9)
    inside = PLAIN_DECADES[0] <= low and high <= PLAIN_DECADES[1]
    return "plain" if inside else "exponent"


def fix_log_axes(spec: dict) -> dict:
    """
    One label format per log axis (see :func:`log_label_expr`), chosen from
    the values the axis shows; axes with their own ``labelExpr`` or
    ``format`` keep them. Changes ``spec`` in place and returns it.
    """
    logs = {
        str(definition.get("field"))
        for channel, definition, _, _ in iter_encodings(spec)
        if channel in ("x", "y")
        and isinstance(definition.get("scale"), dict)
        and definition["scale"].get("type") == "log"
    }
    values = field_values(spec, logs) if logs else {}
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in ("x", "y"):
            continue
        scale = definition.get("scale")
        if not (isinstance(scale, dict) and scale.get("type") == "log"):
            continue
        axis = definition.get("axis", {})
        if axis is None or "labelExpr" in axis or "format" in axis:
            continue
        drawn = values.get(str(definition.get("field")), [])
        style = _log_style(drawn, scale.get("domain"))
        definition["axis"] = {**axis, "labelExpr": log_label_expr(style)}
    return spec


# --------------------------------------------------------------------------
# Marks
# --------------------------------------------------------------------------


def _scale_mark(mark: dict, line: float, area: float) -> None:
    kind = mark.get("type")
    if kind in _STROKED and isinstance(mark.get("strokeWidth"), (int, float)):
        mark["strokeWidth"] = max(MIN_LINE_PT, mark["strokeWidth"] * line)
    if kind in _SIZED and isinstance(mark.get("size"), (int, float)):
        mark["size"] = mark["size"] * area
    for overlay in ("point",):
        sub = mark.get(overlay)
        if isinstance(sub, dict) and isinstance(sub.get("size"), (int, float)):
            sub["size"] = sub["size"] * area


def scale_marks(spec: dict, line: float, area: float) -> dict:
    """
    Multiply every explicit data line width by ``line`` and every marker area
    by ``area`` (marks left at the defaults follow the theme's config).
    Changes ``spec`` in place and returns it.
    """
    for node, _ in iter_views(spec):
        mark = node.get("mark")
        if isinstance(mark, dict):
            _scale_mark(mark, line, area)
    return spec


def preset_factors(p: Preset) -> tuple[float, float]:
    """
    (line, area) factors from the screen's sizes to a preset's: line widths
    follow the preset's data line width, marker areas the square of its font.
    """
    screen = PRESETS[DEFAULT_PRESET]
    return p.line_width / screen.line_width, (p.font_pt / screen.font_pt) ** 2


# --------------------------------------------------------------------------
# Titles and legends
# --------------------------------------------------------------------------


def _wrapped(text, width_pt: float, font_pt: float):
    if isinstance(text, list):
        text = " ".join(str(t) for t in text)
    if not isinstance(text, str) or text_width_pt(text, font_pt) <= width_pt:
        return text
    return wrap_text(text, width_pt, font_pt)


def _wrap_title(spec: dict, p: Preset, width_pt: float) -> None:
    title = spec.get("title")
    if title is None:
        return
    if isinstance(title, (str, list)):
        title = {"text": title}
    available = width_pt - 2 * p.font_pt
    title["text"] = _wrapped(title.get("text", ""), available, p.title_pt)
    if "subtitle" in title:
        title["subtitle"] = _wrapped(title["subtitle"], available, p.font_pt)
    spec["title"] = title


def _wrap_axis_titles(spec: dict, p: Preset, width_pt: float, height_pt: float):
    lengths = {"x": 0.8 * width_pt - 5 * p.font_pt, "y": 0.55 * height_pt}
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in lengths:
            continue
        title = definition.get("title")
        if title is not None:
            definition["title"] = _wrapped(title, lengths[channel], p.font_pt)
        axis = definition.get("axis")
        if isinstance(axis, dict) and axis.get("title") is not None:
            axis["title"] = _wrapped(axis["title"], lengths[channel], p.font_pt)


def _legend_labels(definition: dict, values: dict) -> list[str]:
    scale = definition.get("scale")
    if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
        return [str(v) for v in scale["domain"]]
    return [str(v) for v in values.get(definition.get("field"), [])]


def _legend_layout(labels, title, p: Preset, width_pt: float, renames) -> dict:
    """Columns, label limit and title place of one legend above the plot."""
    font = p.font_pt
    symbol = 2.6 * font  # symbol, its offset and the column padding
    shown = [renames.get(label, label) for label in labels]
    widest = max((text_width_pt(label, font) for label in shown), default=0.0)
    title_width = text_width_pt(title, font) + 0.4 * font if title else 0.0
    usable = width_pt - 1.0 * font
    beside = usable - title_width
    props: dict[str, Any] = {"titleOrient": "left"}
    if widest + symbol > beside:
        props["titleOrient"] = "top"
        beside = usable
    columns = max(1, min(len(labels), int(beside // (widest + symbol))))
    props["columns"] = columns
    props["labelLimit"] = max(widest + 1.0, 8 * font)
    if widest + symbol > beside:
        props["labelExpr"] = _wrap_labels_expr(labels, beside - symbol, font, renames)
        props["labelLimit"] = beside
    return props


def _wrap_labels_expr(labels, width_pt: float, font_pt: float, renames) -> str:
    """
    A labelExpr showing each label's new name (figure controls) and breaking
    those longer than the width into lines.
    """
    import json

    lines: dict[str, Any] = {}
    for label in labels:
        shown = renames.get(label, label)
        if text_width_pt(shown, font_pt) > width_pt:
            lines[label] = wrap_text(shown, width_pt, font_pt)
        elif shown != label:
            lines[label] = shown
    return f"{json.dumps(lines, ensure_ascii=False)}[datum.label] || datum.label"


def _fit_legends(spec: dict, p: Preset, width_pt: float, renames) -> None:
    values = field_values(spec)
    top = p.legend_orient in ("top", "bottom")
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in LEGEND_CHANNELS or definition.get("type") not in (
            "nominal",
            "ordinal",
        ):
            continue
        legend = definition.get("legend", {})
        if legend is None:
            continue
        labels = _legend_labels(definition, values)
        if not labels:
            continue
        title = legend.get("title", definition.get("title", definition.get("field")))
        title = title if isinstance(title, str) else ""
        if top:
            props = _legend_layout(labels, title, p, width_pt, renames)
        else:
            shown = [renames.get(label, label) for label in labels]
            widest = max(text_width_pt(label, p.font_pt) for label in shown)
            props = {"labelLimit": max(widest + 1.0, 8 * p.font_pt)}
        if "labelExpr" in props:  # it carries the new names too
            legend = {k: v for k, v in legend.items() if k != "labelExpr"}
        definition["legend"] = {**props, **legend}


def finish_spec(spec: dict) -> dict:
    """
    Last touches the export adds to a themed chart's Vega-Lite spec.

    Vega's legend ``layout`` (several legends stacked above a single-column
    figure), which Vega-Lite's schema cannot carry, is added every time; the
    rest (see the module's docstring) once per spec (``usermeta`` records
    it), so a spec finished before a resize is not scaled twice.

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
    if meta.get("finished"):
        return spec
    p = PRESETS[meta.get("preset", DEFAULT_PRESET)]
    width_pt, height_pt = float(meta["width_pt"]), float(meta["height_pt"])
    prune_domains(spec)
    fix_log_axes(spec)
    scale_marks(spec, *preset_factors(p))
    _wrap_title(spec, p, width_pt)
    _wrap_axis_titles(spec, p, width_pt, height_pt)
    controls = (spec.get("usermeta") or {}).get("peled_controls") or {}
    _fit_legends(spec, p, width_pt, dict(controls.get("labels") or {}))
    meta["finished"] = True
    return spec
