"""
core.photophysics.trpl: lifetimes recovered from synthetic TCSPC decays whose
forward model (closed-form exponentially modified Gaussian, integrated over
each channel, Poisson counts; core.demo.photophysics) shares no code with the
fit; coverage of the reported 1σ; the real Becker & Hickl export.

The ≥ 200-run coverage figures are measured by
benchmarks/bench_photophysics_recovery.py (quoted in docs/methods.md); the
runs here are the fast version.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.demo.photophysics import simulate_decay, simulate_irf
from core.errors import InputError
from core.photophysics import (
    DECAY_KEYS,
    DecayCurve,
    compare_components,
    decay_table,
    fit_decay,
    read_decay,
)
from core.photophysics.trpl import auto_tail_start_ns
from core.photophysics.trpl_result import average_lifetimes
from core.serialize import dump_json

REAL_BH = Path(__file__).parent / "data" / "wrighttools_spcm_test_data.asc"


def pair(seed: int, tau=(15.0,), fractions=(1.0,), peak=1e4, center=5.0):
    rng = np.random.default_rng(seed)
    decay = simulate_decay(
        rng, tau_ns=tau, fractions=fractions, peak_counts=peak, center_ns=center
    )
    return decay, simulate_irf(rng)


def test_single_exponential_with_irf_is_recovered_within_2_percent():
    # The Done-when case: 10^4 peak counts, 0.5 ns IRF, reconvolution.
    decay, irf = pair(1)
    fit = fit_decay(decay, irf=irf)
    assert fit.method == "reconvolution"
    assert abs(fit.tau_ns[0] - 15.0) / 15.0 < 0.02
    assert abs(fit.tau_ns[0] - 15.0) < 3 * fit.tau_stderr_ns[0]
    assert fit.chi2_reduced == pytest.approx(1.0, abs=0.1)  # sd √(2/2044) ≈ 0.03
    assert fit.background_counts == pytest.approx(5.0, abs=0.6)
    assert fit.tau_amplitude_weighted_ns == pytest.approx(fit.tau_ns[0])
    assert fit.tau_intensity_weighted_ns == pytest.approx(fit.tau_ns[0])


def test_reported_uncertainty_covers_the_truth_about_68_percent_of_the_time():
    # Fast version (50 runs); 200+ runs in the benchmark give the Done-when band.
    z = []
    for seed in range(50):
        decay, irf = pair(1000 + seed)
        fit = fit_decay(decay, irf=irf)
        z.append((fit.tau_ns[0] - 15.0) / fit.tau_stderr_ns[0])
    coverage = np.mean(np.abs(z) < 1)
    assert 0.5 <= coverage <= 0.86, coverage  # binomial 68 % ± 2.7σ at n = 50
    assert abs(np.mean(z)) < 0.45  # no bias beyond 3σ/√50


def test_low_counts_stay_unbiased_with_poisson_likelihood():
    # At a 300-count peak most tail channels hold 0-5 counts, where weights
    # 1/y (Neyman) bias the lifetime; the Poisson deviance does not.
    taus, errors = [], []
    for seed in range(30):
        decay, irf = pair(2000 + seed, peak=300.0)
        fit = fit_decay(decay, irf=irf)
        taus.append(fit.tau_ns[0])
        errors.append(fit.tau_stderr_ns[0])
    assert abs(np.mean(taus) - 15.0) < 3 * np.mean(errors) / np.sqrt(30)


def test_tail_fit_starts_after_the_peak_and_recovers_tau():
    decay, _ = pair(3)
    fit = fit_decay(decay)
    assert fit.method == "tail" and fit.fit_start_auto
    peak_time = decay.time_ns[np.argmax(decay.counts)]
    # Three rise times (≈ the 0.5 ns IRF) after the peak, inside the decay.
    assert peak_time + 0.5 < fit.fit_start_ns < peak_time + 5.0
    assert fit.fit_start_ns == auto_tail_start_ns(decay)
    assert abs(fit.tau_ns[0] - 15.0) < 3 * fit.tau_stderr_ns[0]
    given = fit_decay(decay, tail_start_ns=20.0)
    assert not given.fit_start_auto and given.fit_start_ns == pytest.approx(20.0)
    assert abs(given.tau_ns[0] - 15.0) < 3 * given.tau_stderr_ns[0]


def test_two_components_are_recovered_and_suggested():
    decay, irf = pair(4, tau=(2.0, 15.0), fractions=(0.5, 0.5))
    fit = fit_decay(decay, irf=irf, n_components=2)
    for value, error, truth in zip(
        fit.tau_ns, fit.tau_stderr_ns, (2.0, 15.0), strict=True
    ):
        assert abs(value - truth) < 4 * error
    assert fit.fraction_amplitude[0] == pytest.approx(0.5, abs=0.02)
    # Intensity fractions aτ/Σaτ: 2/17 and 15/17.
    assert fit.fraction_intensity[0] == pytest.approx(2 / 17, abs=0.01)
    one = fit_decay(decay, irf=irf, n_components=1)
    assert one.chi2_reduced > 5 and any("χ²ᵣ" in w for w in one.warnings)
    comparison = compare_components(decay, irf=irf)
    assert comparison.suggested_components == 2
    three = comparison.fits[2]
    assert any("try fewer" in w for w in three.warnings)


def test_the_irf_shift_follows_a_delayed_decay():
    early, irf = pair(5, center=5.0)
    late, _ = pair(5, center=5.3)
    shift = (
        fit_decay(late, irf=irf).irf_shift_ns - fit_decay(early, irf=irf).irf_shift_ns
    )
    assert shift == pytest.approx(0.3, abs=0.005)


def test_average_lifetimes_and_their_propagated_errors():
    # τ_amp = Σaτ/Σa = 6, τ_int = Σaτ²/Σaτ = 104/12 for a = (1, 1), τ = (2, 10).
    covariance = np.diag([0.01, 0.02, 0.03, 0.04])
    tau_amp, amp_err, tau_int, int_err = average_lifetimes([1, 1], [2, 10], covariance)
    assert tau_amp == pytest.approx(6.0) and tau_int == pytest.approx(104 / 12)

    def numeric_error(index):
        def value(p):
            a, t = p[:2], p[2:]
            return [(a * t).sum() / a.sum(), (a * t * t).sum() / (a * t).sum()][index]

        p0 = np.array([1.0, 1.0, 2.0, 10.0])
        grad = np.array(
            [(value(p0 + h) - value(p0 - h)) / 2e-6 for h in np.eye(4) * 1e-6]
        )
        return np.sqrt(grad @ covariance @ grad)

    assert amp_err == pytest.approx(numeric_error(0), rel=1e-5)
    assert int_err == pytest.approx(numeric_error(1), rel=1e-5)


def test_real_becker_hickl_decay_has_the_chi2_its_scaled_counts_predict():
    # Every count in this real export is a multiple of 9: a Poisson model of
    # counts × 9 has variance 9× too small, so a good model gives χ²ᵣ ≈ 9; on
    # the counts / 9 it must give χ²ᵣ ≈ 1 (sd √(2/796) ≈ 0.05).
    curve = read_decay(REAL_BH.read_bytes(), REAL_BH.name)
    scaled = fit_decay(curve, n_components=3)
    raw = DecayCurve(curve.time_ns, curve.counts / 9, label="counts / 9")
    comparison = compare_components(raw)
    best = comparison.fits[2]
    assert comparison.suggested_components == 3
    assert best.chi2_reduced == pytest.approx(1.0, abs=0.15)
    assert scaled.chi2_reduced / best.chi2_reduced == pytest.approx(9.0, rel=0.02)
    # Zero channels before the TAC window and after it are left out.
    assert best.fit_stop_ns == pytest.approx(3.215048)
    assert best.n_channels == 796


def test_errors_are_input_errors_with_a_sentence():
    decay, irf = pair(6)
    with pytest.raises(InputError, match="expected 1, 2 or 3"):
        fit_decay(decay, n_components=4)
    with pytest.raises(InputError, match="channels in the fit window"):
        fit_decay(decay, tail_start_ns=102.2)
    coarse = DecayCurve(irf.time_ns[::2], irf.counts[::2], source="irf.txt")
    with pytest.raises(InputError, match="same time grid"):
        fit_decay(decay, irf=coarse)


def test_summary_has_the_contract_keys_and_is_json():
    decay, irf = pair(7)
    fit = fit_decay(decay, irf=irf)
    summary = fit.summary()
    assert tuple(summary) == DECAY_KEYS
    assert json.loads(dump_json(summary))["tau_ns"] == [fit.tau_ns[0]]
    table = decay_table([fit, fit_decay(decay)])
    assert table["method"].tolist() == ["reconvolution", "tail"]
    assert table["tau1_ns"].iloc[0] == fit.tau_ns[0]
    assert np.isnan(table["tau2_ns"]).all()
