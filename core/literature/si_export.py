"""
Writers of the SI table (:class:`core.literature.si_table.SITable`).

Each lays out the same cells: :func:`to_latex` (booktabs, ``\\cite{}`` keys
and the matching BibTeX; a document that compiles as it is, the table
environment marked for copying), :func:`to_docx` (a Word table with the units
in the header row, footnotes and references below), :func:`to_markdown` and
:func:`to_csv`. Footnote markers are superscript letters (LaTeX
``\\textsuperscript``, Word superscript runs, Markdown ``<sup>``; CSV writes
them as ``[a]``).
"""

from __future__ import annotations

import csv
import io
import unicodedata

from core.literature.citation import _latex
from core.literature.si_table import BLANK, SITable

__all__ = ["to_csv", "to_docx", "to_latex", "to_markdown"]

#: Characters pdflatex (utf8 + T1) cannot typeset as text, and what replaces them.
_TEX_UNICODE = {
    BLANK: "--",
    "—": "---",
    "−": "$-$",
    "⁻": "$^{-}$",
    "²": "$^{2}$",
    "³": "$^{3}$",
    "µ": r"\textmu{}",
    "μ": r"\textmu{}",
    "°": r"\textdegree{}",
    "×": r"$\times$",
    "±": r"$\pm$",
    "·": r"$\cdot$",
    "…": r"\ldots{}",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "Δ": r"$\Delta$",
    "λ": r"$\lambda$",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
}


def _tex(text: str) -> str:
    """Plain text as LaTeX: specials escaped, symbols mapped, anything else
    beyond Latin-1 reduced to ASCII (so pdflatex never stops on it)."""
    out = []
    text = str(text).replace("⁻²", "\x00")  # cd m⁻² as one superscript
    for char in _latex(text):
        if char == "\x00":
            out.append("$^{-2}$")
            continue
        if char in _TEX_UNICODE:
            out.append(_TEX_UNICODE[char])
        elif ord(char) < 256:
            out.append(char)
        else:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore")
            out.append(ascii_form.decode() or "?")
    return "".join(out).replace("$$", "")


def _tex_cell(value: str, marks: str) -> str:
    return _tex(value) + (rf"\textsuperscript{{{marks}}}" if marks else "")


def _tex_rows(si: SITable) -> list[str]:
    lines = []
    for position in range(len(si.cells)):
        cells = []
        for column, header in zip(si.columns, si.cells.columns, strict=True):
            value = si.cells[header].iloc[position]
            marks = si.marks[header].iloc[position]
            key = si.cite_keys[position]
            if column.key == "ref" and key:
                cells.append(rf"\cite{{{key}}}")
            else:
                cells.append(_tex_cell(value, marks))
        lines.append(" & ".join(cells) + r" \\")
    return lines


def _tex_notes(si: SITable) -> list[str]:
    notes = [_tex(text) for text in si.notes]
    notes += [rf"\textsuperscript{{{m}}}\,{_tex(text)}" for m, text in si.footnotes]
    return [text + r"\\" for text in notes]


def latex_table(si: SITable, label: str = "tab:si-comparison") -> str:
    """The ``table`` environment alone (booktabs), to paste into a document."""
    spec = "ll" + "c" * (len(si.columns) - 2)
    labels = " & ".join(c.latex_label for c in si.columns) + r" \\"
    units = " & ".join(f"({c.latex_unit})" if c.latex_unit else "" for c in si.columns)
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{_tex(si.caption)}}}",
        rf"\label{{{label}}}",
        r"\small",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        labels,
        units + r" \\",
        r"\midrule",
        *_tex_rows(si),
        r"\bottomrule",
        r"\end{tabular}",
        r"\par\smallskip",
        r"\begin{minipage}{\linewidth}\footnotesize",
        *_tex_notes(si),
        r"\end{minipage}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"


