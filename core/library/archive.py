"""
Portable archives of device records: a zip that another machine imports,
into SQLite or PostgreSQL.

Layout::

    manifest.json        {"format": "peled-bench-library", "format_version": 1,
                          "software_version", "exported_at", "exported_by",
                          "devices": [{"uid", "record", "owner", "created_at",
                                       "updated_at", "files": [{"name", "role",
                                       "size", "sha256"}], "analyses": [{
                                       "settings", "results", "summary",
                                       "software_version", "created_at",
                                       "created_by", "current"}]}]}
    files/<sha256>       each file's bytes, once per content

An import checks every file against its size and SHA-256 before it writes,
and writes the whole archive in one transaction. A device already in the
database (same ``uid``) is skipped, so importing twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

import core
from core.errors import InputError
from core.library import rows
from core.library.access import User, visible_to
from core.library.headline import headline
from core.library.records import ROLES, DeviceRecord, sha256_hex
from core.library.schema import AnalysisRow, DeviceFileRow, DeviceRow, TagRow

if TYPE_CHECKING:
    from core.library.store import Library

__all__ = ["ARCHIVE_FORMAT", "ARCHIVE_VERSION", "export_archive", "import_archive"]

ARCHIVE_FORMAT = "peled-bench-library"
ARCHIVE_VERSION = 1
_MANIFEST = "manifest.json"
_ANALYSIS_KEYS = {"settings", "results", "software_version", "created_at"}


def _iso(value: dt.datetime | None) -> str | None:
    value = rows.utc(value)
    return None if value is None else value.isoformat()


def _time(value, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"{where}: expected an ISO date-time, found {value!r}."
        ) from None
    return rows.utc(parsed) or parsed


def export_archive(
    library: Library, path: str | Path, user: User, ids: Sequence[int] | None = None
) -> dict:
    """
    Write devices to a zip archive.

    Parameters
    ----------
    library : Library
    path : str or Path
        The archive to write (replaced if present).
    user : User
        Whose view is exported: their devices and the lab's.
    ids : sequence of int, optional
        Devices to export (each must be readable by ``user``). Default: every
        device ``user`` may read that is not in the trash.

    Returns
    -------
    dict
        ``{"archive", "devices", "files", "contents", "size_bytes"}``.
    """
    path = Path(path)
    if ids is None:
        with library.session() as session, session.begin():
            ids = session.scalars(
                sa.select(DeviceRow.id)
                .where(visible_to(user), DeviceRow.deleted_at.is_(None))
                .order_by(DeviceRow.id)
            ).all()
    devices = [
        library.open_device(i, user, reanalyse=False) for i in dict.fromkeys(ids)
    ]
    contents = {f.sha256: f.data or b"" for d in devices for f in d.files}
    entries = [_entry(device) for device in devices]
    manifest = {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_VERSION,
        "software_version": core.__version__,
        "exported_at": _iso(rows.now()),
        "exported_by": user.id,
        "devices": entries,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        for sha, data in sorted(contents.items()):
            archive.writestr(f"files/{sha}", data)
    partial.replace(path)
    return {
        "archive": str(path),
        "devices": len(entries),
        "files": sum(len(e["files"]) for e in entries),
        "contents": len(contents),
        "size_bytes": path.stat().st_size,
    }


def _entry(device) -> dict:
    """One device of the manifest (analyses oldest first)."""
    return {
        "uid": device.uid,
        "record": device.record.to_dict(),
        "owner": device.owner,
        "created_at": _iso(device.created_at),
        "updated_at": _iso(device.updated_at),
        "files": [
            {"name": f.name, "role": f.role, "size": f.size, "sha256": f.sha256}
            for f in device.files
        ],
        "analyses": [
            {
                "settings": a.settings,
                "results": a.results,
                "summary": a.summary,
                "software_version": a.software_version,
                "created_at": _iso(a.created_at),
                "created_by": a.created_by,
                "current": a.current,
            }
            for a in reversed(device.analyses)
        ],
    }


def _read_manifest(archive: zipfile.ZipFile, name: str) -> dict:
    try:
        manifest = json.loads(archive.read(_MANIFEST))
    except KeyError:
        raise InputError(
            f"{name}: no {_MANIFEST} inside: not a PeLED Bench library archive."
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{name}: {_MANIFEST} is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise InputError(
            f"{name}: expected a '{ARCHIVE_FORMAT}' archive, found format "
            f"{manifest.get('format') if isinstance(manifest, dict) else None!r}."
        )
    if manifest.get("format_version") != ARCHIVE_VERSION:
        raise InputError(
            f"{name}: archive format version {manifest.get('format_version')!r}; "
            f"this PeLED Bench reads version {ARCHIVE_VERSION}."
        )
    if not isinstance(manifest.get("devices"), list):
        raise InputError(f"{name}: the manifest lists no devices.")
    return manifest


def _checked_device(entry, archive: zipfile.ZipFile, name: str) -> dict:
    """One manifest entry, validated, with its files' bytes."""
    if not isinstance(entry, dict) or not entry.get("uid"):
        raise InputError(f"{name}: a device entry has no uid.")
    where = f"{name}, device {entry['uid']}"
    try:
        record = DeviceRecord(**entry["record"])
    except (KeyError, TypeError) as error:
        raise InputError(f"{where}: invalid record ({error}).") from None
    files = []
    for item in entry.get("files", []):
        sha, role = str(item.get("sha256", "")), item.get("role")
        if role not in ROLES or role == "auto":
            raise InputError(f"{where}: file {item.get('name')!r} has kind {role!r}.")
        try:
            data = archive.read(f"files/{sha}")
        except KeyError:
            raise InputError(
                f"{where}: file {item.get('name')!r} (SHA-256 {sha}) is missing "
                "from the archive."
            ) from None
        if sha256_hex(data) != sha or len(data) != item.get("size"):
            raise InputError(
                f"{where}: file {item.get('name')!r} does not match its SHA-256 "
                "or size: the archive is damaged."
            )
        files.append((str(item["name"]), role, sha, data))
    for analysis in entry.get("analyses", []):
        if not isinstance(analysis, dict) or not _ANALYSIS_KEYS <= set(analysis):
            keys = ", ".join(sorted(_ANALYSIS_KEYS))
            raise InputError(f"{where}: an analysis lacks one of {keys}.")
    return {**entry, "record": record, "files": files, "where": where}


