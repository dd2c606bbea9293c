"""
The text of every figure at every preset: nothing clipped, nothing shortened,
no two labels on top of each other.

Every public builder of ``core.figures`` is drawn on the demo data the way the
pages call it (:mod:`figure_gallery`), with the figure controls' defaults
(legends list only what is drawn) and exported to SVG at each preset; the
labels are then measured from the SVG with the font's own metrics
(:mod:`svg_text`, independent of Vega's text measurement).

The default run covers every builder at four presets that bound the others:
the screen, ACS single column (the narrowest with 7 pt type and legends on
top), Nature double column (7 pt type across a wide figure) and the slide
(18 pt titles). ``PELED_FIGURE_TEXT=all`` runs all ten presets (≈ 3 min on
two cores).
"""

from __future__ import annotations

import os

import altair as alt
import pandas as pd
import pytest
from figure_gallery import MODULES, builder_name, gallery
from svg_text import text_boxes, text_problems

from core.figures import PRESETS
from core.figures.controls import apply_controls
from core.figures.export import chart_to_bytes
from core.figures.theme import themed

QUICK_PRESETS = ("screen", "acs-single", "nature-double", "slide")
PRESET_NAMES = (
    tuple(PRESETS) if os.environ.get("PELED_FIGURE_TEXT") == "all" else QUICK_PRESETS
)


@pytest.fixture(scope="module")
def charts():
    return gallery()


def test_the_gallery_holds_every_public_builder(charts):
    import importlib

    # curve_chart is the generic builder behind every named efficiency chart.
    drawn = {builder_name(key) for key in charts} | {"efficiency.curve_chart"}
    for module in MODULES:
        mod = importlib.import_module(f"core.figures.{module}")
        builders = {
            f"{module}.{name}"
            for name in getattr(mod, "__all__", ())
            if name.endswith("_chart") or name.endswith("_histogram")
        }
        assert builders <= drawn, f"not in the gallery: {sorted(builders - drawn)}"


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_no_text_is_clipped_shortened_or_overlapping(charts, preset):
    problems = {}
    for name, chart in charts.items():
        svg = chart_to_bytes(themed(apply_controls(chart), preset), "svg")
        (width, height), boxes = text_boxes(svg)
        assert boxes, f"{name} at {preset}: no text found in the SVG"
        found = text_problems(svg)
        if found:
            problems[name] = found
    assert not problems, f"{preset}: {problems}"


def test_the_checker_finds_a_shortened_label():
    frame = pd.DataFrame({"x": [1, 2], "y": [1, 2], "name": ["a" * 80, "b"]})
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(x="x:Q", y="y:Q", color=alt.Color("name:N", legend=alt.Legend()))
    )
    spec = chart.to_dict()
    spec["encoding"]["color"]["legend"]["labelLimit"] = 40
    svg = chart_to_bytes(alt.Chart.from_dict(spec), "svg")
    assert any(p.startswith("truncated") for p in text_problems(svg))


def test_the_checker_finds_overlapping_and_outside_labels():
    frame = pd.DataFrame({"x": [1.0, 1.0, 50.0], "y": [1.0, 1.0, 1.0]})
    frame["t"] = ["first label", "second label", "runs past the right edge " * 3]
    chart = (
        alt.Chart(frame)
        .mark_text(align="left")
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=[0, 60])), y="y:Q", text="t:N")
        .properties(width=200, height=100, autosize=alt.AutoSizeParams(type="none"))
    )
    problems = text_problems(chart_to_bytes(chart, "svg"))
    assert any(p.startswith("overlap: 'first label'") for p in problems)
    assert any(p.startswith("past the figure's edge") for p in problems)
