"""
Fixtures of the library tests: every storage test runs on SQLite and on a
real PostgreSQL server (:mod:`postgres_support`: ``PELED_TEST_POSTGRES_URL``
or a throwaway cluster; skipped with the reason when there is none, a
failure with ``PELED_REQUIRE_POSTGRES=1``).

``library_url`` and ``other_url`` are databases with no devices: a new SQLite
file, or one of two PostgreSQL databases the session shares, emptied before
each test (creating one takes about half a second). A test that needs a new,
never-migrated PostgreSQL database asks for ``postgres_url``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from core.library import Library
from tests.core.library.postgres_support import new_database, require


@pytest.fixture(autouse=True)
def _plain_main_module(monkeypatch) -> None:
    """
    A ``__main__`` without a file for the child processes of these tests.

    Streamlit's AppTest (page tests, the benchmark's page probe) leaves the
    page script as ``sys.modules["__main__"]``; a forkserver or spawned child
    re-runs ``__main__``'s file before its target, so it would run a page
    and die before it reached the library.
    """
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of a PostgreSQL server's ``postgres`` database (superuser)."""
    return require()


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test."""
    yield from new_database(postgres_server)


@pytest.fixture
def postgres_url_2(postgres_server) -> Iterator[str]:
    """A second new, empty PostgreSQL database for the same test."""
    yield from new_database(postgres_server)


@pytest.fixture(scope="session")
def _shared_postgres(postgres_server) -> Iterator[tuple[str, str]]:
    """Two databases the whole session shares (creating one takes ~0.5 s)."""
    first, second = new_database(postgres_server), new_database(postgres_server)
    yield next(first), next(second)
    for database in (first, second):
        next(database, None)


def _emptied(url: str) -> str:
    """``url`` with every library table emptied (the schema stays)."""
    import sqlalchemy as sa

    from core.library.schema import TABLES

    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if sa.inspect(connection).has_table("devices"):
                names = ", ".join(table.name for table in TABLES)
                connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def shared_postgres_url(_shared_postgres) -> str:
    """A PostgreSQL database with no devices (perhaps migrated already)."""
    return _emptied(_shared_postgres[0])


@pytest.fixture
def shared_postgres_url_2(_shared_postgres) -> str:
    """A second one, for archives that move between databases."""
    return _emptied(_shared_postgres[1])


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite file of its own (not created yet)."""
    return f"sqlite:///{tmp_path / 'library' / 'peled.sqlite3'}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def library_url(request) -> str:
    """A database with no devices on each backend (SQLite: a new file)."""
    name = "sqlite_url" if request.param == "sqlite" else "shared_postgres_url"
    return request.getfixturevalue(name)


@pytest.fixture(params=BACKENDS)
def other_url(request) -> str:
    """A second database with no devices on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path') / 'other.sqlite3'}"
    return request.getfixturevalue("shared_postgres_url_2")


@pytest.fixture
def library(library_url) -> Iterator[Library]:
    """A library on each backend, closed afterwards."""
    with Library(library_url) as lib:
        yield lib
