"""
Where a spectrum holds emission: its noise, the emission mask, dark spectra.

Colour must come from all the emission and from nothing else
(docs/methods.md §1): the mask holds every pixel where the smoothed spectrum
stands more than ``MASK_K`` σ above zero (σ of the smoothed noise at that
pixel), in runs long enough not to be a noise spike, dilated by one FWHM so
that the tails below the threshold count too. A spectrum whose smoothed
maximum stays below ``EMISSION_K`` σ holds no emission that can be told from
noise (below turn-on, a dark frame): its metrics are not determined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.noise import block_noise_sigma
from core.spectra.peak import Smoothed
from core.spectra.runs import dilated_runs, find_runs, long_runs, painted

__all__ = [
    "EMISSION_K",
    "SHAPE_K",
    "MASK_K",
    "Emission",
    "spectrum_noise",
    "emission_mask",
]

#: A spectrum has emission when its smoothed maximum exceeds this many σ. [-]
EMISSION_K = 5.0
#: Peak and FWHM need a smoothed maximum of at least this many σ: below it a
#: noise dip passes for the half-maximum crossing (FWHM −1.6 nm for a 32 nm
#: line and −2.6 nm for an 87 nm one at 20 σ, docs/methods.md §2). [-]
SHAPE_K = 20.0
#: Pixels of the smoothed spectrum above this many σ seed the mask. [-]
MASK_K = 3.0


@dataclass(frozen=True)
class Emission:
    """
    Noise and emission of each spectrum.

    Attributes
    ----------
    sigma_px : numpy.ndarray
        (N, W) σ of each raw pixel (blocks of 32 pixels: shot noise).
    sigma : numpy.ndarray
        (N,) σ of most pixels (the noise floor).
    gain : float
        σ of smoothed white noise over σ of the raw noise (``Smoothed.gain``):
        :meth:`smoothed_sigma` is ``gain`` × ``sigma_px``, computed for the
        rows asked for (a whole (N, W) copy was 15 MB per 10-hour series
        that only a few rows were read of).
    mask : numpy.ndarray
        (N, W) True where a pixel belongs to the emission.
    core : numpy.ndarray
        (N, W) the pixels that stand above the threshold (the mask before
        its dilation by one FWHM).
    has_emission : numpy.ndarray
        (N,) bool.
    snr : numpy.ndarray
        (N,) smoothed maximum over the smoothed noise floor. [-]
    """

    sigma_px: np.ndarray
    sigma: np.ndarray
    gain: float
    mask: np.ndarray
    core: np.ndarray
    has_emission: np.ndarray
    snr: np.ndarray

    def smoothed_sigma(self, rows=slice(None)) -> np.ndarray:
        """σ of the smoothed spectra (float32) of ``rows`` (default: all)."""
        return np.float32(self.gain) * self.sigma_px[rows]

    @property
    def sigma_smooth(self) -> np.ndarray:
        """(N, W) σ of the smoothed spectra (:meth:`smoothed_sigma` of all)."""
        return self.smoothed_sigma()


def spectrum_noise(
    spectra, smoothed: Smoothed, out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """
    σ per pixel and per spectrum (:func:`core.noise.block_noise_sigma`).

    The residual from the smoothing carries the noise without the line's
    curvature. Blocks far below the spectrum's floor (a constant run of
    pixels, a zero-filled range) are raised to half the floor. ``out``: an
    (N, W) float32 array for σ per pixel.
    """
    if smoothed.window > 1:
        sigma_px, sigma = block_noise_sigma(
            spectra, smoothed.smooth, smoothed.coefficients, out=out
        )
    else:
        sigma_px, sigma = block_noise_sigma(spectra, out=out)
    np.maximum(sigma_px, (0.5 * sigma[:, None]).astype(sigma_px.dtype), out=sigma_px)
    return sigma_px, sigma


def _core_runs(
    above: np.ndarray, height: np.ndarray, window: int, k: float
) -> tuple[np.ndarray, np.ndarray]:
    """
    The runs of ``above`` that are emission: at least half a smoothing window
    long (two pixels without smoothing: a noise spike is not emission), and
    reaching ``height > k`` somewhere. A run of the smoothed noise above 3 σ,
    half a window long, is not rare (~5 % of spectra at 1024 pixels);
    selected for being high, its pixels would bias the colour. Emission
    reaches 5 σ; noise almost never does. ``height`` is (N, W + 1) with a
    last column of -inf.
    """
    width = above.shape[1]
    starts, ends = find_runs(above)
    radius = max(1, window // 4) if window > 1 else 0
    long = long_runs(starts, ends, width, radius)
    starts, ends = starts[long], ends[long]
    if starts.size == 0:
        return starts, ends
    bounds = np.empty(2 * starts.size, dtype=np.intp)
    bounds[0::2], bounds[1::2] = starts, ends
    strong = np.maximum.reduceat(height.ravel(), bounds)[0::2] > k
    return starts[strong], ends[strong]


def emission_mask(
    wavelength,
    smoothed: Smoothed,
    sigma_px,
    sigma,
    *,
    mask_k: float = MASK_K,
    emission_k: float = EMISSION_K,
) -> Emission:
    """
    The emission of each spectrum (all bands) and whether it has any.

    The threshold is taken above the mean level of the pixels outside a
    first mask, so that an error of the subtracted baseline does not widen
    or narrow the mask (that coupling made σ(x) 1.4× the propagated value).

    Parameters
    ----------
    wavelength : numpy.ndarray
        (W,) grid. [nm]
    smoothed : Smoothed
        :func:`core.spectra.peak.smoothed_spectra` of the spectra.
    sigma_px, sigma : numpy.ndarray
        :func:`spectrum_noise`.
    mask_k, emission_k : float
        Thresholds in σ of the smoothed spectrum. [-]

    Returns
    -------
    Emission
    """
    source = smoothed.smooth.astype(np.float32, copy=False)
    threshold = np.multiply(np.float32(smoothed.gain), sigma_px)  # σ smoothed
    threshold *= np.float32(mask_k)
    step = float(np.median(np.diff(wavelength)))
    fwhm = smoothed.rough_fwhm_nm
    spread = int(round(fwhm / step)) if np.isfinite(fwhm) else smoothed.window
    n, width = source.shape
    grown = dilated_runs(*find_runs(source > threshold), width, spread)
    free = painted(*grown, n, width, inside=False)
    padded_height = np.empty((n, width + 1), dtype=np.float32)
    padded_height[:, width] = -np.inf
    height = padded_height[:, :width]
    np.multiply(source, free, out=height)  # scratch until the height below
    with np.errstate(invalid="ignore", divide="ignore"):
        level = np.sum(height, axis=1) / np.count_nonzero(free, axis=1)
    smooth = source - np.nan_to_num(level).astype(np.float32)[:, None]
    # The line's height over the noise floor (σ at the top may be larger:
    # shot noise, or the curvature of a line a few pixels wide).
    floor = np.float32(smoothed.gain) * sigma.astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        np.divide(smooth, floor[:, None], out=height)
    if not np.all(floor > 0):  # 0/0 where a spectrum has no noise at all
        height[np.isnan(height)] = 0.0
    runs = _core_runs(smooth > threshold, padded_height, smoothed.window, emission_k)
    core = painted(*runs, n, width)
    has_emission = np.zeros(n, dtype=bool)
    has_emission[runs[0] // (width + 1)] = True
    # Tails below the threshold belong to the emission; a range that stands
    # clearly below zero (an over-subtracted baseline) does not.
    mask = painted(*dilated_runs(*runs, width, spread), n, width)
    mask &= smooth > np.negative(threshold, out=threshold)
    mask &= has_emission[:, None]
    snr = np.max(height, axis=1).astype(float)
    return Emission(
        sigma_px, sigma, float(smoothed.gain), mask, core, has_emission, snr
    )
