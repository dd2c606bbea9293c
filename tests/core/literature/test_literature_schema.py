"""Tests for core/literature.py and the curated table literature/pure_red_peleds.csv."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import literature
from core.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
TABLE_PATH = ROOT / "literature" / "pure_red_peleds.csv"
SCHEMA_PATH = ROOT / "literature" / "schema.csv"

#: Tolerance for values typed into the CSV with 4 decimals (490/60 -> 8.1667).
T50_DECIMALS_ATOL = 1e-4
#: Tolerance for closed-form lifetime conversions (pure float arithmetic).
RTOL = 1e-12


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return literature.load_table()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    with TABLE_PATH.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def schema_rows() -> list[dict[str, str]]:
    with SCHEMA_PATH.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------
# The curated table against its codebook, checked independently of the code
# --------------------------------------------------------------------------


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


def test_load_table_types(table, raw_rows):
    assert len(table) == len(raw_rows) >= 15
    assert table["eqe_max_percent"].dtype == float
    assert table["year"].dtype == "Int64"
    assert table["rankable"].dtype == bool
    assert table["lead_free"].dtype == bool
    assert set(table["origin"]) == {"curated"}


# --------------------------------------------------------------------------
# Required values: the seed device (Ren et al. 2024) and its control
# --------------------------------------------------------------------------


def _row(table, record_id):
    rows = table.loc[table["record_id"] == record_id]
    assert len(rows) == 1, record_id
    return rows.iloc[0]


def test_seed_device_values(table):
    row = _row(table, "ren2024acsml-treated")
    assert row["doi"] == "10.1021/acsmaterialslett.4c00912"
    assert row["device_role"] == "champion"
    assert row["rankable"]
    expected = {
        "el_peak_nm": 638,
        "el_fwhm_nm": 32,
        "cie_x": 0.701,
        "cie_y": 0.297,
        "eqe_max_percent": 26.0,
        "luminance_at_eqe_max_cd_m2": 280.8,
        "luminance_max_cd_m2": 18500,
        "turn_on_v": 2.0,
        "t50_initial_luminance_cd_m2": 102,
    }
    for column, value in expected.items():
        assert row[column] == value, column
    assert row["t50_h"] == pytest.approx(490 / 60, abs=T50_DECIMALS_ATOL)


def test_seed_control_values(table):
    row = _row(table, "ren2024acsml-control")
    assert row["doi"] == "10.1021/acsmaterialslett.4c00912"
    assert row["device_role"] == "control"
    assert not row["rankable"]
    expected = {
        "eqe_max_percent": 14.5,
        "luminance_at_eqe_max_cd_m2": 8.7,
        "luminance_max_cd_m2": 5060,
        "turn_on_v": 2.3,
        "t50_initial_luminance_cd_m2": 101,
    }
    for column, value in expected.items():
        assert row[column] == value, column
    assert row["t50_h"] == pytest.approx(43 / 60, abs=T50_DECIMALS_ATOL)


# --------------------------------------------------------------------------
# Lifetime normalisation
# --------------------------------------------------------------------------


def test_normalisation_known_numbers():
    # Closed form T(L_ref) = T(L0) (L0 / L_ref)^n: 1 h at 1000 cd/m² with n = 2
    # is 1 * 10^2 = 100 h at 100 cd/m².
    frame = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [1000.0]})
    result = literature.normalised_t50_h(frame, reference_luminance_cd_m2=100, n=2)
    assert result["t50_ref_h"].iloc[0] == pytest.approx(100.0, rel=RTOL)
    assert result["t50_ref_kind"].iloc[0] == "normalised"


def test_normalisation_closed_form_and_labels():
    frame = pd.DataFrame(
        {
            "t50_h": [2.0, 3.0, 3.0, 5.0, np.nan],
            "t50_initial_luminance_cd_m2": [20.0, 104.0, 106.0, np.nan, 100.0],
        },
        index=["a", "b", "c", "d", "e"],
    )
    result = literature.normalised_t50_h(frame, reference_luminance_cd_m2=100, n=1.8)
    assert list(result.index) == list(frame.index)
    assert result.loc["a", "t50_ref_h"] == pytest.approx(2.0 * 0.2**1.8, rel=RTOL)
    assert result.loc["b", "t50_ref_h"] == 3.0  # within 5 %: taken as measured
    assert result.loc["c", "t50_ref_h"] == pytest.approx(3.0 * 1.06**1.8, rel=RTOL)
    assert math.isnan(result.loc["d", "t50_ref_h"])
    assert math.isnan(result.loc["e", "t50_ref_h"])
    assert result["t50_ref_kind"].tolist() == [
        "normalised",
        "measured",
        "normalised",
        "no-initial-luminance",
        "",
    ]


def test_normalisation_on_the_table_labels_every_t50(table):
    result = literature.normalised_t50_h(table)
    has_t50 = table["t50_h"].notna()
    assert (result.loc[has_t50, "t50_ref_kind"] != "").all()
    seed = table.index[table["record_id"] == "ren2024acsml-treated"][0]
    assert result.loc[seed, "t50_ref_kind"] == "measured"  # 102 is within 5 % of 100


def test_normalisation_rejects_bad_reference():
    frame = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [100.0]})
    with pytest.raises(InputError, match="reference luminance must be a positive"):
        literature.normalised_t50_h(frame, reference_luminance_cd_m2=0)


# --------------------------------------------------------------------------
# Ranking on a hand-made table
# --------------------------------------------------------------------------


@pytest.fixture()
def small_table() -> pd.DataFrame:
    nan = np.nan
    return pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d", "e"],
            "rankable": [True, True, True, True, False],
            "eqe_max_percent": [10.0, 20.0, 30.0, 20.0, 99.0],
            "luminance_max_cd_m2": [1000.0, nan, 5000.0, 3000.0, 1e6],
            "cie_x": [0.708, 0.70, nan, 0.69, 0.708],
            "cie_y": [0.292, 0.30, nan, 0.30, 0.292],
            "t50_h": [1.0, 10.0, nan, 2.0, 1e4],
            "t50_initial_luminance_cd_m2": [1000.0, 100.0, nan, nan, 100.0],
        }
    )


def test_rank_known_ranks_and_percentiles(small_table):
    device = {
        "eqe_max_percent": 20.0,
        "luminance_max_cd_m2": 4000.0,
        "cie_x": 0.70,
        "cie_y": 0.30,
        "t50_h": 20.0,
        "t50_initial_luminance_cd_m2": 100.0,
    }
    result = literature.rank_device(device, small_table, 100, n=2).set_index("metric")
    # EQE: literature 10, 20, 30, 20 (row e not rankable); one strictly better.
    assert result.loc["eqe_max_percent", "rank"] == 2
    assert result.loc["eqe_max_percent", "n_compared"] == 4
    assert result.loc["eqe_max_percent", "percentile"] == pytest.approx(75.0)
    assert result.loc["eqe_max_percent", "best_record_id"] == "c"
    # L max: 1000, 5000, 3000 (b blank); one better (5000).
    assert result.loc["luminance_max_cd_m2", "rank"] == 2
    assert result.loc["luminance_max_cd_m2", "n_compared"] == 3
    assert result.loc["luminance_max_cd_m2", "percentile"] == pytest.approx(200 / 3)
    # T50 at 100: a = 1 h * (1000/100)^2 = 100 h, b = 10 h, d has no L0.
    assert result.loc["t50_ref_h", "n_compared"] == 2
    assert result.loc["t50_ref_h", "rank"] == 2
    assert result.loc["t50_ref_h", "best_value"] == pytest.approx(100.0)
    assert result.loc["t50_ref_h", "percentile"] == pytest.approx(50.0)
    # CIE distance (lower is better): a = 0, b = d(0.70, 0.30), d larger.
    assert result.loc["cie_distance_bt2020_red", "n_compared"] == 3
    assert result.loc["cie_distance_bt2020_red", "rank"] == 2  # ties with b
    assert result.loc["cie_distance_bt2020_red", "value"] == pytest.approx(
        math.hypot(0.008, 0.008)
    )


def test_rank_extremes_and_missing(small_table):
    best = literature.rank_device({"eqe_max_percent": 50.0}, small_table)
    row = best.set_index("metric").loc["eqe_max_percent"]
    assert (row["rank"], row["percentile"]) == (1, 100.0)
    worst = literature.rank_device({"eqe_max_percent": 1.0}, small_table)
    row = worst.set_index("metric").loc["eqe_max_percent"]
    assert (row["rank"], row["percentile"]) == (5, 0.0)
    missing = worst.set_index("metric").loc["luminance_max_cd_m2"]
    assert pd.isna(missing["rank"]) and missing["note"] == "not given"
    assert list(worst["metric"]) == [m.name for m in literature.RANK_METRICS]


def test_rank_rejects_text_metric(small_table):
    with pytest.raises(InputError) as error:
        literature.rank_device({"eqe_max_percent": "high"}, small_table)
    assert str(error.value) == (
        "Device metric 'eqe_max_percent' must be a number, found 'high'."
    )


def test_rank_against_curated_table(table):
    result = literature.rank_device({"eqe_max_percent": 26.0}, table)
    row = result.set_index("metric").loc["eqe_max_percent"]
    assert row["n_compared"] == int(
        (table["rankable"] & table["eqe_max_percent"].notna()).sum()
    )
    assert row["rank"] >= 1


# --------------------------------------------------------------------------
# Filters and citations
# --------------------------------------------------------------------------


def test_filter_table(table):
    pure = literature.filter_table(table, peak_min_nm=620, peak_max_nm=649.9)
    assert pure["el_peak_nm"].between(620, 649.9).all()
    assert (pure["spectral_class"] == "pure-red").all()
    recent = literature.filter_table(table, year_min=2024, year_max=2024)
    assert (recent["year"] == 2024).all() and len(recent) > 0
    qds = literature.filter_table(
        table, emitter_classes=["quantum-dots"], rankable_only=True
    )
    assert (qds["emitter_class"] == "quantum-dots").all() and qds["rankable"].all()
    no_pb_free = literature.filter_table(table, include_lead_free=False)
    assert not no_pb_free["lead_free"].any()
    assert len(literature.filter_table(table)) == len(table)


def test_bibtex_and_citation(table):
    row = _row(table, "ren2024acsml-treated")
    entry = literature.bibtex(row)
    assert entry.startswith("@article{ren2024acsml-treated,")
    assert "  doi = {10.1021/acsmaterialslett.4c00912}," in entry
    assert "  pages = {4115--4123}," in entry
    assert "Exceeding 26\\%" in entry
    assert literature.citation(row).startswith("Ren et al. (2024). Strongly-Confined")
    anonymous = literature.citation({"title": "T"})
    assert anonymous == "Unknown authors (n.d.). T."


# --------------------------------------------------------------------------
# User tables
# --------------------------------------------------------------------------


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


def test_missing_table_file(tmp_path):
    with pytest.raises(InputError, match="was not found"):
        literature.load_table(tmp_path / "nope.csv")


def test_core_literature_does_not_import_streamlit():
    sources = sorted((ROOT / "core" / "literature").glob("*.py"))
    source = "".join(path.read_text(encoding="utf-8") for path in sources)
    assert "streamlit" not in source


# --------------------------------------------------------------------------
# Command line: python -m core literature
# --------------------------------------------------------------------------


def _cli(argv):
    import argparse

    from core.cli import literature as cli_literature

    parser = argparse.ArgumentParser(prog="python -m core")
    cli_literature.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["literature", *argv])
    return args.func(args)


def test_cli_rows_json(capsys, table):
    import json

    assert _cli([]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["rows"]) == len(table)
    control = next(
        r for r in payload["rows"] if r["record_id"] == "ren2024acsml-control"
    )
    assert control["el_peak_nm"] is None  # NaN -> null
    assert control["eqe_max_percent"] == 14.5
    assert control["rankable"] is False


def test_cli_rows_csv(capsys):
    assert _cli(["--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("record_id,first_author,year")


def test_cli_rank(tmp_path, capsys):
    import json

    device = tmp_path / "device.json"
    device.write_text(json.dumps({"eqe_max_percent": 100.0}))
    assert _cli(["--rank", str(device)]) == 0
    payload = json.loads(capsys.readouterr().out)
    eqe = payload["ranking"][0]
    assert (eqe["metric"], eqe["rank"], eqe["percentile"]) == (
        "eqe_max_percent",
        1,
        100.0,
    )
    assert payload["reference_luminance_cd_m2"] == 100.0
    assert "luminance_max_cd_m2: not given" in payload["warnings"]


def test_cli_rank_bad_json(tmp_path, capsys):
    device = tmp_path / "device.json"
    device.write_text('{"eqe_max_percent": 21,}')
    assert _cli(["--rank", str(device)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: device.json, line 1: not valid JSON")


def test_main_cli_dispatches_to_literature(capsys):
    import json

    from core.cli import main

    assert main(["literature"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(rows) == len(literature.load_table()) >= 15


# --------------------------------------------------------------------------
# Tables of the Literature page
# --------------------------------------------------------------------------


def test_filter_years_keeps_the_window_and_optionally_undated_rows():
    frame = pd.DataFrame({"year": [2019, 2021, np.nan, 2024], "id": list("abcd")})
    assert list(literature.filter_years(frame, 2020, 2024).id) == ["b", "c", "d"]
    dated = literature.filter_years(frame, 2019, 2021, keep_undated=False)
    assert list(dated.id) == ["a", "b"]
    assert list(dated.index) == [0, 1]


def test_rank_devices_has_one_row_per_device_and_metric(small_table):
    devices = {
        "mine": {"eqe_max_percent": 20.0, "luminance_max_cd_m2": 4000.0},
        "best": {"eqe_max_percent": 50.0},
    }
    ranks = literature.rank_devices(devices, small_table, 100, n=2)
    assert list(ranks.columns) == ["device", "metric", "rank", "of", "percentile"]
    n_metrics = len(literature.RANK_METRICS)
    assert list(ranks.device) == ["mine"] * n_metrics + ["best"] * n_metrics
    eqe_label = literature.rank_device(devices["mine"], small_table).label.iloc[0]
    mine = ranks[(ranks.device == "mine") & (ranks.metric == eqe_label)].iloc[0]
    # The same numbers as test_rank_known_ranks_and_percentiles: #2 of 4 + 1.
    assert (mine["rank"], mine["of"], mine["percentile"]) == (2, 5, 75.0)
    best = ranks[(ranks.device == "best") & (ranks.metric == eqe_label)].iloc[0]
    assert best["rank"] == 1 and best["percentile"] == 100.0
    assert literature.rank_devices({}, small_table).empty


def test_table_with_t50_and_links_puts_the_doi_link_sixth(table):
    shown = pd.concat([table.head(4), table.head(1).assign(doi="")], ignore_index=True)
    t50 = literature.normalised_t50_h(shown)
    display = literature.table_with_t50_and_links(shown, t50)
    assert list(display.columns).index("doi_link") == 5
    for doi, link in zip(display.doi, display.doi_link, strict=True):
        if doi:
            assert link == f"https://doi.org/{doi}"
        else:
            assert pd.isna(link)
    assert set(t50.columns) < set(display.columns)
    assert len(display) == 5


def test_bibtex_file_holds_one_entry_per_row(table):
    text = literature.bibtex_file(table.head(3))
    assert text.count("@article{") == 3
    assert text.endswith("}\n") and "\n\n@article{" in text
