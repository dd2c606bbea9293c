"""
Per-spectrum metrics of EL spectra, vectorised over (N, W) arrays.

:func:`spectral_metrics` is the Python contract (docs/architecture.md): one
row per spectrum. The steps live in submodules: :mod:`.baseline`,
:mod:`.peak` (smoothing, top fit, FWHM), :mod:`.emission` (noise, emission
mask, spectra without emission), :mod:`.colour` (colour from all the
emission with its σ), :mod:`.bands` (resolved emission bands) and
:mod:`.metrics` (the table).
"""

from core.spectra.bands import BAND_COLUMNS, BAND_K, MIN_BAND_SHARE
from core.spectra.baseline import BASELINE_METHODS, baseline_corrected
from core.spectra.colour import MIN_LUMINANCE_SNR, MIN_VISIBLE_SHARE, VISIBLE_NM
from core.spectra.emission import EMISSION_K, MASK_K, SHAPE_K
from core.spectra.metrics import (
    METRIC_COLUMNS,
    UNCERTAINTY_COLUMNS,
    SpectralAnalysis,
    analyse_spectra,
    spectral_metrics,
)
from core.spectra.peak import smoothing_window

__all__ = [
    "METRIC_COLUMNS",
    "UNCERTAINTY_COLUMNS",
    "BASELINE_METHODS",
    "BAND_COLUMNS",
    "BAND_K",
    "MIN_BAND_SHARE",
    "EMISSION_K",
    "MASK_K",
    "SHAPE_K",
    "MIN_LUMINANCE_SNR",
    "MIN_VISIBLE_SHARE",
    "VISIBLE_NM",
    "SpectralAnalysis",
    "analyse_spectra",
    "baseline_corrected",
    "smoothing_window",
    "spectral_metrics",
]
