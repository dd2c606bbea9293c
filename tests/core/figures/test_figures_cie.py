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


@pytest.mark.parametrize("space", ["xy", "uv"])
@pytest.mark.parametrize("zoom", ["red corner", "full"])
def test_locus_labels_keep_clear_of_the_bt2020_cross(space, zoom):
    """BT.2020 red is the 630 nm point of the locus: in the red corner its
    label sat on the cross. Every label box kept stays clear of the cross;
    other wavelengths are still labelled."""
    import numpy as np

    from core.colorimetry import BT2020_RED_XY

    view = cie_figures.ZOOMS[zoom][space]
    (x0, x1), (y0, y1) = view
    span = max(x1 - x0, y1 - y0)
    red = cie_figures._to_space(np.asarray([BT2020_RED_XY]), space)[0]
    ticks = cie_figures._locus_ticks(cie_figures.locus_frame(space), space, view)
    assert len(ticks) >= 3
    clear = cie_figures._CROSS_CLEAR * span
    for a, b, eighth in zip(ticks.a, ticks.b, ticks.eighth, strict=True):
        a0, a1, b0, b1 = cie_figures._label_box(a, b, eighth, span)
        assert not (
            a0 - clear <= red[0] <= a1 + clear and b0 - clear <= red[1] <= b1 + clear
        )
    if zoom == "red corner":
        assert 630 not in ticks.nm.round().astype(int).tolist()
