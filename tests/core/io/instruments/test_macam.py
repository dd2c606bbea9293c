"""
core/io/instruments/macam.py: Macam spectroradiometer .DTA files.

Synthetic files written from the layout photobiologyInOut's reader expects:
three header lines (``@19/05/97``, ``@17:44:58``, a remark), then the
wavelength and its value on alternate lines. No real .DTA is in
../shared/realdata.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import macam
from tests.core.io.spectra_support import has_note, peak_nm, raises

WAVELENGTH_NM = np.arange(560.0, 681.0, 1.0)
VALUES = 2e-3 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)


def dta(remark: str = "synthetic LED, 50 cm (synthetic test file)", pairs=False):
    lines = ["@19/05/97", "@17:44:58", remark]
    for w, v in zip(WAVELENGTH_NM, VALUES, strict=True):
        lines += [f"{w:g} {v:.5E}"] if pairs else [f"{w:g}", f"{v:.5E}"]
    return "\r\n".join(lines) + "\r\n"


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [dta(), dta(pairs=True)]


def test_detect():
    assert macam.detect(dta()) == 0.9
    assert macam.detect("@19/05/97\n@17:44:58\nx\n500\n1\n501\nabc\n") == 0.0
    assert macam.detect("500\n1\n501\n2\n502\n3\n503\n4\n") == 0.0


def test_alternate_lines():
    series = read_spectral_series(dta().encode(), "lamp.DTA")
    assert series.wavelength_nm.size == WAVELENGTH_NM.size
    assert peak_nm(series) == 620.0
    assert series.intensity.max() == pytest.approx(2e-3)
    assert series.intensity_quantity == "unknown"
    assert series.notes[0] == (
        "read as a Macam .DTA file (recorded 19/05/97 17:44:58; synthetic LED, "
        "50 cm (synthetic test file))."
    )
    assert has_note(series, "the file does not state its unit")
    parsed = macam.parse(dta(), "lamp.DTA")
    assert parsed.line_numbers[:2].tolist() == [4, 6]
    assert parsed.timestamp == datetime(1997, 5, 19, 17, 44, 58)


def test_pairs_on_one_line_and_a_stated_photon_unit():
    series = read_spectral_series(
        dta("quantum irradiance [umol m-2 s-1 nm-1]", pairs=True).encode(), "q.DTA"
    )
    assert series.intensity_quantity == "energy"
    assert series.intensity_unit == "W/m²/nm"
    assert has_note(series, "photon spectrum (umol m-2 s-1 nm-1) converted")


def test_errors():
    truncated = dta().rstrip().rsplit("\r\n", 1)[0]
    assert "the last (line 244) without its value" in raises(
        truncated.encode(), "t.DTA"
    )
    bad = dta().replace("\r\n600\r\n", "\r\nsix\r\n", 1)
    message = raises(bad.encode(), "b.DTA")
    assert message.startswith("b.DTA, line 84: expected a number (a wavelength or")
