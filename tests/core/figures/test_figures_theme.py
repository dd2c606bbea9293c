"""
core.figures.theme: exact sizes at every preset for every kind of chart
(single, layered, concatenated, faceted), the font, the colour-blind-safe
palette and log-axis labels.

Sizes are read back from the files with the independent readers of
``tests/figure_readers.py``.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
from figure_readers import PT_PER_CM, base_fonts, simple_chart, svg_width_height

from core.figures.colors import EXTRA_PALETTE
from core.figures.export import chart_spec, chart_to_bytes, pdf_size_pt, spec_to_bytes
from core.figures.theme import (
    FONT,
    LOG_LABEL_EXPR,
    PALETTE,
    PRESETS,
    device_color_scale,
    device_colors,
    themed,
)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_single_and_layered_charts_are_exactly_the_preset_size(preset):
    p = PRESETS[preset]
    target = (p.width_cm * PT_PER_CM, p.height_cm * PT_PER_CM)
    rule = alt.Chart(pd.DataFrame({"y": [50.0]})).mark_rule().encode(y="y:Q")
    for chart in (simple_chart(), alt.layer(simple_chart(), rule)):
        svg = chart_to_bytes(themed(chart, preset), "svg")
        assert svg_width_height(svg) == pytest.approx(target, abs=1e-6)


@pytest.mark.parametrize(
    "kind", ["hconcat", "vconcat", "facet", "grid"], ids=lambda k: k
)
def test_compound_charts_are_exactly_the_preset_size(kind):
    base = simple_chart()
    chart = {
        "hconcat": lambda: alt.hconcat(base, base.mark_point()),
        "vconcat": lambda: alt.vconcat(base, base),
        "facet": lambda: base.facet(column=alt.Column("d:N", title="device")),
        "grid": lambda: alt.vconcat(alt.hconcat(base, base), alt.hconcat(base, base)),
    }[kind]()
    for preset in ("acs-double", "nature-single"):
        p = PRESETS[preset]
        target = (p.width_cm * PT_PER_CM, p.height_cm * PT_PER_CM)
        spec = chart_spec(themed(chart, preset))
        svg = spec_to_bytes(spec, "svg")
        assert svg_width_height(svg) == pytest.approx(target, abs=0.01)
        if preset == "acs-double":
            assert pdf_size_pt(spec_to_bytes(spec, "pdf")) == pytest.approx(
                target, abs=0.01
            )


def test_custom_size_overrides_the_preset():
    svg = chart_to_bytes(themed(simple_chart(), "acs-single", height_cm=4.0), "svg")
    assert svg_width_height(svg) == pytest.approx(
        (8.25 * PT_PER_CM, 4.0 * PT_PER_CM), abs=1e-6
    )


def test_theme_font_and_colour_blind_palette():
    spec = chart_spec(themed(simple_chart(), "screen"))
    config = spec["config"]
    assert FONT == "Liberation Sans"
    assert config["font"] == config["axis"]["labelFont"] == FONT
    assert config["legend"]["titleFont"] == config["title"]["font"] == FONT
    assert config["range"]["category"] == list(PALETTE)
    assert config["axis"]["grid"] is False  # no chart junk
    # Okabe & Ito (2008): the first two are blue (0, 114, 178), vermillion.
    assert PALETTE[:2] == ("#0072B2", "#D55E00")


def test_a_device_keeps_its_colour_whatever_else_is_shown():
    session = ["control", "treated", "batch 2"]
    everything = device_colors(session)
    assert device_colors(session)["treated"] == everything["treated"] == PALETTE[1]
    scale = device_color_scale(session).to_dict()
    assert scale["domain"] == session and scale["range"] == list(PALETTE[:3])
    many = device_colors([f"d{i}" for i in range(10)])
    # Beyond Okabe & Ito's eight, Paul Tol's muted set: no colour repeats.
    assert many["d8"] == EXTRA_PALETTE[0] and len(set(many.values())) == 10


def test_themed_leaves_the_builders_chart_unchanged():
    chart = simple_chart()
    before = chart.to_dict()
    themed(chart, "slide")
    assert chart.to_dict() == before


def test_unknown_preset_is_refused_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown preset 'acs'.*acs-single"):
        themed(simple_chart(), "acs")


def test_single_column_legends_stack_above_the_plot():
    spec = chart_spec(themed(simple_chart(), "acs-single"))
    legend = spec["config"]["legend"]
    assert legend["orient"] == "top"
    assert legend["layout"]["top"]["direction"] == "vertical"
    double = chart_spec(themed(simple_chart(), "acs-double"))["config"]["legend"]
    assert double["orient"] == "right" and "layout" not in double


def test_log_axis_labels_use_glyphs_liberation_sans_has():
    frame = pd.DataFrame({"j": np.logspace(-6, 5, 12), "v": np.linspace(0, 5, 12)})
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("v:Q", title="voltage [V]"),
            y=alt.Y("j:Q", title="J [mA/cm²]", scale=alt.Scale(type="log")),
        )
    )
    spec = chart_spec(themed(chart, "acs-double"))
    assert spec["encoding"]["y"]["axis"]["labelExpr"] == LOG_LABEL_EXPR
    assert "labelExpr" not in spec["encoding"]["x"].get("axis", {})
    svg = spec_to_bytes(spec, "svg").decode()
    labels = re.findall(r">([^<>]+)</text>", svg)
    # One format per axis: beyond 0.01-1000 every decade is 1eN.
    assert "1e−6" in labels and "1e−3" in labels and "1e4" in labels
    assert "1e5" in labels and "0.001" not in labels and "10000" not in labels
    assert not any("," in label for label in labels)  # no "10,000"
    assert base_fonts(spec_to_bytes(spec, "pdf")) == {"LiberationSans"}


def test_log_axis_within_a_hundredth_to_a_thousand_stays_plain():
    frame = pd.DataFrame({"l": np.logspace(-2, 3, 6), "v": np.linspace(0, 5, 6)})
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(x="v:Q", y=alt.Y("l:Q", scale=alt.Scale(type="log")))
    )
    svg = chart_to_bytes(themed(chart, "acs-double"), "svg").decode()
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert {"0.01", "0.1", "1", "10", "100", "1000"} <= set(labels)
    assert not any(label.startswith("1e") for label in labels)
