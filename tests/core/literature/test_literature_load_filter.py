"""Tests for core/literature/table.py: loading the curated table (the seed
device's published values), its filters and the Literature page's tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from literature_support import T50_DECIMALS_ATOL, row_of

from core import literature
from core.errors import InputError


def test_load_table_types(table, raw_rows):
    assert len(table) == len(raw_rows) >= 15
    assert table["eqe_max_percent"].dtype == float
    assert table["year"].dtype == "Int64"
    assert table["rankable"].dtype == bool
    assert table["lead_free"].dtype == bool
    assert set(table["origin"]) == {"curated"}


def test_seed_device_values(table):
    row = row_of(table, "ren2024acsml-treated")
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
    row = row_of(table, "ren2024acsml-control")
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


def test_missing_table_file(tmp_path):
    with pytest.raises(InputError, match="was not found"):
        literature.load_table(tmp_path / "nope.csv")


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


def test_filter_years_keeps_the_window_and_optionally_undated_rows():
    frame = pd.DataFrame({"year": [2019, 2021, np.nan, 2024], "id": list("abcd")})
    assert list(literature.filter_years(frame, 2020, 2024).id) == ["b", "c", "d"]
    dated = literature.filter_years(frame, 2019, 2021, keep_undated=False)
    assert list(dated.id) == ["a", "b"]
    assert list(dated.index) == [0, 1]


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


def test_the_shown_table_never_writes_a_bound_as_a_value(table):
    rows = pd.concat(
        [
            table.head(2),
            table.head(1).assign(
                record_id="bound", t50_h=15.0, t50_qualifier=">",
                t50_initial_luminance_cd_m2=20.0,
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    display = literature.table_with_t50_and_links(
        rows, literature.normalised_t50_h(rows, 100.0, 1.8)
    )
    bound = display.loc[display["record_id"] == "bound"].iloc[0]
    assert bound["t50_h"] == "> 15"
    assert bound["t50_ref_shown"] == f"> {15 * 0.2**1.8:.5g}"
    assert pd.isna(bound["t50_ref_h"])  # the value column holds no bound
    seed = display.loc[display["record_id"] == "ren2024acsml-treated"].iloc[0]
    assert (seed["t50_h"], seed["t50_ref_shown"]) == ("8.1667", "8.1667")
    assert not [c for c in display.columns if c.endswith("_decimals")]
