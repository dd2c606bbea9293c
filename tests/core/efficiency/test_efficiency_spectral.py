"""Tests for core.efficiency.spectral: the EL spectrum of each point, its checks."""

from __future__ import annotations

import numpy as np
import pytest
from efficiency_sweeps import (
    GRID_NM,
    gaussian,
    make_sweep,
    real_sweep,
    spectrum_series,
)
from support import REALDATA

from core.efficiency import efficiency_metrics, eqe_percent_per_cd_a
from core.efficiency.spectral import (
    CLEAN_SPECTRUM_MIN_SNR,
    _spectrum_rows,
    point_spectra,
    point_spectral_factors,
)
from core.models import SpectralSeries


def test_spectrum_argument_overrides_sweep_and_warns_on_baseline():
    flat = SpectralSeries(
        GRID_NM, gaussian(638.0, 32.0) + 0.2, axis=[0.0], label="raw EL"
    )
    sweep = make_sweep([2, 3], [0.1, 10], [2, 1000], spectrum=spectrum_series())
    raw = efficiency_metrics(sweep, flat, baseline="none")
    assert any(
        w.startswith("raw EL does not fall below 5 % of its peak") for w in raw.warnings
    )
    # By default the constant offset is subtracted first (as for colorimetry),
    # which gives back the EQE of the clean line.
    corrected = efficiency_metrics(sweep, flat)
    clean = efficiency_metrics(sweep)
    assert corrected.eqe_max_percent == pytest.approx(clean.eqe_max_percent, rel=1e-6)
    assert abs(raw.eqe_max_percent / clean.eqe_max_percent - 1) > 0.02


def test_bias_series_gives_each_point_its_own_spectrum():
    # Two spectra over bias: 620 nm at 3 V, 660 nm at 5 V (colour moves).
    series = SpectralSeries(
        GRID_NM,
        np.stack([gaussian(620.0, 30.0), gaussian(660.0, 30.0)]),
        axis=[3.0, 5.0],
        axis_name="voltage",
        axis_unit="V",
        label="EL vs V",
    )
    sweep = make_sweep([2.9, 4.2, 5.1], [0.1, 1.0, 10.0], [2.0, 100.0, 1000.0])
    result = efficiency_metrics(sweep, series)
    factors = [
        float(eqe_percent_per_cd_a(GRID_NM, gaussian(p, 30.0))) for p in (620, 660)
    ]
    np.testing.assert_allclose(
        result.points.eqe_percent_per_cd_a, [factors[0], factors[1], factors[1]]
    )
    assert (
        "EL vs V holds 2 EL spectra over bias: each point uses the spectrum "
        "measured at the nearest voltage (largest gap 0.8 V) where it stands "
        "clearly above its noise (peak SNR ≥ 10)." in result.warnings
    )
    assert result.points.spectrum_voltage_v.tolist() == [3.0, 5.0, 5.0]
    assert not result.points.spectrum_replaced.any()


def test_bsubpc_eqe_from_its_el_spectra_over_bias():
    """Independent check: the rig's own EQE column from its J, L and spectra.

    The spectra are raw spectrometer counts (no spectral-response correction)
    on the 380-780 nm, 0.5 nm grid given in SOURCES.md; from turn-on on our EQE
    is 0.90 of the rig's (measured 0.898 median; tolerance ±0.02 for the
    uncalibrated counts).
    """
    from core.io import read_spectral_series

    sweep = real_sweep("bsubpc-oled_OLED-004_A1-1_JVL.txt")
    path = REALDATA / "bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt"
    series = read_spectral_series(
        path.read_bytes(),
        path.name,
        wavelength_nm=np.arange(380.0, 780.25, 0.5),
        axis_values=sweep.voltage_v,
        axis_name="voltage",
        axis_unit="V",
    )
    result = efficiency_metrics(sweep, series)
    assert result.eqe_source == "spectrum"
    assert result.eqe_computed_to_file_ratio == pytest.approx(0.90, abs=0.02)
    assert result.voltage_at_eqe_max_v == pytest.approx(6.4, abs=1e-3)
    assert result.eqe_percent_per_cd_a == pytest.approx(0.284, abs=0.003)


