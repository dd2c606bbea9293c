"""
Backing up and restoring the SQLite file (PostgreSQL: ``pg_dump``).

:func:`backup_sqlite` uses SQLite's online backup: a consistent copy while
the app keeps running and writing (WAL content included).
:func:`restore_sqlite` first copies the present database beside it
(``<name>.before-restore-<UTC time>.sqlite3``), then replaces its content by
the backup's and brings the schema to the newest revision.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InputError
from core.library import rows
from core.library.config import sqlite_path
from core.library.migrate import upgrade
from core.library.records import sha256_hex

if TYPE_CHECKING:
    from core.library.store import Library

__all__ = ["backup_sqlite", "restore_sqlite", "check_sqlite_file"]

_PG_DUMP = (
    "for PostgreSQL use pg_dump: pg_dump --format=custom --file=peled.dump "
    "'postgresql://user@host/db' (restore with pg_restore --clean; "
    "docs/deploying.md)"
)


def _database_file(library: Library) -> Path:
    path = sqlite_path(library.url)
    if path is None:
        raise InputError(f"Backups by PeLED Bench are for a SQLite file; {_PG_DUMP}.")
    return path


def _copy(source: Path, target: Path) -> None:
    """SQLite online backup of ``source`` into ``target`` (a new file)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=60)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)


def check_sqlite_file(path: Path) -> int:
    """
    Check that ``path`` is an intact PeLED Bench library file.

    Returns
    -------
    int
        How many devices it holds.

    Raises
    ------
    InputError
        Not a SQLite file, damaged, or not a PeLED Bench library.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                r[0] for r in connection.execute("SELECT name FROM sqlite_master")
            }
            if check != "ok":
                raise InputError(f"{path}: the SQLite file is damaged ({check}).")
            if not {"alembic_version", "devices"} <= tables:
                raise InputError(
                    f"{path}: not a PeLED Bench library (no devices table)."
                )
            return int(connection.execute("SELECT count(*) FROM devices").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path}: not a SQLite database ({error}).") from None


def backup_sqlite(library: Library, out: str | Path) -> dict:
    """
    Copy the library's SQLite file to ``out`` (replaced if present).

    Returns
    -------
    dict
        ``{"backup", "size_bytes", "sha256", "devices"}``.

    Raises
    ------
    InputError
        When the library is on PostgreSQL (the message gives the pg_dump
        command), or ``out`` is the database itself.
    """
    source = _database_file(library)
    target = Path(out)
    if target.resolve() == source.resolve():
        raise InputError(f"{target}: that is the database itself; choose another file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    devices = check_sqlite_file(target)
    data = target.read_bytes()
    return {
        "backup": str(target),
        "size_bytes": len(data),
        "sha256": sha256_hex(data),
        "devices": devices,
    }


def restore_sqlite(library: Library, backup: str | Path) -> dict:
    """
    Replace the library's content by a backup's.

    The present database is copied first to
    ``<name>.before-restore-<UTC time>.sqlite3`` beside it. The backup is
    checked (integrity, PeLED Bench tables) before anything changes.

    Returns
    -------
    dict
        ``{"restored_from", "previous_copy", "devices"}``.
    """
    target = _database_file(library)
    source = Path(backup)
    devices = check_sqlite_file(source)
    stamp = rows.now().strftime("%Y%m%dT%H%M%SZ")
    previous = target.with_name(f"{target.stem}.before-restore-{stamp}.sqlite3")
    library.close()
    if target.exists():
        _copy(target, previous)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    upgrade(library.engine)  # a backup from an older version gets the new schema
    return {
        "restored_from": str(source),
        "previous_copy": str(previous) if previous.exists() else None,
        "devices": devices,
    }
