"""Lifetime: T95...T50 computed honestly and put on the footing of the literature."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from core import lifetime
from core.errors import InputError
from core.figures import lifetime as figures
from core.io.lifetime_log import read_lifetime_logs
from core.models import Device, LifetimeLog
from ui.export import chart_downloads, preset_selector, table_download, zip_download
from ui.session import color_scale, get_device, get_devices, upsert_device
from ui.text import plain

st.set_page_config(page_title="Lifetime · PeLED Bench", layout="wide")
st.title("Lifetime")
st.caption(
    "T95…T50 as first crossings of L/L0 on log-time-binned data (L0: the first "
    "reading), counted from L(0) and, for devices that brighten first, from "
    "L_max. A threshold the test never reached comes from the decay model and is "
    "labelled *extrapolated*; beyond 6x the test duration (IES TM-21) it is only "
    "an order of magnitude. Lifetimes are converted to a reference luminance with "
    "L0^n · T = const, with the n = 1.5–2.0 band."
)
preset_selector("lifetime_preset")

SOURCES = ["Session devices", "Upload files"]
MAX_DRAWN = 3000  # readings per test drawn in the charts (the CSV has all)


@st.cache_data(show_spinner=False, max_entries=64)
def load_logs(data: bytes, name: str, l0: float | None, unit: str | None):
    """Cached reader call keyed on the uploaded bytes and the reader options."""
    return read_lifetime_logs(data, name, initial_luminance_cd_m2=l0, time_unit=unit)


@st.cache_data(show_spinner=False, max_entries=128)
def analyse(log: LifetimeLog, method: str, reference: float, n: float):
    return lifetime.lifetime_metrics(
        log, method=method, reference_luminance_cd_m2=reference, acceleration_n=n
    )


def hours_text(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    if value < 1:
        return f"{value * 60:.3g} min"
    return f"{value:,.4g} h"


# --- Inputs -----------------------------------------------------------------
with st.sidebar:
    st.header("Analysis settings")
    method = st.selectbox(
        "Decay model",
        lifetime.DECAY_METHODS,
        key="lifetime_method",
        help="Used for extrapolated T-values, the overlay and the residuals. "
        "Stretched exponential: exp(−(t/τ)^β); biexponential: two channels.",
    )
    n_user = st.number_input(
        "Acceleration exponent n",
        min_value=0.5,
        max_value=4.0,
        value=lifetime.DEFAULT_ACCELERATION_N,
        step=0.1,
        key="lifetime_n",
        help="L0^n · T = const. 1.5–2 is usual for OLED/QLED/PeLED; n is fitted "
        "when a device has tests at 3 or more initial luminances.",
    )
    reference = st.number_input(
        "Reference luminance [cd/m²]",
        min_value=0.1,
        value=100.0,
        step=10.0,
        key="lifetime_reference",
    )
    time_axis = st.radio(
        "Time axis", ["log", "linear"], horizontal=True, key="lifetime_time_axis"
    )
    time_unit = st.radio(
        "Time unit in charts", ["h", "min"], horizontal=True, key="lifetime_unit"
    )
    show_from_max = st.checkbox(
        "Mark T-values counted from L_max too",
        key="lifetime_from_max",
        help="Only for devices that brighten first.",
    )

session_with_logs = [d for d in get_devices() if d.lifetime]
source = st.radio(
    "Data",
    SOURCES,
    index=0 if session_with_logs else 1,
    horizontal=True,
    key="lifetime_source",
)

# (device, log) for every test to analyse, in order.
tests: list[tuple[str, LifetimeLog]] = []
if source == "Upload files":
    uploads = st.file_uploader(
        "Lifetime logs: time and luminance (or L/L0, or a photodiode signal), "
        "optional voltage and current (TXT, CSV, DAT, XLSX)",
        accept_multiple_files=True,
        key="lifetime_files",
    )
    c1, c2, c3 = st.columns(3)
    unit_choice = c1.selectbox(
        "Time unit",
        ["from the header", "s", "min", "h"],
        key="lifetime_time_unit",
        help="Needed when the time column's header has no unit.",
    )
    l0_input = c2.number_input(
        "L0 for relative logs [cd/m²] (0: none)",
        min_value=0.0,
        value=0.0,
        step=10.0,
        key="lifetime_l0",
        help="Relative luminance and photodiode signals give T-values on their "
        "own; converting to a reference luminance needs L0.",
    )
    grouping = c3.radio(
        "The files are",
        ["tests of one device", "one device per file"],
        key="lifetime_grouping",
        help="Tests of one device at several L0 give its acceleration exponent.",
    )
    device_name = st.text_input(
        "Device name", value="Uploaded device", key="lifetime_device_name"
    )
    if not uploads:
        st.info(
            "Upload lifetime logs, or switch to *Session devices* (load the demo on "
            "Home)."
        )
        st.stop()
    unit = None if unit_choice == "from the header" else unit_choice
    l0 = float(l0_input) if l0_input > 0 else None
    for upload in uploads:
        try:
            logs = load_logs(upload.getvalue(), upload.name, l0, unit)
        except InputError as error:
            st.error(plain(error))
            continue
        for log in logs:
            name = device_name.strip() or "Uploaded device"
            if grouping == "one device per file":
                name = log.label
            tests.append((name, log))
    if not tests:
        st.stop()
    if st.button("Add these tests to the session", key="lifetime_add"):
        grouped: dict[str, list[LifetimeLog]] = {}
        for name, log in tests:
            grouped.setdefault(name, []).append(log)
        for name, logs in grouped.items():
            existing = get_device(name)
            if existing is None:
                upsert_device(Device(name=name, lifetime=tuple(logs)))
            else:
                upsert_device(replace(existing, lifetime=tuple(logs)))
        st.success(f"Added {len(tests)} test(s) to the session.")
else:
    if not session_with_logs:
        st.info(
            "No device in the session has a lifetime log. Load the demo on Home, or "
            "switch to *Upload files*."
        )
        st.stop()
    names = [d.name for d in session_with_logs]
    chosen = st.multiselect("Devices", names, default=names, key="lifetime_devices")
    for device in session_with_logs:
        if device.name in chosen:
            tests.extend((device.name, log) for log in device.lifetime)
    if not tests:
        st.info("Choose at least one device.")
        st.stop()
    if any(d.synthetic for d in session_with_logs if d.name in chosen):
        st.caption("Devices marked *(synthetic)* hold synthetic demo data.")

# --- Analysis -------------------------------------------------------------------
items = []
for device, log in tests:
    try:
        result = analyse(log, method, float(reference), float(n_user))
    except InputError as error:
        st.error(plain(error))
        continue
    items.append((device, log, result))
if not items:
    st.stop()

scale = color_scale(extra=[device for device, _, _ in items])

with st.expander("What the reader did, and what to know about each test"):
    for device, log, result in items:
        st.markdown(f"**{plain(result.label or log.source)}** ({plain(device)})")
        for note in log.notes:
            st.caption(plain(note))
        for warning in result.warnings:
            st.caption(plain(f"⚠ {warning}"))
results = [result for _, _, result in items]
for result in results:
    if result.t50_kind == "extrapolated":
        t50 = result.threshold(0.5)
        st.warning(
            f"{plain(result.label)}: T50 = {hours_text(t50.time_h)} is extrapolated "
            f"with the {t50.model} model (the test stopped first); see the notes "
            "above."
        )

# --- Comparison table -----------------------------------------------------------
st.subheader("T-values")
table = lifetime.lifetime_table(results)
table.insert(0, "device", [device for device, _, _ in items])
st.dataframe(table, hide_index=True, width="stretch")
table_download(table, "lifetime_table", key="lifetime_table_csv")

# --- Decay chart ----------------------------------------------------------------
st.subheader("L/L0 against time")
drawn = figures.readings_frame(items, max_points=MAX_DRAWN)
readings = figures.readings_frame(items)
binned = figures.binned_frame(items)
model = figures.model_frame(items)
marks = figures.thresholds_frame(items, include_from_max=show_from_max)
log_time = time_axis == "log"
decay = figures.decay_chart(
    drawn,
    binned,
    model,
    marks,
    log_time=log_time,
    time_unit=time_unit,
    color_scale=scale,
)
st.altair_chart(decay, width="stretch")
notes = []
if len(drawn) < len(readings):
    notes.append(
        f"{len(readings) - len(drawn)} of {len(readings)} readings are not drawn "
        f"(at most {MAX_DRAWN} per test, evenly spaced); the CSV holds them all."
    )
if log_time:
    notes.append("The reading at t = 0 is not drawn on the log time axis.")
if notes:
    st.caption(" ".join(notes))
chart_downloads(decay, "lifetime_decay", key="lifetime_decay_dl", data=readings)

# --- Model overlay and residuals -------------------------------------------------
st.subheader(f"Decay model ({method}) and residuals")
fit_table = lifetime.decay_fit_table(results)
st.dataframe(fit_table, hide_index=True, width="stretch")
st.caption(
    "Uncertainties are one standard deviation from the fit covariance. Weibull R²: "
    "straightness of ln(−ln L/L0) against ln t, near 1 when a stretched "
    "exponential holds."
)
residuals = figures.residuals_chart(drawn, time_unit=time_unit, color_scale=scale)
st.altair_chart(residuals, width="stretch")
chart_downloads(residuals, "lifetime_residuals", key="lifetime_resid_dl", data=readings)
with st.expander("Weibull plot"):
    weibull = figures.weibull_chart(binned, color_scale=scale)
    st.altair_chart(weibull, width="stretch")
    chart_downloads(weibull, "lifetime_weibull", key="lifetime_weibull_dl", data=binned)

# --- Voltage ----------------------------------------------------------------------
with_voltage = [item for item in items if item[1].voltage_v is not None]
if with_voltage:
    st.subheader("Voltage against time")
    voltage = figures.voltage_chart(drawn, time_unit=time_unit, color_scale=scale)
    st.altair_chart(voltage, width="stretch")
    rises = ", ".join(
        f"{result.label}: +{result.voltage_rise_v:.3f} V"
        for _, _, result in with_voltage
        if math.isfinite(result.voltage_rise_v)
    )
    if rises:
        st.caption(plain(f"Voltage rise over the test — {rises}."))
    chart_downloads(
        voltage, "lifetime_voltage", key="lifetime_voltage_dl", data=readings
    )

shifts = [
    (result.label, result.peak_shift_at_t50_nm)
    for _, _, result in items
    if math.isfinite(result.peak_shift_at_t50_nm)
]
if shifts:
    st.caption(
        "EL peak shift at T50 (spectra recorded during the test): "
        + ", ".join(f"{label}: {shift:+.2f} nm" for label, shift in shifts)
        + "."
    )

# --- Acceleration ------------------------------------------------------------------
st.subheader("Acceleration: T50 against the stress")
stress = st.radio(
    "Stress",
    ["luminance", "current_density"],
    format_func=lambda s: (
        "initial luminance L0" if s == "luminance" else "current density J"
    ),
    horizontal=True,
    key="lifetime_stress",
)
accel = figures.acceleration_frame(items, stress=stress)
pairs = [(device, result) for device, _, result in items]
outcomes = lifetime.acceleration_fits(pairs, stress=stress)
fits = {device: o.fit for device, o in outcomes.items() if o.fit is not None}
missing = accel["stress"].isna() | ~(accel["stress"] > 0)
if missing.any():
    st.caption(
        f"{int(missing.sum())} test(s) have no {stress.replace('_', ' ')} (relative "
        "data without L0, or no current column) and are not in this plot."
    )
stress_title = (
    "initial luminance L0 [cd/m²]"
    if stress == "luminance"
    else "current density J [mA/cm²]"
)
acceleration = figures.acceleration_chart(
    accel,
    fits,
    n=float(n_user),
    stress_title=stress_title,
    reference_stresses=(100.0, 1000.0) if stress == "luminance" else (),
    color_scale=scale,
)
st.altair_chart(acceleration, width="stretch")
for device, fit in fits.items():
    st.markdown(
        f"**{device}**: fitted n = {fit.n:.3f} ± {fit.n_stderr:.2g} "
        f"(R² {fit.r_squared:.4f}, {fit.n_points} tests, log-log regression)."
    )
if not fits:
    low, high = lifetime.ACCELERATION_BAND_N
    st.caption(
        f"n is fitted for a device with tests at {lifetime.MIN_ACCELERATION_STRESSES} "
        f"or more initial luminances; otherwise the line uses n = {n_user:g} with "
        f"the n = {low:.1f}–{high:.1f} band."
    )
chart_downloads(
    acceleration, "lifetime_acceleration", key="lifetime_accel_dl", data=accel
)

# --- T50 at 100 and 1000 cd/m² -----------------------------------------------------
st.subheader("T50 at 100 and 1000 cd/m²")
reference_table = lifetime.reference_t50_table(
    pairs, n=float(n_user), targets_cd_m2=(100.0, 1000.0), fits=fits
)
st.dataframe(reference_table, hide_index=True, width="stretch")
st.caption(
    "Each value inherits the kind of the T50 it comes from. A relative log without "
    "L0 cannot be converted: give L0 above."
)
table_download(reference_table, "lifetime_t50_reference", key="lifetime_ref_csv")

st.divider()
zip_download("lifetime_zip", "lifetime_figures")
