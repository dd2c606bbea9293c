"""
core/io/instruments/ocean.py: Ocean Optics SpectraSuite and OceanView exports.

Synthetic files are written from the format description (docs/formats.md and the
headers of the real files, SOURCES.md): a Gaussian peaking at 620 nm on a
2 nm grid, so the argmax is exact. Real files: pixel counts, first and last
wavelengths and time stamps are exact properties of the files; the peak and
FWHM of the dark-subtracted green LED are the SOURCES.md values.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import ocean, parse_oceanview, parse_spectrasuite
from tests.core.io.spectra_support import (
    DARK,
    GREEN,
    OCEANVIEW,
    fwhm_at_half_raw_max,
    has_note,
    peak_nm,
    raises,
    real,
)

WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)


def rows(decimal_comma: bool) -> str:
    values = 1000 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)
    pairs = zip(WAVELENGTH_NM, values, strict=True)
    text = "".join(f"{w:.2f}\t{v:.2f}\n" for w, v in pairs)
    return text.replace(".", ",") if decimal_comma else text


def spectrasuite(end: bool = True, pixels: int = 61, dark: str = "No") -> str:
    return (
        "SpectraSuite Data File\n"
        "++++++++++++++++++++++++++++++++++++\n"
        "Date: Wed Nov 27 17:21:38 EET 2013\n"
        "User: test\n"
        f"Dark Spectrum Present: {dark}\n"
        "Spectrometers: MAYP00000\n"
        "Integration Time (usec): 50000 (MAYP00000)\n"
        "Spectra Averaged: 3 (MAYP00000)\n"
        f"Number of Pixels in Processed Spectrum: {pixels}\n"
        ">>>>>Begin Processed Spectral Data<<<<<\n"
        + rows(decimal_comma=True)
        + (">>>>>End Processed Spectral Data<<<<<\n" if end else "")
    )


def oceanview() -> str:
    return (
        "Data from synthetic_Node_0.txt Node\n\n"
        "Date: Thu Jun 19 19:20:35 CEST 2025\n"
        "Spectrometer: HR000000\n"
        "Integration Time (sec): 2,000000E-2\n"
        "Scans to average: 1\n"
        "Storing dark spectrum: true\n"
        "Number of Pixels in Spectrum: 61\n"
        ">>>>>Begin Spectral Data<<<<<\n" + rows(decimal_comma=True)
    )


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [spectrasuite(), oceanview()]


def test_detect_scores_the_signatures():
    assert ocean.detect(spectrasuite()) == 1.0
    assert ocean.detect(oceanview()) == 0.9  # the Begin marker
    assert ocean.detect("Data from x.txt Node\n\nDate: today\n") == 0.85
    assert ocean.detect("Wavelength (nm),I\n500,1\n") == 0.0


def test_synthetic_spectrasuite():
    parsed = ocean.parse(spectrasuite(), "s.txt")
    assert parsed.fmt == "an Ocean Optics SpectraSuite export"
    np.testing.assert_allclose(parsed.wavelength_nm, WAVELENGTH_NM)
    assert parsed.metadata["integration_time_ms"] == 50.0  # 50000 usec
    assert parsed.timestamp == datetime(2013, 11, 27, 17, 21, 38)
    assert parsed.notes[0] == (
        "read as an Ocean Optics SpectraSuite export (spectrometer MAYP00000; "
        "integration time 50 ms; 3 scans averaged; recorded Wed Nov 27 17:21:38 "
        "EET 2013)."
    )
    assert parsed.line_numbers[0] == 11  # first row after the Begin marker
    series = read_spectral_series(spectrasuite().encode(), "s.txt")
    assert peak_nm(series) == 620.0


def test_spectrasuite_notes_on_what_the_header_says():
    parsed = parse_spectrasuite(spectrasuite(end=False, pixels=70, dark="Yes"), "s")
    notes = " ".join(parsed.notes)
    assert "a dark spectrum was already subtracted" in notes
    assert "the header announces 70 pixels but 61 data rows were read" in notes
    assert "no '>>>>>End Processed Spectral Data<<<<<' line" in notes


def test_synthetic_oceanview_without_end_marker():
    parsed = ocean.parse(oceanview(), "o.txt")
    assert parsed.fmt == "an Ocean Optics OceanView export"
    assert parsed.wavelength_nm.size == 61
    assert parsed.metadata["integration_time_ms"] == 20.0  # 2,000000E-2 s
    assert "a dark spectrum was already subtracted" in " ".join(parsed.notes)
    assert parse_oceanview(oceanview(), "o.txt").notes == parsed.notes


def test_oceanview_without_begin_marker():
    message = raises(b"Data from x.txt Node\n\nDate: today\n", "o.txt")
    assert message.startswith(
        "o.txt: looks like an Ocean Optics OceanView export but has no "
        "'>>>>>Begin ... Spectral Data<<<<<' line"
    )


def test_spectrasuite_green_led_with_dark_subtracted():
    series = read_spectral_series(
        real(GREEN), GREEN, dark=real(DARK), dark_name="dark_short.txt"
    )
    assert series.n_spectra == 1
    assert series.wavelength_nm.size == 2068
    assert series.wavelength_nm[0] == pytest.approx(188.05, abs=1e-9)
    assert series.wavelength_nm[-1] == pytest.approx(1119.33, abs=1e-9)
    # First pixel: 2292,80 (LED) - 2294,40 (dark), decimal comma in both files.
    assert series.intensity[0, 0] == pytest.approx(2292.80 - 2294.40, abs=1e-9)
    assert has_note(series, "dark spectrum dark_short.txt subtracted")
    assert has_note(series, "integration time 120 ms")
    assert peak_nm(series) == pytest.approx(528.31, abs=0.01)  # SOURCES: 528.3
    assert fwhm_at_half_raw_max(series) == pytest.approx(38, abs=1)  # SOURCES: ~38


def test_oceanview_decimal_comma_no_end_marker():
    series = read_spectral_series(real(OCEANVIEW), OCEANVIEW)
    assert series.wavelength_nm.size == 2048
    assert series.wavelength_nm[0] == pytest.approx(178.699)
    assert series.wavelength_nm[-1] == pytest.approx(862.714)
    assert series.intensity[0, -1] == pytest.approx(0.12903)
    assert has_note(series, "OceanView")
    assert has_note(series, "integration time 100 ms")  # 1,000000E-1 s


def test_truncated_spectrasuite_export():
    text = real(GREEN).decode("latin-1")
    head = text.split(">>>>>Begin")[0] + ">>>>>Begin Processed Spectral Data<<<<<\n"
    message = raises(head.encode("latin-1"), "cut.txt")
    assert message.startswith(
        "cut.txt, line 17: the SpectraSuite export has the "
        "'>>>>>Begin Processed Spectral Data<<<<<' marker but no data rows after it"
    )
    assert "looks truncated" in message


def test_truncated_spectrasuite_synthetic():
    text = "SpectraSuite Data File\nDate: Wed Nov 27 17:21:38 EET 2013\n"
    text += ">>>>>Begin Processed Spectral Data<<<<<\n\n"
    message = raises(text.encode(), "cut.txt")
    assert "cut.txt, line 3: the SpectraSuite export has the" in message
