"""
Altair chart builders, the publication theme and export.

``presets`` holds the journal sizes and export formats (plain data),
``theme`` the one theme, ``export`` renders SVG, PDF and PNG offline; one
module of builders per analysis (``spectra``, ``cie``, ...).

The names below are imported on first use: ``from core.figures import
PRESETS`` does not load Altair (the command line lists the presets in
``--help``), ``from core.figures import themed`` does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from core.figures.presets import DEFAULT_PRESET, FORMATS, MIME_TYPES, PRESETS

if TYPE_CHECKING:
    from core.figures.export import chart_data_csv, chart_to_bytes
    from core.figures.theme import (
        FONT,
        PALETTE,
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

# Name -> module it comes from, for the names that need Altair.
_LAZY = {
    "chart_data_csv": "core.figures.export",
    "chart_to_bytes": "core.figures.export",
    "FONT": "core.figures.theme",
    "PALETTE": "core.figures.theme",
    "device_color_scale": "core.figures.theme",
    "device_colors": "core.figures.theme",
    "themed": "core.figures.theme",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
