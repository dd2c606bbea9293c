"""
How the colour of a device moves over a series of EL spectra.

Every quantity compares a spectrum with the series' reference spectrum (the
first with emission, or one the user picks), against the noise
(docs/methods.md §2b): peak shift, FWHM change and Δu'v' as measured with
their σ and as smoothed trends with standard errors, the drift rate, where
the peak shift crosses a threshold and stays beyond it, the emission outside
the reference's peak ± k·FWHM, every band and where a second band appears,
and the normalised difference spectra.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from core.models import SpectralSeries
from core.spectra import BAND_COLUMNS, SpectralAnalysis, analyse_spectra
from core.spectra.chunks import map_row_chunks, masked_products, run_aside
from core.stability.result import StabilityResult
from core.stability.selection import Selection, select_spectra
from core.stability.shoulders import persistent_from, shoulder_bands
from core.stability.trend import (
    NOISE_K,
    Trend,
    linear_trend,
    local_linear,
    planar_within_noise,
    smoothed_change,
    threshold_crossing,
)

__all__ = ["series_stability", "combined_metrics", "combined_bands", "peak_window_nm"]


def _no_trend(n: int) -> Trend:
    empty = np.full(n, np.nan)
    return Trend(np.nan, np.nan, np.nan, np.nan, None, empty, empty.copy())


def _far_end(used: np.ndarray, position: int) -> int:
    """Position (in ``used``) of the included spectrum farthest from the
    reference in series order: the last one, or the first if the reference
    is last."""
    return used.size - 1 if position != used.size - 1 else 0


def _trend(axis, values, sd, used, reference, k) -> Trend:
    """Linear trend and smoothed change of one metric over ``used`` spectra."""
    n = values.size
    used = used[np.isfinite(values[used])]
    if reference not in used or used.size < 2 or np.ptp(axis[used]) == 0:
        return _no_trend(n)
    position = int(np.flatnonzero(used == reference)[0])
    slope, stderr, _ = linear_trend(axis[used], values[used], sd[used])
    smooth, se = local_linear(axis[used], values[used], sd[used])
    change, change_se = smoothed_change(smooth, se, position)
    trajectory, trajectory_se = np.full(n, np.nan), np.full(n, np.nan)
    trajectory[used], trajectory_se[used] = change, change_se
    far = _far_end(used, position)
    within: bool | None = bool(abs(change[far]) <= k * change_se[far])
    if not (np.isfinite(change[far]) and np.isfinite(change_se[far])):
        within = None
    return Trend(slope, stderr, float(change[far]), float(change_se[far]),
                 within, trajectory, trajectory_se)  # fmt: skip


def _uv_trend(axis, frame, used, reference, k) -> tuple[Trend, float]:
    """Smoothed Δu'v' from the reference, and the scatter's scale (≥ 1)."""
    u, v = frame["u_prime"].to_numpy(), frame["v_prime"].to_numpy()
    su, sv = frame["u_prime_sd"].to_numpy(), frame["v_prime_sd"].to_numpy()
    n = u.size
    used = used[np.isfinite(u[used]) & np.isfinite(v[used])]
    if reference not in used or used.size < 2 or np.ptp(axis[used]) == 0:
        return _no_trend(n), 1.0
    position = int(np.flatnonzero(used == reference)[0])
    parts, scales = [], []
    for values, sd in ((u, su), (v, sv)):
        smooth, se = local_linear(axis[used], values[used], sd[used])
        parts.append(smoothed_change(smooth, se, position))
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.abs(values[used] - smooth) / sd[used]
        scales.append(1.4826 * np.nanmedian(ratio) if used.size >= 5 else 1.0)
    (du, se_u), (dv, se_v) = parts
    distance = np.hypot(du, dv)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.hypot(du * se_u, dv * se_v) / distance
    se = np.where(distance > 0, se, np.sqrt((se_u**2 + se_v**2) / 2))
    far = _far_end(used, position)
    within = planar_within_noise(du[far], dv[far], se_u[far], se_v[far], k)
    trajectory, trajectory_se = np.full(n, np.nan), np.full(n, np.nan)
    trajectory[used], trajectory_se[used] = distance, se
    trend = Trend(np.nan, np.nan, float(distance[far]), float(se[far]), within,
                  trajectory, trajectory_se)  # fmt: skip
    return trend, max(1.0, float(np.nanmax(scales)))


