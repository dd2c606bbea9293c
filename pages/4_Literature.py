"""Literature: the curated table of pure-red PeLEDs, the lab's own rows, where a
device stands, and the SI comparison table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import literature, summary
from core.errors import InputError
from core.figures import literature as literature_figures
from ui.device import device_bar
from ui.export import preset_selector, show_chart, table_download, zip_download
from ui.export import set_page_context as register_inputs
from ui.literature import (
    DEVICE_KEY,
    count_captions,
    device_caption,
    device_form,
    lab_rows_section,
    lab_table,
    mark_lab_rows,
    open_library,
    ranking_section,
    si_table_section,
)
from ui.session import efficiency_threshold, get_devices
from ui.settings import lifetime_comparison_settings, literature_filters
from ui.tables import show_table
from ui.text import plain

device_bar("Literature · PeLED Bench")  # page config + the current device
st.title("Literature")
st.caption(
    "A curated, sourced table of published pure-red (620–650 nm) and deep-red "
    "(650–690 nm) perovskite LEDs, plus the lab's own rows from the device "
    "library (marked 'lab', never mixed into the curated table). Every number "
    "carries where it was read; blank means not found, never guessed."
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

library, user = open_library()
try:
    table = literature.with_lab_rows(table, lab_table(library, user))
except InputError as error:
    st.error(plain(error))

with st.sidebar:
    filters, years = literature_filters(table, "literature")
    reference_luminance, acceleration_n = lifetime_comparison_settings("literature")

upload = st.file_uploader(
    "Add rows for this session only (CSV with the table's columns; at least "
    "record_id). To keep rows, add them to the library under 'Lab rows' below.",
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
    device_form()
    device = st.session_state.get(DEVICE_KEY)
else:
    device = summaries[choice]
    device_caption(choice, device)
if device:
    ranking_section(device, shown, reference_luminance, acceleration_n)
else:
    st.info("Type your device's numbers and press *Rank my device*.")

if session_devices:
    with st.expander("Ranks of every session device", expanded=False):
        ranks = literature.rank_devices(
            summaries, shown, reference_luminance, acceleration_n
        )
        show_table(ranks, "literature_dl_session_ranks", "session_device_ranks")

st.subheader(f"Table ({len(shown)} of {len(table)} rows)")
display = literature.table_with_t50_and_links(shown, t50)
display = display[["origin", *[c for c in display.columns if c != "origin"]]]
show_table(  # the values at the precision their papers give
    display,
    "literature_table",
    hide=("doi", "t50_ref_h", "t50_ref_bound_h"),
    rounded=False,
    column_config={
        "origin": "Origin",
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
count_captions(shown, reference_luminance, acceleration_n)
frame = mark_lab_rows(
    literature_figures.literature_chart_frame(
        shown, device, reference_luminance, acceleration_n
    ),
    shown,
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
    "luminance are not on the T50 chart. Lab rows have their own colour ('lab "
    "row'), a '(lab)' label and source 'lab'. Sources and caveats: the table's "
    "source_location, verified_from and flags columns, and literature/README.md."
)

st.subheader("SI table")
st.caption(
    "Your devices next to chosen literature rows, for a paper's Supporting "
    "Information: LaTeX (booktabs, \\cite keys, matching .bib), Word, Markdown "
    "or CSV. Blank cells say '–'; footnotes mark normalised, extrapolated and "
    "bound T50s, each device's EQE basis and lab rows."
)
si_table_section(summaries, library, user, shown, reference_luminance, acceleration_n)

st.subheader("Lab rows")
st.caption(
    "A paper's device entered by the lab: checked by the table's codebook, "
    "stored in the device library (survives restarts), shown as 'lab' and "
    "exportable as a CSV that can be proposed for the curated table."
)
lab_rows_section(library, user)

st.divider()
zip_download("literature_zip", "literature_figures")
