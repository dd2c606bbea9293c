"""
core/library/migrate.py and migrations/: the schema is versioned from the
first revision. A database populated at revision 0001 is upgraded to head
with every row kept and readable, and the data steps of 0002 (current
analysis) and 0004 (headline uncertainties from the stored results) done
(SQLite and PostgreSQL); the models match
the migrated schema; downgrade and upgrade again keep the data; a database
from a newer version is refused; processes starting at once on an empty
database migrate it once.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core.errors import InputError
from core.library import LOCAL_USER, Library, User
from core.library.analysis import analyse_files, settings_payload
from core.library.config import make_engine
from core.library.headline import headline
from core.library.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from core.library.schema import Base
from tests.core.library.library_support import (
    SPECTRA_OPTIONS,
    demo_inputs,
    startup_worker,
)

ALICE = User.from_email("alice@lab.example")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def empty_url(request) -> str:
    """A database nothing was ever written to."""
    return request.getfixturevalue(
        "sqlite_url" if request.param == "sqlite" else "postgres_url"
    )


def _populate_first_revision(engine) -> dict:
    """Rows as PeLED Bench wrote them at revision 0001 (no trash, no current
    flag); returns what they hold."""
    inputs = demo_inputs()
    payload = settings_payload(None, SPECTRA_OPTIONS)
    roles, results = analyse_files(
        "A1", [(f.name, f.role, f.data) for f in inputs], payload
    )
    when = dt.datetime(2026, 1, 20, 12, tzinfo=dt.UTC)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    assert "current" not in t["analyses"].c and "deleted_at" not in t["devices"].c
    record = dict(
        batch="B1",
        date_made=dt.date(2026, 1, 15),
        structure="ITO/...",
        emitter="CsPbI3",
        area_cm2=0.04,
        notes="",
        created_at=when,
        updated_at=when,
    )
    users = [("local", ""), (ALICE.id, "Alice")]
    devices = [(1, "A1", "lab", ALICE.id), (2, "A2", "private", "local")]
    analyses = [
        (1, 1, "0.0.9", ALICE.id),
        (2, 1, "0.1.0", ALICE.id),
        (3, 2, "0.1.0", "local"),
    ]
    files = [
        (d, i, f, r)
        for d in (1, 2)
        for i, (f, r) in enumerate(zip(inputs, roles, strict=True))
    ]
    with engine.begin() as c:
        c.execute(
            t["users"].insert(),
            [dict(id=u, email="", name=n, created_at=when) for u, n in users],
        )
        c.execute(
            t["devices"].insert(),
            [
                dict(id=i, uid=str(i) * 32, name=n, visibility=v, owner_id=o, **record)
                for i, n, v, o in devices
            ],
        )
        c.execute(t["device_tags"].insert(), [{"device_id": 1, "tag": "control"}])
        c.execute(
            t["blobs"].insert(),
            [
                dict(sha256=f.sha256, size=len(f.data), data=f.data, created_at=when)
                for f in inputs
            ],
        )
        c.execute(
            t["device_files"].insert(),
            [
                dict(device_id=d, position=i, name=f.name, role=r, sha256=f.sha256)
                for d, i, f, r in files
            ],
        )
        c.execute(
            t["analyses"].insert(),
            [
                dict(
                    id=i,
                    device_id=d,
                    software_version=v,
                    created_by=u,
                    settings=payload,
                    results=results,
                    summary=results["summary"],
                    created_at=when,
                )
                for i, d, v, u in analyses
            ],
        )
    return {"inputs": inputs, "results": results}


def test_upgrade_from_the_first_revision_keeps_every_row(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    data = _populate_first_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0004"
    engine.dispose()
    with Library(empty_url) as library:
        counts = library.table_counts()
        assert counts == {
            "users": 2, "devices": 2, "device_tags": 1, "blobs": 3,
            "device_files": 6, "analyses": 3, "literature_rows": 0,
            "working_sets": 0,
        }  # fmt: skip
        assert [d.record.name for d in library.list_devices(ALICE)] == ["A1"]
        assert sorted(d.record.name for d in library.list_devices()) == ["A1", "A2"]
        device = library.open_device(1, ALICE)
        # The newest analysis became the current one; the older one is kept.
        assert [(a.id, a.current) for a in device.analyses] == [(2, True), (1, False)]
        assert device.analyses[1].label.startswith("computed with 0.0.9 on 2026-01-20")
        assert device.reproduced is True
        assert device.current.results == data["results"]
        assert [f.data for f in device.files] == [f.data for f in data["inputs"]]
        assert device.record.date_made == dt.date(2026, 1, 15)
        assert device.record.tags == ("control",)
        # What revision 0002 added works on the old rows.
        library.soft_delete(2, LOCAL_USER)
        assert [d.record.name for d in library.list_devices(trash=True)] == ["A2"]
        library.restore(2, LOCAL_USER)
        # What revision 0003 added: lab rows, owned by a user already there.
        library.add_literature_row(
            {"record_id": "old-db-row", "eqe_max_percent": "20.5",
             "source_location": "Fig. 1"}, ALICE, visibility="lab",
        )  # fmt: skip
        assert [r.record_id for r in library.list_literature_rows()] == ["old-db-row"]
        # What revision 0004 added: each old analysis got its headline from
        # its stored results, and working sets can be kept.
        listed = {d.record.name: d for d in library.list_devices()}
        assert listed["A1"].headline == headline(data["results"])
        stability = data["results"]["stability"]
        assert listed["A1"].headline["peak_shift_sd_nm"] == pytest.approx(
            stability["peak_shift_sd_nm"], rel=0, abs=0
        )
        assert listed["A1"].headline["t50_uncertainty_h"] > 0
        library.save_working_set("k" * 32, [1, 2], 2)
        assert library.working_set("k" * 32) == ([1, 2], 2)


def test_the_models_match_the_migrated_schema(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine)
    with engine.connect() as connection:
        assert (
            compare_metadata(MigrationContext.configure(connection), Base.metadata)
            == []
        )
    engine.dispose()


def test_downgrade_and_upgrade_again_keep_the_data(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine, "0001")
    _populate_first_revision(engine)
    upgrade(engine)
    with Library(empty_url) as library:
        library.add_literature_row(
            {"record_id": "lab-1", "eqe_max_percent": "20", "source_location": "x"}
        )
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    assert "literature_rows" not in sa.inspect(engine).get_table_names()
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    assert current_revision(engine) == "0001"
    upgrade(engine)
    engine.dispose()
    with Library(empty_url) as library:
        assert library.table_counts()["device_files"] == 6
        assert library.table_counts()["literature_rows"] == 0  # dropped with 0003
        assert library.open_device(1, ALICE).reproduced is True


def test_a_database_of_a_newer_version_is_refused(empty_url):
    Library(empty_url).close()
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(InputError, match="newer version"):
        Library(empty_url)


def test_processes_starting_at_once_migrate_an_empty_database_once(empty_url):
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["core.library", "tests.core.library.library_support"]
    )
    barrier, queue = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=startup_worker, args=(empty_url, barrier, queue))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    errors = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert errors == [None] * 4
    engine = make_engine(empty_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
