"""core.figures.lifetime: every chart exports at the exact preset size."""

from __future__ import annotations

import pytest
from figure_readers import assert_exact_export, public_chart_builders

from core import lifetime
from core.demo import demo_devices
from core.figures import lifetime as lifetime_figures
from core.figures.theme import device_color_scale

NAMES = [
    "decay_chart",
    "residuals_chart",
    "voltage_chart",
    "weibull_chart",
    "acceleration_chart",
]


@pytest.fixture(scope="module")
def charts() -> dict:
    devices = demo_devices()
    scale = device_color_scale([d.name for d in devices])
    items = [
        (d.name, log, lifetime.lifetime_metrics(log))
        for d in devices
        for log in d.lifetime
    ]
    figures = lifetime_figures
    readings = figures.readings_frame(items, max_points=60)
    binned = figures.binned_frame(items)
    return {
        "decay_chart": (
            figures.decay_chart(
                readings,
                binned,
                figures.model_frame(items, n_points=40),
                figures.thresholds_frame(items),
                color_scale=scale,
            ),
            ["L/L0 [-]", "time [h]"],
        ),
        "residuals_chart": (
            figures.residuals_chart(readings, color_scale=scale),
            ["time [h]"],
        ),
        "voltage_chart": (
            figures.voltage_chart(readings, color_scale=scale),
            ["voltage [V]", "time [h]"],
        ),
        "weibull_chart": (
            figures.weibull_chart(binned, color_scale=scale),
            ["ln(time [h])"],
        ),
        "acceleration_chart": (
            figures.acceleration_chart(
                figures.acceleration_frame(items), color_scale=scale
            ),
            ["T50 [h]", "initial luminance L0 [cd/m²]"],
        ),
    }


def test_the_list_covers_every_public_chart_builder(charts):
    # A new *_chart function in core/figures/lifetime.py must join this test.
    assert public_chart_builders("lifetime") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])


def test_residual_legend_draws_the_points_symbol(charts):
    """The residuals are filled circles: a line ("stroke") legend symbol drew
    nothing beside the test names."""
    legend = charts["residuals_chart"][0].to_dict()["layer"][0]["encoding"]["color"][
        "legend"
    ]
    assert legend["symbolType"] == "circle"
    assert legend["symbolSize"] >= 30 and legend["symbolOpacity"] == 1
    decay = charts["decay_chart"][0].to_dict()
    assert '"symbolType": "stroke"' in str(decay).replace("'", '"')
