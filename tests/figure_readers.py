"""
Independent readers of the figure files PeLED Bench writes, for the tests.

File sizes are read back from the files themselves (SVG ``width``, PDF
``/MediaBox``, PNG ``IHDR``/``pHYs``) with parsers written here, independent
of :mod:`core.figures.sizes` (Pillow, pypdf). PDF text is decoded from the
content streams through each font's ToUnicode map. Shared by the tests of
``core/figures`` (``tests/core/figures``) and of the report.
"""

from __future__ import annotations

import importlib
import re
import struct
import zlib

import altair as alt
import numpy as np
import pandas as pd
import pytest

from core.figures.export import chart_spec, spec_to_bytes
from core.figures.theme import PRESETS, themed

PT_PER_CM = 72 / 2.54
# vl-convert writes sizes with 5 decimals in the PDF; 1e-3 pt is 0.35 µm.
PT_TOLERANCE = 1e-3


def svg_width_height(svg: bytes) -> tuple[float, float]:
    root = re.search(rb"<svg[^>]*>", svg).group(0)
    width = float(re.search(rb'\swidth="([\d.]+)"', root).group(1))
    height = float(re.search(rb'\sheight="([\d.]+)"', root).group(1))
    return width, height


def png_chunks(png: bytes) -> dict[bytes, bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        chunks[png[offset + 4 : offset + 8]] = png[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return chunks


def pdf_objects(pdf: bytes) -> dict[int, bytes]:
    return {
        int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)
    }


def pdf_stream(body: bytes) -> bytes:
    head, data = body.split(b"stream", 1)
    data = data[data.index(b"\n") + 1 : data.rindex(b"endstream")]
    return zlib.decompress(data) if b"FlateDecode" in head else data


def _literal_strings(text: bytes):
    """PDF literal strings ``(...)`` of a content stream, escapes decoded."""
    i = 0
    while i < len(text):
        if text[i : i + 1] != b"(":
            i += 1
            continue
        out, depth, i = bytearray(), 1, i + 1
        while depth:
            c = text[i : i + 1]
            if c == b"\\":
                nxt = text[i + 1 : i + 2]
                if nxt.isdigit():
                    digits = re.match(rb"[0-7]{1,3}", text[i + 1 : i + 4]).group(0)
                    out.append(int(digits, 8))
                    i += 1 + len(digits)
                    continue
                escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b"}
                out += (escapes | {b"f": b"\f"}).get(nxt, nxt)
                i += 2
                continue
            if c == b"(":
                depth += 1
            elif c == b")":
                depth -= 1
                if not depth:
                    i += 1
                    break
            out += c
            i += 1
        yield i, bytes(out)


def _to_unicode(objects, font_ref: int) -> dict[int, str]:
    font = objects[font_ref]
    ref = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", font)
    cmap = pdf_stream(objects[int(ref.group(1))]).decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    return table


def pdf_text(pdf: bytes) -> str:
    """The strings shown on every page, decoded with that page's fonts."""
    objects = pdf_objects(pdf)
    text = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page\b", body):
            continue
        fonts = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        maps = {
            name.decode(): _to_unicode(objects, int(ref))
            for name, ref in re.findall(
                rb"/(\w+)\s+(\d+)\s+0\s+R", fonts.group(1) if fonts else b""
            )
        }
        contents = re.search(rb"/Contents\s+(\d+)\s+0\s+R", body)
        content = pdf_stream(objects[int(contents.group(1))])
        selections = [
            (m.start(), m.group(1).decode())
            for m in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf", content)
        ]
        for end, raw in _literal_strings(content):
            current = [name for start, name in selections if start < end]
            table = maps.get(current[-1], {}) if current else {}
            codes = struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2])
            text.append("".join(table.get(code, "?") for code in codes))
    return "".join(text)


def base_fonts(pdf: bytes) -> set[str]:
    return {
        name.split(b"+")[-1].decode()
        for name in re.findall(rb"/BaseFont\s*/([\w+-]+)", pdf)
    }


def simple_chart() -> alt.Chart:
    """A small line chart with a legend and units in its axis titles."""
    frame = pd.DataFrame(
        {"x": np.arange(20.0), "y": np.arange(20.0) ** 2, "d": ["a", "b"] * 10}
    )
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("x:Q", title="voltage [V]"),
            y=alt.Y("y:Q", title="luminance [cd/m²]"),
            color=alt.Color("d:N", title="device"),
        )
    )


def public_chart_builders(module: str) -> set[str]:
    """The `*_chart`/`*_histogram` builders that `core.figures.<module>` exports."""
    names = importlib.import_module(f"core.figures.{module}").__all__
    found = {n for n in names if n.endswith("_chart") or n.endswith("_histogram")}
    if module == "efficiency":
        found.discard("curve_chart")  # the generic one behind the others
    return found


def assert_exact_export(chart, titles) -> None:
    """
    A chart exports SVG, PDF and PNG at the acs-single size, with Liberation Sans
    embedded and every axis title in the text (checked with the readers here).
    """
    preset = PRESETS["acs-single"]
    width_pt, height_pt = preset.width_cm * PT_PER_CM, preset.height_cm * PT_PER_CM
    spec = chart_spec(themed(chart, "acs-single"))
    svg = spec_to_bytes(spec, "svg")
    pdf = spec_to_bytes(spec, "pdf")
    png = spec_to_bytes(spec, "png", ppi=72)

    assert svg_width_height(svg) == pytest.approx((width_pt, height_pt), abs=1e-6)
    box = re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()
    assert float(box[2]) - float(box[0]) == pytest.approx(width_pt, abs=PT_TOLERANCE)
    assert float(box[3]) - float(box[1]) == pytest.approx(height_pt, abs=PT_TOLERANCE)
    chunks = png_chunks(png)
    px = struct.unpack(">II", chunks[b"IHDR"][:8])
    expected = (preset.width_cm / 2.54 * 72, preset.height_cm / 2.54 * 72)
    assert abs(px[0] - expected[0]) <= 1 and abs(px[1] - expected[1]) <= 1

    # Liberation Sans is embedded and no label fell back to another font (a
    # glyph Liberation Sans lacks makes the renderer swap the whole label).
    assert base_fonts(pdf) == {"LiberationSans"}, base_fonts(pdf)
    text = pdf_text(pdf)
    svg_text = svg.decode()
    for title in titles:
        assert title.replace(" ", "") in text.replace(" ", ""), (title, text[:300])
        assert f">{title}</text>" in svg_text.replace("&#39;", "'")