def to_latex(si: SITable, bib_name: str = "si_table") -> tuple[str, str]:
    """
    The SI table as a LaTeX document and its BibTeX file.

    Parameters
    ----------
    si : SITable
    bib_name : str
        Base name of the .bib file the document's ``\\bibliography`` names.

    Returns
    -------
    tex : str
        A document (article, booktabs, landscape geometry) that compiles with
        pdflatex + bibtex as it is; the ``table`` environment between the
        "copy from here" comments goes into your own SI.
    bib : str
        One ``@article`` per cited paper, keyed as the ``\\cite`` commands.
    """
    bib = "\n\n".join(r.bibtex for r in si.references)
    lines = [
        r"\documentclass{article}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage{lmodern}",
        r"\usepackage{booktabs}",
        r"\usepackage[landscape,margin=1.5cm]{geometry}",
        r"\begin{document}",
        "% --- the table: copy from here into your Supporting Information ---",
        latex_table(si).rstrip("\n"),
        "% --- end of the table ---",
    ]
    if si.references:
        lines += [r"\bibliographystyle{unsrt}", rf"\bibliography{{{bib_name}}}"]
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n", (bib + "\n" if bib else "")


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(si: SITable) -> str:
    """The SI table as a Markdown pipe table, notes, footnotes and references."""
    shown = si.plain("<sup>{}</sup>")
    header = "| " + " | ".join(_markdown_cell(h) for h in shown.columns) + " |"
    rule = "|" + "|".join([":---"] * 2 + ["---:"] * (len(shown.columns) - 2)) + "|"
    body = [
        "| " + " | ".join(_markdown_cell(v) for v in row) + " |"
        for row in shown.itertuples(index=False, name=None)
    ]
    lines = [f"**{si.caption}**", "", header, rule, *body, ""]
    lines += [f"{text}  " for text in si.notes]
    lines += [f"<sup>{m}</sup> {_markdown_cell(text)}  " for m, text in si.footnotes]
    if si.references:
        lines += ["", "**References**", ""]
        lines += [f"{r.number}. {r.citation}" for r in si.references]
    return "\n".join(lines) + "\n"


def to_csv(si: SITable) -> str:
    """
    The SI table as CSV: the header (units in it) and one line per row, the
    markers written ``[a]``; after an empty line, one line per note,
    footnote and reference (first cell the marker or ``[n]``).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    shown = si.plain()
    writer.writerow(list(shown.columns))
    writer.writerows(shown.itertuples(index=False, name=None))
    writer.writerow([])
    writer.writerows(["note", text] for text in si.notes)
    writer.writerows([f"[{m}]", text] for m, text in si.footnotes)
    writer.writerows([f"[{r.number}]", r.citation] for r in si.references)
    return out.getvalue()


def _runs(paragraph, text: str, marks: str = "", *, bold: bool = False):
    """Add ``text`` (and its markers as superscript) to a Word paragraph."""
    run = paragraph.add_run(text)
    run.bold = bold
    if marks:
        paragraph.add_run(marks).font.superscript = True
    return paragraph


def to_docx(si: SITable) -> bytes:
    """
    The SI table as a Word document (python-docx): a landscape page with the
    caption, a real table whose header row holds the units ("EL peak (nm)"),
    the notes and footnotes below it and the numbered references.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _runs(document.add_paragraph(), si.caption, bold=True)
    table = document.add_table(rows=len(si.cells) + 1, cols=len(si.cells.columns))
    table.style = "Table Grid"
    for column, header in enumerate(si.cells.columns):
        _runs(table.cell(0, column).paragraphs[0], header, bold=True)
        for position in range(len(si.cells)):
            _runs(
                table.cell(position + 1, column).paragraphs[0],
                si.cells[header].iloc[position],
                si.marks[header].iloc[position],
            )
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
    for text in si.notes:
        _runs(document.add_paragraph(), text)
    for marker, text in si.footnotes:
        _runs(document.add_paragraph(), "", marker).add_run(" " + text)
    if si.references:
        _runs(document.add_paragraph(), "References", bold=True)
        for reference in si.references:
            _runs(
                document.add_paragraph(), f"[{reference.number}] {reference.citation}"
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
