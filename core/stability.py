"""
How the colour of a device moves over a series of EL spectra.

Every quantity compares a spectrum with the device's own first spectrum
(docs/methods.md §2): peak shift, FWHM change, Δu'v', the drift rate, when the peak
first moved by more than a threshold, the fraction of emission outside the
first spectrum's peak ± k·FWHM window, when a second peak first appears, and
the normalised difference spectra that show shoulders ``find_peaks`` misses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from core.models import SpectralSeries
from core.spectra import baseline_corrected, spectral_metrics

__all__ = [
    "StabilityResult",
    "series_stability",
    "STABILITY_KEYS",
    "combined_metrics",
    "peak_window_nm",
]

#: Keys of the CLI's "stability" object (docs/architecture.md).
STABILITY_KEYS = (
    "peak_shift_nm",
    "max_abs_peak_shift_nm",
    "fwhm_change_nm",
    "max_abs_fwhm_change_nm",
    "max_delta_u_prime_v_prime",
    "secondary_peak_detected",
)


@dataclass(frozen=True)
class StabilityResult:
    """
    Drift of a spectral series relative to its first spectrum.

    Attributes
    ----------
    metrics : pandas.DataFrame
        :func:`core.spectra.spectral_metrics` per spectrum plus ``axis``,
        ``delta_peak_nm``, ``delta_fwhm_nm``, ``delta_u_prime_v_prime`` and
        ``outside_fraction`` (emission outside the first window) columns.
    peak_shift_nm : float
        Last minus first peak. [nm]
    max_abs_peak_shift_nm : float
        Largest |peak − first peak|. [nm]
    fwhm_change_nm : float
        Last minus first FWHM. [nm]
    max_abs_fwhm_change_nm : float
        Largest |FWHM − first FWHM|. [nm]
    max_delta_u_prime_v_prime : float
        Largest distance in u'v' from the first spectrum. [-]
    drift_rate_nm_per_unit : float
        Slope of a least-squares line of peak against the axis. [nm / axis unit]
    drift_rate_stderr : float
        Standard error of that slope. [nm / axis unit]
    axis_at_threshold : float
        First axis value where |Δpeak| > ``threshold_nm`` (NaN if never).
    threshold_nm : float
        The threshold used. [nm]
    max_outside_fraction : float
        Largest fraction of emission outside the first window. [-]
    window_nm : tuple
        The first spectrum's peak ± k·FWHM window. [nm]
    secondary_peak_detected : bool
        Whether any spectrum shows a resolved second emission peak.
    first_secondary_peak_axis : float
        Axis value of the first spectrum with a second peak (NaN if none).
    difference_spectra : numpy.ndarray
        (N, W) each spectrum normalised to its maximum minus the first one.
    axis_name, axis_unit : str
        Copied from the series.
    warnings : list of str
        What could not be determined and why.
    """

    metrics: pd.DataFrame
    peak_shift_nm: float
    max_abs_peak_shift_nm: float
    fwhm_change_nm: float
    max_abs_fwhm_change_nm: float
    max_delta_u_prime_v_prime: float
    drift_rate_nm_per_unit: float
    drift_rate_stderr: float
    axis_at_threshold: float
    threshold_nm: float
    max_outside_fraction: float
    window_nm: tuple[float, float]
    secondary_peak_detected: bool
    first_secondary_peak_axis: float
    difference_spectra: np.ndarray
    axis_name: str = "index"
    axis_unit: str = ""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The CLI's ``stability`` object plus the extra figures, JSON-ready."""
        keys = STABILITY_KEYS + (
            "drift_rate_nm_per_unit",
            "drift_rate_stderr",
            "axis_at_threshold",
            "threshold_nm",
            "max_outside_fraction",
            "first_secondary_peak_axis",
        )
        out: dict[str, object] = {}
        for key in keys:
            value = getattr(self, key)
            if isinstance(value, (bool, np.bool_)):
                out[key] = bool(value)
            else:
                value = float(value)
                out[key] = value if np.isfinite(value) else None
        out["window_nm"] = [float(v) for v in self.window_nm]
        out["axis_name"] = self.axis_name
        out["axis_unit"] = self.axis_unit
        return out


def _first_finite(values: np.ndarray) -> float:
    finite = np.flatnonzero(np.isfinite(values))
    return float(values[finite[0]]) if finite.size else np.nan


def _nanmax_abs(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.max(np.abs(finite))) if finite.size else np.nan


