"""
Figure sizes (journal presets) and export formats: plain data.

Importable without Altair or vl-convert, so that ``python -m core report
--help`` can list the presets and formats at once; :mod:`core.figures.theme`
and :mod:`core.figures.export` re-export these names. The column widths are
checked against the publishers' guides (see :mod:`core.figures.theme`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Preset",
    "PRESETS",
    "DEFAULT_PRESET",
    "cm_to_px",
    "px_to_cm",
    "FORMATS",
    "PPI_CHOICES",
    "MIME_TYPES",
]

# Vega renders 1 px as 1 pt (1/72 in) in SVG and PDF.
_PX_PER_CM = 72 / 2.54


def cm_to_px(length_cm: float) -> float:
    """Length in Vega px (= pt) for a length in cm. [px]"""
    return length_cm * _PX_PER_CM


def px_to_cm(length_px: float) -> float:
    """Length in cm for a length in Vega px (= pt). [cm]"""
    return length_px / _PX_PER_CM


@dataclass(frozen=True)
class Preset:
    """
    Figure size and type sizes for one destination.

    Attributes
    ----------
    label : str
        What the user sees in the preset menu.
    width_cm, height_cm : float
        The whole figure, axes, legend and padding included. [cm]
    font_pt : float
        Tick labels, axis titles, legend text. [pt]
    title_pt : float
        Chart titles. [pt]
    line_width : float
        Default data line width. [pt]
    legend_orient : str
        Where legends go ("right" for wide figures, "top" for single columns,
        where a legend at the side would take a third of the plot's width).
    """

    label: str
    width_cm: float
    height_cm: float
    font_pt: float
    title_pt: float
    line_width: float = 1.5
    legend_orient: str = "right"

    @property
    def width_pt(self) -> float:
        """Figure width. [pt]"""
        return cm_to_px(self.width_cm)

    @property
    def height_pt(self) -> float:
        """Figure height. [pt]"""
        return cm_to_px(self.height_cm)


#: Destinations a user can choose; "screen" is the in-app default.
PRESETS: dict[str, Preset] = {
    "screen": Preset("Screen (in the app)", 16.0, 9.0, 11, 12, 2.0),
    "acs-single": Preset("ACS single column (8.25 cm)", 8.25, 6.6, 7, 8, 1.0, "top"),
    "acs-double": Preset("ACS double column (17.78 cm)", 17.78, 8.9, 8, 9, 1.2),
    "rsc-single": Preset("RSC single column (8.3 cm)", 8.3, 6.6, 7, 7, 1.0, "top"),
    "rsc-double": Preset("RSC double column (17.1 cm)", 17.1, 8.6, 7, 7, 1.2),
    "wiley-single": Preset(
        "Wiley single column (≈ 8.5 cm)", 8.5, 6.8, 7, 8, 1.0, "top"
    ),
    "wiley-double": Preset("Wiley double column (≈ 17.8 cm)", 17.8, 8.9, 8, 9, 1.2),
    "nature-single": Preset("Nature single column (89 mm)", 8.9, 7.0, 7, 7, 1.0, "top"),
    "nature-double": Preset("Nature double column (183 mm)", 18.3, 9.2, 7, 7, 1.2),
    "slide": Preset("Slide 16:9 (25.4 × 14.29 cm)", 25.4, 14.29, 16, 18, 2.5),
}
DEFAULT_PRESET = "screen"

#: Image formats a figure is exported to.
FORMATS = ("svg", "pdf", "png")
#: PNG resolutions offered to users (journals ask for 300, line art 600). [dpi]
PPI_CHOICES = (300, 600)
#: MIME type of each kind of file offered for download.
MIME_TYPES = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "csv": "text/csv",
    "html": "text/html",
    "json": "application/json",
    "zip": "application/zip",
}
