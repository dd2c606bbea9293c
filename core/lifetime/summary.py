"""
Summaries shared by the page and the CLI: the JSON contract and the tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from core.lifetime.acceleration import (
    ACCELERATION_BAND_N,
    DEFAULT_ACCELERATION_N,
    AccelerationFit,
    convert_lifetime,
    lifetime_at_reference_h,
)
from core.lifetime.metrics import LifetimeResult
from core.lifetime.thresholds import (
    EXTRAPOLATION_LIMIT,
    STANDARD_FRACTIONS,
    ThresholdTime,
    _format_h,
)
from core.lifetime.uncertainty import MODEL_CHOICE_DELTA_AIC

__all__ = [
    "BEYOND_CAP_TEXT",
    "t_value_text",
    "t50_notice",
    "lifetime_summary",
    "lifetime_table",
    "reference_t50_table",
    "decay_fit_table",
]


def _json_number(value, key: str, reasons: dict[str, str], warnings: list[str]):
    if value is None or not np.isfinite(value):
        if key in reasons:
            warnings.append(f"{key} is null: {reasons[key]}")
        return None
    return float(value)


def lifetime_summary(result: LifetimeResult) -> dict:
    """
    The JSON-ready summary of one test (the CLI contract, also used by the page).

    Keys: ``initial_luminance_cd_m2``, ``t95_h``, ``t90_h``, ``t80_h``,
    ``t70_h``, ``t50_h``, ``t50_kind``, ``kinds``, ``uncertainties_h``,
    ``uncertainty_parts_h``, ``l0_source``, ``extrapolation_limit_h``,
    ``report_beyond_cap``, ``beyond_cap_h``, ``model``, ``model_choice``,
    ``t50_at_reference_h`` (with ``reference_luminance_cd_m2``,
    ``acceleration_n``, ``t50_at_reference_band_h``), the brightening figures,
    the voltage rise, the peak shift and ``warnings``. A value that cannot be
    determined is None with its reason in ``warnings``.

    Parameters
    ----------
    result : LifetimeResult

    Returns
    -------
    dict
    """
    warnings = list(result.warnings)
    reasons = _null_reasons(result)
    summary: dict = {}
    summary["initial_luminance_cd_m2"] = _json_number(
        result.initial_luminance_cd_m2, "initial_luminance_cd_m2", reasons, warnings
    )
    for x in STANDARD_FRACTIONS:
        key = f"t{x * 100:g}_h"
        summary[key] = _json_number(result._time(x), key, reasons, warnings)
    summary["t50_kind"] = result.t50_kind
    summary["kinds"] = {_key(item): item.kind for item in result.thresholds}
    summary["uncertainties_h"] = {
        _key(item): _finite_or_none(item.uncertainty_h) for item in result.thresholds
    }
    summary["uncertainty_parts_h"] = {
        _key(item): {k: _finite_or_none(v) for k, v in item.uncertainty_parts_h.items()}
        for item in result.thresholds
    }
    summary["l0_source"] = result.l0_source
    summary.update(_cap_summary(result))
    summary["model"] = _model_summary(result)
    summary["model_choice"] = _model_choice_summary(result)
    reference = result.reference
    summary["t50_at_reference_h"] = _json_number(
        None if reference is None else reference.value_h,
        "t50_at_reference_h",
        reasons,
        warnings,
    )
    if reference is not None:
        summary["reference_luminance_cd_m2"] = reference.reference_stress
        summary["acceleration_n"] = reference.n
        summary["t50_at_reference_band_h"] = {
            f"n={n:.1f}": v
            for n, v in zip(ACCELERATION_BAND_N, reference.band_h, strict=True)
        }
        summary["t50_at_reference_kind"] = reference.kind
    summary.update(_course_summary(result))
    summary["warnings"] = list(dict.fromkeys(warnings))
    return summary


def _finite_or_none(value) -> float | None:
    return float(value) if np.isfinite(value) else None


def _key(item) -> str:
    """JSON key of a T-value: ``"t50_h"``..."""
    return f"t{item.fraction * 100:g}_h"


def _cap_summary(result: LifetimeResult) -> dict:
    """
    The extrapolation cap: ``extrapolation_limit_h`` (6x the test) and
    ``beyond_cap_h``, the T-values past it: null unless asked for.
    """
    return {
        "extrapolation_limit_h": _finite_or_none(result.extrapolation_limit_h),
        "report_beyond_cap": result.report_beyond_cap,
        "beyond_cap_h": {
            _key(item): (
                _finite_or_none(item.beyond_cap_h) if result.report_beyond_cap else None
            )
            for item in result.thresholds
            if item.kind == "beyond cap"
        },
    }


def _model_choice_summary(result: LifetimeResult) -> dict | None:
    """
    ``"model_choice"``: every model fitted for the model-choice spread of the
    extrapolated T-values (null when nothing was extrapolated).
    """
    if not result.model_choice:
        return None
    models = []
    for candidate in result.model_choice:
        fit = candidate.fit
        t50 = math.nan if fit is None else _capped(result, fit.time_to_fraction_h(0.5))
        models.append(
            {
                "method": candidate.method,
                "aic": _finite_or_none(candidate.aic),
                "delta_aic": _finite_or_none(candidate.delta_aic),
                "acceptable": candidate.acceptable,
                "t50_h": _finite_or_none(t50),
                "n_readings": candidate.n_readings,
                "reason": candidate.reason,
            }
        )
    return {"criterion": f"delta_aic <= {MODEL_CHOICE_DELTA_AIC:g}", "models": models}


def _capped(result: LifetimeResult, time_h: float) -> float:
    """A model time, NaN beyond the cap unless asked for."""
    if time_h > result.extrapolation_limit_h and not result.report_beyond_cap:
        return math.nan
    return time_h


def _null_reasons(result: LifetimeResult) -> dict[str, str]:
    """Why each JSON key that may be null is null, keyed by the JSON key."""
    reasons: dict[str, str] = {}
    for item in result.thresholds:
        if item.kind == "not determined":
            reasons[_key(item)] = (
                f"{item.name} was not reached and could not be extrapolated."
            )
        elif item.kind == "beyond cap":
            reasons[_key(item)] = (
                f"{item.name} lies beyond {result.extrapolation_limit_h:.4g} h, "
                "6x the test duration (IES TM-21): not reported."
            )
    if result.initial_luminance_cd_m2 is None:
        reasons["initial_luminance_cd_m2"] = (
            "the log is relative; give the initial luminance (--initial-luminance)."
        )
        reasons["t50_at_reference_h"] = "converting T50 needs the initial luminance."
    elif result.reference is None:
        reasons["t50_at_reference_h"] = (
            "T50 lies beyond the extrapolation cap."
            if result.t50_kind == "beyond cap"
            else "T50 was not determined."
        )
    return reasons


def _model_summary(result: LifetimeResult) -> dict:
    """``"model"``: the decay model's parameters, quality and T-values."""
    fit = result.fit
    if fit is None:
        return {"method": result.method, "fitted": False}
    return {
        "method": fit.method,
        "fitted": True,
        "parameters": fit.parameters,
        "uncertainties": {
            k: (v if np.isfinite(v) else None) for k, v in fit.uncertainties.items()
        },
        "start_h": fit.start_h,
        "r_squared": fit.r_squared,
        "rmse_fraction": fit.rmse_fraction,
        "weibull_r_squared": (
            fit.weibull_r_squared if np.isfinite(fit.weibull_r_squared) else None
        ),
        "n_points": fit.n_points,
        **{
            f"t{x * 100:g}_h": _finite_or_none(
                _capped(result, fit.time_to_fraction_h(x))
            )
            for x in STANDARD_FRACTIONS
        },
    }


