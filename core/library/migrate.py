"""
Bringing a database to the newest schema (Alembic, run from Python).

:func:`upgrade` is called by :class:`~core.library.Library` on first use: an
empty database gets the whole schema, an older one the missing migrations.
Two processes starting at once do not race: the migration runs inside one
write transaction (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
PostgreSQL), and whoever comes second finds the schema at head.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from core.errors import InputError
from core.library.config import WRITE_OPTION

__all__ = [
    "MIGRATIONS",
    "alembic_config",
    "head_revision",
    "current_revision",
    "upgrade",
]

#: Folder of the Alembic environment and its versions.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Key of the PostgreSQL advisory lock held while migrating ("PeLEDlib").
_LOCK_KEY = 0x50654C45446C6962


def alembic_config(connection: sa.Connection | None = None, url: str = "") -> Config:
    """An Alembic config for the library's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the schema."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None: no library schema yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """
    Migrate the database of ``engine`` to ``revision`` (default the newest).

    Raises
    ------
    InputError
        When the database is at a revision this version does not know (it was
        written by a newer PeLED Bench).
    """
    script = ScriptDirectory.from_config(alembic_config())
    if revision == "head" and current_revision(engine) == head_revision():
        return
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with writer.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None and current not in {
            s.revision for s in script.walk_revisions()
        }:
            raise InputError(
                f"The library database is at schema revision '{current}', which "
                f"this PeLED Bench does not know (its newest is "
                f"'{head_revision()}'): it was written by a newer version. "
                "Update PeLED Bench."
            )
        command.upgrade(alembic_config(connection), revision)