def test_near_infrared_spectrum_is_flagged():
    nir = SpectralSeries(GRID_NM, gaussian(754.0, 42.0), axis=[0.0], label="NIR")
    result = efficiency_metrics(make_sweep([2, 3], [0.1, 1], [2, 100]), nir)
    assert any(
        w.startswith("NIR peaks at 754 nm, where V(λ) is 9.1e-05")
        for w in result.warnings
    )


# --- point_spectral_factors: the spectrum of each point ------------------------


def test_one_spectrum_gives_every_point_its_factor():
    factors, warnings = point_spectral_factors(
        spectrum_series(), np.array([2.0, 3.0, 4.0]), baseline="none"
    )
    # docs/methods.md §3 worked example: 638/32 nm, 1.1196 % per cd/A.
    np.testing.assert_allclose(factors, 1.1196, atol=5e-5)
    assert warnings == []


def test_a_series_not_over_bias_uses_its_first_spectrum():
    series = SpectralSeries(
        GRID_NM,
        np.stack([gaussian(638.0, 32.0), gaussian(560.0, 32.0)]),
        axis=[0.0, 60.0],
        axis_name="time",
        label="EL vs t",
    )
    factors, warnings = point_spectral_factors(series, np.array([2.0, 3.0]))
    np.testing.assert_allclose(factors, 1.1196, atol=5e-5)
    assert warnings == [
        "EL vs t holds 2 spectra; the first was used for the EQE of every point."
    ]


def test_nearest_voltage_picks_the_spectrum_of_each_point():
    series = SpectralSeries(
        GRID_NM,
        np.ones((3, GRID_NM.size)),
        axis=[2.0, 4.0, 6.0],
        axis_name="voltage",
        label="EL vs V",
    )
    clean = np.full(3, np.inf)
    rows, own, notes = _spectrum_rows(
        series, np.array([1.0, 2.9, 3.1, 5.5, 9.0]), clean
    )
    assert rows.tolist() == own.tolist() == [0, 0, 1, 2, 2]
    assert notes == [
        "EL vs V holds 3 EL spectra over bias: each point uses the spectrum "
        "measured at the nearest voltage (largest gap 3 V) where it stands "
        "clearly above its noise (peak SNR ≥ 10)."
    ]


def test_baseline_check_looks_at_the_brightest_spectrum_of_a_bias_series():
    # Below turn-on the spectrometer sees only its dark offset (flat): that
    # spectrum must not raise the baseline warning, the bright one is checked.
    dark = np.full(GRID_NM.size, 0.01)
    series = SpectralSeries(
        GRID_NM,
        np.stack([dark, gaussian(638.0, 32.0)]),
        axis=[2.0, 4.0],
        axis_name="voltage",
        label="EL vs V",
    )
    _, warnings = point_spectral_factors(series, np.array([4.0]), baseline="none")
    assert not any("does not fall below 5 %" in w for w in warnings)
    shifted = SpectralSeries(
        GRID_NM,
        np.stack([dark, gaussian(638.0, 32.0) + 0.2]),
        [2.0, 4.0],
        axis_name="voltage",
        label="EL vs V",
    )
    _, warnings = point_spectral_factors(shifted, np.array([4.0]), baseline="none")
    assert any(w.startswith("EL vs V does not fall below 5 %") for w in warnings)


def test_no_photopic_emission_gives_nan_factors_and_says_why():
    grid = np.arange(900.0, 1000.0, 1.0)
    infrared = SpectralSeries(grid, gaussian(950.0, 20.0, grid), [0.0], label="IR")
    factors, warnings = point_spectral_factors(infrared, np.array([2.0, 3.0]))
    assert np.isnan(factors).all() and factors.size == 2
    assert warnings[-1] == (
        "The EL spectrum gives no spectral factor: ∫ S(λ) V(λ) dλ is not "
        "positive (no emission inside 360-830 nm, where V(λ) is defined, or "
        "only noise where V(λ) is large); the EQE cannot be computed from "
        "luminance."
    )


