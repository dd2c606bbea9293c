"""
core/library/config.py: where the library lives. With nothing set, a SQLite
file in ./data (created on first use, WAL mode, busy timeout); with
PELED_DATA_DIR another folder; with PELED_DATABASE_URL any SQLite or
PostgreSQL URL (plain postgresql:// gets the pinned psycopg driver).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.errors import InputError
from core.library import Library
from core.library.config import (
    BUSY_TIMEOUT_S,
    database_url,
    make_engine,
    normalise_url,
    sqlite_path,
)
from tests.core.library.library_support import save_demo

ROOT = Path(__file__).resolve().parents[3]


def test_the_default_is_a_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert database_url({}) == f"sqlite:///{tmp_path / 'data' / 'peled.sqlite3'}"
    other = tmp_path / "elsewhere"
    assert database_url({"PELED_DATA_DIR": str(other)}).endswith(
        "elsewhere/peled.sqlite3"
    )
    url = "postgresql+psycopg://lab:secret@db.example/peled"
    assert database_url({"PELED_DATABASE_URL": url, "PELED_DATA_DIR": "x"}) == url


def test_a_fresh_folder_gets_a_working_library_on_first_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PELED_DATABASE_URL", raising=False)
    monkeypatch.delenv("PELED_DATA_DIR", raising=False)
    assert not (tmp_path / "data").exists()
    with Library() as library:
        device_id = save_demo(library)
        assert library.backend == "sqlite"
    assert (tmp_path / "data" / "peled.sqlite3").is_file()
    with Library() as again:  # a restart finds it
        assert again.open_device(device_id).reproduced is True


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert timeout == int(BUSY_TIMEOUT_S * 1000)
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_write_transaction_takes_the_write_lock_at_begin(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with Library(url) as library:
        with library.session(write=True) as writer, writer.begin():
            writer.execute(sa.text("SELECT 1"))
            # Another process cannot start writing now, even before our first write.
            code = (
                "import sqlite3, sys\n"
                f"c = sqlite3.connect({str(tmp_path / 'a.sqlite3')!r}, timeout=0.2)\n"
                "c.isolation_level = None\n"
                "try:\n    c.execute('BEGIN IMMEDIATE')\n"
                "except sqlite3.OperationalError as e:\n    print(e)\n"
            )
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            assert "locked" in done.stdout


def test_urls_are_checked_and_completed():
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert normalise_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"
    with pytest.raises(InputError, match="expected a sqlite:// or postgresql://"):
        normalise_url("mysql://u:secret@h/db")
    with pytest.raises(InputError, match="not a database URL") as error:
        normalise_url("just some text")
    assert "secret" not in str(error.value)
    with pytest.raises(InputError, match="in-memory"):
        make_engine("sqlite://")
    assert sqlite_path("sqlite:////tmp/a.sqlite3") == Path("/tmp/a.sqlite3")
    assert sqlite_path("postgresql+psycopg://h/db") is None


@pytest.mark.postgres
def test_a_postgresql_url_is_all_a_lab_sets(postgres_url, tmp_path):
    # The CLI in a fresh process, configured by the one environment variable.
    env = dict(os.environ, PELED_DATABASE_URL=postgres_url.replace("+psycopg", ""))
    env.pop("PELED_DATA_DIR", None)
    command = [sys.executable, "-m", "core", "library", "list"]
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert '"devices": []' in done.stdout and "postgresql+psycopg://" in done.stdout
    assert not (tmp_path / "data").exists()


def test_an_unreachable_database_is_a_sentence_not_a_traceback():
    with pytest.raises(InputError, match="Cannot open the device library") as error:
        Library("postgresql://peled:secret@127.0.0.1:1/peled")
    assert "secret" not in str(error.value) and "PELED_DATABASE_URL" in str(error.value)
