"""
Sizes of written figure files: SVG and PDF in pt, PNG in px and dpi.

The export checks and the report read the size a file really has rather than
the size that was asked for. SVG is read from its root element (Vega writes
``width``/``height`` in px, which SVG and PDF both take as 1/72 in); PDF pages
with pypdf; PNG with Pillow.
"""

from __future__ import annotations

import io
import re

__all__ = ["svg_size_pt", "pdf_size_pt", "png_size_px", "png_ppi"]

_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg_size_pt(svg: bytes | str) -> tuple[float, float]:
    """
    Width and height of an SVG from its root ``width``/``height``. [pt]

    Vega writes them in px, which SVG and PDF both treat as 1/72 in.

    Raises
    ------
    ValueError
        When the data has no ``<svg width=... height=...>``.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    match = _SVG_SIZE.search(data)
    if match is None:
        raise ValueError("no <svg width=... height=...> in the data")
    return float(match.group(1)), float(match.group(2))


def pdf_size_pt(pdf: bytes) -> tuple[float, float]:
    """
    Width and height of the first page's ``/MediaBox``. [pt]

    Raises
    ------
    ValueError
        When the data is not a readable PDF or has no page.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = PdfReader(io.BytesIO(pdf)).pages
        box = pages[0].mediabox
    except (PdfReadError, IndexError, KeyError, ValueError) as error:
        raise ValueError(f"not a PDF with a page: {error}") from None
    return float(box.width), float(box.height)


def _png(png: bytes):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(png))
    except UnidentifiedImageError:
        raise ValueError("not a PNG file") from None
    if image.format != "PNG":
        raise ValueError(f"not a PNG file (a {image.format} image)")
    return image


def png_size_px(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG (its IHDR chunk). [px]"""
    with _png(png) as image:
        return image.size


def png_ppi(png: bytes) -> tuple[float, float] | None:
    """
    Resolution written in a PNG's pHYs chunk. [dpi]

    Returns None when the PNG has no pHYs chunk or its unit is not the metre.
    pHYs stores whole pixels per metre, so 300 dpi reads back as 299.9994.
    """
    with _png(png) as image:
        # Pillow gives pHYs in px/m as "dpi" (x 0.0254) when the unit is the
        # metre, and only an "aspect" when the unit is unknown.
        dpi = image.info.get("dpi")
    if dpi is None:
        return None
    return float(dpi[0]), float(dpi[1])
