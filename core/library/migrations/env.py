"""
Alembic environment of the device library.

:func:`core.library.migrate.upgrade` runs it with an open connection in
``config.attributes["connection"]`` (inside the transaction that holds the
migration lock); ``alembic`` on the command line would use ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context

from core.library.schema import Base


def _run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        from core.library.config import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as connection:
            _migrate(connection)
        engine.dispose()
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic, not imported by a test collector
    _run()
