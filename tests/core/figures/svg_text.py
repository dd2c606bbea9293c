"""
The text of an SVG figure as boxes in figure coordinates, for the text tests.

vl-convert writes every label as ``<text transform="translate(x,y)
[rotate(a)]" text-anchor=... font-size=...>`` inside nested ``<g
transform="translate(...)">`` groups, some of them clipped
(``clip-path="url(#clipN)"``, a ``<rect>``). The box of a label is its
advance width measured with the font's own metrics (Pillow and the Liberation
Sans file, the font vl-convert embeds) from the anchor, and from the cap
height above the baseline to the descender below it; the box is then carried
through every transform. Independent of Vega's own text measurement.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_SVG = "{http://www.w3.org/2000/svg}"
_FONT_FILES = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)
#: Liberation Sans: cap height and descender in em (its OS/2 table).
CAP_HEIGHT_EM = 0.729
DESCENDER_EM = 0.212
#: Advance width per character when no font file is found: wider than
#: Liberation Sans' widest lower-case letters on average (conservative). [em]
FALLBACK_WIDTH_EM = 0.62


@dataclass(frozen=True)
class TextBox:
    """One label: its text and its box in figure coordinates. [pt]"""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    clip: tuple[float, float, float, float] | None = None

    def overlap(self, other: TextBox) -> float:
        """The smaller of the two overlaps along x and y (≤ 0: apart). [pt]"""
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return min(dx, dy)


@lru_cache(maxsize=1)
def _font():
    from PIL import ImageFont

    for path in _FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, 1000)
    return None


def text_width_em(text: str) -> float:
    """Advance width of a string in em (Liberation Sans)."""
    font = _font()
    if font is None:
        return FALLBACK_WIDTH_EM * len(text)
    return font.getlength(text) / 1000.0


Matrix = tuple[float, float, float, float, float, float]  # a b c d e f
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _parse_transform(text: str | None) -> Matrix:
    matrix = _IDENTITY
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", text or ""):
        values = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0)
        elif name == "rotate":
            angle = math.radians(values[0])
            cos, sin = math.cos(angle), math.sin(angle)
            step = (cos, sin, -sin, cos, 0.0, 0.0)
        elif name == "scale":
            sy = values[1] if len(values) > 1 else values[0]
            step = (values[0], 0.0, 0.0, sy, 0.0, 0.0)
        elif name == "matrix":
            step = tuple(values)  # type: ignore[assignment]
        else:
            raise ValueError(f"unknown SVG transform {name!r}")
        matrix = _multiply(matrix, step)
    return matrix


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _bounds(m: Matrix, x0, y0, x1, y1) -> tuple[float, float, float, float]:
    corners = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _font_size(element) -> float:
    size = element.get("font-size", "10px")
    return float(size.rstrip("px"))


def _clip_rects(root) -> dict[str, tuple[float, float, float, float]]:
    """Clip path id -> its rect (x, y, width, height) in its user space."""
    rects = {}
    for clip in root.iter(f"{_SVG}clipPath"):
        rect = clip.find(f"{_SVG}rect")
        if rect is None:
            continue
        rects[clip.get("id")] = tuple(
            float(rect.get(k, 0)) for k in ("x", "y", "width", "height")
        )
    return rects


def _text_lines(element) -> list[tuple[str, float]]:
    """(line, dy offset in px) of a text element, tspans as lines."""
    spans = list(element.iter(f"{_SVG}tspan"))
    if not spans:
        return [("".join(element.itertext()), 0.0)]
    lines, offset = [], 0.0
    for span in spans:
        dy = span.get("dy")
        offset += float(dy.rstrip("px")) if dy else 0.0
        lines.append(("".join(span.itertext()), offset))
    return lines


def _box(element, matrix: Matrix, clip) -> list[TextBox]:
    size = _font_size(element)
    anchor = element.get("text-anchor", "start")
    local = _multiply(matrix, _parse_transform(element.get("transform")))
    boxes = []
    for line, dy in _text_lines(element):
        if not line.strip():
            continue
        width = text_width_em(line) * size
        start = {"start": 0.0, "middle": -width / 2, "end": -width}[anchor]
        box = _bounds(
            local,
            start,
            dy - CAP_HEIGHT_EM * size,
            start + width,
            dy + DESCENDER_EM * size,
        )
        boxes.append(TextBox(line, *box, clip=clip))
    return boxes


def text_boxes(svg: bytes | str) -> tuple[tuple[float, float], list[TextBox]]:
    """
    The figure's size and the box of every visible label. [pt]

    Labels hidden by Vega (empty, or opacity 0 after ``labelOverlap``) are left
    out. A label inside a clipped group carries the clip rectangle in figure
    coordinates.
    """
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode("utf-8"))
    size = (float(root.get("width")), float(root.get("height")))
    rects = _clip_rects(root)
    boxes: list[TextBox] = []

    def walk(node, matrix: Matrix, clip) -> None:
        if node.tag == f"{_SVG}clipPath" or node.get("opacity") == "0":
            return
        if node.tag == f"{_SVG}text":
            boxes.extend(_box(node, matrix, clip))
            return
        matrix = _multiply(matrix, _parse_transform(node.get("transform")))
        ref = re.match(r"url\(#([^)]+)\)", node.get("clip-path") or "")
        if ref and ref.group(1) in rects:
            x, y, w, h = rects[ref.group(1)]
            clip = _bounds(matrix, x, y, x + w, y + h)
        for child in node:
            walk(child, matrix, clip)

    walk(root, _IDENTITY, None)
    return size, boxes


def text_problems(svg: bytes | str, tolerance_pt: float = 0.5) -> list[str]:
    """
    What is wrong with a figure's text, one sentence each (empty: nothing).

    A label is *cut* when it runs past the figure's edge or is partly inside
    its clip rectangle (a label wholly outside its clip is not drawn), or when
    Vega shortened it with "…"; two labels *overlap* when their boxes overlap
    by more than ``tolerance_pt`` along both x and y.
    """
    (width, height), boxes = text_boxes(svg)
    problems = []
    drawn = []
    for box in boxes:
        if "…" in box.text:
            problems.append(f"truncated: {box.text!r}")
        if box.clip is not None:
            cx0, cy0, cx1, cy1 = box.clip
            outside = box.x1 <= cx0 or box.x0 >= cx1 or box.y1 <= cy0 or box.y0 >= cy1
            if outside:
                continue
            inside = (
                box.x0 >= cx0 - tolerance_pt
                and box.x1 <= cx1 + tolerance_pt
                and box.y0 >= cy0 - tolerance_pt
                and box.y1 <= cy1 + tolerance_pt
            )
            if not inside:
                problems.append(f"cut by the plot's clip: {box.text!r}")
        if (
            box.x0 < -tolerance_pt
            or box.y0 < -tolerance_pt
            or box.x1 > width + tolerance_pt
            or box.y1 > height + tolerance_pt
        ):
            problems.append(
                f"past the figure's edge: {box.text!r} at ({box.x0:.1f}, "
                f"{box.y0:.1f})–({box.x1:.1f}, {box.y1:.1f}) in {width:.1f} × "
                f"{height:.1f} pt"
            )
        drawn.append(box)
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            if a.overlap(b) > tolerance_pt:
                problems.append(f"overlap: {a.text!r} and {b.text!r}")
    return problems


__all__ = ["TextBox", "text_boxes", "text_problems", "text_width_em"]
