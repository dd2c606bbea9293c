"""core.lifetime.metrics: everything about one test (L0, voltage, spectra)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifetime_logs import clean_log

from core.errors import InputError
from core.lifetime import exponential, lifetime_metrics, lifetime_summary
from core.models import LifetimeLog, SpectralSeries


def test_unknown_model_gets_a_sentence():
    with pytest.raises(InputError, match=r"Unknown decay model 'weibull': expected"):
        lifetime_metrics(clean_log(10.0, 1.0, 40.0), method="weibull")


def test_relative_log_without_l0_still_gives_t_values_but_no_conversion():
    t = np.linspace(0.0, 40.0, 801)
    log = LifetimeLog(t, 100 * exponential(t, 10.0), relative=True)  # % of L0
    result = lifetime_metrics(log)
    assert result.t50_h == pytest.approx(10 * math.log(2), rel=2e-3)
    assert result.reference is None and result.initial_luminance_cd_m2 is None
    assert any("needs L0 in cd/m²" in w for w in result.warnings)
    summary = lifetime_summary(result)
    assert summary["t50_at_reference_h"] is None
    assert any(w.startswith("t50_at_reference_h is null") for w in summary["warnings"])
    with_l0 = lifetime_metrics(
        LifetimeLog(t, log.luminance_cd_m2, relative=True, initial_luminance_cd_m2=1000)
    )
    assert with_l0.reference.value_h == pytest.approx(
        with_l0.t50_h * 10**1.8, rel=1e-12
    )


def test_voltage_rise_over_the_test_and_at_t50():
    t = np.linspace(0.0, 40.0, 801)
    fraction = exponential(t, 10.0)
    voltage = 3.0 + 0.4 * (1 - fraction)  # rises by 0.2 V at T50
    result = lifetime_metrics(LifetimeLog(t, 100 * fraction, voltage_v=voltage))
    assert result.voltage_initial_v == pytest.approx(3.0, abs=1e-3)
    assert result.voltage_rise_v == pytest.approx(0.4 * (1 - fraction[-1]), abs=2e-3)
    assert result.voltage_rise_at_t50_v == pytest.approx(0.2, abs=3e-3)


def test_peak_shift_at_t50_from_spectra_recorded_during_the_test():
    t = np.linspace(0.0, 40.0, 801)
    wavelength = np.linspace(560.0, 720.0, 801)
    spectra_t = np.linspace(0.0, 40.0, 41)
    peaks = 638.0 + 0.1 * spectra_t  # +0.1 nm/h
    sigma = 32.0 / 2.3548
    intensity = np.exp(-0.5 * ((wavelength[None, :] - peaks[:, None]) / sigma) ** 2)
    series = SpectralSeries(wavelength, intensity, spectra_t, "time", "h")
    log = LifetimeLog(t, 100 * exponential(t, 10.0), spectra=series)
    result = lifetime_metrics(log)
    assert result.peak_shift_at_t50_nm == pytest.approx(0.1 * result.t50_h, abs=0.03)
