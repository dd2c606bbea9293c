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

import copy
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from core.models import SpectralSeries
from core.spectra import BAND_COLUMNS, SpectralAnalysis, analyse_spectra
from core.spectra.chunks import masked_products, run_aside
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


#: Columns of the analysis that the stability pass reads.
_READ = ("peak_nm", "peak_nm_sd", "fwhm_nm", "fwhm_nm_sd", "u_prime", "v_prime",
         "u_prime_sd", "v_prime_sd")  # fmt: skip
#: Columns the stability pass adds to the analysis' table, in order.
_ADDED = ("delta_peak_nm", "delta_peak_nm_sd", "delta_fwhm_nm", "delta_fwhm_nm_sd",
          "delta_u_prime_v_prime", "peak_trend_nm", "peak_trend_nm_se",
          "fwhm_trend_nm", "fwhm_trend_nm_se", "delta_uv_trend",
          "delta_uv_trend_se", "outside_fraction")  # fmt: skip


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


def _uv_trend(axis, column, used, reference, k) -> tuple[Trend, float]:
    """Smoothed Δu'v' from the reference, and the scatter's scale (≥ 1)."""
    u, v = column["u_prime"], column["v_prime"]
    su, sv = column["u_prime_sd"], column["v_prime_sd"]
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


def _uv_noise_floor(column, used, reference, scale) -> float:
    """The largest Δu'v' that noise alone would give over the series."""
    others = used[used != reference]
    if others.size == 0:
        return np.nan
    su, sv = column["u_prime_sd"], column["v_prime_sd"]
    sigma = np.sqrt(su[others] ** 2 + sv[others] ** 2 + su[reference] ** 2
                    + sv[reference] ** 2)  # fmt: skip
    # E[max |Δ|] of n Rayleigh distances: σ·√(ln n) (σ·√π/2 for one).
    factor = max(math.sqrt(math.log(others.size)), math.sqrt(math.pi) / 2)
    if not np.isfinite(sigma).any():
        return np.nan
    return float(scale * np.nanmedian(sigma) * factor)


def _measured(column, reference) -> dict[str, np.ndarray]:
    """
    Δpeak, ΔFWHM (with σ) and Δu'v' from the reference, as measured, for
    every spectrum that has them (those left out are drawn, marked as such;
    no figure of the series uses them).
    """
    delta = {}
    for name in ("peak_nm", "fwhm_nm"):
        values, sd = column[name], column[f"{name}_sd"]
        delta_sd = np.hypot(sd, sd[reference])
        delta_sd[reference] = 0.0
        delta[f"delta_{name}"] = values - values[reference]
        delta[f"delta_{name}_sd"] = delta_sd
    u, v = column["u_prime"], column["v_prime"]
    delta["delta_u_prime_v_prime"] = np.hypot(u - u[reference], v - v[reference])
    return delta


def _outside_window(analysis: SpectralAnalysis, included, reference, k):
    """Share of each spectrum's emission outside the reference's peak ±
    k·FWHM, and that window."""
    wavelength = analysis.wavelength_nm
    peak = analysis.peak.peak_nm[reference]
    fwhm = analysis.peak.fwhm_nm[reference]
    if not (np.isfinite(peak) and np.isfinite(fwhm)):
        return np.full(included.size, np.nan), (np.nan, np.nan)
    window = (peak - k * fwhm, peak + k * fwhm)
    trapezoid = np.gradient(wavelength)[:, None]
    spectra, mask = analysis.spectra, analysis.emission.mask
    if analysis.frame.attrs.get("colour_window_fwhm") is None:
        total = analysis.colour.total  # colour was integrated over the mask
    else:
        total = masked_products(spectra, mask, trapezoid)[:, 0]
    # The window's pixels are one range of columns: only they are summed.
    low = int(np.searchsorted(wavelength, window[0], side="left"))
    high = int(np.searchsorted(wavelength, window[1], side="right"))
    inside = masked_products(spectra[:, low:high], mask[:, low:high],
                             trapezoid[low:high])[:, 0]  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        outside = 1.0 - inside / total
    outside = np.where(included & (total > 0), np.clip(outside, 0, 1), np.nan)
    return outside, (float(window[0]), float(window[1]))


