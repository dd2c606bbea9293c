"""
Everything about one lifetime test: :func:`lifetime_metrics`.

ℓ = L/L0 (L0: the first reading) is binned in log time and T95...T50 are read
on it (:mod:`core.lifetime.thresholds`); the decay model fills in thresholds
the test never reached. T50 is converted to a reference luminance with
L0^n · T = const; the drive voltage, current density and EL peak shift during
the test are added.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np

from core.errors import InputError
from core.lifetime.acceleration import (
    DEFAULT_ACCELERATION_N,
    ReferenceLifetime,
    convert_lifetime,
)
from core.lifetime.fit import DecayFit, fit_decay
from core.lifetime.models import _check_method
from core.lifetime.reduction import log_time_bins, relative_luminance
from core.lifetime.thresholds import (
    EXTRAPOLATION_LIMIT,
    STANDARD_FRACTIONS,
    Models,
    ThresholdTime,
    _Curve,
    _curve,
    _format_h,
    _thresholds,
    _wanted_fractions,
    references,
)
from core.lifetime.uncertainty import ModelCandidate, Reference
from core.models import LifetimeLog

__all__ = ["LifetimeResult", "lifetime_metrics"]


@dataclass(frozen=True)
class LifetimeResult:
    """
    Lifetime figures of one test (see :func:`lifetime_metrics`).

    Attributes
    ----------
    label, source : str
        From the log.
    relative : bool
        True when the log holds L/L0 or a photodiode signal.
    initial_luminance_cd_m2 : float or None
        L0 used for conversions [cd/m²]: the user's value if given, else the
        first reading of an absolute log, else None.
    first_reading : float
        The first reading in the log's unit (the L0 that normalises ℓ).
    duration_h : float
        Length of the test. [h]
    final_fraction : float
        ℓ at the end of the test (binned). [-]
    noise_fraction : float
        Reading noise on ℓ (one standard deviation). [-]
    thresholds : tuple of ThresholdTime
        T-values counted from L(0).
    thresholds_from_max : tuple of ThresholdTime
        T-values counted from L_max (time still from the start of the test);
        empty unless the device brightens first.
    brightens : bool
        True when the smoothed maximum exceeds L(0) beyond the noise.
    t_max_h : float
        Time of the smoothed maximum. [h]
    l_max_fraction : float
        L_max/L0. [-]
    l_max_cd_m2 : float or None
        L_max when L0 is known. [cd/m²]
    fit : DecayFit or None
        The decay model (None if it could not be fitted).
    method : str
        The model asked for.
    reference : ReferenceLifetime or None
        T50 at the reference luminance (None without L0 or T50).
    voltage_initial_v, voltage_final_v, voltage_rise_v : float
        Drive voltage at the start, at the end and its rise. [V]
    voltage_rise_at_t50_v : float
        V(T50) − V(0) when T50 was measured. [V]
    current_density_ma_cm2 : float
        Median current density of the test (the stress of a constant-current
        test). [mA/cm²]
    peak_shift_at_t50_nm : float
        EL peak at T50 minus the initial peak, from ``log.spectra``. [nm]
    binned_time_h, binned_fraction : numpy.ndarray
        The log-time-binned ℓ(t) the T-values were read on. [h], [-]
    warnings : tuple of str
        Everything the user must know (extrapolations, missing L0...).
    l0_source : str
        ``"first reading"`` or ``"model"`` (L0 = the model's start value, for
        the T-values from L(0) and the conversions).
    model_choice : tuple of ModelCandidate
        Every decay model fitted to the test, with its AIC, when a T-value had
        to be extrapolated (empty otherwise).
    report_beyond_cap : bool
        Whether T-values beyond the extrapolation cap keep the model's value
        (in ``ThresholdTime.beyond_cap_h``).
    """

    label: str
    source: str
    relative: bool
    initial_luminance_cd_m2: float | None
    first_reading: float
    duration_h: float
    final_fraction: float
    noise_fraction: float
    thresholds: tuple[ThresholdTime, ...]
    thresholds_from_max: tuple[ThresholdTime, ...]
    brightens: bool
    t_max_h: float
    l_max_fraction: float
    l_max_cd_m2: float | None
    fit: DecayFit | None
    method: str
    reference: ReferenceLifetime | None
    voltage_initial_v: float = math.nan
    voltage_final_v: float = math.nan
    voltage_rise_v: float = math.nan
    voltage_rise_at_t50_v: float = math.nan
    current_density_ma_cm2: float = math.nan
    peak_shift_at_t50_nm: float = math.nan
    binned_time_h: np.ndarray = field(repr=False, default_factory=lambda: np.array([]))
    binned_fraction: np.ndarray = field(
        repr=False, default_factory=lambda: np.array([])
    )
    warnings: tuple[str, ...] = ()
    l0_source: str = "first reading"
    model_choice: tuple[ModelCandidate, ...] = ()
    report_beyond_cap: bool = False

    @property
    def extrapolation_limit_h(self) -> float:
        """The cap on extrapolated T-values: 6x the test duration (TM-21). [h]"""
        return EXTRAPOLATION_LIMIT * self.duration_h

    def threshold(
        self, fraction: float, counted_from: str = "initial"
    ) -> ThresholdTime:
        """The T-value for ``fraction`` (raises KeyError if not computed)."""
        pool = (
            self.thresholds if counted_from == "initial" else self.thresholds_from_max
        )
        for item in pool:
            if abs(item.fraction - fraction) < 1e-12:
                return item
        raise KeyError(f"T{fraction * 100:g} ({counted_from}) was not computed")

    def _time(self, fraction: float) -> float:
        try:
            return self.threshold(fraction).time_h
        except KeyError:
            return math.nan

    @property
    def t95_h(self) -> float:
        """T95 from L(0). [h]"""
        return self._time(0.95)

    @property
    def t90_h(self) -> float:
        """T90 from L(0). [h]"""
        return self._time(0.90)

    @property
    def t80_h(self) -> float:
        """T80 from L(0). [h]"""
        return self._time(0.80)

    @property
    def t70_h(self) -> float:
        """T70 from L(0). [h]"""
        return self._time(0.70)

    @property
    def t50_h(self) -> float:
        """T50 from L(0). [h]"""
        return self._time(0.50)

    @property
    def t50_kind(self) -> str:
        """The kind of T50 (``"measured"``, ``"beyond cap"``...: ``T_KINDS``)."""
        return self.threshold(0.5).kind

    @property
    def kinds(self) -> dict[str, str]:
        """Kind of every T-value from L(0), keyed ``"T50"``..."""
        return {item.name: item.kind for item in self.thresholds}


def _edge_median(values: np.ndarray, *, first: bool, count: int = 5) -> float:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return math.nan
    part = finite[:count] if first else finite[-count:]
    return float(np.median(part))


def _peak_shift_at(log: LifetimeLog, time_h: float, warnings: list[str]) -> float:
    series = log.spectra
    if series is None:
        return math.nan
    if not np.isfinite(time_h):
        warnings.append(
            "The EL peak shift at T50 is not given: T50 was not determined."
        )
        return math.nan
    try:
        from core.spectra import spectral_metrics
    except ImportError:  # pragma: no cover - the module ships with the app
        warnings.append("Spectral metrics are not available in this installation.")
        return math.nan
    factor = {"h": 1.0, "min": 1 / 60, "s": 1 / 3600}.get(series.axis_unit)
    if series.axis_name != "time" or factor is None:
        warnings.append(
            "The EL spectra taken during the test are not on a time axis in s, min "
            "or h; the peak shift at T50 is not given."
        )
        return math.nan
    axis_h = np.asarray(series.axis, dtype=float) * factor
    if time_h > axis_h.max() or time_h < axis_h.min():
        warnings.append(
            f"The EL spectra cover {axis_h.min():.3g}–{axis_h.max():.3g} h; T50 = "
            f"{time_h:.3g} h lies outside, so the peak shift at T50 is not given."
        )
        return math.nan
    peaks = np.asarray(
        spectral_metrics(series.wavelength_nm, series.intensity)["peak_nm"]
    )
    order = np.argsort(axis_h)
    good = np.isfinite(peaks[order])
    if good.sum() < 2:
        return math.nan
    peak = np.interp(time_h, axis_h[order][good], peaks[order][good])
    return float(peak - peaks[order][good][0])


def _fit_or_warn(curve: _Curve, method: str, warnings: list[str]) -> DecayFit | None:
    """The decay model from t_max on; None (with the reason) when it fails."""
    try:
        fit = fit_decay(
            curve.time_h, curve.fraction, method=method, start_h=curve.t_max_h
        )
    except InputError as error:
        warnings.append(str(error))
        return None
    warnings.extend(fit.warnings)
    return fit


def _thresholds_from_max(
    log: LifetimeLog,
    wanted: Sequence[float],
    models: Models,
    maximum: Reference,
    warnings: list[str],
) -> tuple[ThresholdTime, ...]:
    """T-values from L_max of a device that brightens first (else none)."""
    curve = models.curve
    if not curve.brightens:
        return ()
    name = log.label or log.source or "lifetime log"
    warnings.append(
        f"{name} brightens first: L rises to {curve.l_max * 100:.1f} % of L(0) "
        f"at t_max = {_format_h(curve.t_max_h)}. T-values are given from L(0) "
        "and from L_max (times from the start of the test)."
    )
    return _thresholds(wanted, models, maximum, warnings=warnings)


def _initial_luminance(
    log: LifetimeLog, first: float, scale: float, warnings: list[str]
) -> float | None:
    """
    L0 for conversions: the user's value, else an absolute log's L0 (the first
    reading times ``scale``, the model's start value when L0 is from it).
    """
    if log.relative:
        l0 = log.initial_luminance_cd_m2
    else:
        l0 = (
            float(log.initial_luminance_cd_m2)
            if log.initial_luminance_cd_m2 is not None
            else first * scale
        )
    if l0 is not None and (not np.isfinite(l0) or l0 <= 0):
        warnings.append(f"The initial luminance {l0} is not positive; it is ignored.")
        l0 = None
    return l0


def _reference(
    l0: float | None,
    t50: ThresholdTime,
    reference_luminance_cd_m2: float,
    acceleration_n: float,
    warnings: list[str],
) -> ReferenceLifetime | None:
    """T50 at the reference luminance; None (with the reason) without L0."""
    if l0 is None:
        warnings.append(
            "The log holds relative luminance (or a photodiode signal) and no "
            "initial luminance L0 was given: T-values are fine, but converting T50 "
            f"to {reference_luminance_cd_m2:g} cd/m² needs L0 in cd/m²."
        )
        return None
    if not np.isfinite(t50.time_h):
        return None
    return convert_lifetime(
        t50.time_h, l0, reference_luminance_cd_m2, n=acceleration_n, kind=t50.kind
    )


class _LogFields(TypedDict):
    label: str
    source: str
    relative: bool
    initial_luminance_cd_m2: float | None
    first_reading: float
    duration_h: float
    final_fraction: float
    noise_fraction: float
    brightens: bool
    t_max_h: float
    l_max_fraction: float
    l_max_cd_m2: float | None
    binned_time_h: np.ndarray
    binned_fraction: np.ndarray


class _DuringTest(TypedDict):
    voltage_initial_v: float
    voltage_final_v: float
    voltage_rise_v: float
    voltage_rise_at_t50_v: float
    current_density_ma_cm2: float
    peak_shift_at_t50_nm: float


def _model_fields(models: Models, initial: Reference) -> dict:
    """The :class:`LifetimeResult` fields that describe the model(s) and L0."""
    return {
        "fit": models.fit,
        "method": models.method,
        "l0_source": "model" if initial.from_model else "first reading",
        "model_choice": models.candidates() if models.compared else (),
        "report_beyond_cap": models.report_beyond_cap,
    }


def _log_fields(
    log: LifetimeLog, first: float, l0: float | None, curve: _Curve
) -> _LogFields:
    """The :class:`LifetimeResult` fields that describe the log and its curve."""
    return {
        "label": log.label,
        "source": log.source,
        "relative": bool(log.relative),
        "initial_luminance_cd_m2": None if l0 is None else float(l0),
        "first_reading": first,
        "duration_h": curve.duration_h,
        "final_fraction": float(curve.bin_f[-1]),
        "noise_fraction": curve.noise,
        "brightens": curve.brightens,
        "t_max_h": curve.t_max_h,
        "l_max_fraction": curve.l_max,
        "l_max_cd_m2": None if l0 is None else float(curve.l_max * l0),
        "binned_time_h": curve.bin_t,
        "binned_fraction": curve.bin_f,
    }


def _during_test(
    log: LifetimeLog,
    time: np.ndarray,
    t50: ThresholdTime,
    bins_per_decade: int,
    warnings: list[str],
) -> _DuringTest:
    """Voltage at start and end, its rise (also at T50), median J, peak shift."""
    voltage = log.voltage_v
    v_initial = v_final = v_rise = v_rise_t50 = math.nan
    if voltage is not None and np.isfinite(voltage).any():
        v = np.asarray(voltage, dtype=float)
        # The first reading (the voltage changes slowly at first, and any
        # average over a rising curve is biased); the end of a test is slow,
        # so the last readings are averaged.
        v_initial = float(v[np.isfinite(v)][0])
        v_final = _edge_median(v, first=False)
        v_rise = v_final - v_initial
        if t50.kind == "measured":
            vt, vv, _ = log_time_bins(time, v, bins_per_decade=bins_per_decade)
            v_rise_t50 = float(np.interp(t50.time_h, vt, vv)) - v_initial
    current = log.current_density_ma_cm2
    j_median = math.nan
    if current is not None and np.isfinite(current).any():
        j_median = float(np.nanmedian(current))
    return {
        "voltage_initial_v": v_initial,
        "voltage_final_v": v_final,
        "voltage_rise_v": v_rise,
        "voltage_rise_at_t50_v": v_rise_t50,
        "current_density_ma_cm2": j_median,
        "peak_shift_at_t50_nm": _peak_shift_at(log, t50.time_h, warnings),
    }


def lifetime_metrics(
    log: LifetimeLog,
    *,
    method: str = "stretched-exponential",
    fractions: Sequence[float] = STANDARD_FRACTIONS,
    reference_luminance_cd_m2: float = 100.0,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    bins_per_decade: int = 20,
    min_points: int = 3,
    l0_from_model: bool = False,
    report_beyond_cap: bool = False,
) -> LifetimeResult:
    """
    T95...T50 (and any fraction) of one lifetime test, honestly labelled.

    T_x: first crossing of x by the log-time-binned ℓ = L/L0 (also from L_max
    when the device brightens first); else from the decay model, 1σ from
    :mod:`core.lifetime.uncertainty`, ``"beyond cap"`` past 6x the test (IES
    TM-21). T50 is converted to the reference luminance when L0 is known.

    Parameters
    ----------
    log : LifetimeLog
        The test.
    method : str
        Decay model, a key of :data:`DECAY_MODELS`.
    fractions : sequence of float
        Thresholds x in (0, 1); T95...T50 are always included.
    reference_luminance_cd_m2, acceleration_n : float
        Luminance to convert T50 to [cd/m²] and the exponent n. [-]
    bins_per_decade, min_points : int
        Log-time binning (see :func:`log_time_bins`).
    l0_from_model : bool
        Count T-values from the model's start value m(0), not the first
        reading (not for a device that brightens first).
    report_beyond_cap : bool
        Keep a value beyond the cap in ``ThresholdTime.beyond_cap_h``.

    Returns
    -------
    LifetimeResult

    Raises
    ------
    InputError
        Unknown method, fraction outside (0, 1), too few readings, L0 ≤ 0.

    Examples
    --------
    >>> from core.lifetime import stretched_exponential
    >>> t = np.linspace(0.0, 400.0, 2001)
    >>> log = LifetimeLog(t, 100.0 * stretched_exponential(t, 100.0, 1.0))
    >>> result = lifetime_metrics(log)
    >>> result.t50_kind, round(result.fit.time_to_fraction_h(0.5), 3)  # τ ln 2
    ('measured', 69.315)
    """
    _check_method(method)
    wanted = _wanted_fractions(fractions)
    time, fraction, first = relative_luminance(log)
    curve = _curve(time, fraction, bins_per_decade, min_points)
    warnings: list[str] = []
    models = Models(
        curve, _fit_or_warn(curve, method, warnings), method, report_beyond_cap
    )
    initial, maximum = references(curve, models.fit, l0_from_model, warnings)
    thresholds = _thresholds(wanted, models, initial, warnings=warnings)
    from_max = _thresholds_from_max(log, wanted, models, maximum, warnings)
    l0 = _initial_luminance(log, first, initial.scale, warnings)
    t50 = next(item for item in thresholds if abs(item.fraction - 0.5) < 1e-12)
    reference = _reference(l0, t50, reference_luminance_cd_m2, acceleration_n, warnings)
    during = _during_test(log, time, t50, bins_per_decade, warnings)
    return LifetimeResult(
        thresholds=thresholds,
        thresholds_from_max=from_max,
        reference=reference,
        warnings=tuple(dict.fromkeys(warnings)),
        **_model_fields(models, initial),
        **_log_fields(log, first, l0, curve),
        **during,
    )
