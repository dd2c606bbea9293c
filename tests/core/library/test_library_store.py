"""
core/library/store.py on SQLite and PostgreSQL: a device saved whole and
re-opened byte-exact with the same numbers, content stored once, nothing
written by a refused upload or a failure mid-save, older results kept and
labelled, record changes, the trash and deletion for good.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

import core
import core.library.store as store_module
from core.errors import InputError
from core.library import DeviceRecord, FileInput
from core.library.analysis import analyse_files, settings_payload
from core.library.schema import AnalysisRow
from core.report import ReportSettings
from tests.core.library.library_support import SPECTRA_OPTIONS, demo_inputs, save_demo


def test_a_saved_device_reopens_byte_exact_with_identical_results(library):
    inputs = demo_inputs()
    record = DeviceRecord(
        name="A1",
        batch="2026-01",
        date_made="2026-01-15",
        structure="ITO/PEDOT:PSS/CsPbI3/TPBi/LiF/Al",
        emitter="CsPbI3 QDs",
        area_cm2=0.04,
        notes="first batch\nencapsulated",
        tags="control, red",
        visibility="lab",
    )
    device_id = library.save_device(record, inputs, reader_options=SPECTRA_OPTIONS)
    device = library.open_device(device_id)
    assert device.record == record
    assert [f.name for f in device.files] == [f.name for f in inputs]
    for stored, given in zip(device.files, inputs, strict=True):
        assert stored.data == given.data
        assert stored.size == len(given.data)
        assert stored.sha256 == hashlib.sha256(given.data).hexdigest()
    assert [f.role for f in device.files] == ["spectra", "jvl", "lifetime"]
    # The same numbers as the analysis run directly on the uploaded bytes.
    _, expected = analyse_files(
        "A1",
        [(f.name, f.role, f.data) for f in inputs],
        settings_payload(None, SPECTRA_OPTIONS),
    )
    assert device.reproduced is True
    assert len(device.analyses) == 1
    assert device.current.results == expected
    assert device.current.software_version == core.__version__
    summary = device.current.summary
    assert summary["eqe_max_percent"] > 1 and summary["t50_h"] > 0
    assert summary["el_peak_nm"] == pytest.approx(643.8, abs=1.0)  # demo: 640 nm


def test_the_settings_are_stored_and_used_when_reopening(library):
    settings = ReportSettings(reference_luminance_cd_m2=1000.0, acceleration_n=1.5)
    device_id = library.save_device(
        DeviceRecord(name="A1"),
        demo_inputs(),
        settings,
        reader_options=SPECTRA_OPTIONS,
    )
    device = library.open_device(device_id)
    stored = device.current.settings
    assert stored["report"] == settings.to_dict()
    assert stored["reader"] == SPECTRA_OPTIONS
    assert device.reproduced is True
    default_id = save_demo(library, "A2")
    default = library.open_device(default_id).current.summary
    # T50 converted to another reference luminance: the settings matter.
    assert device.current.summary["t50_at_reference_h"] != pytest.approx(
        default["t50_at_reference_h"]
    )


def test_file_content_is_stored_once(library):
    save_demo(library, "A1")
    save_demo(library, "A2")  # the same three files
    counts = library.table_counts()
    assert counts["devices"] == 2
    assert counts["device_files"] == 6
    assert counts["blobs"] == 3


def test_a_refused_upload_writes_nothing(library):
    save_demo(library, "before")
    counts = library.table_counts()
    bad = FileInput("notes.txt", b"this is not a table of numbers\n", "jvl")
    with pytest.raises(InputError, match="notes.txt"):
        library.save_device(
            DeviceRecord(name="A1"),
            [*demo_inputs(), bad],
            reader_options=SPECTRA_OPTIONS,
        )
    with pytest.raises(InputError, match="Device name"):
        library.save_device(DeviceRecord(name="  "), demo_inputs())
    with pytest.raises(InputError, match="Unknown analysis setting"):
        library.save_device({"name": "A1"}, demo_inputs(), {"threshold": 2})
    with pytest.raises(InputError, match="different names"):
        library.save_device({"name": "A1"}, [demo_inputs()[0], demo_inputs()[0]])
    assert library.table_counts() == counts


def test_a_failure_mid_save_writes_nothing(library, monkeypatch):
    save_demo(library, "before")
    counts = library.table_counts()

    def broken(session, *args):
        session.flush()  # the device, its tags, files and blobs are in
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "_insert_analysis", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        save_demo(library, "A1", index=1)  # new contents too
    assert library.table_counts() == counts


def test_an_attachment_is_kept_byte_exact_but_not_read(library):
    photo = FileInput(
        "device photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "attachment"
    )
    device_id = library.save_device(
        DeviceRecord(name="A1"), [*demo_inputs(), photo], reader_options=SPECTRA_OPTIONS
    )
    device = library.open_device(device_id)
    assert device.files[-1].data == photo.data
    assert device.files[-1].role == "attachment"
    assert device.reproduced is True
    names = [i["name"] for i in device.current.results["inputs"]]
    assert "device photo.jpg" not in names and len(names) == 3


def test_results_of_an_older_version_are_kept_and_labelled(library, monkeypatch):
    monkeypatch.setattr(core, "__version__", "0.0.9")
    device_id = save_demo(library)
    monkeypatch.undo()
    device = library.open_device(device_id)
    assert device.reproduced is True  # same numbers...
    new, old = device.analyses  # ...but labelled by the version that made them
    assert (new.software_version, new.current, new.saved) == (
        core.__version__,
        True,
        True,
    )
    assert (old.software_version, old.current) == ("0.0.9", False)
    assert old.label.startswith("computed with 0.0.9 on ")
    assert new.label.startswith(f"computed with {core.__version__} on ")
    assert new.label.endswith("(current)") and not old.label.endswith("(current)")
    assert old.results == new.results
    again = library.open_device(device_id)
    assert len(again.analyses) == 2 and again.reproduced is True
    assert library.list_devices()[0].software_version == core.__version__


def test_changed_numbers_are_added_never_replacing_the_stored_ones(library):
    device_id = save_demo(library)
    stored = library.open_device(device_id).current
    with library.session(write=True) as session, session.begin():
        tampered = dict(stored.summary, eqe_max_percent=99.0)
        session.execute(
            sa.update(AnalysisRow)
            .where(AnalysisRow.id == stored.id)
            .values(summary=tampered, results=dict(stored.results, summary=tampered))
        )
    device = library.open_device(device_id)
    assert device.reproduced is False
    assert device.changed == ("summary",)
    new, old = device.analyses
    assert old.summary["eqe_max_percent"] == 99.0 and not old.current
    assert new.current and new.summary == stored.summary


def test_settings_stored_by_another_version_still_reopen(library):
    device_id = save_demo(library)
    stored = library.open_device(device_id).current
    settings = {
        "report": {**stored.settings["report"], "a_setting_since_removed": 3},
        "reader": {**stored.settings["reader"], "an_old_reader_option": True},
    }
    with library.session(write=True) as session, session.begin():
        session.execute(
            sa.update(AnalysisRow)
            .where(AnalysisRow.id == stored.id)
            .values(settings=settings)
        )
    device = library.open_device(device_id)
    assert device.reproduced is True and device.current.results == stored.results


def test_reanalyse_with_other_settings_adds_the_current_analysis(library):
    device_id = save_demo(library)
    first = library.open_device(device_id).current
    analysis = library.reanalyse(
        device_id, settings={"reference_luminance_cd_m2": 1000.0}
    )
    device = library.open_device(device_id)
    assert device.reproduced is True
    assert [a.id for a in device.analyses] == [analysis.id, first.id]
    assert device.current.settings["report"]["reference_luminance_cd_m2"] == 1000.0
    assert device.current.settings["reader"] == SPECTRA_OPTIONS


def test_update_changes_the_record_only(library):
    device_id = save_demo(library, "A1", batch="B1", tags=("x",))
    record = library.update(device_id, {"name": "A1 (rev)", "tags": "y, z"})
    assert record.name == "A1 (rev)" and record.tags == ("y", "z")
    assert record.batch == "B1"
    device = library.open_device(device_id)
    assert device.record == record
    assert device.reproduced is True  # results do not depend on the name
    with pytest.raises(InputError, match="Unknown device field"):
        library.update(device_id, {"colour": "red"})
    with pytest.raises(InputError, match="active area"):
        library.update(device_id, {"area_cm2": -1})
    assert library.open_device(device_id, reanalyse=False).record == record


def test_list_filters_by_name_batch_and_tag(library):
    save_demo(library, "A1 control", batch="2026-01", tags=("control",))
    save_demo(library, "A2 treated", batch="2026-01", tags=("treated", "red"))
    save_demo(library, "B1_50%", batch="2026-02", tags=("red",))

    def names(**filters):
        return sorted(d.record.name for d in library.list_devices(**filters))

    assert names() == ["A1 control", "A2 treated", "B1_50%"]
    assert names(name="a") == ["A1 control", "A2 treated"]
    assert names(name="TREATED") == ["A2 treated"]
    assert names(name="_5") == ["B1_50%"]  # LIKE wildcards are literal
    assert names(name="%") == ["B1_50%"]
    assert names(batch="2026-01") == ["A1 control", "A2 treated"]
    assert names(tag="red") == ["A2 treated", "B1_50%"]
    assert names(tag="red", batch="2026-02") == ["B1_50%"]
    listed = library.list_devices(tag="control")[0]
    assert listed.n_files == 3 and listed.summary["eqe_max_percent"] > 1


def test_soft_delete_restore_and_hard_delete_with_confirmation(library):
    keep = save_demo(library, "keep")
    gone = save_demo(library, "gone", index=1)
    library.soft_delete(gone)
    assert [d.record.name for d in library.list_devices()] == ["keep"]
    assert [d.record.name for d in library.list_devices(trash=True)] == ["gone"]
    library.restore(gone)
    assert len(library.list_devices()) == 2 and library.list_devices(trash=True) == []
    with pytest.raises(InputError, match="not in the trash"):
        library.hard_delete(gone, confirm=True)
    library.soft_delete(gone)
    with pytest.raises(InputError, match="confirm"):
        library.hard_delete(gone)
    with pytest.raises(InputError, match="confirm"):
        library.hard_delete(gone, confirm="yes")
    assert library.table_counts()["devices"] == 2
    library.hard_delete(gone, confirm=True)
    counts = library.table_counts()
    assert counts["devices"] == 1 and counts["device_files"] == 3
    assert counts["analyses"] == 1 and counts["device_tags"] == 0
    assert counts["blobs"] == 3  # the treated device's own files are gone
    with pytest.raises(InputError, match=f"No device with id {gone}"):
        library.open_device(gone)
    assert library.open_device(keep).reproduced is True


def test_hard_delete_keeps_content_another_device_holds(library):
    first = save_demo(library, "first")
    save_demo(library, "second")
    library.soft_delete(first)
    library.hard_delete(first, confirm=True)
    assert library.table_counts()["blobs"] == 3


def test_a_record_is_validated_before_anything_is_written():
    with pytest.raises(InputError, match="date made"):
        DeviceRecord(name="A", date_made="15/01/2026")
    with pytest.raises(InputError, match="visibility"):
        DeviceRecord(name="A", visibility="public")
    with pytest.raises(InputError, match="control character"):
        DeviceRecord(name="A\x00B")
    with pytest.raises(InputError, match="at most 200"):
        DeviceRecord(name="A" * 201)
    with pytest.raises(InputError, match="empty"):
        FileInput("a.txt", b"")
    with pytest.raises(InputError, match="unknown file kind"):
        FileInput("a.txt", b"1", "photo")
    record = DeviceRecord(name=" A ", tags=" b, a ,, b", notes="line 1\nline 2")
    assert (record.name, record.tags) == ("A", ("a", "b"))
    assert FileInput("C:\\lab\\run 1.txt", b"1").name == "run 1.txt"
