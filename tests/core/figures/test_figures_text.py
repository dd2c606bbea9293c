"""
The text of every figure at every preset: nothing clipped, nothing shortened,
no two labels on top of each other.

Every public builder of ``core.figures`` is drawn on the demo data the way the
pages call it (:mod:`figure_gallery`), with the figure controls' defaults
(legends list only what is drawn) and exported to SVG at each preset; the
labels are then measured from the SVG with the font's own metrics
(:mod:`svg_text`, independent of Vega's text measurement).

The default run draws every builder at ACS single column (the narrowest, 7 pt
type with legends on top: where the issue found truncated titles and piled-up
labels) and at one other preset, taken in turn, so that every preset is drawn
(≈ 75 renders, ≈ 30 s). ``PELED_FIGURE_TEXT=all`` draws every builder at every
preset (370 renders; measured 2026-11-27: all pass, 519 s on two busy cores).
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

FULL = os.environ.get("PELED_FIGURE_TEXT") == "all"
ALWAYS = "acs-single"
OTHERS = [name for name in PRESETS if name != ALWAYS]


def _drawn_at(preset: str, names: list[str]) -> list[str]:
    """The gallery entries drawn at ``preset`` (all of them in the full run)."""
    if FULL or preset == ALWAYS:
        return names
    turn = OTHERS.index(preset)
    return [name for i, name in enumerate(names) if i % len(OTHERS) == turn]


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


@pytest.mark.parametrize("preset", list(PRESETS))
def test_no_text_is_clipped_shortened_or_overlapping(charts, preset):
    problems = {}
    names = _drawn_at(preset, list(charts))
    assert names
    for name in names:
        chart = charts[name]
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
