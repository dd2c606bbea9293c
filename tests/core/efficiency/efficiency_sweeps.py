"""Synthetic EL lines and sweeps shared by the tests of core.efficiency."""

from __future__ import annotations

import math

import numpy as np
import pytest
from support import REALDATA

from core.io.jvl import read_jvl
from core.models import JVLSweep, SpectralSeries

FWHM_TO_SIGMA = 1 / (2 * math.sqrt(2 * math.log(2)))
# Fine grid: the V(λ) table is 1 nm; on 0.1 nm the trapezoid error of the
# spectral factor is < 2e-5 relative (1 nm grid: 11.1972 vs 11.1963 %).
GRID_NM = np.arange(380.0, 900.0, 0.1)


def gaussian(peak_nm: float, fwhm_nm: float, grid=GRID_NM) -> np.ndarray:
    """A unit-height Gaussian line of the given FWHM on ``grid`` [nm]."""
    return np.exp(-0.5 * ((grid - peak_nm) / (fwhm_nm * FWHM_TO_SIGMA)) ** 2)


def spectrum_series(peak_nm=638.0, fwhm_nm=32.0) -> SpectralSeries:
    """One Gaussian EL spectrum labelled "EL"."""
    return SpectralSeries(GRID_NM, gaussian(peak_nm, fwhm_nm), axis=[0.0], label="EL")


def real_sweep(name: str) -> JVLSweep:
    """A real J-V-L file of /work/shared/realdata, read; skips when absent."""
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    return read_jvl(path.read_bytes(), name)


def make_sweep(voltage, current, luminance, eqe=None, spectrum=None) -> JVLSweep:
    """A sweep labelled "s" from plain lists."""
    return JVLSweep(
        voltage_v=voltage,
        current_density_ma_cm2=current,
        luminance_cd_m2=luminance,
        eqe_percent=eqe,
        spectrum=spectrum,
        label="s",
    )
