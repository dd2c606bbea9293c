"""core.spectra: peak, FWHM and colour against closed forms and colour-science."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from support import XY_TOLERANCE, gaussian

from core.spectra import (
    METRIC_COLUMNS,
    UNCERTAINTY_COLUMNS,
    analyse_spectra,
    spectral_metrics,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour

GRID = np.linspace(380.0, 780.0, 1024)  # 0.39 nm pixels
CMFS = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]


def colour_science_xy(grid, spectrum) -> np.ndarray:
    """xy of a noiseless spectrum from colour-science (1 nm, zero outside)."""
    sd = colour.SpectralDistribution(dict(zip(grid, spectrum, strict=True)))
    sd = sd.align(
        colour.SpectralShape(360, 830, 1),
        extrapolator_kwargs={"method": "Constant", "left": 0, "right": 0},
    )
    XYZ = colour.sd_to_XYZ(sd, CMFS, method="Integration")
    return np.asarray(colour.XYZ_to_xy(XYZ))


def test_python_contract_columns_one_row_per_spectrum():
    frame = spectral_metrics(GRID, np.stack([gaussian(GRID, 638, 32)] * 3))
    assert len(frame) == 3
    assert set(METRIC_COLUMNS) | set(UNCERTAINTY_COLUMNS) <= set(frame.columns)
    assert frame.attrs["colour_window_fwhm"] is None  # all the emission


@pytest.mark.parametrize("peak", [620.0, 638.0, 651.3])
@pytest.mark.parametrize("fwhm", [20.0, 32.0, 45.0])
def test_clean_gaussian_peak_and_fwhm_closed_form(peak, fwhm):
    row = spectral_metrics(GRID, gaussian(GRID, peak, fwhm)).iloc[0]
    # Closed form: the peak is the Gaussian's centre, the FWHM its width. The
    # top fit is exact for a Gaussian (a parabola in log); smoothing (window ≤
    # FWHM/2) moves the half-maximum crossings by ≤ 0.01 nm.
    assert row.peak_nm == pytest.approx(peak, abs=0.01)
    assert row.fwhm_nm == pytest.approx(fwhm, abs=0.05)
    assert row.centroid_nm == pytest.approx(peak, abs=0.01)


def test_noisy_gaussian_unbiased_with_honest_sigma():
    # SNR 50 (noise sd = 2 % of the peak), 300 spectra: docs/methods.md §2 measured
    # raw half-max crossings at −3.1 nm at SNR 20; these are unbiased.
    rng = np.random.default_rng(3)
    lines = gaussian(GRID, 638.0, 32.0)[None, :] + rng.normal(0, 0.02, (300, GRID.size))
    frame = spectral_metrics(GRID, lines, baseline="none")
    assert frame.peak_nm.mean() == pytest.approx(638.0, abs=0.05)
    assert frame.peak_nm.std() < 0.3  # measured 0.23 nm with 0.39 nm pixels
    assert frame.fwhm_nm.mean() == pytest.approx(32.0, abs=0.1)
    # The propagated σ of peak and FWHM match their scatter (within 25 %).
    for column in ("peak_nm", "fwhm_nm"):
        ratio = frame[f"{column}_sd"].median() / frame[column].std()
        assert 0.75 < ratio < 1.25, column
    assert not frame.secondary_peak_detected.any()


@pytest.mark.parametrize(
    ("snr", "baseline"), [(50, "edges"), (50, "none"), (20, "edges")]
)
def test_reported_xy_sigma_matches_the_scatter(snr, baseline):
    # Done-when: "the reported xy uncertainty matches the scatter within 30 %"
    # (200 draws in benchmarks/bench_drift_noise.py; 150 here).
    rng = np.random.default_rng(snr)
    clean = gaussian(GRID, 638.0, 32.0)
    noisy = clean[None, :] + rng.normal(0.0, 1.0 / snr, (150, GRID.size))
    frame = spectral_metrics(GRID, noisy, baseline=baseline)
    for column in ("cie_x", "cie_y", "u_prime", "v_prime"):
        ratio = frame[f"{column}_sd"].median() / frame[column].std()
        assert 0.7 < ratio < 1.3, (column, ratio)
    truth = spectral_metrics(GRID, clean).iloc[0]
    # Noise does not pull xy: the mean stays within 3 standard errors.
    error = frame.cie_x.mean() - truth.cie_x
    assert abs(error) < 3 * frame.cie_x.std() / np.sqrt(len(frame)) + 1e-4


def test_resolved_second_peak_is_a_band_with_its_share():
    main, satellite = gaussian(GRID, 638.0, 32.0), gaussian(GRID, 690.0, 30.0, 0.3)
    analysis = analyse_spectra(GRID, main + satellite)
    row = analysis.frame.iloc[0]
    assert row.secondary_peak_detected and row.n_bands == 2
    assert row.secondary_peak_nm == pytest.approx(690.0, abs=2.0)
    # The valley between the two splits the emission; a satellite of 0.3 × the
    # height and 30/32 of the width holds ≈ 0.3·30/(32 + 0.3·30) = 22 %.
    assert row.secondary_band_fraction == pytest.approx(0.22, abs=0.03)
    table = analysis.bands.table
    assert list(table.kind) == ["main", "resolved"]
    assert table.fraction.sum() == pytest.approx(1.0)


def test_clipped_line_gives_no_fwhm_and_a_warning():
    grid = np.linspace(600.0, 650.0, 300)  # the red half-max crossing is outside
    frame = spectral_metrics(grid, gaussian(grid, 640.0, 32.0), baseline="none")
    assert np.isnan(frame.fwhm_nm.iloc[0])
    assert any("outside the measured range" in w for w in frame.attrs["warnings"])


def test_baseline_is_subtracted_before_colorimetry():
    clean = spectral_metrics(GRID, gaussian(GRID, 638.0, 32.0)).iloc[0]
    offset = gaussian(GRID, 638.0, 32.0) + 0.01  # 1 % constant baseline
    corrected = spectral_metrics(GRID, offset).iloc[0]
    assert corrected.cie_x == pytest.approx(clean.cie_x, abs=1e-4)
    # docs/methods.md §1: integrating a 1 % offset over the whole range moves x
    # from 0.7054 to 0.6624. Here the mask keeps the offset out of the range
    # that holds no emission; what remains still moves x, and the warning says
    # why.
    raw = spectral_metrics(GRID, offset, baseline="none")
    assert raw.cie_x.iloc[0] < clean.cie_x - 0.01
    assert any("baseline offset" in w for w in raw.attrs["warnings"])


@pytest.mark.parametrize(("band_nm", "width_nm"), [(440.0, 20.0), (520.0, 25.0)])
def test_colour_comes_from_every_band(band_nm, width_nm):
    # Done-when: a 2 % band at 440 nm or 520 nm is in xy (within 1e-3 of
    # colour-science on the noiseless spectrum) and reported as a band.
    main, band = gaussian(GRID, 638.0, 32.0), gaussian(GRID, band_nm, width_nm)
    clean = (
        main + 0.02 / 0.98 * np.trapezoid(main, GRID) / np.trapezoid(band, GRID) * band
    )
    truth = colour_science_xy(GRID, clean)
    row = spectral_metrics(GRID, clean).iloc[0]
    assert [row.cie_x, row.cie_y] == pytest.approx(truth, abs=XY_TOLERANCE)
    assert row.secondary_peak_nm == pytest.approx(band_nm, abs=1.0)
    assert row.secondary_band_fraction == pytest.approx(0.02, abs=0.002)
    # The old ±3 FWHM window (now opt-in) drops the band: x off by > 0.01.
    windowed = spectral_metrics(GRID, clean, window_fwhm=3.0).iloc[0]
    assert abs(windowed.cie_x - truth[0]) > 0.01
    # With noise (SNR 200, 50 draws) the band is reported in ≥ 90 % of them.
    rng = np.random.default_rng(int(band_nm))
    noisy = clean[None, :] + rng.normal(0.0, 0.005, (50, GRID.size))
    found = np.abs(spectral_metrics(GRID, noisy).secondary_peak_nm - band_nm) < 5
    assert found.mean() >= 0.9


def test_scale_does_not_change_colour_and_no_emission_is_not_determined():
    frame = spectral_metrics(
        GRID, np.stack([gaussian(GRID, 638, 32), 1e4 * gaussian(GRID, 638, 32)])
    )
    # float32 arithmetic: 7 significant digits.
    assert frame.cie_x.iloc[0] == pytest.approx(frame.cie_x.iloc[1], abs=1e-6)
    dark = spectral_metrics(GRID, np.zeros((1, GRID.size)))
    assert dark[list(METRIC_COLUMNS)].isna().all(axis=None)
    assert not dark.has_emission.iloc[0]
    assert any("no emission" in w for w in dark.attrs["warnings"])


def test_noise_only_spectra_are_detected_and_left_undetermined():
    rng = np.random.default_rng(8)
    noise = rng.normal(0.0, 0.01, (40, GRID.size))
    lit = noise + gaussian(GRID, 638.0, 32.0)[None, :]
    frame = spectral_metrics(GRID, np.vstack([noise, lit]))
    assert not frame.has_emission.iloc[:40].any()
    assert frame.has_emission.iloc[40:].all()
    assert frame.iloc[:40][list(METRIC_COLUMNS)].isna().all(axis=None)
    assert frame.iloc[40:][list(METRIC_COLUMNS)].notna().all(axis=None)


def test_weak_spectra_give_colour_but_no_peak_or_fwhm():
    # Raw SNR 4 (smoothed maximum ~15 σ): a noise dip would pass for the
    # half-maximum, so peak and FWHM are not determined; colour is, with σ.
    rng = np.random.default_rng(9)
    weak = 0.04 * gaussian(GRID, 638.0, 32.0)[None, :] + rng.normal(0, 0.01, (20, 1024))
    frame = spectral_metrics(GRID, weak)
    assert frame.has_emission.all()
    assert frame.peak_nm.isna().all() and frame.fwhm_nm.isna().all()
    assert frame.cie_x.notna().all() and (frame.cie_x_sd > 0.003).all()
    assert any("weak spectra" in w for w in frame.attrs["warnings"])


def test_emission_outside_the_cmf_range_has_no_colour():
    # A 950 nm line: nothing of it lies in 360–830 nm. Colour is "not defined"
    # with the reason, never a number (the 754 nm LED gave x = 0.795).
    grid = np.arange(400.0, 1100.0, 1.0)
    rng = np.random.default_rng(4)
    noisy = gaussian(grid, 950.0, 40.0) + rng.normal(0.0, 0.002, grid.size)
    row = spectral_metrics(grid, noisy).iloc[0]
    assert np.isnan(row.cie_x) and np.isnan(row.u_prime) and np.isnan(row.dominant_nm)
    assert row.colour_status
    assert row.peak_nm == pytest.approx(950.0, abs=0.5)


def test_colour_window_is_opt_in_and_said():
    frame = spectral_metrics(GRID, gaussian(GRID, 638.0, 32.0), window_fwhm=3.0)
    assert frame.attrs["colour_window_fwhm"] == 3.0
    # A single Gaussian loses nothing beyond ±3 FWHM.
    assert frame.cie_x.iloc[0] == pytest.approx(0.7054, abs=1e-4)


def test_bt2020_distance_for_a_line_on_the_630_nm_locus_point():
    # A narrow line at 630 nm sits on the locus point that defines BT.2020 red.
    row = spectral_metrics(GRID, gaussian(GRID, 630.0, 2.0)).iloc[0]
    assert row.distance_bt2020_xy < 2e-3


def test_colour_warnings_count_each_reason_most_frequent_first():
    from types import SimpleNamespace

    from core.spectra.metrics import _colour_warnings

    status = np.array(["", "b", "a", "b", "a", "c", "c", "c", ""], dtype=object)
    colour = SimpleNamespace(status=status, xy=np.zeros((9, 2)),
                             dominant_nm=np.zeros(9))  # fmt: skip
    emission = SimpleNamespace(has_emission=np.ones(9, dtype=bool))
    warnings: list[str] = []
    _colour_warnings(colour, emission, warnings)
    # c (3), then b and a (2 each) in the order they first appear.
    assert [w.split(": ")[1] for w in warnings] == ["c.", "b.", "a."]
    assert warnings[0] == "Colour not defined for 3 spectra: c."
