"""
Export Altair charts to SVG, PDF and PNG offline with vl-convert, exactly sized.

No browser and no network: vl-convert bundles Vega and the Liberation fonts
(docs/methods.md §6), and conversions are refused any URL (``allowed_base_urls``
is empty), so a figure depends only on its spec. ``ppi`` writes the PNG's dpi
(pHYs chunk) and scales its pixels: px = pt × ppi / 72 = cm / 2.54 × ppi.

The size readers (:mod:`core.figures.sizes`, re-exported here) read the
files this module writes, so tests and the report can check that a figure is
the size its preset promises; :func:`merge_pdfs` joins the report's pages with
pypdf. :func:`chart_spec` and :func:`fit_compound` live in
:mod:`core.figures.theme` (exact sizing is the theme's job) and are
re-exported here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import vl_convert

from core.figures.presets import FORMATS, MIME_TYPES, PPI_CHOICES
from core.figures.sizes import pdf_size_pt, png_ppi, png_size_px, svg_size_pt
from core.figures.theme import OFFLINE, chart_spec, fit_compound

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "PPI_CHOICES",
    "chart_spec",
    "chart_to_bytes",
    "spec_to_bytes",
    "chart_data_csv",
    "fit_compound",
    "svg_size_pt",
    "pdf_size_pt",
    "png_size_px",
    "png_ppi",
    "engine_versions",
    "merge_pdfs",
]


def spec_to_bytes(spec: dict, fmt: str, *, ppi: int = 300) -> bytes:
    """
    Render a Vega-Lite spec (dict) to SVG, PDF or PNG bytes.

    Parameters
    ----------
    spec : dict
        Vega-Lite spec, e.g. :func:`chart_spec` of a themed chart.
    fmt : {"svg", "pdf", "png"}
        Output format.
    ppi : int
        PNG resolution [dpi]; ignored for vector formats.

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For an unknown format or a non-positive ``ppi``.
    """
    if fmt == "svg":
        return _stable_ids(vl_convert.vegalite_to_svg(spec, **OFFLINE)).encode("utf-8")
    if fmt == "pdf":
        return vl_convert.vegalite_to_pdf(spec, **OFFLINE)
    if fmt == "png":
        if not ppi or ppi <= 0:
            raise ValueError(f"ppi must be a positive number, got {ppi!r}")
        return vl_convert.vegalite_to_png(spec, ppi=ppi, **OFFLINE)
    raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")


_ID = re.compile(r'\bid="([^"]+)"')


def _stable_ids(svg: str) -> str:
    """
    Number an SVG's ids from 1 in order of appearance.

    Vega numbers clip paths with a counter that runs on for the whole
    process ("clip88" after 87 earlier clips), so the same spec would give
    different SVG bytes depending on what was drawn before.
    """
    names = list(dict.fromkeys(_ID.findall(svg)))
    if not names:
        return svg
    counters: dict[str, int] = {}
    mapping = {}
    for name in names:
        stem = re.sub(r"\d+$", "", name)
        counters[stem] = counters.get(stem, 0) + 1
        mapping[name] = f"{stem}{counters[stem]}"
    pattern = re.compile(
        r'(\bid="|url\(#|href="#)('
        + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        + r')(?=["\)])'
    )
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


def chart_to_bytes(chart, fmt: str, *, ppi: int = 300) -> bytes:
    """
    Render a chart to an image file's bytes.

    Parameters
    ----------
    chart : altair chart
        Any Altair chart (themed with :func:`core.figures.theme.themed` for
        an exact journal size).
    fmt : {"svg", "pdf", "png"}
        Output format.
    ppi : int
        PNG resolution in pixels per inch (300 or 600 for journals); the
        pixel size is the figure's size in pt × ppi / 72. Ignored for vector
        formats.

    Returns
    -------
    bytes
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    return spec_to_bytes(chart_spec(chart), fmt, ppi=ppi)


def chart_data_csv(data: pd.DataFrame) -> bytes:
    """The data behind a chart as UTF-8 CSV bytes (no index)."""
    buffer = io.StringIO()
    data.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def engine_versions() -> dict[str, str]:
    """Versions of the libraries that turn a spec into a figure."""
    return {
        "altair": alt.__version__,
        "vl_convert": getattr(vl_convert, "__version__", "unknown"),
        "vega": vl_convert.get_vega_version(),
        "vega_lite": alt.SCHEMA_VERSION,
    }


def merge_pdfs(documents: Sequence[bytes]) -> bytes:
    """
    Join PDFs (one page each, as vl-convert writes them) into one, in order.

    Parameters
    ----------
    documents : sequence of bytes
        PDF files.

    Returns
    -------
    bytes
        One PDF with every page of every document.

    Raises
    ------
    ValueError
        For an empty sequence, or a document pypdf cannot read (the message
        says which one).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    if not documents:
        raise ValueError("no PDF to join")
    writer = PdfWriter()
    for number, document in enumerate(documents, start=1):
        try:
            reader = PdfReader(io.BytesIO(document), strict=True)
            writer.append(reader)
        except (PdfReadError, ValueError, KeyError) as error:
            raise ValueError(
                f"PDF {number} of {len(documents)} cannot be joined: {error}"
            ) from None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