def _uv_noise_floor(frame, used, reference, scale) -> float:
    """The largest Δu'v' that noise alone would give over the series."""
    others = used[used != reference]
    if others.size == 0:
        return np.nan
    su, sv = frame["u_prime_sd"].to_numpy(), frame["v_prime_sd"].to_numpy()
    sigma = np.sqrt(su[others] ** 2 + sv[others] ** 2 + su[reference] ** 2
                    + sv[reference] ** 2)  # fmt: skip
    # E[max |Δ|] of n Rayleigh distances: σ·√(ln n) (σ·√π/2 for one).
    factor = max(math.sqrt(math.log(others.size)), math.sqrt(math.pi) / 2)
    if not np.isfinite(sigma).any():
        return np.nan
    return float(scale * np.nanmedian(sigma) * factor)


def _measured(frame, reference) -> None:
    """
    Δpeak, ΔFWHM (with σ) and Δu'v' from the reference, as measured, for
    every spectrum that has them (those left out are drawn, marked as such;
    no figure of the series uses them).
    """
    for column in ("peak_nm", "fwhm_nm"):
        values, sd = frame[column].to_numpy(), frame[f"{column}_sd"].to_numpy()
        delta_sd = np.hypot(sd, sd[reference])
        delta_sd[reference] = 0.0
        frame[f"delta_{column}"] = values - values[reference]
        frame[f"delta_{column}_sd"] = delta_sd
    uv = frame[["u_prime", "v_prime"]].to_numpy()
    frame["delta_u_prime_v_prime"] = np.hypot(*(uv - uv[reference]).T)


def _outside_window(analysis: SpectralAnalysis, included, reference, k):
    """Share of each spectrum's emission outside the reference's peak ±
    k·FWHM, and that window."""
    wavelength = analysis.wavelength_nm
    peak = analysis.peak.peak_nm[reference]
    fwhm = analysis.peak.fwhm_nm[reference]
    if not (np.isfinite(peak) and np.isfinite(fwhm)):
        return np.full(included.size, np.nan), (np.nan, np.nan)
    window = (peak - k * fwhm, peak + k * fwhm)
    inside = (wavelength >= window[0]) & (wavelength <= window[1])
    trapezoid = np.gradient(wavelength)
    sums = masked_products(analysis.spectra, analysis.emission.mask,
                           np.c_[trapezoid, trapezoid * inside])  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        outside = 1.0 - sums[:, 1] / sums[:, 0]
    outside = np.where(included & (sums[:, 0] > 0), np.clip(outside, 0, 1), np.nan)
    return outside, (float(window[0]), float(window[1]))


def _difference(analysis: SpectralAnalysis, included, reference) -> np.ndarray:
    """Spectra over their peak height minus the reference (NaN when left out)."""
    height = np.where(analysis.peak.height > 0, analysis.peak.height, np.nan)
    height = height.astype(np.float32)[:, None]
    spectra = analysis.spectra
    # float32 (7 digits for a map drawn in colour): half the time and memory
    # of a float64 (N, W) array, 15 MB for a 10-hour series.
    normalised = np.empty(spectra.shape, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        shape = np.divide(spectra[reference], height[reference], dtype=np.float32)

        def block(start: int, stop: int) -> None:
            rows = normalised[start:stop]
            np.divide(spectra[start:stop], height[start:stop], out=rows,
                      dtype=np.float32)  # fmt: skip
            rows -= shape

        map_row_chunks(block, spectra.shape[0])
    normalised[~included] = np.nan
    return normalised


def _bands(analysis, series, selection: Selection, frame, search):
    """Every band (resolved and shoulders: ``search`` is the future of the
    shoulder search) and where a second band stays."""
    shoulders, searched = search.result()
    frames = [f for f in (analysis.bands.table, shoulders) if len(f)]
    table = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=list(BAND_COLUMNS)))  # fmt: skip
    table = table.sort_values(["spectrum", "peak_nm"], ignore_index=True)
    table["band"] = table.groupby("spectrum").cumcount()
    table.insert(1, "axis", series.axis[table["spectrum"].to_numpy(dtype=int)])
    others = table[table.kind != "main"]
    second = np.zeros(series.n_spectra, dtype=bool)
    second[others["spectrum"].to_numpy(dtype=int)] = True
    frame["second_band"] = second
    start = persistent_from(second, selection.included & searched)
    resolved = frame["secondary_peak_detected"].to_numpy(dtype=bool)
    first_resolved = persistent_from(resolved, selection.included)
    position = np.nan
    if start >= 0:
        later = others[others.spectrum >= start]
        strongest = later.sort_values("fraction").groupby("spectrum").tail(1)
        position = float(np.median(strongest["peak_nm"]))
    return table, start, first_resolved, position


