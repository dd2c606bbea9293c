"""
Synthetic test files for the benchmarks (labelled synthetic in every name).

A drifting 638 -> 642 nm, 32 -> 34 nm FWHM line on a 380-780 nm, 1024-pixel
grid with SNR ~100 noise, one spectrum every 10 s: 3600 spectra is a 10-hour
test (~30 MB as a wide CSV), 36 000 a 100-hour test (~300 MB, over the
100 MB upload limit: analysed in memory only). J-V-L and lifetime files are
three-column tables of about the same size as the wide series, so their
reading speed and memory per byte compare directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Sizes", "FULL", "QUICK", "wavelength_grid", "spectra", "write_files"]


@dataclass(frozen=True)
class Sizes:
    """How big the generated data is."""

    spectra: int  # spectra of the series read from CSV (10 h: 3600)
    long_spectra: int  # spectra of the long-format CSV
    big_spectra: int  # spectra of the in-memory series (100 h: 36 000)
    pixels: int
    table_rows: int  # rows of the J-V-L and lifetime tables


FULL = Sizes(3600, 1200, 36_000, 1024, 1_000_000)
QUICK = Sizes(60, 20, 120, 256, 5_000)


def wavelength_grid(pixels: int) -> np.ndarray:
    """A CCD's 380-780 nm grid with a slight quadratic dispersion. [nm]"""
    pixel = np.arange(pixels)
    wavelength = 380 + 0.36 * pixel + 0.04 * pixel**2 / pixels
    return 380 + (wavelength - 380) * 400 / (wavelength[-1] - 380)


def spectra(n_spectra: int, pixels: int, seed: int = 0) -> np.ndarray:
    """(N, W) drifting Gaussian lines with SNR ~100 noise (counts)."""
    rng = np.random.default_rng(seed)
    wavelength = wavelength_grid(pixels)
    peak = np.linspace(638, 642, n_spectra)[:, None]
    sigma = np.linspace(32, 34, n_spectra)[:, None] / 2.3548
    clean = 1000 * np.exp(-0.5 * ((wavelength[None, :] - peak) / sigma) ** 2)
    return clean + rng.normal(0, 10, clean.shape)


def _wide_csv(path: Path, n_spectra: int, pixels: int) -> None:
    wavelength = wavelength_grid(pixels)
    intensity = spectra(n_spectra, pixels)
    with path.open("w", newline="\n") as handle:
        handle.write(
            "Wavelength (nm),"
            + ",".join(f"t = {10 * k} s" for k in range(n_spectra))
            + "\n"
        )
        columns = np.column_stack([wavelength, intensity.T])
        np.savetxt(handle, columns, fmt=["%.3f"] + ["%.6g"] * n_spectra, delimiter=",")


def _long_csv(path: Path, n_spectra: int, pixels: int) -> None:
    wavelength = wavelength_grid(pixels)
    intensity = spectra(n_spectra, pixels)
    time_h = np.repeat(np.arange(n_spectra) * 10 / 3600, pixels)
    rows = np.column_stack([time_h, np.tile(wavelength, n_spectra), intensity.ravel()])
    with path.open("w", newline="\n") as handle:
        handle.write("Time (h),Wavelength (nm),Counts\n")
        np.savetxt(handle, rows, fmt=["%.5f", "%.3f", "%.2f"], delimiter=",")


def _jvl_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    voltage = np.linspace(0, 8, rows)
    density = 1e-3 * np.expm1(np.clip(voltage - 1.5, 0, None) * 2.0)
    luminance = 50 * density * (1 + 0.01 * rng.normal(size=rows))
    with path.open("w", newline="\n") as handle:
        handle.write("Area (mm2) : 4.0\nV (V),J (mA/cm2),L (cd/m2)\n")
        np.savetxt(
            handle,
            np.column_stack([voltage, density, luminance]),
            fmt=["%.6f", "%.6e", "%.5e"],
            delimiter=",",
        )


def _lifetime_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(2)
    time_h = np.arange(rows) / 3600  # one reading a second
    luminance = 1000 * np.exp(-time_h / 50) * (1 + 0.002 * rng.normal(size=rows))
    voltage = 3.0 + 0.01 * time_h
    with path.open("w", newline="\n") as handle:
        handle.write("Time (h),L (cd/m2),V (V)\n")
        np.savetxt(
            handle,
            np.column_stack([time_h, luminance, voltage]),
            fmt=["%.6f", "%.4f", "%.5f"],
            delimiter=",",
        )


def write_files(folder: Path, sizes: Sizes) -> dict[str, Path]:
    """Write the four test files (once per folder and size); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{sizes.spectra}x{sizes.pixels}"
    paths = {
        "wide": folder / f"synthetic_wide_{tag}.csv",
        "long": folder / f"synthetic_long_{sizes.long_spectra}x{sizes.pixels}.csv",
        "jvl": folder / f"synthetic_jvl_{sizes.table_rows}.csv",
        "lifetime": folder / f"synthetic_lifetime_{sizes.table_rows}.csv",
    }
    writers = {
        "wide": lambda p: _wide_csv(p, sizes.spectra, sizes.pixels),
        "long": lambda p: _long_csv(p, sizes.long_spectra, sizes.pixels),
        "jvl": lambda p: _jvl_csv(p, sizes.table_rows),
        "lifetime": lambda p: _lifetime_csv(p, sizes.table_rows),
    }
    for key, path in paths.items():
        if not path.exists():
            partial = path.with_suffix(".part")
            writers[key](partial)
            partial.rename(path)
    return paths
