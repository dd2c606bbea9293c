"""
core.photophysics.absorption: Urbach energy from a synthetic edge whose tail
is exactly A ∝ exp(E/E_U) below the excitonic Gaussian
(core.demo.photophysics.simulate_absorbance), the excitonic peak, the Tauc
intercept of an ideal direct-gap edge, and the caveat.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.demo.photophysics import simulate_absorbance
from core.errors import InputError
from core.photophysics import (
    TAUC_CAVEAT,
    AbsorbanceSpectrum,
    absorption_analysis,
    excitonic_peak,
    tauc_fit,
    urbach_fit,
)
from core.photophysics.tdpl import HC_EV_NM


@pytest.mark.parametrize("e_u", [20.0, 25.0, 30.0, 40.0])
def test_urbach_energy_recovered_within_1_mev(e_u):
    # The Done-when case: absorbance noise 1e-3 on a 0.5 peak.
    for seed in range(4):
        spectrum = simulate_absorbance(
            np.random.default_rng(seed), urbach_energy_mev=e_u
        )
        result = absorption_analysis(spectrum)
        urbach = result.urbach
        assert abs(urbach.urbach_energy_mev - e_u) < 1.0
        assert (
            abs(urbach.urbach_energy_mev - e_u) < 3.5 * urbach.urbach_energy_stderr_mev
        )
        assert urbach.range_auto
        # The chosen range lies below the excitonic peak and is reported.
        low, high = urbach.energy_range_ev
        assert low < high < result.peak.energy_ev


def test_the_excitonic_peak_is_the_absorbance_maximum():
    spectrum = simulate_absorbance(np.random.default_rng(1), exciton_nm=627.0)
    result = absorption_analysis(spectrum)
    assert result.peak.method == "maximum"
    assert result.peak.wavelength_nm == pytest.approx(627.0, abs=0.6)


def test_a_shoulder_is_found_by_the_second_derivative():
    energy = np.linspace(1.7, 2.6, 600)
    # A step-like continuum with a shoulder (no local maximum) at 2.1 eV.
    edge = 1.0 / (1.0 + np.exp(-(energy - 2.15) / 0.03))
    shoulder = 0.25 * np.exp(-((energy - 2.1) ** 2) / (2 * 0.03**2))
    absorbance = edge + shoulder
    assert np.all(np.diff(absorbance) > 0)
    peak = excitonic_peak(energy, absorbance, noise=1e-5)
    assert peak.method == "second derivative"
    assert peak.energy_ev == pytest.approx(2.1, abs=0.015)


def test_a_given_range_is_used_as_given():
    spectrum = simulate_absorbance(np.random.default_rng(2), urbach_energy_mev=25.0)
    result = absorption_analysis(spectrum, energy_range_ev=(1.82, 1.90))
    urbach = result.urbach
    assert not urbach.range_auto
    assert 1.82 <= urbach.energy_range_ev[0] < urbach.energy_range_ev[1] <= 1.90
    assert abs(urbach.urbach_energy_mev - 25.0) < 3.5 * urbach.urbach_energy_stderr_mev


def test_exact_exponential_gives_the_exact_slope():
    energy = np.linspace(1.6, 1.9, 200)
    absorbance = 0.4 * np.exp((energy - 1.9) / 0.027)
    fit = urbach_fit(energy, absorbance, noise=1e-4, energy_range_ev=(1.6, 1.9))
    assert fit.urbach_energy_mev == pytest.approx(27.0, rel=1e-9)


def test_tauc_intercept_of_an_ideal_direct_gap():
    # (A·E)² = k (E − Eg) above Eg: the intercept is Eg exactly.
    energy = np.linspace(1.7, 2.3, 300)
    gap = 1.95
    absorbance = np.sqrt(np.clip(4.0 * (energy - gap), 0, None)) / energy
    fit = tauc_fit(energy, absorbance, peak_ev=2.3)
    assert fit.gap_ev == pytest.approx(gap, abs=1e-6)
    assert fit.caveat == TAUC_CAVEAT
    assert "quantum dots" in TAUC_CAVEAT and "not the band gap" in TAUC_CAVEAT


def test_summary_carries_the_caveat_only_with_a_tauc_fit():
    spectrum = simulate_absorbance(np.random.default_rng(3))
    plain = absorption_analysis(spectrum).summary()
    assert plain["tauc_gap_ev"] is None and plain["tauc_caveat"] is None
    with_tauc = absorption_analysis(spectrum, tauc=True).summary()
    assert with_tauc["tauc_caveat"] == TAUC_CAVEAT
    assert with_tauc["excitonic_peak_nm"] == pytest.approx(627.0, abs=0.6)
    assert with_tauc["urbach_energy_mev"] == plain["urbach_energy_mev"]


def test_a_flat_spectrum_has_no_edge():
    wavelength = np.linspace(500.0, 800.0, 301)
    rng = np.random.default_rng(4)
    flat = AbsorbanceSpectrum(wavelength, 1e-3 * rng.standard_normal(301), label="x")
    with pytest.raises(InputError, match="points of the absorption edge"):
        absorption_analysis(flat)
    energy = HC_EV_NM / wavelength[::-1]
    with pytest.raises(InputError, match="does not rise"):
        urbach_fit(energy, np.exp(-energy), noise=1e-6, energy_range_ev=(1.6, 2.4))
