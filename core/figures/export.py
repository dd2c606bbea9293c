"""
Export Altair charts to SVG, PDF and PNG offline with vl-convert, exactly sized.

No browser and no network: vl-convert bundles Vega and the Liberation fonts
(METHODS.md §6), and conversions are refused any URL (``allowed_base_urls``
is empty), so a figure depends only on its spec. ``ppi`` writes the PNG's dpi
(pHYs chunk) and scales its pixels: px = pt × ppi / 72 = cm / 2.54 × ppi.

The ``*_size`` readers parse the files this module writes (SVG ``width``
attribute, PDF ``/MediaBox``, PNG ``IHDR`` and ``pHYs``), so tests and the
report can check that a figure is the size its preset promises.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence
from contextlib import contextmanager

import altair as alt
import pandas as pd
import vl_convert

from core.figures.theme import finish_spec, target_size_pt

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

FORMATS = ("svg", "pdf", "png")
#: PNG resolutions offered to users (journals ask for 300, line art 600). [dpi]
PPI_CHOICES = (300, 600)
MIME_TYPES = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "csv": "text/csv",
    "html": "text/html",
    "json": "application/json",
    "zip": "application/zip",
}

# No URL may be fetched during a conversion: figures carry their data inline.
_OFFLINE = {"allowed_base_urls": []}


@contextmanager
def _no_row_limit():
    # Altair refuses data frames over 5000 rows unless told otherwise; a
    # heatmap of 150 spectra x 250 wavelengths is 37 500 rows and is fine.
    with alt.data_transformers.disable_max_rows():
        yield


def chart_spec(chart) -> dict:
    """
    The Vega-Lite spec of a chart, without Altair's 5000-row limit.

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    dict
    """
    with _no_row_limit():
        return finish_spec(chart.to_dict())


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
        return _stable_ids(vl_convert.vegalite_to_svg(spec, **_OFFLINE)).encode("utf-8")
    if fmt == "pdf":
        return vl_convert.vegalite_to_pdf(spec, **_OFFLINE)
    if fmt == "png":
        if not ppi or ppi <= 0:
            raise ValueError(f"ppi must be a positive number, got {ppi!r}")
        return vl_convert.vegalite_to_png(spec, ppi=ppi, **_OFFLINE)
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


# --------------------------------------------------------------------------
# Sizes of written files
# --------------------------------------------------------------------------

_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([\d.]+)\s+([\d.]+)")


def svg_size_pt(svg: bytes | str) -> tuple[float, float]:
    """
    Width and height of an SVG from its root ``width``/``height``. [pt]

    Vega writes them in px, which SVG and PDF both treat as 1/72 in.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    match = _SVG_SIZE.search(data)
    if match is None:
        raise ValueError("no <svg width=... height=...> in the data")
    return float(match.group(1)), float(match.group(2))


def pdf_size_pt(pdf: bytes) -> tuple[float, float]:
    """Width and height of the first page's ``/MediaBox``. [pt]"""
    match = _MEDIABOX.search(pdf)
    if match is None:
        raise ValueError("no /MediaBox in the PDF")
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return x1 - x0, y1 - y0


def _png_chunks(png: bytes):
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    offset = 8
    while offset + 8 <= len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        yield kind, png[offset + 8 : offset + 8 + length]
        offset += 12 + length


