"""Efficiency: EQE, roll-off, turn-on and device-to-device statistics."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core import efficiency
from core.errors import InputError
from core.figures import efficiency as figures
from core.models import JVLSweep
from core.summary import device_el_spectrum, efficiency_spectrum
from ui.cached import demo_batch, read_spectrum, read_sweep
from ui.cards import BATCH_METRICS, batch_cards, efficiency_cards
from ui.export import chart_downloads, preset_selector, table_download, zip_download
from ui.session import add_to_device, color_scale, get_device, get_devices
from ui.settings import efficiency_settings
from ui.widgets import (
    analysis_messages,
    device_picker,
    el_spectrum_inputs,
    error_once,
)

st.set_page_config(page_title="Efficiency · PeLED Bench", layout="wide")
st.title("Efficiency")
st.caption(
    "EQE from J, L and the EL spectrum (Lambertian emitter, integrated over the "
    "measured spectrum with the CIE 1924 V(λ)), current and power efficiency, "
    "turn-on, roll-off, and the spread over many devices. Points below turn-on "
    "are meter noise: they are masked before any maximum is taken."
)
preset_selector("efficiency_preset")

MAX_CARDS = 4
MAX_OVERLAY = 8
SOURCES = ["Session devices", "Upload files", "Demo batch (50 synthetic devices)"]


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    threshold, area_cm2 = efficiency_settings("efficiency")

session_with_jvl = [d for d in get_devices() if d.jvl]
source = st.radio(
    "Data",
    SOURCES,
    index=0 if session_with_jvl else 1,
    horizontal=True,
    key="efficiency_source",
)

sweeps: dict[str, JVLSweep] = {}
if source == "Upload files":
    uploads = st.file_uploader(
        "J-V-L(-EQE) sweeps: one file per pixel or device (TXT, CSV, DAT, XLSX)",
        accept_multiple_files=True,
        key="efficiency_files",
    )
    el = el_spectrum_inputs("efficiency")
    if not uploads:
        st.info(
            "Upload J-V-L sweeps, or switch to *Session devices* (load the demo on "
            "Home) or to the demo batch."
        )
        st.stop()
    show_once = error_once()
    read = []
    for upload in uploads:
        try:
            sweep = read_sweep(upload.getvalue(), upload.name, area_cm2)
        except InputError as error:
            show_once(error)
            continue
        spectrum = None
        if el["upload"] is not None:
            voltages = tuple(sweep.voltage_v.tolist()) if el["per_voltage"] else None
            try:
                spectrum = read_spectrum(
                    el["upload"].getvalue(), el["upload"].name, el["grid"], voltages
                )
            except InputError as error:
                show_once(error)
        elif el["device"] != "none":
            spectrum = device_el_spectrum(get_device(el["device"]))
        read.append(sweep if spectrum is None else replace(sweep, spectrum=spectrum))
    sweeps = efficiency.unique_labels(read)
    if not sweeps:
        st.stop()
    if st.button("Add these sweeps to the session", key="efficiency_add"):
        for name, sweep in sweeps.items():
            add_to_device(name, jvl=(sweep,))
        st.success(f"Added {len(sweeps)} device(s) to the session.")
elif source == "Session devices":
    if not session_with_jvl:
        st.info(
            "No session device has a J-V-L sweep yet. Load the demo on Home, or "
            "upload files."
        )
        st.stop()
    for device in device_picker(session_with_jvl, "efficiency_devices"):
        for number, sweep in enumerate(device.jvl, start=1):
            name = device.name if len(device.jvl) == 1 else f"{device.name} #{number}"
            sweep = replace(sweep, spectrum=efficiency_spectrum(device, sweep))
            sweeps[name] = replace(sweep, label=name)
    if not sweeps:
        st.info("Pick at least one device.")
        st.stop()
else:
    sweeps = {s.label: s for s in demo_batch(50)}
    st.caption(
        "50 **synthetic demo data** devices around a 22.0 % mean and a 26.0 % "
        "champion EQE, shaped on Ren et al., ACS Materials Lett. 2024, "
        "doi:10.1021/acsmaterialslett.4c00912."
    )

# --- Analysis ---------------------------------------------------------------
results = {
    name: efficiency.efficiency_metrics(sweep, turn_on_luminance_cd_m2=float(threshold))
    for name, sweep in sweeps.items()
}
result_list = list(results.values())

many = len(sweeps) > MAX_OVERLAY
analysis_messages(
    {name: result.warnings for name, result in results.items()},
    {
        name: list(sweep.notes) if many else efficiency.sweep_notes(sweep)
        for name, sweep in sweeps.items()
    },
    collapse=many,
)

# --- Summary cards ----------------------------------------------------------
st.subheader("Summary")
if len(results) > MAX_CARDS:
    st.caption(f"{len(results)} devices: see the table and the batch statistics below.")
cards = list(results.items()) if len(results) <= MAX_CARDS else []
for name, result in cards:
    efficiency_cards(name, result)

summary = efficiency.batch_table(result_list)
st.dataframe(summary, width="stretch", hide_index=True)
table_download(summary, "efficiency_summary", "efficiency_dl_summary")

# --- Charts -----------------------------------------------------------------
points = efficiency.points_table(result_list)
overlay_names = list(results)
if len(results) > MAX_OVERLAY:
    overlay_names = st.multiselect(
        "Devices drawn in the curves",
        list(results),
        default=list(results)[:MAX_OVERLAY],
        key="efficiency_overlay",
    )
shown = points.loc[points["device"].isin(overlay_names)]
scale = color_scale(extra=overlay_names)

tab_jvl, tab_eqe, tab_ce, tab_batch, tab_points = st.tabs(
    ["J-V-L", "EQE", "CE and PE", "Batch statistics", "Points"]
)


V, J, L = "voltage_v", "current_density_ma_cm2", "luminance_cd_m2"
#: Download keys of the curves that differ from their name.
KEYS = {
    "eqe_luminance": "eqe_l",
    "eqe_current_density": "eqe_j",
    "current_efficiency": "ce",
    "power_efficiency": "pe",
}


def draw(name: str, x: str, y: str, log_x=False, log_y=False):
    """``figures.<name>_chart`` of the shown devices, with its downloads."""
    options = {"log_y": log_y} if name == "jv" else {}
    chart = getattr(figures, f"{name}_chart")(shown, color_scale=scale, **options)
    st.altair_chart(chart, width="stretch")
    hidden = figures.hidden_on_log_axes(shown, x, y, log_x, log_y)
    if hidden:
        st.caption(f"{hidden} point(s) with values ≤ 0 are not shown on the log axis.")
    key = f"efficiency_dl_{KEYS.get(name, name)}"
    chart_downloads(chart, name, key, shown[["device", x, y, "above_turn_on"]])


with tab_jvl:
    log_j = st.checkbox("Log current density", True, key="efficiency_log_j")
    draw("jv", V, J, log_y=log_j)
    draw("lv", V, L, log_y=True)

above = shown.loc[shown["above_turn_on"].astype(bool)]
with tab_eqe:
    if above["eqe_percent"].notna().any():
        st.caption("Points at or after turn-on only.")
        draw("eqe_luminance", L, "eqe_percent", log_x=True)
        draw("eqe_current_density", J, "eqe_percent", log_x=True)
    else:
        st.info(
            "No EQE to draw: give the EL spectrum (upload it, or borrow a session "
            "device's), or use files with an EQE column."
        )

with tab_ce:
    st.caption("Points at or after turn-on only; PE assumes a Lambertian emitter.")
    draw("current_efficiency", L, "current_efficiency_cd_a", log_x=True)
    draw("power_efficiency", L, "power_efficiency_lm_w", log_x=True)

with tab_batch:
    if len(results) < 2:
        st.info("Batch statistics need at least two devices (files or sweeps).")
    else:
        stats = efficiency.batch_statistics(result_list)
        metric = st.radio(
            "Figure of merit",
            list(BATCH_METRICS),
            format_func=lambda key: BATCH_METRICS[key][0],
            horizontal=True,
            key="efficiency_batch_metric",
        )
        batch_cards(stats, metric)
        histogram = figures.batch_histogram(summary, metric)
        st.altair_chart(histogram, width="stretch")
        st.caption("Dashed line: mean; solid line: median.")
        chart_downloads(
            histogram,
            f"batch_{metric}",
            "efficiency_dl_hist",
            summary[["device", metric]],
        )
        st.dataframe(stats, width="stretch")
        table_download(stats.reset_index(), "batch_statistics", "efficiency_dl_stats")

with tab_points:
    st.caption(
        "Every measured point: the EQE used, the EQE computed from the spectrum, "
        "the file's own EQE and their ratio, CE and PE; `above_turn_on` marks the "
        "points used for maxima."
    )
    st.dataframe(pd.DataFrame(points), width="stretch", hide_index=True)
    table_download(points, "efficiency_points", "efficiency_dl_points")

st.divider()
zip_download("efficiency_zip", "efficiency_figures")
