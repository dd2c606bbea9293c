"""
``python -m core library``: the library's command-line twin, on SQLite and
PostgreSQL, through :func:`core.cli.main` (the real entry point). Separate
processes on one database: tests/core/library/test_library_concurrency.py
and test_library_config.py.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from tests.core.library.library_support import SPECTRA_OPTIONS, demo_inputs
from tests.core.library.postgres_support import new_database, require

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database(request, tmp_path):
    """An empty library database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'lib' / 'peled.sqlite3'}"
    else:
        yield from new_database(require())


@pytest.fixture
def demo_paths(tmp_path) -> dict[str, Path]:
    """The demo control device as rig files on disk."""
    paths = {}
    for item, key in zip(demo_inputs(), ("spectra", "jvl", "lifetime"), strict=True):
        paths[key] = tmp_path / item.name
        paths[key].write_bytes(item.data)
    return paths


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def ok(*argv):
    code, out, err = run(*argv)
    assert code == 0, err
    return json.loads(out) if out.lstrip().startswith("{") else out


def add(database, paths, *extra):
    return ok(
        "library", "add", "--database", database,
        "--spectra", paths["spectra"], "--axis-name", SPECTRA_OPTIONS["axis_name"],
        "--axis-unit", SPECTRA_OPTIONS["axis_unit"], paths["jvl"], paths["lifetime"],
        *extra,
    )  # fmt: skip


def test_add_list_show_delete_restore(database, demo_paths):
    added = add(database, demo_paths, "--name", "A1", "--batch", "B1", "--tags", "x,y")
    assert added["single_user"] is True and added["user"] == "local"
    assert [f["role"] for f in added["files"]] == ["spectra", "jvl", "lifetime"]
    assert added["analyses"][0]["summary"]["eqe_max_percent"] > 1
    device_id = added["id"]
    listed = ok("library", "list", "--database", database, "--tag", "x")
    assert [d["name"] for d in listed["devices"]] == ["A1"]
    table = ok("library", "list", "--database", database, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows[0]["name"] == "A1" and rows[0]["tags"] == "x;y"
    assert float(rows[0]["eqe_max_percent"]) > 1
    shown = ok("library", "show", device_id, "--database", database, "--results")
    assert shown["reproduced"] is True and shown["analyses"][0]["current"] is True
    assert "stability" in shown["analyses"][0]["results"]
    ok("library", "delete", device_id, "--database", database)
    assert ok("library", "list", "--database", database)["devices"] == []
    trash = ok("library", "list", "--trash", "--database", database)["devices"]
    assert [d["id"] for d in trash] == [device_id]
    ok("library", "restore", device_id, "--database", database)
    code, _, err = run("library", "delete", device_id, "--hard", "--database", database)
    assert code == 2 and "--yes" in err
    ok("library", "delete", device_id, "--hard", "--yes", "--database", database)
    code, _, err = run("library", "show", device_id, "--database", database)
    assert code == 2 and f"No device with id {device_id}" in err


def test_export_and_import_between_backends(database, demo_paths, tmp_path):
    add(database, demo_paths, "--name", "A1", "--visibility", "lab")
    archive = tmp_path / "out" / "lib.zip"
    exported = ok("library", "export", "--out", archive, "--database", database)
    assert exported["devices"] == 1 and archive.is_file()
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    imported = ok("library", "import", archive, "--database", other)
    assert [d["name"] for d in imported["imported"]] == ["A1"]
    shown = ok("library", "show", imported["imported"][0]["id"], "--database", other)
    original = ok("library", "show", 1, "--database", database)
    assert shown["files"] == original["files"] and shown["reproduced"] is True
    assert shown["analyses"][0]["summary"] == original["analyses"][0]["summary"]


def test_another_users_private_device_is_refused(database, demo_paths):
    added = add(database, demo_paths, "--name", "mine", "--user", "alice@lab.example")
    assert added["owner"] == "alice@lab.example" and added["single_user"] is False
    code, _, err = run(
        "library",
        "show",
        added["id"],
        "--user",
        "bob@lab.example",
        "--database",
        database,
    )
    assert code == 2 and "private record of another user" in err
    code, _, err = run("library", "delete", added["id"], "--database", database)
    assert code == 2 and "private record of another user" in err
    bob = ok("library", "list", "--user", "bob@lab.example", "--database", database)
    assert bob["devices"] == []


def test_a_refused_file_saves_nothing(database, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("no numbers here\n")
    code, _, err = run(
        "library", "add", "--jvl", bad, "--name", "A1", "--database", database
    )
    assert code == 2 and err.startswith("error: notes.txt")
    assert ok("library", "list", "--database", database)["devices"] == []


def test_backup_and_restore_backup(database, demo_paths, tmp_path):
    add(database, demo_paths, "--name", "A1")
    copy = tmp_path / "copy.sqlite3"
    code, out, err = run("library", "backup", "--out", copy, "--database", database)
    if "postgresql" in database:
        assert code == 2 and "pg_dump" in err
        return
    assert code == 0 and json.loads(out)["devices"] == 1
    add(database, demo_paths, "--name", "A2")
    code, _, err = run("library", "restore-backup", copy, "--database", database)
    assert code == 2 and "--yes" in err
    ok("library", "restore-backup", copy, "--yes", "--database", database)
    names = [
        d["name"] for d in ok("library", "list", "--database", database)["devices"]
    ]
    assert names == ["A1"]


def test_help_loads_no_database_library():
    code = (
        "import sys\nfrom core.cli import main\n"
        "try:\n    main(['library', 'add', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'psycopg', 'pandas') "
        "if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "--database URL" in done.stdout and "--user EMAIL" in done.stdout
