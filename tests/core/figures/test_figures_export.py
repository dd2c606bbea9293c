"""
core.figures.export: formats, Altair's row limit, reproducible SVG bytes and
the joined PDF of the report (read back with ``tests/figure_readers.py``).
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
from figure_readers import PT_PER_CM, PT_TOLERANCE, pdf_objects, pdf_text, simple_chart

from core.figures.export import chart_spec, chart_to_bytes, merge_pdfs, spec_to_bytes
from core.figures.theme import themed


def test_export_refuses_an_unknown_format_and_a_bad_dpi():
    with pytest.raises(
        ValueError, match=r"format must be one of \('svg', 'pdf', 'png'\)"
    ):
        chart_to_bytes(simple_chart(), "jpg")
    with pytest.raises(ValueError, match="ppi must be a positive number, got 0"):
        chart_to_bytes(simple_chart(), "png", ppi=0)


def test_more_than_5000_rows_export():
    # Altair's default refuses data frames above 5000 rows at to_dict().
    frame = pd.DataFrame({"x": np.arange(6000.0), "y": np.sin(np.arange(6000.0))})
    chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
    with pytest.raises(alt.MaxRowsError):
        chart.to_dict()
    assert chart_to_bytes(themed(chart, "acs-single"), "svg").startswith(b"<svg")


def _page_tree_pages(pdf: bytes) -> list[bytes]:
    objects = pdf_objects(pdf)
    root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", pdf.rsplit(b"trailer", 1)[1])[1])
    pages = []

    def walk(number: int) -> None:
        body = objects[number]
        if b"/Type /Pages" in body:
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body).group(1)
            for kid in re.findall(rb"(\d+)\s+0\s+R", kids):
                walk(int(kid))
        else:
            pages.append(body)

    walk(int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", objects[root]).group(1)))
    return pages


def test_merged_pdf_has_every_page_in_order_and_a_valid_xref():
    one = chart_to_bytes(themed(simple_chart(), "acs-single"), "pdf")
    two = chart_to_bytes(themed(simple_chart(), "slide"), "pdf")
    merged = merge_pdfs([one, two, one])
    pages = _page_tree_pages(merged)
    assert len(pages) == 3
    boxes = [re.search(rb"/MediaBox\s*\[([^\]]+)\]", p).group(1).split() for p in pages]
    widths = [float(box[2]) for box in boxes]
    assert widths == pytest.approx(
        [8.25 * PT_PER_CM, 25.4 * PT_PER_CM, 8.25 * PT_PER_CM], abs=PT_TOLERANCE
    )
    # Every xref offset points at "N 0 obj" of that number.
    start = int(re.search(rb"startxref\s+(\d+)", merged).group(1))
    table = merged[start:].split(b"trailer")[0].split(b"\n")
    count = int(table[1].split()[1])
    for number, line in enumerate(table[2 : 2 + count]):
        offset, _, kind = line.split()
        if kind == b"n":
            assert merged[int(offset) :].startswith(b"%d 0 obj" % number)
    assert pdf_text(merged).count("voltage") == 3


def test_merge_refuses_what_it_cannot_join():
    good = chart_to_bytes(themed(simple_chart(), "acs-single"), "pdf")
    broken = b"%PDF-1.5\n1 0 obj<</Type/ObjStm>>endobj\n%%EOF"
    with pytest.raises(ValueError, match="PDF 2 of 2 cannot be joined"):
        merge_pdfs([good, broken])
    with pytest.raises(ValueError, match="PDF 1 of 1 cannot be joined"):
        merge_pdfs([good[: len(good) // 2]])  # a truncated download
    with pytest.raises(ValueError, match="no PDF to join"):
        merge_pdfs([])


def test_svg_bytes_do_not_depend_on_what_was_drawn_before():
    # Vega numbers clip paths with a process-wide counter; export renumbers.
    clipped = simple_chart().mark_line(clip=True)
    spec = chart_spec(themed(clipped, "acs-single"))
    first = spec_to_bytes(spec, "svg")
    chart_to_bytes(themed(clipped, "slide"), "svg")
    assert spec_to_bytes(spec, "svg") == first
    assert b'id="clip1"' in first and b"url(#clip1)" in first
