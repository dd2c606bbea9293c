"""
The report as an A4 PDF: the same sections, tables and figures as the HTML.

The document (title, settings, headings, notes and tables) is typeset with
fpdf2: tables wrap long cells onto more lines instead of cutting them, repeat
their header row on a new page, and show column names as readers read them
(:func:`core.report.table.column_label`). Text is set in DejaVu Sans when the
system has it (every character of the report: µ, ², λ, Δ, −, ′ ...), else in
the PDF core font Helvetica with the text reduced to Latin-1.

Figures are vl-convert's own vector PDF of each figure (the same renderer
as the figure files), placed on the page with pypdf at the figure's exact
size, side by side when they fit. fpdf2's SVG import is not used: it cannot
read vl-convert's SVG (``<line>`` without ``x1``, text in ``<text>``), and a
PNG would turn the charts' text and lines into pixels.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import vl_convert
from fpdf import FPDF, FontFace
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from core.figures.export import svg_size_pt
from core.figures.theme import PRESETS
from core.report.html import METHODS_REFERENCE, settings_rows
from core.report.sections import render_report
from core.report.settings import Report, ReportFigure, ReportSection, ReportTable
from core.report.table import column_label, table_cells

__all__ = ["report_pdf", "MARGIN_PT", "FONT_DIRS"]

#: Page margin. [pt] The text block (523 pt) takes every double-column preset.
MARGIN_PT = 36.0
#: Where DejaVu Sans is looked for (Debian/Ubuntu, Fedora/Arch, macOS, Windows).
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
_GAP = 10.0  # between figures side by side [pt]
_TEXT = (17, 17, 17)
_GREY = (68, 68, 68)
# Characters outside Latin-1, for the core-font fallback.
_LATIN1 = str.maketrans(
    {
        "−": "-", "–": "-", "—": "-", "′": "'", "″": '"', "•": "-", "…": "...",
        "≥": ">=", "≤": "<=", "→": "->", "≈": "~", "λ": "lambda",
        "β": "beta", "τ": "tau", "ℓ": "l", "‰": "per mille", "Δ": "Delta ",
    }
)  # fmt: skip


def dejavu_fonts(directories: Sequence[str] = FONT_DIRS) -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, from the first folder that has both."""
    for folder in map(Path, directories):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def latin1(text: str) -> str:
    """
    The text in Latin-1 (for a core PDF font): look-alikes, else '?'.

    Examples
    --------
    >>> latin1("Δ Treated − Control, λ = 630 nm, 2 µm²")
    'Delta Treated - Control, lambda = 630 nm, 2 µm²'
    """
    text = text.translate(_LATIN1).replace("  ", " ")
    return text.encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class _Slot:
    """Where a figure goes: page (from 0), top-left corner and size. [pt]"""

    key: str
    page: int
    x: float
    y: float
    width: float
    height: float


