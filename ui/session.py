"""
Session state shared between pages: the one place its keys are declared.

The session holds devices (``core.models.Device``) by name, in the order they
were added, and one colour per name (:func:`colors`): a device gets the first
free colour when it is first seen and keeps it on every page, in every tab
and in the report. One of them
is the *current device* (the device bar in the sidebar, :mod:`ui.device`):
uploads go to it by default.

Saving a device to the library needs the user's files byte-exact, not only
what the readers made of them: :func:`add_to_device` keeps, for each data
field it sets, the uploaded files that field was read from (found by the
containers' ``source`` among the page's uploads), with the kind they were
read as. :func:`device_files` hands them back. Each device also has its
record (batch, date made, emitter...) and, once saved or opened, its id in
the library.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.demo import demo_devices
from core.figures.colors import assign_colors
from core.models import Device

__all__ = [
    "DEVICES_KEY",
    "PRESET_KEY",
    "EFFICIENCY_THRESHOLD_KEY",
    "COLORS_KEY",
    "get_devices",
    "get_device",
    "upsert_device",
    "add_to_device",
    "remove_device",
    "load_demo",
    "color_scale",
    "colors",
    "current_preset",
    "efficiency_threshold",
    "set_efficiency_threshold",
    "CURRENT_KEY",
    "current_device_name",
    "set_current_device",
    "device_files",
    "device_record",
    "set_device_record",
    "library_id",
    "set_library_id",
    "keep_files",
    "keep_attachments",
    "FIELD_ROLES",
]

#: dict[str, Device] of the session's devices, insertion-ordered.
DEVICES_KEY = "peled_devices"
#: The figure preset chosen on any page (shared so all pages export alike).
PRESET_KEY = "peled_preset"
#: The turn-on luminance last set on the Efficiency page [cd/m²]: Literature
#: and Report compute each device's one EQE with it too.
EFFICIENCY_THRESHOLD_KEY = "peled_efficiency_threshold"
#: dict[str, str]: the colour given to each device (and other drawn name).
COLORS_KEY = "peled_colors"
#: Name of the current device (None: none yet).
CURRENT_KEY = "peled_current_device"
#: device -> data field -> [(file name, kind, bytes)] or the sources not found.
FILES_KEY = "peled_device_files"
#: device -> record fields (batch, date made, emitter, ...; not the name).
RECORDS_KEY = "peled_device_records"
#: device -> its id in the library (saved or opened).
LIBRARY_IDS_KEY = "peled_library_ids"

#: What a data field's files are read as in the library.
FIELD_ROLES = {
    "spectra_time": "spectra",
    "spectra_bias": "spectra",
    "eqe_uploaded_spectrum": "spectra",
    "jvl": "jvl",
    "lifetime": "lifetime",
}


def _store() -> dict[str, Device]:
    if DEVICES_KEY not in st.session_state:
        st.session_state[DEVICES_KEY] = {}
    return st.session_state[DEVICES_KEY]


def get_devices() -> list[Device]:
    """The session's devices in the order they were added."""
    return list(_store().values())


def get_device(name: str) -> Device | None:
    return _store().get(name)


def upsert_device(device: Device) -> None:
    """Add a device, or replace the one with the same name (keeps its colour)."""
    _store()[device.name] = device


def add_to_device(name: str, **data) -> Device:
    """
    Give the session device ``name`` this data, creating the device if needed.

    The device's other data and its place in the session (its colour) stay.

    Parameters
    ----------
    name : str
        Device name.
    **data
        :class:`~core.models.Device` fields, e.g. ``spectra_time=series`` or
        ``jvl=(sweep,)``.

    Returns
    -------
    Device
        The device now in the session.
    """
    existing = get_device(name)
    device = (
        Device(name=name, **data) if existing is None else replace(existing, **data)
    )
    upsert_device(device)
    keep_files(name, data, _uploads())
    if current_device_name() is None:
        set_current_device(name)
    return device


def remove_device(name: str) -> None:
    _store().pop(name, None)
    for key in (FILES_KEY, RECORDS_KEY, LIBRARY_IDS_KEY):
        st.session_state.get(key, {}).pop(name, None)
    if st.session_state.get(CURRENT_KEY) == name:
        st.session_state[CURRENT_KEY] = next(iter(_store()), None)


def current_device_name() -> str | None:
    """The current device's name (None when the session has none)."""
    name = st.session_state.get(CURRENT_KEY)
    return name if name in _store() else None


def set_current_device(name: str | None) -> None:
    """Make ``name`` (a session device) the current device."""
    st.session_state[CURRENT_KEY] = name if name in _store() else None


# --- the files, record and library id of each device -------------------------


def _uploads() -> dict[str, bytes]:
    """Name -> bytes of every file in the page's upload widgets."""
    found: dict[str, bytes] = {}
    for key in list(st.session_state.keys()):
        try:
            value = st.session_state[key]
        except (KeyError, AttributeError):  # pragma: no cover - a cleared widget
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, UploadedFile):
                found.setdefault(item.name, item.getvalue())
    return found


