"""
The device bar: the current device, at the top of every page's sidebar.

Every page calls :func:`device_bar` first. It shows the current device (one
of the session's), what it holds and whether it is in the library, and the
actions: **Save to library**, **Details** (its record: batch, date made,
structure, emitter, area, tags, notes), **New device…** (a record, then
uploads go to it) and **Open…** (search the library and open a device). Uploads
on the pages go to the current device by default. It also restores a
reloaded session's devices (:func:`ui.library.restore_working_set`) and
opens ``?open=ID``.
"""

from __future__ import annotations

import streamlit as st

from core.errors import InputError
from core.library import VISIBILITIES, DeviceRecord
from ui import library as lib
from ui import session
from ui.format import device_contents
from ui.memory import track_session
from ui.text import plain

__all__ = ["NEW_DEVICE", "device_bar", "record_form", "search_devices"]

NEW_DEVICE = "New…"
_CHOICE = "device_bar_choice"
_SEARCH_LIMIT = 12


def _prepare() -> None:
    """Reload recovery, ``?open=``, and the working set, before the page."""
    try:
        lib.restore_working_set()
        lib.open_from_url()
        lib.sync_working_set()
    except InputError as error:
        lib.flash("error", plain(str(error)))


def _app_navigation() -> None:
    """
    Run a page through app.py's ``st.navigation`` (the sidebar says "Home").

    Until app.py has run once in the server process, Streamlit runs a page
    opened by its URL the way of the old pages/ folder: the page alone, with
    a sidebar that names app.py "app". Such a run stops here and runs again
    the app's way, on the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def device_bar(page_title: str | None = None) -> None:
    """
    The current-device block in the sidebar (call first on every page).

    ``page_title`` sets the page's title with the wide layout
    (``st.set_page_config``), so that a page starts with this one line.
    """
    _app_navigation()
    if page_title is not None:
        st.set_page_config(page_title=page_title, layout="wide")
    track_session()  # its caches go when the last session ends (ui.memory)
    _prepare()
    names = [d.name for d in session.get_devices()]
    current = session.current_device_name()
    if current:
        st.session_state[_CHOICE] = current
    with st.sidebar, st.container(border=True, key="device_bar"):
        if current:
            choice = st.selectbox(
                "Current device",
                names,
                key=_CHOICE,
                on_change=_chosen,
                help="Uploads on the pages go to this device; Save to library "
                "keeps its files, record and results.",
            )
            _status(choice)
            _actions(choice)
        else:
            st.markdown("**Current device**: none yet")
        left, right = st.columns(2)
        if current:
            with left:
                _details(current)
        with (right if current else left).popover(
            NEW_DEVICE, width="stretch", key="device_bar_new_pop"
        ):
            with st.form("device_bar_new", border=False):
                record_form("device_bar_new", {})
                st.form_submit_button(
                    "Create device", on_click=_create, args=("device_bar_new",)
                )
        with st.popover(
            "Open from library", width="stretch", key="device_bar_open_pop"
        ):
            _open_list()
        if current:
            st.caption("Unsaved uploads are not restored after a reload.")
        lib.account_box("device_bar")
        lib.show_flashes()


def _chosen() -> None:
    session.set_current_device(st.session_state.get(_CHOICE))


def _status(name: str) -> None:
    device = session.get_device(name)
    if device is None:
        return
    record = session.device_record(name)
    parts = [device_contents(device)]
    if record.get("batch"):
        parts.append(f"batch {record['batch']}")
    device_id = session.library_id(name)
    if device.synthetic:
        parts.append("synthetic demo data (not saved)")
    elif device_id is None:
        parts.append("not in the library yet")
    else:
        parts.append(f"library device #{device_id}")
    st.caption(plain(" · ".join(parts)))


def _actions(name: str) -> None:
    st.button(
        "Save to library",
        key="device_bar_save",
        type="primary",
        on_click=_save,
        args=(name,),
        disabled=not lib.signed_in(),
        width="stretch",
    )


def _details(name: str) -> None:
    with st.popover("Details", width="stretch", key="device_bar_details_pop"):
        with st.form("device_bar_details", border=False):
            record_form("device_bar_details", session.device_record(name))
            st.form_submit_button(
                "Apply", on_click=_apply, args=("device_bar_details", name)
            )


def _save(name: str) -> None:
    try:
        with st.spinner(f"Saving {name}…"):
            kind, text = lib.save_device(name)
    except InputError as error:
        kind, text = "error", plain(str(error))
    lib.flash(kind, text)


# --- the record --------------------------------------------------------------


def record_form(key: str, record: dict, *, with_name: bool = True) -> None:
    """The inputs of a device record (values read back by :func:`_record_of`)."""
    if with_name:
        st.text_input("Name", record.get("name", ""), key=f"{key}_name")
    c1, c2 = st.columns(2)
    c1.text_input("Batch", record.get("batch", ""), key=f"{key}_batch")
    c2.date_input("Date made", record.get("date_made") or None, key=f"{key}_date_made")
    c1.text_input("Emitter", record.get("emitter", ""), key=f"{key}_emitter")
    c2.number_input(
        "Active area [cm²]",
        min_value=0.0,
        value=record.get("area_cm2") or None,
        format="%.4g",
        key=f"{key}_area_cm2",
    )
    st.text_input(
        "Structure / composition",
        record.get("structure", ""),
        placeholder="ITO/PEDOT:PSS/CsPbI3/TPBi/LiF/Al",
        key=f"{key}_structure",
    )
    st.text_input(
        "Tags (comma-separated)",
        ", ".join(record.get("tags", ())),
        key=f"{key}_tags",
    )
    st.text_area("Notes", record.get("notes", ""), key=f"{key}_notes", height=68)
    if lib.login_configured():
        st.radio(
            "Who can read it",
            VISIBILITIES,
            index=VISIBILITIES.index(record.get("visibility", "private")),
            format_func={"private": "only me", "lab": "the lab"}.get,
            horizontal=True,
            key=f"{key}_visibility",
        )


def _record_of(key: str, name: str | None = None) -> DeviceRecord:
    state = st.session_state
    area = state.get(f"{key}_area_cm2")
    return DeviceRecord(
        name=name if name is not None else str(state.get(f"{key}_name", "")),
        batch=state.get(f"{key}_batch", ""),
        date_made=state.get(f"{key}_date_made"),
        structure=state.get(f"{key}_structure", ""),
        emitter=state.get(f"{key}_emitter", ""),
        area_cm2=area if area else None,
        notes=state.get(f"{key}_notes", ""),
        tags=state.get(f"{key}_tags", ""),
        visibility=state.get(f"{key}_visibility", "private"),
    )


def _create(key: str) -> None:
    try:
        record = _record_of(key)
    except InputError as error:
        lib.flash("error", plain(str(error)))
        return
    if session.get_device(record.name) is not None:
        lib.flash("error", f"A device named {plain(record.name)} is already open.")
        return
    session.add_to_device(record.name)
    session.set_device_record(record.name, record.to_dict())
    session.set_current_device(record.name)
    st.session_state[_CHOICE] = record.name
    lib.flash("success", f"{plain(record.name)} is the current device.")


def _apply(key: str, name: str) -> None:
    try:
        record = _record_of(key, name=str(st.session_state.get(f"{key}_name", name)))
    except InputError as error:
        lib.flash("error", plain(str(error)))
        return
    if record.name != name:
        lib.flash("error", "Renaming a device is not possible here: create a new one.")
        return
    session.set_device_record(name, record.to_dict())
    lib.flash("success", "Details kept; Save to library stores them.")


# --- opening -----------------------------------------------------------------


def search_devices(text: str, limit: int = _SEARCH_LIMIT):
    """Saved devices whose name, batch, emitter or tags contain ``text``."""
    wanted = text.strip().lower()
    found = []
    for entry in lib.library().list_devices(lib.current_user()):
        record = entry.record
        haystack = " ".join(
            [record.name, record.batch, record.emitter, *record.tags]
        ).lower()
        if wanted in haystack:
            found.append(entry)
        if len(found) >= limit:
            break
    return found


def _label(entry) -> str:
    record = entry.record
    bits = [record.name, record.batch, str(record.date_made or "")]
    return " · ".join(b for b in bits if b) + f" (#{entry.id})"


def _open_list() -> None:
    if not lib.signed_in():
        st.caption("Sign in to open the device library.")
        return
    text = st.text_input(
        "Search", placeholder="name, batch, emitter or tag", key="device_bar_search"
    )
    try:
        found = search_devices(text)
    except InputError as error:
        st.error(plain(str(error)))
        return
    if not found:
        st.caption("No saved device matches." if text else "The library is empty.")
        return
    labels = {entry.id: _label(entry) for entry in found}
    chosen = st.radio(
        "Saved devices (newest first)",
        list(labels),
        format_func=labels.get,
        key="device_bar_found",
    )
    st.button(
        "Open", key="device_bar_open", on_click=_open, args=(chosen,), type="primary"
    )
    st.caption("The Library page filters, compares and exports all of them.")


def _open(device_id: int) -> None:
    with st.spinner("Opening and re-running the analysis…"):
        kind, text = lib.open_into_session(device_id)
    lib.flash(kind, text)
    current = session.current_device_name()
    if current:
        st.session_state[_CHOICE] = current
