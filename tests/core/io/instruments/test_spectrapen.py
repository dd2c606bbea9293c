"""
core/io/instruments/spectrapen.py: PSI SpectraPen CSV exports (unit blocks).

Synthetic files written from the layout of the SpectraPen export read by the
R package photobiologyInOut: an ``Irradiance [µW/cm2/nm],`` block and an
``Irradiance [µE/m2/s/nm],`` block, each with ``Time``, ``Index``, ``Name``,
``GPS`` rows, a ``[nm],`` line and one column per spectrum. The photon block
holds the same spectra as the energy block, computed here with
photon = energy × λ / (h c N_A) (independent of the reader's conversion).
No real SpectraPen file is in ../shared/realdata.
"""

from __future__ import annotations

import numpy as np
import scipy.constants as sc

from core.io import read_spectral_series
from core.io.instruments import spectrapen
from tests.core.io.spectra_support import has_note, peak_nm, raises

WAVELENGTH_NM = np.arange(560.0, 681.0, 2.0)
TIMES = ["11/10/2022 7:08:01 PM", "11/10/2022 7:08:05 PM", "11/10/2022 7:14:01 PM"]
#: Energy spectra [µW/cm²/nm], peaks at 620, 618 and 616 nm.
ENERGY = np.array(
    [20 * np.exp(-0.5 * ((WAVELENGTH_NM - p) / 8.5) ** 2) for p in (620, 618, 616)]
)
#: The same spectra in µmol m-2 s-1 nm-1 (µE): W/m²/nm = 1e-2 µW/cm²/nm.
PHOTON = ENERGY * 1e-2 * WAVELENGTH_NM * 1e-9 / (sc.h * sc.c * sc.Avogadro) * 1e6


def block(title: str, values: np.ndarray) -> str:
    n = values.shape[0]
    head = [
        title,
        "Time," + ",".join(TIMES) + ",",
        "Index," + ",".join(str(13 + k) for k in range(n)) + ",",
        "Name," + "," * n,
        "GPS," + "," * n,
        "[nm],",
    ]
    rows = [
        f"{w:g}," + ",".join(f"{v:.6E}" for v in values[:, i])
        for i, w in enumerate(WAVELENGTH_NM)
    ]
    return "\n".join(head + rows) + "\n"


def both_blocks() -> str:
    return (
        block("Irradiance \t [µW/cm2/nm],", ENERGY)
        + "\n\n\n"
        + block("Irradiance \t [µE/m2/s/nm],", PHOTON).replace("\nTime", "\n\nTime", 1)
    )


def photon_only() -> str:
    return block("Irradiance \t [µE/m2/s/nm],", PHOTON)


#: Files of this family for the registry test (every reader must win them).
SAMPLES = [both_blocks(), photon_only()]


def test_detect():
    assert spectrapen.detect(both_blocks()) == 0.9
    assert spectrapen.detect("Irradiance [W/m2],\n500,1\n") == 0.0
    assert spectrapen.detect("Wavelength (nm),I\n500,1\n") == 0.0


def test_energy_block_is_read_with_its_time_axis():
    series = read_spectral_series(both_blocks().encode(), "pen.csv")
    assert series.n_spectra == 3
    assert [peak_nm(series, k) for k in range(3)] == [620.0, 618.0, 616.0]
    np.testing.assert_allclose(series.intensity, ENERGY, rtol=1e-6)
    assert series.intensity_quantity == "energy"
    assert series.intensity_unit == "µW/cm2/nm"
    assert series.axis_name == "time"
    np.testing.assert_allclose(series.axis, [0, 4 / 3600, 6 / 60], atol=1e-9)
    assert has_note(series, "the energy block was read")
    assert has_note(series, "'Irradiance [µE/m2/s/nm]' (3 spectra)")


def test_photon_block_alone_is_converted_to_power():
    series = read_spectral_series(photon_only().encode(), "pen.csv")
    assert series.intensity_quantity == "energy"
    assert series.intensity_unit == "W/m²/nm"
    # back to µW/cm²/nm: the energy spectra the photon block was made from
    np.testing.assert_allclose(series.intensity * 100, ENERGY, rtol=1e-5)
    assert has_note(series, "the photon block was read (no energy block)")
    assert has_note(series, "photon spectrum (µE/m2/s/nm) converted to power")


def test_user_says_counts_keeps_the_numbers():
    series = read_spectral_series(
        photon_only().encode(), "pen.csv", spectral_quantity="counts"
    )
    np.testing.assert_allclose(series.intensity, PHOTON, rtol=1e-6)
    assert series.intensity_quantity == "counts"
    assert has_note(series, "read as detector counts, as asked")


def test_block_without_nm_line():
    first, second = both_blocks().split("Irradiance \t [µE", 1)
    text = first + "Irradiance \t [µE" + second.replace("[nm],", "", 1)
    message = raises(text.encode(), "pen.csv")
    assert (
        "the SpectraPen block 'Irradiance [µE/m2/s/nm]' has no '[nm],' line" in message
    )


def test_unreadable_times_give_an_index_axis():
    text = both_blocks().replace("PM", "pm?")
    parsed = spectrapen.parse(text, "pen.csv")
    assert parsed.axis is None
    assert "spectra numbered in order" in parsed.notes[2]
    assert parsed.timestamp is None


def test_wavelengths_only_is_refused():
    text = "Irradiance [µW/cm2/nm],\nTime,\n[nm],\n" + "".join(
        f"{w:g}\n" for w in WAVELENGTH_NM[:10]
    )
    assert "line 4: expected at least 2 columns" in raises(text.encode(), "pen.csv")
