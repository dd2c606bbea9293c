"""
core/io/instruments/jaz.py: Ocean Optics Jaz exports (W, D, R, S, P columns).

Synthetic files written from the layout of the Jaz exports read by the R
package photobiologyInOut (``Jaz Data File`` title, SpectraSuite-like header,
``>>>>>Begin Processed Spectral Data<<<<<``, a ``W D R S P`` header, decimal
comma). No real Jaz file is in ../shared/realdata. The sample S is a Gaussian
at 620 nm on a flat dark D of 1000 counts that has its own bump at 580 nm, so
reading D (the old bug) or S without the dark shows in the peak and the level.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import detect_format, jaz, ocean
from tests.core.io.spectra_support import has_note, peak_nm, raises

WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)
DARK = 1000 + 300 * np.exp(-0.5 * ((WAVELENGTH_NM - 580) / 5) ** 2)
SIGNAL = 5000 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)
SAMPLE = DARK + SIGNAL
REFERENCE = np.full(WAVELENGTH_NM.size, 20000.0)


def jaz_text(
    columns: dict,
    title: str = "Jaz Data File",
    reference: str = "Yes",
    comma: bool = True,
) -> str:
    """A synthetic Jaz export with the given columns (letter -> values)."""
    letters = list(columns)
    rows = "".join(
        "\t".join(f"{columns[c][i]:.6f}" for c in letters) + "\n"
        for i in range(WAVELENGTH_NM.size)
    )
    if comma:
        rows = rows.replace(".", ",")
    return (
        f"{title}\n"
        "++++++++++++++++++++++++++++++++++++\n"
        "Date: Mon Apr 25 12:49:02 2016\n"
        "User: jaz (synthetic test file)\n"
        "Dark Spectrum Present: Yes\n"
        f"Reference Spectrum Present: {reference}\n"
        "Processed Spectrum Present: Yes\n"
        "Spectrometers: JAZA0000\n"
        "Integration Time (usec): 748000 (JAZA0000)\n"
        "Spectra Averaged: 1 (JAZA0000)\n"
        f"Number of Pixels in Processed Spectrum: {WAVELENGTH_NM.size}\n"
        ">>>>>Begin Processed Spectral Data<<<<<\n"
        + "\t".join(letters)
        + "\n"
        + rows
        + ">>>>>End Processed Spectral Data<<<<<\n"
    )


def with_reference() -> str:
    """Transmission mode: P = 100 (S - D) / (R - D), a ratio."""
    ratio = 100 * (SAMPLE - DARK) / (REFERENCE - DARK)
    return jaz_text(
        {"W": WAVELENGTH_NM, "D": DARK, "R": REFERENCE, "S": SAMPLE, "P": ratio}
    )


def scope_minus_dark() -> str:
    """Scope minus dark: no reference, P = S - D."""
    zeros = np.zeros(WAVELENGTH_NM.size)
    columns = {"W": WAVELENGTH_NM, "D": DARK, "R": zeros, "S": SAMPLE, "P": SIGNAL}
    return jaz_text(columns, reference="No")


def irradiance() -> str:
    """An absolute irradiance file: P is the irradiance [µW/cm²/nm]."""
    columns = {"W": WAVELENGTH_NM, "D": DARK, "S": SAMPLE, "P": SIGNAL / 1000}
    return jaz_text(columns, title="Jaz Absolute Irradiance File", reference="No")


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [with_reference(), scope_minus_dark(), irradiance()]


def test_detect_beats_spectrasuite():
    assert jaz.detect(with_reference()) == 1.0
    untitled = with_reference().replace("Jaz Data File", "Data File", 1)
    assert jaz.detect(untitled) == 0.95
    assert ocean.detect(untitled) == 0.9
    assert detect_format(untitled) == "jaz"
    suite = "SpectraSuite Data File\n>>>>>Begin Processed Spectral Data<<<<<\n500\t1\n"
    assert jaz.detect(suite) == 0.0


def test_reference_present_reads_sample_minus_dark_never_the_dark():
    series = read_spectral_series(with_reference().encode(), "t.jaz")
    assert peak_nm(series) == 620.0
    np.testing.assert_allclose(series.intensity[0], SIGNAL, atol=1e-5)
    assert series.intensity_quantity == "counts"
    assert has_note(series, "P holds the sample relative to the reference R")
    assert has_note(series, "the spectrum is S - D (sample minus dark)")
    assert not has_note(series, "already subtracted")


def test_scope_minus_dark_reads_the_processed_column():
    parsed = jaz.parse(scope_minus_dark(), "t.jaz")
    np.testing.assert_allclose(parsed.intensity[0], SIGNAL, atol=1e-5)
    assert (
        "column P (the processed spectrum: sample minus dark, S - D)"
        in (parsed.notes[1])
    )
    assert parsed.metadata["integration_time_ms"] == 748.0
    assert parsed.timestamp.year == 2016
    assert parsed.notes[0].startswith(
        "read as an Ocean Optics Jaz export (spectrometer JAZA0000; integration "
        "time 748 ms; 1 scan averaged"
    )


def test_irradiance_file_reads_p_as_energy():
    series = read_spectral_series(irradiance().encode(), "t.JazIrrad")
    assert series.intensity_quantity == "energy"
    assert series.intensity_unit == "µW/cm²/nm"
    assert series.intensity.max() == pytest.approx(5.0, rel=1e-5)


def test_without_processed_column_and_with_decimal_point():
    columns = {"W": WAVELENGTH_NM, "D": DARK, "S": SAMPLE}
    series = read_spectral_series(jaz_text(columns, comma=False).encode(), "t.jaz")
    np.testing.assert_allclose(series.intensity[0], SIGNAL, atol=1e-5)
    assert has_note(series, "there is no processed column P")


def test_errors():
    no_sample = jaz_text({"W": WAVELENGTH_NM, "D": DARK})
    assert "no sample column S" in raises(no_sample.encode(), "t.jaz")
    truncated = with_reference().split(">>>>>Begin")[0]
    assert "has no '>>>>>Begin Processed Spectral Data" in raises(
        truncated.encode(), "t.jaz"
    )
    bad_header = with_reference().replace("W\tD\tR\tS\tP", "Wave\tDark")
    assert "expected the Jaz column header" in raises(bad_header.encode(), "t.jaz")
    ragged = with_reference().replace("W\tD\tR\tS\tP", "W\tD\tR\tS")
    assert "expected 4 values (columns W D R S)" in raises(ragged.encode(), "t.jaz")
