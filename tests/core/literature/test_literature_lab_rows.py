"""core/literature/lab_rows.py: a lab row is checked by the table's codebook,
an unpublished one needs no DOI, a rankable one must be rankable by the
curated rule, and the export has the curated table's header exactly."""

from __future__ import annotations

import csv
import io

import pytest
from literature_support import TABLE_PATH

from core import literature
from core.errors import InputError

PAPER = {
    "record_id": "doe2025jot-best",
    "first_author": "Doe",
    "year": "2025",
    "journal": "Journal of Tests",
    "doi": "10.9999/jot.2025.1",
    "device_role": "champion",
    "el_peak_nm": "632",
    "eqe_max_percent": "21.50",
    "t50_h": "12.0",
    "t50_initial_luminance_cd_m2": "500",
    "source_location": "EQE, peak: Fig. 2; T50: Fig. 4",
    "rankable": "true",
}


def test_a_cited_row_is_typed_marked_lab_and_keeps_its_decimals():
    typed, cells = literature.validate_lab_rows([PAPER])
    row = typed.iloc[0]
    assert row["origin"] == literature.LAB_ORIGIN == "lab"
    assert (row["eqe_max_percent"], row["eqe_max_percent_decimals"]) == (21.5, 2)
    assert bool(row["rankable"])
    assert row["year"] == 2025
    # Stored as typed, defaults filled in, the DOI as where it was read.
    assert cells[0]["eqe_max_percent"] == "21.50"
    assert cells[0]["verified_from"] == "https://doi.org/10.9999/jot.2025.1"
    assert cells[0]["emitter_class"] == "other"


def test_an_unpublished_device_needs_no_citation():
    typed, cells = literature.validate_lab_rows(
        [{"record_id": "ours-a1", "eqe_max_percent": 20.0, "source_location": "us"}]
    )
    assert typed.iloc[0]["doi"] == "" and not typed.iloc[0]["rankable"]
    assert cells[0]["verified_from"] == "lab row (unpublished device)"
    assert cells[0]["eqe_max_percent"] == "20.0"  # a float is written as repr


def test_where_each_value_was_read_is_required():
    with pytest.raises(InputError) as info:
        literature.validate_lab_rows([{"record_id": "x1", "el_peak_nm": "630"}])
    assert str(info.value) == (
        "the form, line 1, record 'x1': column 'source_location' is required but "
        "empty; expected text."
    )


def test_a_bad_value_is_named_by_record_line_and_column():
    with pytest.raises(InputError) as info:
        literature.validate_lab_rows([PAPER | {"eqe_max_percent": "26 %"}])
    assert info.value.column == "eqe_max_percent"
    assert "found '26 %'" in str(info.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"doi": ""}, "without doi"),
        ({"device_role": "control"}, "device_role is 'control'"),
        ({"lead_free": "true"}, "lead-free"),
        ({"el_peak_nm": ""}, "without el_peak_nm"),
    ],
)
def test_rankable_means_rankable_by_the_curated_rule(change, problem):
    with pytest.raises(InputError, match=problem) as info:
        literature.validate_lab_rows([PAPER | change])
    assert info.value.column == "rankable"


def test_an_unknown_column_is_refused():
    with pytest.raises(InputError, match="column 'eqe' is not in the literature"):
        literature.validate_lab_rows([PAPER | {"eqe": "2"}])


def test_the_export_has_the_curated_header_and_reads_back_as_curated():
    _, cells = literature.validate_lab_rows([PAPER])
    text = literature.lab_rows_csv(cells)
    with TABLE_PATH.open(newline="", encoding="utf-8") as handle:
        curated_header = next(csv.reader(handle))
    assert next(csv.reader(io.StringIO(text))) == curated_header
    # A cited lab row passes the curated table's own (unrelaxed) codebook.
    frame, lines = literature.read_csv_rows(text, "lab_rows.csv")
    typed = literature.validate_table(frame, literature.load_schema(), "x", lines)
    assert typed.iloc[0]["eqe_max_percent"] == 21.5


def test_a_csv_upload_is_read_line_by_line():
    data = (
        b"record_id,eqe_max_percent,source_location\nok-1,20,Fig. 1\nbad-2,x,Fig. 2\n"
    )
    with pytest.raises(InputError, match=r"lab\.csv, line 3, record 'bad-2'"):
        literature.read_lab_csv(data, "lab.csv")
    with pytest.raises(InputError, match="not UTF-8"):
        literature.read_lab_csv(b"record_id\n\xff\xfe\n", "lab.csv")


def test_lab_rows_follow_the_curated_table_and_never_take_its_ids(table):
    typed, _ = literature.validate_lab_rows([PAPER])
    both = literature.with_lab_rows(table, typed)
    assert list(both["origin"]) == ["curated"] * len(table) + ["lab"]
    clash, _ = literature.validate_lab_rows(
        [PAPER | {"record_id": "ren2024acsml-treated"}]
    )
    with pytest.raises(InputError, match="also in the curated table"):
        literature.with_lab_rows(table, clash)
