"""
A stored device as the pages use it, and a new version of its files.

:func:`device_of` reads a re-opened device's files into the
:class:`core.models.Device` the pages show (the same readers and reader
options its analysis used). :func:`replace_files` gives a saved device a new
set of files (e.g. a lifetime log uploaded after the J-V-L sweep was saved):
the files are read and analysed first, then the device's file list is
replaced and the new analysis becomes the current one, the older analyses
are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.library import rows
from core.library.access import User
from core.library.analysis import analyse_files, read_files, settings_payload
from core.library.records import FileInput, StoredDevice
from core.library.schema import DeviceFileRow

if TYPE_CHECKING:
    from core.library.store import Library
    from core.models import Device

__all__ = ["device_of", "replace_files"]


def device_of(stored: StoredDevice, name: str | None = None) -> Device:
    """
    The :class:`~core.models.Device` of a device opened with its files.

    Parameters
    ----------
    stored : StoredDevice
        From :meth:`Library.open_device` (with its data).
    name : str, optional
        The name it gets (default: the record's).
    """
    current = stored.current
    payload = settings_payload(current.settings if current else None, strict=False)
    files = [(f.name, f.role, f.data or b"") for f in stored.files]
    device, _, _ = read_files(name or stored.record.name, files, payload)
    return device


def replace_files(
    library: Library,
    device_id: int,
    files: Sequence[FileInput],
    user: User,
    settings=None,
    reader_options: Mapping | None = None,
) -> int:
    """
    Replace a device's files (owner only) and add their analysis as current.

    Returns
    -------
    int
        The new analysis's id.

    Raises
    ------
    InputError
        A file a reader refuses (nothing is written); PermissionDenied for
        someone else's device.
    """
    inputs = rows.as_files(files)
    with library.session() as session, session.begin():
        name = rows.get_device(session, device_id, user, change=True).name
    payload = settings_payload(settings, reader_options)
    triples = [(f.name, f.role, f.data) for f in inputs]
    roles, results = analyse_files(name, triples, payload)
    when = rows.now()
    with library.session(write=True) as session, session.begin():
        row = rows.get_device(session, device_id, user, change=True)
        rows.ensure_user(session, user, when)
        rows.store_blobs(session, [(f.sha256, f.data) for f in inputs], when)
        session.execute(
            sa.delete(DeviceFileRow).where(DeviceFileRow.device_id == row.id)
        )
        session.add_all(
            DeviceFileRow(
                device_id=row.id, position=i, name=f.name, role=role, sha256=f.sha256
            )
            for i, (f, role) in enumerate(zip(inputs, roles, strict=True))
        )
        row.updated_at = when
        session.flush()
        analysis_id = rows.insert_analysis(
            session, row.id, payload, results, user, when
        )
    library.collect_garbage()
    return analysis_id
