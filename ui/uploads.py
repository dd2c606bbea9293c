"""
Uploads of several files, a .zip or a folder, with a preview of what each
file is read as, and the choice between replacing and adding session data.

How a page uses it::

    files = upload_files("J-V-L sweeps ...", "efficiency_files", kind="jvl",
                         options={"area_cm2": area})
    ...                                   # files: (name, bytes) to analyse
    add_to_session("jvl", {name: {"jvl": (sweep,)}}, key="efficiency_add",
                   noun="sweeps")

:func:`upload_files` unpacks archives (:func:`core.io.archive.expand_files`,
with its limits), shows a table "file → read as" and keeps the files of the
page's kind, and those no reader accepts (the page's reader then says why);
a file another reader accepts (a lifetime log dropped on the J-V-L page) is
left out, and the table says which page reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.errors import InputError
from core.io.archive import expand_files
from core.models import Device, JVLSweep, SpectralSeries
from core.report.inputs import read_file, sniff_file
from ui.cached import read_series_file
from ui.memo import bytes_digest, upload_bytes
from ui.session import add_to_device, get_device
from ui.text import plain

__all__ = [
    "KINDS",
    "uploaded_files",
    "preview_upload",
    "upload_files",
    "preview_rows",
    "merged_data",
    "add_to_session",
]

#: Kind -> (what one file is, which page reads it).
KINDS = {
    "spectra": ("EL spectra", "Spectral stability"),
    "jvl": ("a J-V-L sweep", "Efficiency"),
    "lifetime": ("a lifetime log", "Lifetime"),
}
#: The two ways to upload (Streamlit's uploader takes files or one folder).
_FILES, _FOLDER = "Files or .zip", "A folder"
#: Session fields that hold several items of a kind (added to or replaced).
_FIELDS = {"jvl": "jvl", "lifetime": "lifetime"}
_NOUNS = {"jvl": ("J-V-L sweep", "J-V-L sweeps"), "lifetime": ("test", "tests")}


def _what(value) -> str:
    if isinstance(value, SpectralSeries):
        return f"{value.n_spectra} spectra over {value.axis_name}"
    if isinstance(value, JVLSweep):
        return f"{len(value.voltage_v)} points"
    return f"{len(value)} log(s)"


@st.cache_data(show_spinner=False, max_entries=1024, hash_funcs={bytes: bytes_digest})
def _read_as(data: bytes, name: str, kind: str, options: tuple) -> tuple[str, str]:
    """(role, detail): the page's reader first, then the others (sniffed)."""
    settings = dict(options)
    try:
        if kind == "spectra":  # shared with the page's read (ui.cached)
            grid = settings.get("wavelength_grid")
            value = read_series_file(
                data,
                name,
                settings.get("axis_name"),
                settings.get("axis_unit"),
                tuple(float(v) for v in grid) if grid else None,
            )
        else:
            value = read_file(kind, data, name, settings)
        return kind, _what(value)
    except InputError as error:
        own = str(error)
    try:
        role, value = sniff_file(data, name, settings)
    except InputError:
        return "", own
    return role, _what(value)


def preview_rows(
    files, kind: str, options: Mapping | None = None
) -> tuple[list[dict], list[int]]:
    """
    What each file is read as, and which files the page keeps.

    Parameters
    ----------
    files : sequence of (str, bytes)
    kind : {"spectra", "jvl", "lifetime"}
        What the page reads.
    options : mapping, optional
        Reader options (:func:`core.report.inputs.read_file`).

    Returns
    -------
    rows : list of dict
        ``file``, ``read as``, ``size [kB]`` per file.
    kept : list of int
        Indices of the files of the page's kind or that no reader accepts.
    """
    settings = tuple(sorted((options or {}).items()))
    rows, kept = [], []
    for index, (name, data) in enumerate(files):
        role, detail = _read_as(data, name, kind, settings)
        if role == kind:
            text = f"{KINDS[kind][0]} ({detail})"
            kept.append(index)
        elif role:
            what, page = KINDS[role]
            text = f"skipped: {what} ({detail}); open it on the {page} page"
        else:
            text = f"not read: {detail.split(': ', 1)[-1][:160]}"
            kept.append(index)  # the page's reader shows the whole message
        rows.append({"file": name, "read as": text, "size [kB]": len(data) / 1024})
    return rows, kept


def _uploaded(label: str, key: str, help_text: str):
    """The uploader (files and archives, or a folder) and its uploads."""
    mode = st.radio(
        "Upload",
        [_FILES, _FOLDER],
        horizontal=True,
        key=f"{key}_mode",
        label_visibility="collapsed",
    )
    if mode == _FOLDER:
        return st.file_uploader(
            f"{label} — a folder (its sub-folders too)",
            accept_multiple_files="directory",
            key=f"{key}_folder",
            help=help_text,
        )
    return st.file_uploader(label, accept_multiple_files=True, key=key, help=help_text)


