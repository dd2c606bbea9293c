"""
core/units.py: every spelling a lab file uses, its quantity and its factor.

Expected factors are written out from the unit definitions (1 h = 3600 s,
1 cm² = 100 mm², 1 A/m² = 0.1 mA/cm², 1 nit = 1 cd/m²), not computed by the
module. The photon-to-power conversion is checked against two published
numbers: hc = 1239.841984 eV nm (CODATA 2018) with 1 eV = 1.602176634e-19 J,
and the molar Planck constant times c, N_A h c = 0.119626566 J m/mol (CODATA
2018); and, on a real LuQY Pro export,
against the chromaticity SOURCES.md gives for its flux converted to power.
"""

from __future__ import annotations

import re

import colour
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import XY_TOLERANCE

from core import units
from core.io import read_spectral_series
from core.io.columns import header_unit


@pytest.mark.parametrize(
    ("unit", "quantity", "factor"),
    [
        # wavelength [nm]
        ("nm", "length", 1.0),
        ("µm", "length", 1e3),
        ("μm", "length", 1e3),  # Greek mu
        ("um", "length", 1e3),
        ("micron", "length", 1e3),
        ("Å", "length", 0.1),
        # area [cm²]
        ("cm2", "area", 1.0),
        ("cm²", "area", 1.0),
        ("cm^2", "area", 1.0),
        ("cm 2", "area", 1.0),
        ("mm2", "area", 1e-2),
        ("mm²", "area", 1e-2),
        ("m2", "area", 1e4),
        ("µm²", "area", 1e-8),
        ("um^2", "area", 1e-8),
        # current [mA]
        ("A", "current", 1e3),
        ("mA", "current", 1.0),
        ("µA", "current", 1e-3),
        ("uA", "current", 1e-3),
        ("nA", "current", 1e-6),
        ("amps", "current", 1e3),
        # current density [mA/cm²]
        ("mA/cm2", "current_density", 1.0),
        ("mA/cm²", "current_density", 1.0),
        ("mA cm-2", "current_density", 1.0),
        ("mA cm^-2", "current_density", 1.0),
        ("mA·cm⁻²", "current_density", 1.0),
        ("macm-2", "current_density", 1.0),  # "J (mA cm-2)" without its space
        ("mA per cm2", "current_density", 1.0),
        ("A/cm2", "current_density", 1e3),
        ("A/m2", "current_density", 0.1),
        ("A m-2", "current_density", 0.1),
        ("mA/m2", "current_density", 1e-4),
        ("µA/cm²", "current_density", 1e-3),
        ("microA/cm2", "current_density", 1e-3),
        # time [h]
        ("s", "time", 1 / 3600),
        ("sec", "time", 1 / 3600),
        ("seconds", "time", 1 / 3600),
        ("ms", "time", 1 / 3.6e6),
        ("usec", "time", 1 / 3.6e9),
        ("min", "time", 1 / 60),
        ("minutes", "time", 1 / 60),
        ("h", "time", 1.0),
        ("hr", "time", 1.0),
        ("hours", "time", 1.0),
        ("d", "time", 24.0),
        ("days", "time", 24.0),
        # luminance [cd/m²]
        ("cd/m2", "luminance", 1.0),
        ("cd/m²", "luminance", 1.0),
        ("cd m-2", "luminance", 1.0),
        ("cdm-2", "luminance", 1.0),
        ("nit", "luminance", 1.0),
        ("nits", "luminance", 1.0),
        ("kcd/m2", "luminance", 1e3),
        ("cd/cm2", "luminance", 1e4),
        # voltage [V]
        ("V", "voltage", 1.0),
        ("mV", "voltage", 1e-3),
        ("kV", "voltage", 1e3),
        # efficiencies, EQE [%]
        ("cd/A", "current_efficiency", 1.0),
        ("lm/W", "power_efficiency", 1.0),
        ("%", "dimensionless", 1.0),
    ],
)
def test_spelling_quantity_and_factor_to_the_internal_unit(unit, quantity, factor):
    assert units.quantity_of(unit) == quantity
    assert units.factor_to_internal(unit, quantity) == pytest.approx(factor, rel=1e-15)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("µA/cm²", "uA/cm2"),
        ("μA cm⁻²", "uA cm-2"),
        ("photons/(s cm² nm)", "photons s-1 cm-2 nm-1"),
        ("photons/s/cm2/nm", "photons per s per cm2 per nm"),
        ("µmol/m²/s/nm", "umol m-2 s-1 nm-1"),
        ("W/m2/nm", "W m^-2 nm^-1"),
        ("counts/s", "cps"),
        ("a.u.", "arb. units"),
    ],
)
def test_unicode_and_ascii_spellings_are_the_same_unit(a, b):
    first, second = units.parse_unit(a), units.parse_unit(b)
    assert first is not None and second is not None
    assert (first.factor, first.dimensions) == (second.factor, second.dimensions)


