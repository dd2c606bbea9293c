"""
Settings widgets of each analysis: their keys, and the core arguments they give.

Each function draws its widgets where it is called (usually in the sidebar)
and returns the values under the names of the core function's arguments.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["stability_settings", "efficiency_settings"]


def stability_settings(prefix: str) -> dict:
    """
    Threshold, emission window, baseline and white point of a stability analysis.

    Returns
    -------
    dict
        ``threshold_nm``, ``window_k``, ``baseline``, ``white_point``: the
        keyword arguments of :func:`core.stability.series_stability`.
    """
    st.header("Analysis settings")
    threshold_nm = st.number_input(
        "Peak-shift threshold [nm]",
        0.05,
        50.0,
        1.0,
        0.1,
        key=f"{prefix}_threshold",
        help="The axis value at which |Δpeak| first exceeds this is reported.",
    )
    window_k = st.number_input(
        "Emission window half-width [× FWHM]",
        0.5,
        5.0,
        2.0,
        0.5,
        key=f"{prefix}_window_k",
        help="Emission outside the first spectrum's peak ± k·FWHM is reported.",
    )
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
        "threshold_nm": threshold_nm,
        "window_k": window_k,
        "baseline": baseline,
        "white_point": white_point,
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
