"""
core/library/table.py and bulk.py: the list as a table (numbers from the
stored summaries and headlines), its filters, the naming rules of a bulk
import and the limits on a .zip.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pytest

from core.errors import InputError
from core.library import DeviceRecord
from core.library.bulk import MAX_FILE_BYTES, archive_files, compile_rule, plan_import
from core.library.records import DeviceSummary
from core.library.table import NUMBER_COLUMNS, filter_table, summary_table

WHEN = dt.datetime(2026, 1, 27, 12, tzinfo=dt.UTC)


def _entry(i, name, batch="", made=None, tags=(), emitter="", **numbers):
    return DeviceSummary(
        id=i, uid=str(i) * 32, owner="local", created_at=WHEN, updated_at=WHEN,
        deleted_at=None, n_files=1, software_version="0.1.0",
        record=DeviceRecord(name=name, batch=batch, date_made=made, tags=tags,
                            emitter=emitter),
        summary={k: v for k, v in numbers.items() if not k.endswith("_sd_nm")},
        headline={k: v for k, v in numbers.items() if k.endswith("_sd_nm")},
    )  # fmt: skip


ENTRIES = [
    _entry(1, "A1", "B1", dt.date(2026, 1, 5), ("control",), "CsPbI3",
           eqe_max_percent=14.5, peak_shift_nm=4.5, peak_shift_sd_nm=0.14),
    _entry(2, "A2", "B2", dt.date(2026, 1, 20), ("treated", "ligand"), "CsPbI3",
           eqe_max_percent=26.1, t50_at_reference_h=8.2),
    _entry(3, "X9", "", None, (), "MAPbI3"),
]  # fmt: skip


def test_the_table_holds_the_summaries_and_headlines():
    table = summary_table(ENTRIES)
    assert list(table["id"]) == [1, 2, 3]
    assert table["EQE max [%]"].tolist()[:2] == [14.5, 26.1]
    assert np.isnan(table.loc[2, "EQE max [%]"])
    assert table.loc[0, "σ peak shift [nm]"] == 0.14
    assert table.loc[1, "tags"] == "ligand, treated"
    assert set(NUMBER_COLUMNS) <= set(table.columns)
    assert summary_table([]).empty


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({"text": "cspb"}, [1, 2]),
        ({"text": "LIGAND"}, [2]),
        ({"batches": ["B2"]}, [2]),
        ({"tags": ["control", "ligand"]}, [1, 2]),
        ({"emitters": ["MAPbI3"]}, [3]),
        ({"made": (dt.date(2026, 1, 6), None)}, [2]),
        ({"made": (None, dt.date(2026, 1, 5))}, [1]),
        ({"ranges": {"EQE max [%]": (14.5, 20.0)}}, [1]),
        ({"ranges": {"EQE max [%]": (None, None)}}, [1, 2, 3]),
        ({"ranges": {"T50 at reference [h]": (1.0, None)}}, [2]),
    ],
)
def test_filters(filters, ids):
    assert list(filter_table(summary_table(ENTRIES), **filters)["id"]) == ids


def test_a_naming_rule_maps_files_to_devices_and_kinds():
    plan = plan_import(
        ["B7-3_EL.txt", "B7-3_jvl.csv", "dir/B7-4_life.csv", "B7-4_odd.dat", "x.md"],
        "{device}_{kind}.{ext}",
    )
    rows = {r.file: (r.device, r.kind, r.note) for r in plan.itertuples()}
    assert rows["B7-3_EL.txt"] == ("B7-3", "spectra", "")
    assert rows["B7-3_jvl.csv"] == ("B7-3", "jvl", "")
    assert rows["dir/B7-4_life.csv"] == ("B7-4", "lifetime", "")
    assert rows["B7-4_odd.dat"][:2] == ("B7-4", "auto")
    assert rows["x.md"] == ("", "", "the rule does not match this name")
    regex = plan_import(["run12-A3.txt"], r"run\d+-(?P<device>A\d)\.txt")
    assert list(regex["device"]) == ["A3"] and list(regex["kind"]) == ["auto"]


@pytest.mark.parametrize(
    ("rule", "match"),
    [("{kind}.{ext}", "where the device name is"), ("{device}_{what}", "what"),
     ("(?P<device>[", "not a valid pattern")],
)  # fmt: skip
def test_a_bad_rule_is_refused(rule, match):
    with pytest.raises(InputError, match=match):
        compile_rule(rule)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_is_flattened_without_hidden_files():
    data = _zip({"run/A1_el.txt": b"1", "__MACOSX/._A1_el.txt": b"x",
                 "run/.DS_Store": b"x", "A1_jvl.txt": b"2"})  # fmt: skip
    assert archive_files(data, "run.zip") == {"A1_el.txt": b"1", "A1_jvl.txt": b"2"}
    with pytest.raises(InputError, match="two files are named A1_el.txt"):
        archive_files(_zip({"a/A1_el.txt": b"1", "b/A1_el.txt": b"2"}), "two.zip")
    with pytest.raises(InputError, match="not a .zip"):
        archive_files(b"plain text", "notes.zip")


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    big = _zip({"A1_el.txt": b"0" * (MAX_FILE_BYTES + 1)})
    assert len(big) < 1_000_000
    with pytest.raises(InputError, match="files up to 100 MB"):
        archive_files(big, "bomb.zip")