def _course_summary(result: LifetimeResult) -> dict:
    """Duration, noise, brightening, T-values from L_max, voltage, J, peak shift."""
    summary: dict = {
        "duration_h": result.duration_h,
        "final_fraction": result.final_fraction,
        "noise_fraction": (
            result.noise_fraction if np.isfinite(result.noise_fraction) else None
        ),
        "brightens": result.brightens,
        "t_max_h": result.t_max_h,
        "l_max_fraction": result.l_max_fraction,
        "l_max_cd_m2": result.l_max_cd_m2,
    }
    if result.thresholds_from_max:
        summary["from_max"] = {
            f"t{item.fraction * 100:g}_h": _finite_or_none(item.time_h)
            for item in result.thresholds_from_max
        }
        summary["from_max_kinds"] = {
            f"t{item.fraction * 100:g}_h": item.kind
            for item in result.thresholds_from_max
        }
    for key in (
        "voltage_initial_v",
        "voltage_rise_v",
        "voltage_rise_at_t50_v",
        "current_density_ma_cm2",
        "peak_shift_at_t50_nm",
    ):
        summary[key] = _finite_or_none(getattr(result, key))
    return summary


#: How a T-value beyond the extrapolation cap is shown.
BEYOND_CAP_TEXT = f"> {EXTRAPOLATION_LIMIT:g}× the test, not reported"


