"""
Figure controls: what a user may change on any chart without touching its
builder.

:class:`FigureControls` holds the choices (colours and legend labels per
entry, line width and marker size factors, axis ranges, linear or log axes,
tick format, title on or off); :func:`apply_controls` applies them to any
built chart by editing its Vega-Lite spec, and records them in the chart's
``usermeta`` so that the export, the provenance sidecar and a rebuild use
exactly the same. Defaults change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from core.errors import InputError
from core.figures.colors import PALETTE, is_color
from core.figures.finish import (
    LEGEND_CHANNELS,
    USERMETA_KEY,
    field_values,
    fix_log_axes,
    iter_encodings,
    iter_views,
    no_row_limit,
    prune_domains,
    scale_marks,
)

__all__ = [
    "CONTROLS_KEY",
    "SCALES",
    "TICK_FORMATS",
    "FigureControls",
    "apply_controls",
    "screen_chart",
    "screen_spec",
    "chart_controls",
    "legend_entries",
    "axis_kinds",
]

#: ``usermeta`` key where :func:`apply_controls` records the controls used.
CONTROLS_KEY = "peled_controls"
#: Axis scale choices ("auto" keeps the builder's).
SCALES = ("auto", "linear", "log")
#: Tick formats offered (d3-format strings; "" keeps the automatic one).
#: Log axes keep the theme's one format.
TICK_FORMATS = {
    "": "automatic",
    ".0f": "1",
    ".1f": "0.1",
    ".2f": "0.01",
    ".3f": "0.001",
    ".3~g": "3 significant digits",
    ".1~e": "1.5e3",
}
#: Line width and area of marks the builder left at the defaults, at screen
#: size (the export scales them to the preset like explicit ones).
_SCREEN_LINE = 2.0
_SCREEN_AREA = 30.0
_COLOR_CHANNELS = ("color", "fill", "stroke")


def _pairs(value) -> tuple[tuple[str, str], ...]:
    if isinstance(value, Mapping):
        value = list(value.items())
    out = []
    for item in value or ():
        key, text = item
        out.append((str(key), str(text)))
    return tuple(out)


def _range(value, what: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InputError(
            f"Figure controls: the {what} must be two numbers, found {value!r}."
        ) from None
    if not low < high:
        raise InputError(
            f"Figure controls: the {what} must go from a lower to a higher value, "
            f"found {low:g} to {high:g}."
        )
    return low, high


@dataclass(frozen=True)
class FigureControls:
    """
    A user's changes to one chart (the defaults change nothing).

    Attributes
    ----------
    colors : tuple of (str, str)
        Legend entry (device, test, emitter...) -> ``#RRGGBB``.
    labels : tuple of (str, str)
        Legend entry -> the label shown instead.
    line_width : float
        Factor on every data line's width. [-]
    marker_size : float
        Factor on every marker's area. [-]
    x_range, y_range : (float, float) or None
        Axis ranges in data units (None: the builder's).
    x_scale, y_scale : {"auto", "linear", "log"}
        Axis scale types ("auto": the builder's).
    tick_format : str
        d3 format of the linear axes' tick labels (a key of
        :data:`TICK_FORMATS`; "" automatic).
    title : bool
        Show the chart's title.
    """

    colors: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    line_width: float = 1.0
    marker_size: float = 1.0
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    x_scale: str = "auto"
    y_scale: str = "auto"
    tick_format: str = ""
    title: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "colors", _pairs(self.colors))
        object.__setattr__(self, "labels", _pairs(self.labels))
        object.__setattr__(self, "x_range", _range(self.x_range, "x range"))
        object.__setattr__(self, "y_range", _range(self.y_range, "y range"))
        for name, value in self.colors:
            if not is_color(value):
                raise InputError(
                    f"Figure controls: the colour of '{name}' must be #RRGGBB, "
                    f"found {value!r}."
                )
        for axis in ("x_scale", "y_scale"):
            if getattr(self, axis) not in SCALES:
                raise InputError(
                    f"Figure controls: {axis} must be one of {', '.join(SCALES)}, "
                    f"found {getattr(self, axis)!r}."
                )
        if self.tick_format not in TICK_FORMATS:
            raise InputError(
                "Figure controls: tick format must be one of "
                f"{list(TICK_FORMATS)}, found {self.tick_format!r}."
            )
        for name in ("line_width", "marker_size"):
            factor = float(getattr(self, name))
            if not 0.1 <= factor <= 10:
                raise InputError(
                    f"Figure controls: {name} must be a factor from 0.1 to 10, "
                    f"found {factor:g}."
                )
            object.__setattr__(self, name, factor)

    @property
    def is_default(self) -> bool:
        """True when the controls change nothing."""
        return self == FigureControls()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (mappings as objects, ranges as lists)."""
        out = asdict(self)
        out["colors"] = dict(self.colors)
        out["labels"] = dict(self.labels)
        for key in ("x_range", "y_range"):
            out[key] = list(out[key]) if out[key] is not None else None
        return out

    @classmethod
    def from_dict(cls, data: Mapping | None) -> FigureControls:
        """Controls from :meth:`to_dict` (unknown keys are refused)."""
        data = dict(data or {})
        known = set(cls().to_dict())
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(
                f"Figure controls: unknown setting(s) {', '.join(unknown)}; "
                f"expected some of {', '.join(sorted(known))}."
            )
        return cls(**data)


def _lookup_expr(mapping: Mapping[str, Any]) -> str:
    """A Vega expression mapping ``datum.label`` through ``mapping``."""
    text = json.dumps(dict(mapping), ensure_ascii=False)
    return f"{text}[datum.label] || datum.label"


def _color_definitions(spec: dict):
    """Nominal colour definitions, conditional ones included."""
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in _COLOR_CHANNELS:
            continue
        for candidate in (definition, definition.get("condition")):
            if isinstance(candidate, dict) and candidate.get("type") in (
                "nominal",
                "ordinal",
            ):
                yield candidate


def _recolor(spec: dict, colors: Mapping[str, str]) -> None:
    values = field_values(spec)
    for definition in _color_definitions(spec):
        scale = definition.get("scale")
        drawn = [str(v) for v in values.get(definition.get("field"), [])]
        if not any(v in colors for v in drawn):
            continue
        if not isinstance(scale, dict) or not isinstance(scale.get("domain"), list):
            # The default palette, written out so single entries can change.
            scale = {"domain": drawn, "range": list(PALETTE) * (len(drawn) // 8 + 1)}
            scale["range"] = scale["range"][: len(drawn)]
            definition["scale"] = scale
        domain, range_ = scale["domain"], scale.get("range")
        if not isinstance(range_, list) or len(range_) != len(domain):
            continue
        scale["range"] = [
            colors.get(str(name), color)
            for name, color in zip(domain, range_, strict=True)
        ]


def _relabel(spec: dict, labels: Mapping[str, str]) -> None:
    for channel, definition, _, _ in iter_encodings(spec):
        if channel not in LEGEND_CHANNELS or definition.get("legend", {}) is None:
            continue
        legend = dict(definition.get("legend") or {})
        legend["labelExpr"] = _lookup_expr(labels)
        definition["legend"] = legend


def _resize(spec: dict, line: float, area: float) -> None:
    """Factors on every line width and marker area (defaults made explicit)."""
    for node, _ in iter_views(spec):
        mark = node.get("mark")
        if mark is None:
            continue
        if isinstance(mark, str):
            mark = node["mark"] = {"type": mark}
        kind = mark.get("type")
        if (
            line != 1
            and kind in ("line", "trail", "rule")
            and "strokeWidth" not in mark
        ):
            mark["strokeWidth"] = _SCREEN_LINE if kind != "rule" else 1.0
        if area != 1 and kind in ("point", "circle", "square") and "size" not in mark:
            mark["size"] = _SCREEN_AREA
        if area != 1 and mark.get("point") is True:
            mark["point"] = {}  # the overlay's defaults, with a size to scale
        if area != 1 and isinstance(mark.get("point"), dict):
            mark["point"].setdefault("size", _SCREEN_AREA)
    scale_marks(spec, line, area)


def _axes(spec: dict, controls: FigureControls) -> None:
    for channel, definition, _, node in iter_encodings(spec):
        if channel not in ("x", "y") or definition.get("type") != "quantitative":
            continue
        kind = getattr(controls, f"{channel}_scale")
        span = getattr(controls, f"{channel}_range")
        scale = definition.get("scale")
        scale = dict(scale) if isinstance(scale, dict) else {}
        if kind != "auto":
            scale["type"] = kind
            if kind == "log":
                scale.pop("zero", None)
        if span is not None:
            scale |= {"domain": list(span), "nice": False}
            scale.pop("domainMax", None)
            scale.pop("domainMin", None)
            mark = node.get("mark")
            if isinstance(mark, dict):
                mark["clip"] = True
            elif isinstance(mark, str):
                node["mark"] = {"type": mark, "clip": True}
        if scale:
            definition["scale"] = scale
        if controls.tick_format and scale.get("type") != "log":
            axis = definition.get("axis", {})
            if axis is not None:
                definition["axis"] = {**axis, "format": controls.tick_format}


def _drop_titles(spec: dict) -> None:
    for node, _ in iter_views(spec):
        node.pop("title", None)


def apply_to_spec(spec: dict, controls: FigureControls) -> dict:
    """:func:`apply_controls` on a Vega-Lite spec (changed in place)."""
    prune_domains(spec)
    if controls.colors:
        _recolor(spec, dict(controls.colors))
    if controls.labels:
        _relabel(spec, dict(controls.labels))
    if controls.line_width != 1 or controls.marker_size != 1:
        _resize(spec, controls.line_width, controls.marker_size)
    _axes(spec, controls)
    # The theme's one log-label format on screen too (the export keeps it).
    fix_log_axes(spec)
    if not controls.title:
        _drop_titles(spec)
    meta = spec.setdefault("usermeta", {})
    meta[CONTROLS_KEY] = controls.to_dict()
    meta.get(USERMETA_KEY, {}).pop("finished", None)
    return spec


def apply_controls(chart, controls: FigureControls | None = None):
    """
    A copy of ``chart`` with the controls applied (the builder's chart is
    not changed).

    Every legend also lists only the entries the chart draws (a device that
    has no data here is not in it), each with its colour.

    Parameters
    ----------
    chart : altair chart
        Any built chart, themed or not.
    controls : FigureControls, optional
        Default: change nothing but the legends' entries.

    Returns
    -------
    altair chart
        Of the same kind, with ``usermeta["peled_controls"]`` recording the
        controls.
    """
    controls = controls or FigureControls()
    with no_row_limit():
        spec = chart.to_dict()
    spec = apply_to_spec(spec, controls)
    return type(chart).from_dict(spec, validate=False)


def _spec_of(chart_or_spec) -> dict:
    """A chart's Vega-Lite (a dict is taken as one, and may be changed)."""
    if isinstance(chart_or_spec, dict):
        return chart_or_spec
    with no_row_limit():
        return chart_or_spec.to_dict()


def screen_spec(chart_or_spec, controls: FigureControls | None = None) -> dict:
    """
    The Vega-Lite of :func:`screen_chart` (the dict it is built from); a
    spec given as a dict (``chart.to_dict()``) is changed in place.
    """
    spec = apply_to_spec(_spec_of(chart_or_spec), controls or FigureControls())
    for channel, definition, _, _ in iter_encodings(spec):
        legend = definition.get("legend", {})
        drawn_field = "field" in definition and definition.get("type") != "quantitative"
        if channel in LEGEND_CHANNELS and drawn_field and legend is not None:
            definition["legend"] = {**legend, "labelLimit": 0}
    return spec


def screen_chart(chart, controls: FigureControls | None = None):
    """
    The chart as the app shows it: :func:`apply_controls`, and legends whose
    labels are never shortened with "…" (Vega's default limit is 160 px; a
    test name with its luminance is longer). The exports fit their legends
    to the preset instead (:mod:`core.figures.finish`).
    """
    return type(chart).from_dict(screen_spec(chart, controls), validate=False)


def chart_controls(chart_or_spec) -> FigureControls:
    """The controls recorded in a chart by :func:`apply_controls` (or none)."""
    if isinstance(chart_or_spec, dict):
        meta = chart_or_spec.get("usermeta") or {}
    else:
        meta = getattr(chart_or_spec, "usermeta", None)
        meta = meta if isinstance(meta, dict) else {}
    return FigureControls.from_dict(meta.get(CONTROLS_KEY))


def legend_entries(chart) -> dict[str, str]:
    """
    Entry -> colour of the chart's categorical colour legends, for the
    control's colour pickers (entries of the builder's default palette get
    its colours in order). ``chart`` may be its spec (a dict: its scale
    domains are pruned in place, as :func:`apply_to_spec` does).
    """
    spec = prune_domains(_spec_of(chart))
    values = field_values(spec, {d.get("field") for d in _color_definitions(spec)})
    entries: dict[str, str] = {}
    for definition in _color_definitions(spec):
        scale = definition.get("scale")
        if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
            range_ = scale.get("range")
            if isinstance(range_, list) and len(range_) == len(scale["domain"]):
                for name, color in zip(scale["domain"], range_, strict=True):
                    entries.setdefault(str(name), str(color))
                continue
        for i, name in enumerate(values.get(definition.get("field"), [])):
            entries.setdefault(str(name), PALETTE[i % len(PALETTE)])
    return entries


def axis_kinds(chart) -> dict[str, str]:
    """
    ``{"x": "linear"|"log"|"", "y": ...}``: the quantitative axes' scales
    (``chart`` may be its spec, a dict).
    """
    spec = _spec_of(chart)
    kinds = {"x": "", "y": ""}
    for channel, definition, _, _ in iter_encodings(spec):
        if channel in kinds and definition.get("type") == "quantitative":
            scale = definition.get("scale")
            kind = scale.get("type", "linear") if isinstance(scale, dict) else "linear"
            kinds[channel] = kinds[channel] or kind
    return kinds
