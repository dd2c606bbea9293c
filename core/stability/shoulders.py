"""
Shoulders and new bands found against the series' own reference spectrum.

``find_peaks`` sees only resolved maxima (an equal-width satellite needs
≥ 27.5 nm of separation, docs/methods.md §2). Here each spectrum is compared
with the reference shifted to its peak and stretched to its FWHM, scaled to
its main band: what stands above that by more than ``BAND_K`` σ, over at
least half a smoothing window and with at least ``MIN_BAND_SHARE`` of the
emission, is a band that the reference did not have. Series longer than
``MAX_ROWS`` are searched on evenly spaced spectra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.spectra import BAND_COLUMNS, BAND_K, MIN_BAND_SHARE, SpectralAnalysis
from core.spectra.chunks import map_row_chunks
from core.spectra.runs import find_runs

__all__ = ["MAX_ROWS", "shoulder_bands", "persistent_from"]

#: At most this many spectra are searched for shoulders. [-]
MAX_ROWS = 400


def _warped(wavelength, curve, ref_peak, ref_fwhm, peak, fwhm) -> np.ndarray:
    """The reference curve shifted to each peak and stretched to each FWHM."""
    with np.errstate(invalid="ignore", divide="ignore"):
        stretch = np.clip(np.nan_to_num(fwhm / ref_fwhm, nan=1.0), 0.67, 1.5)
    source = ref_peak + (wavelength[None, :] - peak[:, None]) / stretch[:, None]
    return np.interp(source, wavelength, curve, left=0.0, right=0.0)


def shoulder_bands(
    analysis: SpectralAnalysis, included, reference: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """
    Bands that stand above the reference spectrum (kind "shoulder").

    Parameters
    ----------
    analysis : SpectralAnalysis
        :func:`core.spectra.analyse_spectra` of the series.
    included : numpy.ndarray
        (N,) bool, the spectra in use.
    reference : int
        Index of the reference spectrum.

    Returns
    -------
    table : pandas.DataFrame
        :data:`core.spectra.BAND_COLUMNS` rows (``band`` −1 until numbered).
    searched : numpy.ndarray
        (N,) bool, the spectra searched (all included ones up to
        :data:`MAX_ROWS`, evenly spaced ones beyond; the reference too).
    """
    searched = np.zeros(len(included), dtype=bool)
    used = np.flatnonzero(included)
    if used.size > MAX_ROWS:
        used = used[np.unique(np.linspace(0, used.size - 1, MAX_ROWS).astype(int))]
    searched[used] = True
    if reference >= 0:
        searched[reference] = True
    used = used[used != reference]
    if used.size == 0 or reference < 0:
        return pd.DataFrame(columns=list(BAND_COLUMNS)), searched
    table = analysis.bands.table
    resolved = (table["kind"] != "main").to_numpy()
    taken: dict[int, list[float]] = {}
    spectrum = table["spectrum"].to_numpy()[resolved].tolist()
    position = table["peak_nm"].to_numpy()[resolved].tolist()
    for k, nm in zip(spectrum, position, strict=True):
        taken.setdefault(int(k), []).append(nm)
    parts = map_row_chunks(
        lambda start, stop: _block_shoulders(
            analysis, used[start:stop], reference, taken
        ),  # fmt: skip
        used.size,
    )
    rows = [row for part in parts for row in part]
    return pd.DataFrame(rows, columns=list(BAND_COLUMNS)), searched


def _block_shoulders(analysis: SpectralAnalysis, used, reference: int, taken) -> list:
    """Shoulder rows of the spectra ``used`` (a block of the searched ones)."""
    wavelength, peak = analysis.wavelength_nm, analysis.peak
    smooth = analysis.smoothed.smooth
    emission = analysis.emission
    warped = _warped(wavelength, smooth[reference], peak.peak_nm[reference],
                     peak.fwhm_nm[reference], peak.peak_nm[used],
                     peak.fwhm_nm[used])  # fmt: skip
    main = np.abs(wavelength[None, :] - peak.peak_nm[used, None]) <= np.nan_to_num(
        peak.fwhm_nm[used, None], nan=0.0
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sum(main * smooth[used] * warped, axis=1) / np.sum(
            main * warped**2, axis=1
        )
        scale = np.nan_to_num(scale)
        residual = smooth[used] - scale[:, None] * warped
        # √(a² + b²) in float64: numpy's hypot (libm's) is 10× slower here,
        # and σ² cannot overflow a float64.
        noise = np.square(emission.smoothed_sigma(used), dtype=float)
        noise += np.square(scale[:, None] * emission.smoothed_sigma(reference))
        np.sqrt(noise, out=noise)
        z = np.where(noise > 0, residual / noise, 0.0)
    window = analysis.smoothed.window
    min_width = max(2, window // 2) if window > 1 else 2
    # The runs of z > BAND_K inside the mask, of every spectrum at once; only
    # the few long enough are looked at one by one.
    starts, ends = find_runs((z > BAND_K) & emission.mask[used])
    long = ends - starts >= min_width
    starts, ends = starts[long], ends[long]
    line = wavelength.size + 1
    trapezoid = np.gradient(wavelength)
    totals: dict[int, float] = {}
    rows: list = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        j, a = divmod(start, line)
        k = int(used[j])
        if j not in totals:
            emitted = np.where(emission.mask[k], analysis.spectra[k], 0.0)
            totals[j] = float(emitted @ trapezoid)
        run = slice(a, end - j * line)
        row = _shoulder_row(k, residual[j, run], wavelength[run], trapezoid[run],
                            totals[j], taken.get(k, []))  # fmt: skip
        if row is not None:
            rows.append(row)
    return rows


def _shoulder_row(k, part, span, trapezoid, total, taken):
    """The bands-table row of one run of spectrum ``k`` above the reference
    (its residual ``part`` over the wavelengths ``span``), or None when it
    holds too little of the emission or a resolved band (in ``taken``)."""
    share = float(part @ trapezoid) / total if total > 0 else 0.0
    if share < MIN_BAND_SHARE or any(span[0] <= p <= span[-1] for p in taken):
        return None
    top = int(np.argmax(part))
    half = span[part >= part[top] / 2]
    return (k, -1, "shoulder", float(span[top]), float(np.ptp(half)), share)


def persistent_from(flags, included, share: float = 0.8) -> int:
    """
    First included spectrum from which ``flags`` holds in at least ``share``
    of the remaining included spectra (and holds there); -1 if none.
    """
    flags = np.asarray(flags, dtype=bool)[included]
    if not flags.any():
        return -1
    remaining = np.arange(flags.size, 0, -1)
    fraction = np.cumsum(flags[::-1])[::-1] / remaining
    start = np.flatnonzero(flags & (fraction >= share))
    return int(np.flatnonzero(included)[start[0]]) if start.size else -1