# --- noise-dominated spectra over bias ----------------------------------------


def _noisy_bias_series(seed=7):
    """Five spectra over bias, 620 nm at 2-3 V and 640 nm at 4-6 V; the
    first two so dim that their peak stands < 10 σ above the noise."""
    rng = np.random.default_rng(seed)
    heights = [0.002, 0.004, 0.5, 1.0, 2.0]
    peaks = [620.0, 620.0, 640.0, 640.0, 640.0]
    lines = [h * gaussian(p, 30.0) for h, p in zip(heights, peaks, strict=True)]
    noisy = np.stack(lines) + rng.normal(0.0, 0.001, (5, GRID_NM.size))
    return SpectralSeries(
        GRID_NM,
        noisy,
        axis=[2.0, 3.0, 4.0, 5.0, 6.0],
        axis_name="voltage",
        axis_unit="V",
        label="EL vs V",
    )


def test_a_noise_dominated_spectrum_is_replaced_by_the_brightest():
    series = _noisy_bias_series()
    voltage = np.array([2.0, 3.0, 4.0, 5.0, 6.0])
    spectra = point_spectra(series, voltage, baseline="none")
    assert spectra.replaced.tolist() == [True, True, False, False, False]
    assert spectra.voltage_used_v.tolist() == [6.0, 6.0, 4.0, 5.0, 6.0]
    brightest = float(eqe_percent_per_cd_a(GRID_NM, gaussian(640.0, 30.0)))
    np.testing.assert_allclose(spectra.factors, brightest, rtol=5e-3)
    assert any(
        w.startswith("EL vs V holds 5 EL spectra over bias")
        and "(peak SNR ≥ 10). 2 point(s) have a noise-dominated spectrum (peak "
        "SNR < 10): the spectrum at 6 V (peak SNR"
        in w
        and w.endswith("served 2 to 3 V.")
        for w in spectra.warnings
    )
    assert "else the brightest (640." in spectra.description  # noisy argmax


def test_by_setting_the_nearest_clean_spectrum_serves_instead():
    series = _noisy_bias_series()
    voltage = np.array([2.0, 3.0, 4.0, 5.0, 6.0])
    spectra = point_spectra(series, voltage, baseline="none", noisy="nearest")
    assert spectra.voltage_used_v.tolist() == [4.0, 4.0, 4.0, 5.0, 6.0]
    assert spectra.description.endswith("else the nearest clean one")
    with pytest.raises(ValueError, match="noisy must be one of"):
        point_spectra(series, voltage, noisy="loudest")


def test_noise_alone_never_passes_for_a_clean_spectrum_on_real_count_matrices():
    """Below turn-on the OLED spectrometers record only noise (SOURCES.md: the
    counts of OLED-004 and OLED-009 at every sweep voltage): none of those
    spectra reaches CLEAN_SPECTRUM_MIN_SNR, every bright one does."""
    from core.io import read_spectral_series
    from core.noise import peak_snr

    for stem, dark_below_v, bright_from_v in (
        ("bsubpc_OLED-009_D5-1", 3.0, 5.0),
        ("bsubpc-oled_OLED-004_A1-1", 3.0, 4.2),
    ):
        sweep = real_sweep(f"{stem}_JVL.txt")
        path = REALDATA / f"{stem}_counts_EL-vs-V.txt"
        series = read_spectral_series(
            path.read_bytes(), path.name, wavelength_nm=np.arange(380.0, 780.25, 0.5)
        )
        snr = peak_snr(series.intensity)
        assert snr[sweep.voltage_v <= dark_below_v].max() < CLEAN_SPECTRUM_MIN_SNR / 2
        assert snr[sweep.voltage_v >= bright_from_v].min() >= CLEAN_SPECTRUM_MIN_SNR