def _bands(analysis, series, selection: Selection, search):
    """Every band (resolved and shoulders: ``search`` is the future of the
    shoulder search), which spectra have a second one, where it stays and
    where a resolved second peak stays."""
    shoulders, searched = search.result()
    frames = [f for f in (analysis.bands.table, shoulders) if len(f)]
    table = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=list(BAND_COLUMNS)))  # fmt: skip
    spectrum = table["spectrum"].to_numpy(dtype=int)
    order = np.lexsort((table["peak_nm"].to_numpy(dtype=float), spectrum))
    table = table.take(order).reset_index(drop=True)
    spectrum = spectrum[order]
    # Bands numbered within each spectrum, in order of wavelength.
    position = np.arange(spectrum.size)
    first = np.ones(spectrum.size, dtype=bool)
    first[1:] = spectrum[1:] != spectrum[:-1]
    table["band"] = position - np.maximum.accumulate(np.where(first, position, 0))
    table.insert(1, "axis", series.axis[spectrum])
    other = table["kind"].to_numpy() != "main"
    second = np.zeros(series.n_spectra, dtype=bool)
    second[spectrum[other]] = True
    start = persistent_from(second, selection.included & searched)
    resolved = analysis.frame["secondary_peak_detected"].to_numpy(dtype=bool)
    first_resolved = persistent_from(resolved, selection.included)
    second_nm = np.nan
    if start >= 0:
        later = table[other & (spectrum >= start)]
        strongest = later.sort_values("fraction").groupby("spectrum").tail(1)
        second_nm = float(np.median(strongest["peak_nm"]))
    return table, second, start, first_resolved, second_nm


def _frame(series, analysis: SpectralAnalysis, selection: Selection,
           added: Mapping[str, np.ndarray]) -> pd.DataFrame:  # fmt: skip
    """The per-spectrum table: which spectrum, the analysis' metrics, then
    the columns ``added`` by the stability pass (built once: a column set
    on a DataFrame costs more than the arithmetic behind it)."""
    n = series.n_spectra
    head = pd.DataFrame({
        "axis": series.axis,
        "spectrum": np.arange(n),
        "included": selection.included,
        "exclusion": selection.reason,
        "reference": np.arange(n) == selection.reference,
    })  # fmt: skip
    frame = pd.concat([head, analysis.frame, pd.DataFrame(dict(added))], axis=1)
    frame.attrs = copy.deepcopy(analysis.frame.attrs)
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
    warnings = list(analysis.frame.attrs.get("warnings", []))
    _selection_warnings(selection, series.axis, series.axis_unit,
                        options["chosen"], warnings)  # fmt: skip
    included, ref, axis = selection.included, selection.reference, series.axis
    if ref < 0:
        return _empty_result(series, analysis, selection, options, warnings)
    # The shoulder search needs only the analysis: it runs beside the rest.
    search = run_aside(shoulder_bands, analysis, included, ref)
    k = options["noise_k"]
    column = {name: analysis.frame[name].to_numpy() for name in _READ}
    added = _measured(column, ref)
    used = np.flatnonzero(included)
    peak = _trend(axis, column["peak_nm"], column["peak_nm_sd"], used, ref, k)
    fwhm = _trend(axis, column["fwhm_nm"], column["fwhm_nm_sd"], used, ref, k)
    uv, scale = _uv_trend(axis, column, used, ref, k)
    for name, trend in (("peak_trend_nm", peak), ("fwhm_trend_nm", fwhm),
                        ("delta_uv_trend", uv)):  # fmt: skip
        added[name], added[f"{name}_se"] = trend.smooth, trend.smooth_se
    crossing = threshold_crossing(axis[used], peak.smooth[used],
                                  peak.smooth_se[used], options["threshold_nm"],
                                  k) if used.size >= 2 else (np.nan,) * 3  # fmt: skip
    outside, window = _outside_window(analysis, included, ref, options["window_k"])
    added["outside_fraction"] = outside
    table, added["second_band"], second, first_resolved, second_nm = _bands(
        analysis, series, selection, search
    )
    frame = _frame(series, analysis, selection, added)
    _trend_warnings(used.size, warnings)
    delta_peak, delta_fwhm, delta_uv = (
        np.where(included, added[c], np.nan)
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
        spectra=analysis.spectra,
        peak=peak,
        fwhm=fwhm,
        delta_uv=uv,
        peak_shift_sd_nm=float(added["delta_peak_nm_sd"][last]),
        fwhm_change_sd_nm=float(added["delta_fwhm_nm_sd"][last]),
        max_delta_u_prime_v_prime_noise=_uv_noise_floor(column, used, ref, scale),
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


def _empty_result(series, analysis, selection, options, warnings) -> StabilityResult:
    """No spectrum with emission is left: every figure is NaN."""
    n = series.n_spectra
    added = {column: np.full(n, np.nan) for column in _ADDED}
    added["second_band"] = np.zeros(n, dtype=bool)
    frame = _frame(series, analysis, selection, added)
    return StabilityResult(
        metrics=frame, peak_shift_nm=np.nan, max_abs_peak_shift_nm=np.nan,
        fwhm_change_nm=np.nan, max_abs_fwhm_change_nm=np.nan,
        max_delta_u_prime_v_prime=np.nan, drift_rate_nm_per_unit=np.nan,
        drift_rate_stderr=np.nan, axis_at_threshold=np.nan,
        threshold_nm=float(options["threshold_nm"]), max_outside_fraction=np.nan,
        window_nm=(np.nan, np.nan), secondary_peak_detected=False,
        first_secondary_peak_axis=np.nan,
        spectra=analysis.spectra,
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
