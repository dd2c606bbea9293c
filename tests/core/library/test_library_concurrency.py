"""
Several processes on one library: 8 writers x 50 saves each at once lose
nothing and leave no device partial (SQLite in WAL mode and PostgreSQL);
two long-lived app processes see each other's saved devices.
"""

from __future__ import annotations

import multiprocessing
import time

import pytest
import sqlalchemy as sa

from core.library import Library
from core.library.analysis import analyse_files, settings_payload
from core.library.schema import AnalysisRow, DeviceFileRow, DeviceRow, TagRow
from tests.core.library.library_support import peer_worker, small_inputs, writer_worker

WRITERS, SAVES = 8, 50
#: Children fork from a forkserver that has imported the library and the
#: analysis modules once: they start in milliseconds, and from a process with
#: no other threads (a plain fork of the pytest process, which may run
#: Streamlit or database threads, can inherit a held lock and hang).
CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(
    ["core.library", "core.report", "tests.core.library.library_support"]
)


def _complete_devices(library: Library) -> int:
    """Devices with their three files, one current analysis and their tag."""
    files = (
        sa.select(sa.func.count())
        .where(DeviceFileRow.device_id == DeviceRow.id)
        .scalar_subquery()
    )
    current = (
        sa.select(sa.func.count())
        .where(AnalysisRow.device_id == DeviceRow.id, AnalysisRow.current.is_(True))
        .scalar_subquery()
    )
    tagged = sa.exists().where(TagRow.device_id == DeviceRow.id, TagRow.tag == "load")
    query = sa.select(sa.func.count()).where(files == 3, current == 1, tagged)
    with library.session() as session:
        return int(session.scalar(query.select_from(DeviceRow)) or 0)


@pytest.mark.concurrency
def test_eight_writers_saving_fifty_devices_each_lose_nothing(library):
    url, backend = library.url, library.backend
    files = small_inputs(0, 0)
    _, results = analyse_files(
        "w", [(f.name, f.role, f.data) for f in files], settings_payload()
    )
    library.close()  # no pooled connection crosses the fork
    barrier, queue = CONTEXT.Barrier(WRITERS + 1), CONTEXT.Queue()
    workers = [
        CONTEXT.Process(
            target=writer_worker, args=(url, n, SAVES, results, barrier, queue)
        )
        for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=120)
    start = time.perf_counter()
    reports = [queue.get(timeout=300) for _ in workers]
    wall = time.perf_counter() - start
    for worker in workers:
        worker.join(timeout=60)
    assert [error for _, _, error in reports if error] == []
    counts = library.table_counts()
    assert counts["devices"] == WRITERS * SAVES
    assert counts["device_files"] == 3 * WRITERS * SAVES
    assert counts["analyses"] == WRITERS * SAVES
    assert counts["blobs"] == 2 + WRITERS * SAVES  # the shared files once
    assert _complete_devices(library) == WRITERS * SAVES
    names = {d.record.name for d in library.list_devices()}
    assert names == {f"w{w}-{n}" for w in range(WRITERS) for n in range(SAVES)}
    sample = library.open_device(library.list_devices(name="w7-49")[0].id)
    assert [f.data for f in sample.files] == [f.data for f in small_inputs(7, 49)]
    assert sample.reproduced is True
    per_writer = sorted(seconds for _, seconds, _ in reports)
    print(
        f"\n{backend}: {WRITERS} writers x {SAVES} saves = {WRITERS * SAVES} devices "
        f"in {wall:.2f} s wall ({WRITERS * SAVES / wall:.0f} saves/s; writers took "
        f"{per_writer[0]:.2f}-{per_writer[-1]:.2f} s; "
        f"{1000 * wall / (WRITERS * SAVES):.1f} ms per save overall)"
    )


def test_two_app_processes_see_each_others_devices(library):
    url = library.url
    library.close()
    channels = []
    for name in ("from A", "from B"):
        inbox, outbox = CONTEXT.Queue(), CONTEXT.Queue()
        process = CONTEXT.Process(target=peer_worker, args=(url, name, inbox, outbox))
        process.start()
        channels.append((process, inbox, outbox))

    def ask(index: int, command: str):
        _, inbox, outbox = channels[index]
        inbox.put(command)
        return outbox.get(timeout=120)

    try:
        assert ask(0, "list") == [] and ask(1, "list") == []
        assert isinstance(ask(0, "save"), int)
        assert ask(1, "list") == ["from A"]
        assert isinstance(ask(1, "save"), int)
        assert ask(0, "list") == ["from A", "from B"]
        assert ask(1, "list") == ["from A", "from B"]
    finally:
        for process, inbox, _ in channels:
            inbox.put("stop")
            process.join(timeout=60)