def _frame(series, analysis: SpectralAnalysis, selection: Selection) -> pd.DataFrame:
    frame = analysis.frame.copy()
    frame.insert(0, "axis", series.axis)
    frame.insert(1, "spectrum", np.arange(series.n_spectra))
    frame.insert(2, "included", selection.included)
    frame.insert(3, "exclusion", selection.reason)
    frame.insert(4, "reference", np.arange(series.n_spectra) == selection.reference)
    return frame


def _axis_at(axis, index: int) -> float:
    return float(axis[index]) if index >= 0 else np.nan


def _nanmax_abs(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.max(np.abs(finite))) if finite.size else np.nan


def _last_value(column: np.ndarray, included) -> float:
    used = np.flatnonzero(included)
    return float(column[used[-1]]) if used.size else np.nan


def _trend_warnings(n_used: int, warnings: list) -> None:
    if n_used < 3:
        warnings.append(
            "Drift rate not determined: it needs at least 3 spectra with a peak "
            "at different axis values."
        )
    elif n_used < 5:
        warnings.append(
            f"Only {n_used} spectra: standard errors come from each spectrum's "
            "noise, not from the scatter of the series."
        )


def _selection_warnings(
    selection: Selection, axis, unit, chosen: bool, warnings: list
) -> None:
    reasons = pd.Series(selection.reason[~selection.included])
    for reason, count in reasons.value_counts().items():
        warnings.append(f"{count} spectra left out of the stability metrics: "
                        f"{reason}.")  # fmt: skip
    if selection.reference < 0:
        warnings.append("No spectrum is left with emission: nothing to compare.")
    elif selection.reference > 0 or chosen:
        where = f"{axis[selection.reference]:g} {unit}".strip()
        how = "chosen by the user" if chosen else "the first one left in"
        warnings.append(f"Reference: spectrum {selection.reference} (axis {where}), "
                        f"{how}.")  # fmt: skip


def series_stability(
    series: SpectralSeries,
    *,
    threshold_nm: float = 1.0,
    window_k: float = 2.0,
    baseline: str = "edges",
    white_point: str = "E",
    reference: int | float | None = None,
    exclude: Iterable[int] = (),
    exclude_axis_range: tuple[float, float] | None = None,
    colour_window_fwhm: float | None = None,
    noise_k: float = NOISE_K,
) -> StabilityResult:
    """
    Spectral stability of a series against its reference spectrum.

    Parameters
    ----------
    series : SpectralSeries
        N ≥ 1 spectra ordered along their axis.
    threshold_nm : float
        Peak shift that counts as a colour shift (default 1 nm). [nm]
    window_k : float
        Half-width of the reference's window in FWHM (peak ± k·FWHM) for
        the emission outside it.
    baseline, white_point
        Passed to :func:`core.spectra.spectral_metrics`.
    reference : None, int or float
        None: the first spectrum with emission that is not excluded; an int:
        that spectrum's index; a float: the spectrum at that axis value.
    exclude : iterable of int
        Spectrum indices (0-based) to leave out.
    exclude_axis_range : (low, high), optional
        Leave out the spectra with low ≤ axis ≤ high.
    colour_window_fwhm : float, optional
        Opt-in colour window (peak ± K·FWHM); None: all the emission.
    noise_k : float
        A change is "within noise" when smaller than ``noise_k`` standard
        errors; the confidence band of the threshold crossing is ±noise_k SE.

    Returns
    -------
    StabilityResult

    Raises
    ------
    core.errors.InputError
        An excluded index outside the series or an unusable reference.
    """
    analysis = analyse_spectra(series.wavelength_nm, series.intensity,
                               baseline=baseline, white_point=white_point,
                               window_fwhm=colour_window_fwhm)  # fmt: skip
    selection = select_spectra(
        series.axis,
        analysis.frame["has_emission"].to_numpy(),
        has_peak=analysis.frame["peak_nm"].notna().to_numpy(),
        reference=reference,
        exclude=exclude,
        exclude_axis_range=exclude_axis_range,
        axis_unit=series.axis_unit,
    )
    options = dict(threshold_nm=threshold_nm, window_k=window_k, noise_k=noise_k,
                   colour_window_fwhm=colour_window_fwhm,
                   chosen=reference is not None)  # fmt: skip
    return _result(series, analysis, selection, options)


