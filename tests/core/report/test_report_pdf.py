"""
core.report.pdf: the A4 PDF report, typeset with fpdf2, figures placed with
pypdf. The text is read back with pypdf (an independent PDF reader).
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader
from report_support import STAMP, demo_report

from core.report import (
    Report,
    ReportSection,
    ReportSettings,
    ReportTable,
    report_files,
    report_pdf,
)
from core.report.pdf import MARGIN_PT, dejavu_fonts

A4 = (595.28, 841.89)  # [pt]
LONG = " ".join(f"word{i:02d}" for i in range(80))  # ~ 560 characters


@pytest.fixture(scope="module")
def fonts():
    found = dejavu_fonts()
    if found is None:
        pytest.skip("DejaVu Sans is not installed in any of core.report.pdf.FONT_DIRS")
    return found


@pytest.fixture(scope="module")
def pdf(fonts) -> bytes:
    return report_pdf(demo_report())


def base_fonts(pdf: bytes) -> set[str]:
    names = re.findall(rb"/BaseFont\s*/([\w+-]+)", pdf)
    return {name.split(b"+")[-1].decode() for name in names}


def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def symbols_report(**table) -> Report:
    frame = pd.DataFrame(
        {
            "quantity": ["λ peak", "Δ EQE", "area"],
            "value": [643.8, 1.2, "2 µm²"],
            "note": [LONG, "—", "cd/m²"],
        }
    )
    section = ReportSection(
        "devices",
        "Devices side by side",
        "ok",
        tables=(ReportTable("symbols", "Symbols: µ ² λ Δ", frame, **table),),
    )
    return Report(
        title="Symbols",
        created_utc=STAMP,
        version="test",
        settings=ReportSettings(),
        device_names=("a",),
        synthetic=(),
        sections=(section,),
        inputs=(),
    )


def text_positions(pdf: bytes) -> list[tuple[float, float, str]]:
    """Where each piece of text starts, in pt from the page's lower left."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def test_every_page_is_a4_and_holds_every_section(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.01)
    text = page_text(pdf)
    for section in demo_report().sections:
        assert section.title in text
    assert "Provenance" in text and "doi:10.1038/s41566-019-0543-y" in text
    assert f"page 1 of {len(reader.pages)}" in text


def test_figures_are_vector_with_their_own_fonts(pdf):
    text = page_text(pdf)
    assert "peak shift from reference [nm]" in text  # an axis title of a figure
    assert "wavelength [nm]" in text
    # Text in DejaVu Sans, figures in the Liberation Sans vl-convert set them in.
    assert base_fonts(pdf) == {"DejaVuSansBook", "DejaVuSansBold", "LiberationSans"}


def test_every_figure_is_placed_once_inside_the_text_block(pdf):
    placed = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        forms = page["/Resources"].get_object().get("/XObject", {})
        content = page.get_contents().get_data().decode("latin-1")
        pattern = r"([\d.]+) 0 0 ([\d.]+) ([-\d.]+) ([-\d.]+) cm (/Figure\d+) Do"
        for scale, _, x, y, name in re.findall(pattern, content):
            left, bottom, right, top = (float(v) for v in forms[name]["/BBox"])
            width, height = (right - left) * float(scale), (top - bottom) * float(scale)
            x, y = float(x) + left * float(scale), float(y) + bottom * float(scale)
            placed.append(name)
            assert MARGIN_PT - 1e-6 <= x and x + width <= A4[0] - MARGIN_PT + 1e-6
            assert MARGIN_PT - 1e-6 <= y and y + height <= A4[1] - MARGIN_PT + 1e-6
    assert len(placed) == len(demo_report().figures)


def test_symbols_print_and_a_long_cell_wraps_instead_of_being_cut(fonts):
    pdf = report_pdf(symbols_report(caption="Caption with λ and Δ."))
    text = page_text(pdf)
    for symbol in ("µ", "²", "λ", "Δ", "—"):
        assert symbol in text
    assert "Symbols: µ ² λ Δ" in text
    words = text.split()
    assert all(f"word{i:02d}" in words for i in range(80))  # every word, whole
    assert "…" not in text
    lines = [y for _, y, t in text_positions(pdf) if t.startswith("word")]
    assert len(set(lines)) >= 3  # the cell took several lines
    for x, y, _ in text_positions(pdf):
        assert MARGIN_PT - 0.5 <= x <= A4[0] - MARGIN_PT
        assert MARGIN_PT * 0.5 - 0.5 <= y <= A4[1] - MARGIN_PT


def test_without_dejavu_the_core_font_prints_latin1():
    pdf = report_pdf(symbols_report(), fonts=None)
    assert base_fonts(pdf) == {"Helvetica", "Helvetica-Bold"}
    text = page_text(pdf)
    assert "2 µm²" in text and "cd/m²" in text  # both are Latin-1
    assert "lambda peak" in text and "Delta EQE" in text
    assert all(f"word{i:02d}" in text.split() for i in range(80))


def test_report_files_place_the_figure_files_in_the_report(fonts):
    files = report_files(demo_report(), formats=("pdf",), html_report=False)
    text = page_text(files["report.pdf"])
    assert "peak shift from reference [nm]" in text
    figures = [name for name in files if name.endswith(".pdf")]
    assert len(figures) == len(demo_report().figures) + 1
