"""
Synthetic EL spectra of the two demo devices, over time and over bias.

Shaped on values reported for pure-red CsPbI3 quantum-dot LEDs by Ren et al.,
"Strongly-Confined CsPbI3 Quantum Dots by Surface Cleaning-Induced Ligand
Exchange for Spectrally Stable Pure-Red Light-Emitting Diodes with Efficiency
Exceeding 26%", ACS Materials Lett. 6, 4115 (2024),
doi:10.1021/acsmaterialslett.4c00912 (abstract and main text): a control
(EL ≈ 644 nm, FWHM ≈ 35 nm) whose peak and width drift, and a treated device
(638 nm, 32 nm) that stays put. The drift magnitudes are invented for the
demo. Everything here is synthetic and labelled so.
"""

from __future__ import annotations

import numpy as np

from core.demo.recipe import CONTROL, SYNTHETIC, TREATED, demo_decay_fraction
from core.models import SpectralSeries

__all__ = [
    "SYNTHETIC",
    "CONTROL",
    "TREATED",
    "DEMO_WAVELENGTH_NM",
    "demo_spectra_time",
    "demo_spectra_bias",
    "gaussian_line",
]

#: A 1024-pixel CCD-like grid. [nm]
DEMO_WAVELENGTH_NM = np.linspace(380.0, 780.0, 1024)

_SEED = 20240912

# (peak start, peak end, FWHM start, FWHM end) over the test [nm]; test length [h]
_TIME_DRIFT = {
    CONTROL: (644.0, 648.5, 35.0, 39.0, 1.5),
    TREATED: (638.0, 638.3, 32.0, 32.3, 12.0),
}
_BIAS_DRIFT = {
    CONTROL: (643.6, 646.0, 34.6, 36.8),
    TREATED: (637.9, 638.1, 31.9, 32.1),
}


def gaussian_line(wavelength_nm, peak_nm, fwhm_nm, height=1.0):
    """
    Gaussian emission line(s) in wavelength.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) grid. [nm]
    peak_nm, fwhm_nm, height : array_like
        (N,) or scalar line parameters. [nm], [nm], [any]

    Returns
    -------
    numpy.ndarray
        (N, W) spectra.
    """
    wl = np.asarray(wavelength_nm, dtype=float)[None, :]
    peak = np.atleast_1d(np.asarray(peak_nm, dtype=float))[:, None]
    sigma = np.atleast_1d(np.asarray(fwhm_nm, dtype=float))[:, None] / (
        2 * np.sqrt(2 * np.log(2))
    )
    amplitude = np.atleast_1d(np.asarray(height, dtype=float))[:, None]
    return amplitude * np.exp(-0.5 * ((wl - peak) / sigma) ** 2)


def _noisy(lines: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Counts with a dark offset, shot noise and read noise."""
    counts = 30000.0 * lines
    shot = rng.normal(0.0, 1.0, counts.shape) * np.sqrt(np.maximum(counts, 0))
    read = rng.normal(0.0, 25.0, counts.shape)
    return counts + 400.0 + shot + read


def _series(device, rng, axis, peak_nm, fwhm_nm, height) -> SpectralSeries:
    """Noisy Gaussian lines along ``axis`` = (values, name, unit), labelled."""
    values, axis_name, axis_unit = axis
    lines = gaussian_line(DEMO_WAVELENGTH_NM, peak_nm, fwhm_nm, height)
    return SpectralSeries(
        wavelength_nm=DEMO_WAVELENGTH_NM,
        intensity=_noisy(lines, rng),
        axis=values,
        axis_name=axis_name,
        axis_unit=axis_unit,
        label=device,
        source=SYNTHETIC,
        notes=(f"{SYNTHETIC}: counts with a 400-count dark offset and noise.",),
    )


def demo_spectra_time(device: str, n_spectra: int = 61) -> SpectralSeries:
    """
    EL spectra recorded during a lifetime test of a demo device.

    The intensity follows the same ℓ(t) as the demo lifetime logs
    (:func:`core.demo.recipe.demo_decay_fraction`: T50 ≈ 43 min for the
    control, ≈ 490 min for the treated device, which brightens first); the
    peak and FWHM drift linearly from their start to end values.

    Parameters
    ----------
    device : {CONTROL, TREATED}
        Demo device name.
    n_spectra : int
        Number of spectra over the test.

    Returns
    -------
    SpectralSeries
        Axis ``time`` in h, labelled synthetic.
    """
    peak0, peak1, fwhm0, fwhm1, duration_h = _TIME_DRIFT[device]
    rng = np.random.default_rng([_SEED, 1, list(_TIME_DRIFT).index(device)])
    time_h = np.linspace(0.0, duration_h, n_spectra)
    fraction = time_h / duration_h
    return _series(
        device,
        rng,
        (time_h, "time", "h"),
        peak0 + (peak1 - peak0) * fraction,
        fwhm0 + (fwhm1 - fwhm0) * fraction,
        demo_decay_fraction(device, time_h),
    )


def demo_spectra_bias(device: str) -> SpectralSeries:
    """EL spectra of a demo device from 2.5 V to 7.0 V in 0.25 V steps."""
    peak0, peak1, fwhm0, fwhm1 = _BIAS_DRIFT[device]
    rng = np.random.default_rng([_SEED, 2, list(_BIAS_DRIFT).index(device)])
    voltage_v = np.arange(2.5, 7.0001, 0.25)
    fraction = (voltage_v - voltage_v[0]) / np.ptp(voltage_v)
    return _series(
        device,
        rng,
        (voltage_v, "voltage", "V"),
        peak0 + (peak1 - peak0) * fraction**2,
        fwhm0 + (fwhm1 - fwhm0) * fraction**2,
        0.05 + 0.95 * fraction**1.5,
    )
