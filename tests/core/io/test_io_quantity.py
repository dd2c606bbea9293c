"""
core/io/quantity.py: what a spectrum's intensity is, and photon spectra
converted to power at read time.

The conversions are checked against a hand computation with the CODATA
constants (E = h c / λ per photon; N_A for moles), not against
core.units; the chromaticity of a converted spectrum against colour-science.
"""

from __future__ import annotations

import colour
import numpy as np
import pytest
from support import XY_TOLERANCE, gaussian

from core.errors import InputError
from core.io import read_spectra_files, read_spectral_series
from core.io.quantity import (
    apply_quantity,
    bracketed_unit,
    check_choice,
    columns_quantity,
    header_quantity,
)

H, C, NA = 6.62607015e-34, 299792458.0, 6.02214076e23
WAVELENGTH_NM = np.arange(500.0, 751.0, 1.0)


@pytest.mark.parametrize(
    ("header", "quantity", "unit"),
    [
        (
            "Luminescence flux density (photons/(s cm² nm))",
            "photon",
            "photons/(s cm² nm)",
        ),
        ("Irradiance \t [µE/m2/s/nm],", "photon", "µE/m2/s/nm"),
        ("PPFD spectrum (µmol m-2 s-1 nm-1)", "photon", "µmol m-2 s-1 nm-1"),
        ("Irradiance [W/m²/nm]", "energy", "W/m²/nm"),
        ("calibrated measurement [W/cm²nm]", "energy", "W/cm²nm"),
        ("Raw spectrum (counts)", "counts", "counts"),
        ("Intensity (a.u.)", "relative", "a.u."),
        ("photon flux", "photon", ""),  # the word, no unit: relative scale
        ("Raw", "counts", ""),
        ("Normalised intensity", "relative", ""),
        ("t = 0.5 h", None, ""),
        ("3.0 V", None, ""),
        ("", None, ""),
    ],
)
def test_header_quantity(header, quantity, unit):
    assert header_quantity(header) == (quantity, unit)


def test_bracketed_unit_takes_the_last_balanced_group():
    assert bracketed_unit("J (mA) [per (s cm2)]") == "per (s cm2)"
    assert bracketed_unit("no unit") == ""


def test_calibrated_column_wins_over_the_raw_counts_beside_it():
    headers = ["Wavelength (nm)", "Flux (photons/s/cm2/nm)", "Raw (counts)"]
    columns, quantity, unit, notes = columns_quantity(headers, [1, 2])
    assert (columns, quantity, unit) == ([1], "photon", "photons/s/cm2/nm")
    assert notes == [
        "read the calibrated 'Flux (photons/s/cm2/nm)'; the raw counts beside it "
        "('Raw (counts)') are the same spectra before calibration and were not read."
    ]
    # Headers that do not say: a preamble line naming the unit does.
    columns, quantity, unit, _ = columns_quantity(
        ["Wavelength", "t = 0 h", "t = 1 h"], [1, 2], {"Units": "µW/cm2/nm"}
    )
    assert (columns, quantity, unit) == ([1, 2], "energy", "µW/cm2/nm")
    # Headers that disagree (energy and photon) state nothing as a whole.
    mixed = ["Wavelength", "E (W/m2/nm)", "Q (umol/m2/s/nm)"]
    assert columns_quantity(mixed, [1, 2])[1] is None


def test_photon_spectrum_with_a_unit_becomes_absolute_power():
    flux = np.vstack(
        [gaussian(WAVELENGTH_NM, 620, 30), gaussian(WAVELENGTH_NM, 640, 30)]
    )
    power, quantity, unit, notes = apply_quantity(
        WAVELENGTH_NM, flux, "photon", "µmol m-2 s-1 nm-1", "auto"
    )
    hand = flux * 1e-6 * NA * H * C / (WAVELENGTH_NM * 1e-9)
    np.testing.assert_allclose(power, hand, rtol=1e-10)
    assert (quantity, unit) == ("energy", "W/m²/nm")
    assert notes == [
        "photon spectrum (µmol m-2 s-1 nm-1) converted to power per nm (W/m²/nm): "
        "each value × hc/λ, so colour and EQE weigh the emitted power, as the CIE "
        "functions expect."
    ]


