"""
Noise of measured spectra, estimated from the spectra themselves.

Every "is this change real?" question in the project needs the noise of the
measurement it compares. Spectrometer files rarely carry it, so it is
estimated from the data: the DER_SNR estimator (Stoehr et al. 2008) takes the
median absolute value of a second difference across four pixels, which cancels
any signal that is linear over five pixels (baselines, broad emission bands)
and keeps the pixel-to-pixel noise. For white Gaussian noise of standard
deviation σ the statistic ``2 f_i − f_{i−2} − f_{i+2}`` has standard deviation
√6 σ, and the median of its absolute value is 0.6745 √6 σ, hence the factor
1.482602 / √6.

The median makes the estimate robust to the few pixels where a narrow line's
curvature leaks into the difference; it measures the noise where most pixels
are, usually the emission-free floor. Shot noise makes the floor an
underestimate at the top of a bright line: :func:`local_noise_sigma` follows
the noise along the spectrum for that case.

References
----------
Stoehr, F., White, R., Smith, M., et al. "DER_SNR: A Simple & General
Spectroscopic Signal-to-Noise Measurement Algorithm." Astronomical Data
Analysis Software and Systems XVII, ASP Conf. Ser. 394, 505 (2008).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DER_SNR_FACTOR",
    "noise_sigma",
    "local_noise_sigma",
    "peak_snr",
]

#: 1 / (0.6745 · √6): σ from the median |2 f_i − f_{i−2} − f_{i+2}|.
DER_SNR_FACTOR = 1.482602 / np.sqrt(6.0)


def _second_difference(intensity: np.ndarray) -> np.ndarray:
    return 2.0 * intensity[..., 2:-2] - intensity[..., :-4] - intensity[..., 4:]


def noise_sigma(intensity) -> np.ndarray:
    """
    Noise standard deviation of each spectrum (DER_SNR).

    Parameters
    ----------
    intensity : array_like
        One spectrum (W,) or many (N, W) on a common grid. NaN pixels are
        ignored.

    Returns
    -------
    numpy.ndarray
        σ of each spectrum, (N,) (a 0-d array for one spectrum), in the
        intensity's unit. NaN where a spectrum has fewer than 5 finite pixels.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> line = np.exp(-0.5 * ((np.arange(1024) - 500) / 20.0) ** 2)
    >>> round(float(noise_sigma(line + rng.normal(0, 0.01, 1024))), 3)
    0.01
    """
    values = np.asarray(intensity, dtype=float)
    if values.shape[-1] < 5:
        return np.full(values.shape[:-1], np.nan)
    difference = np.abs(_second_difference(values))
    with np.errstate(all="ignore"):
        return DER_SNR_FACTOR * np.nanmedian(difference, axis=-1)


def local_noise_sigma(intensity, window: int = 51) -> np.ndarray:
    """
    Noise standard deviation along each spectrum: DER_SNR in a running window.

    Parameters
    ----------
    intensity : array_like
        (W,) or (N, W).
    window : int
        Pixels per window (odd; about 50 keeps the median stable while
        following shot noise across a line).

    Returns
    -------
    numpy.ndarray
        σ per pixel, same shape as ``intensity``.
    """
    values = np.asarray(intensity, dtype=float)
    squeeze = values.ndim == 1
    values = np.atleast_2d(values)
    n, width = values.shape
    if width < 5:
        out = np.full(values.shape, np.nan)
        return out[0] if squeeze else out
    difference = np.abs(_second_difference(values))
    window = max(5, min(int(window) | 1, width | 1))
    half = window // 2
    # NaN outside the spectrum: edge windows use only the pixels they hold.
    padded = np.pad(difference, ((0, 0), (half + 2, half + 2)), constant_values=np.nan)
    views = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    with np.errstate(all="ignore"):
        local = DER_SNR_FACTOR * np.nanmedian(views, axis=-1)
    return local[0] if squeeze else local


def peak_snr(intensity) -> np.ndarray:
    """
    Height of each spectrum's maximum above its median, in units of its noise.

    A spectrum whose ``peak_snr`` is below a few units holds no emission that
    can be told from noise (below turn-on, or a dark frame).

    Parameters
    ----------
    intensity : array_like
        (W,) or (N, W).

    Returns
    -------
    numpy.ndarray
        (N,) ratios (0-d for one spectrum); NaN where σ is 0 or unknown.
    """
    values = np.asarray(intensity, dtype=float)
    with np.errstate(all="ignore"):
        height = np.nanmax(values, axis=-1) - np.nanmedian(values, axis=-1)
        sigma = noise_sigma(values)
        return np.where(sigma > 0, height / sigma, np.nan)
