"""Tests for core/literature/schema.py: the codebook, the curated table checked
against it independently of the code, and validate_table's messages."""

from __future__ import annotations

import csv
import math
import re

import pandas as pd
import pytest
from literature_support import TABLE_PATH

from core import literature
from core.errors import InputError


def test_schema_header_is_the_codebook():
    schema = literature.load_schema()
    assert list(schema.columns) == [
        "column",
        "type",
        "unit",
        "required",
        "allowed",
        "description",
    ]
    assert set(schema["type"]) <= {"string", "integer", "float", "enum", "doi"}
    assert set(schema["required"]) <= {"true", "false"}
    assert schema["description"].str.len().min() > 10


def test_table_header_matches_schema_order(schema_rows):
    with TABLE_PATH.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == [row["column"] for row in schema_rows]


def test_units_are_in_the_column_names(schema_rows):
    suffix = {"nm": "_nm", "%": "_percent", "cd/m2": "_cd_m2", "V": "_v", "h": "_h"}
    suffix["mA/cm2"] = "_ma_cm2"
    for row in schema_rows:
        if row["unit"]:
            assert row["column"].endswith(suffix[row["unit"]]), row["column"]


def test_every_row_obeys_the_schema(raw_rows, schema_rows):
    doi = re.compile(r"^10\.\d{4,9}/\S+$")
    for line, row in enumerate(raw_rows, start=2):
        for spec in schema_rows:
            value = row[spec["column"]]
            where = f"line {line} {row['record_id']} {spec['column']}={value!r}"
            if value == "":
                assert spec["required"] == "false", where
                continue
            kind, allowed = spec["type"], spec["allowed"]
            if kind == "enum":
                assert value in allowed.split("|"), where
            elif kind == "doi":
                assert doi.match(value), where
            elif kind in {"integer", "float"}:
                number = float(value)
                assert math.isfinite(number), where
                if kind == "integer":
                    assert number == int(number), where
                if allowed:
                    low, high = (float(v) for v in allowed.split(".."))
                    assert low <= number <= high, where


def test_record_ids_unique_and_well_formed(raw_rows):
    ids = [row["record_id"] for row in raw_rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", i) for i in ids)


def test_every_row_names_its_source(raw_rows):
    for row in raw_rows:
        assert row["source_location"].strip(), row["record_id"]
        assert row["verified_from"].strip(), row["record_id"]


def test_spectral_class_follows_el_peak(raw_rows):
    for row in raw_rows:
        if row["el_peak_nm"] == "":
            assert row["spectral_class"] == "", row["record_id"]
            continue
        peak = float(row["el_peak_nm"])
        expected = (
            "pure-red"
            if 620 <= peak < 650
            else "deep-red"
            if 650 <= peak <= 690
            else "other"
        )
        assert row["spectral_class"] == expected, row["record_id"]


def test_rankable_rules(raw_rows):
    for row in raw_rows:
        if row["rankable"] != "true":
            assert row["flags"].strip(), f"{row['record_id']}: say why not ranked"
            continue
        assert row["device_role"] == "champion", row["record_id"]
        assert row["lead_free"] == "false", row["record_id"]
        assert row["el_peak_nm"] and row["eqe_max_percent"], row["record_id"]


def test_lifetime_fields_are_consistent(raw_rows):
    for row in raw_rows:
        if row["t50_h"] == "":
            for column in ("t50_qualifier", "t50_kind", "t50_initial_luminance_cd_m2"):
                assert row[column] == "", (row["record_id"], column)


def test_validate_table_reports_curated_line(raw_rows):
    frame = pd.DataFrame(raw_rows, dtype=object)
    frame.loc[4, "cie_x"] = "0,70"
    with pytest.raises(InputError) as error:
        literature.validate_table(frame, literature.load_schema())
    record = frame.loc[4, "record_id"]
    assert str(error.value) == (
        f"pure_red_peleds.csv, line 6, record {record!r}: column 'cie_x' expected a "
        "number between 0 and 0.8, found '0,70'."
    )