def import_archive(
    library: Library, path: str | Path, user: User, *, keep_owners: bool = False
) -> dict:
    """
    Import an archive's devices, all in one transaction.

    Parameters
    ----------
    library : Library
    path : str or Path
    user : User
        Who imports: the owner of the imported devices, unless ``keep_owners``.
    keep_owners : bool
        Keep the archive's owners (moving a whole lab's library).

    Returns
    -------
    dict
        ``{"archive", "imported": [{"uid", "id", "name"}], "skipped": [uid],
        "contents_added"}``.

    Raises
    ------
    InputError
        Not an archive, a damaged file, an invalid record: nothing is written.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive, path.name)
            entries = [
                _checked_device(e, archive, path.name) for e in manifest["devices"]
            ]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except zipfile.BadZipFile:
        raise InputError(f"{path.name}: not a zip archive.") from None
    when = rows.now()
    imported, skipped, added = [], [], 0
    with library.session(write=True) as session, session.begin():
        rows.ensure_user(session, user, when)
        present = set(
            session.scalars(
                sa.select(DeviceRow.uid).where(
                    DeviceRow.uid.in_([e["uid"] for e in entries])
                )
            )
        )
        for entry in entries:
            if entry["uid"] in present:
                skipped.append(entry["uid"])
                continue
            owner = User(entry.get("owner") or user.id) if keep_owners else user
            rows.ensure_user(session, owner, when)
            added += rows.store_blobs(
                session, [(sha, data) for _, _, sha, data in entry["files"]], when
            )
            device_id = _insert_entry(session, entry, owner, when)
            present.add(entry["uid"])
            imported.append(
                {"uid": entry["uid"], "id": device_id, "name": entry["record"].name}
            )
    return {
        "archive": str(path),
        "imported": imported,
        "skipped": skipped,
        "contents_added": added,
    }


def _insert_entry(session, entry: dict, owner: User, when: dt.datetime) -> int:
    record: DeviceRecord = entry["record"]
    where = entry["where"]
    device = DeviceRow(
        uid=entry["uid"],
        owner_id=owner.id,
        created_at=_time(entry.get("created_at") or when.isoformat(), where),
        updated_at=_time(entry.get("updated_at") or when.isoformat(), where),
        **rows.record_columns(record),
    )
    session.add(device)
    session.flush()
    session.add_all(TagRow(device_id=device.id, tag=t) for t in record.tags)
    session.add_all(
        DeviceFileRow(device_id=device.id, position=i, name=n, role=r, sha256=sha)
        for i, (n, r, sha, _) in enumerate(entry["files"])
    )
    for analysis in entry.get("analyses", []):
        session.add(
            AnalysisRow(
                device_id=device.id,
                settings=analysis["settings"],
                results=analysis["results"],
                summary=analysis.get("summary") or {},
                headline=headline(analysis["results"] or {}),
                software_version=str(analysis["software_version"]),
                created_at=_time(analysis["created_at"], where),
                created_by=str(analysis.get("created_by") or owner.id),
                current=bool(analysis.get("current")),
            )
        )
    session.flush()
    return device.id