def series_stability(
    series: SpectralSeries,
    *,
    threshold_nm: float = 1.0,
    window_k: float = 2.0,
    baseline: str = "edges",
    white_point: str = "E",
    metrics: pd.DataFrame | None = None,
) -> StabilityResult:
    """
    Spectral stability of a series against its first spectrum.

    Parameters
    ----------
    series : SpectralSeries
        N ≥ 1 spectra ordered along their axis.
    threshold_nm : float
        |Δpeak| that counts as a colour shift (default 1 nm). [nm]
    window_k : float
        Half-width of the first spectrum's window in FWHM units (peak ± k·FWHM).
    baseline, white_point
        Passed to :func:`core.spectra.spectral_metrics`.
    metrics : pandas.DataFrame, optional
        Precomputed ``spectral_metrics`` of the same series (saves a pass).

    Returns
    -------
    StabilityResult
    """
    wavelength = series.wavelength_nm
    axis = series.axis
    if metrics is None:
        metrics = spectral_metrics(
            wavelength, series.intensity, baseline=baseline, white_point=white_point
        )
    warnings = list(metrics.attrs.get("warnings", []))
    frame = metrics.copy()
    frame.insert(0, "axis", axis)

    peak = frame["peak_nm"].to_numpy()
    fwhm = frame["fwhm_nm"].to_numpy()
    uv = frame[["u_prime", "v_prime"]].to_numpy()
    first_peak, first_fwhm = _first_finite(peak), _first_finite(fwhm)
    first_uv = uv[np.flatnonzero(np.all(np.isfinite(uv), axis=1))[:1]]
    delta_peak = peak - first_peak
    delta_fwhm = fwhm - first_fwhm
    if first_uv.size:
        delta_uv = np.hypot(uv[:, 0] - first_uv[0, 0], uv[:, 1] - first_uv[0, 1])
    else:
        delta_uv = np.full(len(frame), np.nan)
    frame["delta_peak_nm"] = delta_peak
    frame["delta_fwhm_nm"] = delta_fwhm
    frame["delta_u_prime_v_prime"] = delta_uv

    # Emission outside the first spectrum's window, on baseline-corrected data.
    corrected, _ = baseline_corrected(wavelength, series.intensity, baseline)
    corrected = np.nan_to_num(corrected)
    weights = np.gradient(wavelength)
    if np.isfinite(first_peak) and np.isfinite(first_fwhm):
        window = (
            first_peak - window_k * first_fwhm,
            first_peak + window_k * first_fwhm,
        )
        inside = (wavelength >= window[0]) & (wavelength <= window[1])
        total = corrected @ weights
        with np.errstate(invalid="ignore", divide="ignore"):
            outside = 1.0 - (corrected[:, inside] @ weights[inside]) / total
        outside = np.where(total > 0, outside, np.nan)
    else:
        window = (np.nan, np.nan)
        outside = np.full(len(frame), np.nan)
        warnings.append(
            "The first spectrum has no determined peak and FWHM: the emission "
            "outside its window cannot be computed."
        )
    frame["outside_fraction"] = outside

    maxima = corrected.max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = corrected / np.where(maxima > 0, maxima, np.nan)[:, None]
    difference = normalised - normalised[:1]

    valid = np.isfinite(peak) & np.isfinite(axis)
    if valid.sum() >= 3 and np.ptp(axis[valid]) > 0:
        fit = stats.linregress(axis[valid], peak[valid])
        slope, slope_error = float(fit.slope), float(fit.stderr)
    else:
        slope = slope_error = np.nan
        warnings.append(
            "Drift rate not determined: it needs at least 3 spectra with a peak "
            "at different axis values."
        )

    beyond = np.flatnonzero(np.abs(delta_peak) > threshold_nm)
    secondary = frame["secondary_peak_detected"].to_numpy(dtype=bool)
    n = len(frame)
    return StabilityResult(
        metrics=frame,
        peak_shift_nm=float(delta_peak[-1]) if n else np.nan,
        max_abs_peak_shift_nm=_nanmax_abs(delta_peak),
        fwhm_change_nm=float(delta_fwhm[-1]) if n else np.nan,
        max_abs_fwhm_change_nm=_nanmax_abs(delta_fwhm),
        max_delta_u_prime_v_prime=_nanmax_abs(delta_uv),
        drift_rate_nm_per_unit=slope,
        drift_rate_stderr=slope_error,
        axis_at_threshold=float(axis[beyond[0]]) if beyond.size else np.nan,
        threshold_nm=float(threshold_nm),
        max_outside_fraction=_nanmax_abs(outside),
        window_nm=(float(window[0]), float(window[1])),
        secondary_peak_detected=bool(secondary.any()),
        first_secondary_peak_axis=(
            float(axis[np.argmax(secondary)]) if secondary.any() else np.nan
        ),
        difference_spectra=difference,
        axis_name=series.axis_name,
        axis_unit=series.axis_unit,
        warnings=warnings,
    )


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
