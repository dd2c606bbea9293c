"""
core.photophysics.tdpl: E_B from synthetic PL spectra at 80–300 K (areas
following the Arrhenius form with 1 % scatter and pixel noise,
core.demo.photophysics.simulate_tdpl), the closed forms, the two-channel and
phonon fits. ≥ 200-run figures: benchmarks/bench_photophysics_recovery.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.constants
from support import gaussian

from core.demo.photophysics import simulate_tdpl
from core.errors import InputError
from core.models import SpectralSeries
from core.photophysics import (
    K_B_MEV_PER_K,
    fit_arrhenius,
    fit_phonon_broadening,
    tdpl_analysis,
)
from core.photophysics.tdpl import (
    arrhenius,
    arrhenius_two,
    integrated_intensity,
    phonon_broadening,
)

T = np.arange(80.0, 301.0, 10.0)


def test_boltzmann_constant_is_codata_in_mev():
    assert K_B_MEV_PER_K == pytest.approx(8.617333262e-2, rel=1e-9)
    assert K_B_MEV_PER_K == scipy.constants.k / scipy.constants.e * 1e3


def test_arrhenius_closed_forms():
    # I(T) = I0/(1 + A e^(−E/kT)): at E = k T ln A the PL is half quenched.
    e_b, log_a = 120.0, np.log(500.0)
    t_half = e_b / (K_B_MEV_PER_K * log_a)
    assert arrhenius(t_half, 2.0, log_a, e_b) == pytest.approx(1.0)
    assert arrhenius_two(t_half, 2.0, log_a, e_b, -50.0, 0.0) == pytest.approx(
        1.0, rel=1e-12
    )
    # Γ(T) → Γ0 as T → 0 and Γ0 + Γ_LO (kT/E_LO − 1/2) at high T.
    assert phonon_broadening(1.0, 30.0, 40.0, 20.0) == pytest.approx(30.0)
    assert phonon_broadening(1e6, 30.0, 40.0, 20.0) == pytest.approx(
        30.0 + 40.0 * (K_B_MEV_PER_K * 1e6 / 20.0 - 0.5), rel=1e-8
    )


@pytest.mark.parametrize("e_b", [100.0, 125.0, 150.0])
def test_binding_energy_recovered_within_5_mev_from_spectra(e_b):
    # The Done-when case: spectra at 80–300 K, E_B 100–150 meV.
    errors = []
    for seed in range(6):
        series = simulate_tdpl(np.random.default_rng(seed), binding_energy_mev=e_b)
        fit = tdpl_analysis(series).arrhenius
        assert abs(fit.binding_energy_mev - e_b) < 5.0
        errors.append((fit.binding_energy_mev - e_b) / fit.binding_energy_stderr_mev)
        assert fit.temperature_min_k == 80 and fit.temperature_max_k == 300
    assert np.max(np.abs(errors)) < 3.5


def test_the_temperature_range_is_reported_and_used():
    series = simulate_tdpl(np.random.default_rng(11), binding_energy_mev=151.0)
    result = tdpl_analysis(series, temperature_range_k=(80.0, 220.0))
    fit = result.arrhenius
    assert (fit.temperature_min_k, fit.temperature_max_k) == (80.0, 220.0)
    assert fit.n_points == 15
    assert result.table["in_fit"].sum() == 15
    assert abs(fit.binding_energy_mev - 151.0) < 4 * fit.binding_energy_stderr_mev


def test_integrated_intensity_is_the_gaussian_area():
    wl = np.arange(500.0, 800.0, 0.5)
    height = 3.0
    fwhm = 30.0
    line = gaussian(wl, 640.0, fwhm, height) + 7.0  # constant baseline removed
    area = height * fwhm / (2 * np.sqrt(2 * np.log(2))) * np.sqrt(2 * np.pi)
    integral, noise = integrated_intensity(wl, line[None, :])
    assert integral[0] == pytest.approx(area, rel=1e-6)
    assert noise[0] == pytest.approx(0.0, abs=1e-6)
    part, _ = integrated_intensity(wl, line[None, :], (640.0, 800.0))
    assert part[0] == pytest.approx(area / 2, rel=1e-3)


def test_two_channel_fit_recovers_both_energies_without_noise():
    truth = (1.0, np.log(3.0), 20.0, np.log(2e4), 140.0)
    intensity = arrhenius_two(T, *truth)
    fit = fit_arrhenius(T, intensity, model="two")
    assert fit.binding_energy_mev == pytest.approx(140.0, rel=1e-3)
    assert fit.second_energy_mev == pytest.approx(20.0, rel=1e-2)
    assert fit.prefactor == pytest.approx(2e4, rel=1e-2)


def test_phonon_broadening_fit_recovers_e_lo():
    gamma = phonon_broadening(T, 60.0, 45.0, 18.0)
    fit = fit_phonon_broadening(T, gamma)
    assert fit.e_lo_mev == pytest.approx(18.0, rel=1e-4)
    assert fit.gamma0_mev == pytest.approx(60.0, rel=1e-4)


def test_peak_and_fwhm_columns_follow_the_spectra():
    series = simulate_tdpl(np.random.default_rng(3), pixel_noise=0.0, scatter=0.0)
    result = tdpl_analysis(series, phonon=True)
    table = result.table
    # simulate_tdpl: peak = 640 + 0.03 (300 − T) nm.
    assert table["peak_nm"].to_numpy() == pytest.approx(
        640 + 0.03 * (300 - T), abs=0.05
    )
    hc = scipy.constants.h * scipy.constants.c / scipy.constants.e * 1e9
    assert table["peak_ev"].to_numpy() == pytest.approx(hc / table["peak_nm"])
    assert result.phonon is not None
    assert result.phonon.e_lo_mev == pytest.approx(18.0, abs=1.0)
    summary = result.summary()
    assert summary["phonon"]["e_lo_mev"] == result.phonon.e_lo_mev
    assert len(summary["temperatures"]) == T.size


def test_errors_name_what_is_missing():
    with pytest.raises(InputError, match="needs at least 5"):
        fit_arrhenius([80, 100, 120], [1.0, 0.9, 0.5])
    with pytest.raises(InputError, match="--model three"):
        fit_arrhenius(T, arrhenius(T, 1.0, 5.0, 100.0), model="three")
    wl = np.arange(500.0, 800.0, 1.0)
    series = SpectralSeries(wl, np.ones((3, wl.size)), axis=[0, 1, 2], axis_name="time")
    with pytest.raises(InputError, match="temperature axis in K"):
        tdpl_analysis(series)
