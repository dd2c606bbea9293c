"""
Text widths in the figures' font, for placing and wrapping labels before Vega
draws them.

Advance widths of Liberation Sans (metric-compatible with Arial), read from
its ``hmtx`` table in 1/1000 em; a character not listed counts as 0.6 em,
wider than most. Used to wrap titles and to size legends so that nothing is
shortened with "…"; the figure-text test checks the result on the SVG.
"""

from __future__ import annotations

__all__ = ["text_width_pt", "wrap_text"]

# Width [1/1000 em] -> characters of that width (Liberation Sans Regular).
_GROUPS = {
    191: "'",
    222: "ijl’‘",
    260: "|",
    278: " !,./:;I[\\]ft·",
    333: "()-`r²³“”",
    334: "{}",
    355: '"',
    365: "ᵣ₀₅",
    389: "*",
    395: "τ",
    400: "°",
    469: "^",
    500: "Jcksvxyzλ",
    525: "χ",
    549: "±≤≥≈√",
    556: "#$0123456789?L_abdeghnopqu–ηé",
    575: "β",
    576: "µ",
    578: "α",
    584: "+<=>~−×",
    611: "FTZ",
    617: "σ",
    667: "&ABEKPSVXYÅ",
    668: "Δ",
    722: "CDHNRUw",
    778: "GOQ",
    833: "Mm",
    889: "%",
    944: "W",
    1000: "…→←",
    1015: "@",
}
_WIDTHS = {char: width for width, chars in _GROUPS.items() for char in chars}
_DEFAULT = 600


def text_width_pt(text: str, font_pt: float) -> float:
    """
    Advance width of one line of text. [pt]

    Examples
    --------
    >>> round(text_width_pt("10", 10.0), 2)
    11.12
    """
    return sum(_WIDTHS.get(char, _DEFAULT) for char in str(text)) * font_pt / 1000


def wrap_text(text: str, width_pt: float, font_pt: float) -> list[str]:
    """
    Lines of ``text`` no wider than ``width_pt``, broken at spaces.

    A single word longer than the width stays whole on its own line (a
    caller that must fit can shrink the font); an empty text gives ``[""]``.
    """
    words = str(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and text_width_pt(trial, font_pt) > width_pt:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    return lines