def t_value_text(item: ThresholdTime) -> str:
    """
    A T-value as the page and the report show it: value ± 1σ and its kind.

    Examples: ``"54.3 ± 1.5 h (extrapolated)"``, ``"> 6× the test, not
    reported"``, ``"305 h ± 120 h (beyond 6× the test, on request)"``.

    Parameters
    ----------
    item : ThresholdTime

    Returns
    -------
    str
    """
    if item.kind == "beyond cap":
        if not np.isfinite(item.beyond_cap_h):
            return BEYOND_CAP_TEXT
        return (
            f"{_value_text(item.beyond_cap_h, item.uncertainty_h)} (beyond "
            f"{EXTRAPOLATION_LIMIT:g}× the test, on request)"
        )
    if item.kind == "not determined":
        return "not determined"
    return f"{_value_text(item.time_h, item.uncertainty_h)} ({item.kind})"


def _value_text(value: float, sigma: float) -> str:
    """``"8.17 ± 0.034 h"`` or ``"42.6 ± 0.83 min"``: one unit for both."""
    if not np.isfinite(sigma):
        return _format_h(value)
    factor, unit = (60.0, "min") if value < 1 else (1.0, "h")
    shown = float(f"{value * factor:.3g}")
    spread = float(f"{sigma * factor:.2g}")
    return f"{shown:g} ± {spread:g} {unit}"


def t50_notice(result: LifetimeResult) -> str:
    """
    What the page says beside a T50 that was not measured ("" when it was).

    Parameters
    ----------
    result : LifetimeResult

    Returns
    -------
    str
        E.g. ``"T50 = 1.64 ± 0.0081 h (extrapolated) with the
        stretched-exponential model: the test stopped at 61.2 % of L0."``
        or ``"T50 > 6× the test, not reported: ..."``.
    """
    t50 = result.threshold(0.5)
    stopped = (
        f"the {_format_h(result.duration_h)} test stopped at "
        f"{result.final_fraction * 100:.1f} % of L0"
    )
    if t50.kind == "extrapolated":
        return f"T50 = {t_value_text(t50)} with the {t50.model} model: {stopped}."
    if t50.kind == "beyond cap":
        joint = " = " if np.isfinite(t50.beyond_cap_h) else " "
        limit = _format_h(result.extrapolation_limit_h)
        return (
            f"T50{joint}{t_value_text(t50)}: the {t50.model} model puts it past "
            f"{EXTRAPOLATION_LIMIT:g}× the test ({limit}), the IES TM-21 limit; "
            f"{stopped}."
        )
    if t50.kind == "not determined":
        return f"T50 not determined: {stopped} and no model reaches 50 %."
    return ""


