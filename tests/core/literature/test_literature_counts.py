"""core/literature/counts.py: row counts and what each comparison rests on,
counted independently from the CSV text with :mod:`csv`."""

from __future__ import annotations

import re

from literature_support import ROOT

from core import literature


def test_row_counts_match_the_csv_and_the_readme(table, raw_rows):
    counts = literature.row_counts(table)
    assert counts["total"] == len(raw_rows)
    assert counts["rankable"] == sum(r["rankable"] == "true" for r in raw_rows)
    assert counts["with_t50_and_l0"] == sum(
        bool(r["t50_h"] and r["t50_initial_luminance_cd_m2"]) for r in raw_rows
    )
    assert counts["with_el_shift"] == sum(bool(r["el_shift_nm"]) for r in raw_rows)
    assert counts["with_stability_note"] == sum(
        bool(r["spectral_stability_note"].strip()) for r in raw_rows
    )
    assert (counts["curated"], counts["lab"], counts["user"]) == (len(raw_rows), 0, 0)
    readme = (ROOT / "literature" / "README.md").read_text(encoding="utf-8")
    stated = re.search(
        r"\*\*(\d+) rows in total, (\d+) rankable, (\d+) with a T50\s+and its L0, "
        r"(\d+) with a spectral-stability value\*\*",
        readme,
    )
    assert stated is not None
    assert [int(v) for v in stated.groups()] == [
        counts["total"],
        counts["rankable"],
        counts["with_t50_and_l0"],
        counts["with_el_shift"],
    ]


def test_each_metric_rests_on_the_rows_with_a_value(table, raw_rows):
    counts = literature.metric_counts(table).set_index("metric")
    eqe = [r for r in raw_rows if r["eqe_max_percent"]]
    assert counts.loc["eqe_max_percent", "n_rows"] == len(eqe)
    assert counts.loc["eqe_max_percent", "n_rankable"] == sum(
        r["rankable"] == "true" for r in eqe
    )
    cie = [r for r in raw_rows if r["cie_x"] and r["cie_y"]]
    assert counts.loc["cie", "n_rows"] == len(cie)
    assert counts.loc["cie", "too_few_to_rank"]  # 1 rankable row < 5
    assert not counts.loc["el_shift_nm", "too_few_to_rank"]  # never ranked
    t50 = counts.loc["t50_ref_h"]
    assert t50["n_rows"] == sum(
        bool(r["t50_h"] and r["t50_initial_luminance_cd_m2"]) for r in raw_rows
    )
    assert t50["kinds"] == "2 measured, 1 normalised"
    assert t50["text"] == (
        "T50 at the reference luminance: rests on 3 rows (2 rankable; 2 measured, "
        "1 normalised): too few to rank (fewer than 5 rankable rows)."
    )


def test_lab_rows_are_counted_as_lab(table):
    lab, _ = literature.validate_lab_rows(
        [{"record_id": "ours-1", "eqe_max_percent": "20", "source_location": "us"}]
    )
    both = literature.with_lab_rows(table, lab)
    assert literature.row_counts(both)["lab"] == 1
    counts = literature.metric_counts(both).set_index("metric")
    assert counts.loc["eqe_max_percent", "n_lab"] == 1
    assert ", 1 lab)" in counts.loc["eqe_max_percent", "text"]
