"""core.figures.efficiency: every chart exports at the exact preset size."""

from __future__ import annotations

import pytest
from figure_readers import assert_exact_export, public_chart_builders

from core import efficiency
from core.demo import demo_devices
from core.demo.efficiency import demo_batch
from core.figures import efficiency as efficiency_figures
from core.figures.theme import device_color_scale

NAMES = [
    "jv_chart",
    "lv_chart",
    "eqe_luminance_chart",
    "eqe_current_density_chart",
    "current_efficiency_chart",
    "power_efficiency_chart",
    "batch_histogram",
]


@pytest.fixture(scope="module")
def charts() -> dict:
    devices = demo_devices()
    scale = device_color_scale([d.name for d in devices])
    points = efficiency.points_table(
        [efficiency.efficiency_metrics(d.jvl[0]) for d in devices]
    )
    batch = efficiency.batch_table(
        [efficiency.efficiency_metrics(s) for s in demo_batch(12)]
    )
    figures = efficiency_figures
    return {
        "jv_chart": (
            figures.jv_chart(points, color_scale=scale),
            ["voltage [V]", "current density [mA/cm²]"],
        ),
        "lv_chart": (
            figures.lv_chart(points, color_scale=scale),
            ["luminance [cd/m²]"],
        ),
        "eqe_luminance_chart": (
            figures.eqe_luminance_chart(points, color_scale=scale),
            ["EQE [%]", "luminance [cd/m²]"],
        ),
        "eqe_current_density_chart": (
            figures.eqe_current_density_chart(points, color_scale=scale),
            ["EQE [%]"],
        ),
        "current_efficiency_chart": (
            figures.current_efficiency_chart(points, color_scale=scale),
            ["current efficiency [cd/A]"],
        ),
        "power_efficiency_chart": (
            figures.power_efficiency_chart(points, color_scale=scale),
            ["power efficiency [lm/W]"],
        ),
        "batch_histogram": (figures.batch_histogram(batch), ["peak EQE [%]"]),
    }


def test_the_list_covers_every_public_chart_builder(charts):
    # A new *_chart function in core/figures/efficiency.py must join this test.
    assert public_chart_builders("efficiency") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])
