"""Efficiency: EQE, roll-off, turn-on and device-to-device statistics."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from core import efficiency
from core.demo.efficiency import demo_batch
from core.errors import InputError
from core.figures import efficiency as figures
from core.io import read_spectral_series, wavelength_grid
from core.io.jvl import read_jvl
from core.models import Device, JVLSweep, SpectralSeries
from core.summary import device_el_spectrum, efficiency_spectrum
from ui.export import chart_downloads, preset_selector, table_download, zip_download
from ui.session import color_scale, get_device, get_devices, upsert_device
from ui.text import plain
from ui.widgets import wavelength_grid_inputs

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


@st.cache_data(show_spinner=False, max_entries=64)
def load_sweep(data: bytes, name: str, area_cm2: float | None) -> JVLSweep:
    """Cached reader call keyed on the uploaded bytes and the area."""
    return read_jvl(data, name, area_cm2=area_cm2)


@st.cache_data(show_spinner=False, max_entries=16)
def load_spectrum(
    data: bytes, name: str, grid: tuple | None, voltages: tuple | None
) -> SpectralSeries:
    """Cached spectrum reader; ``voltages`` makes it a series over bias."""
    wavelength = wavelength_grid(*grid) if grid else None
    if voltages is None:
        return read_spectral_series(data, name, wavelength_nm=wavelength)
    return read_spectral_series(
        data,
        name,
        wavelength_nm=wavelength,
        axis_values=np.asarray(voltages, dtype=float),
        axis_name="voltage",
        axis_unit="V",
    )


@st.cache_data(show_spinner=False, max_entries=2)
def load_demo_batch(n: int) -> list[JVLSweep]:
    return demo_batch(n)


def value_text(value: float, unit: str, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f} {unit}".strip()
    return f"{value:.{digits}f} {unit}".strip()


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    st.header("Analysis settings")
    threshold = st.number_input(
        "Turn-on luminance [cd/m²]",
        min_value=0.001,
        max_value=1.0e4,
        value=1.0,
        step=0.5,
        key="efficiency_turn_on",
        help="Turn-on is the first voltage at which L reaches this luminance; "
        "points before it are not used for maxima.",
    )
    area_input = st.number_input(
        "Device area [cm²] (0: from the file)",
        min_value=0.0,
        value=0.0,
        step=0.01,
        format="%.4f",
        key="efficiency_area",
        help="Needed for files with a current column [A or mA] and no current "
        "density; when given it takes precedence over an area in the preamble.",
    )
area_cm2 = float(area_input) if area_input > 0 else None

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
    spectrum_upload = st.file_uploader(
        "EL spectrum (optional; used for every sweep above)",
        key="efficiency_spectrum",
    )
    with st.expander("Spectrum options: headerless matrix, spectra over bias"):
        grid = wavelength_grid_inputs(
            "efficiency", "The spectrum file has no wavelength column: give the grid"
        )
        per_voltage = st.checkbox(
            "The file holds one spectrum per row of each sweep (EL over bias): "
            "use the sweep's voltages, so each point gets its own spectrum",
            key="efficiency_spectrum_per_voltage",
        )
    spectrum_choices = ["none"] + [
        d.name for d in get_devices() if device_el_spectrum(d) is not None
    ]
    borrowed = st.selectbox(
        "…or the EL spectrum of a session device",
        spectrum_choices,
        key="efficiency_spectrum_device",
        disabled=spectrum_upload is not None,
    )
    if not uploads:
        st.info(
            "Upload J-V-L sweeps, or switch to *Session devices* (load the demo on "
            "Home) or to the demo batch."
        )
        st.stop()
    shown_errors: set[str] = set()

    def show_once(error: InputError) -> None:
        if str(error) not in shown_errors:
            shown_errors.add(str(error))
            st.error(plain(error))

    for upload in uploads:
        try:
            sweep = load_sweep(upload.getvalue(), upload.name, area_cm2)
        except InputError as error:
            show_once(error)
            continue
        spectrum = None
        if spectrum_upload is not None:
            try:
                spectrum = load_spectrum(
                    spectrum_upload.getvalue(),
                    spectrum_upload.name,
                    grid,
                    tuple(sweep.voltage_v.tolist()) if per_voltage else None,
                )
            except InputError as error:
                show_once(error)
        elif borrowed != "none":
            spectrum = device_el_spectrum(get_device(borrowed))
        if spectrum is not None:
            sweep = replace(sweep, spectrum=spectrum)
        label = sweep.label
        while label in sweeps:
            label += " (2)"
        sweeps[label] = replace(sweep, label=label)
    if not sweeps:
        st.stop()
    if st.button("Add these sweeps to the session", key="efficiency_add"):
        for name, sweep in sweeps.items():
            existing = get_device(name)
            if existing is None:
                upsert_device(Device(name=name, jvl=(sweep,)))
            else:
                upsert_device(replace(existing, jvl=(sweep,)))
        st.success(f"Added {len(sweeps)} device(s) to the session.")
elif source == "Session devices":
    if not session_with_jvl:
        st.info(
            "No session device has a J-V-L sweep yet. Load the demo on Home, or "
            "upload files."
        )
        st.stop()
    names = st.multiselect(
        "Devices",
        [d.name for d in session_with_jvl],
        default=[d.name for d in session_with_jvl],
        key="efficiency_devices",
    )
    for device in session_with_jvl:
        if device.name not in names:
            continue
        for number, sweep in enumerate(device.jvl, start=1):
            name = device.name if len(device.jvl) == 1 else f"{device.name} #{number}"
            sweep = replace(sweep, spectrum=efficiency_spectrum(device, sweep))
            sweeps[name] = replace(sweep, label=name)
    if not sweeps:
        st.info("Pick at least one device.")
        st.stop()
else:
    sweeps = {s.label: s for s in load_demo_batch(50)}
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
all_warnings = [f"{name}: {w}" for name, r in results.items() for w in r.warnings]
if many and all_warnings:
    with st.expander(f"Warnings ({len(all_warnings)})", expanded=False):
        for warning in all_warnings:
            st.warning(plain(warning))
for name, sweep in sweeps.items():
    if not many:
        for warning in results[name].warnings:
            st.warning(plain(f"{name}: {warning}"))
    notes = list(sweep.notes)
    if sweep.spectrum is not None:
        spectrum_name = sweep.spectrum.label or sweep.spectrum.source
        notes.append(f"EL spectrum used for the EQE: {spectrum_name}")
    if notes and not many:
        with st.expander(plain(f"{name}: what the reader did ({len(notes)})")):
            for note in notes:
                st.caption(plain(note))
if many:
    with st.expander(f"What the reader did ({len(sweeps)} sweeps)"):
        for name, sweep in sweeps.items():
            for note in sweep.notes:
                st.caption(plain(f"{name}: {note}"))

# --- Summary cards ----------------------------------------------------------
st.subheader("Summary")
if len(results) > MAX_CARDS:
    st.caption(f"{len(results)} devices: see the table and the batch statistics below.")
cards = list(results.items()) if len(results) <= MAX_CARDS else []
for name, result in cards:
    cols = st.columns(6)
    cols[0].metric(
        f"{name} · EQE max",
        value_text(result.eqe_max_percent, "%"),
        help=f"at {value_text(result.voltage_at_eqe_max_v, 'V')}, "
        f"{value_text(result.luminance_at_eqe_max_cd_m2, 'cd/m²', 1)}, "
        f"{value_text(result.current_density_at_eqe_max_ma_cm2, 'mA/cm²', 3)}; "
        f"EQE from: {result.eqe_source}",
    )
    cols[1].metric("L max [cd/m²]", value_text(result.luminance_max_cd_m2, "", 1))
    cols[2].metric(
        f"Turn-on (L ≥ {result.turn_on_luminance_cd_m2:g} cd/m²)",
        value_text(result.turn_on_v, "V"),
    )
    cols[3].metric(
        "EQE at 1000 cd/m²",
        value_text(result.eqe_at_1000_cd_m2_percent, "%"),
        help=f"at 100 cd/m²: {value_text(result.eqe_at_100_cd_m2_percent, '%')}",
    )
    cols[4].metric("CE max [cd/A]", value_text(result.current_efficiency_max_cd_a, ""))
    cols[5].metric(
        "PE max [lm/W]",
        value_text(result.power_efficiency_max_lm_w, ""),
        help="π L / (J V): assumes a Lambertian emitter.",
    )
    rolloff = (
        f"EQE falls to half its maximum at "
        f"{value_text(result.current_density_at_half_eqe_max_ma_cm2, 'mA/cm²', 1)} "
        f"({value_text(result.luminance_at_half_eqe_max_cd_m2, 'cd/m²', 0)})"
        if math.isfinite(result.current_density_at_half_eqe_max_ma_cm2)
        else "EQE stays above half its maximum over the sweep"
    )
    ratio = result.eqe_computed_to_file_ratio
    comparison = (
        f"; EQE computed from J, L and the spectrum = {ratio:.3f} × the file's EQE "
        "column (median above turn-on; both are in the points table)"
        if math.isfinite(ratio)
        else ""
    )
    st.caption(plain(f"{name}: roll-off: {rolloff}{comparison}."))

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


def draw(chart, basename: str, key: str, x: str, y: str, log_x=False, log_y=False):
    st.altair_chart(chart, width="stretch")
    hidden = figures.hidden_on_log_axes(shown, x, y, log_x, log_y)
    if hidden:
        st.caption(f"{hidden} point(s) with values ≤ 0 are not shown on the log axis.")
    columns = ["device", x, y, "above_turn_on"]
    chart_downloads(chart, basename, key, shown[columns])


with tab_jvl:
    log_j = st.checkbox("Log current density", True, key="efficiency_log_j")
    draw(
        figures.jv_chart(shown, log_y=log_j, color_scale=scale),
        "jv",
        "efficiency_dl_jv",
        "voltage_v",
        "current_density_ma_cm2",
        log_y=log_j,
    )
    draw(
        figures.lv_chart(shown, color_scale=scale),
        "lv",
        "efficiency_dl_lv",
        "voltage_v",
        "luminance_cd_m2",
        log_y=True,
    )

above = shown.loc[shown["above_turn_on"].astype(bool)]
with tab_eqe:
    if above["eqe_percent"].notna().any():
        st.caption("Points at or after turn-on only.")
        draw(
            figures.eqe_luminance_chart(shown, color_scale=scale),
            "eqe_luminance",
            "efficiency_dl_eqe_l",
            "luminance_cd_m2",
            "eqe_percent",
            log_x=True,
        )
        draw(
            figures.eqe_current_density_chart(shown, color_scale=scale),
            "eqe_current_density",
            "efficiency_dl_eqe_j",
            "current_density_ma_cm2",
            "eqe_percent",
            log_x=True,
        )
    else:
        st.info(
            "No EQE to draw: give the EL spectrum (upload it, or borrow a session "
            "device's), or use files with an EQE column."
        )

with tab_ce:
    st.caption("Points at or after turn-on only; PE assumes a Lambertian emitter.")
    draw(
        figures.current_efficiency_chart(shown, color_scale=scale),
        "current_efficiency",
        "efficiency_dl_ce",
        "luminance_cd_m2",
        "current_efficiency_cd_a",
        log_x=True,
    )
    draw(
        figures.power_efficiency_chart(shown, color_scale=scale),
        "power_efficiency",
        "efficiency_dl_pe",
        "luminance_cd_m2",
        "power_efficiency_lm_w",
        log_x=True,
    )

with tab_batch:
    if len(results) < 2:
        st.info("Batch statistics need at least two devices (files or sweeps).")
    else:
        stats = efficiency.batch_statistics(result_list)
        labels = {
            "eqe_max_percent": ("EQE max", "%"),
            "luminance_max_cd_m2": ("L max", "cd/m²"),
            "turn_on_v": ("Turn-on", "V"),
        }
        metric = st.radio(
            "Figure of merit",
            list(labels),
            format_func=lambda key: labels[key][0],
            horizontal=True,
            key="efficiency_batch_metric",
        )
        row = stats.loc[metric]
        label, unit = labels[metric]
        cols = st.columns(4)
        cols[0].metric(
            f"{label}: mean ± s.d.",
            f"{value_text(row['mean'], '')}± {value_text(row['std'], unit)}",
            help=f"n = {row['n']} devices ({row['n_missing']} without a value)",
        )
        cols[1].metric("Median", value_text(row["median"], unit))
        cols[2].metric(
            "Champion",
            value_text(row["champion"], unit),
            help=f"{row['champion_device']} (lowest for turn-on)",
        )
        cols[3].metric(
            "Range", f"{value_text(row['min'], '')}– {value_text(row['max'], unit)}"
        )
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