def uploaded_files(label: str, key: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """
    The uploader (several files, .zip archives, or a folder) and its files.

    Parameters
    ----------
    label : str
        The uploader's label.
    key : str
        Its widget key (the folder uploader's is ``<key>_folder``).

    Returns
    -------
    files : list of (str, bytes)
        Name and content of each file, archives unpacked (a file in a
        sub-folder is named by its path), hidden and system files left out,
        in the order uploaded; empty when an archive is refused (the reason
        is shown).
    notes : list of str
        What was unpacked or left out.
    """
    uploads = _uploaded(
        label,
        key,
        "Several files, .zip archives (sub-folders kept in the names) or a "
        "folder. Files you drop later are added to those listed; remove one "
        "with its ×.",
    )
    if not uploads:
        return [], []
    given = [(upload.name, upload_bytes(upload)) for upload in uploads]
    try:
        return expand_files(given)
    except InputError as error:
        st.error(plain(error))
        return [], []


def preview_upload(
    files, notes, kind: str, options: Mapping | None = None
) -> tuple[tuple[str, bytes], ...]:
    """
    The table "file → read as" in an expander; the files the page reads.

    Parameters
    ----------
    files, notes
        :func:`uploaded_files`.
    kind : {"spectra", "jvl", "lifetime"}
        What the page reads.
    options : mapping, optional
        Reader options (:func:`core.report.inputs.read_file`).

    Returns
    -------
    tuple of (str, bytes)
        The files of the page's kind and those no reader accepts (the page's
        reader says why), in order. The expander opens when files are skipped.
    """
    if not files:
        return ()
    rows, kept = preview_rows(files, kind, options)
    skipped = len(files) - len(kept)
    summary = f"{len(files)} file(s): {len(kept)} for this page" + (
        f", {skipped} skipped" if skipped else ""
    )
    with st.expander(f"What the upload holds — {summary}", expanded=bool(skipped)):
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={
                "read as": st.column_config.TextColumn(width="large"),
                "size [kB]": st.column_config.NumberColumn(format="%.1f"),
            },
        )
        for note in notes:
            st.caption(plain(note))
    return tuple(files[i] for i in kept)


def upload_files(
    label: str, key: str, *, kind: str, options: Mapping | None = None
) -> tuple[tuple[str, bytes], ...]:
    """:func:`uploaded_files` then :func:`preview_upload` (options known first)."""
    files, notes = uploaded_files(label, key)
    return preview_upload(files, notes, kind, options)


def merged_data(device: Device | None, kind: str, new: Mapping, add: bool) -> dict:
    """
    The fields to give a session device: the new data, replacing or added.

    Parameters
    ----------
    device : Device or None
        The session device of that name (None: a new device).
    kind : {"jvl", "lifetime"}
    new : mapping
        Device fields of the upload: ``kind``'s tuple, and for J-V-L the EQE
        source (``eqe_spectrum``, ``eqe_uploaded_spectrum``, …).
    add : bool
        Add to the device's data of that kind (its EQE source stays) instead
        of replacing it.

    Returns
    -------
    dict
        Keyword arguments of :func:`ui.session.add_to_device`.
    """
    field = _FIELDS[kind]
    if device is None or not add:
        return dict(new)
    return {field: tuple(getattr(device, field)) + tuple(new[field])}


def _listed(names: list[str]) -> str:
    """
    Names in a sentence.

    Examples
    --------
    >>> _listed(["A"]), _listed(["A", "B"]), _listed(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _holders(kind: str, names) -> dict[str, int]:
    field = _FIELDS[kind]
    held = {}
    for name in names:
        device = get_device(name)
        if device is not None and getattr(device, field):
            held[name] = len(getattr(device, field))
    return held


def _merge_choice(kind: str, held: dict[str, int], key: str) -> bool:
    """Replace (False, the default) or add (True), said in words."""
    one, many = _NOUNS[kind]
    if len(held) == 1:
        (name,) = held
        own = one if held[name] == 1 else many
        options = [f"Replace {name}'s {own}", f"Add as another {one}"]
    else:
        options = [f"Replace their {many}", f"Add as more {many}"]
    choice = st.radio(
        "The session already holds some of these devices",
        options,
        horizontal=True,
        key=f"{key}_merge",
    )
    return choice == options[1]


def add_to_session(
    kind: str,
    uploads: Mapping[str, Mapping],
    key: str,
    label: str = "Put in the session",
) -> None:
    """
    A button that puts the upload into the session, saying what it does.

    When a device of the same name already holds data of this kind, a radio
    asks whether to replace it (the default) or add to it; a sentence beside
    the button says which devices are new and which are replaced or added to.

    Parameters
    ----------
    kind : {"jvl", "lifetime"}
    uploads : mapping of str to mapping
        Device name -> its fields from the upload (:func:`merged_data`).
    key : str
        The button's key.
    label : str
        The button's label.
    """
    one, many = _NOUNS[kind]
    held = _holders(kind, uploads)
    add = _merge_choice(kind, held, key) if held else False
    new = [name for name in uploads if get_device(name) is None]
    parts = []
    if new:
        parts.append(f"New device(s): {_listed(new)}.")
    if held:
        verb = "adds to" if add else "replaces"
        if len(held) == 1:
            (name,) = held
            parts.append(f"It {verb} {name}'s {one if held[name] == 1 else many}.")
        else:
            parts.append(f"It {verb} the {many} of {_listed(list(held))}.")
    with st.container(horizontal=True, vertical_alignment="center"):
        clicked = st.button(label, key=key)
        st.caption(plain(" ".join(parts) or f"Puts these {many} in the session."))
    done = f"{key}_done"
    if clicked:
        count = sum(len(fields[_FIELDS[kind]]) for fields in uploads.values())
        for name, fields in uploads.items():
            add_to_device(name, **merged_data(get_device(name), kind, fields, add))
        # Run again so the choice above speaks of the session as it is now.
        st.session_state[done] = (
            f"{count} {one if count == 1 else many} now in the session."
        )
        st.rerun()
    if done in st.session_state:
        st.success(plain(st.session_state.pop(done)))