def test_photon_spectrum_without_a_unit_becomes_relative_power():
    flux = gaussian(WAVELENGTH_NM, 620, 30)[None, :]
    power, quantity, unit, notes = apply_quantity(
        WAVELENGTH_NM, flux, None, "", "photon"
    )
    # h c / λ in eV: 1239.841984 eV nm (CODATA 2018).
    np.testing.assert_allclose(power, flux * 1239.841984 / WAVELENGTH_NM, rtol=1e-8)
    assert (quantity, unit) == ("energy", "")
    assert "the scale is relative" in notes[0]


def test_the_users_choice_overrides_the_file_and_says_so():
    flux = np.ones((1, WAVELENGTH_NM.size))
    same, quantity, unit, notes = apply_quantity(
        WAVELENGTH_NM, flux, "photon", "photons/s/nm", "counts"
    )
    np.testing.assert_array_equal(same, flux)
    assert (quantity, unit) == ("counts", "")
    assert notes == [
        "the file states a photon spectrum (photons/s/nm); read as detector "
        "counts, as asked."
    ]
    unchanged = apply_quantity(WAVELENGTH_NM, flux, None, "", "auto")
    assert unchanged[1:] == ("unknown", "", [])
    assert apply_quantity(WAVELENGTH_NM, flux, "energy", "W/nm", "auto")[1:] == (
        "energy",
        "W/nm",
        [],
    )


def test_choice_is_checked():
    assert check_choice(None) == "auto"
    assert check_choice(" Photon ") == "photon"
    with pytest.raises(InputError, match="spectral quantity 'watts' is not known"):
        check_choice("watts")
    with pytest.raises(InputError, match="expected one of auto, energy, photon"):
        read_spectral_series(b"Wavelength,I\n500,1\n", "x.csv", spectral_quantity="W")


def _photon_csv(peak_nm: float) -> bytes:
    flux = 1e14 * gaussian(WAVELENGTH_NM, peak_nm, 30)
    rows = "".join(f"{w:g},{v:.6e}\n" for w, v in zip(WAVELENGTH_NM, flux, strict=True))
    return ("Wavelength (nm),PL (photons/s/cm2/nm)\n" + rows).encode()


def test_read_series_converts_and_colour_sees_power():
    series = read_spectral_series(_photon_csv(620), "pl.csv")
    assert (series.intensity_quantity, series.intensity_unit) == ("energy", "W/cm²/nm")
    flux = 1e14 * gaussian(WAVELENGTH_NM, 620, 30)
    power = flux * H * C / (WAVELENGTH_NM * 1e-9)
    sd = colour.SpectralDistribution(dict(zip(WAVELENGTH_NM, power, strict=True)))
    expected = colour.XYZ_to_xy(colour.sd_to_XYZ(sd))
    ours = colour.SpectralDistribution(
        dict(zip(series.wavelength_nm, series.intensity[0], strict=True))
    )
    np.testing.assert_allclose(
        colour.XYZ_to_xy(colour.sd_to_XYZ(ours)), expected, atol=XY_TOLERANCE / 100
    )


def test_several_files_are_converted_one_by_one_and_mixed_units_said():
    files = [("pl_1.csv", _photon_csv(620)), ("pl_2.csv", _photon_csv(630))]
    series = read_spectra_files(files)
    assert (series.intensity_quantity, series.intensity_unit) == ("energy", "W/cm²/nm")
    assert any("all 2 files: photon spectrum" in note for note in series.notes)
    energy = b"Wavelength (nm),E (W/m2/nm)\n" + b"".join(
        f"{w:g},{v:.6e}\n".encode()
        for w, v in zip(WAVELENGTH_NM, gaussian(WAVELENGTH_NM, 625, 30), strict=True)
    )
    mixed = read_spectra_files([files[0], ("e_3.csv", energy)])
    assert mixed.intensity_quantity == "unknown"
    assert any("different spectral quantities or units" in n for n in mixed.notes)
    told = read_spectra_files(files, spectral_quantity="energy")
    assert told.intensity.max() == pytest.approx(1e14, rel=1e-6)
