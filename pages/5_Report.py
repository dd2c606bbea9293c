"""Report: the session's devices side by side, and one file with everything."""

from __future__ import annotations

import streamlit as st

from core import report as report_module
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.figures import MIME_TYPES, PRESETS
from core.figures.controls import screen_chart
from core.figures.provenance import zip_bytes
from ui.device import device_bar
from ui.export import (
    chart_downloads,
    current_ppi,
    preset_selector,
    zip_download,
)
from ui.session import colors, efficiency_threshold, get_devices
from ui.tables import show_table
from ui.text import plain

device_bar("Report · PeLED Bench")  # page config + the current device
st.title("Report")
st.caption(
    "The session's devices side by side, with the differences from a reference "
    "device, and one report file (HTML or PDF) with every figure and table: "
    "spectral stability, efficiency, lifetime and the position among published "
    "pure-red devices."
)
preset = preset_selector("report_preset")


@st.cache_data(show_spinner=False, max_entries=4)
def cached_report(devices: tuple, settings: report_module.ReportSettings):
    """Analyses and charts of the report (figures not rendered yet)."""
    return report_module.build_report(list(devices), settings, render=False)


devices = get_devices()
if not devices:
    st.info(
        "No devices in this session yet. Load the demo on Home, or add devices "
        "from the Spectral stability, Efficiency or Lifetime pages."
    )
    st.stop()

# --- Settings ---------------------------------------------------------------
names = [device.name for device in devices]
with st.sidebar:
    st.header("Report settings")
    chosen = st.multiselect("Devices", names, default=names, key="report_devices")
    reference = st.selectbox(
        "Reference device (the control)",
        chosen or names,
        key="report_reference",
        help="The Δ columns are each device minus this one.",
    )
    series = st.radio(
        "Spectral series",
        ["time", "bias"],
        horizontal=True,
        key="report_series",
        format_func={"time": "over time", "bias": "over bias"}.get,
    )
    threshold_nm = st.number_input(
        "Peak-shift threshold [nm]", 0.05, 50.0, 1.0, 0.1, key="report_threshold"
    )
    reference_luminance = st.number_input(
        "Reference luminance for T50 [cd/m²]",
        1.0,
        100000.0,
        DEFAULT_REFERENCE_LUMINANCE_CD_M2,
        key="report_reference_luminance",
    )
    acceleration_n = st.number_input(
        "Acceleration exponent n",
        1.0,
        3.0,
        DEFAULT_ACCELERATION_N,
        0.1,
        key="report_n",
    )

if not chosen:
    st.info("Pick at least one device in the sidebar.")
    st.stop()

try:
    settings = report_module.ReportSettings(
        preset=preset,
        ppi=current_ppi(),
        reference_device=reference,
        series=series,
        threshold_nm=float(threshold_nm),
        reference_luminance_cd_m2=float(reference_luminance),
        acceleration_n=float(acceleration_n),
        turn_on_luminance_cd_m2=efficiency_threshold(),  # the Efficiency page's
        colors={name: c for name, c in colors().items() if name in chosen},
    )
    selected = tuple(device for device in devices if device.name in chosen)
    with st.spinner("Analysing every device…"):
        report = cached_report(selected, settings)
except InputError as error:
    st.error(plain(error))
    st.stop()

if report.synthetic:
    st.caption(
        f"{', '.join(report.synthetic)}: **synthetic demo data**, not measurements."
    )

# --- Side by side -----------------------------------------------------------
st.subheader("Devices side by side")
comparison = report.section("devices").tables[0]
show_table(comparison.frame, "report_metrics_csv", comparison.key)
st.caption(comparison.caption)
efficiency_section = report.section("efficiency")
if efficiency_section.tables:  # where each device's one EQE comes from
    bases = efficiency_section.tables[0].frame[["device", "eqe_basis"]]
    st.caption(plain("EQE: " + "; ".join(f"{d}: {b}" for d, b in bases.values)))

# --- The report file --------------------------------------------------------
st.subheader("Report file")
st.markdown(
    f"Figures at **{PRESETS[preset].label}**, PNG at {current_ppi()} dpi. The HTML "
    "file is self-contained (figures inline as SVG, no network access); the "
    "ZIP holds every figure as SVG, PDF, PNG and CSV with a provenance sidecar "
    "(input checksums, settings, versions), every table and both reports."
)
stem = "peled_report"
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Report (HTML)",
    data=lambda: report_module.report_html(report).encode("utf-8"),
    file_name=f"{stem}.html",
    mime=MIME_TYPES["html"],
    key="report_html",
    on_click="ignore",
    type="primary",
)
c2.download_button(
    "Report (PDF)",
    data=lambda: report_module.report_pdf(report),
    file_name=f"{stem}.pdf",
    mime=MIME_TYPES["pdf"],
    key="report_pdf",
    on_click="ignore",
)
c3.download_button(
    "Everything (ZIP)",
    data=lambda: zip_bytes(report_module.report_files(report)),
    file_name=f"{stem}.zip",
    mime=MIME_TYPES["zip"],
    key="report_zip",
    on_click="ignore",
)

# --- Sections ---------------------------------------------------------------
for section in report.sections[1:]:
    st.subheader(section.title)
    if section.status == "missing":
        st.info(section.message)
    elif section.status == "error":
        st.warning(plain(section.message))
    for table in section.tables:
        st.markdown(f"**{table.title}**")
        show_table(table.frame, f"report_table_{table.key}", table.key)
        if table.caption:
            st.caption(table.caption)
    for start in range(0, len(section.figures), 2):
        columns = st.columns(2)
        pair = section.figures[start : start + 2]
        for column, figure in zip(columns, pair, strict=False):
            with column:
                st.markdown(f"**{figure.title}**")
                # On screen at screen size; the downloads at the preset's.
                preview = screen_chart(figure.source_chart)
                st.altair_chart(preview, width="stretch")
                chart_downloads(
                    figure.source_chart,
                    figure.key,
                    f"report_dl_{figure.key}",
                    figure.data,
                    provenance=report.figure_provenance(figure),
                )
    if section.notes:
        with st.expander(f"Notes ({len(section.notes)})"):
            for note in section.notes:
                st.caption(plain(note))

zip_download("report_page_zip", "report_page_figures")
