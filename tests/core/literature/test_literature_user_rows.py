"""Tests for core/literature/user_rows.py: a user's own rows and their messages."""

from __future__ import annotations

import pytest

from core import literature
from core.errors import InputError


def test_merge_user_rows(table):
    data = b"record_id,el_peak_nm,eqe_max_percent\nmine-1,632,18.5\n"
    merged = literature.merge_user_rows(table, data, "mine.csv")
    assert len(merged) == len(table) + 1
    user = merged.iloc[-1]
    assert user["origin"] == "user"
    assert user["eqe_max_percent"] == 18.5
    assert user["device_role"] == "other" and not user["rankable"]
    assert user["verified_from"] == "user file mine.csv"
    assert len(table) == len(literature.load_table())  # input not mutated


def test_malformed_user_table_names_row_and_column(table):
    data = b"record_id,el_peak_nm,eqe_max_percent\nmine-1,632,18.5\nmine-2,abc,12\n"
    with pytest.raises(InputError) as error:
        literature.merge_user_rows(table, data, "mine.csv")
    assert str(error.value) == (
        "mine.csv, line 3, record 'mine-2': column 'el_peak_nm' expected a number "
        "between 550 and 750 [nm], found 'abc'."
    )
    assert (error.value.line, error.value.column) == (3, "el_peak_nm")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "mine.csv is empty: expected a CSV table with a header line."),
        (
            b"record_id,eqe_max_percent\nmine-1,300\n",
            (
                "mine.csv, line 2, record 'mine-1': column 'eqe_max_percent' expected "
                "a number between 0 and 100 [%], found '300'."
            ),
        ),
        (
            b"record_id,doi\nmine-1,https://doi.org/10.1/x\n",
            (
                "mine.csv, line 2, record 'mine-1': column 'doi' expected a DOI "
                "such as 10.1021/acsmaterialslett.4c00912 (no https:// prefix), found "
                "'https://doi.org/10.1/x'."
            ),
        ),
        (
            b"record_id,device_role\nmine-1,best\n",
            (
                "mine.csv, line 2, record 'mine-1': column 'device_role' expected "
                "one of 'champion', 'control', 'other', found 'best'."
            ),
        ),
        (
            b"record_id,eqe_max_percent\nmine-1,3\nmine-1,4\n",
            (
                "mine.csv, line 3, record 'mine-1': column 'record_id' must be unique, "
                "but 'mine-1' is already used on line 2."
            ),
        ),
        (
            b"record_id,eqe_max_percent\nren2024acsml-treated,3\n",
            (
                "mine.csv, line 2, record 'ren2024acsml-treated': column 'record_id' "
                "must differ from the curated table's ids, but it is already used "
                "there; rename it (e.g. add '-mine')."
            ),
        ),
        (
            b"eqe_max_percent\n3\n",
            "mine.csv: the required column 'record_id' is missing from the header.",
        ),
        (b"record_id\n", "mine.csv has a header but no data rows."),
        (
            b"record_id,year\nmine-1,2024.5\n",
            (
                "mine.csv, line 2, record 'mine-1': column 'year' expected a whole "
                "number between 2010 and 2030, found '2024.5'."
            ),
        ),
        (
            b"record_id,eqe_max_percent\nmine-1,nan\n",
            (
                "mine.csv, line 2, record 'mine-1': column 'eqe_max_percent' "
                "expected a number between 0 and 100 [%], found 'nan'."
            ),
        ),
        (
            b"\x00\x01binary",
            "mine.csv looks like a binary file; expected a CSV text table.",
        ),
        (
            b"record_id;eqe_max_percent\nmine-1;3\n",
            (
                "mine.csv, line 1: the header is separated by semicolons; expected a "
                "comma-separated (CSV) table."
            ),
        ),
        (
            b"record_id,eqe\nmine-1,3\n",
            (
                "mine.csv: column 'eqe' is not in the literature schema; expected only "
                "these columns: record_id, first_author"
            ),
        ),
    ],
)
def test_bad_user_tables(table, data, message):
    with pytest.raises(InputError) as error:
        literature.merge_user_rows(table, data, "mine.csv")
    assert str(error.value).startswith(message)


def test_non_utf8_user_table(table):
    with pytest.raises(InputError, match=r"mine.csv is not UTF-8 text \(byte 11\)"):
        literature.merge_user_rows(table, b"record_id\nx\xff\xfe\xfa\xfb\n", "mine.csv")
