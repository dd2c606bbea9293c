"""
Citation, id, lead and spectral-stability rules of the curated literature table.

Checks ``literature/pure_red_peleds.csv``, ``literature/leads.csv`` and
``literature/id_changes.csv`` against the rules written in
``literature/README.md``, reading the files with :mod:`csv` (independently of
:mod:`core.literature`). Every rule is a function returning the problems it
finds; each is run on the real files (no problem expected) and on a row that
breaks it (the problem must be found), so no rule can pass vacuously.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from core import literature

ROOT = Path(__file__).resolve().parents[2]
LIT = ROOT / "literature"
TABLE_PATH = LIT / "pure_red_peleds.csv"
LEADS_PATH = LIT / "leads.csv"
CHANGES_PATH = LIT / "id_changes.csv"
README_PATH = LIT / "README.md"

CITATION = ("first_author", "year", "journal", "doi")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
SHIFT_DETAILS = (
    "el_shift_qualifier",
    "el_shift_direction",
    "el_shift_kind",
    "el_shift_condition",
    "el_shift_location",
)

#: Every record id of the second-pass table (commit cfe8af9) plus the id it
#: replaced (anon2024angew-pbclx): ids users may have saved. Each must still
#: resolve, in the table or through id_changes.csv.
RELEASED_IDS = (
    "ren2024acsml-treated ren2024acsml-control hassan2021nature chiba2018natphoton "
    "xie2023afm wang2021angew anon2024natcommun-628nm lyu2024acsel "
    "anon2024nanolett-rec2020 anon2025nature-intragrain li2024nml "
    "anon2024nature-longrange anon-nd-auger-trap-639nm feng2024angew "
    "duan-nd-biligand yang2024cej ye2024adom shen2024adom anon-nd-eto-quasi2d "
    "liu2026lsa anon2020sciadv-pea2sni4 anon-nd-cs4pbi6-zn kim2022cej "
    "zhang2023advmater anon-nd-nanolett-2c03062 liu2025lsa pan2018jacs "
    "anon2020nanoscale-ammonium-acetate anon-nd-gai-cspbi3-qd anon-nd-mg-cspbi3-nc "
    "gangishetty2019acsphotonics-red anon2020natcommun-gamma-cspbi3 "
    "miao2021advmater kwon2022sciadv-red anon2024angew-pbclx"
).split()


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def table() -> list[dict[str, str]]:
    return _read(TABLE_PATH)[1]


@pytest.fixture(scope="module")
def leads() -> list[dict[str, str]]:
    return _read(LEADS_PATH)[1]


@pytest.fixture(scope="module")
def changes() -> list[dict[str, str]]:
    return _read(CHANGES_PATH)[1]


@pytest.fixture(scope="module")
def schema() -> list[dict[str, str]]:
    return _read(LIT / "schema.csv")[1]


def _readme_block(marker: str) -> list[list[str]]:
    """Cells of the Markdown table between ``<!-- marker -->`` and its end."""
    text = README_PATH.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker}[^>]*-->\n(.*?)<!-- end {marker} -->", text, re.S)
    assert match, f"README.md has no '{marker}' block"
    lines = [line for line in match.group(1).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


@pytest.fixture(scope="module")
def journal_shorts() -> dict[str, str]:
    return {journal: short for journal, short in _readme_block("journal short forms")}


def _good(row: dict[str, str], **changes: str) -> dict[str, str]:
    return {**row, **changes}


# --------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------


def citation_problems(rows):
    return [
        f"{row['record_id']}: {column} is empty"
        for row in rows
        for column in CITATION
        if not row[column].strip()
    ]


def doi_problems(rows):
    """DOIs match the pattern; one DOI is one paper (same citation and title)."""
    problems, papers = [], {}
    for row in rows:
        if not DOI.match(row["doi"]):
            problems.append(f"{row['record_id']}: DOI {row['doi']!r} malformed")
        papers.setdefault(row["doi"].lower(), []).append(row)
    for doi, group in papers.items():
        citations = {
            (r["first_author"], r["year"], r["journal"], r["title"]) for r in group
        }
        if len(citations) > 1:
            problems.append(
                f"DOI {doi} is used by different papers: {sorted(citations)}"
            )
    return problems


def author_slug(name: str) -> str:
    """'De Bastiani' -> 'debastiani', 'Müller' -> 'muller'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def record_id_problems(rows, shorts):
    """Ids are <author><year><journal short>[-suffix], unique; shared DOIs suffixed."""
    problems, seen, by_doi = [], set(), {}
    for row in rows:
        rid = row["record_id"]
        if rid in seen:
            problems.append(f"{rid}: record id used twice")
        seen.add(rid)
        short = shorts.get(row["journal"])
        if short is None:
            problems.append(
                f"{rid}: journal {row['journal']!r} has no short form in README"
            )
            continue
        stem = f"{author_slug(row['first_author'])}{row['year']}{short}"
        if not re.fullmatch(rf"{re.escape(stem)}(-[a-z0-9]+)*", rid):
            problems.append(f"{rid}: expected {stem} or {stem}-<suffix>")
        by_doi.setdefault(row["doi"].lower(), []).append(rid)
    for doi, ids in by_doi.items():
        if len(ids) > 1 and not all("-" in rid for rid in ids):
            problems.append(f"DOI {doi} gives several rows; all need a suffix: {ids}")
    return problems


