"""Constant baseline of emission spectra (docs/methods.md §1)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "BASELINE_METHODS",
    "EDGE_FRACTION",
    "baseline_corrected",
    "baseline_levels",
    "edge_pixels",
]

BASELINE_METHODS = ("edges", "none")

#: Fraction of the grid at each end used to estimate a constant baseline.
EDGE_FRACTION = 0.05


def edge_pixels(width: int) -> int:
    """Pixels taken at each end of a ``width``-pixel grid (5 %, at least 3)."""
    return max(3, int(round(width * EDGE_FRACTION)))


def baseline_corrected(wavelength_nm, intensity, method: str = "edges"):
    """
    Subtract a constant baseline from each spectrum.

    A 1 % constant offset moves a 638/32 nm Gaussian from x = 0.7054 to 0.6624
    (docs/methods.md §1), so the baseline goes before any colorimetry.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) grid. [nm]
    intensity : array_like
        (N, W) spectra.
    method : {"edges", "none"}
        ``"edges"``: the median of the first and last 5 % of pixels (at least
        3 each), which must be emission-free; ``"none"``: the data as given
        (already dark-subtracted).

    Returns
    -------
    corrected : numpy.ndarray
        (N, W) spectra minus their baseline; negative noise is kept, never
        clipped (clipping biases xy, docs/methods.md §1).
    baseline : numpy.ndarray
        (N,) the subtracted level.
    """
    spectra = np.atleast_2d(np.asarray(intensity, dtype=float))
    baseline = baseline_levels(spectra, method)
    return spectra - baseline[:, None], baseline


def baseline_levels(intensity, method: str = "edges") -> np.ndarray:
    """(N,) the constant levels :func:`baseline_corrected` subtracts."""
    spectra = np.atleast_2d(np.asarray(intensity, dtype=float))
    if method == "none":
        return np.zeros(spectra.shape[0])
    if method != "edges":
        raise ValueError(f"baseline method must be one of {BASELINE_METHODS}")
    edge = edge_pixels(spectra.shape[1])
    edges = np.concatenate([spectra[:, :edge], spectra[:, -edge:]], axis=1)
    # np.median is ~20x faster than np.nanmedian on (N, W); NaN rows are rare.
    if np.isnan(edges).any():
        return np.nanmedian(edges, axis=1)
    return np.median(edges, axis=1)
