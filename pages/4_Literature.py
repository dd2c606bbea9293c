"""Literature: the curated table of pure-red PeLEDs and where a device stands in it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import literature, summary
from core.errors import InputError
from core.figures import literature as literature_figures
from ui.export import preset_selector, show_chart, table_download, zip_download
from ui.export import set_page_context as register_inputs
from ui.format import MISSING, number_text
from ui.session import efficiency_threshold, get_devices
from ui.settings import lifetime_comparison_settings, literature_filters
from ui.text import plain

#: Session key of the device typed into the form on this page.
DEVICE_KEY = "literature_device"
#: The form's "T50 is" choices -> t50_kind and t50_qualifier (the table's columns).
T50_IS = {
    "measured": {"t50_kind": "measured", "t50_qualifier": ""},
    "extrapolated": {"t50_kind": "extrapolated", "t50_qualifier": ""},
    "a lower bound (>)": {"t50_kind": "measured", "t50_qualifier": ">"},
}

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


@st.cache_data(show_spinner=False, max_entries=8)
def merge_upload(table: pd.DataFrame, data: bytes, name: str) -> pd.DataFrame:
    return literature.merge_user_rows(table, data, name)


try:
    table = load_curated()
except InputError as error:
    st.error(plain(error))
    st.stop()

with st.sidebar:
    filters, years = literature_filters(table, "literature")
    reference_luminance, acceleration_n = lifetime_comparison_settings("literature")

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

shown = literature.filter_years(literature.filter_table(table, **filters), **years)
t50 = literature.normalised_t50_h(shown, reference_luminance, acceleration_n)

st.subheader("Your device")
session_devices = get_devices()
# Headline numbers of each session device, computed once per run (fits
# included); the EQE is the device's one result (its chosen EQE source and the
# Efficiency page's turn-on luminance).
summaries = {
    d.name: summary.device_summary(
        d,
        reference_luminance_cd_m2=reference_luminance,
        acceleration_n=acceleration_n,
        turn_on_luminance_cd_m2=efficiency_threshold(),
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
        t50_h = c7.number_input("T50 [h]", value=None, min_value=0.0, format="%.4f")
        t50_l0 = c8.number_input(
            "T50 initial luminance [cd/m²]", value=None, min_value=0.0
        )
        t50_is = st.radio(
            "T50 is", list(T50_IS), horizontal=True, key="literature_t50_is"
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
                **T50_IS[t50_is],
            }

if choice == "typed in below":
    device = st.session_state.get(DEVICE_KEY)
else:
    device = summaries[choice]
    st.caption(
        f"{choice}: EL peak {number_text(device['el_peak_nm'], '.1f')} nm, CIE "
        f"({number_text(device['cie_x'], '.4f')}, "
        f"{number_text(device['cie_y'], '.4f')}), EQE "
        f"{number_text(device['eqe_max_percent'], '.2f')} % "
        f"({device.get('eqe_basis') or 'no J-V-L sweep'}), L max "
        f"{number_text(device['luminance_max_cd_m2'], ',.0f')} cd/m², T50 "
        f"{device['t50_qualifier'] or ''} {number_text(device['t50_h'], '.3g')} h "
        f"({device['t50_kind'] or 'not determined'}) at "
        f"{number_text(device['t50_initial_luminance_cd_m2'], '.0f')} cd/m²"
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
            if row.status == "ranked":
                column.metric(
                    row.label,
                    row.shown,
                    f"percentile {row.percentile:.0f}",
                    delta_color="off",
                    help=f"best: {row.best_record_id} ({row.best_qualifier}"
                    f"{row.best_value:.4g}). {row.note}",
                )
            else:
                text = "too few to rank" if row.status == "too few to rank" else MISSING
                column.metric(row.label, text, help=row.note or None)
        for row in ranking.itertuples():
            if row.status == "too few to rank":
                st.caption(plain(f"{row.label}: {row.shown}."))
        st.dataframe(ranking, hide_index=True, width="stretch")
        table_download(ranking, "literature_ranking", "literature_dl_ranking")
        st.caption(
            "Ranked against the rankable rows that pass the filters. Values equal "
            "within the table's stated decimals rank equal (1224 ranking: rank = 1 + "
            "the rows better); a '>' T50 counts only where its bound decides (else "
            "undecided); with fewer than 5 rows a metric is 'too few to rank' and "
            "the rows are listed, no percentile. T50s compared at "
            f"{reference_luminance:g} cd/m² with n = {acceleration_n:g} (within 5 % "
            "not converted)."
        )
else:
    st.info("Type your device's numbers and press *Rank my device*.")

if session_devices:
    with st.expander("Ranks of every session device", expanded=False):
        ranks = literature.rank_devices(
            summaries, shown, reference_luminance, acceleration_n
        )
        st.dataframe(ranks, hide_index=True, width="stretch")
        table_download(ranks, "session_device_ranks", "literature_dl_session_ranks")

st.subheader(f"Table ({len(shown)} of {len(table)} rows)")
display = literature.table_with_t50_and_links(shown, t50)
st.dataframe(
    display.drop(columns=["doi", "t50_ref_h", "t50_ref_bound_h"]),
    hide_index=True,
    width="stretch",
    column_config={
        "doi_link": st.column_config.LinkColumn(
            "DOI", display_text=r"https://doi\.org/(.*)"
        ),
        "t50_ref_shown": f"T50 at {reference_luminance:g} cd/m² [h]",
        "t50_ref_kind": "T50 at the reference is",
    },
)
d1, d2 = st.columns(2)
with d1:
    table_download(  # the numbers as in the table: t50_h with t50_qualifier
        literature.without_precision(shown).join(t50),
        "pure_red_peleds_filtered",
        "literature_dl_table",
        label="Filtered table (CSV)",
    )
with d2:
    st.download_button(
        "Filtered table (BibTeX)",
        data=literature.bibtex_file(shown),
        file_name="pure_red_peleds.bib",
        mime="application/x-bibtex",
        key="literature_dl_bibtex",
        on_click="ignore",  # a rerun would invalidate the other buttons' files
    )

st.subheader("Where it stands")
comparison = {"reference_luminance_cd_m2": reference_luminance}
comparison |= {"acceleration_n": acceleration_n, "device": device}
register_inputs(
    files=[upload],
    literature=True,
    settings=filters | years | comparison,
    data=[d for d in session_devices if d.name == choice],
)
frame = literature_figures.literature_chart_frame(
    shown, device, reference_luminance, acceleration_n
)
f = literature_figures
charts = {
    "eqe_vs_peak": ("EQE vs EL peak", f.eqe_vs_peak_chart(frame)),
    "t50_vs_eqe": ("T50 vs EQE", f.t50_vs_eqe_chart(frame, reference_luminance)),
    "lmax": ("Max luminance vs EQE", f.lmax_vs_eqe_chart(frame)),
    "cie_red": ("CIE red corner", f.cie_red_corner_chart(frame)),
}
for tab, (name, (_, chart)) in zip(
    st.tabs([t for t, _ in charts.values()]), charts.items(), strict=True
):
    with tab:
        show_chart(chart, f"literature_{name}", f"literature_dl_{name}", frame)
st.caption(
    "T50 values marked 'normalised' were converted from another initial luminance "
    "and are estimates; 'extrapolated' ones were extrapolated by their authors; a "
    "'>' lower bound is drawn open and is never a value. Rows without an initial "
    "luminance are not on the T50 chart. Sources and caveats: the table's "
    "source_location, verified_from and flags columns, and literature/README.md."
)

st.divider()
zip_download("literature_zip", "literature_figures")
