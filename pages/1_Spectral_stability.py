"""Spectral stability: peak drift, FWHM and CIE trajectories of EL series."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core import stability
from core.errors import InputError
from core.figures import cie as cie_figures
from core.figures import spectra as spectra_figures
from core.models import SpectralSeries
from ui.cached import read_spectra, series_digest, series_stability
from ui.cards import stability_cards
from ui.device import device_bar
from ui.export import (
    preset_selector,
    set_page_context,
    show_chart,
    zip_download,
)
from ui.memo import built, key_of
from ui.session import add_to_device, color_scale, current_device_name, get_devices
from ui.settings import series_choices, stability_settings
from ui.tables import show_table
from ui.text import plain
from ui.widgets import (
    device_picker,
    parse_number_list,
    series_notes,
    spectra_upload_inputs,
)

#: Charts without a trend: column, axis title, file name, key.
ABSOLUTE_CHARTS = [
    ("peak_nm", "EL peak [nm]", "peak", "peak_abs"),
    ("outside_percent", "emission outside the reference's peak ± k·FWHM [%]",
     "outside_window", "outside"),
]  # fmt: skip

device_bar("Spectral stability · PeLED Bench")  # page config + the current device
st.title("Spectral stability")
st.caption(
    "How the colour of a device moves over a lifetime test or a bias sweep, "
    "against the noise: peak drift, FWHM, CIE 1931 trajectory and emission bands, "
    "each from a reference spectrum (the first with emission, or one you pick)."
)
preset_selector("stability_preset")


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    settings = stability_settings("stability")
threshold_nm, white_point = settings["threshold_nm"], settings["white_point"]
noise_k = settings["noise_k"]

source = st.radio("Data", ["Session devices", "Upload files"], horizontal=True,
                  key="stability_source")  # fmt: skip

series_by_device: dict[str, SpectralSeries] = {}
if source == "Upload files":
    upload = spectra_upload_inputs("stability")
    device_name = st.text_input(
        "Device name", current_device_name() or "My device", key="stability_device"
    )
    if not upload["files"]:
        st.info(
            "Upload EL spectra, or switch to *Session devices* (load the demo on Home)."
        )
        st.stop()
    try:
        with st.spinner("Reading the files…"):
            axis_values = parse_number_list(upload.pop("axis_text"), "Axis values")
            series = read_spectra(**upload, axis_values=axis_values)
    except InputError as error:
        st.error(plain(error))
        st.stop()
    series_by_device[device_name] = series
    if st.button("Add to session as this device", key="stability_add"):
        field = "spectra_time" if series.axis_name == "time" else "spectra_bias"
        add_to_device(device_name, **{field: series})
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
    for device in device_picker(devices, "stability_devices"):
        chosen = device.spectra_time if kind == "over time" else device.spectra_bias
        if chosen is not None:
            series_by_device[device.name] = chosen
    if not series_by_device:
        st.info("Pick at least one device with this kind of series.")
        st.stop()

# --- Analysis ---------------------------------------------------------------
with st.sidebar:
    st.header("Reference and spectra left out")
    choices = {
        n: series_choices("stability", n, s) for n, s in series_by_device.items()
    }
try:
    with st.spinner("Computing peak, FWHM, colour and bands of every spectrum…"):
        results = {
            name: series_stability(series, **settings, **choices[name])
            for name, series in series_by_device.items()
        }
except InputError as error:
    st.error(plain(error))
    st.stop()
set_page_context(
    files=(*upload["files"], upload["dark"]) if source == "Upload files" else (),
    data=series_by_device.items(),
    settings=settings | {"per_device": choices},
)

first_series = next(iter(series_by_device.values()))
axis_title = first_series.axis_label
if len({s.axis_label for s in series_by_device.values()}) > 1:
    st.warning(
        "The chosen series have different axes; the charts use the first "
        f"one's title ({plain(axis_title)})."
    )
scale = color_scale(extra=list(series_by_device))
# What every chart is made from: a rerun rebuilds only the charts it changes.
digests = [(n, series_digest(s), choices[n]) for n, s in series_by_device.items()]
inputs = key_of(digests, settings, scale.to_dict())

synthetic = [n for n, s in series_by_device.items() if "synthetic" in s.source.lower()]
if synthetic:
    st.caption(plain(f"Synthetic demo data: {', '.join(synthetic)}."))
for name, result in results.items():
    for warning in result.warnings:
        st.warning(plain(f"{name}: {warning}"))
series_notes(series_by_device)

# --- Summary cards ----------------------------------------------------------
st.subheader("Summary")
for name, result in results.items():
    stability_cards(name, result, white_point)

# --- Charts -----------------------------------------------------------------
combined = stability.combined_metrics(results)
tab_spectra, tab_metrics, tab_cie, tab_table = st.tabs(
    ["Spectra", "Peak and FWHM", "CIE diagram", "Table"]
)
with tab_spectra:
    shown = st.selectbox("Device", list(series_by_device), key="stability_shown")
    series = series_by_device[shown]
    wl = series.wavelength_nm
    wl_range = st.slider("Wavelength range [nm]", float(wl[0]), float(wl[-1]),
                         stability.peak_window_nm(series, results[shown]),
                         key=f"stability_range_{shown}")  # fmt: skip
    normalise = st.checkbox(
        "Normalise each spectrum to its maximum", True, key="stability_normalise"
    )
    view = (inputs, shown, normalise, wl_range)
    frame, overlay = built(("overlay", *view), lambda: spectra_figures.overlay_figure(
        series, normalise=normalise, wavelength_range=wl_range))  # fmt: skip
    if series.n_spectra > spectra_figures.MAX_OVERLAY_LINES:
        st.caption(
            f"{frame.spectrum.nunique()} of {series.n_spectra} spectra drawn, "
            "evenly spaced along the axis; the heatmap shows all of them."
        )
    show_chart(overlay, f"{shown}_spectra", "stability_dl_overlay", frame)
    heat_frame, heat = built(("heatmap", *view), lambda: spectra_figures.heatmap_figure(
        series, normalise=normalise, wavelength_range=wl_range))  # fmt: skip
    show_chart(heat, f"{shown}_heatmap", "stability_dl_heat", heat_frame)
    difference = built(("difference", *view), lambda: spectra_figures.difference_chart(
        series, results[shown], wavelength_range=wl_range))  # fmt: skip
    st.markdown("**Difference from the reference spectrum** (both normalised)")
    show_chart(difference, f"{shown}_difference", "stability_dl_diff")

with tab_metrics:
    for kind, (_, _, title, basename) in spectra_figures.TREND_CHARTS.items():
        frame, chart = built(("trend", inputs, kind), partial(
            spectra_figures.trend_figure, combined, kind, noise_k, title, axis_title,
            scale, threshold_nm if kind == "peak" else None))  # fmt: skip
        show_chart(chart, basename, f"stability_dl_{kind}", frame)  # fmt: skip
    st.caption(
        f"Points: measured; line and band: smoothed trend ± {noise_k:g} standard "
        "errors (from the scatter of the series); grey crosses: spectra left out."
    )
    drawn = combined.assign(outside_percent=100 * combined.outside_fraction)
    for column, title, basename, key in ABSOLUTE_CHARTS:
        chart = built(
            ("metric", inputs, column),
            partial(
                spectra_figures.metric_chart, drawn, column, title, axis_title, scale
            ),
        )
        data = drawn[["device", "axis", column, "included"]]
        show_chart(chart, basename, f"stability_dl_{key}", data)

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
    columns = ["device", "axis", "cie_x", "cie_y", "cie_x_sd", "cie_y_sd",
               "u_prime_sd", "v_prime_sd"]  # fmt: skip
    points = combined.loc[combined["included"], columns]
    cie = built(("cie", inputs, space, zoom), partial(
        cie_figures.cie_chart, points, space=space, zoom=zoom, color_scale=scale,
        axis_title=axis_title))  # fmt: skip
    show_chart(cie, f"cie_{space}", "stability_dl_cie", points)
    st.caption(
        "Circle: first spectrum used; square: last, each with ±2σ bars from its "
        "noise. Cross: BT.2020 red (0.708, 0.292). Spectra left out are not "
        f"drawn. λd and purity use white point {white_point}."
    )

with tab_table:
    show_table(combined, "stability_dl_table", "spectral_metrics")
    st.caption(
        "included: used in the stability figures (exclusion says why not); "
        "columns ending _sd are σ from each spectrum's noise."
    )
    bands = stability.combined_bands(results)
    st.markdown("**Emission bands** (main, resolved and shoulders against the "
                "reference; fraction = share of the emission)")  # fmt: skip
    show_table(bands, "stability_dl_bands", "emission_bands")

st.divider()
zip_download("stability_zip", "spectral_stability_figures")
