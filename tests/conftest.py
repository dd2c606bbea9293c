"""Shared fixtures: paths, the real-data folder, synthetic line shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"

#: One tolerance for chromaticity comparisons with colour-science: both sides
#: integrate the same CMFs; differences come from interpolation only.
XY_TOLERANCE = 2e-4


def gaussian(wavelength_nm, peak_nm, fwhm_nm, height=1.0):
    sigma = fwhm_nm / (2 * np.sqrt(2 * np.log(2)))
    return height * np.exp(-0.5 * ((np.asarray(wavelength_nm) - peak_nm) / sigma) ** 2)


@pytest.fixture
def realdata() -> Path:
    """The shared real-data folder; skips when the checkout has no ../shared."""
    if not REALDATA.is_dir():
        pytest.skip(f"real instrument files not available at {REALDATA}")
    return REALDATA