def _sources(field: str, value) -> list[str]:
    """File names a data field was read from (its containers' ``source``)."""
    if value is None:
        return []
    items = value if isinstance(value, tuple) else (value,)
    names: list[str] = []
    for item in items:
        for name in str(getattr(item, "source", "") or "").split(", "):
            if name and name not in names:
                names.append(name)
    return names


def keep_files(device: str, data: dict, uploads: dict[str, bytes]) -> None:
    """
    Remember which files each data field of ``device`` came from.

    ``data`` maps :class:`~core.models.Device` fields to what they were set
    to; ``uploads`` maps file names to bytes (the page's uploads, or the
    files of a device opened from the library).
    """
    kept = st.session_state.setdefault(FILES_KEY, {}).setdefault(device, {})
    for field, value in data.items():
        role = FIELD_ROLES.get(field)
        if role is None:
            continue
        names = _sources(field, value)
        missing = [n for n in names if n not in uploads]
        kept[field] = (
            {"missing": missing}
            if missing
            else {"files": [(n, role, uploads[n]) for n in names]}
        )


def keep_attachments(device: str, files) -> None:
    """Files kept with ``device`` but not analysed: (name, bytes) pairs."""
    kept = st.session_state.setdefault(FILES_KEY, {}).setdefault(device, {})
    kept["attachments"] = {"files": [(n, "attachment", d) for n, d in files]}


def device_files(name: str) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    """
    The files of a session device, as uploaded, and what has none.

    Returns
    -------
    files : list of (name, kind, bytes)
        Each file once, photophysics files included.
    missing : list of str
        Data fields whose source files are not in the session (demo data,
        data added before the files were kept).
    """
    device = get_device(name)
    kept = st.session_state.get(FILES_KEY, {}).get(name, {})
    files: dict[str, tuple[str, str, bytes]] = {}
    missing = []
    for field in FIELD_ROLES:
        value = getattr(device, field, None) if device else None
        if not value:
            continue
        entry = kept.get(field) or {"missing": _sources(field, value)}
        if "missing" in entry:
            missing.append(field)
        for file in entry.get("files", []):
            files.setdefault(file[0], file)
    for record in device.photophysics if device else ():
        for file in record.files:
            files.setdefault(file[0], file)
    for file in kept.get("attachments", {}).get("files", []):
        files.setdefault(file[0], file)
    return list(files.values()), missing


def device_record(name: str) -> dict:
    """The record fields of a session device (name included)."""
    return {**st.session_state.get(RECORDS_KEY, {}).get(name, {}), "name": name}


def set_device_record(name: str, fields: dict) -> None:
    """Keep a session device's record fields (all but the name)."""
    kept = {k: v for k, v in fields.items() if k != "name"}
    st.session_state.setdefault(RECORDS_KEY, {})[name] = kept


def library_id(name: str) -> int | None:
    """The library id of a session device (None: not saved or opened)."""
    return st.session_state.get(LIBRARY_IDS_KEY, {}).get(name)


def set_library_id(name: str, device_id: int | None) -> None:
    ids = st.session_state.setdefault(LIBRARY_IDS_KEY, {})
    if device_id is None:
        ids.pop(name, None)
    else:
        ids[name] = int(device_id)


def load_demo() -> None:
    """Put the two synthetic demo devices into the session."""
    for device in demo_devices():
        upsert_device(device)
    if current_device_name() is None:
        set_current_device(next(iter(_store()), None))


def colors(extra=()) -> dict[str, str]:
    """
    Name -> colour of the session's devices and any ``extra`` names.

    Colours once given are kept for the whole session
    (:func:`core.figures.colors.assign_colors`): the session's devices first,
    in order, then new names (uploads not added, demo batch devices) get the
    first colour nobody has.
    """
    book = assign_colors(
        [d.name for d in get_devices()] + list(extra),
        st.session_state.get(COLORS_KEY, {}),
    )
    st.session_state[COLORS_KEY] = book
    return dict(book)


def color_scale(extra=()):
    """
    Altair scale of the colours of ``extra`` (the names a chart draws), or
    of every session device when none are given (see :func:`colors`): a
    legend then lists only what the chart shows, each in its session colour.
    """
    from core.figures import device_color_scale

    names = list(extra) or [d.name for d in get_devices()]
    return device_color_scale(names, colors(extra))


def current_preset() -> str:
    from core.figures import DEFAULT_PRESET

    return st.session_state.get(PRESET_KEY, DEFAULT_PRESET)


def efficiency_threshold() -> float:
    """The turn-on luminance of the session's efficiency results [cd/m²]."""
    return float(st.session_state.get(EFFICIENCY_THRESHOLD_KEY, 1.0))


def set_efficiency_threshold(value: float) -> None:
    """Store the Efficiency page's turn-on luminance for the other pages."""
    st.session_state[EFFICIENCY_THRESHOLD_KEY] = float(value)
