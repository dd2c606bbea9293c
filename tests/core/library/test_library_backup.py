"""
core/library/backup.py: the SQLite file is backed up while in use and
restored (the present one kept beside it); on PostgreSQL the library points
to pg_dump, and the documented pg_dump / pg_restore commands bring a library
back whole.
"""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
import sqlalchemy as sa

from core.errors import InputError
from core.library import Library
from tests.core.library.library_support import save_demo
from tests.core.library.postgres_support import postgres_bin


def test_backup_and_restore(library, tmp_path):
    first = save_demo(library, "A1")
    if library.backend == "postgresql":
        with pytest.raises(InputError, match="pg_dump"):
            library.backup_sqlite(tmp_path / "copy.sqlite3")
        with pytest.raises(InputError, match="pg_dump"):
            library.restore_sqlite(tmp_path / "copy.sqlite3")
        return
    # A reader holds a transaction open: the backup still gets a consistent copy.
    with library.session() as reading, reading.begin():
        reading.execute(sa.text("SELECT count(*) FROM devices"))
        backup = library.backup_sqlite(tmp_path / "backups" / "copy.sqlite3")
    assert backup["devices"] == 1 and backup["size_bytes"] > 0
    save_demo(library, "A2", index=1)
    library.soft_delete(first)
    restored = library.restore_sqlite(backup["backup"])
    assert restored["devices"] == 1
    names = [d.record.name for d in library.list_devices()]
    assert names == ["A1"] and library.open_device(first).reproduced is True
    # The library as it was before the restore is kept beside it.
    with Library(f"sqlite:///{restored['previous_copy']}") as before:
        assert sorted(d.record.name for d in before.list_devices()) == ["A2"]
        assert [d.record.name for d in before.list_devices(trash=True)] == ["A1"]


def test_a_file_that_is_no_library_is_not_restored(tmp_path, sqlite_url):
    with Library(sqlite_url) as library:
        save_demo(library, "A1")
        (tmp_path / "junk.sqlite3").write_bytes(b"SQLite format 3\x00 but not really")
        with pytest.raises(InputError, match="not a SQLite database"):
            library.restore_sqlite(tmp_path / "junk.sqlite3")
        other = tmp_path / "other.sqlite3"
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        with pytest.raises(InputError, match="not a PeLED Bench library"):
            library.restore_sqlite(other)
        with pytest.raises(InputError, match="no such file"):
            library.restore_sqlite(tmp_path / "missing.sqlite3")
        assert [d.record.name for d in library.list_devices()] == ["A1"]


@pytest.mark.postgres
def test_pg_dump_and_pg_restore_bring_a_library_back(postgres_url, postgres_url_2):
    bin_dir = postgres_bin()
    if bin_dir is None or not (bin_dir / "pg_dump").exists():
        pytest.skip("pg_dump not found beside initdb")
    with Library(postgres_url) as library:
        save_demo(library, "A1", tags=("x",))
        expected = library.open_device(1)

    def plain(url: str) -> str:
        return url.replace("postgresql+psycopg://", "postgresql://")

    dump = subprocess.run(
        [str(bin_dir / "pg_dump"), "--format=custom", plain(postgres_url)],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(
        [str(bin_dir / "pg_restore"), "--no-owner", "--dbname", plain(postgres_url_2)],
        input=dump,
        capture_output=True,
        check=True,
    )
    with Library(postgres_url_2) as restored:
        device = restored.open_device(1)
    assert device.files == expected.files and device.reproduced is True
    assert device.record == expected.record
