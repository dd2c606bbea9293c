"""core.noise against noise of known standard deviation (Monte Carlo)."""

from __future__ import annotations

import numpy as np
import pytest
from support import gaussian

from core.noise import local_noise_sigma, noise_sigma, peak_snr

WL = np.linspace(400.0, 800.0, 1024)


@pytest.mark.parametrize(("sigma", "rel"), [(1e-3, 0.05), (0.01, 0.02), (0.05, 0.02)])
def test_noise_sigma_recovers_white_noise_under_a_line(sigma, rel):
    # 400 spectra: a 638/32 nm line (0.39 nm pixels) plus a slope, plus white
    # noise of known sigma. The DER_SNR estimate of each spectrum scatters
    # ~4 % around the truth (1024 pixels); its mean must sit within 2 %. At
    # SNR 1000 the line's own curvature (~0.003 of its height over 4 pixels)
    # leaks into the median: +3.5 % measured, hence 5 % there.
    rng = np.random.default_rng(7)
    clean = gaussian(WL, 638.0, 32.0) + 0.2 * (WL - 400) / 400
    spectra = clean + rng.normal(0.0, sigma, (400, WL.size))
    estimate = noise_sigma(spectra)
    assert estimate.shape == (400,)
    assert np.mean(estimate) == pytest.approx(sigma, rel=rel)
    assert np.std(estimate) / sigma < 0.08


def test_noise_sigma_of_a_clean_line_is_small():
    # A noiseless line leaks only its curvature: far below any real noise.
    assert float(noise_sigma(gaussian(WL, 638.0, 32.0))) < 1e-5


def test_local_noise_follows_shot_noise_across_a_line():
    # Poisson-like noise: sigma = sqrt(counts). At the top of a 10^4-count line
    # the local estimate must be near 100 counts, far from the floor (~3).
    rng = np.random.default_rng(3)
    counts = 1e4 * gaussian(WL, 600.0, 40.0) + 10.0
    spectrum = rng.normal(counts, np.sqrt(counts))
    local = local_noise_sigma(spectrum, window=51)
    top = np.argmin(np.abs(WL - 600.0))
    assert local[top] == pytest.approx(100.0, rel=0.25)
    assert local[0] == pytest.approx(np.sqrt(10.0), rel=0.35)
    assert local.shape == spectrum.shape


def test_peak_snr_separates_emission_from_noise():
    rng = np.random.default_rng(5)
    noise = rng.normal(0.0, 0.01, (2, WL.size))
    spectra = noise + np.array([[0.0], [1.0]]) * gaussian(WL, 638.0, 32.0)
    snr = peak_snr(spectra)
    assert snr[0] < 6  # max of 1024 normal draws sits ~3.2 sigma above the median
    assert snr[1] > 50


def test_too_short_spectra_give_nan():
    assert np.isnan(noise_sigma(np.ones(4)))
    assert np.isnan(local_noise_sigma(np.ones(4))).all()


def test_block_noise_follows_shot_noise_and_ignores_the_lines_curvature():
    # σ = √counts: 10 on the floor, 100 at the top of a 10⁴-count line; the
    # estimate uses the residual from the smoothing (the line's curvature
    # removed) and knows the smoothing kernel.
    from scipy.signal import savgol_coeffs, savgol_filter

    from core.noise import block_noise_sigma

    rng = np.random.default_rng(2)
    pixels = np.arange(1024)
    counts = 1e4 * np.exp(-0.5 * ((pixels - 500) / 30.0) ** 2) + 100
    noisy = rng.normal(counts, np.sqrt(counts), (200, 1024))
    smooth = savgol_filter(noisy, 31, 3, axis=1)
    sigma_px, sigma = block_noise_sigma(noisy, smooth, savgol_coeffs(31, 3))
    assert sigma_px.shape == noisy.shape and sigma.shape == (200,)
    assert np.median(sigma_px[:, 500]) == pytest.approx(100.5, rel=0.05)
    assert np.median(sigma_px[:, 50]) == pytest.approx(10.0, rel=0.05)
    # Shorter than 5 pixels: NaN, not an error.
    assert np.isnan(block_noise_sigma(np.ones((1, 4)))[1]).all()


@pytest.mark.parametrize("width", [5, 40, 300, 1024, 1031])
def test_block_noise_into_an_array_equals_the_returned_one(width):
    # The analysis writes σ per pixel into the series' own array (no copy of
    # the row blocks); the values must be np.repeat's, pixel for pixel.
    from core.noise import block_noise_sigma

    rng = np.random.default_rng(width)
    noisy = rng.normal(100.0, 10.0, (7, width)).astype(np.float32)
    noisy[3] *= 5.0
    expected, floor = block_noise_sigma(noisy)
    out = np.full((7, width), np.nan, dtype=np.float32)
    written, same_floor = block_noise_sigma(noisy, out=out)
    assert written is out
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(same_floor, floor)
    if width >= 300:
        assert len(np.unique(out[3])) > 1  # several blocks per row were filled
