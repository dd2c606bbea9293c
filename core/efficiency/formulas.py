"""
EQE, current and power efficiency from J, L, V and the EL spectrum.

Closed forms only, vectorised over points and spectra (docs/methods.md §3):

    EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ,   Km = 683 lm/W

with L in cd/m², J in A/m² and λ in m (Lambertian emitter).

References
----------
S. R. Forrest, D. D. C. Bradley, M. E. Thompson, "Measuring the efficiency of
organic light-emitting devices," Adv. Mater. 15, 1043 (2003),
doi:10.1002/adma.200302151.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import constants

from core.colorimetry import photopic_on_grid
from core.units import conversion_factor

__all__ = [
    "LUMINOUS_EFFICACY_MAX_LM_W",
    "eqe_percent_per_cd_a",
    "current_efficiency_cd_a",
    "power_efficiency_lm_w",
    "eqe_percent",
]

#: Maximum luminous efficacy of radiation at 555 nm (CIE photopic). [lm/W]
LUMINOUS_EFFICACY_MAX_LM_W = 683.0

# 100 % · π q / (Km h c): EQE [%] per cd/A and per metre of spectral factor.
_EQE_PERCENT_PER_CD_A_PER_M = (
    100.0
    * math.pi
    * constants.e
    / (LUMINOUS_EFFICACY_MAX_LM_W * constants.h * constants.c)
)
# 1 mA/cm² = 10 A/m² (exactly: core.units computes it in fractions).
_A_M2_PER_MA_CM2 = conversion_factor("mA/cm2", "A/m2", "current_density")


def eqe_percent_per_cd_a(wavelength_nm, spectrum) -> np.ndarray:
    """
    EQE per unit current efficiency for an emission spectrum (Lambertian).

    ``100 π q / (Km h c) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ``, integrated with the
    trapezoidal rule on the measured (possibly non-uniform) grid, with the
    CIE 1924 photopic V(λ) from colour-science
    (:func:`core.colorimetry.photopic_on_grid`, zero outside 360-830 nm). The
    scale of ``spectrum`` does not matter.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) strictly increasing wavelength grid. [nm]
    spectrum : array_like
        (W,) or (N, W) spectral intensity, any linear unit.

    Returns
    -------
    numpy.ndarray
        EQE per current efficiency, shape () or (N,); NaN where the spectrum
        has no photopic content (∫ S V dλ ≤ 0). [% per cd/A]

    References
    ----------
    S. R. Forrest et al., Adv. Mater. 15, 1043 (2003), doi:10.1002/adma.200302151.

    Examples
    --------
    >>> wl = np.arange(380.0, 900.0, 0.1)
    >>> s = np.exp(-0.5 * ((wl - 638.0) / (32.0 / 2.3548200450309493)) ** 2)
    >>> round(float(eqe_percent_per_cd_a(wl, s)), 4)
    1.1196
    """
    wavelength = np.asarray(wavelength_nm, dtype=float)
    spectra = np.asarray(spectrum, dtype=float)
    if wavelength.ndim != 1 or spectra.shape[-1] != wavelength.size:
        raise ValueError(
            f"spectrum must end in {wavelength.size} values (the wavelength grid), "
            f"got shape {spectra.shape}"
        )
    weight = np.zeros_like(wavelength)
    if wavelength.size > 1:  # trapezoid weights on a non-uniform grid
        step = np.diff(wavelength)
        weight[:-1] += step / 2
        weight[1:] += step / 2
    photon = spectra @ (weight * wavelength * 1e-9)
    photopic = spectra @ (weight * photopic_on_grid(wavelength))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(photopic > 0, photon / photopic, np.nan)
    return _EQE_PERCENT_PER_CD_A_PER_M * ratio


def current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2) -> np.ndarray:
    """
    Current efficiency, L / J.

    Parameters
    ----------
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density. [mA/cm²]

    Returns
    -------
    numpy.ndarray
        Current efficiency; NaN where J ≤ 0. [cd/A]

    Examples
    --------
    >>> float(current_efficiency_cd_a(1000.0, 10.0))
    10.0
    """
    luminance = np.asarray(luminance_cd_m2, dtype=float)
    current = np.asarray(current_density_ma_cm2, dtype=float) * _A_M2_PER_MA_CM2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(current > 0, luminance / current, np.nan)


def power_efficiency_lm_w(
    luminance_cd_m2, current_density_ma_cm2, voltage_v
) -> np.ndarray:
    """
    Power efficiency of a Lambertian emitter, π L / (J V).

    Parameters
    ----------
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density. [mA/cm²]
    voltage_v : array_like
        Applied bias. [V]

    Returns
    -------
    numpy.ndarray
        Power efficiency; NaN where J ≤ 0 or V ≤ 0. [lm/W]

    Examples
    --------
    >>> round(float(power_efficiency_lm_w(1000.0, 10.0, 3.0)), 2)
    10.47
    """
    voltage = np.asarray(voltage_v, dtype=float)
    efficiency = current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(voltage > 0, math.pi * efficiency / voltage, np.nan)


def eqe_percent(
    wavelength_nm, spectrum, luminance_cd_m2, current_density_ma_cm2
) -> np.ndarray:
    """
    External quantum efficiency from J, L and the EL spectrum (Lambertian).

    ``EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ``, Km = 683 lm/W.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) wavelength grid of the spectrum. [nm]
    spectrum : array_like
        (W,) EL spectrum (any linear unit), or (N, W), one per point.
    luminance_cd_m2 : array_like
        Luminance, broadcastable against the spectra. [cd/m²]
    current_density_ma_cm2 : array_like
        Current density, same shape as ``luminance_cd_m2``. [mA/cm²]

    Returns
    -------
    numpy.ndarray
        EQE; NaN where J ≤ 0 or the spectrum has no photopic content. [%]

    References
    ----------
    S. R. Forrest et al., Adv. Mater. 15, 1043 (2003), doi:10.1002/adma.200302151;
    M. Anaya et al., Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.

    Examples
    --------
    >>> wl = np.arange(380.0, 900.0, 0.1)
    >>> s = np.exp(-0.5 * ((wl - 638.0) / (32.0 / 2.3548200450309493)) ** 2)
    >>> round(float(eqe_percent(wl, s, 1000.0, 10.0)), 3)
    11.196
    """
    factor = eqe_percent_per_cd_a(wavelength_nm, spectrum)
    return factor * current_efficiency_cd_a(luminance_cd_m2, current_density_ma_cm2)
