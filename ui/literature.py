"""
Widgets of the Literature page: the device form and its ranking, what each
comparison rests on, the lab's rows (form with "fill from DOI", CSV upload,
list, delete, export) and the SI comparison table.

Lab rows live in the device library (:class:`core.library.Library`); when it
cannot be opened the page says so and works on the curated table alone.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import streamlit as st

from core import literature
from core.errors import InputError
from core.library import Library, acting_user, database_url
from ui.format import MISSING, number_text
from ui.tables import show_table
from ui.text import plain

__all__ = [
    "DEVICE_KEY",
    "T50_IS",
    "count_captions",
    "device_caption",
    "device_form",
    "lab_rows_section",
    "lab_table",
    "mark_lab_rows",
    "open_library",
    "ranking_section",
    "si_table_section",
]

#: Session key of the device typed into the form on this page.
DEVICE_KEY = "literature_device"
#: The form's "T50 is" choices -> t50_kind and t50_qualifier (the table's columns).
T50_IS = {
    "measured": {"t50_kind": "measured", "t50_qualifier": ""},
    "extrapolated": {"t50_kind": "extrapolated", "t50_qualifier": ""},
    "a lower bound (>)": {"t50_kind": "measured", "t50_qualifier": ">"},
}
#: The lab-row form's values: table column -> label (with unit).
LAB_VALUES = {
    "el_peak_nm": "EL peak [nm]",
    "el_fwhm_nm": "FWHM [nm]",
    "cie_x": "CIE x",
    "cie_y": "CIE y",
    "eqe_max_percent": "EQE max [%]",
    "luminance_at_eqe_max_cd_m2": "L at EQE max [cd/m²]",
    "luminance_max_cd_m2": "L max [cd/m²]",
    "turn_on_v": "Turn-on [V]",
    "t50_h": "T50 [h]",
    "t50_initial_luminance_cd_m2": "T50 L0 [cd/m²]",
    "el_shift_nm": "EL shift [nm]",
}
#: The citation fields Crossref fills.
CITATION_FIELDS = ("first_author", "year", "journal", "volume_pages", "title")
#: Messages that outlive a rerun: of the form (shown inside its expander, so
#: the expander keeps its place and stays open) and of the list below it.
_FLASH = "literature_lab_flash"
_FORM_FLASH = "literature_lab_form_flash"


# --------------------------------------------------------------------------
# Your device and its ranking
# --------------------------------------------------------------------------


def device_form() -> None:
    """The form of a device typed in by hand (stored under :data:`DEVICE_KEY`)."""
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


def device_caption(choice: str, device: dict) -> None:
    """One line of a session device's headline numbers and where they came from."""
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


def _metric_cards(ranking: pd.DataFrame) -> None:
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


def ranking_section(device: dict, shown: pd.DataFrame, reference: float, n: float):
    """Rank ``device`` against ``shown``: cards, notes, table and download."""
    try:
        ranking = literature.rank_device(device, shown, reference, n)
    except InputError as error:
        st.error(plain(error))
        return
    _metric_cards(ranking)
    for row in ranking.itertuples():
        if row.status == "too few to rank":
            st.caption(plain(f"{row.label}: {row.shown}."))
    show_table(ranking, "literature_dl_ranking", "literature_ranking")
    lab = shown.loc[
        (shown["origin"] == literature.LAB_ORIGIN) & shown["rankable"], "record_id"
    ]
    if len(lab):
        st.caption(
            plain(
                f"{len(lab)} lab row(s) from the library are ranked against: "
                + ", ".join(lab)
                + "."
            )
        )
    st.caption(
        "Ranked against the rankable rows that pass the filters. Values equal "
        "within the table's stated decimals rank equal (1224 ranking: rank = 1 + "
        "the rows better); a '>' T50 counts only where its bound decides (else "
        "undecided); with fewer than 5 rows a metric is 'too few to rank' and "
        "the rows are listed, no percentile. T50s compared at "
        f"{reference:g} cd/m² with n = {n:g} (within 5 % not converted)."
    )


