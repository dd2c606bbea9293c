"""
Export Altair charts to SVG, PDF and PNG offline with vl-convert.

No browser and no network: vl-convert bundles Vega and the Liberation fonts.
``ppi`` writes the PNG's dpi metadata and scales its pixels (METHODS.md §6).
"""

from __future__ import annotations

import io

import pandas as pd
import vl_convert

__all__ = ["FORMATS", "MIME_TYPES", "chart_to_bytes", "chart_data_csv"]

FORMATS = ("svg", "pdf", "png")
MIME_TYPES = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "csv": "text/csv",
    "html": "text/html",
    "json": "application/json",
}


def chart_to_bytes(chart, fmt: str, *, ppi: int = 300) -> bytes:
    """
    Render a chart to an image file's bytes.

    Parameters
    ----------
    chart : altair chart
        Any Altair chart (themed with :func:`core.figures.theme.themed`).
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
    spec = chart.to_dict()
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "pdf":
        return vl_convert.vegalite_to_pdf(spec)
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, ppi=ppi)
    raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")


def chart_data_csv(data: pd.DataFrame) -> bytes:
    """The data behind a chart as UTF-8 CSV bytes."""
    buffer = io.StringIO()
    data.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
