"""
Settings widgets of each analysis: their keys, and the core arguments they give.

Each function draws its widgets where it is called (usually in the sidebar)
and returns the values under the names of the core function's arguments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.lifetime import (
    ACCELERATION_BAND_N,
    DECAY_METHODS,
    DEFAULT_ACCELERATION_N,
    EXTRAPOLATION_LIMIT,
    MIN_ACCELERATION_STRESSES,
)
from ui.text import plain

__all__ = [
    "stability_settings",
    "series_choices",
    "efficiency_settings",
    "literature_filters",
    "lifetime_comparison_settings",
    "lifetime_settings",
]


def stability_settings(prefix: str) -> dict:
    """
    Threshold, noise level, emission window, colour window, baseline and white
    point of a stability analysis.

    Returns
    -------
    dict
        ``threshold_nm``, ``noise_k``, ``window_k``, ``colour_window_fwhm``
        (None: colour from all the emission), ``baseline``, ``white_point``:
        keyword arguments of :func:`core.stability.series_stability`.
    """
    st.header("Analysis settings")
    threshold_nm = st.number_input(
        "Peak-shift threshold [nm]", 0.05, 50.0, 1.0, 0.1, key=f"{prefix}_threshold",
        help="Reported where the smoothed peak shift crosses it and stays beyond "
        "it to the end, confirmed by its confidence band.",
    )  # fmt: skip
    noise_k = st.number_input(
        "Within noise below [× standard error]", 1.0, 5.0, 2.0, 0.5,
        key=f"{prefix}_noise_k",
        help="A change smaller than this many standard errors is 'within noise'; "
        "the confidence bands of the charts are ± this many standard errors.",
    )  # fmt: skip
    window_k = st.number_input(
        "Emission window half-width [× FWHM]", 0.5, 5.0, 2.0, 0.5,
        key=f"{prefix}_window_k",
        help="Emission outside the reference spectrum's peak ± k·FWHM is reported.",
    )  # fmt: skip
    windowed = st.checkbox(
        "Colour from a window around the peak only", key=f"{prefix}_colour_window",
        help="Off (recommended): colour from all the emission, every band. On: "
        "only peak ± K·FWHM counts; tails and other bands are dropped.",
    )  # fmt: skip
    colour_window = st.number_input(
        "Colour window half-width K [× FWHM]", 0.5, 10.0, 3.0, 0.5,
        key=f"{prefix}_colour_window_k", disabled=not windowed,
    )  # fmt: skip
    baseline = st.selectbox(
        "Baseline",
        ["edges", "none"],
        key=f"{prefix}_baseline",
        format_func={
            "edges": "subtract median of range edges",
            "none": "none (data already dark-subtracted)",
        }.get,
    )
    white_point = st.selectbox(
        "White point for λd and purity",
        ["E", "D65"],
        key=f"{prefix}_white",
        help="E (x = y = 1/3) is the CIE convention for emitters; D65 is common in "
        "papers.",
    )
    return {
        "threshold_nm": float(threshold_nm),
        "noise_k": float(noise_k),
        "window_k": float(window_k),
        "colour_window_fwhm": float(colour_window) if windowed else None,
        "baseline": baseline,
        "white_point": white_point,
    }


def series_choices(prefix: str, name: str, series) -> dict:
    """
    Reference spectrum and spectra left out of one device's series.

    Parameters
    ----------
    prefix : str
        Start of the widget keys.
    name : str
        Device name (shown, and part of the keys).
    series : core.models.SpectralSeries

    Returns
    -------
    dict
        ``reference`` (None or an index), ``exclude`` (tuple of indices),
        ``exclude_axis_range`` (None or (low, high)): keyword arguments of
        :func:`core.stability.series_stability`.
    """
    key = f"{prefix}_{name}"
    unit = series.axis_unit

    def label(index):
        if index is None:
            return "automatic: first with emission"
        return f"#{index}: {series.axis[index]:g} {unit}".strip()

    indices = list(range(series.n_spectra))
    st.markdown(f"**{plain(name)}**")
    reference = st.selectbox("Reference spectrum", [None, *indices],
                             format_func=label, key=f"{key}_reference")  # fmt: skip
    exclude = st.multiselect("Leave out spectra", indices, format_func=label,
                             key=f"{key}_exclude")  # fmt: skip
    axis_range = None
    low, high = float(np.min(series.axis)), float(np.max(series.axis))
    if high > low and st.checkbox("Leave out an axis range", key=f"{key}_cut"):
        axis_range = st.slider(
            f"Axis range left out [{unit or 'index'}]", low, high, (low, low),
            key=f"{key}_cut_range",
        )  # fmt: skip
    return {
        "reference": reference,
        "exclude": tuple(exclude),
        "exclude_axis_range": tuple(axis_range) if axis_range else None,
    }


def efficiency_settings(prefix: str) -> tuple[float, float | None]:
    """
    Turn-on luminance and device area of an efficiency analysis.

    Returns
    -------
    tuple
        Turn-on luminance [cd/m²] (``turn_on_luminance_cd_m2`` of
        :func:`core.efficiency.efficiency_metrics`) and the area [cm²] for
        the reader, None to take it from the file.
    """
    st.header("Analysis settings")
    threshold = st.number_input(
        "Turn-on luminance [cd/m²]",
        min_value=0.001,
        max_value=1.0e4,
        value=1.0,
        step=0.5,
        key=f"{prefix}_turn_on",
        help="Turn-on is the first voltage at which L reaches this luminance; "
        "points before it are not used for maxima.",
    )
    area_input = st.number_input(
        "Device area [cm²] (0: from the file)",
        min_value=0.0,
        value=0.0,
        step=0.01,
        format="%.4f",
        key=f"{prefix}_area",
        help="Needed for files with a current column [A or mA] and no current "
        "density; when given it takes precedence over an area in the preamble.",
    )
    return float(threshold), (float(area_input) if area_input > 0 else None)


def literature_filters(table: pd.DataFrame, prefix: str) -> tuple[dict, dict]:
    """
    Filters of the literature table (year, emitter, halides, EL peak, ...).

    Parameters
    ----------
    table : pandas.DataFrame
        The table the choices are taken from (years, emitter classes).
    prefix : str
        Start of the widget keys.

    Returns
    -------
    tuple of dict
        Keyword arguments of :func:`core.literature.filter_table` and of
        :func:`core.literature.filter_years`.
    """
    st.header("Filters")
    years = table["year"].dropna().astype(int)
    year_min, year_max = st.slider(
        "Publication year",
        int(years.min()),
        int(years.max()),
        (int(years.min()), int(years.max())),
        key=f"{prefix}_years",
    )
    keep_undated = st.checkbox(
        "Keep rows without a year", value=True, key=f"{prefix}_undated"
    )
    emitter_options = sorted(set(table["emitter_class"]) - {""})
    emitters = st.multiselect(
        "Emitter", emitter_options, default=emitter_options, key=f"{prefix}_emitters"
    )
    halide_options = ["single-iodide", "mixed-Br-I", "other", ""]
    halides = st.multiselect(
        "Halides",
        halide_options,
        default=halide_options,
        format_func=lambda v: v or "(not stated)",
        key=f"{prefix}_halides",
    )
    filter_peak = st.checkbox(
        "Filter on EL peak (drops rows without one)", key=f"{prefix}_filter_peak"
    )
    peak_min, peak_max = st.slider(
        "EL peak window [nm]",
        600.0,
        700.0,
        (620.0, 650.0),
        step=1.0,
        disabled=not filter_peak,
        key=f"{prefix}_peak",
    )
    rankable_only = st.checkbox("Rankable rows only", key=f"{prefix}_rankable")
    include_lead_free = st.checkbox(
        "Include lead-free rows", value=True, key=f"{prefix}_lead_free"
    )
    return (
        {
            "emitter_classes": emitters,
            "halide_types": halides,
            "peak_min_nm": peak_min if filter_peak else None,
            "peak_max_nm": peak_max if filter_peak else None,
            "rankable_only": rankable_only,
            "include_lead_free": include_lead_free,
        },
        {"year_min": year_min, "year_max": year_max, "keep_undated": keep_undated},
    )


def lifetime_comparison_settings(prefix: str) -> tuple[float, float]:
    """
    Reference luminance [cd/m²] and acceleration exponent n for comparing T50s.

    The default n is :data:`core.lifetime.DEFAULT_ACCELERATION_N`.
    """
    st.header("Lifetime comparison")
    reference_luminance = st.number_input(
        "Reference luminance [cd/m²]",
        min_value=1.0,
        value=100.0,
        step=10.0,
        key=f"{prefix}_reference",
        help="Every T50 is shown at this luminance: taken as it is when L0 is "
        "within 5 % of it, otherwise converted with L0^n · T50 = const.",
    )
    acceleration_n = st.number_input(
        "Acceleration exponent n",
        min_value=1.0,
        max_value=3.0,
        value=DEFAULT_ACCELERATION_N,
        step=0.1,
        key=f"{prefix}_n",
    )
    return reference_luminance, acceleration_n


def lifetime_settings(prefix: str) -> dict:
    """
    Decay model, acceleration exponent, reference luminance and chart options.

    Returns
    -------
    dict
        ``method``, ``n``, ``reference`` [cd/m²], ``l0_from_model``,
        ``report_beyond_cap`` (arguments of :func:`ui.cached.lifetime_metrics`),
        ``log_time``, ``time_unit`` and ``from_max`` (chart options).
    """
    st.header("Analysis settings")
    low, high = ACCELERATION_BAND_N
    method = st.selectbox(
        "Decay model",
        DECAY_METHODS,
        key=f"{prefix}_method",
        help="Used for extrapolated T-values, the overlay and the residuals. "
        "Stretched exponential: exp(−(t/τ)^β); biexponential: two channels.",
    )
    n = st.number_input(
        "Acceleration exponent n",
        min_value=0.5,
        max_value=4.0,
        value=DEFAULT_ACCELERATION_N,
        step=0.1,
        key=f"{prefix}_n",
        help=f"L0^n · T = const. {low:g}–{high:g} is usual for OLED/QLED/PeLED; n "
        f"is fitted when a device has tests at {MIN_ACCELERATION_STRESSES} or more "
        "initial luminances.",
    )
    reference = st.number_input(
        "Reference luminance [cd/m²]",
        min_value=0.1,
        value=100.0,
        step=10.0,
        key=f"{prefix}_reference",
    )
    l0_from_model = st.checkbox(
        "L0 from the model",
        key=f"{prefix}_l0_model",
        help="Count T-values from the decay model's start value instead of the "
        "first reading, whose noise then no longer moves them (not for devices "
        "that brighten first).",
    )
    beyond_cap = st.checkbox(
        f"Report values beyond {EXTRAPOLATION_LIMIT:g}× the test",
        key=f"{prefix}_beyond_cap",
        help="Past 6x the test duration (IES TM-21) an extrapolated T-value is "
        "not reported; tick to see the model's value anyway, as an order of "
        "magnitude.",
    )
    time_axis = st.radio(
        "Time axis", ["log", "linear"], horizontal=True, key=f"{prefix}_time_axis"
    )
    time_unit = st.radio(
        "Time unit in charts", ["h", "min"], horizontal=True, key=f"{prefix}_unit"
    )
    from_max = st.checkbox(
        "Mark T-values counted from L_max too",
        key=f"{prefix}_from_max",
        help="Only for devices that brighten first.",
    )
    return {
        "method": method,
        "n": float(n),
        "reference": float(reference),
        "l0_from_model": bool(l0_from_model),
        "report_beyond_cap": bool(beyond_cap),
        "log_time": time_axis == "log",
        "time_unit": time_unit,
        "from_max": from_max,
    }
