"""
core/io/instruments/spectrawin.py: Photo Research SpectraWin exports.

Synthetic fixtures in tests/data, written from the PR-655/PR-715 export
description: the same Gaussian (630 nm, 4 nm grid) once as wavelength-value
rows and once as start/end/step lines followed by the values.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InputError
from core.io import read_spectral_series
from core.io.instruments import spectrawin
from tests.core.io.spectra_support import fixture, has_note, peak_nm

PR655 = "synthetic_spectrawin_pr655.txt"
PR715 = "synthetic_spectrawin_pr715_start_end_step.txt"


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [fixture(PR655).decode("latin-1"), fixture(PR715).decode("latin-1")]


def test_detect():
    assert spectrawin.detect(fixture(PR655).decode("latin-1")) == 0.95
    assert spectrawin.detect("[SPECTRAL]\n380\n") == 0.95
    assert spectrawin.detect("Wavelength,I\n380,1\n") == 0.0


def test_exposure_time_in_the_unit_written():
    # "Exp. Time: 250 ms" and "Exp. Time: 0.5 s" in the fixtures.
    for name, expected_ms in ((PR655, 250.0), (PR715, 500.0)):
        parsed = spectrawin.parse(fixture(name).decode("latin-1"), name)
        assert parsed.metadata["integration_time_ms"] == expected_ms


def test_spectrawin_two_column_export():
    name = "synthetic_spectrawin_pr655.txt"
    series = read_spectral_series(fixture(name), name)
    assert series.wavelength_nm.size == 101
    assert series.wavelength_nm[[0, -1]].tolist() == [380.0, 780.0]
    # Gaussian at 630 nm on a 4 nm grid: 628 and 632 nm tie up to rounding.
    assert peak_nm(series) in (628.0, 632.0)
    assert has_note(series, "model PR-655")
    assert has_note(series, "exposure 250 ms")


def test_spectrawin_start_end_step_export():
    name = "synthetic_spectrawin_pr715_start_end_step.txt"
    series = read_spectral_series(fixture(name), name)
    two_column = read_spectral_series(
        fixture("synthetic_spectrawin_pr655.txt"), "pr655.txt"
    )
    np.testing.assert_allclose(series.wavelength_nm, two_column.wavelength_nm)
    np.testing.assert_allclose(series.intensity, two_column.intensity, rtol=1e-12)
    assert has_note(series, "380-780 nm in 4 nm steps")


def test_spectrawin_bad_sections():
    text = fixture("synthetic_spectrawin_pr715_start_end_step.txt").decode()
    short = text.replace("[END OF SECTION]\n", "").rsplit("\n", 6)[0]
    with pytest.raises(InputError) as error:
        read_spectral_series(short.encode(), "pr715.txt")
    assert "gives the grid 380-780 nm in 4 nm steps (101 wavelengths) but holds 96" in (
        str(error.value)
    )
    empty = "[HEADER]\nModel Num.: PR-655\n[END OF SECTION]\n[SPECTRAL]\n"
    with pytest.raises(InputError) as error:
        read_spectral_series(empty.encode(), "empty.txt")
    assert "empty.txt, line 4: the [SPECTRAL] section is empty" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectral_series(b"[HEADER]\nTitle: x\n[END OF SECTION]\n", "nospec.txt")
    assert "has no [SPECTRAL] section" in str(error.value)
