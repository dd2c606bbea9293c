"""
core/library/literature_rows.py: the lab's literature rows in the library (on
SQLite and PostgreSQL). A row is validated before anything is written, kept
with its text as typed, survives closing and re-opening the library, is
read by its owner and (when shared) by the lab, deleted by its owner only,
and exported in the curated table's columns.
"""

from __future__ import annotations

import csv
import io

import pytest

from core import literature
from core.errors import InputError
from core.library import LOCAL_USER, Library, PermissionDenied, User

ALICE = User.from_email("alice@lab.example")
BOB = User.from_email("bob@lab.example")

PAPER = {
    "record_id": "doe2025jot-best",
    "first_author": "Doe",
    "year": "2025",
    "journal": "Journal of Tests",
    "doi": "10.9999/jot.2025.1",
    "device_role": "champion",
    "el_peak_nm": "632",
    "eqe_max_percent": "21.50",
    "source_location": "EQE, peak: Fig. 2",
    "rankable": "true",
}


def test_a_lab_row_survives_reopening_with_its_text(library_url):
    with Library(library_url) as library:
        row_id = library.add_literature_row(PAPER)
    with Library(library_url) as reopened:  # a restart: a new engine, new pool
        (stored,) = reopened.list_literature_rows()
        typed = reopened.literature_rows_table()
    assert (stored.id, stored.record_id, stored.owner) == (
        row_id,
        PAPER["record_id"],
        "local",
    )
    assert stored.cells["eqe_max_percent"] == "21.50"
    assert stored.visibility == "private"
    assert list(typed["origin"]) == ["lab"]
    assert int(typed["eqe_max_percent_decimals"].iloc[0]) == 2


def test_a_refused_row_writes_nothing(library):
    before = library.table_counts()
    with pytest.raises(InputError, match="'eqe_max_percent' expected a number"):
        library.add_literature_rows([PAPER | {"record_id": "ok-1"},
                                     PAPER | {"record_id": "bad-2",
                                              "eqe_max_percent": "lots"}])  # fmt: skip
    assert library.table_counts() == before
    with pytest.raises(InputError, match="already an id of the curated table"):
        library.add_literature_row(PAPER | {"record_id": "ren2024acsml-treated"})
    library.add_literature_row(PAPER)
    with pytest.raises(InputError, match="already used by a lab row"):
        library.add_literature_row(PAPER)
    with pytest.raises(InputError, match="Visibility: expected one of"):
        library.add_literature_row(PAPER | {"record_id": "v-1"}, visibility="all")
    assert library.table_counts()["literature_rows"] == 1


def test_private_rows_are_the_owners_and_only_the_owner_deletes(library):
    private = library.add_literature_row(PAPER | {"record_id": "a-private"}, ALICE)
    shared = library.add_literature_row(
        PAPER | {"record_id": "a-shared"}, ALICE, visibility="lab"
    )
    assert [r.record_id for r in library.list_literature_rows(ALICE)] == [
        "a-private",
        "a-shared",
    ]
    assert [r.record_id for r in library.list_literature_rows(BOB)] == ["a-shared"]
    with pytest.raises(InputError, match=f"no lab row {private}"):
        library.delete_literature_row(private, BOB)
    with pytest.raises(PermissionDenied, match="only its owner can delete it"):
        library.delete_literature_row(shared, BOB)
    library.delete_literature_row(shared, ALICE)
    assert [r.record_id for r in library.list_literature_rows(BOB)] == []
    assert library.list_literature_rows(LOCAL_USER) == []


def test_the_export_is_the_curated_header_with_the_rows_as_typed(library):
    first = library.add_literature_row(PAPER)
    library.add_literature_row(
        {"record_id": "ours-a1", "eqe_max_percent": "19.0", "source_location": "us"}
    )
    rows = list(csv.DictReader(io.StringIO(library.export_literature_rows())))
    assert list(rows[0]) == list(literature.load_schema()["column"])
    assert [(r["record_id"], r["eqe_max_percent"]) for r in rows] == [
        ("doe2025jot-best", "21.50"),
        ("ours-a1", "19.0"),
    ]
    only = library.export_literature_rows(ids=[first])
    assert len(only.splitlines()) == 2
    with pytest.raises(InputError, match="no lab row 99"):
        library.export_literature_rows(ids=[99])


def test_csv_rows_are_added_all_or_none_with_their_lines(library, tmp_path):
    data = b"record_id,eqe_max_percent,source_location\nu-1,20,Fig. 1\nu-2,20,\n"
    frame, lines = literature.read_lab_frame(data, "upload.csv")
    with pytest.raises(InputError, match=r"upload\.csv, line 3, record 'u-2'"):
        library.add_literature_rows(frame, source="upload.csv", line_numbers=lines)
    assert library.list_literature_rows() == []