def png_size_px(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its IHDR chunk. [px]"""
    for kind, body in _png_chunks(png):
        if kind == b"IHDR":
            return struct.unpack(">II", body[:8])
    raise ValueError("PNG without IHDR chunk")


def png_ppi(png: bytes) -> tuple[float, float] | None:
    """
    Resolution written in a PNG's pHYs chunk. [dpi]

    Returns None when the PNG has no pHYs chunk or its unit is not the metre.
    """
    for kind, body in _png_chunks(png):
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", body[:9])
            if unit != 1:
                return None
            return x * 0.0254, y * 0.0254
    return None


def engine_versions() -> dict[str, str]:
    """Versions of the libraries that turn a spec into a figure."""
    return {
        "altair": alt.__version__,
        "vl_convert": getattr(vl_convert, "__version__", "unknown"),
        "vega": vl_convert.get_vega_version(),
        "vega_lite": alt.SCHEMA_VERSION,
    }


# --------------------------------------------------------------------------
# Exact size for compound charts
# --------------------------------------------------------------------------


def _leaf_specs(spec: dict) -> list[dict]:
    """The dicts whose width/height size the panels of a compound spec."""
    for key in ("hconcat", "vconcat", "concat"):
        if key in spec:
            return [leaf for part in spec[key] for leaf in _leaf_specs(part)]
    if "facet" in spec or "repeat" in spec:
        return _leaf_specs(spec["spec"])
    return [spec]


def _measure(spec: dict) -> tuple[float, float]:
    return svg_size_pt(vl_convert.vegalite_to_svg(spec, **_OFFLINE).encode())


def _shift_leaves(spec: dict, base: list, d_width: float, d_height: float):
    for leaf, (width, height) in zip(_leaf_specs(spec), base, strict=True):
        leaf["width"] = max(1.0, width + d_width)
        leaf["height"] = max(1.0, height + d_height)


def fit_compound(chart, *, step_pt: float = 20.0, pad_pt: float = 4.0):
    """
    Resize the panels of a concatenated/faceted chart to its exact target size.

    Vega's ``fit`` autosize does not work for compound views, so the figure is
    rendered twice (panels as given, then every panel ``step_pt`` larger), the
    panel size that hits the target is solved from the two (the figure grows
    linearly with its panels between tick changes), a third render checks it,
    and the remaining fraction of a point goes into the padding.

    Parameters
    ----------
    chart : altair compound chart
        Themed (its target size is in ``usermeta``), with numeric panel sizes.
    step_pt : float
        Trial enlargement of every panel. [pt]
    pad_pt : float
        Padding on each side before the correction. [pt]

    Returns
    -------
    altair chart
        A chart built from the corrected spec.
    """
    target = target_size_pt(chart)
    spec = chart_spec(chart)
    if target is None:
        return chart
    width_t, height_t = target
    spec["autosize"] = {"type": "pad"}
    spec["padding"] = {"left": pad_pt, "right": pad_pt, "top": pad_pt}
    spec["padding"]["bottom"] = pad_pt
    base = [
        (float(leaf.get("width", 200)), float(leaf.get("height", 150)))
        for leaf in _leaf_specs(spec)
    ]
    w0, h0 = _measure(spec)
    _shift_leaves(spec, base, step_pt, step_pt)
    w1, h1 = _measure(spec)
    slope_w = max((w1 - w0) / step_pt, 1e-6)
    slope_h = max((h1 - h0) / step_pt, 1e-6)
    d_width = (width_t - w0) / slope_w
    d_height = (height_t - h0) / slope_h
    for _ in range(3):
        _shift_leaves(spec, base, d_width, d_height)
        w2, h2 = _measure(spec)
        extra_w, extra_h = width_t - w2, height_t - h2
        # Padding can absorb what remains as long as it stays >= 0.
        if extra_w > -2 * pad_pt and extra_h > -2 * pad_pt:
            break
        d_width += min(extra_w, 0) / slope_w - 1.0
        d_height += min(extra_h, 0) / slope_h - 1.0
    spec["padding"] = {
        "left": pad_pt + extra_w / 2,
        "right": pad_pt + extra_w / 2,
        "top": pad_pt + extra_h / 2,
        "bottom": pad_pt + extra_h / 2,
    }
    # Vega's legend layout is not in Vega-Lite's schema: chart_spec adds it
    # again from usermeta at every export.
    spec.get("config", {}).get("legend", {}).pop("layout", None)
    return type(chart).from_dict(spec, validate=False)


# --------------------------------------------------------------------------
# Joining single-page PDFs (the report)
# --------------------------------------------------------------------------

_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER_REF = re.compile(rb"/(Root|Info)\s+(\d+)\s+0\s+R")
_REF = re.compile(rb"(?<![\d.])(\d+)\s+0\s+R\b")
_OBJ_HEAD = re.compile(rb"^(\d+)\s+0\s+obj\b")


def _pdf_objects(pdf: bytes) -> tuple[dict[int, bytes], int, int | None]:
    """Objects (number -> bytes from "N 0 obj" to "endobj") of a classic PDF."""
    match = _XREF.search(pdf)
    if match is None or b"/ObjStm" in pdf or b"/XRefStm" in pdf:
        raise ValueError("only PDFs with a classic xref table can be joined")
    xref_at = int(match.group(1))
    lines = pdf[xref_at:].split(b"trailer", 1)
    table, trailer = lines[0].split(), lines[1]
    if table[0] != b"xref":
        raise ValueError("no xref table at startxref")
    first, count = int(table[1]), int(table[2])
    entries = table[3 : 3 + 3 * count]
    offsets = {
        first + i: int(entries[3 * i])
        for i in range(count)
        if entries[3 * i + 2] == b"n"
    }
    ends = sorted(offsets.values()) + [xref_at]
    objects = {}
    for number, start in offsets.items():
        end = ends[ends.index(start) + 1]
        chunk = pdf[start:end]
        chunk = chunk[: chunk.rindex(b"endobj") + len(b"endobj")]
        head = _OBJ_HEAD.match(chunk)
        if head is None or int(head.group(1)) != number:
            raise ValueError(f"xref entry {number} does not point at its object")
        objects[number] = chunk
    refs = dict(
        (key.decode(), int(value)) for key, value in _TRAILER_REF.findall(trailer)
    )
    return objects, refs["Root"], refs.get("Info")


def _renumber(chunk: bytes, shift: int) -> bytes:
    """Shift object numbers in an object's dictionary (never in stream data)."""
    split = chunk.find(b"stream")
    head, tail = (chunk, b"") if split < 0 else (chunk[:split], chunk[split:])
    head = _OBJ_HEAD.sub(lambda m: b"%d 0 obj" % (int(m.group(1)) + shift), head)
    head = _REF.sub(lambda m: b"%d 0 R" % (int(m.group(1)) + shift), head)
    return head + tail


def merge_pdfs(documents: Sequence[bytes]) -> bytes:
    """
    Join PDFs written by vl-convert (svg2pdf) into one document, in order.

    Each document's objects are renumbered and copied unchanged (streams
    included); their page trees become the kids of one new page tree. Only
    PDFs with a classic cross-reference table are accepted (what vl-convert
    writes); anything else raises ValueError rather than writing a broken file.

    Parameters
    ----------
    documents : sequence of bytes
        PDF files.

    Returns
    -------
    bytes
        One PDF with every page of every document.
    """
    if not documents:
        raise ValueError("no PDF to join")
    body: list[bytes] = []
    kids: list[int] = []
    total = 0
    shift = 0
    info = None
    for document in documents:
        objects, root, info_number = _pdf_objects(document)
        catalog = objects[root]
        pages = int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
        count = int(re.search(rb"/Count\s+(\d+)", objects[pages]).group(1))
        total += count
        kids.append(pages + shift)
        if info is None and info_number is not None:
            info = info_number + shift
        for number, chunk in objects.items():
            if number == root:
                continue  # the new catalog replaces it
            chunk = _renumber(chunk, shift)
            if number == pages:  # its tree hangs under the new root
                chunk = chunk.replace(b"<<", b"<<\n  /Parent %%PARENT%% 0 R", 1)
            body.append(chunk)
        shift += max(objects) + 1
    parent, catalog_number = shift, shift + 1
    body = [chunk.replace(b"%%PARENT%%", b"%d" % parent) for chunk in body]
    kid_refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    body.append(
        b"%d 0 obj\n<<\n  /Type /Pages\n  /Count %d\n  /Kids [%s]\n>>\nendobj"
        % (parent, total, kid_refs)
    )
    body.append(
        b"%d 0 obj\n<<\n  /Type /Catalog\n  /Pages %d 0 R\n>>\nendobj"
        % (catalog_number, parent)
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n")
    offsets: dict[int, int] = {}
    for chunk in body:
        number = int(_OBJ_HEAD.match(chunk).group(1))
        offsets[number] = out.tell()
        out.write(chunk + b"\n\n")
    xref_at = out.tell()
    size = catalog_number + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % size)
    for number in range(1, size):
        if number in offsets:
            out.write(b"%010d 00000 n\r\n" % offsets[number])
        else:
            out.write(b"0000000000 65535 f\r\n")
    trailer = b"trailer\n<<\n  /Size %d\n  /Root %d 0 R\n" % (size, catalog_number)
    if info is not None:
        trailer += b"  /Info %d 0 R\n" % info
    out.write(trailer + b">>\nstartxref\n%d\n%%%%EOF" % xref_at)
    return out.getvalue()
