"""
The one publication theme every chart of PeLED Bench uses.

Font: Liberation Sans, which vl-convert embeds, so labels survive SVG/PDF/PNG
export on any machine (an absent font such as "Arial" silently drops every
label, METHODS.md §6). Palette: Okabe & Ito's colour-blind-safe set. The same
device gets the same colour on every page (:func:`device_color_scale`).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

__all__ = [
    "FONT",
    "PALETTE",
    "Preset",
    "PRESETS",
    "DEFAULT_PRESET",
    "cm_to_px",
    "device_colors",
    "device_color_scale",
    "themed",
]

FONT = "Liberation Sans"

#: Okabe & Ito (2008), "Color Universal Design", colour-blind safe.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)

# Vega renders 1 px as 1 pt (1/72 in) in SVG and PDF.
_PX_PER_CM = 72 / 2.54


def cm_to_px(length_cm: float) -> float:
    """Length in Vega px (= pt) for a length in cm. [px]"""
    return length_cm * _PX_PER_CM


@dataclass(frozen=True)
class Preset:
    """
    Figure size and type sizes for one destination.

    ``width_cm`` and ``height_cm`` are the whole figure (plot plus axes); the
    font sizes are in pt.
    """

    label: str
    width_cm: float
    height_cm: float
    font_pt: float
    title_pt: float
    line_width: float = 1.5


#: Destinations a user can choose; "screen" is the in-app default.
PRESETS: dict[str, Preset] = {
    "screen": Preset("Screen (in the app)", 16.0, 9.0, 11, 12, 2.0),
    "acs-single": Preset("ACS single column (8.25 cm)", 8.25, 6.2, 7, 8, 1.0),
    "acs-double": Preset("ACS double column (17.78 cm)", 17.78, 8.9, 8, 9, 1.2),
    "rsc-single": Preset("RSC single column (8.3 cm)", 8.3, 6.2, 7, 8, 1.0),
    "rsc-double": Preset("RSC double column (17.1 cm)", 17.1, 8.6, 8, 9, 1.2),
    "wiley-single": Preset("Wiley single column (8.5 cm)", 8.5, 6.4, 7, 8, 1.0),
    "wiley-double": Preset("Wiley double column (17.8 cm)", 17.8, 8.9, 8, 9, 1.2),
    "nature-single": Preset("Nature single column (8.9 cm)", 8.9, 6.7, 7, 8, 1.0),
    "nature-double": Preset("Nature double column (18.3 cm)", 18.3, 9.2, 7, 8, 1.2),
    "slide": Preset("Slide 16:9 (25.4 × 14.3 cm)", 25.4, 14.29, 16, 18, 2.5),
}
DEFAULT_PRESET = "screen"


def device_colors(names) -> dict[str, str]:
    """
    Colour of each device, by its position in the session's device list.

    Pass the full, ordered list of the session's devices (not the subset a
    chart shows) so that a device keeps its colour on every page.
    """
    unique = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(unique)}


def device_color_scale(names) -> alt.Scale:
    """An Altair colour scale mapping device names to :func:`device_colors`."""
    colors = device_colors(names)
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def themed(chart, preset: str = DEFAULT_PRESET, *, width=None, height=None):
    """
    Apply the publication theme and a preset's size to a chart.

    Parameters
    ----------
    chart : altair.Chart or layered/concatenated chart
        A chart without top-level ``configure`` calls.
    preset : str
        A key of :data:`PRESETS`.
    width, height : float, optional
        Plot-area size in px overriding the preset's (for small multiples).

    Returns
    -------
    altair.TopLevelMixin
        The configured chart; the plot area is sized so that the whole figure,
        axes included, comes close to the preset's width.
    """
    p = PRESETS[preset]
    # Leave room for the y axis and its title, and for the x axis below.
    plot_width = width if width is not None else cm_to_px(p.width_cm) - 5.2 * p.font_pt
    plot_height = (
        height if height is not None else cm_to_px(p.height_cm) - 4.2 * p.font_pt
    )
    try:
        sized = chart.properties(width=plot_width, height=plot_height)
    except alt.SchemaValidationError:  # concatenations size their parts
        sized = chart
    return (
        sized.configure(font=FONT, background="white")
        .configure_axis(
            labelFontSize=p.font_pt,
            titleFontSize=p.font_pt,
            titleFontWeight="normal",
            labelColor="black",
            titleColor="black",
            domainColor="black",
            tickColor="black",
            grid=False,
            labelFont=FONT,
            titleFont=FONT,
        )
        .configure_legend(
            labelFontSize=p.font_pt,
            titleFontSize=p.font_pt,
            titleFontWeight="normal",
            labelFont=FONT,
            titleFont=FONT,
            symbolSize=4 * p.font_pt,
        )
        .configure_title(fontSize=p.title_pt, font=FONT, anchor="start")
        .configure_view(stroke="black", strokeWidth=0.8)
        .configure_line(strokeWidth=p.line_width)
        .configure_text(font=FONT, fontSize=p.font_pt)
    )
