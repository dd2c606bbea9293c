"""
pages/4_Literature.py with ui/literature.py: lab rows through the form (and
their survival of a restart: a new AppTest on the same PELED_DATABASE_URL,
with Streamlit's resource cache cleared), "fill from DOI" online (recorded
answer) and offline, the SI table and its downloads, and the "rests on n
rows" captions. tests/pages/conftest.py gives each test its own database.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core import literature
from core.library import Library, database_url
from core.tables.labels import column_label

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "4_Literature.py")
RECORDED = (
    Path(__file__).resolve().parents[1]
    / "core" / "literature" / "recorded" / "crossref_ren2024acsml.json"
)  # fmt: skip
TIMEOUT_S = 90


def _page(devices=None) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    if devices is not None:
        app.session_state["peled_devices"] = devices
    return app


def _fill(app: AppTest, values: dict) -> None:
    for key, value in values.items():
        app.text_input(key=key).set_value(value)


def _table_rows(app: AppTest):
    """The literature table as shown (headers labelled: core.tables.column_label)."""
    link, record = column_label("doi_link"), column_label("record_id")
    table = next(frame.value for frame in app.dataframe if link in frame.value.columns)
    return table.rename(columns={record: "record_id"})


def test_a_lab_row_from_the_form_is_marked_lab_and_survives_a_restart():
    app = _page()
    app.run()
    assert not app.exception and not app.error
    _fill(
        app,
        {
            "lab_record_id": "doe2025jot-best",
            "lab_first_author": "Doe",
            "lab_year": "2025",
            "lab_journal": "Journal of Tests",
            "lab_doi": "10.9999/jot.2025.1",
            "lab_eqe_max_percent": "21.50",
            "lab_eqe_max_percent_where": "Fig. 2b",
            "lab_el_peak_nm": "632",
            "lab_el_peak_nm_where": "abstract",
        },
    )
    app.button(key="lab_add").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("Lab row 'doe2025jot-best' added." in s.value for s in app.success)
    table = _table_rows(app)
    row = table.loc[table["record_id"] == "doe2025jot-best"].iloc[0]
    assert row["origin"] == "lab"
    assert table.columns[0] == "origin"
    assert any("1 lab, 0 uploaded" in c.value for c in app.caption)

    st.cache_resource.clear()  # a restart: nothing of the first run is kept
    again = _page()
    again.run()
    assert not again.exception and not again.error
    table = _table_rows(again)
    assert list(table.loc[table["origin"] == "lab", "record_id"]) == ["doe2025jot-best"]
    with Library(database_url()) as library:
        (stored,) = library.list_literature_rows()
    assert stored.cells["source_location"] == "EL peak: abstract; EQE max: Fig. 2b"
    assert stored.cells["eqe_max_percent"] == "21.50"


def test_a_value_without_where_it_was_read_is_refused():
    app = _page()
    app.run()
    _fill(app, {"lab_record_id": "x-1", "lab_eqe_max_percent": "20"})
    app.button(key="lab_add").click().run()
    assert not app.exception
    assert app.error[0].value.startswith(
        "The form, column 'eqe\\_max\\_percent': say where EQE max"
    )


def test_fill_from_doi_uses_crossref_and_says_so_offline(monkeypatch):
    answer = json.loads(RECORDED.read_text())

    def recorded(url, **kw):
        return httpx2.Response(200, json=answer, request=httpx2.Request("GET", url))

    monkeypatch.setattr(httpx2, "get", recorded)
    app = _page()
    app.run()
    app.text_input(key="lab_doi").set_value("doi:10.1021/acsmaterialslett.4c00912")
    app.button(key="lab_fill").click().run()
    assert not app.exception and not app.error
    assert app.text_input(key="lab_first_author").value == "Ren"
    assert app.text_input(key="lab_journal").value == "ACS Materials Letters"
    assert app.text_input(key="lab_volume_pages").value == "6, 4115-4123"
    assert app.text_input(key="lab_record_id").value == "ren2024acsml"

    def offline(url, **kw):
        raise httpx2.ConnectError("no network")

    monkeypatch.setattr(httpx2, "get", offline)
    app.button(key="lab_fill").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Crossref could not be reached (offline?): fill the fields by hand."
    ]


def test_si_table_preview_and_downloads_are_the_core_table():
    from core.demo import demo_devices
    from core.summary import device_summary

    devices = {d.name: d for d in demo_devices()}
    app = _page(devices)
    app.run()
    assert not app.exception and not app.error
    assert app.multiselect(key="si_devices").value == ["Treated (synthetic)"]
    preview = next(
        frame.value for frame in app.dataframe if "Ref." in frame.value.columns
    )
    treated = device_summary(devices["Treated (synthetic)"])
    table = literature.load_table()
    rows = literature.closest_by_peak(table, treated["el_peak_nm"], 10)
    expected = literature.si_table([treated], rows).plain()
    assert preview.values.tolist() == expected.values.tolist()
    labels = {b.proto.label for b in app.get("download_button")}
    assert {"LaTeX + BibTeX (zip)", "Word (.docx)", "Markdown", "CSV"} <= labels


def test_each_metric_says_how_many_rows_it_rests_on():
    app = _page()
    app.run()
    captions = [c.value for c in app.caption]
    counts = literature.metric_counts(literature.load_table())
    for text in counts["text"]:
        assert any(text.replace("_", "\\_") in c or text in c for c in captions), text
    assert any(
        "Rows shown: 18 (18 curated, 0 lab, 0 uploaded for this session); "
        "rankable 9; with T50 and its L0 3; with a spectral-stability value 0" in c
        for c in captions
    )


@pytest.fixture(autouse=True)
def _fresh_resources():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()