def count_captions(shown: pd.DataFrame, reference: float, n: float) -> None:
    """Per metric, how many rows a comparison rests on, and the row counts."""
    counts = literature.metric_counts(shown, reference, n)
    for text in counts["text"]:
        st.caption(plain(text))
    rows = literature.row_counts(shown)
    st.caption(
        plain(
            f"Rows shown: {rows['total']} ({rows['curated']} curated, {rows['lab']} "
            f"lab, {rows['user']} uploaded for this session); rankable "
            f"{rows['rankable']}; with T50 and its L0 {rows['with_t50_and_l0']}; "
            f"with a spectral-stability value {rows['with_el_shift']} (a statement "
            f"without a number: {rows['with_stability_note']})."
        )
    )


def mark_lab_rows(frame: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """
    The chart frame with lab rows named as such: source "lab", label
    "... (lab)" and, as the charts colour by emitter, the colour (and legend
    entry) "lab row", so that they are told apart without a tooltip.
    """
    lab = set(shown.loc[shown["origin"] == literature.LAB_ORIGIN, "record_id"])
    frame = frame.copy()
    is_lab = frame["record_id"].isin(lab)
    frame.loc[is_lab, "source"] = "lab"
    frame.loc[is_lab, "label"] = frame.loc[is_lab, "label"] + " (lab)"
    frame.loc[is_lab, "emitter_class"] = "lab row"
    return frame


# --------------------------------------------------------------------------
# The library and its lab rows
# --------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _library(url: str) -> Library:
    return Library(url)


def _login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file: no login
        return False


def open_library():
    """(Library, User), or (None, None) with a warning when it cannot be opened."""
    try:
        user = acting_user(_login_configured(), getattr(st, "user", None))
        return _library(database_url()), user
    except InputError as error:
        st.warning(plain(f"Lab rows are not available: {error}"))
        return None, None


def lab_table(library, user) -> pd.DataFrame:
    """The lab rows ``user`` may read (empty without a library or on error)."""
    if library is None:
        return pd.DataFrame()
    try:
        return library.literature_rows_table(user)
    except InputError as error:
        st.error(plain(f"The library's lab rows could not be read: {error}"))
        return pd.DataFrame()


def _fill_from_doi() -> None:
    """Callback of "Fill from DOI": Crossref's citation into the form's fields."""
    try:
        found = literature.fetch_citation(st.session_state.get("lab_doi", ""))
    except InputError as error:
        st.session_state[_FORM_FLASH] = ("error", str(error))
        return
    st.session_state["lab_doi"] = found["doi"]
    for key in CITATION_FIELDS:
        value = found.get(key)
        st.session_state[f"lab_{key}"] = "" if value is None else str(value)
    st.session_state["lab_record_id"] = literature.suggest_record_id(
        str(found["first_author"]), found["year"], str(found["journal"])
    )
    st.session_state[_FORM_FLASH] = (
        "success",
        "Filled from Crossref: check the fields.",
    )


def _form_values() -> dict:
    """The lab-row form's fields as table cells, with ``source_location``."""
    state = st.session_state
    values = {
        "record_id": state.get("lab_record_id", ""),
        "doi": state.get("lab_doi", ""),
        **{key: state.get(f"lab_{key}", "") for key in CITATION_FIELDS},
        "device_role": state.get("lab_device_role", "other"),
        "emitter_class": state.get("lab_emitter_class", "other"),
        "composition": state.get("lab_composition", ""),
        "lead_free": bool(state.get("lab_lead_free", False)),
        "rankable": bool(state.get("lab_rankable", False)),
        **T50_IS[state.get("lab_t50_is", "measured")],
    }
    where = []
    for key, label in LAB_VALUES.items():
        value = str(state.get(f"lab_{key}", "") or "").strip()
        read = str(state.get(f"lab_{key}_where", "") or "").strip()
        if not value:
            continue
        if not read:
            raise InputError(
                f"The form, column {key!r}: say where {label} was read (figure, "
                "table or page), found nothing.",
                column=key,
            )
        values[key] = value
        where.append(f"{label.split(' [')[0]}: {read}")
    if "t50_h" not in values:
        values.update(t50_kind="", t50_qualifier="")
    if "el_shift_nm" in values:
        values["el_shift_location"] = state.get("lab_el_shift_nm_where", "")
        values["el_shift_kind"] = state.get("lab_el_shift_kind", "bias")
        values["el_shift_direction"] = state.get("lab_el_shift_direction", "unstated")
        values["el_shift_condition"] = state.get("lab_el_shift_condition", "")
    values["source_location"] = "; ".join(where)
    return values


def _citation_inputs() -> None:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input("DOI", key="lab_doi", placeholder="10.1021/acsmaterialslett.4c00912")
    c2.button(
        "Fill from DOI",
        on_click=_fill_from_doi,
        key="lab_fill",
        help="Title, first author, journal, year from Crossref (needs the "
        "network; offline, fill the fields by hand).",
    )
    c1, c2, c3 = st.columns(3)
    c1.text_input("Record id", key="lab_record_id", help="e.g. ren2024acsml-treated")
    c2.text_input("First author (family name)", key="lab_first_author")
    c3.text_input("Year", key="lab_year")
    c1, c2 = st.columns(2)
    c1.text_input("Journal", key="lab_journal")
    c2.text_input("Volume, pages", key="lab_volume_pages")
    st.text_input("Title", key="lab_title")
    c1, c2, c3 = st.columns(3)
    c1.selectbox("Device role", ["champion", "control", "other"], key="lab_device_role")
    c2.selectbox(
        "Emitter",
        ["quantum-dots", "quasi-2D", "3D-film", "nanoplatelets", "other"],
        key="lab_emitter_class",
    )
    c3.text_input("Composition / treatment", key="lab_composition")


def _value_inputs() -> None:
    items = list(LAB_VALUES.items())
    for first in range(0, len(items), 2):
        cells = st.columns([1, 2, 1, 2])
        for position, (key, label) in enumerate(items[first : first + 2]):
            cells[2 * position].text_input(label, key=f"lab_{key}")
            cells[2 * position + 1].text_input(
                f"{label.split(' [')[0]}: where read",
                key=f"lab_{key}_where",
                placeholder="e.g. Fig. 2b, abstract, Table 1",
            )
    c1, c2, c3, c4 = st.columns(4)
    c1.radio("T50 is", list(T50_IS), key="lab_t50_is")
    c2.selectbox(
        "EL shift under",
        ["bias", "operation", "storage", "other"],
        key="lab_el_shift_kind",
    )
    c3.selectbox(
        "EL shift direction",
        ["unstated", "red", "blue"],
        key="lab_el_shift_direction",
    )
    c4.text_input("EL shift condition", key="lab_el_shift_condition")
    c1, c2, c3 = st.columns(3)
    c1.checkbox("Lead-free", key="lab_lead_free")
    c2.checkbox(
        "Rankable",
        key="lab_rankable",
        help="Only a cited champion, lead-based, with EL peak and EQE max.",
    )
    c3.radio("Visible to", ["private", "lab"], horizontal=True, key="lab_visibility")


def _add_form(library, user) -> None:
    """The "Add a paper's device" form; a row added reruns the page."""
    _show_flash(_FORM_FLASH)
    _citation_inputs()
    _value_inputs()
    if st.button("Add to the library", key="lab_add", type="primary"):
        try:
            library.add_literature_row(
                _form_values(),
                user,
                visibility=st.session_state.get("lab_visibility", "private"),
            )
        except InputError as error:
            st.error(plain(error))
            return
        record = st.session_state.get("lab_record_id")
        st.session_state[_FLASH] = ("success", f"Lab row {record!r} added.")
        st.rerun()


def _upload(library, user) -> None:
    upload = st.file_uploader(
        "Lab rows from a CSV (the table's columns; stored in the library)",
        type=["csv"],
        key="lab_upload",
    )
    if upload is None or not st.button("Store these rows", key="lab_store"):
        return
    try:
        frame, lines = literature.read_lab_frame(upload.getvalue(), upload.name)
        ids = library.add_literature_rows(
            frame, user, source=upload.name, line_numbers=lines
        )
    except InputError as error:
        st.error(plain(error))
        return
    st.session_state[_FLASH] = ("success", f"{len(ids)} lab row(s) added.")
    st.rerun()


def _rows_list(library, user) -> None:
    stored = library.list_literature_rows(user)
    if not stored:
        st.caption("No lab rows in the library yet.")
        return
    listing = pd.DataFrame(
        [
            {
                "id": s.id,
                "record_id": s.record_id,
                "origin": literature.LAB_ORIGIN,
                "owner": s.owner,
                "visibility": s.visibility,
                "doi": s.cells.get("doi", ""),
                "source_location": s.cells.get("source_location", ""),
            }
            for s in stored
        ]
    )
    st.dataframe(listing, hide_index=True, width="stretch")
    c1, c2, c3 = st.columns([2, 1, 2])
    mine = {f"{s.record_id} (#{s.id})": s.id for s in stored if s.owner == user.id}
    target = c1.selectbox("Lab row", list(mine) or ["—"], key="lab_delete_choice")
    if c2.button("Delete", key="lab_delete", disabled=not mine):
        library.delete_literature_row(mine[target], user)
        st.session_state[_FLASH] = ("success", f"Lab row {target} deleted.")
        st.rerun()
    c3.download_button(
        "Lab rows (CSV, the curated table's columns)",
        data=library.export_literature_rows(user),
        file_name="lab_rows.csv",
        mime="text/csv",
        key="lab_export",
        on_click="ignore",
    )


def _show_flash(key: str) -> None:
    flash = st.session_state.pop(key, None)
    if flash:
        getattr(st, flash[0])(plain(flash[1]))


def lab_rows_section(library, user) -> None:
    """Add a paper's device (form, Crossref, CSV), list, delete and export."""
    if library is None:
        st.info("The device library is not available: lab rows cannot be stored.")
        return
    with st.expander("Add a paper's device", expanded=False):
        _add_form(library, user)
    _show_flash(_FLASH)
    _upload(library, user)
    _rows_list(library, user)


# --------------------------------------------------------------------------
# The SI table
# --------------------------------------------------------------------------


def _library_devices(library, user) -> dict[str, dict]:
    if library is None:
        return {}
    try:
        stored = library.list_devices(user)
    except InputError:
        return {}
    return {
        f"{d.record.name} (library #{d.id})": dict(d.summary) | {"name": d.record.name}
        for d in stored
    }


def _si_rows(shown: pd.DataFrame, devices: list[dict]) -> pd.DataFrame:
    how = st.radio(
        "Literature rows",
        ["closest N by EL peak", "top N by EQE", "choose"],
        horizontal=True,
        key="si_rows_how",
    )
    if how == "choose":
        ids = st.multiselect("Rows", list(shown["record_id"]), key="si_rows_ids")
        return literature.rows_by_ids(shown, ids)
    count = st.number_input("N", 1, 100, 10, key="si_rows_n")
    if how == "top N by EQE":
        return literature.top_by_eqe(shown, count)
    peak = next((d.get("el_peak_nm") for d in devices if d.get("el_peak_nm")), None)
    return literature.closest_by_peak(shown, peak, count)


def _latex_zip(tex: str, bib: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("si_table.tex", tex)
        archive.writestr("si_table.bib", bib)
    return out.getvalue()


def _si_downloads(si) -> None:
    tex, bib = literature.to_latex(si, bib_name="si_table")
    files = [
        ("LaTeX + BibTeX (zip)", _latex_zip(tex, bib), "si_table_latex.zip",
         "application/zip"),
        ("Word (.docx)", literature.to_docx(si), "si_table.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Markdown", literature.to_markdown(si), "si_table.md", "text/markdown"),
        ("CSV", literature.to_csv(si), "si_table.csv", "text/csv"),
    ]  # fmt: skip
    for column, (label, data, name, mime) in zip(
        st.columns(len(files)), files, strict=True
    ):
        column.download_button(
            label, data=data, file_name=name, mime=mime, key=f"si_dl_{name}",
            on_click="ignore",
        )  # fmt: skip


def si_table_section(
    summaries: dict, library, user, shown: pd.DataFrame, reference: float, n: float
) -> None:
    """Choose devices, rows and columns; preview; LaTeX, Word, Markdown, CSV."""
    available = dict(summaries) | _library_devices(library, user)
    chosen = st.multiselect(
        "Devices of this work (session and library)",
        list(available),
        default=list(summaries)[-1:],
        key="si_devices",
    )
    devices = [available[name] for name in chosen]
    columns = st.multiselect(
        "Columns",
        list(literature.SI_COLUMNS),
        default=list(literature.SI_COLUMNS),
        key="si_columns",
    )
    try:
        rows = _si_rows(shown, devices)
        si = literature.si_table(devices, rows, columns, reference, n)
    except InputError as error:
        st.info(plain(error))
        return
    st.dataframe(si.plain(), hide_index=True, width="stretch")
    for text in si.notes:
        st.caption(plain(text))
    for marker, text in si.footnotes:
        st.caption(plain(f"[{marker}] {text}"))
    _si_downloads(si)
