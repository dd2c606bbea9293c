"""
Benchmark: spectral_metrics on a 10-hour test (3600 spectra × 1024 pixels)
against the obvious alternative, a loop of colour-science's sd_to_XYZ.

Prints both times, their ratio and the max |Δxy| between the two. The loop is
timed on a subset and scaled (it takes minutes for all 3600 spectra); pass
``--full`` to time every spectrum.

    .venv/bin/python benchmarks/bench_spectra.py [--full]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour

from scipy.signal import find_peaks, peak_widths, savgol_filter  # noqa: E402

from core.colorimetry import tristimulus, xy_from_XYZ  # noqa: E402
from core.spectra import spectral_metrics  # noqa: E402

N_SPECTRA, N_PIXELS = 3600, 1024


def synthetic_test(seed: int = 0):
    """A drifting 638 → 642 nm, 32 → 34 nm line; clean and with SNR ≈ 100 noise."""
    rng = np.random.default_rng(seed)
    # A CCD grid with a slight quadratic dispersion, 380–780 nm.
    pixel = np.arange(N_PIXELS)
    wavelength = 380 + 0.36 * pixel + 0.04 * pixel**2 / N_PIXELS
    wavelength = 380 + (wavelength - 380) * 400 / (wavelength[-1] - 380)
    peak = np.linspace(638, 642, N_SPECTRA)[:, None]
    sigma = np.linspace(32, 34, N_SPECTRA)[:, None] / 2.3548
    clean = 1000 * np.exp(-0.5 * ((wavelength[None, :] - peak) / sigma) ** 2)
    return wavelength, clean, clean + rng.normal(0, 10, clean.shape)


def colour_loop(wavelength, spectra, cmfs, full_metrics=True):
    """
    The obvious alternative: one spectrum at a time through colour-science
    (sd_to_XYZ needs a uniform grid, so each spectrum is resampled to 1 nm)
    and, for the same metric set, scipy's find_peaks/peak_widths, u'v',
    dominant wavelength and excitation purity.
    """
    uniform = np.arange(np.ceil(wavelength[0]), np.floor(wavelength[-1]) + 1, 1.0)
    white = np.array([1 / 3, 1 / 3])
    out = np.empty((len(spectra), 2))
    for k, spectrum in enumerate(spectra):
        sd = colour.SpectralDistribution(
            dict(zip(uniform, np.interp(uniform, wavelength, spectrum), strict=True))
        )
        xy = colour.XYZ_to_xy(colour.sd_to_XYZ(sd, cmfs))
        out[k] = xy
        if full_metrics:
            colour.xy_to_Luv_uv(xy)
            colour.dominant_wavelength(xy, white, cmfs)
            colour.excitation_purity(xy, white, cmfs)
            smooth = savgol_filter(spectrum, 31, 3)
            peaks, _ = find_peaks(smooth, height=0.03 * smooth.max())
            main = peaks[np.argmax(smooth[peaks])]
            peak_widths(smooth, [main], rel_height=0.5)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--full", action="store_true", help="loop over all spectra")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    wavelength, clean, noisy = synthetic_test()
    spectral_metrics(wavelength, noisy[:10])  # warm caches (CMFs, locus)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        spectral_metrics(wavelength, noisy)
        times.append(time.perf_counter() - start)
    ours = min(times)
    start = time.perf_counter()
    xy_fast = xy_from_XYZ(tristimulus(wavelength, noisy))
    fast_path = time.perf_counter() - start
    assert xy_fast.shape == (N_SPECTRA, 2)

    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    subset = N_SPECTRA if args.full else 200
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        colour_loop(wavelength, noisy[:subset], cmfs)
        loop_full = (time.perf_counter() - start) * N_SPECTRA / subset
        start = time.perf_counter()
        reference = colour_loop(wavelength, clean[:subset], cmfs, full_metrics=False)
        loop_xy = (time.perf_counter() - start) * N_SPECTRA / subset
    # Accuracy on the noise-free lines: resampling noise to 1 nm would
    # otherwise dominate the difference.
    frame = spectral_metrics(wavelength, clean[:subset], baseline="none")
    delta = np.abs(frame[["cie_x", "cie_y"]].to_numpy() - reference).max()

    scaled = "" if args.full else f" (timed on {subset}, scaled to {N_SPECTRA})"
    print(f"data: {N_SPECTRA} spectra x {N_PIXELS} pixels (synthetic, SNR ~100)")
    print(f"spectral_metrics, all metrics, best of {args.repeat}: {ours:.3f} s")
    print(f"colour-science + scipy loop, same metrics{scaled}: {loop_full:.1f} s")
    print(f"colour-science sd_to_XYZ loop, xy only{scaled}: {loop_xy:.1f} s")
    print(f"ratio (same metrics): {loop_full / ours:.0f}x faster")
    print(f"ratio (against the xy-only loop): {loop_xy / ours:.0f}x faster")
    print(
        f"xy fast path alone (S @ W): {1000 * fast_path:.1f} ms, "
        f"{loop_xy / fast_path:.0f}x faster than the xy-only loop"
    )
    print(f"max |delta xy| vs colour-science on the noise-free lines: {delta:.1e}")


if __name__ == "__main__":
    main()
