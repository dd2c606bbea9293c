"""
core/io/instruments/avantes.py: Avantes AvaSoft ASCII exports.

The synthetic file follows the header of the real export (SOURCES.md):
``Key-->,value`` lines, ``Wavelength[nm],<sample>``, comma-separated rows.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import avantes
from tests.core.io.spectra_support import AVANTES, has_note, peak_nm, real

WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)


def avasoft() -> str:
    values = 1e-8 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)
    pairs = zip(WAVELENGTH_NM, values, strict=True)
    return (
        "Filename-->,F1_0001.IRR\n"
        "Mode/Unit-->,Scope\n"
        "Int.time[ms]-->,12.5\n"
        "NrOfAverages-->,10\n"
        "Smoothing-->,0\n"
        "Wavelength[nm],Sample A\n" + "".join(f"{w:.3f},{v:.5E}\n" for w, v in pairs)
    )


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [avasoft()]


def test_detect():
    assert avantes.detect(avasoft()) == 0.8
    assert avantes.detect("Wavelength[nm],Sample A\n500,1\n") == 0.0


def test_synthetic_avasoft():
    parsed = avantes.parse(avasoft(), "a.csv")
    assert parsed.metadata["integration_time_ms"] == 12.5
    assert parsed.notes[0] == (
        "read as an Avantes AvaSoft export (mode Scope; integration time 12.5 ms; "
        "10 scans averaged; sample 'Sample A')."
    )
    assert parsed.line_numbers[0] == 7
    series = read_spectral_series(avasoft().encode(), "a.csv")
    assert peak_nm(series) == 620.0
    assert series.intensity.max() == pytest.approx(1e-8)


def test_avantes_avasoft():
    series = read_spectral_series(real(AVANTES), AVANTES)
    assert series.wavelength_nm.size == 1604
    assert series.wavelength_nm[0] == pytest.approx(172.485)
    assert series.intensity[0, 0] == pytest.approx(9.27919e-09)
    assert has_note(series, "Avantes AvaSoft")
