"""
Colour of the emission: xy, u'v', λd, purity, centroid, with σ from the noise.

Everything is integrated over the emission mask (all bands; optionally cut to
peak ± K·FWHM when a user asks for a window). The noise of each integrated
pixel and of the subtracted baseline level goes through the CMF weights to
the covariance of X, Y, Z and on to σ of x, y, u', v'
(docs/methods.md §1). Colour is *not defined* — NaN with the reason — when
most of the emission lies outside 360–830 nm, when the luminance signal Y
does not stand above its noise, or when the point falls outside the spectral
locus by more than its noise (only negative values can put it there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import colorimetry
from core.spectra.chunks import masked_products

__all__ = [
    "VISIBLE_NM",
    "MIN_VISIBLE_SHARE",
    "MIN_LUMINANCE_SNR",
    "Colour",
    "integration_region",
    "emission_colour",
]

#: Range of the CIE 1931 colour-matching functions. [nm]
VISIBLE_NM = (360.0, 830.0)
#: Colour is not defined when less of the emission lies in VISIBLE_NM. [-]
MIN_VISIBLE_SHARE = 0.5
#: ... or when Y stands less than this many σ above zero. [-]
MIN_LUMINANCE_SNR = 3.0

_NO_EMISSION = "no emission above the noise"
_OUTSIDE_RANGE = "most of the emission lies outside 360–830 nm"
_NO_LUMINANCE = "the luminance signal (Y) does not stand above its noise"
_OUTSIDE_LOCUS = (
    "the point falls outside the spectral locus by more than its noise: only "
    "negative intensities put it there (check the baseline: a dark-subtracted "
    "spectrum needs none)"
)


@dataclass(frozen=True)
class Colour:
    """
    Colour of each spectrum's emission (NaN where not defined).

    ``status`` is "" where the colour is defined and the reason otherwise;
    ``xy_sd`` and ``uv_sd`` are the σ of (x, y) and (u', v'); ``total`` is
    the emission integrated over the region (intensity × nm, float64).
    """

    XYZ: np.ndarray
    xy: np.ndarray
    uv: np.ndarray
    xy_sd: np.ndarray
    uv_sd: np.ndarray
    centroid_nm: np.ndarray
    dominant_nm: np.ndarray
    purity: np.ndarray
    distance_bt2020_xy: np.ndarray
    distance_bt2020_uv: np.ndarray
    visible_share: np.ndarray
    status: np.ndarray
    total: np.ndarray


def integration_region(wavelength, mask, peak_nm, fwhm_nm, window_fwhm=None):
    """
    Pixels integrated for colour: the emission mask, cut to peak ± K·FWHM
    when ``window_fwhm`` = K is given (the whole mask where the FWHM is not
    known).
    """
    if window_fwhm is None:
        return mask
    half = np.where(np.isfinite(fwhm_nm), window_fwhm * fwhm_nm, np.inf)
    distance = np.abs(np.asarray(wavelength)[None, :] - peak_nm[:, None])
    return mask & (distance <= half[:, None])


def _onto_locus(xy, sd):
    """
    Points outside the locus by less than 3 σ moved onto it; the others NaN.

    Returns the points and a flag of those that were too far outside.
    """
    with np.errstate(invalid="ignore"):
        distance = colorimetry.locus_distance(xy)
        outside = distance > 1e-9
    if not outside.any():
        return xy, outside
    near = outside & (distance <= 3 * np.hypot(sd[:, 0], sd[:, 1]) + 1e-6)
    moved = xy.copy()
    moved[near] = colorimetry.onto_spectral_locus(xy[near])
    far = outside & ~near
    moved[far] = np.nan
    return moved, far


def _status(has_emission, share, luminance_snr, far_outside) -> np.ndarray:
    status = np.full(has_emission.size, "", dtype=object)
    status[far_outside] = _OUTSIDE_LOCUS
    status[~(luminance_snr >= MIN_LUMINANCE_SNR)] = _NO_LUMINANCE
    status[~(share >= MIN_VISIBLE_SHARE)] = _OUTSIDE_RANGE
    status[~has_emission] = _NO_EMISSION
    return status


def emission_colour(
    wavelength, spectra, region, sigma_px, baseline_variance, white_point="E"
) -> Colour:
    """
    Colour of the emission in ``region`` with its noise-propagated σ.

    Parameters
    ----------
    wavelength : numpy.ndarray
        (W,) grid. [nm]
    spectra : numpy.ndarray
        (N, W) baseline-corrected spectra (negative noise kept).
    region : numpy.ndarray
        (N, W) bool, the pixels to integrate (:func:`integration_region`).
    sigma_px : numpy.ndarray
        (N, W) noise σ of each pixel.
    baseline_variance : numpy.ndarray
        (N,) variance of the subtracted baseline level (0 for none).
    white_point : str or (x, y)
        For λd and purity.

    Returns
    -------
    Colour
    """
    weights = colorimetry.cmf_weights(wavelength)
    trapezoid = np.gradient(wavelength)  # ≈ trapezoid weights, fine for ratios
    visible = (wavelength >= VISIBLE_NM[0]) & (wavelength <= VISIBLE_NM[1])
    # One product for every integral, summed in float64: a float32 sum would
    # differ in its 7th digit between BLAS builds (the stored results compare
    # to 1e-9).
    columns = np.c_[weights, trapezoid, trapezoid * visible, wavelength * trapezoid]
    sums = masked_products(spectra, region, columns)
    variance_sums = masked_products(sigma_px, region,
                                    colorimetry.covariance_weights(weights),
                                    square=True)  # fmt: skip
    region_weights = masked_products(None, region, weights)
    XYZ, total = sums[:, :3], sums[:, 3]
    covariance = colorimetry.tristimulus_covariance(
        None, weights, baseline_variance, region_weights, upper=variance_sums
    )
    sd = colorimetry.chromaticity_sd(XYZ, covariance)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = sums[:, 4] / total
        centroid = sums[:, 5] / total
        luminance_snr = XYZ[:, 1] / np.sqrt(covariance[:, 1, 1])
    luminance_snr = np.where(covariance[:, 1, 1] > 0, luminance_snr, np.inf)
    luminance_snr = np.where(XYZ[:, 1] > 0, luminance_snr, 0.0)
    has_emission = region.any(axis=1) & (total > 0)
    xy, far = _onto_locus(colorimetry.xy_from_XYZ(XYZ), sd[:, :2])
    status = _status(has_emission, share, luminance_snr, far)
    defined = status == ""
    xy = np.where(defined[:, None], xy, np.nan)
    uv = np.full_like(xy, np.nan)
    if defined.any():
        uv[defined] = colorimetry.uv_prime_from_xy(xy[defined])
    red = np.asarray(colorimetry.BT2020_RED_XY)
    red_uv = colorimetry.uv_prime_from_xy(red)
    return Colour(
        XYZ=XYZ,
        xy=xy,
        uv=uv,
        xy_sd=np.where(defined[:, None], sd[:, :2], np.nan),
        uv_sd=np.where(defined[:, None], sd[:, 2:], np.nan),
        centroid_nm=np.where(has_emission, centroid, np.nan),
        dominant_nm=colorimetry.dominant_wavelength_nm(xy, white_point),
        purity=colorimetry.excitation_purity(xy, white_point),
        distance_bt2020_xy=np.hypot(xy[:, 0] - red[0], xy[:, 1] - red[1]),
        distance_bt2020_uv=np.hypot(uv[:, 0] - red_uv[0], uv[:, 1] - red_uv[1]),
        visible_share=np.where(has_emission, np.clip(share, 0.0, 1.0), np.nan),
        status=status,
        total=total,
    )