class _Document(FPDF):
    """An A4 page flow of text, tables and room for figures."""

    def __init__(self, footer_text: str, fonts: tuple[Path, Path] | None) -> None:
        super().__init__(unit="pt", format="A4")
        self.set_margins(MARGIN_PT, MARGIN_PT, MARGIN_PT)
        self.set_auto_page_break(True, MARGIN_PT)
        self.clean: Callable[[str], str]
        if fonts is None:
            self.family, self.clean = "Helvetica", latin1
        else:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family, self.clean = "DejaVu", str
        self.footer_text = footer_text
        self.slots: list[_Slot] = []
        self.set_draw_color(204)
        self.set_line_width(0.4)

    def use(self, size: float, *, bold: bool = False, color=_TEXT) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def footer(self) -> None:
        self.set_y(-MARGIN_PT * 0.75)
        self.use(7, color=(102, 102, 102))
        text = f"{self.footer_text} · page {self.page_no()} of {{nb}}"
        self.cell(0, 8, self.clean(text), align="C")

    def keep(self, height: float) -> None:
        """A new page unless ``height`` fits below the current position."""
        if self.will_page_break(height) and self.get_y() > self.t_margin + 1:
            self.add_page()

    def paragraph(self, text: str, size: float = 9.0, *, bold=False, color=_TEXT,
                  gap: float = 3.0) -> None:  # fmt: skip
        self.use(size, bold=bold, color=color)
        self.multi_cell(0, size * 1.3, self.clean(text), align="L")
        self.ln(gap)

    def heading(self, text: str, size: float = 13.0) -> None:
        self.keep(size * 1.6 + 110)  # a heading stays with what follows
        self.ln(6)
        self.paragraph(text, size, bold=True, gap=1)
        y = self.get_y()
        self.set_draw_color(153)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_draw_color(204)
        self.ln(6)

    def citation(self, text: str, doi: str) -> None:
        """A paragraph ending in a DOI link."""
        self.use(7.5, color=_GREY)
        self.write(7.5 * 1.3, self.clean(text + " "))
        self.write(7.5 * 1.3, f"doi:{doi}", link=f"https://doi.org/{doi}")
        self.write(7.5 * 1.3, ".")
        self.ln(12)

    def line_count(self, width: float, height: float, text: str) -> int:
        """How many lines ``text`` takes in a cell ``width`` wide (not drawn)."""
        lines = self.multi_cell(width, height, text, dry_run=True, output="LINES")
        # fpdf2 types the result of every ``output`` choice as one union.
        if not isinstance(lines, list):
            raise TypeError(f"fpdf2 returned {type(lines).__name__}, not the lines")
        return len(lines)

    def figure_row(self, row: Sequence[tuple[ReportFigure, float, float]]) -> None:
        """Figures side by side, each under its title; room is kept for them."""
        self.use(7.5, color=(51, 51, 51))
        lines = [self.line_count(w, 9, self.clean(f.title)) for f, w, _ in row]
        title_h = 9 * max(lines)
        self.keep(title_h + max(h for _, _, h in row) + 2)
        top, x = self.get_y(), self.l_margin
        for figure, width, height in row:
            self.set_xy(x, top)
            self.multi_cell(width, 9, self.clean(figure.title), align="L")
            self.slots.append(
                _Slot(figure.key, self.page - 1, x, top + title_h + 2, width, height)
            )
            x += width + _GAP
        self.set_xy(self.l_margin, top + title_h + 2 + max(h for _, _, h in row) + 8)

    def figures(self, figures: Sequence[ReportFigure]) -> None:
        """Figures in rows: as many side by side as the text width takes,
        scaled down only when one is wider or taller than the text block."""
        tallest = self.h - 2 * MARGIN_PT - 40  # a title of up to 3 lines
        row: list[tuple[ReportFigure, float, float]] = []
        used = 0.0
        for figure in figures:
            width, height = svg_size_pt(figure.svg)
            scale = min(1.0, self.epw / width, tallest / height)
            width, height = width * scale, height * scale
            if row and used + _GAP + width > self.epw:
                self.figure_row(row)
                row, used = [], 0.0
            used += width + (_GAP if row else 0.0)
            row.append((figure, width, height))
        if row:
            self.figure_row(row)

    def add_table(self, table: ReportTable) -> None:
        """A table under its title and caption; long cells wrap."""
        header = [column_label(c) for c in table.frame.columns]
        cells = table_cells(table.frame)
        header, cells, widths, size = self.layout(header, cells)
        self.keep(size * 1.45 * min(len(cells) + 2, 6) + 24)
        self.paragraph(table.title, 9.0, bold=True, gap=1)
        if table.caption:
            self.paragraph(table.caption, 7.0, color=_GREY, gap=2)
        self.use(size)
        self.grid(header, cells, widths, size)
        self.ln(8)

    def layout(self, header, cells):
        """Orientation, column widths and font size of a table.

        The largest size (7 down to 5.5 pt) at which no word has to be
        broken wins; a short table (up to 8 rows) may be turned, one column
        per row, when only that fits. When nothing fits, the columns share
        the text block in proportion to their natural widths.
        """
        shapes = [(header, cells)]
        if len(cells) <= 8:
            shapes.append(_transpose(header, cells))
        for size in (7.0, 6.5, 6.0, 5.5):
            self.use(size)
            for head, rows in shapes:
                widths = self.column_widths(head, rows)
                if widths is not None:
                    return head, rows, widths, size
        natural = self.natural_widths(header, cells)
        return header, cells, [self.epw * w / sum(natural) for w in natural], 5.5

    def grid(self, header, cells, widths: list[float], size: float) -> None:
        right = [
            index > 0 and sum(_numeric(row[index]) for row in cells) > len(cells) / 2
            for index in range(len(header))
        ]
        with self.table(
            width=min(sum(widths), self.epw),
            col_widths=widths,
            align="LEFT",
            text_align=tuple("RIGHT" if r else "LEFT" for r in right),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=(238, 238, 238)),
            line_height=size * 1.3,
            padding=(1.5, 3),
            repeat_headings=1,
        ) as grid:
            for values in [header, *cells]:
                row = grid.row()
                for value in values:
                    row.cell(self.clean(value))

    def _widest(self, texts, *, bold: bool = False) -> float:
        """The widest of the texts in the current font size. [pt]"""
        size = self.font_size_pt
        self.set_font(self.family, "B" if bold else "", size)
        widest = max([self.get_string_width(self.clean(t)) for t in texts] + [1.0])
        self.set_font(self.family, "", size)
        return widest + 6.5  # cell padding and rounding

    def natural_widths(self, header, cells) -> list[float]:
        """Each column's width with no line broken (header words may wrap)."""
        return [
            max(
                self._widest(name.split(), bold=True),
                self._widest([row[index] for row in cells]),
            )
            for index, name in enumerate(header)
        ]

    def column_widths(self, header, cells) -> list[float] | None:
        """Widths that fit the text block without breaking a word, or None.

        Columns take their natural width (at most 170 pt) when all fit;
        otherwise each gets its longest word and the rest of the text block
        is shared in proportion to what each still lacks.
        """
        natural = [min(w, 170.0) for w in self.natural_widths(header, cells)]
        if sum(natural) <= self.epw:
            return natural
        least = [
            max(
                self._widest(name.split(), bold=True),
                self._widest([w for row in cells for w in row[index].split()]),
            )
            for index, name in enumerate(header)
        ]
        if sum(least) > self.epw:
            return None
        spare, lacking = (
            self.epw - sum(least),
            [n - m for n, m in zip(natural, least, strict=True)],
        )
        total = sum(lacking) or 1.0
        return [m + spare * d / total for m, d in zip(least, lacking, strict=True)]


