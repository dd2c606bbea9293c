"""
core/io/instruments/spectrawiz.py: StellarNet SpectraWiz exports.

The synthetic file follows the format description (docs/formats.md, SOURCES.md):
header lines opening a quote they never close, whitespace-separated columns,
a ``: N`` trailer. The real .IRR: 600 rows 400-999 nm, peak 754 nm, FWHM
about 42 nm (SOURCES.md).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import spectrawiz
from tests.core.io.spectra_support import (
    IRR,
    fwhm_at_half_raw_max,
    has_note,
    peak_nm,
    real,
)

WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)


def irr(trailer: bool = True) -> str:
    values = 0.01 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)
    pairs = zip(WAVELENGTH_NM, values, strict=True)
    return (
        '" File: C:\\data\\red.IRR\r\n'
        '" RAD->  Wave:620.00nm  Pix:100  Val:  0.000  Time:100ms  Avg:4  Sm:1  '
        "Xtrig >123456.CAL\r\n"
        + "".join(f" {w:.2f}  {v:.4E}\r\n" for w, v in pairs)
        + (": 7\r\n" if trailer else "")
    )


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [irr(), irr(trailer=False)]


def test_detect():
    assert spectrawiz.detect(irr()) == 0.6
    assert spectrawiz.detect(irr(trailer=False)) == 0.6  # the open quote alone
    assert spectrawiz.detect(" 560.00  1.0E-3\n 562.00  2.0E-3\n: 2\n") == 0.6
    assert spectrawiz.detect('"quoted","header"\n500,1\n') == 0.0


def test_synthetic_irr():
    parsed = spectrawiz.parse(irr(), "red.IRR")
    assert parsed.wavelength_nm.size == 61
    assert parsed.metadata["integration_time_ms"] == 100.0
    assert parsed.notes[0] == (
        "read as a StellarNet SpectraWiz export (radiometric (irradiance); "
        "integration time 100 ms; 4 scans averaged; calibration 123456.CAL)."
    )
    assert "the last line ': 7' is a SpectraWiz trailer" in parsed.notes[-1]
    assert parsed.line_numbers[0] == 3
    series = read_spectral_series(irr().encode(), "red.IRR")
    assert peak_nm(series) == 620.0


def test_spectrawiz_irr():
    series = read_spectral_series(real(IRR), IRR)
    assert series.wavelength_nm.size == 600
    assert series.wavelength_nm[[0, -1]].tolist() == [400.0, 999.0]
    assert has_note(series, "': 5' is a SpectraWiz trailer")
    assert has_note(series, "integration time 230 ms")
    assert peak_nm(series) == 754.0
    assert fwhm_at_half_raw_max(series) == pytest.approx(42, abs=1)
