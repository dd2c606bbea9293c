"""
core.figures.controls: what the figure controls change in a chart, what they
refuse, and that they survive the sidecar's round trip.
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from core.errors import InputError
from core.figures.controls import (
    FigureControls,
    apply_controls,
    axis_kinds,
    chart_controls,
    legend_entries,
    screen_chart,
)
from core.figures.export import chart_to_bytes
from core.figures.theme import device_color_scale, themed

FRAME = pd.DataFrame(
    {
        "x": [1.0, 10.0, 100.0, 1.0, 10.0, 100.0],
        "y": [1.0, 2.0, 3.0, 2.0, 3.0, 4.0],
        "device": ["control", "control", "control", "treated", "treated", "treated"],
    }
)


def chart(names=("control", "treated", "batch 7")):
    return (
        alt.Chart(FRAME)
        .mark_line(point=True)
        .encode(
            x=alt.X("x:Q", title="L [cd/m²]"),
            y=alt.Y("y:Q", title="EQE [%]"),
            color=alt.Color("device:N", scale=device_color_scale(list(names))),
        )
        .properties(title="EQE against luminance")
    )


def color_scale(spec: dict) -> dict:
    return dict(
        zip(
            *(spec["encoding"]["color"]["scale"][k] for k in ("domain", "range")),
            strict=True,
        )
    )


def test_defaults_change_nothing_but_the_legend_entries():
    spec = apply_controls(chart()).to_dict()
    # "batch 7" is not drawn: it leaves the legend, the others keep colours.
    assert color_scale(spec) == {"control": "#0072B2", "treated": "#D55E00"}
    assert FigureControls().is_default
    assert chart_controls(spec) == FigureControls()


def test_colours_labels_widths_axes_ticks_and_title():
    controls = FigureControls(
        colors={"treated": "#117733"},
        labels={"control": "reference cell"},
        line_width=2.0,
        marker_size=0.5,
        x_range=(1.0, 1000.0),
        x_scale="log",
        y_range=(0.0, 5.0),
        tick_format=".1f",
        title=False,
    )
    spec = apply_controls(chart(), controls).to_dict()
    assert color_scale(spec) == {"control": "#0072B2", "treated": "#117733"}
    assert spec["mark"]["strokeWidth"] == 4.0  # 2 px at screen size, doubled
    assert spec["mark"]["point"]["size"] == 15.0
    x, y = spec["encoding"]["x"], spec["encoding"]["y"]
    assert x["scale"] == {"type": "log", "domain": [1.0, 1000.0], "nice": False}
    assert y["scale"]["domain"] == [0.0, 5.0] and y["axis"]["format"] == ".1f"
    assert "format" not in x.get("axis", {})  # log axes keep the theme's labels
    assert "title" not in spec
    # The export shows the new label and the colour, and no title.
    svg = chart_to_bytes(themed(apply_controls(chart(), controls), "acs-single"), "svg")
    labels = re.findall(r">([^<>]+)</text>", svg.decode())
    assert "reference cell" in labels and "control" not in labels
    assert "EQE against luminance" not in labels
    assert "#117733" in svg.decode().upper()


def test_controls_round_trip_through_json():
    controls = FigureControls(
        colors={"a": "#000000"}, labels={"a": "A"}, y_range=(1, 2), y_scale="log"
    )
    again = FigureControls.from_dict(json.loads(json.dumps(controls.to_dict())))
    assert again == controls
    recorded = apply_controls(chart(), controls).to_dict()
    assert chart_controls(recorded) == controls


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"colors": {"a": "red"}}, "colour of 'a' must be #RRGGBB, found 'red'"),
        ({"x_range": (5, 1)}, "x range must go from a lower to a higher value"),
        ({"y_range": ("a", 1)}, "y range must be two numbers"),
        ({"x_scale": "sqrt"}, "x_scale must be one of auto, linear, log"),
        ({"tick_format": ".9q"}, "tick format must be one of"),
        ({"line_width": 50}, "line_width must be a factor from 0.1 to 10"),
    ],
)
def test_bad_controls_are_refused_with_a_sentence(settings, message):
    with pytest.raises(InputError, match=re.escape(message)):
        FigureControls(**settings)


def test_unknown_keys_from_a_sidecar_are_named():
    with pytest.raises(InputError, match="unknown setting.*colour"):
        FigureControls.from_dict({"colour": {}})


def test_legend_entries_and_axis_kinds_for_the_expander():
    assert legend_entries(chart()) == {"control": "#0072B2", "treated": "#D55E00"}
    log_y = chart().encode(y=alt.Y("y:Q", scale=alt.Scale(type="log")))
    assert axis_kinds(log_y) == {"x": "linear", "y": "log"}


def test_screen_charts_never_shorten_legend_labels():
    long = FRAME.assign(device=FRAME.device + " · 1000 cd/m² with a long name")
    base = alt.Chart(long).mark_line().encode(x="x:Q", y="y:Q", color="device:N")
    spec = screen_chart(base).to_dict()
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 0
    svg = chart_to_bytes(screen_chart(base), "svg").decode()
    assert "…" not in svg
