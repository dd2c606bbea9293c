"""
core/io/instruments/enlighten.py: Wasatch Photonics ENLIGHTEN CSV exports.

The synthetic file follows the real export's layout (SOURCES.md and the
ENLIGHTEN files read by photobiologyInOut): key,value lines, a blank line,
then ``Pixel,Wavelength,Processed[,Raw,Dark,Reference]``. The real file's
wavelengths are the second column (SOURCES.md): 247.94 nm at pixel 0,
709.67 nm at pixel 1023.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.io import read_spectral_series
from core.io.instruments import enlighten
from tests.core.io.spectra_support import has_note, peak_nm, raises, real

ENLIGHTEN = "pbInOut_wasatch-enlighten-scope.csv"
WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)
SIGNAL = 3000 * np.exp(-0.5 * ((WAVELENGTH_NM - 620) / 8.5) ** 2)
DARK = np.full(WAVELENGTH_NM.size, 800.0)


def enlighten_csv(columns=("Processed",), technique="Scope", title=True) -> str:
    """A synthetic ENLIGHTEN export (labelled synthetic in its Label line)."""
    data = {"Processed": SIGNAL, "Raw": SIGNAL + DARK, "Dark": DARK}
    data["Reference"] = DARK + 10000
    head = [
        "ENLIGHTEN Version,2.2.7" if title else "Measurement ID,synthetic",
        "Serial Number,WP-00000",
        "Model,WP-SYNTHETIC",
        "Label,synthetic test file",
        "Scan Averaging,4",
        f"Technique,{technique}",
        "Integration Time,25",
        "Timestamp,2024-05-01 10:00:00.123456",
        "Note,Dark substracted",
        f"Pixel Count,{WAVELENGTH_NM.size}",
        "",
        ",".join(["Pixel", "Wavelength", *columns]),
    ]
    rows = [
        ",".join([str(i), f"{w:.2f}", *(f"{data[c][i]:.5f}" for c in columns)])
        for i, w in enumerate(WAVELENGTH_NM)
    ]
    return "\n".join(head + rows) + "\n"


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [enlighten_csv(), enlighten_csv(("Raw", "Dark"), title=False)]


def test_detect():
    assert enlighten.detect(enlighten_csv()) == 1.0
    assert enlighten.detect(enlighten_csv(title=False)) == 0.9
    assert enlighten.detect("Wavelength,Processed\n500,1\n") == 0.0


def test_synthetic_processed():
    series = read_spectral_series(enlighten_csv().encode(), "s.csv")
    assert peak_nm(series) == 620.0
    np.testing.assert_allclose(series.intensity[0], SIGNAL, atol=1e-4)
    assert series.intensity_quantity == "counts"
    assert series.notes[0] == (
        "read as a Wasatch ENLIGHTEN export (spectrometer WP-SYNTHETIC WP-00000; "
        "technique Scope; integration time 25 ms; 4 scans averaged; recorded "
        "2024-05-01 10:00:00.123456)."
    )
    assert has_note(series, "the dark was subtracted by the software")


def test_raw_minus_dark_without_processed():
    parsed = enlighten.parse(enlighten_csv(("Raw", "Dark")), "s.csv")
    np.testing.assert_allclose(parsed.intensity[0], SIGNAL, atol=1e-4)
    assert "no 'Processed' column: Raw - Dark read" in parsed.notes[1]
    assert parsed.metadata["integration_time_ms"] == 25.0
    assert parsed.timestamp.hour == 10


def test_ratio_techniques_and_bad_tables_are_refused():
    text = enlighten_csv(technique="Absorbance")
    assert "'Processed' holds a ratio" in raises(text.encode(), "a.csv")
    no_spectrum = enlighten_csv(("Reference",))
    assert "expected a 'Processed' column (or 'Raw' and 'Dark')" in raises(
        no_spectrum.encode(), "n.csv"
    )
    headerless = enlighten_csv().replace("Pixel,Wavelength,Processed", "")
    assert "has no column header 'Pixel,Wavelength,...'" in raises(
        headerless.encode(), "h.csv"
    )
    lines = enlighten_csv().splitlines()
    lines[19] = "7,574.00,n/a"  # pixel 7, line 20: Processed holds text
    short = "\n".join(lines)
    assert "r.csv, line 20, column 3 'Processed': expected a number, found" in raises(
        short.encode(), "r.csv"
    )
    empty = enlighten_csv().split("Pixel,Wavelength,Processed")[0]
    empty += "Pixel,Wavelength,Processed\n"
    assert "is followed by no rows of numbers" in raises(empty.encode(), "e.csv")


def test_blank_extra_columns_and_text_after_the_table():
    text = enlighten_csv().replace(
        "Pixel,Wavelength,Processed", "Pixel,Wavelength,Wavenumber,Processed"
    )
    lines = text.splitlines()
    start = lines.index("Pixel,Wavelength,Wavenumber,Processed") + 1
    for k in range(start, len(lines)):
        pixel, wavelength, value = lines[k].split(",")
        lines[k] = f"{pixel},{wavelength},,{value}"
    lines += ["", "Summary,see report", "1,2,3,4"]
    parsed = enlighten.parse("\n".join(lines) + "\n", "w.csv")
    np.testing.assert_allclose(parsed.intensity[0], SIGNAL, atol=1e-4)
    assert (
        f"lines from {len(lines) - 1} on follow the table and were not read."
        in parsed.notes
    )


def test_real_enlighten_scope():
    series = read_spectral_series(real(ENLIGHTEN), ENLIGHTEN)
    assert series.wavelength_nm.size == 1024
    assert series.wavelength_nm[0] == pytest.approx(247.94)
    assert series.wavelength_nm[-1] == pytest.approx(709.67)
    assert series.intensity[0, 0] == pytest.approx(175.0)
    assert series.intensity[0, -1] == pytest.approx(61138.0)
    assert has_note(series, "wavelengths from column 'Wavelength' (column 2")
