"""
Monte-Carlo checks of colour, bands and drift against noise (issue 11).

Each check draws synthetic spectra with known truth and prints what the
analysis reports over the draws (docs/methods.md §1–2 quote these figures):

- stable:    a perfectly stable 10 h series (3600 spectra × 1024 px) at SNR 50:
             share of runs that report a 1 nm threshold crossing, max Δu'v'
             and its noise floor, "within noise" flags;
- drift:     the same with a true +3.0 nm / 10 h drift: the slope's standard
             error covers the truth in ~68 % of runs; where 1 nm is crossed
             (truth 3.33 h);
- xy_sd:     reported σ of x, y, u', v' against the scatter over the draws;
- bands:     a 2 % band at 440 nm or 520 nm: xy of the noiseless spectrum
             against colour-science, and how often the band is reported;
- coarse:    FWHM bias of Gaussian lines 3–6 grid steps wide;
- asymmetric: peak bias on two-half-Gaussian and exponentially modified
             Gaussian lines;
- speed:     spectral_metrics + series_stability on 3600 × 1024.

    .venv/bin/python benchmarks/bench_drift_noise.py [--draws 200] [--only stable drift]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.special import erfc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour

from core.models import SpectralSeries  # noqa: E402
from core.spectra import spectral_metrics  # noqa: E402
from core.stability import series_stability  # noqa: E402

GRID = np.linspace(380.0, 780.0, 1024)
HOURS = np.linspace(0.0, 10.0, 3600)
CMFS = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]


def gaussian(wavelength, peak, fwhm, height=1.0):
    sigma = fwhm / (2 * np.sqrt(2 * np.log(2)))
    return height * np.exp(-0.5 * ((wavelength - peak) / sigma) ** 2)


def series(peaks, snr, rng, n_spectra=HOURS.size):
    hours = np.linspace(0.0, 10.0, n_spectra)
    peaks = np.broadcast_to(peaks, hours.shape)
    clean = gaussian(GRID[None, :], peaks[:, None], 32.0)
    noisy = clean + rng.normal(0.0, 1.0 / snr, clean.shape)
    return SpectralSeries(GRID, noisy, hours, axis_name="time", axis_unit="h")


def check_stable(draws, rng, n_spectra):
    crossed, max_uv, floor, within = 0, [], [], []
    for _ in range(draws):
        result = series_stability(series(638.0, 50, rng, n_spectra))
        crossed += np.isfinite(result.axis_at_threshold)
        max_uv.append(result.max_delta_u_prime_v_prime)
        floor.append(result.max_delta_u_prime_v_prime_noise)
        within.append((result.peak_within_noise, result.u_prime_v_prime_within_noise))
    within = np.array(within, dtype=float)
    print(
        f"stable, SNR 50, {n_spectra} spectra, {draws} draws: threshold crossed "
        f"in {100 * crossed / draws:.1f} % of runs; max Δu'v' median "
        f"{np.median(max_uv):.4f} with noise floor {np.median(floor):.4f}; "
        f"'within noise': peak {100 * within[:, 0].mean():.0f} %, u'v' "
        f"{100 * within[:, 1].mean():.0f} %"
    )


def check_drift(draws, rng, n_spectra):
    hours = np.linspace(0.0, 10.0, n_spectra)
    covered, slopes, errors, crossing, change_z = 0, [], [], [], []
    for _ in range(draws):
        result = series_stability(series(638.0 + 0.3 * hours, 50, rng, n_spectra))
        slope, error = result.drift_rate_nm_per_unit, result.drift_rate_stderr
        covered += abs(slope - 0.3) <= error
        slopes.append(slope)
        errors.append(error)
        crossing.append(result.axis_at_threshold)
        change_z.append((result.peak.change - 3.0) / result.peak.change_se)
    crossing = np.array(crossing)
    print(
        f"drift +3.0 nm / 10 h, SNR 50, {n_spectra} spectra, {draws} draws: "
        f"slope {np.mean(slopes):.4f} ± {np.std(slopes):.4f} nm/h (reported SE "
        f"median {np.median(errors):.4f}); SE covers the truth in "
        f"{100 * covered / draws:.1f} % of runs; trend change within 1 SE of "
        f"3.0 nm in {100 * np.mean(np.abs(change_z) <= 1):.1f} %; 1 nm crossed "
        f"at {np.nanmean(crossing):.2f} ± {np.nanstd(crossing):.2f} h (truth 3.33 h,"
        f" {np.isfinite(crossing).mean() * 100:.0f} % of runs)"
    )


def check_xy_sd(draws, rng):
    for snr, baseline in ((20, "edges"), (50, "edges"), (50, "none"), (200, "edges")):
        for peak in (638.0, 670.0):
            clean = gaussian(GRID, peak, 32.0)
            noisy = clean[None, :] + rng.normal(0.0, 1.0 / snr, (draws, GRID.size))
            frame = spectral_metrics(GRID, noisy, baseline=baseline)
            ratios = [
                frame[f"{c}_sd"].median() / frame[c].std()
                for c in ("cie_x", "cie_y", "u_prime", "v_prime", "peak_nm", "fwhm_nm")
            ]
            print(
                f"σ reported / scatter, {peak:.0f}/32 nm, SNR {snr}, baseline "
                f"{baseline}, {draws} draws: x {ratios[0]:.2f}, y {ratios[1]:.2f}, "
                f"u' {ratios[2]:.2f}, v' {ratios[3]:.2f}, peak {ratios[4]:.2f}, "
                f"FWHM {ratios[5]:.2f}"
            )


def colour_science_xy(spectrum) -> np.ndarray:
    sd = colour.SpectralDistribution(dict(zip(GRID, spectrum, strict=True)))
    sd = sd.align(
        colour.SpectralShape(380, 780, 1),
        extrapolator_kwargs={"method": "Constant", "left": 0, "right": 0},
    )
    XYZ = colour.sd_to_XYZ(sd, CMFS, method="Integration")
    return np.asarray(colour.XYZ_to_xy(XYZ))


def check_bands(draws, rng):
    for band_nm, width in ((440.0, 20.0), (520.0, 25.0)):
        main, band = gaussian(GRID, 638.0, 32.0), gaussian(GRID, band_nm, width)
        scale = 0.02 / 0.98 * np.trapezoid(main, GRID) / np.trapezoid(band, GRID)
        clean = main + scale * band
        truth = colour_science_xy(clean)
        row = spectral_metrics(GRID, clean).iloc[0]
        windowed = spectral_metrics(GRID, clean, window_fwhm=3.0).iloc[0]
        line = (
            f"2 % band at {band_nm:.0f} nm: noiseless xy ({row.cie_x:.4f}, "
            f"{row.cie_y:.4f}) vs colour-science ({truth[0]:.4f}, {truth[1]:.4f}), "
            f"|Δ| {np.hypot(row.cie_x - truth[0], row.cie_y - truth[1]):.1e} "
            f"(±3 FWHM window: |Δ| "
            f"{np.hypot(windowed.cie_x - truth[0], windowed.cie_y - truth[1]):.1e});"
        )
        for snr in (50, 100, 200):
            noisy = clean[None, :] + rng.normal(0.0, 1.0 / snr, (draws, GRID.size))
            frame = spectral_metrics(GRID, noisy)
            found = np.abs(frame.secondary_peak_nm - band_nm) < 5
            share = frame.secondary_band_fraction[found]
            distance = np.hypot(frame.cie_x - truth[0], frame.cie_y - truth[1])
            line += (
                f" SNR {snr}: reported in {100 * found.mean():.1f} % "
                f"(share {share.median():.4f}), mean |Δxy| {distance.mean():.1e};"
            )
        print(line + f" {draws} draws")


def check_coarse(draws, rng):
    for step, fwhm in ((5.0, 15.0), (5.0, 20.0), (2.0, 6.0), (1.0, 3.0), (5.0, 30.0)):
        grid = np.arange(400.0, 900.0, step)
        centres = 638.0 + rng.uniform(-step / 2, step / 2, draws)
        lines = gaussian(grid[None, :], centres[:, None], fwhm)
        frame = spectral_metrics(grid, lines, baseline="none")
        bias = frame.fwhm_nm - fwhm
        peak = frame.peak_nm - centres
        print(
            f"coarse grid {step:g} nm, FWHM {fwhm:g} nm ({fwhm / step:g} steps), "
            f"{draws} draws: FWHM bias {bias.mean():+.3f} nm (largest |bias| "
            f"{bias.abs().max():.3f} nm), peak bias {peak.mean():+.3f} nm"
        )


def two_half_gaussian(wavelength, mode, left, right):
    sigma = np.where(wavelength < mode, left, right) / 2.3548
    return np.exp(-0.5 * ((wavelength - mode) / sigma) ** 2)


def emg(wavelength, mu, sigma, tau):
    rate = 1.0 / tau
    return np.exp(rate / 2 * (2 * mu + rate * sigma**2 - 2 * wavelength)) * erfc(
        (mu + rate * sigma**2 - wavelength) / (np.sqrt(2) * sigma)
    )


def check_asymmetric(draws, rng):
    fine = np.arange(500.0, 800.0, 0.001)
    shapes = {
        "two-half-Gaussian 28/40 nm": lambda wl, m: two_half_gaussian(wl, m, 28, 40),
        "two-half-Gaussian 25/45 nm": lambda wl, m: two_half_gaussian(wl, m, 25, 45),
        "EMG σ 12 nm, τ 10 nm": lambda wl, m: emg(wl, m, 12, 10),
        "EMG σ 10 nm, τ 20 nm": lambda wl, m: emg(wl, m, 10, 20),
    }
    for name, shape in shapes.items():
        mode = fine[np.argmax(shape(fine, 638.0))] - 638.0
        for step, snr in ((0.39, np.inf), (0.39, 50), (1.0, 50)):
            grid = np.arange(500.0, 800.0, step)
            shifts = rng.uniform(-0.5, 0.5, draws)
            lines = np.stack([shape(grid, 638.0 + s) for s in shifts])
            lines /= lines.max(axis=1, keepdims=True)
            if np.isfinite(snr):
                lines = lines + rng.normal(0.0, 1.0 / snr, lines.shape)
            frame = spectral_metrics(grid, lines, baseline="none")
            error = frame.peak_nm - (638.0 + mode + shifts)
            print(
                f"asymmetric {name}, {step:g} nm grid, SNR {snr:g}, {draws} draws: "
                f"peak bias {error.mean():+.3f} nm, sd {error.std():.3f} nm"
            )


def check_speed(_draws, rng):
    noisy = series(638.0 + 0.3 * HOURS, 100, rng)
    spectral_metrics(GRID, noisy.intensity[:10])
    times, totals = [], []
    for _ in range(3):
        start = time.perf_counter()
        spectral_metrics(GRID, noisy.intensity)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        series_stability(noisy)
        totals.append(time.perf_counter() - start)
    print(
        f"speed, 3600 × 1024: spectral_metrics {min(times):.3f} s, series_stability "
        f"(metrics + noise + bands + trends) {min(totals):.3f} s (best of 3)"
    )


CHECKS = {
    "stable": lambda d, r, n: check_stable(d, r, n),
    "drift": lambda d, r, n: check_drift(d, r, n),
    "xy_sd": lambda d, r, n: check_xy_sd(d, r),
    "bands": lambda d, r, n: check_bands(d, r),
    "coarse": lambda d, r, n: check_coarse(d, r),
    "asymmetric": lambda d, r, n: check_asymmetric(d, r),
    "speed": lambda d, r, n: check_speed(d, r),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--spectra", type=int, default=3600, help="per series")
    parser.add_argument("--only", nargs="*", choices=list(CHECKS), default=None)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for name in args.only or CHECKS:
        start = time.perf_counter()
        CHECKS[name](args.draws, rng, args.spectra)
        print(f"  ({name}: {time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
