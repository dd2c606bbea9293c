"""
Where the device library lives, and the engine that talks to it.

Default: a SQLite file ``peled.sqlite3`` in the data folder (``PELED_DATA_DIR``,
else ``./data``), created on first use. For a lab: a PostgreSQL URL in
``PELED_DATABASE_URL`` (``postgresql+psycopg://user:pass@host/db``); the same
code and migrations serve both (docs/deploying.md).

SQLite runs in WAL mode (readers never block the writer) with a busy timeout,
foreign keys on, and transactions the engine begins itself: a write
transaction starts with ``BEGIN IMMEDIATE`` so two processes saving at once
queue for the write lock instead of failing half-way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from core.errors import InputError

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "SQLITE_FILE_NAME",
    "BUSY_TIMEOUT_S",
    "WRITE_OPTION",
    "data_dir",
    "database_url",
    "normalise_url",
    "sqlite_path",
    "make_engine",
]

#: Environment variable holding the database URL (PostgreSQL for a lab).
DATABASE_URL_ENV = "PELED_DATABASE_URL"
#: Environment variable holding the data folder of the default SQLite file.
DATA_DIR_ENV = "PELED_DATA_DIR"
#: File name of the default SQLite database inside the data folder.
SQLITE_FILE_NAME = "peled.sqlite3"
#: How long a SQLite writer waits for another one to finish. [s]
BUSY_TIMEOUT_S = 60.0
#: Execution option that marks a connection as a writer (``BEGIN IMMEDIATE``).
WRITE_OPTION = "peled_write"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: ``PELED_DATA_DIR``, else ``./data`` (not created here)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get(DATA_DIR_ENV) or "data")


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """
    The library's database URL.

    Parameters
    ----------
    environ : mapping, optional
        Environment to read (default ``os.environ``).

    Returns
    -------
    str
        ``PELED_DATABASE_URL`` when set, else
        ``sqlite:///<data folder>/peled.sqlite3`` (absolute path).
    """
    environ = os.environ if environ is None else environ
    url = (environ.get(DATABASE_URL_ENV) or "").strip()
    if url:
        return normalise_url(url)
    path = (data_dir(environ) / SQLITE_FILE_NAME).resolve()
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """
    ``url`` with the driver PeLED Bench installs.

    ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``
    (psycopg 3 is the pinned driver; SQLAlchemy would otherwise look for
    psycopg2). Other URLs are returned unchanged.
    """
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - SQLAlchemy raises ArgumentError and others
        raise InputError(
            f"Database URL '{_hide_password(url)}' is not a database URL: expected "
            "e.g. sqlite:///data/peled.sqlite3 or "
            "postgresql+psycopg://user:password@host/database."
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"Database URL '{_hide_password(url)}': expected a sqlite:// or "
            f"postgresql:// URL, found '{parsed.drivername}'."
        )
    return parsed.render_as_string(hide_password=False)


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url.split("@")[-1]


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL or an in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """
    A SQLAlchemy engine for ``url`` (see the module docstring for SQLite).

    The folder of a SQLite file is created when missing.
    """
    url = normalise_url(url)
    path = sqlite_path(url)
    if make_url(url).get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if path is None:
        raise InputError(
            "An in-memory SQLite database would be lost when the process ends: "
            "give a file, e.g. sqlite:///data/peled.sqlite3."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The engine, not the sqlite3 module, begins transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A writer takes the write lock at BEGIN, so it waits (busy timeout)
    # instead of failing when another process committed since it started.
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
