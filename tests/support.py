"""
Helpers shared by the test modules: paths, tolerances, synthetic line shapes.

Kept out of ``conftest.py`` because ``tests/e2e/conftest.py`` is a module
named ``conftest`` too: importing helpers from a conftest is ambiguous once a
subfolder has its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"

#: One tolerance for chromaticity comparisons with colour-science: both sides
#: integrate the same CMFs; differences come from interpolation only.
XY_TOLERANCE = 2e-4


def gaussian(wavelength_nm, peak_nm, fwhm_nm, height=1.0):
    """A Gaussian emission line in wavelength with the given FWHM."""
    sigma = fwhm_nm / (2 * np.sqrt(2 * np.log(2)))
    return height * np.exp(-0.5 * ((np.asarray(wavelength_nm) - peak_nm) / sigma) ** 2)


def shown(markdown_body: str) -> str:
    """The text a user reads for a Markdown body (backslash escapes removed);
    AppTest reports the body as the page passed it."""
    return re.sub(r"\\(.)", r"\1", markdown_body)