def _result(series, analysis, selection: Selection, options: dict):
    """Every figure of :func:`series_stability` from the analysis."""
    frame = _frame(series, analysis, selection)
    warnings = list(analysis.frame.attrs.get("warnings", []))
    _selection_warnings(selection, series.axis, series.axis_unit,
                        options["chosen"], warnings)  # fmt: skip
    included, ref, axis = selection.included, selection.reference, series.axis
    if ref < 0:
        return _empty_result(series, frame, options, warnings)
    # The shoulder search needs only the analysis: it runs beside the rest.
    search = run_aside(shoulder_bands, analysis, included, ref)
    k = options["noise_k"]
    _measured(frame, ref)
    used = np.flatnonzero(included)
    sd = {c: frame[f"{c}_sd"].to_numpy() for c in ("peak_nm", "fwhm_nm")}
    peak = _trend(axis, frame.peak_nm.to_numpy(), sd["peak_nm"], used, ref, k)
    fwhm = _trend(axis, frame.fwhm_nm.to_numpy(), sd["fwhm_nm"], used, ref, k)
    uv, scale = _uv_trend(axis, frame, used, ref, k)
    for name, trend in (("peak_trend_nm", peak), ("fwhm_trend_nm", fwhm),
                        ("delta_uv_trend", uv)):  # fmt: skip
        frame[name], frame[f"{name}_se"] = trend.smooth, trend.smooth_se
    crossing = threshold_crossing(axis[used], peak.smooth[used],
                                  peak.smooth_se[used], options["threshold_nm"],
                                  k) if used.size >= 2 else (np.nan,) * 3  # fmt: skip
    outside, window = _outside_window(analysis, included, ref, options["window_k"])
    frame["outside_fraction"] = outside
    table, second, first_resolved, second_nm = _bands(analysis, series, selection,
                                                      frame, search)  # fmt: skip
    _trend_warnings(used.size, warnings)
    delta_peak, delta_fwhm, delta_uv = (
        np.where(included, frame[c].to_numpy(), np.nan)
        for c in ("delta_peak_nm", "delta_fwhm_nm", "delta_u_prime_v_prime")
    )
    last = used[-1]
    return StabilityResult(
        metrics=frame,
        peak_shift_nm=_last_value(delta_peak, included),
        max_abs_peak_shift_nm=_nanmax_abs(delta_peak),
        fwhm_change_nm=_last_value(delta_fwhm, included),
        max_abs_fwhm_change_nm=_nanmax_abs(delta_fwhm),
        max_delta_u_prime_v_prime=_nanmax_abs(delta_uv),
        drift_rate_nm_per_unit=peak.slope if used.size >= 3 else np.nan,
        drift_rate_stderr=peak.slope_stderr if used.size >= 3 else np.nan,
        axis_at_threshold=crossing[0],
        threshold_nm=float(options["threshold_nm"]),
        max_outside_fraction=_nanmax_abs(outside),
        window_nm=window,
        secondary_peak_detected=first_resolved >= 0,
        first_secondary_peak_axis=_axis_at(axis, first_resolved),
        difference_spectra=_difference(analysis, included, ref),
        peak=peak,
        fwhm=fwhm,
        delta_uv=uv,
        peak_shift_sd_nm=float(frame["delta_peak_nm_sd"].iloc[last]),
        fwhm_change_sd_nm=float(frame["delta_fwhm_nm_sd"].iloc[last]),
        max_delta_u_prime_v_prime_noise=_uv_noise_floor(frame, used, ref, scale),
        axis_at_threshold_range=(crossing[1], crossing[2]),
        second_band_axis=_axis_at(axis, second),
        second_band_nm=second_nm,
        bands=table,
        reference_index=int(ref),
        reference_axis=float(axis[ref]),
        n_included=int(used.size),
        noise_k=float(k),
        window_k=float(options["window_k"]),
        colour_window_fwhm=options["colour_window_fwhm"],
        axis_name=series.axis_name,
        axis_unit=series.axis_unit,
        warnings=warnings,
    )