def test_exact_factors():
    # Rounded once from exact fractions: the same floats as the literals.
    assert units.factor_to_internal("s", "time") == 1 / 3600
    assert units.factor_to_internal("mm2", "area") == 0.01
    assert units.conversion_factor("min", "s") == 60.0
    assert units.conversion_factor("usec", "ms") == 1e-3


def test_wavelength_in_a_means_angstrom_but_current_in_a_means_ampere():
    assert units.factor_to_internal("A", "wavelength") == 0.1
    assert units.factor_to_internal("A", "current") == 1e3


@pytest.mark.parametrize(
    ("unit", "quantity"),
    [
        ("mA", "time"),  # a unit of another quantity
        ("furlong", "length"),
        ("", "time"),
        ("mA/cm", "current_density"),  # not a density
        ("°C", "time"),
    ],
)
def test_no_factor_for_unknown_or_mismatched_units(unit, quantity):
    assert units.factor_to_internal(unit, quantity) is None


def test_conversions_between_quantities_or_temperatures_are_refused():
    assert units.conversion_factor("mA", "V") is None
    assert units.conversion_factor("°C", "K") is None  # an offset, not a factor
    assert units.quantity_of("°C") == units.quantity_of("K") == "temperature"
    with pytest.raises(ValueError, match="cannot convert 'mA' to 'V'"):
        units.convert([1.0], "mA", "V")
    np.testing.assert_allclose(units.convert([1.0, 2.0], "h", "min"), [60.0, 120.0])


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("counts", "counts"),
        ("cts", "counts"),
        ("counts/s", "counts"),
        ("a.u.", "arbitrary"),
        ("W/nm", "energy"),
        ("µW/cm²/nm", "energy"),
        ("W/(sr m2 nm)", "energy"),  # spectral radiance
        ("W m-2 nm-1", "energy"),
        ("photons/s/cm2/nm", "photon"),
        ("photons/(s cm² nm)", "photon"),
        ("µmol/m²/s/nm", "photon"),
        ("umol m-2 s-1 nm-1", "photon"),
        ("µmol m⁻² s⁻¹ nm⁻¹", "photon"),
        ("µE/m2/s/nm", "photon"),  # einstein: a mole of photons (SpectraPen)
        ("µmol m-2s-1nm-1", "photon"),
        ("photons/(s cmｲ nm)", "photon"),  # Latin-1 ² read as Shift-JIS
        ("W/cm²nm", "energy"),  # glued "cm²nm" (a Maya processing workbook)
        ("W/m²/nm", "energy"),
        ("cps", "counts"),
        ("mA", None),
        ("W", None),  # a power, not a spectrum
    ],
)
def test_spectral_units_are_energy_photon_or_counts(unit, kind):
    assert units.spectral_kind(unit) == kind


def test_einstein_is_a_mole_of_photons():
    micro_einstein, _ = units.photon_to_energy_spectrum([550.0], [1.0], "µE/m2/s/nm")
    micro_mol, unit = units.photon_to_energy_spectrum([550.0], [1.0], "µmol/m2/s/nm")
    assert micro_einstein[0] == pytest.approx(micro_mol[0], rel=1e-12)
    assert unit == "W/m2/nm"
    assert units.conversion_factor("W/cm²nm", "W/m2/nm") == pytest.approx(1e4)


def test_photon_energy_against_hc_in_ev_nm():
    # CODATA 2018: hc = 1239.841984 eV nm; 1 eV = 1.602176634e-19 J (exact).
    wavelength = np.array([400.0, 620.0, 800.0])
    power, unit = units.photon_to_energy_spectrum(wavelength, np.ones(3))
    expected = 1239.841984 / wavelength * 1.602176634e-19
    np.testing.assert_allclose(power, expected, rtol=1e-9)
    assert unit == "W/nm"


def test_micromoles_of_photons_against_the_molar_photon_energy():
    # CODATA 2018: N_A h c = 0.119626566 J m/mol, so 1 µmol/s of 550 nm photons
    # carries 0.119626566 / 550e-9 * 1e-6 W (about 4.6 µmol per J).
    power, unit = units.photon_to_energy_spectrum([550.0], [1.0], "µmol/m²/s/nm")
    assert power[0] == pytest.approx(0.119626566 / 550e-9 * 1e-6, rel=1e-8)
    assert unit == "W/m2/nm"


