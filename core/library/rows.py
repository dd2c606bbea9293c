"""
Row-level helpers shared by the store and the archive: insert-or-ignore for
rows that several writers may add at once (users, blobs), and conversions
between rows and the records the library returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

import core
from core.errors import InputError
from core.library.access import User, check_change, check_read
from core.library.headline import headline
from core.library.records import (
    RECORD_FIELDS,
    DeviceRecord,
    FileInput,
    StoredAnalysis,
    StoredFile,
)
from core.library.schema import AnalysisRow, BlobRow, DeviceRow, TagRow, UserRow

__all__ = [
    "as_files",
    "insert_analysis",
    "software_version",
    "utc",
    "now",
    "insert_ignore",
    "ensure_user",
    "store_blobs",
    "get_device",
    "record_of",
    "record_columns",
    "set_tags",
    "tags_of",
    "analysis_of",
    "file_of",
]


def now() -> dt.datetime:
    """The present time in UTC."""
    return dt.datetime.now(dt.UTC)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC time (SQLite hands them back naive)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def insert_ignore(session: Session, model: type, rows: Sequence[dict], key: str):
    """Insert ``rows`` of ``model``, skipping those whose ``key`` is already
    present (even when another writer adds it at the same moment)."""
    if not rows:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(model)
    session.execute(insert.on_conflict_do_nothing(index_elements=[key]), rows)


def ensure_user(session: Session, user: User, when: dt.datetime) -> None:
    """Record ``user`` in ``users`` unless already there."""
    row = {"id": user.id, "email": user.email, "name": user.name, "created_at": when}
    insert_ignore(session, UserRow, [row], "id")


def store_blobs(
    session: Session, contents: Iterable[tuple[str, bytes]], when: dt.datetime
) -> int:
    """
    Store file contents by SHA-256, each once.

    Parameters
    ----------
    contents : iterable of (sha256, bytes)

    Returns
    -------
    int
        How many contents were new to the database.
    """
    wanted = dict(sorted(contents))  # one order for every writer: no deadlock
    if not wanted:
        return 0
    present = set(
        session.scalars(
            sa.select(BlobRow.sha256).where(BlobRow.sha256.in_(list(wanted)))
        )
    )
    rows = [
        {"sha256": sha, "size": len(data), "data": data, "created_at": when}
        for sha, data in wanted.items()
        if sha not in present
    ]
    insert_ignore(session, BlobRow, rows, "sha256")
    return len(rows)


def get_device(
    session: Session, device_id: int, user: User, *, change: bool = False
) -> DeviceRow:
    """
    The device ``device_id`` if ``user`` may read it (``change``: own it).

    A change locks the row until the transaction ends (PostgreSQL), so two
    writers to one device take turns.

    Raises
    ------
    InputError
        No such device. PermissionDenied (an InputError) when it is another
        user's private device, or ``change`` and not the user's own.
    """
    try:
        device_id = int(device_id)
    except (TypeError, ValueError):
        raise InputError(
            f"Device id: expected a whole number, found {device_id!r}."
        ) from None
    query = sa.select(DeviceRow).where(DeviceRow.id == device_id)
    if change:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise InputError(f"No device with id {device_id} in the library.")
    (check_change if change else check_read)(row, user)
    return row


def record_columns(record: DeviceRecord) -> dict:
    """Column values of a record (tags are rows of their own)."""
    return {k: getattr(record, k) for k in RECORD_FIELDS if k != "tags"}


def tags_of(session: Session, device_ids: sa.Select | Sequence[int]) -> dict:
    """Device id -> tuple of tags (in the order they were given)."""
    rows = session.execute(
        sa.select(TagRow.device_id, TagRow.tag).where(TagRow.device_id.in_(device_ids))
    )
    out: dict[int, list[str]] = {}
    for device_id, tag in rows:
        out.setdefault(device_id, []).append(tag)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def set_tags(session: Session, device_id: int, tags: Sequence[str]) -> None:
    """Replace a device's tags."""
    session.execute(sa.delete(TagRow).where(TagRow.device_id == device_id))
    session.add_all(TagRow(device_id=device_id, tag=tag) for tag in tags)


def record_of(row: DeviceRow, tags: Sequence[str]) -> DeviceRecord:
    """The record of a device row."""
    values = {k: getattr(row, k) for k in RECORD_FIELDS if k != "tags"}
    return DeviceRecord(**values, tags=tuple(tags))


def analysis_of(row: AnalysisRow, *, with_results: bool = True) -> StoredAnalysis:
    """The record of an analysis row."""
    return StoredAnalysis(
        id=row.id,
        settings=row.settings,
        results=row.results if with_results else {},
        summary=row.summary,
        software_version=row.software_version,
        created_at=utc(row.created_at) or now(),
        created_by=row.created_by,
        current=bool(row.current),
        headline=dict(row.headline or {}),
    )


def file_of(name: str, role: str, sha256: str, size: int, data) -> StoredFile:
    """The record of a stored file (``data`` None when not loaded)."""
    return StoredFile(
        name=name,
        role=role,
        size=int(size),
        sha256=sha256,
        data=None if data is None else bytes(data),
    )


def software_version() -> str:
    """The version stored with an analysis."""
    return core.__version__


def as_files(files) -> list[FileInput]:
    """A device's files as FileInput (names must differ)."""
    if isinstance(files, Mapping):
        files = [FileInput(name, data) for name, data in files.items()]
    out = [f if isinstance(f, FileInput) else FileInput(*f) for f in files]
    names = [f.name for f in out]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            f"A device's files need different names; given twice: {', '.join(twice)}."
        )
    return out


def insert_analysis(
    session: Session,
    device_id: int,
    payload: dict,
    results: Mapping,
    user: User,
    when,
) -> int:
    """Add an analysis as the device's current one (the others stay)."""
    session.execute(
        sa.update(AnalysisRow)
        .where(AnalysisRow.device_id == device_id, AnalysisRow.current.is_(True))
        .values(current=False)
    )
    row = AnalysisRow(
        device_id=device_id,
        settings=payload,
        results=dict(results),
        summary=dict(results.get("summary") or {}),
        headline=headline(results),
        software_version=software_version(),
        created_at=when,
        created_by=user.id,
        current=True,
    )
    session.add(row)
    session.flush()
    return row.id
