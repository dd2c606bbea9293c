"""Spectral stability: peak drift, FWHM and CIE trajectories of EL series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import stability
from core.errors import InputError
from core.figures import cie as cie_figures
from core.figures import spectra as spectra_figures
from core.io import read_spectra_files, read_spectral_series, wavelength_grid
from core.models import AXIS_DEFAULT_UNITS, AXIS_NAMES, Device, SpectralSeries
from ui.export import chart_downloads, preset_selector, table_download, zip_download
from ui.session import color_scale, get_device, get_devices, upsert_device
from ui.text import plain
from ui.widgets import wavelength_grid_inputs

st.set_page_config(page_title="Spectral stability · PeLED Bench", layout="wide")
st.title("Spectral stability")
st.caption(
    "How the colour of a device moves over a lifetime test or a bias sweep: peak "
    "drift, FWHM, CIE 1931 trajectory, emission outside the first spectrum's window."
)
preset_selector("stability_preset")


@st.cache_data(show_spinner=False, max_entries=16)
def load_uploaded(files, dark, axis_name, axis_unit, grid, axis_values, order):
    """Cached reader call keyed on the uploaded bytes and the reader options."""
    grid_nm = wavelength_grid(*grid) if grid else None
    values = np.asarray(axis_values, dtype=float) if axis_values else None
    dark_name, dark_bytes = dark if dark else (None, None)
    if len(files) == 1:
        name, data = files[0]
        return read_spectral_series(
            data,
            name,
            axis_name=axis_name,
            axis_unit=axis_unit,
            wavelength_nm=grid_nm,
            axis_values=values,
            dark=dark_bytes,
            dark_name=dark_name,
        )
    return read_spectra_files(
        list(files),
        order=order,
        axis_name=axis_name,
        axis_unit=axis_unit,
        axis_values=values,
        dark=dark_bytes,
        dark_name=dark_name,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def analyse(series: SpectralSeries, threshold_nm, window_k, baseline, white_point):
    return stability.series_stability(
        series,
        threshold_nm=threshold_nm,
        window_k=window_k,
        baseline=baseline,
        white_point=white_point,
    )


def signed_nm(value: float) -> str:
    """A shift short enough for a metric card: +0.22 nm, +4.57 nm, +77.8 nm."""
    if not np.isfinite(value):
        return "—"
    return f"{value:+.2f} nm" if abs(value) < 10 else f"{value:+.1f} nm"


def parse_axis_values(text: str) -> list[float] | None:
    if not text.strip():
        return None
    tokens = text.replace(";", ",").replace("\n", ",").replace("\t", ",").split(",")
    values = []
    for position, token in enumerate(t for t in tokens if t.strip()):
        try:
            values.append(float(token))
        except ValueError:
            raise InputError(
                f"Axis values, item {position + 1}: expected a number, found "
                f"'{token.strip()}'. Separate values with commas or new lines."
            ) from None
    return values


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    st.header("Analysis settings")
    threshold_nm = st.number_input(
        "Peak-shift threshold [nm]",
        0.05,
        50.0,
        1.0,
        0.1,
        key="stability_threshold",
        help="The axis value at which |Δpeak| first exceeds this is reported.",
    )
    window_k = st.number_input(
        "Emission window half-width [× FWHM]",
        0.5,
        5.0,
        2.0,
        0.5,
        key="stability_window_k",
        help="Emission outside the first spectrum's peak ± k·FWHM is reported.",
    )
    baseline = st.selectbox(
        "Baseline",
        ["edges", "none"],
        key="stability_baseline",
        format_func={
            "edges": "subtract median of range edges",
            "none": "none (data already dark-subtracted)",
        }.get,
    )
    white_point = st.selectbox(
        "White point for λd and purity",
        ["E", "D65"],
        key="stability_white",
        help="E (x = y = 1/3) is the CIE convention for emitters; D65 is common in "
        "papers.",
    )

source = st.radio(
    "Data",
    ["Session devices", "Upload files"],
    horizontal=True,
    key="stability_source",
)

series_by_device: dict[str, SpectralSeries] = {}
if source == "Upload files":
    uploads = st.file_uploader(
        "EL spectra: one series file (wide, long, transposed, .xlsx) or several "
        "single-spectrum files (SpectraSuite, OceanView, SpectraWiz, AvaSoft, "
        "SpectraWin, CSV)",
        accept_multiple_files=True,
        key="stability_files",
    )
    c1, c2, c3 = st.columns(3)
    axis_name = c1.selectbox("Series axis", AXIS_NAMES, key="stability_axis_name")
    axis_unit = c2.text_input(
        "Axis unit", AXIS_DEFAULT_UNITS[axis_name], key=f"stability_unit_{axis_name}"
    )
    order = c3.selectbox(
        "Order of several files",
        ["name", "timestamp", "given"],
        key="stability_order",
        format_func={
            "name": "by the number in the file name",
            "timestamp": "by the time stamp in the file",
            "given": "as uploaded",
        }.get,
    )
    with st.expander("Headerless matrix, axis values and dark spectrum"):
        grid = wavelength_grid_inputs(
            "stability", "The file has no wavelength column: give the grid"
        )
        axis_text = st.text_area(
            "Axis value of each spectrum (comma-separated; e.g. the voltages of "
            "the matching J-V-L file)",
            key="stability_axis_values",
        )
        dark_file = st.file_uploader(
            "Dark spectrum to subtract (same grid)", key="stability_dark"
        )
    device_name = st.text_input("Device name", "My device", key="stability_device")
    if not uploads:
        st.info(
            "Upload EL spectra, or switch to *Session devices* (load the demo on Home)."
        )
        st.stop()
    try:
        with st.spinner("Reading the files…"):
            series = load_uploaded(
                tuple((f.name, f.getvalue()) for f in uploads),
                (dark_file.name, dark_file.getvalue()) if dark_file else None,
                axis_name,
                axis_unit,
                grid,
                tuple(parse_axis_values(axis_text) or ()),
                order,
            )
    except InputError as error:
        st.error(plain(error))
        st.stop()
    series_by_device[device_name] = series
    if st.button("Add to session as this device", key="stability_add"):
        existing = get_device(device_name)
        field = "spectra_time" if series.axis_name == "time" else "spectra_bias"
        if existing is None:
            upsert_device(Device(name=device_name, **{field: series}))
        else:
            from dataclasses import replace

            upsert_device(replace(existing, **{field: series}))
        st.success(f"Added to the session as '{device_name}'.")
else:
    devices = [
        d
        for d in get_devices()
        if d.spectra_time is not None or d.spectra_bias is not None
    ]
    if not devices:
        st.info(
            "No session device has spectra yet. Load the demo on Home or upload files."
        )
        st.stop()
    kind = st.radio(
        "Series", ["over time", "over bias"], horizontal=True, key="stability_kind"
    )
    names = st.multiselect(
        "Devices",
        [d.name for d in devices],
        default=[d.name for d in devices],
        key="stability_devices",
    )
    for device in devices:
        if device.name not in names:
            continue
        chosen = device.spectra_time if kind == "over time" else device.spectra_bias
        if chosen is not None:
            series_by_device[device.name] = chosen
    if not series_by_device:
        st.info("Pick at least one device with this kind of series.")
        st.stop()

# --- Analysis ---------------------------------------------------------------
results: dict[str, stability.StabilityResult] = {}
with st.spinner("Computing peak, FWHM and colour of every spectrum…"):
    for name, series in series_by_device.items():
        results[name] = analyse(series, threshold_nm, window_k, baseline, white_point)

first_series = next(iter(series_by_device.values()))
axis_title = first_series.axis_label
if len({s.axis_label for s in series_by_device.values()}) > 1:
    st.warning(
        "The chosen series have different axes; the charts use the first "
        f"one's title ({plain(axis_title)})."
    )
scale = color_scale(extra=list(series_by_device))

synthetic = [n for n, s in series_by_device.items() if "synthetic" in s.source.lower()]
if synthetic:
    st.caption(plain(f"Synthetic demo data: {', '.join(synthetic)}."))
for name, result in results.items():
    for warning in result.warnings:
        st.warning(plain(f"{name}: {warning}"))
with st.expander("What the readers did with the files"):
    for name, series in series_by_device.items():
        st.markdown(
            f"**{plain(name)}** — {series.n_spectra} spectra, "
            f"{series.wavelength_nm.size} wavelengths "
            f"({series.wavelength_nm[0]:.1f}–{series.wavelength_nm[-1]:.1f} nm), "
            f"source: {plain(series.source or 'upload')}"
        )
        for note in series.notes:
            st.caption(plain(note))

# --- Summary cards ----------------------------------------------------------
st.subheader("Summary")
for name, result in results.items():
    unit = result.axis_unit
    first = result.metrics.iloc[0]
    st.markdown(f"**{plain(name)}**")
    cols = st.columns(6)
    cols[0].metric(
        "First peak",
        f"{first.peak_nm:.1f} nm",
        help=f"FWHM {first.fwhm_nm:.1f} nm",
    )
    cols[1].metric(
        "Peak shift (last−first)",
        signed_nm(result.peak_shift_nm),
        help=f"max |Δpeak| {result.max_abs_peak_shift_nm:.2f} nm",
    )
    cols[2].metric(
        "FWHM change",
        signed_nm(result.fwhm_change_nm),
        help=f"max |ΔFWHM| {result.max_abs_fwhm_change_nm:.2f} nm",
    )
    cols[3].metric("max Δu'v'", f"{result.max_delta_u_prime_v_prime:.4f}")
    rate = result.drift_rate_nm_per_unit
    cols[4].metric(
        f"Drift rate [nm/{unit or 'step'}]",
        "—" if not np.isfinite(rate) else f"{rate:+.3g}",
        help="Slope of a least-squares line of peak against the axis "
        f"(± {result.drift_rate_stderr:.2g}).",
    )
    at = result.axis_at_threshold
    cols[5].metric(
        f"|Δpeak| > {result.threshold_nm:g} nm at",
        "never" if not np.isfinite(at) else f"{at:.3g} {unit}",
    )
    st.caption(
        f"CIE ({first.cie_x:.4f}, {first.cie_y:.4f}) → "
        f"({result.metrics.cie_x.iloc[-1]:.4f}, {result.metrics.cie_y.iloc[-1]:.4f}); "
        f"λd {first.dominant_nm:.1f} nm (white point {white_point}); "
        f"distance to BT.2020 red {first.distance_bt2020_xy:.4f} in xy; "
        "max emission outside the first window "
        f"{100 * result.max_outside_fraction:.2f} %; "
        + (
            "second emission peak first at "
            f"{result.first_secondary_peak_axis:.3g} {unit}"
            if result.secondary_peak_detected
            else "no second emission peak"
        )
    )

# --- Charts -----------------------------------------------------------------
combined = pd.concat(
    [r.metrics.assign(device=name) for name, r in results.items()], ignore_index=True
)
tab_spectra, tab_metrics, tab_cie, tab_table = st.tabs(
    ["Spectra", "Peak and FWHM", "CIE diagram", "Table"]
)
with tab_spectra:
    shown = st.selectbox("Device", list(series_by_device), key="stability_shown")
    series = series_by_device[shown]
    peak = results[shown].metrics.peak_nm.median()
    fwhm = results[shown].metrics.fwhm_nm.median()
    wl = series.wavelength_nm
    default_range = (
        (float(max(wl[0], peak - 4 * fwhm)), float(min(wl[-1], peak + 4 * fwhm)))
        if np.isfinite(peak) and np.isfinite(fwhm)
        else (float(wl[0]), float(wl[-1]))
    )
    wl_range = st.slider(
        "Wavelength range [nm]",
        float(wl[0]),
        float(wl[-1]),
        default_range,
        key=f"stability_range_{shown}",
    )
    normalise = st.checkbox(
        "Normalise each spectrum to its maximum", True, key="stability_normalise"
    )
    frame = spectra_figures.overlay_frame(
        series, normalise=normalise, wavelength_range=wl_range
    )
    if series.n_spectra > spectra_figures.MAX_OVERLAY_LINES:
        st.caption(
            f"{frame.spectrum.nunique()} of {series.n_spectra} spectra drawn, "
            "evenly spaced along the axis; the heatmap shows all of them."
        )
    overlay = spectra_figures.overlay_chart(frame, series.axis_label, normalise)
    st.altair_chart(overlay, width="stretch")
    chart_downloads(overlay, f"{shown}_spectra", "stability_dl_overlay", frame)
    heat_frame = spectra_figures.heatmap_frame(
        series, wavelength_range=wl_range, normalise="each" if normalise else True
    )
    heat = spectra_figures.heatmap_chart(heat_frame, series.axis_label)
    st.altair_chart(heat, width="stretch")
    chart_downloads(heat, f"{shown}_heatmap", "stability_dl_heat", heat_frame)
    difference = spectra_figures.difference_chart(
        series, results[shown], wavelength_range=wl_range
    )
    st.markdown("**Difference from the first spectrum** (both normalised)")
    st.altair_chart(difference, width="stretch")
    chart_downloads(difference, f"{shown}_difference", "stability_dl_diff")

with tab_metrics:
    peak_chart = spectra_figures.metric_chart(
        combined,
        "delta_peak_nm",
        "peak shift from first [nm]",
        axis_title,
        scale,
        threshold=threshold_nm,
    )
    st.altair_chart(peak_chart, width="stretch")
    chart_downloads(
        peak_chart,
        "peak_shift",
        "stability_dl_peak",
        combined[["device", "axis", "peak_nm", "delta_peak_nm"]],
    )
    peak_abs = spectra_figures.metric_chart(
        combined, "peak_nm", "EL peak [nm]", axis_title, scale
    )
    st.altair_chart(peak_abs, width="stretch")
    chart_downloads(
        peak_abs,
        "peak",
        "stability_dl_peak_abs",
        combined[["device", "axis", "peak_nm"]],
    )
    fwhm_chart = spectra_figures.metric_chart(
        combined, "fwhm_nm", "FWHM [nm]", axis_title, scale
    )
    st.altair_chart(fwhm_chart, width="stretch")
    chart_downloads(
        fwhm_chart,
        "fwhm",
        "stability_dl_fwhm",
        combined[["device", "axis", "fwhm_nm", "delta_fwhm_nm"]],
    )
    outside_chart = spectra_figures.metric_chart(
        combined.assign(outside_percent=100 * combined.outside_fraction),
        "outside_percent",
        "emission outside first window [%]",
        axis_title,
        scale,
    )
    st.altair_chart(outside_chart, width="stretch")
    chart_downloads(outside_chart, "outside_window", "stability_dl_outside")

with tab_cie:
    c1, c2 = st.columns(2)
    space = c1.radio(
        "Space",
        ["xy", "uv"],
        horizontal=True,
        key="stability_space",
        format_func={"xy": "CIE 1931 xy", "uv": "CIE 1976 u'v'"}.get,
    )
    zoom = c2.radio(
        "View",
        ["data", "red corner", "full"],
        horizontal=True,
        key="stability_zoom",
        format_func={
            "data": "fit the trajectories",
            "red corner": "red corner",
            "full": "whole diagram",
        }.get,
    )
    points = combined[["device", "axis", "cie_x", "cie_y"]]
    cie = cie_figures.cie_chart(
        points, space=space, zoom=zoom, color_scale=scale, axis_title=axis_title
    )
    st.altair_chart(cie, width="stretch")
    st.caption(
        "Circle: first spectrum; square: last. Cross: BT.2020 red "
        f"(0.708, 0.292). λd and purity use white point {white_point}."
    )
    chart_downloads(cie, f"cie_{space}", "stability_dl_cie", points)

with tab_table:
    st.dataframe(combined, width="stretch", hide_index=True)
    table_download(combined, "spectral_metrics", "stability_dl_table")

st.divider()
zip_download("stability_zip", "spectral_stability_figures")
