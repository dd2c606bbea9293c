"""
core/library/archive.py: a zip archive (records + raw files + settings +
results) exported from one database and imported into another, SQLite or
PostgreSQL, gives byte-identical files and identical results; every real
instrument file of ../shared/realdata makes the round trip into an empty
PostgreSQL database.
"""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from core.errors import InputError
from core.library import DeviceRecord, FileInput, Library, User
from core.library.analysis import read_files, settings_payload
from tests.core.library.library_support import REALDATA_DEVICES, save_demo


def _snapshot(library: Library, *, reanalyse: bool = True) -> dict:
    """uid -> (record, [(name, role, sha256, bytes)], current results,
    versions, reproduced)."""
    out = {}
    for summary in library.list_devices():
        device = library.open_device(summary.id, reanalyse=reanalyse)
        out[device.uid] = (
            device.record,
            [(f.name, f.role, f.sha256, f.data) for f in device.files],
            device.current.results if device.current else None,
            [a.software_version for a in device.analyses],
            device.reproduced,
        )
    return out


def test_export_then_import_into_another_database(library, other_url, tmp_path):
    save_demo(library, "A1", batch="B1", tags=("control",), visibility="lab")
    save_demo(library, "A2", index=1, notes="treated")
    trashed = save_demo(library, "in the trash")
    library.soft_delete(trashed)
    out = library.export_archive(tmp_path / "lab.zip")
    assert (out["devices"], out["files"], out["contents"]) == (2, 6, 6)
    with Library(other_url) as other:
        report = other.import_archive(tmp_path / "lab.zip")
        assert [d["name"] for d in report["imported"]] == ["A1", "A2"]
        assert report["contents_added"] == 6
        assert _snapshot(other) == _snapshot(library)
        assert all(entry[-1] is True for entry in _snapshot(other).values())
        again = other.import_archive(tmp_path / "lab.zip")  # nothing twice
        assert again["imported"] == [] and len(again["skipped"]) == 2
        assert other.table_counts()["devices"] == 2


def test_the_importer_owns_the_devices_unless_owners_are_kept(
    library, other_url, tmp_path
):
    alice = User.from_email("alice@lab.example")
    carol = User.from_email("carol@lab.example")
    save_demo(library, "A1", user=alice)
    library.export_archive(tmp_path / "a.zip", alice)
    with Library(other_url) as other:
        other.import_archive(tmp_path / "a.zip", carol)
        (device,) = other.list_devices(carol)
        assert device.owner == carol.id and other.list_devices(alice) == []
        other.soft_delete(device.id, carol)
        other.hard_delete(device.id, carol, confirm=True)
        other.import_archive(tmp_path / "a.zip", carol, keep_owners=True)
        assert [d.owner for d in other.list_devices(alice)] == [alice.id]
        assert other.list_devices(carol) == []


def test_a_damaged_archive_writes_nothing(library, tmp_path):
    save_demo(library, "A1")
    path = tmp_path / "a.zip"
    library.export_archive(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w") as archive:
        for name, data in members.items():
            archive.writestr(
                name, data[:-1] + b"!" if name.startswith("files/") else data
            )
    library.soft_delete(library.list_devices()[0].id)
    library.hard_delete(library.list_devices(trash=True)[0].id, confirm=True)
    before = library.table_counts()
    with pytest.raises(InputError, match="does not match its SHA-256"):
        library.import_archive(damaged)
    (tmp_path / "plain.zip").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a zip archive"):
        library.import_archive(tmp_path / "plain.zip")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something else"}))
    with pytest.raises(InputError, match="expected a 'peled-bench-library' archive"):
        library.import_archive(other)
    assert library.table_counts() == before


def _save_realdata(library: Library, folder) -> list[str]:
    """Every real file saved as devices. A group a reader refuses is not
    saved (checked); it is saved again with the refused files as attachments
    (kept byte-exact, not analysed). Returns the refused files."""
    refused = []
    for name, entries, options in REALDATA_DEVICES:
        files = [FileInput(f, (folder / f).read_bytes(), role) for f, role in entries]
        before = library.table_counts()
        try:
            library.save_device(DeviceRecord(name=name), files, reader_options=options)
            continue
        except InputError:
            assert library.table_counts() == before  # a refused upload: nothing
        payload = settings_payload(None, options)
        kept = []
        for item in files:
            try:
                read_files(name, [(item.name, item.role, item.data)], payload)
            except InputError:
                refused.append(item.name)
                item = FileInput(item.name, item.data, "attachment")
            kept.append(item)
        library.save_device(DeviceRecord(name=name), kept, reader_options=options)
    return refused


def test_every_real_file_round_trips_into_an_empty_postgresql(
    realdata, library, postgres_url, tmp_path
):
    on_disk = sorted(p.name for p in realdata.iterdir() if p.name != "SOURCES.md")
    assert sorted(f for _, e, _ in REALDATA_DEVICES for f, _ in e) == on_disk
    refused = _save_realdata(library, realdata)
    original = _snapshot(library, reanalyse=False)  # as computed when saved
    assert len(original) == len(REALDATA_DEVICES)
    archive = library.export_archive(tmp_path / "realdata.zip")
    assert archive["files"] == len(on_disk)
    with Library(postgres_url) as target:  # a new, empty PostgreSQL database
        target.import_archive(tmp_path / "realdata.zip")
        restored = _snapshot(target)  # re-opened: every analysis re-run
    assert restored.keys() == original.keys()
    for uid, (record, files, results, versions, reproduced) in restored.items():
        assert record == original[uid][0]
        assert [f[2] for f in files] == [f[2] for f in original[uid][1]]  # SHA-256
        assert [hashlib.sha256(f[3]).hexdigest() for f in files] == [
            f[2] for f in files
        ]
        assert files == original[uid][1]  # byte-identical, same names and kinds
        assert results == original[uid][2] and reproduced is True
        assert versions == original[uid][3]
    roles = [f[1] for v in restored.values() for f in v[1]]
    assert len(roles) == len(on_disk)
    assert roles.count("attachment") == len(refused) <= 3
    print(
        f"\nreal data round trip: {len(restored)} devices, {len(on_disk)} files "
        f"({len(on_disk) - len(refused)} analysed, {len(refused)} refused by the "
        f"readers and kept as attachments: {', '.join(refused)}); every SHA-256 "
        "and every result identical after re-opening"
    )