def _empty_result(series, frame, options, warnings) -> StabilityResult:
    """No spectrum with emission is left: every figure is NaN."""
    n = series.n_spectra
    for column in ("delta_peak_nm", "delta_peak_nm_sd", "delta_fwhm_nm",
                   "delta_fwhm_nm_sd", "delta_u_prime_v_prime", "outside_fraction",
                   "peak_trend_nm", "peak_trend_nm_se", "fwhm_trend_nm",
                   "fwhm_trend_nm_se", "delta_uv_trend",
                   "delta_uv_trend_se"):  # fmt: skip
        frame[column] = np.nan
    frame["second_band"] = False
    return StabilityResult(
        metrics=frame, peak_shift_nm=np.nan, max_abs_peak_shift_nm=np.nan,
        fwhm_change_nm=np.nan, max_abs_fwhm_change_nm=np.nan,
        max_delta_u_prime_v_prime=np.nan, drift_rate_nm_per_unit=np.nan,
        drift_rate_stderr=np.nan, axis_at_threshold=np.nan,
        threshold_nm=float(options["threshold_nm"]), max_outside_fraction=np.nan,
        window_nm=(np.nan, np.nan), secondary_peak_detected=False,
        first_secondary_peak_axis=np.nan,
        difference_spectra=np.full((n, series.wavelength_nm.size), np.nan),
        peak=_no_trend(n), fwhm=_no_trend(n), delta_uv=_no_trend(n),
        bands=pd.DataFrame(columns=["spectrum", "axis", *BAND_COLUMNS[1:]]),
        noise_k=float(options["noise_k"]), window_k=float(options["window_k"]),
        colour_window_fwhm=options["colour_window_fwhm"],
        axis_name=series.axis_name, axis_unit=series.axis_unit, warnings=warnings,
    )  # fmt: skip


def combined_metrics(results: Mapping[str, StabilityResult]) -> pd.DataFrame:
    """
    The per-spectrum metrics of several devices in one table.

    Parameters
    ----------
    results : mapping of str to StabilityResult
        Device name -> its result.

    Returns
    -------
    pandas.DataFrame
        Every result's ``metrics`` with a ``device`` column, in the mapping's
        order.
    """
    return pd.concat(
        [result.metrics.assign(device=name) for name, result in results.items()],
        ignore_index=True,
    )


def combined_bands(results: Mapping[str, StabilityResult]) -> pd.DataFrame:
    """
    The emission bands of several devices in one table (a ``device`` column
    first), in the mapping's order.
    """
    frames = [r.bands.assign(device=n) for n, r in results.items() if len(r.bands)]
    if not frames:
        return pd.DataFrame(columns=["device", "spectrum", "axis", *BAND_COLUMNS[1:]])
    table = pd.concat(frames, ignore_index=True)
    return table[["device", *[c for c in table.columns if c != "device"]]]


def peak_window_nm(
    series: SpectralSeries, result: StabilityResult, k: float = 4.0
) -> tuple[float, float]:
    """
    Median peak ± k × median FWHM of a series, within its wavelength range.

    The wavelength window that shows a series' emission line and its changes;
    the whole measured range when the series has no finite peak or FWHM.

    Parameters
    ----------
    series : SpectralSeries
    result : StabilityResult
        :func:`series_stability` of ``series``.
    k : float
        Half-width in FWHMs. [-]

    Returns
    -------
    tuple of float
        (first, last) wavelength. [nm]
    """
    wavelength = series.wavelength_nm
    peak = result.metrics.peak_nm.median()
    fwhm = result.metrics.fwhm_nm.median()
    if not (np.isfinite(peak) and np.isfinite(fwhm)):
        return float(wavelength[0]), float(wavelength[-1])
    return (
        float(max(wavelength[0], peak - k * fwhm)),
        float(min(wavelength[-1], peak + k * fwhm)),
    )
