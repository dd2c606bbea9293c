"""
How the colour of a device moves over a series of EL spectra, against noise.

:func:`series_stability` is the entry point; the steps live in submodules:
:mod:`.selection` (spectra used, the reference), :mod:`.trend` (trends,
smoothed changes, threshold crossings, "within noise"), :mod:`.shoulders`
(bands found against the reference), :mod:`.result` (the result and its
JSON form) and :mod:`.series` (the analysis).
"""

from core.stability.result import STABILITY_KEYS, StabilityResult
from core.stability.selection import select_spectra
from core.stability.series import (
    combined_bands,
    combined_metrics,
    peak_window_nm,
    series_stability,
)
from core.stability.trend import NOISE_K, Trend

__all__ = [
    "NOISE_K",
    "STABILITY_KEYS",
    "StabilityResult",
    "Trend",
    "combined_bands",
    "combined_metrics",
    "peak_window_nm",
    "select_spectra",
    "series_stability",
]
