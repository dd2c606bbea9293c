"""
The device library: device records, their raw files and results in a real
database (a SQLite file by default, PostgreSQL for a lab).

:class:`Library` saves a device whole or not at all (record, files stored
byte-exact once per content, analysis settings, results with the software
version), re-opens it by re-running the analysis from the stored files and
settings, lists, changes, trashes, restores and deletes devices, and writes
and reads portable zip archives. Who may see and change what is decided here
(:mod:`~core.library.access`), not only in the pages. The schema is
versioned with Alembic (``core/library/migrations``) and brought up to date
on first use.

Modules: :mod:`~core.library.config` (URL, engine), :mod:`~core.library.schema`
(tables), :mod:`~core.library.migrate` (Alembic from Python),
:mod:`~core.library.records` (what is stored and returned),
:mod:`~core.library.access` (users and rules), :mod:`~core.library.analysis`
(files -> results), :mod:`~core.library.rows` (row helpers),
:mod:`~core.library.store` (:class:`Library`), :mod:`~core.library.archive`
(zip export/import), :mod:`~core.library.backup` (SQLite backup/restore),
:mod:`~core.library.working` (a browser session's open devices, for a
reload), :mod:`~core.library.devices` (a stored device as the pages use it;
new files for a saved device), :mod:`~core.library.headline` (the list's
uncertainties).
See docs/architecture.md and docs/deploying.md.
"""

from core.library.access import LOCAL_USER, PermissionDenied, User, acting_user
from core.library.config import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    data_dir,
    database_url,
)
from core.library.devices import device_of
from core.library.headline import HEADLINE_KEYS, headline
from core.library.records import (
    ROLES,
    VISIBILITIES,
    DeviceRecord,
    DeviceSummary,
    FileInput,
    StoredAnalysis,
    StoredDevice,
    StoredFile,
)
from core.library.store import Library

__all__ = [
    "Library",
    "DeviceRecord",
    "FileInput",
    "StoredDevice",
    "StoredFile",
    "StoredAnalysis",
    "DeviceSummary",
    "User",
    "LOCAL_USER",
    "PermissionDenied",
    "acting_user",
    "device_of",
    "headline",
    "HEADLINE_KEYS",
    "ROLES",
    "VISIBILITIES",
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "data_dir",
    "database_url",
]
