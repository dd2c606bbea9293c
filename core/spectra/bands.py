"""
Emission bands of each spectrum: every resolved peak above the noise, its
position, width and share of the emission.

A band is a maximum of the smoothed spectrum inside the emission mask whose
prominence and height exceed ``BAND_K`` σ of the smoothed noise there, at
least half a smoothing window wide, and holding at least ``MIN_BAND_SHARE``
of the emission. The emission is split between bands at the minima between
them; the main band holds the spectrum's maximum. Shoulders that form no
maximum of their own are found against the series' reference spectrum by
:mod:`core.stability` (docs/methods.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.spectra.emission import EMISSION_K, Emission
from core.spectra.peak import PeakWidth, Smoothed
from core.spectra.peak_finding import find_peaks, peak_widths

__all__ = [
    "BAND_K",
    "MIN_BAND_SHARE",
    "BAND_COLUMNS",
    "Bands",
    "resolved_bands",
    "stack_bands",
]

#: Prominence and height of a band over the smoothed noise. [σ]
BAND_K = 5.0
#: Least share of the emission a band must hold. [-]
MIN_BAND_SHARE = 0.005
#: Columns of :attr:`Bands.table`.
BAND_COLUMNS = ("spectrum", "band", "kind", "peak_nm", "fwhm_nm", "fraction")


@dataclass(frozen=True)
class Bands:
    """
    Bands of each spectrum.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per band (:data:`BAND_COLUMNS`); ``kind`` is "main" or
        "resolved"; ``fraction`` is the band's share of the emission [-].
    n_bands : numpy.ndarray
        (N,) bands per spectrum (0 without emission).
    outside_main_fraction : numpy.ndarray
        (N,) share of the emission outside the main band. [-]
    secondary_nm, secondary_fraction : numpy.ndarray
        (N,) position [nm] and share [-] of the largest other band (NaN if
        none).
    """

    table: pd.DataFrame
    n_bands: np.ndarray
    outside_main_fraction: np.ndarray
    secondary_nm: np.ndarray
    secondary_fraction: np.ndarray


def _candidates(smooth, emission: Emission, main, distance) -> np.ndarray:
    """
    Spectra with a local maximum that could be a band: inside the mask,
    above the noise, away from the main maximum, and standing ``BAND_K`` σ
    above the lowest point between it and the main maximum (an upper bound of
    its prominence). The local maxima are found over the whole array, the
    other tests run on those few pixels only; ``find_peaks`` then runs on
    the spectra returned.
    """
    smooth = smooth.astype(np.float32, copy=False)
    width = smooth.shape[1]
    local = np.zeros(smooth.shape, dtype=bool)
    inner = smooth[:, 1:-1]
    np.greater(inner, smooth[:, :-2], out=local[:, 1:-1])
    local[:, 1:-1] &= inner >= smooth[:, 2:]
    local &= emission.mask
    local &= emission.has_emission[:, None]
    pixel = np.flatnonzero(local)
    row, column = np.divmod(pixel, width)
    sigma = np.float32(emission.gain) * emission.sigma_px.ravel()[pixel]
    value = smooth.ravel()[pixel]
    top = main[row]
    away = (column < top - distance) | (column > top + distance)
    kept = away & (value > EMISSION_K * sigma)
    row, column, sigma, value, top = (a[kept] for a in (row, column, sigma, value, top))
    if row.size == 0:
        return row
    # The lowest point between each maximum and the main one (both included).
    bounds = np.empty(2 * row.size, dtype=np.intp)
    bounds[0::2] = row * width + np.minimum(column, top)
    bounds[1::2] = row * width + np.maximum(column, top) + 1
    if bounds[-1] == smooth.size:  # the last range runs to the end anyway
        bounds = bounds[:-1]
    lowest = np.minimum.reduceat(smooth.ravel(), bounds)[0::2]
    return np.unique(row[value - lowest > BAND_K * sigma])


def _segment_shares(peaks, row, emitted):
    """Share of the emission between the minima that separate the peaks."""
    pairs = zip(peaks[:-1], peaks[1:], strict=True)
    cuts = [int(a + np.argmin(row[a : b + 1])) for a, b in pairs]
    edges = np.array([0, *cuts], dtype=np.intp)
    sums = np.add.reduceat(emitted, edges) if peaks.size > 1 else emitted.sum()
    total = emitted.sum()
    return np.atleast_1d(sums) / total if total > 0 else np.full(peaks.size, np.nan)


def _row_bands(row, sigma, mask, emitted, main, min_width):
    """Peaks (pixels, main included) and shares of one spectrum's bands."""
    # Maxima outside the mask or below EMISSION_K σ are never bands: they
    # are left out before their prominence and width are computed.
    peaks, prominences = find_peaks(row, min_width, mask & (row >= EMISSION_K * sigma))
    strong = prominences >= BAND_K * sigma[peaks]
    peaks = np.union1d(peaks[strong], [main])
    while True:
        shares = _segment_shares(peaks, row, emitted)
        weak = (shares < MIN_BAND_SHARE) & (peaks != main)
        if not weak.any():
            return peaks, shares
        peaks = peaks[~weak]