def _numeric(text: str) -> bool:
    stripped = text.replace("−", "").replace("-", "").replace("e", "")
    return text == "—" or stripped.replace(".", "").replace(",", "").isdigit()


def _transpose(header, cells):
    first = [header[0]] + [row[0] for row in cells]
    rows = [[name] + [row[i] for row in cells] for i, name in enumerate(header)][1:]
    return first, rows


def _front_matter(doc: _Document, report: Report) -> None:
    doc.paragraph(report.title, 16.0, bold=True, gap=2)
    doc.paragraph(
        f"Devices: {', '.join(report.device_names)}. Created {report.created_utc} "
        f"with PeLED Bench {report.version}; figures "
        f"{PRESETS[report.settings.preset].label}.",
        8.0,
        color=_GREY,
    )
    if report.synthetic:
        doc.paragraph(
            f"Contains synthetic demo data ({', '.join(report.synthetic)}): not "
            "measurements.",
            9.0,
            bold=True,
            color=(0, 114, 178),
        )


def _section(doc: _Document, number: int, section: ReportSection) -> None:
    doc.heading(f"{number}. {section.title}")
    if section.status != "ok":
        doc.paragraph(section.message, 9.0, color=(176, 64, 0))
    for table in section.tables:
        doc.add_table(table)
    doc.figures(section.figures)
    for note in section.notes:
        doc.paragraph(f"• {note}", 7.0, color=_GREY, gap=1)


def _provenance(doc: _Document, report: Report) -> None:
    doc.heading(f"{len(report.sections) + 1}. Provenance")
    settings = pd.DataFrame(settings_rows(report), columns=["setting", "value"])
    doc.add_table(ReportTable("settings", "Settings", settings))
    if report.inputs:
        inputs = pd.DataFrame(
            [
                {
                    "device": i.get("device", ""),
                    "input": i["name"],
                    "read as": i.get("role", ""),
                    "bytes": i.get("size_bytes", ""),
                    "SHA-256": i["sha256"],
                }
                for i in report.inputs
            ]
        )
        doc.add_table(ReportTable("inputs", "Inputs", inputs))
    citation, doi = METHODS_REFERENCE
    doc.citation(
        "Every figure has a provenance sidecar (figures/<name>.provenance.json) "
        "with these inputs, the settings, the app and engine versions and the "
        f"checksums of the spec and files. Methods: {citation},",
        doi,
    )