def lifetime_table(results: Sequence[LifetimeResult]) -> pd.DataFrame:
    """
    One row per test: the comparison table of the page and its CSV download.

    Columns carry their unit: ``L0_cd_m2``, ``T95_h``...``T50_h``,
    ``T50_kind``, ``T50_uncertainty_h``, ``T50_shown`` (:func:`t_value_text`:
    "> 6x the test, not reported" beyond the cap), ``L0_source``,
    ``t_max_h``, ``L_max_over_L0``,
    ``T50_at_<ref>_h`` with its n band, the model and its R², the voltage rise
    and the peak shift at T50.

    Parameters
    ----------
    results : sequence of LifetimeResult

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for result in results:
        row: dict = {
            "test": result.label or result.source,
            "L0_cd_m2": result.initial_luminance_cd_m2,
            "relative": result.relative,
            "duration_h": result.duration_h,
        }
        for item in result.thresholds:
            row[f"{item.name}_h"] = item.time_h
        t50 = result.threshold(0.5)
        row["T50_shown"] = t_value_text(t50)  # beside the number
        row["T50_kind"] = t50.kind
        row["T50_uncertainty_h"] = t50.uncertainty_h
        row["L0_source"] = result.l0_source
        row["brightens"] = result.brightens
        row["t_max_h"] = result.t_max_h
        row["L_max_over_L0"] = result.l_max_fraction
        if result.thresholds_from_max:
            row["T50_from_Lmax_h"] = result.threshold(0.5, "maximum").time_h
        ref = result.reference
        if ref is not None:
            tag = f"{ref.reference_stress:g}"
            row[f"T50_at_{tag}_cd_m2_h"] = ref.value_h
            row["n"] = ref.n
            row[f"T50_at_{tag}_n1.5_h"] = ref.band_h[0]
            row[f"T50_at_{tag}_n2.0_h"] = ref.band_h[1]
        row["model"] = result.method
        row["model_r_squared"] = (
            math.nan if result.fit is None else result.fit.r_squared
        )
        row["weibull_r_squared"] = (
            math.nan if result.fit is None else result.fit.weibull_r_squared
        )
        row["voltage_rise_v"] = result.voltage_rise_v
        row["peak_shift_at_T50_nm"] = result.peak_shift_at_t50_nm
        rows.append(row)
    return pd.DataFrame(rows)


def reference_t50_table(
    tests: Sequence[tuple[str, LifetimeResult]],
    *,
    n: float = DEFAULT_ACCELERATION_N,
    targets_cd_m2: Sequence[float] = (100.0, 1000.0),
    fits: Mapping[str, AccelerationFit | None] | None = None,
) -> pd.DataFrame:
    """
    T50 of every test converted to reference luminances (the page's table).

    For each target L_ref: ``T50_at_<L_ref>_h (n=<n>)`` with the given n,
    ``T50_at_<L_ref>_n1.5_h`` and ``T50_at_<L_ref>_n2.0_h`` (the usual band),
    and ``T50_at_<L_ref>_fitted_n_h`` when ``fits`` holds a luminance fit for
    the device. A test without L0 or T50 has NaN in these columns.

    Parameters
    ----------
    tests : sequence of (str, LifetimeResult)
        Device name and one of its tests.
    n : float
        Acceleration exponent for the main column. [-]
    targets_cd_m2 : sequence of float
        Reference luminances. [cd/m²]
    fits : mapping of str to AccelerationFit, optional
        Fitted exponents by device (e.g. from :func:`acceleration_fits`); fits
        against another stress than luminance are not used.

    Returns
    -------
    pandas.DataFrame
        One row per test: ``device``, ``test``, ``L0_cd_m2``, ``T50_h``,
        ``T50_kind`` and the converted columns.
    """
    fits = fits or {}
    rows = []
    for device, result in tests:
        t50 = result.threshold(0.5)
        l0 = result.initial_luminance_cd_m2
        fit = fits.get(device)
        fitted_n = fit.n if fit is not None and fit.stress == "luminance" else None
        row = {
            "device": device,
            "test": result.label,
            "L0_cd_m2": l0,
            "T50_h": t50.time_h,
            "T50_kind": t50.kind,
        }
        for target in targets_cd_m2:
            columns = _reference_columns(target, n, fitted=fitted_n is not None)
            if l0 is None or not math.isfinite(t50.time_h):
                row.update(dict.fromkeys(columns, math.nan))
                continue
            converted = convert_lifetime(t50.time_h, l0, target, n=n, kind=t50.kind)
            values = [converted.value_h, *converted.band_h]
            if fitted_n is not None:
                values.append(
                    float(lifetime_at_reference_h(t50.time_h, l0, target, fitted_n))
                )
            row.update(zip(columns, values, strict=True))
        rows.append(row)
    return pd.DataFrame(rows)


def _reference_columns(target: float, n: float, *, fitted: bool) -> list[str]:
    """Column names of one reference luminance in :func:`reference_t50_table`."""
    band = [f"T50_at_{target:g}_n{m:.1f}_h" for m in ACCELERATION_BAND_N]
    columns = [f"T50_at_{target:g}_h (n={n:g})", *band]
    if fitted:
        columns.append(f"T50_at_{target:g}_fitted_n_h")
    return columns


def decay_fit_table(results: Sequence[LifetimeResult]) -> pd.DataFrame:
    """
    One row per test: the fitted decay model, its parameters and their errors.

    Columns: ``test``, ``model``, then ``fitted`` = ``"no"`` when the model
    could not be fitted, else every parameter with ``"<name> ±"`` (one
    standard deviation), ``fit start [h]``, ``R²`` and ``Weibull R²``.

    Parameters
    ----------
    results : sequence of LifetimeResult

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for result in results:
        fit = result.fit
        row: dict = {"test": result.label, "model": result.method}
        if fit is None:
            row["fitted"] = "no"
        else:
            for key, value in fit.parameters.items():
                row[key] = value
                row[f"{key} ±"] = fit.uncertainties.get(key)
            row["fit start [h]"] = fit.start_h
            row["R²"] = fit.r_squared
            row["Weibull R²"] = fit.weibull_r_squared
        rows.append(row)
    return pd.DataFrame(rows)
