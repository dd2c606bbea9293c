"""Lifetime: T95...T50 computed honestly and put on the footing of the literature."""

from __future__ import annotations

import math

import streamlit as st

from core import lifetime
from core.errors import InputError
from core.figures import lifetime as figures
from core.models import LifetimeLog
from ui import cached
from ui.device import device_bar
from ui.export import preset_selector, show_chart, zip_download
from ui.export import set_page_context as register_inputs
from ui.session import color_scale, get_devices
from ui.settings import lifetime_settings
from ui.tables import show_table
from ui.text import plain
from ui.uploads import add_to_session
from ui.widgets import device_picker, lifetime_upload_inputs

device_bar("Lifetime · PeLED Bench")  # page config + the current device
st.title("Lifetime")
st.caption(
    "T95…T50 as first crossings of L/L0 on log-time-binned data (L0: the first "
    "reading, or the model's start value), counted from L(0) and, for devices that "
    "brighten first, from L_max. A threshold the test never reached comes from the "
    "decay model, labelled *extrapolated*, ±1σ from the fit, the noise of L0 and the "
    "spread of the models that fit as well (ΔAIC ≤ 2); beyond 6× the test duration "
    "(IES TM-21) it is not reported. Lifetimes are converted to a reference "
    "luminance with L0^n · T = const (n = 1.5–2.0 band; within 5 % not converted)."
)
preset_selector("lifetime_preset")

SOURCES = ["Session devices", "Upload files"]
MAX_DRAWN = 3000  # readings per test drawn in the charts (the CSV has all)
STRESS_TITLES = {
    "luminance": "initial luminance L0 [cd/m²]",
    "current_density": "current density J [mA/cm²]",
}

with st.sidebar:
    settings = lifetime_settings("lifetime")
method, n_user, reference = settings["method"], settings["n"], settings["reference"]
options = (settings["l0_from_model"], settings["report_beyond_cap"])

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
    upload = lifetime_upload_inputs("lifetime")
    if not upload["files"]:
        st.info(
            "Upload lifetime logs, or switch to *Session devices* (load the demo on "
            "Home)."
        )
        st.stop()
    for name, data in upload["files"]:
        try:
            logs = cached.read_logs(data, name, upload["l0"], upload["unit"])
        except InputError as error:
            st.error(plain(error))
            continue
        device = upload["device"]
        tests.extend((log.label if upload["per_file"] else device, log) for log in logs)
    if not tests:
        st.stop()
    by_device = {
        d: {"lifetime": tuple(lg for n, lg in tests if n == d)} for d, _ in tests
    }
    add_to_session("lifetime", by_device, key="lifetime_add")
else:
    if not session_with_logs:
        st.info(
            "No device in the session has a lifetime log. Load the demo on Home, or "
            "switch to *Upload files*."
        )
        st.stop()
    chosen = device_picker(session_with_logs, key="lifetime_devices")
    tests = [(device.name, log) for device in chosen for log in device.lifetime]
    if not tests:
        st.info("Choose at least one device.")
        st.stop()
    if any(device.synthetic for device in chosen):
        st.caption("Devices marked *(synthetic)* hold synthetic demo data.")

# --- Analysis -------------------------------------------------------------------
uploaded = upload["files"] if source == "Upload files" else ()
register_inputs(files=uploaded, data=tests, settings=settings)
items = []
for device, log in tests:
    try:
        result = cached.lifetime_metrics(log, method, reference, n_user, *options)
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

# --- Comparison table -----------------------------------------------------------
st.subheader("T-values")
for result in results:  # beside the numbers, not in the expander
    if notice := lifetime.t50_notice(result):
        st.warning(plain(f"{result.label}: {notice}"))
table = lifetime.lifetime_table(results)
table.insert(0, "device", [device for device, _, _ in items])
shown = {"T50_shown": st.column_config.TextColumn("T50 ± 1σ", width="large")}
show_table(table, "lifetime_table_csv", "lifetime_table", column_config=shown)

# --- Decay chart ----------------------------------------------------------------
st.subheader("L/L0 against time")
drawn = figures.readings_frame(items, max_points=MAX_DRAWN)
readings = figures.readings_frame(items)
binned = figures.binned_frame(items)
model = figures.model_frame(items)
marks = figures.thresholds_frame(items, include_from_max=settings["from_max"])
log_time, time_unit = settings["log_time"], settings["time_unit"]
frames = (drawn, binned, model, marks)
decay = figures.decay_chart(
    *frames, log_time=log_time, time_unit=time_unit, color_scale=scale
)
show_chart(decay, "lifetime_decay", key="lifetime_decay_dl", data=readings)
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

# --- Model overlay and residuals -------------------------------------------------
st.subheader(f"Decay model ({method}) and residuals")
fit_table = lifetime.decay_fit_table(results)
show_table(fit_table, "lifetime_fit_csv", "lifetime_decay_fit")
st.caption(
    "Uncertainties are one standard deviation from the fit covariance. Weibull R²: "
    "straightness of ln(−ln L/L0) against ln t, near 1 when a stretched "
    "exponential holds."
)
residuals = figures.residuals_chart(drawn, time_unit=time_unit, color_scale=scale)
show_chart(residuals, "lifetime_residuals", key="lifetime_resid_dl", data=readings)
with st.expander("Weibull plot"):
    weibull = figures.weibull_chart(binned, color_scale=scale)
    show_chart(weibull, "lifetime_weibull", key="lifetime_weibull_dl", data=binned)

# --- Voltage ----------------------------------------------------------------------
with_voltage = [item for item in items if item[1].voltage_v is not None]
if with_voltage:
    st.subheader("Voltage against time")
    voltage = figures.voltage_chart(drawn, time_unit=time_unit, color_scale=scale)
    show_chart(voltage, "lifetime_voltage", key="lifetime_voltage_dl", data=readings)
    rises = ", ".join(
        f"{result.label}: +{result.voltage_rise_v:.3f} V"
        for _, _, result in with_voltage
        if math.isfinite(result.voltage_rise_v)
    )
    if rises:
        st.caption(plain(f"Voltage rise over the test — {rises}."))

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
    format_func=lambda s: STRESS_TITLES[s].split(" [")[0],
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
acceleration = figures.acceleration_chart(
    accel,
    fits,
    n=n_user,
    stress_title=STRESS_TITLES[stress],
    reference_stresses=(100.0, 1000.0) if stress == "luminance" else (),
    color_scale=scale,
)
show_chart(acceleration, "lifetime_acceleration", key="lifetime_accel_dl", data=accel)
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

# --- T50 at 100 and 1000 cd/m² -----------------------------------------------------
st.subheader("T50 at 100 and 1000 cd/m²")
reference_table = lifetime.reference_t50_table(
    pairs, n=n_user, targets_cd_m2=(100.0, 1000.0), fits=fits
)
show_table(reference_table, "lifetime_ref_csv", "lifetime_t50_reference")
st.caption(
    "Each value inherits the kind of the T50 it comes from. A relative log without "
    "L0 cannot be converted: give L0 above."
)

st.divider()
zip_download("lifetime_zip", "lifetime_figures")