def test_photon_conversion_keeps_the_shape_and_the_denominators():
    values = np.ones((2, 3))
    power, unit = units.photon_to_energy_spectrum(
        [500.0, 600.0, 700.0], values, "photons/(s cm² nm)"
    )
    assert power.shape == (2, 3) and unit == "W/cm2/nm"
    assert power[0, 0] / power[0, 2] == pytest.approx(700 / 500)
    _, per_minute = units.photon_to_energy_spectrum([500.0], [60.0], "photons/min/nm")
    assert per_minute == "W/nm"
    fluence, label = units.photon_to_energy_spectrum([500.0], [1.0], "photons/nm")
    assert label == "J/nm"
    with pytest.raises(ValueError, match="not a photon spectrum"):
        units.photon_to_energy_spectrum([500.0], [1.0], "W/nm")


def _xy(wavelength_nm, power) -> np.ndarray:
    """colour-science's chromaticity of a power spectrum (360-830 nm, 1 nm)."""
    grid = np.arange(360.0, 831.0)
    on_grid = np.interp(grid, wavelength_nm, power, left=0, right=0)
    sd = colour.SpectralDistribution(dict(zip(grid, on_grid, strict=True)))
    return colour.XYZ_to_xy(colour.sd_to_XYZ(sd))


def test_real_photon_flux_converted_to_power_gives_the_sources_chromaticity(
    realdata,
):
    # SOURCES.md, hzb-pl_T02f1_200ms_1.txt: "the flux column is in
    # photons/(s cm² nm); xy from the flux converted to power (x hc/λ):
    # (0.6499, 0.3497)". The unconverted flux gives (0.6514, 0.3482).
    data = (realdata / "hzb-pl_T02f1_200ms_1.txt").read_bytes()
    header = next(
        line for line in data.decode("utf-8").splitlines() if line.startswith("Wave")
    ).split("\t")
    flux_unit, counts_unit = header_unit(header[1]), header_unit(header[2])
    assert units.spectral_kind(flux_unit) == "photon"
    assert units.spectral_kind(counts_unit) == "counts"
    # The reader converts at read time (the flux column, not the raw counts).
    series = read_spectral_series(data, "T02f1.txt")
    assert series.n_spectra == 1
    assert (series.intensity_quantity, series.intensity_unit) == ("energy", "W/cm²/nm")
    np.testing.assert_allclose(
        _xy(series.wavelength_nm, series.intensity[0]),
        [0.6499, 0.3497],
        atol=XY_TOLERANCE,
    )
    # Told the file holds power, the reader keeps the flux numbers: converting
    # them by hand (E = h c / λ per photon, CODATA constants) gives the same.
    flux = read_spectral_series(data, "T02f1.txt", spectral_quantity="energy")
    hand = (
        flux.intensity[0] * 6.62607015e-34 * 299792458.0 / (flux.wavelength_nm * 1e-9)
    )
    np.testing.assert_allclose(series.intensity[0], hand, rtol=1e-12)
    np.testing.assert_allclose(
        _xy(flux.wavelength_nm, flux.intensity[0]), [0.6514, 0.3482], atol=XY_TOLERANCE
    )


_UNIT_ALPHABET = "abcmnsvwkhdåµμ%°.0123456789-/()[]^·*×²ｲ³¹⁻− =,:_#?éKΩ\t"


@given(st.text(alphabet=_UNIT_ALPHABET, max_size=14))
@settings(max_examples=600, deadline=None)
def test_the_quick_rejection_of_non_units_changes_no_answer(text):
    # parse_unit refuses at once a text with a character no unit can hold;
    # the full parse must give the same answer (None) for every such text.
    fast = units.parse_unit.__wrapped__(text)
    original = units._FOREIGN
    try:
        units._FOREIGN = re.compile(r"(?!)")  # never matches: the full parse
        slow = units.parse_unit.__wrapped__(text)
    finally:
        units._FOREIGN = original
    assert fast == slow


def test_headers_of_axis_values_are_not_units():
    for header in ("t = 10 s", "Spectrum_12", "10:00:00", "V=3.0"):
        assert units.parse_unit(header) is None
    assert units.parse_unit("µmol m-2 s-1 nm-1").quantity == "spectral_photon"