def spectral_class_problems(rows):
    problems = []
    for row in rows:
        if row["el_peak_nm"] == "":
            expected = ""
        else:
            peak = float(row["el_peak_nm"])
            expected = (
                "pure-red"
                if 620 <= peak < 650
                else "deep-red"
                if 650 <= peak <= 690
                else "other"
            )
        if row["spectral_class"] != expected:
            problems.append(
                f"{row['record_id']}: spectral_class should be {expected!r}"
            )
    return problems


def sourcing_problems(rows, float_columns):
    """Every numeric value is named in verified_fields and the row says where."""
    problems = []
    for row in rows:
        named = {
            token.strip().split(" ")[0]
            for token in row["verified_fields"].split(";")
            if token.strip()
        }
        if not row["source_location"].strip():
            problems.append(f"{row['record_id']}: empty source_location")
        for column in float_columns:
            if row[column] and column not in named:
                problems.append(f"{row['record_id']}: {column} not in verified_fields")
    return problems


def shift_problems(rows):
    """A shift value comes with kind, condition, location (and direction if > 0)."""
    problems = []
    for row in rows:
        rid = row["record_id"]
        if row["el_shift_nm"] == "":
            filled = [c for c in SHIFT_DETAILS if row[c]]
            if filled:
                problems.append(f"{rid}: {filled} given without el_shift_nm")
            continue
        for column in ("el_shift_kind", "el_shift_condition", "el_shift_location"):
            if not row[column].strip():
                problems.append(f"{rid}: el_shift_nm given without {column}")
        if float(row["el_shift_nm"]) > 0 and not row["el_shift_direction"]:
            problems.append(f"{rid}: non-zero el_shift_nm without el_shift_direction")
    return problems


# --------------------------------------------------------------------------
# The rules on the real files
# --------------------------------------------------------------------------


def test_table_validates_and_citation_columns_are_required(schema):
    required = {row["column"] for row in schema if row["required"] == "true"}
    assert set(CITATION) <= required
    assert len(literature.load_table()) == len(_read(TABLE_PATH)[1])


def test_no_row_without_citation(table):
    assert citation_problems(table) == []


def test_dois_well_formed_and_one_per_paper(table):
    assert doi_problems(table) == []


def test_record_ids_follow_the_scheme(table, journal_shorts):
    assert record_id_problems(table, journal_shorts) == []


def test_journal_short_forms_are_one_to_one(journal_shorts):
    shorts = list(journal_shorts.values())
    assert len(shorts) == len(set(shorts))
    assert all(re.fullmatch(r"[a-z]+", short) for short in shorts)


def test_spectral_class_follows_el_peak(table, leads):
    assert spectral_class_problems(table + leads) == []


def test_every_numeric_value_is_sourced(table, leads, schema):
    floats = [row["column"] for row in schema if row["type"] == "float"]
    assert sourcing_problems(table + leads, floats) == []


def test_spectral_shift_columns_consistent(table, leads):
    assert shift_problems(table + leads) == []


def test_leads_have_the_table_columns_plus_missing(leads):
    table_header = _read(TABLE_PATH)[0]
    assert _read(LEADS_PATH)[0] == table_header + ["missing"]


def test_every_lead_says_what_is_missing(leads, table):
    table_ids = {row["record_id"] for row in table}
    for row in leads:
        rid = row["record_id"]
        lacking = [column for column in CITATION if not row[column].strip()]
        assert lacking, f"{rid} is citable: it belongs in the table"
        assert all(column in row["missing"] for column in lacking), rid
        assert "Searched" in row["missing"], f"{rid}: say what was searched"
        assert row["rankable"] == "false", rid
        assert rid not in table_ids, rid
    assert len({row["record_id"] for row in leads}) == len(leads)


