"""Literature: the curated table of pure-red PeLEDs and where a device stands in it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import literature, summary
from core.errors import InputError
from core.figures import literature as literature_figures
from ui.export import chart_downloads, preset_selector, table_download, zip_download
from ui.session import get_devices
from ui.text import plain

#: Session key of the device typed into the form on this page.
DEVICE_KEY = "literature_device"

st.set_page_config(page_title="Literature · PeLED Bench", layout="wide")
st.title("Literature")
st.caption(
    "A curated, sourced table of published pure-red (620–650 nm) and deep-red "
    "(650–690 nm) perovskite LEDs. Every number carries where it was read; blank "
    "means not found, never guessed. Rank your device against the rankable rows."
)
preset_selector("literature_preset")


@st.cache_data(show_spinner=False)
def load_curated() -> pd.DataFrame:
    return literature.load_table()


def fmt(value, spec: str) -> str:
    return "–" if value is None else format(value, spec)


@st.cache_data(show_spinner=False, max_entries=8)
def merge_upload(table: pd.DataFrame, data: bytes, name: str) -> pd.DataFrame:
    return literature.merge_user_rows(table, data, name)


try:
    table = load_curated()
except InputError as error:
    st.error(plain(error))
    st.stop()

with st.sidebar:
    st.header("Filters")
    years = table["year"].dropna().astype(int)
    year_min, year_max = st.slider(
        "Publication year",
        int(years.min()),
        int(years.max()),
        (int(years.min()), int(years.max())),
        key="literature_years",
    )
    keep_undated = st.checkbox(
        "Keep rows without a year", value=True, key="literature_undated"
    )
    emitter_options = sorted(set(table["emitter_class"]) - {""})
    emitters = st.multiselect(
        "Emitter", emitter_options, default=emitter_options, key="literature_emitters"
    )
    halide_options = ["single-iodide", "mixed-Br-I", "other", ""]
    halides = st.multiselect(
        "Halides",
        halide_options,
        default=halide_options,
        format_func=lambda v: v or "(not stated)",
        key="literature_halides",
    )
    filter_peak = st.checkbox(
        "Filter on EL peak (drops rows without one)", key="literature_filter_peak"
    )
    peak_min, peak_max = st.slider(
        "EL peak window [nm]",
        600.0,
        700.0,
        (620.0, 650.0),
        step=1.0,
        disabled=not filter_peak,
        key="literature_peak",
    )
    rankable_only = st.checkbox("Rankable rows only", key="literature_rankable")
    include_lead_free = st.checkbox(
        "Include lead-free rows", value=True, key="literature_lead_free"
    )
    st.header("Lifetime comparison")
    reference_luminance = st.number_input(
        "Reference luminance [cd/m²]",
        min_value=1.0,
        value=100.0,
        step=10.0,
        key="literature_reference",
        help="Every T50 is shown at this luminance: measured when L0 is within 5 % "
        "of it, otherwise converted with L0^n · T50 = const.",
    )
    acceleration_n = st.number_input(
        "Acceleration exponent n",
        min_value=1.0,
        max_value=3.0,
        value=1.8,
        step=0.1,
        key="literature_n",
    )

upload = st.file_uploader(
    "Add your own rows (CSV with the table's columns; at least record_id)",
    type=["csv"],
    key="literature_user_table",
)
if upload is not None:
    try:
        table = merge_upload(table, upload.getvalue(), upload.name)
    except InputError as error:
        st.error(plain(error))

shown = literature.filter_table(
    table,
    emitter_classes=emitters,
    halide_types=halides,
    peak_min_nm=peak_min if filter_peak else None,
    peak_max_nm=peak_max if filter_peak else None,
    rankable_only=rankable_only,
    include_lead_free=include_lead_free,
)
in_years = shown["year"].between(year_min, year_max).fillna(False).astype(bool)
if keep_undated:
    in_years |= shown["year"].isna()
shown = shown.loc[in_years]
t50 = literature.normalised_t50_h(shown, reference_luminance, acceleration_n)

st.subheader("Your device")
session_devices = get_devices()
# Headline numbers of each session device, computed once per run (fits included).
summaries = {
    d.name: summary.device_summary(
        d, reference_luminance_cd_m2=reference_luminance, acceleration_n=acceleration_n
    )
    for d in session_devices
}
choice = st.radio(
    "Device to rank",
    ["typed in below"] + [d.name for d in session_devices],
    horizontal=True,
    key="literature_device_choice",
    help="Session devices are summarised from their spectra (first spectrum of "
    "the lifetime series), first J-V-L sweep and the lifetime test closest to the "
    "reference luminance.",
)
if choice == "typed in below":
    with st.form("literature_device_form"):
        c1, c2, c3, c4 = st.columns(4)
        name = c1.text_input("Name", value="my device")
        peak = c2.number_input(
            "EL peak [nm]", value=None, min_value=400.0, max_value=800.0
        )
        eqe = c3.number_input("Max EQE [%]", value=None, min_value=0.0, max_value=100.0)
        lmax = c4.number_input("Max luminance [cd/m²]", value=None, min_value=0.0)
        c5, c6, c7, c8 = st.columns(4)
        cie_x = c5.number_input("CIE x", value=None, min_value=0.0, max_value=0.8)
        cie_y = c6.number_input("CIE y", value=None, min_value=0.0, max_value=0.9)
        t50_h = c7.number_input("T50 [h]", value=None, min_value=0.0)
        t50_l0 = c8.number_input(
            "T50 initial luminance [cd/m²]", value=None, min_value=0.0
        )
        if st.form_submit_button("Rank my device"):
            st.session_state[DEVICE_KEY] = {
                "name": name,
                "el_peak_nm": peak,
                "eqe_max_percent": eqe,
                "luminance_max_cd_m2": lmax,
                "cie_x": cie_x,
                "cie_y": cie_y,
                "t50_h": t50_h,
                "t50_initial_luminance_cd_m2": t50_l0,
            }

if choice == "typed in below":
    device = st.session_state.get(DEVICE_KEY)
else:
    device = summaries[choice]
    st.caption(
        f"{choice}: EL peak {fmt(device['el_peak_nm'], '.1f')} nm, CIE "
        f"({fmt(device['cie_x'], '.4f')}, {fmt(device['cie_y'], '.4f')}), EQE "
        f"{fmt(device['eqe_max_percent'], '.1f')} %, L max "
        f"{fmt(device['luminance_max_cd_m2'], ',.0f')} cd/m², T50 "
        f"{fmt(device['t50_h'], '.3g')} h at "
        f"{fmt(device['t50_initial_luminance_cd_m2'], '.0f')} cd/m²"
        + (" — synthetic demo data" if device["synthetic"] else "")
        + ". "
        + " ".join(device["notes"])
    )
if device:
    try:
        ranking = literature.rank_device(
            device, shown, reference_luminance, acceleration_n
        )
    except InputError as error:
        st.error(plain(error))
        ranking = None
    if ranking is not None:
        columns = st.columns(len(ranking))
        for column, row in zip(columns, ranking.itertuples(), strict=True):
            if pd.isna(row.rank):
                column.metric(row.label, "–", help=row.note or None)
            else:
                column.metric(
                    row.label,
                    f"#{row.rank} of {row.n_compared + 1}",
                    f"percentile {row.percentile:.0f}",
                    delta_color="off",
                    help=f"best: {row.best_record_id} ({row.best_value:.4g})",
                )
        st.dataframe(ranking, hide_index=True, width="stretch")
        table_download(ranking, "literature_ranking", "literature_dl_ranking")
        st.caption(
            "Ranked against the rankable rows that pass the filters. rank = 1 + the "
            "number of literature devices strictly better; percentile = share of "
            "compared devices yours equals or beats. T50s compared at "
            f"{reference_luminance:g} cd/m² with n = {acceleration_n:g}."
        )
else:
    st.info("Type your device's numbers and press *Rank my device*.")

if session_devices:
    rows = []
    for session_device in session_devices:
        ranked = literature.rank_device(
            summaries[session_device.name], shown, reference_luminance, acceleration_n
        )
        for item in ranked.itertuples():
            rows.append(
                {
                    "device": session_device.name,
                    "metric": item.label,
                    "rank": item.rank,
                    "of": item.n_compared + 1,
                    "percentile": item.percentile,
                }
            )
    with st.expander("Ranks of every session device", expanded=False):
        ranks = pd.DataFrame(rows)
        st.dataframe(ranks, hide_index=True, width="stretch")
        table_download(ranks, "session_device_ranks", "literature_dl_session_ranks")

st.subheader(f"Table ({len(shown)} of {len(table)} rows)")
display = shown.join(t50)
display.insert(
    5,
    "doi_link",
    [f"https://doi.org/{doi}" if doi else None for doi in display["doi"]],
)
st.dataframe(
    display.drop(columns=["doi"]),
    hide_index=True,
    width="stretch",
    column_config={
        "doi_link": st.column_config.LinkColumn(
            "DOI", display_text=r"https://doi\.org/(.*)"
        ),
        "t50_ref_h": st.column_config.NumberColumn(
            f"T50 at {reference_luminance:g} cd/m² [h]", format="%.3g"
        ),
        "t50_ref_kind": "T50 kind",
    },
)
d1, d2 = st.columns(2)
with d1:
    table_download(
        display.drop(columns=["doi_link"]),
        "pure_red_peleds_filtered",
        "literature_dl_table",
        label="Filtered table (CSV)",
    )
with d2:
    st.download_button(
        "Filtered table (BibTeX)",
        data="\n\n".join(literature.bibtex(row) for _, row in shown.iterrows()) + "\n",
        file_name="pure_red_peleds.bib",
        mime="application/x-bibtex",
        key="literature_dl_bibtex",
        on_click="ignore",  # a rerun would invalidate the other buttons' files
    )

st.subheader("Where it stands")
frame = literature_figures.literature_chart_frame(
    shown, device, reference_luminance, acceleration_n
)
charts = [
    ("EQE vs EL peak", literature_figures.eqe_vs_peak_chart(frame), "eqe_vs_peak"),
    (
        "T50 vs EQE",
        literature_figures.t50_vs_eqe_chart(frame, reference_luminance),
        "t50_vs_eqe",
    ),
    ("Max luminance vs EQE", literature_figures.lmax_vs_eqe_chart(frame), "lmax"),
    ("CIE red corner", literature_figures.cie_red_corner_chart(frame), "cie_red"),
]
for tab, (_title, chart, basename) in zip(
    st.tabs([title for title, _, _ in charts]), charts, strict=True
):
    with tab:
        st.altair_chart(chart, width="stretch")
        chart_downloads(
            chart, f"literature_{basename}", f"literature_dl_{basename}", frame
        )
st.caption(
    "T50 values marked 'normalised' were converted from another initial luminance "
    "and are estimates; rows without an initial luminance are not shown on the T50 "
    "chart. Sources and caveats: the table's source_location, verified_from and "
    "flags columns, and literature/README.md."
)

st.divider()
zip_download("literature_zip", "literature_figures")
