"""
Altair chart builders, the publication theme and export.

``theme`` holds the one theme and the journal presets, ``export`` renders SVG,
PDF and PNG offline; one module of builders per analysis (``spectra``,
``cie``, ...).
"""

from core.figures.export import FORMATS, MIME_TYPES, chart_data_csv, chart_to_bytes
from core.figures.theme import (
    DEFAULT_PRESET,
    FONT,
    PALETTE,
    PRESETS,
    device_color_scale,
    device_colors,
    themed,
)

__all__ = [
    "DEFAULT_PRESET",
    "FONT",
    "FORMATS",
    "MIME_TYPES",
    "PALETTE",
    "PRESETS",
    "chart_data_csv",
    "chart_to_bytes",
    "device_color_scale",
    "device_colors",
    "themed",
]
