"""core.figures.cie: the chromaticity chart exports at the exact preset size."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_readers import assert_exact_export, public_chart_builders

from core import stability
from core.demo import demo_devices
from core.figures import cie as cie_figures
from core.figures.theme import device_color_scale

NAMES = ["cie_chart"]


@pytest.fixture(scope="module")
def charts() -> dict:
    devices = demo_devices()
    combined = pd.concat(
        [
            stability.series_stability(d.spectra_time).metrics.assign(device=d.name)
            for d in devices
        ],
        ignore_index=True,
    )
    return {
        "cie_chart": (
            cie_figures.cie_chart(
                combined[["device", "axis", "cie_x", "cie_y"]],
                zoom="red corner",
                color_scale=device_color_scale([d.name for d in devices]),
            ),
            ["CIE x", "CIE y"],
        ),
    }


def test_the_list_covers_every_public_chart_builder(charts):
    # A new *_chart function in core/figures/cie.py must join this test.
    assert public_chart_builders("cie") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])
