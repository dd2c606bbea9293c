"""
The device library from the pages: who is acting, saving the current device,
opening a saved one into the session, and the working set a reload restores.

One :class:`core.library.Library` per process and database URL
(``st.cache_resource``; ``PELED_DATABASE_URL`` or the SQLite file under
``PELED_DATA_DIR``). Who acts is :func:`current_user`: the signed-in user
when Streamlit's login is configured (an ``[auth]`` section in
``.streamlit/secrets.toml``), else the single local user. The access rules
are the library's: a page that shows a device it should not still cannot
open it (:class:`~core.library.PermissionDenied`).

A session keeps a random key in its URL (``?session=...``); the ids of the
devices saved or opened in it and the current one are written to the
library under that key, and a new session started from the same URL (a
reload) opens them again. ``?open=ID`` opens a device by its id.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

import streamlit as st

from core.errors import InputError
from core.library import (
    DeviceRecord,
    FileInput,
    Library,
    User,
    acting_user,
    database_url,
    device_of,
)
from core.library.analysis import (
    analyse_files,
    changed_keys,
    comparable,
    settings_payload,
)
from core.library.working import check_key
from core.models import Device
from core.report import ReportSettings, analyse_device
from ui import session
from ui.text import plain

__all__ = [
    "SINGLE_USER_TEXT",
    "SESSION_PARAM",
    "library",
    "login_configured",
    "current_user",
    "signed_in",
    "account_box",
    "analysis_settings",
    "reader_options",
    "save_device",
    "open_into_session",
    "session_key",
    "restore_working_set",
    "sync_working_set",
    "open_from_url",
    "flash",
    "show_flashes",
]

SINGLE_USER_TEXT = (
    "Single-user mode: no login configured — everyone who opens this app sees "
    "the same library."
)
#: Query parameter holding the session's key (reload recovery).
SESSION_PARAM = "session"
#: Query parameter that opens a device by its library id.
OPEN_PARAM = "open"
_KEY = "peled_session_key"
_FROM_URL = "peled_session_key_from_url"
_RESTORED = "peled_working_set_restored"
_WRITTEN = "peled_working_set_written"
_FLASHES = "peled_library_flashes"


@st.cache_resource(show_spinner=False)
def _library(url: str) -> Library:
    return Library(url)


def library() -> Library:
    """The process's library (the URL is read from the environment)."""
    return _library(database_url())


def login_configured() -> bool:
    """Whether Streamlit's login is set up (``[auth]`` in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def current_user() -> User:
    """
    Who the library acts as: the signed-in user, or the local user when no
    login is configured. PermissionDenied when login is configured and
    nobody is signed in.
    """
    configured = login_configured()
    return acting_user(configured, st.user.to_dict() if configured else None)


def signed_in() -> bool:
    """True without login, else whether someone is signed in."""
    return not login_configured() or bool(st.user.get("is_logged_in", False))


def account_box(key: str = "account") -> None:
    """Single-user note, or who is signed in with Sign in / Sign out."""
    if not login_configured():
        st.caption(SINGLE_USER_TEXT)
        return
    if signed_in():
        user = current_user()
        st.caption(f"Signed in as **{plain(user.name or user.email or user.id)}**.")
        st.button("Sign out", key=f"{key}_logout", on_click=st.logout)
    else:
        st.caption("Sign in to save devices and open the library.")
        if st.button("Sign in", key=f"{key}_login", type="primary"):
            st.login()


def flash(kind: str, text: str) -> None:
    """A message shown by :func:`show_flashes` (``kind``: success, info,
    warning or error); survives the rerun of a callback."""
    st.session_state.setdefault(_FLASHES, []).append((kind, text))


def show_flashes() -> None:
    for kind, text in st.session_state.pop(_FLASHES, []):
        getattr(st, kind)(text)


# --- settings of a saved analysis --------------------------------------------


def analysis_settings() -> ReportSettings:
    """The analysis settings a save stores: the Report page's choices where
    the session has them, the Efficiency page's turn-on luminance."""
    state = st.session_state
    defaults = ReportSettings()
    return ReportSettings(
        series=state.get("report_series", defaults.series),
        threshold_nm=float(state.get("report_threshold", defaults.threshold_nm)),
        reference_luminance_cd_m2=float(
            state.get("report_reference_luminance", defaults.reference_luminance_cd_m2)
        ),
        acceleration_n=float(state.get("report_n", defaults.acceleration_n)),
        turn_on_luminance_cd_m2=session.efficiency_threshold(),
    )


