"""
core/io/instruments/transposed.py: transposed time series (LuQY Pro style).

Synthetic fixture in tests/data (three Gaussians 620/618/616 nm, stamps
23:59:50, 00:00:00, 00:00:10); real HZB exports (SOURCES.md): 12 spectra
10 s apart, and 360 spectra over one hour with the peak moving from 616.5 to
611.9 nm.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import transposed
from tests.core.io.spectra_support import (
    HZB_1H,
    HZB_12,
    SYNTHETIC_PEAKS_NM,
    fixture,
    has_note,
    peak_nm,
    raises,
    real,
)

MIDNIGHT = "synthetic_transposed_midnight.txt"


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [fixture(MIDNIGHT).decode("latin-1")]


def test_detect():
    assert transposed.detect(fixture(MIDNIGHT).decode("latin-1")) == 0.7
    assert transposed.detect("\t10:00:00\t10:00:10\n") == 0.7
    assert transposed.detect("Wavelength\t10:00:00\t10:00:10\n") == 0.0
    assert transposed.detect("31.12.2024\tA\tB\n") == 0.0


def test_metadata_rows_and_integration_time():
    parsed = transposed.parse(fixture(MIDNIGHT).decode("latin-1"), MIDNIGHT)
    np.testing.assert_array_equal(parsed.metadata["LuQY (%)"], [0.0004] * 3)
    assert parsed.metadata["integration_time_ms"] == 500.0
    assert "integration time 500 ms" in parsed.notes[0]


def test_stamps_and_columns_that_do_not_match():
    text = fixture(MIDNIGHT).decode("latin-1").replace("\t00:00:10", "")
    message = raises(text.encode("latin-1"), "t.txt")
    assert "expected 3 values (a wavelength and one intensity for each of the 2 " in (
        message
    )


def test_transposed_series_midnight_wrap():
    name = "synthetic_transposed_midnight.txt"
    series = read_spectral_series(fixture(name), name)
    np.testing.assert_allclose(series.axis, np.array([0, 10, 20]) / 3600)
    assert has_note(series, "pass midnight 1 time(s)")
    assert [peak_nm(series, i) for i in range(3)] == SYNTHETIC_PEAKS_NM


def test_transposed_series_without_wavelength_row():
    text = fixture("synthetic_transposed_midnight.txt").decode("latin-1")
    lines = [ln for ln in text.split("\r\n") if not ln.startswith("Wavelength")]
    series = read_spectral_series("\r\n".join(lines).encode("latin-1"), "t.txt")
    np.testing.assert_allclose(series.axis, np.array([0, 10, 20]) / 3600)
    assert [peak_nm(series, i) for i in range(3)] == SYNTHETIC_PEAKS_NM
    assert has_note(series, "no 'Wavelength' row")


def test_hzb_transposed_12_spectra_time_axis():
    series = read_spectral_series(real(HZB_12), HZB_12)
    assert series.n_spectra == 12
    assert series.wavelength_nm.size == 1024
    assert series.axis_name == "time" and series.axis_unit == "h"
    # 15:14:51 ... 15:16:41, 10 s apart: 0..110 s.
    np.testing.assert_allclose(series.axis, np.arange(12) * 10 / 3600, atol=1e-12)
    assert series.axis[-1] == pytest.approx(0.030556, abs=1e-6)
    assert has_note(series, "'LuQY (%)'")
    assert has_note(series, "cm²")  # Latin-1 0xB2 decoded


def test_hzb_transposed_one_hour_drift():
    start = time.perf_counter()
    series = read_spectral_series(real(HZB_1H), HZB_1H)
    elapsed = time.perf_counter() - start
    assert series.n_spectra == 360
    assert series.axis[-1] == pytest.approx(3590 / 3600)  # 15:25:58 -> 16:25:48
    assert peak_nm(series, 0) == pytest.approx(616.5)
    assert peak_nm(series, 359) == pytest.approx(611.9)
    assert elapsed < 5  # ~0.3 s on the dev machine; 370 000 cells