def _band_rows(k, peaks, shares, row, main, wavelength, peak: PeakWidth):
    pixel = np.arange(wavelength.size)
    _, _, left, right = peak_widths(row, peaks, rel_height=0.5)
    widths = np.interp(right, pixel, wavelength) - np.interp(left, pixel, wavelength)
    rows = []
    for j, (p, share, width) in enumerate(zip(peaks, shares, widths, strict=True)):
        is_main = p == main
        rows.append(
            (
                k,
                j,
                "main" if is_main else "resolved",
                peak.peak_nm[k] if is_main else float(wavelength[p]),
                peak.fwhm_nm[k] if is_main else float(width),
                float(share),
            )
        )
    return rows


def resolved_bands(
    wavelength, spectra, smoothed: Smoothed, emission: Emission, peak: PeakWidth
) -> Bands:
    """
    Every resolved emission band of each spectrum (a loop over the spectra
    that have a second maximum above the noise only).
    """
    n = spectra.shape[0]
    smooth = smoothed.smooth
    trapezoid = np.gradient(wavelength)
    main = peak.peak_index
    min_width = max(2.0, smoothed.window / 2) if smoothed.window > 1 else 1.5
    candidates = _candidates(smooth, emission, main, max(smoothed.window, 2))
    outside = np.where(emission.has_emission, 0.0, np.nan)
    secondary_nm = np.full(n, np.nan)
    secondary_fraction = np.full(n, np.nan)
    n_bands = emission.has_emission.astype(int)
    rows = []
    for k in candidates:
        emitted = np.where(emission.mask[k], spectra[k], 0.0) * trapezoid
        peaks, shares = _row_bands(smooth[k], emission.smoothed_sigma(k),
                                   emission.mask[k], emitted, main[k],
                                   min_width)  # fmt: skip
        if peaks.size < 2:
            continue
        is_main = peaks == main[k]
        n_bands[k] = peaks.size
        outside[k] = 1.0 - float(shares[is_main][0])
        best = int(np.argmax(np.where(is_main, -np.inf, shares)))
        secondary_nm[k] = wavelength[peaks[best]]
        secondary_fraction[k] = shares[best]
        rows += _band_rows(k, peaks, shares, smooth[k], main[k], wavelength, peak)
    single = np.flatnonzero(emission.has_emission & (n_bands == 1))
    return Bands(_table(rows, single, peak), n_bands, outside, secondary_nm,
                 secondary_fraction)  # fmt: skip


def _table(rows: list, single: np.ndarray, peak: PeakWidth) -> pd.DataFrame:
    """The bands table: ``rows`` of the spectra with several bands and one
    "main" row for each spectrum in ``single``, by spectrum and band (built
    as columns: two frames concatenated and sorted cost 4× more)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(BAND_COLUMNS)
    spectrum = np.concatenate([np.array(columns[0], dtype=np.int64), single])
    band = np.concatenate([np.array(columns[1], dtype=np.int64),
                           np.zeros(single.size, dtype=np.int64)])  # fmt: skip
    order = np.lexsort((band, spectrum))
    kind = np.array([*columns[2], *["main"] * single.size], dtype=str)
    values = {
        "peak_nm": peak.peak_nm[single],
        "fwhm_nm": peak.fwhm_nm[single],
        "fraction": np.ones(single.size),
    }
    table = {"spectrum": spectrum[order], "band": band[order], "kind": kind[order]}
    for at, name in enumerate(("peak_nm", "fwhm_nm", "fraction"), start=3):
        joined = np.concatenate([np.array(columns[at], dtype=float), values[name]])
        table[name] = joined[order]
    return pd.DataFrame(table)


def stack_bands(parts: list[Bands]) -> Bands:
    """The bands of consecutive blocks of rows as one (spectrum numbers
    counted over all the blocks)."""
    if len(parts) == 1:
        return parts[0]
    tables, start = [], 0
    for part in parts:
        table = part.table
        if start and len(table):
            table = table.assign(spectrum=table["spectrum"] + start)
        tables.append(table)
        start += part.n_bands.size
    nonempty = [table for table in tables if len(table)] or tables[:1]
    return Bands(
        pd.concat(nonempty, ignore_index=True),
        *(
            np.concatenate([getattr(part, name) for part in parts])
            for name in (
                "n_bands",
                "outside_main_fraction",
                "secondary_nm",
                "secondary_fraction",
            )
        ),
    )