def reader_options(device: Device) -> dict:
    """Reader options that read the device's files as the pages did."""
    options: dict = {}
    series = [s for s in (device.spectra_time, device.spectra_bias) if s is not None]
    if len(series) == 1 and series[0].axis_name != "index":
        options.update(axis_name=series[0].axis_name, axis_unit=series[0].axis_unit)
    areas = {s.area_cm2 for s in device.jvl if s.area_cm2}
    if len(areas) == 1:
        options["area_cm2"] = float(areas.pop())
    l0 = {lg.initial_luminance_cd_m2 for lg in device.lifetime if lg.relative}
    if len(l0) == 1 and None not in l0:
        options["initial_luminance_cd_m2"] = float(l0.pop())
    return options


# --- saving ------------------------------------------------------------------


def _files_or_reason(name: str, device: Device):
    """The device's files, or the sentence saying why it cannot be saved."""
    if device.synthetic:
        return None, (
            f"{name} is synthetic demo data, generated in the app: demo data is "
            "synthetic and not saved. Upload your files to save a device."
        )
    files, missing = session.device_files(name)
    if missing:
        fields = ", ".join(f.replace("_", " ") for f in missing)
        return None, (
            f"{name}: the {fields} data were not uploaded as files in this "
            "session (demo data, or added before files were kept), so they "
            "cannot be saved. Upload them again, then save."
        )
    if not files:
        return None, (
            f"{name} has no files yet: upload spectra, J-V-L sweeps or lifetime "
            "logs on the pages (they go to the current device), then save."
        )
    return [FileInput(n, data, role) for n, role, data in files], ""


def _differences(device: Device, settings: ReportSettings, results: dict) -> list:
    """Summary numbers the stored files give differently from the session."""
    shown = comparable(analyse_device(device, settings).summary or {})
    stored = results.get("summary") or {}
    keys = sorted((set(shown) | set(stored)) - {"name", "notes", "eqe_basis"})
    return [k for k in keys if shown.get(k) != stored.get(k)]


def save_device(name: str) -> tuple[str, str]:
    """
    Save the session device ``name`` to the library (a new device, or a new
    version of the one it was opened from or saved as).

    Returns
    -------
    (kind, text)
        What to tell the user (``kind`` as :func:`flash`).
    """
    device = session.get_device(name)
    if device is None:
        return "error", f"No device '{name}' in this session."
    inputs, reason = _files_or_reason(name, device)
    if inputs is None:
        return "warning", reason
    user = current_user()
    record = DeviceRecord(**session.device_record(name))
    settings, options = analysis_settings(), reader_options(device)
    photophysics = device.photophysics or None
    payload = settings_payload(settings, options, photophysics=photophysics)
    triples = [(f.name, f.role, f.data) for f in inputs]
    _, results = analyse_files(name, triples, payload)
    differ = _differences(device, settings, results)
    device_id = session.library_id(name)
    if device_id is None:
        device_id = library().save_device(
            record, inputs, payload, results=results, user=user
        )
        text = f"Saved {name} to the library as device #{device_id}."
    else:
        text = _save_version(device_id, record, inputs, payload, results, user)
    session.set_library_id(name, device_id)
    if differ:
        text += (
            " Note: read back from the stored files, these numbers differ from "
            f"what the pages show ({', '.join(differ)}): the upload used reader "
            "options the library does not keep (several single-spectrum files, "
            "a dark spectrum, a workbook range, typed axis values or an EQE "
            "spectrum choice). The library keeps what the files give."
        )
        return "warning", text
    return "success", text


def _save_version(device_id, record, inputs, payload, results, user) -> str:
    """Update a saved device: its record, and its files or settings if changed."""
    lib = library()
    old = lib.open_device(device_id, user, reanalyse=False, with_data=False)
    lib.update(device_id, record, user)
    previous = old.current
    same_files = [f.sha256 for f in old.files] == [f.sha256 for f in inputs]
    if not same_files:
        lib.replace_files(device_id, inputs, user, payload)
    elif previous is None or previous.settings != payload:
        lib.reanalyse(device_id, user, payload)
    text = f"Saved {record.name} (device #{device_id})."
    if previous is not None and previous.results != results:
        changed = ", ".join(changed_keys(previous.results, results))
        text += (
            f" The results changed ({changed}): the new analysis is current, the "
            f"one {previous.label.replace(' (current)', '')} is kept."
        )
    return text