def test_leads_obey_the_codebook_except_citation():
    schema = literature.load_schema()
    relaxed = schema.assign(
        required=schema["required"].where(~schema["column"].isin(CITATION), "false")
    )
    frame, lines = literature.read_csv_rows(
        LEADS_PATH.read_text(encoding="utf-8"), LEADS_PATH.name
    )
    typed = literature.validate_table(
        frame.drop(columns="missing"),
        relaxed,
        source=LEADS_PATH.name,
        line_numbers=lines,
    )
    assert len(typed) == len(frame)


def test_id_changes_resolve_every_released_id(table, leads, changes):
    assert _read(CHANGES_PATH)[0] == ["old_id", "new_id", "reason"]
    table_ids = {row["record_id"] for row in table}
    lead_ids = {row["record_id"] for row in leads}
    mapped = {row["old_id"]: row for row in changes}
    for old in RELEASED_IDS:
        if old in table_ids:
            assert old not in mapped, f"{old} is still in the table"
            continue
        assert old in mapped, f"{old} left the table without an id_changes.csv entry"
    for row in changes:
        new = row["new_id"]
        assert new in table_ids or new in lead_ids, f"{new} exists nowhere"
        if new in lead_ids:
            assert "leads.csv" in row["reason"], row
        assert row["reason"].strip(), row


def test_readme_counts_match_the_table(table, leads):
    def count(predicate):
        return sum(1 for row in table if predicate(row))

    expected = {
        "total rows": len(table),
        "rankable": count(lambda r: r["rankable"] == "true"),
        "with T50 and its L0": count(
            lambda r: r["t50_h"] and r["t50_initial_luminance_cd_m2"]
        ),
        "with a spectral-stability value (`el_shift_nm`)": count(
            lambda r: r["el_shift_nm"]
        ),
        "with a spectral-stability statement (`spectral_stability_note`)": count(
            lambda r: r["spectral_stability_note"]
        ),
        "with CIE x, y": count(lambda r: r["cie_x"] and r["cie_y"]),
        "with FWHM": count(lambda r: r["el_fwhm_nm"]),
        "with EL peak": count(lambda r: r["el_peak_nm"]),
        "leads (`leads.csv`)": len(leads),
    }
    stated = {label: int(now) for label, _before, now in _readme_block("counts")}
    assert stated == expected


# --------------------------------------------------------------------------
# Each rule finds a broken row
# --------------------------------------------------------------------------


def test_rules_catch_broken_rows(table, journal_shorts):
    seed = next(row for row in table if row["record_id"] == "ren2024acsml-treated")
    assert citation_problems([_good(seed, doi="")])
    assert doi_problems([_good(seed, doi="https://doi.org/10.1021/x")])
    assert doi_problems([seed, _good(seed, record_id="x", first_author="Other")])
    assert record_id_problems(
        [_good(seed, record_id="ren2023acsml-treated")], journal_shorts
    )
    assert record_id_problems([_good(seed, journal="Unknown Journal")], journal_shorts)
    assert record_id_problems(
        [
            _good(seed, record_id="ren2024acsml"),
            _good(seed, record_id="ren2024acsml-b"),
        ],
        journal_shorts,
    )
    assert spectral_class_problems([_good(seed, el_peak_nm="655")])
    assert sourcing_problems(
        [_good(seed, cie_x="0.7", verified_fields="eqe_max_percent")], ["cie_x"]
    )
    assert shift_problems([_good(seed, el_shift_nm="2", el_shift_kind="bias")])
    assert shift_problems([_good(seed, el_shift_condition="bias 3-7 V")])
    complete = dict(
        el_shift_kind="bias",
        el_shift_condition="bias 3-7 V",
        el_shift_location="abstract",
    )
    assert shift_problems([_good(seed, el_shift_nm="2", **complete)])  # no direction
    assert not shift_problems([_good(seed, el_shift_nm="0", **complete)])
    assert not shift_problems(
        [_good(seed, el_shift_nm="2", el_shift_direction="red", **complete)]
    )


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ren", "ren"),
        ("De Bastiani", "debastiani"),
        ("Müller", "muller"),
        ("O'Brien", "obrien"),
    ],
)
def test_author_slug(name, slug):
    assert author_slug(name) == slug


def test_user_rows_need_no_citation():
    """A user's own device has no DOI: merge_user_rows must not require one."""
    table = literature.load_table()
    merged = literature.merge_user_rows(
        table, b"record_id,eqe_max_percent\nmine-1,18.5\n", "mine.csv"
    )
    user = merged.iloc[-1]
    assert user["origin"] == "user" and user["doi"] == "" and user["first_author"] == ""