def _figure_form(writer: PdfWriter, figure_pdf: bytes) -> IndirectObject:
    """The first page of a figure's PDF as a Form XObject of ``writer``: its
    content stream is kept as it is (not parsed), its resources copied."""
    page = PdfReader(io.BytesIO(figure_pdf)).pages[0]
    contents = page["/Contents"]  # [] resolves an indirect reference
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(_stream_data(part) for part in parts))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _stream_data(part: PdfObject) -> bytes:
    """The decoded bytes of a content stream, or of the one ``part`` refers to."""
    stream = part.get_object()
    if not isinstance(stream, StreamObject):
        raise ValueError(f"a figure's page content is not a stream: {stream!r}")
    return stream.get_data()


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _place_figures(document: bytes, slots, figure_pdfs: Mapping[str, bytes]) -> bytes:
    """Draw each figure's own PDF page into its slot (vector, fonts embedded)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    writer.pdf_header = b"%PDF-1.7"  # the figures use transparency groups (1.4+)
    drawn: dict[int, list[bytes]] = {}
    for number, slot in enumerate(slots):
        form = _figure_form(writer, figure_pdfs[slot.key])
        left, bottom, right, _ = (float(v) for v in form["/BBox"])
        scale = slot.width / (right - left)
        page = writer.pages[slot.page]
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        name = f"/Figure{number}"
        resources["/XObject"].get_object()[NameObject(name)] = form
        x = slot.x - scale * left
        y = float(page.mediabox.top) - slot.y - slot.height - scale * bottom
        drawn.setdefault(slot.page, []).append(
            f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm {name} Do Q".encode()
        )
    for index, operations in drawn.items():
        page = writer.pages[index]
        contents = page.raw_get("/Contents")
        parts = (
            contents.get_object() if isinstance(contents, IndirectObject) else contents
        )
        parts = list(parts) if isinstance(parts, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [
                _stream(writer, b"q"),
                *parts,
                _stream(writer, b"Q\n" + b"\n".join(operations)),
            ]
        )
    # svg2pdf repeats an ICC colour profile per marker: keep one of each.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def report_pdf(
    report: Report,
    *,
    figure_pdfs: Mapping[str, bytes] | None = None,
    fonts: tuple[Path, Path] | None | str = "system",
) -> bytes:
    """
    The report as an A4 PDF: the same figures and tables as the HTML.

    Parameters
    ----------
    report : Report
    figure_pdfs : mapping of str to bytes, optional
        Figure key -> its PDF (``figures/<key>.pdf`` of :func:`report_files`);
        the others are converted from their SVG with vl-convert.
    fonts : (Path, Path), None or "system"
        DejaVu Sans regular and bold; ``"system"`` looks in :data:`FONT_DIRS`,
        None uses the core font Helvetica (text reduced to Latin-1).

    Returns
    -------
    bytes
    """
    report = render_report(report)
    if isinstance(fonts, str):
        fonts = dejavu_fonts()
    doc = _Document(f"{report.title} · PeLED Bench {report.version}", fonts)
    doc.set_title(doc.clean(report.title))
    doc.set_creator(f"PeLED Bench {report.version}")
    try:
        doc.set_creation_date(datetime.fromisoformat(report.created_utc))
    except ValueError:
        pass  # a free-form time stamp: fpdf2 writes the current time
    doc.add_page()
    _front_matter(doc, report)
    for number, section in enumerate(report.sections, start=1):
        _section(doc, number, section)
    _provenance(doc, report)
    pdfs = dict(figure_pdfs or {})
    for figure in report.figures:
        if figure.key not in pdfs:
            pdfs[figure.key] = vl_convert.svg_to_pdf(figure.svg)
    return _place_figures(bytes(doc.output()), doc.slots, pdfs)
