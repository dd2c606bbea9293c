"""
core.figures.sizes: the size readers (Pillow for PNG, pypdf for PDF) agree
with the independent parsers of ``tests/figure_readers.py``.
"""

from __future__ import annotations

import struct

import pytest
from figure_readers import (
    PT_TOLERANCE,
    png_chunks,
    simple_chart,
    svg_width_height,
)

from core.figures.export import chart_spec, chart_to_bytes, spec_to_bytes
from core.figures.sizes import pdf_size_pt, png_ppi, png_size_px, svg_size_pt
from core.figures.theme import target_size_pt, themed


@pytest.mark.parametrize("ppi", [300, 600])
def test_png_has_the_requested_dpi_and_pixels(ppi):
    png = chart_to_bytes(themed(simple_chart(), "acs-single"), "png", ppi=ppi)
    x, y, unit = struct.unpack(">IIB", png_chunks(png)[b"pHYs"][:9])
    assert unit == 1  # pixels per metre
    assert x == y == pytest.approx(ppi / 0.0254, abs=1)  # pHYs is rounded to 1/m
    width, height = struct.unpack(">II", png_chunks(png)[b"IHDR"][:8])
    assert abs(width - 8.25 / 2.54 * ppi) <= 1
    assert abs(height - 6.6 / 2.54 * ppi) <= 1
    assert png_ppi(png) == pytest.approx((ppi, ppi), abs=0.01)
    assert png_size_px(png) == (width, height)


def test_size_readers_agree_with_the_independent_parsers():
    spec = chart_spec(themed(simple_chart(), "rsc-double"))
    svg, pdf = spec_to_bytes(spec, "svg"), spec_to_bytes(spec, "pdf")
    assert svg_size_pt(svg) == svg_width_height(svg)
    assert pdf_size_pt(pdf) == pytest.approx(svg_width_height(svg), abs=PT_TOLERANCE)
    assert target_size_pt(spec) == pytest.approx(svg_width_height(svg))