# --- opening -----------------------------------------------------------------


def _session_name(stored) -> str:
    """The session name of an opened device: its own, unless taken."""
    for device in session.get_devices():
        if session.library_id(device.name) == stored.id:
            return device.name
    name = stored.record.name
    if session.get_device(name) is not None:
        return f"{name} (#{stored.id})"
    return name


def open_into_session(device_id: int, *, make_current: bool = True) -> tuple[str, str]:
    """
    Open a saved device (its analysis is re-run from the stored files and
    settings) and put it into the session, where every page sees it.

    Returns
    -------
    (kind, text)
        What to tell the user; PermissionDenied and other refusals are
        returned as errors, never raised.
    """
    try:
        stored = library().open_device(int(device_id), current_user())
        name = _session_name(stored)
        device = device_of(stored, name)
    except (InputError, ValueError, TypeError) as error:
        return "error", plain(str(error))
    metadata = {"library_id": stored.id, "owner": stored.owner}
    session.upsert_device(replace(device, metadata=metadata))
    data = {field: getattr(device, field) for field in session.FIELD_ROLES}
    contents = {f.name: f.data for f in stored.files if f.data is not None}
    session.keep_files(name, data, contents)
    attachments = [(f.name, f.data) for f in stored.files if f.role == "attachment"]
    session.keep_attachments(name, attachments)
    session.set_device_record(name, stored.record.to_dict())
    session.set_library_id(name, stored.id)
    if make_current:
        session.set_current_device(name)
    text = f"Opened {name} (device #{stored.id})."
    if stored.reproduced is False:
        changed = ", ".join(stored.changed) or "software version"
        text += f" Re-running its analysis changed: {changed}."
    return "success", text


# --- the working set (reload recovery) ----------------------------------------


def session_key() -> str:
    """This session's key, kept in the URL (``?session=``)."""
    key = st.session_state.get(_KEY)
    if key is None:
        given = str(st.query_params.get(SESSION_PARAM, ""))
        try:
            key = check_key(given)
            st.session_state[_FROM_URL] = True
        except InputError:
            key = uuid.uuid4().hex
        st.session_state[_KEY] = key
    if st.query_params.get(SESSION_PARAM) != key:
        st.query_params[SESSION_PARAM] = key
    return key


def restore_working_set() -> None:
    """In a new session started from a URL with a session key, open the
    devices that session had saved or opened (once)."""
    key = session_key()
    if st.session_state.get(_RESTORED) or not signed_in():
        return
    st.session_state[_RESTORED] = True
    if not st.session_state.get(_FROM_URL):
        return
    ids, current = library().working_set(key, current_user())
    opened, failed = 0, []
    for device_id in ids:
        kind, text = open_into_session(device_id, make_current=device_id == current)
        opened += kind != "error"
        if kind == "error":
            failed.append(text)
    if opened:
        flash(
            "info",
            f"Reopened {opened} device(s) of this session from the library. "
            "Uploads that were not saved are not restored.",
        )
    for text in failed:
        flash("warning", text)
    st.session_state[_WRITTEN] = _working_set()


def _working_set() -> tuple[tuple[int, ...], int | None]:
    ids = [session.library_id(d.name) for d in session.get_devices()]
    current = session.current_device_name()
    return (
        tuple(i for i in ids if i is not None),
        session.library_id(current) if current else None,
    )


def sync_working_set() -> None:
    """Write the session's saved/opened devices under its key when changed."""
    if not signed_in():
        return
    state = _working_set()
    if st.session_state.get(_WRITTEN, ((), None)) == state:
        return
    try:
        library().save_working_set(
            session_key(), list(state[0]), state[1], current_user()
        )
    except InputError:
        return
    st.session_state[_WRITTEN] = state


def open_from_url() -> None:
    """``?open=ID`` opens that device (then the parameter is removed)."""
    wanted = st.query_params.get(OPEN_PARAM)
    if wanted is None:
        return
    del st.query_params[OPEN_PARAM]
    if not signed_in():
        flash("warning", "Sign in to open a device from the library.")
        return
    try:
        kind, text = open_into_session(int(wanted))
    except ValueError:
        kind, text = "error", f"?open={plain(wanted)}: expected a device id (a number)."
    flash(kind, text)
