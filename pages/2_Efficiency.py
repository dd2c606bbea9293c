"""Efficiency: EQE, roll-off, turn-on and device-to-device statistics."""

from __future__ import annotations

import streamlit as st

from core import efficiency
from core.figures import efficiency as figures
from core.models import Device
from ui.cached import demo_batch
from ui.cards import BATCH_METRICS, batch_cards, efficiency_cards
from ui.device import device_bar
from ui.efficiency import (
    add_upload_button,
    data_error_messages,
    results_of,
    session_entries,
    upload_devices,
    warnings_without_data_errors,
)
from ui.export import preset_selector, set_page_context, show_chart, zip_download
from ui.session import color_scale, get_devices, set_efficiency_threshold
from ui.settings import efficiency_settings
from ui.tables import show_table
from ui.widgets import (
    analysis_messages,
    device_picker,
    el_spectrum_inputs,
    jvl_upload_input,
)

device_bar("Efficiency · PeLED Bench")  # page config + the current device
st.title("Efficiency")
st.caption(
    "EQE from J, L and the EL spectrum (Lambertian emitter, integrated over the "
    "measured spectrum with the CIE 1924 V(λ)), current and power efficiency, "
    "turn-on, roll-off, and the spread over many devices. Turn-on is the first "
    "voltage from which L stays at or above the threshold and above the meter's "
    "noise; maxima are taken from there on, never over a point that breaks a "
    "physical limit (EQE > 100 %, PE > 683 lm/W)."
)
preset_selector("efficiency_preset")

MAX_CARDS = 4
MAX_OVERLAY = 8
SOURCES = ["Session devices", "Upload files", "Demo batch (50 synthetic devices)"]


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    threshold, area_cm2 = efficiency_settings("efficiency")
set_efficiency_threshold(threshold)  # Literature and Report use it too

session_with_jvl = [d for d in get_devices() if d.jvl]
source = st.radio(
    "Data",
    SOURCES,
    index=0 if session_with_jvl else 1,
    horizontal=True,
    key="efficiency_source",
)

entries: dict[str, tuple[Device, int]] = {}
if source == "Upload files":
    uploads = jvl_upload_input("efficiency", area_cm2)
    el = el_spectrum_inputs("efficiency")
    if not uploads:
        st.info(
            "Upload J-V-L sweeps, or switch to *Session devices* (load the demo on "
            "Home) or to the demo batch."
        )
        st.stop()
    uploaded = upload_devices(uploads, el, area_cm2)
    if not uploaded:
        st.stop()
    add_upload_button(uploaded)
    entries = {name: (device, 0) for name, device in uploaded.items()}
elif source == "Session devices":
    if not session_with_jvl:
        st.info(
            "No session device has a J-V-L sweep yet. Load the demo on Home, or "
            "upload files."
        )
        st.stop()
    entries = session_entries(device_picker(session_with_jvl, "efficiency_devices"))
    if not entries:
        st.info("Pick at least one device.")
        st.stop()
else:
    batch = demo_batch(50)
    entries = {s.label: (Device(s.label, jvl=(s,)), 0) for s in batch}
    st.caption(
        "50 **synthetic demo data** devices around a 22.0 % mean and a 26.0 % "
        "champion EQE, shaped on Ren et al., ACS Materials Lett. 2024, "
        "doi:10.1021/acsmaterialslett.4c00912."
    )

# --- Analysis ---------------------------------------------------------------
set_page_context(
    files=[*uploads, el["upload"]] if source == "Upload files" else (),
    data=[device for device, _ in entries.values()],
    settings={"turn_on_luminance_cd_m2": threshold, "area_cm2": area_cm2},
)
results = results_of(entries, float(threshold))
result_list = list(results.values())

many = len(results) > MAX_OVERLAY
data_error_messages(results)
analysis_messages(
    {name: warnings_without_data_errors(r) for name, r in results.items()},
    {
        name: list(device.jvl[index].notes)
        if many
        else efficiency.sweep_notes(device.jvl[index])
        for name, (device, index) in entries.items()
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
show_table(summary, "efficiency_dl_summary", "efficiency_summary")

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
    key = f"efficiency_dl_{KEYS.get(name, name)}"
    columns = ["device", x, y, "above_turn_on", "data_problem"]
    show_chart(chart, name, key, shown[columns])
    drawn = shown if name in ("jv", "lv") else above  # what the chart can show
    hidden = figures.hidden_on_log_axes(drawn, x, y, log_x, log_y)
    if hidden:
        st.caption(f"{hidden} point(s) with values ≤ 0 are not shown on the log axis.")


with tab_jvl:
    log_j = st.checkbox("Log current density", True, key="efficiency_log_j")
    draw("jv", V, J, log_y=log_j)
    draw("lv", V, L, log_y=True)

above = shown.loc[shown["above_turn_on"].astype(bool)]
with tab_eqe:
    if above["eqe_percent"].notna().any():
        st.caption(
            "Points of the emitting range only; open red circles are data errors "
            "(a physical limit broken), left out of every maximum."
        )
        draw("eqe_luminance", L, "eqe_percent", log_x=True)
        draw("eqe_current_density", J, "eqe_percent", log_x=True)
    else:
        st.info(
            "No EQE to draw: give the EL spectrum (upload it, or borrow a session "
            "device's), or use files with an EQE column."
        )

with tab_ce:
    st.caption(
        "Points of the emitting range only (open red circles: data errors); PE "
        "assumes a Lambertian emitter."
    )
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
        hist_data = summary[["device", metric]]
        show_chart(histogram, f"batch_{metric}", "efficiency_dl_hist", hist_data)
        st.caption("Dashed line: mean; solid line: median.")
        show_table(stats, "efficiency_dl_stats", "batch_statistics")

with tab_points:
    st.caption(
        "Every measured point: the EQE used, the EQE computed from the spectrum, "
        "the file's own EQE and their ratio, CE and PE; *above turn-on* marks the "
        "emitting range, *data problem* the physical limit a point breaks (such "
        "points are left out of every maximum), *spectrum voltage* the spectrum "
        "a point used and *spectrum replaced* where its own was noise."
    )
    show_table(points, "efficiency_dl_points", "efficiency_points")

st.divider()
zip_download("efficiency_zip", "efficiency_figures")
