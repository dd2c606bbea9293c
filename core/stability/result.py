"""The result of a stability analysis and its JSON form (the CLI contract)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.spectra.chunks import map_row_chunks
from core.stability.trend import Trend

__all__ = ["STABILITY_KEYS", "StabilityResult"]

#: Keys of the CLI's "stability" object (docs/architecture.md).
STABILITY_KEYS = (
    "peak_shift_nm",
    "max_abs_peak_shift_nm",
    "fwhm_change_nm",
    "max_abs_fwhm_change_nm",
    "max_delta_u_prime_v_prime",
    "secondary_peak_detected",
)

# The other scalar fields, in the order the JSON shows them.
_SCALARS = (
    "drift_rate_nm_per_unit",
    "drift_rate_stderr",
    "axis_at_threshold",
    "threshold_nm",
    "max_outside_fraction",
    "first_secondary_peak_axis",
    "peak_shift_sd_nm",
    "fwhm_change_sd_nm",
    "max_delta_u_prime_v_prime_noise",
    "peak_within_noise",
    "fwhm_within_noise",
    "u_prime_v_prime_within_noise",
    "second_band_axis",
    "second_band_nm",
    "reference_index",
    "reference_axis",
    "n_included",
    "noise_k",
    "window_k",
    "colour_window_fwhm",
)


def _json_value(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class StabilityResult:
    """
    Drift of a spectral series relative to its reference spectrum.

    Attributes
    ----------
    metrics : pandas.DataFrame
        :func:`core.spectra.spectral_metrics` per spectrum plus ``axis``,
        ``spectrum`` (index), ``included``, ``exclusion`` (why not),
        ``reference`` (bool), ``delta_peak_nm`` and ``delta_fwhm_nm`` with
        their ``_sd``, ``delta_u_prime_v_prime``, ``outside_fraction``
        (emission outside the reference's peak ± k·FWHM), the smoothed
        trajectories ``peak_trend_nm``, ``fwhm_trend_nm``,
        ``delta_uv_trend`` with their ``_se``, and ``second_band`` (bool).
    peak_shift_nm, fwhm_change_nm : float
        Last included minus reference (as measured). [nm]
    max_abs_peak_shift_nm, max_abs_fwhm_change_nm : float
        Largest |Δ| from the reference among included spectra. [nm]
    max_delta_u_prime_v_prime : float
        Largest distance in u'v' from the reference. [-]
    drift_rate_nm_per_unit, drift_rate_stderr : float
        Weighted linear trend of the peak and its robust standard error.
        [nm / axis unit]
    axis_at_threshold : float
        Axis value from which the smoothed peak shift stays beyond
        ``threshold_nm`` to the end, confirmed by its confidence band (NaN if
        not). ``axis_at_threshold_range`` holds the band's (early, late).
    threshold_nm : float
    max_outside_fraction : float
        Largest share of the emission outside the reference's peak ±
        ``window_k``·FWHM. [-]
    window_nm : tuple
        That window. [nm]
    secondary_peak_detected : bool
        Whether a resolved second band appears and stays.
    first_secondary_peak_axis : float
        Where it appears (NaN if never).
    difference_spectra : numpy.ndarray
        (N, W) each spectrum normalised to its maximum minus the reference,
        NaN for the spectra left out (float32: it is drawn, never compared).
        Computed when first read (only a figure reads it; 3600 × 1024:
        ~3 ms and 15 MB).
    peak, fwhm : Trend
        Trends of peak and FWHM relative to the reference. [nm]
    delta_uv : Trend
        Smoothed distance in u'v' from the reference (``slope`` NaN).
    peak_shift_sd_nm, fwhm_change_sd_nm : float
        σ of the measured shifts from the two spectra's noise. [nm]
    max_delta_u_prime_v_prime_noise : float
        The largest Δu'v' that noise alone would give over the series. [-]
    peak_within_noise, fwhm_within_noise, u_prime_v_prime_within_noise
        The trend's change is smaller than ``noise_k`` standard errors
        (None when not determined).
    second_band_axis, second_band_nm : float
        Where a second band (resolved or a shoulder) appears and stays, and
        its typical position (NaN if none).
    bands : pandas.DataFrame
        Every band of every spectrum (:data:`core.spectra.BAND_COLUMNS`;
        kind "main", "resolved" or "shoulder").
    reference_index, reference_axis : int, float
        The reference spectrum (-1 / NaN when none has emission).
    n_included : int
    noise_k, window_k : float
    colour_window_fwhm : float or None
        The opt-in colour window (None: all the emission).
    axis_name, axis_unit : str
    warnings : list of str
    spectra : numpy.ndarray or None
        (N, W) the baseline-corrected spectra the metrics were computed from.
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
    peak: Trend
    fwhm: Trend
    delta_uv: Trend
    peak_shift_sd_nm: float = np.nan
    fwhm_change_sd_nm: float = np.nan
    max_delta_u_prime_v_prime_noise: float = np.nan
    axis_at_threshold_range: tuple[float, float] = (np.nan, np.nan)
    second_band_axis: float = np.nan
    second_band_nm: float = np.nan
    bands: pd.DataFrame = field(default_factory=pd.DataFrame)
    reference_index: int = -1
    reference_axis: float = np.nan
    n_included: int = 0
    noise_k: float = 2.0
    window_k: float = 2.0
    colour_window_fwhm: float | None = None
    axis_name: str = "index"
    axis_unit: str = ""
    warnings: list[str] = field(default_factory=list)
    spectra: np.ndarray | None = field(default=None, repr=False)

    @functools.cached_property
    def difference_spectra(self) -> np.ndarray:
        return self.difference_rows()

    def difference_rows(self, rows=slice(None)) -> np.ndarray:
        """
        Rows of :attr:`difference_spectra` (e.g. the few a figure draws),
        computed from :attr:`spectra` without the whole array.
        """
        if self.spectra is None:
            raise ValueError("the difference spectra need the result's spectra")
        spectra = self.spectra[rows]
        spectra = spectra if spectra.ndim == 2 else spectra[None, :]
        reference = self.reference_index
        if reference < 0:
            return np.full(spectra.shape, np.nan, dtype=np.float32)
        # Every row is written below: no NaN fill first (15 MB for 10 h).
        normalised = np.empty(spectra.shape, dtype=np.float32)
        height = self.metrics["peak_intensity"].to_numpy(dtype=float)
        height = np.where(height > 0, height, np.nan).astype(np.float32)[:, None]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            shape = np.divide(self.spectra[reference], height[reference],
                              dtype=np.float32)  # fmt: skip
            height = np.atleast_2d(height[rows])

            def block(start: int, stop: int) -> None:
                part = normalised[start:stop]
                np.divide(spectra[start:stop], height[start:stop], out=part,
                          dtype=np.float32)  # fmt: skip
                part -= shape

            map_row_chunks(block, spectra.shape[0])
        included = np.atleast_1d(self.metrics["included"].to_numpy(dtype=bool)[rows])
        normalised[~included] = np.nan
        return normalised

    @property
    def peak_within_noise(self) -> bool | None:
        return self.peak.within_noise

    @property
    def fwhm_within_noise(self) -> bool | None:
        return self.fwhm.within_noise

    @property
    def u_prime_v_prime_within_noise(self) -> bool | None:
        return self.delta_uv.within_noise

    def excluded(self) -> list[dict]:
        """The spectra left out: index, axis value and why."""
        frame = self.metrics[~self.metrics["included"]]
        return [
            {"index": int(i), "axis": _json_value(a), "reason": str(r)}
            for i, a, r in zip(
                frame["spectrum"], frame["axis"], frame["exclusion"], strict=True
            )  # fmt: skip
        ]

    def trends(self) -> dict:
        """Each trend's slope, change and standard errors, JSON-ready."""
        out = {}
        for name, trend in (("peak_nm", self.peak), ("fwhm_nm", self.fwhm),
                            ("u_prime_v_prime", self.delta_uv)):  # fmt: skip
            out[name] = {
                "slope_per_unit": _json_value(trend.slope),
                "slope_stderr": _json_value(trend.slope_stderr),
                "change": _json_value(trend.change),
                "change_se": _json_value(trend.change_se),
                "within_noise": trend.within_noise,
            }
        return out

    def summary(self) -> dict:
        """The CLI's ``stability`` object plus the extra figures, JSON-ready."""
        out: dict[str, object] = {
            key: _json_value(getattr(self, key)) for key in STABILITY_KEYS + _SCALARS
        }
        out["axis_at_threshold_range"] = [
            _json_value(v) for v in self.axis_at_threshold_range
        ]
        out["window_nm"] = [_json_value(v) for v in self.window_nm]
        out["trends"] = self.trends()
        out["excluded"] = self.excluded()
        out["axis_name"] = self.axis_name
        out["axis_unit"] = self.axis_unit
        return out
