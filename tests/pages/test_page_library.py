"""
pages/7_Library.py with Streamlit's AppTest, on a library in a temporary
folder: the table lists the saved devices with their numbers, filters narrow
it, "Compare in session" opens the selection for the other pages, the trash
restores and deletes for good only when confirmed, bulk import previews and
saves by a naming rule, and the Excel export holds the table.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.library import DATA_DIR_ENV, DATABASE_URL_ENV, Library
from tests.core.library.library_support import demo_inputs, save_demo

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "7_Library.py")
TIMEOUT_S = 120


@pytest.fixture
def saved(tmp_path, monkeypatch) -> dict[str, int]:
    """Three saved devices: two control (batches B1, B2), one treated."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    with Library() as library:
        return {
            "c1": save_demo(library, "Control 1", batch="B1", date_made="2026-01-05"),
            "c2": save_demo(library, "Control 2", batch="B2", date_made="2026-01-20"),
            "t1": save_demo(library, "Treated 1", 1, batch="B2", tags=("treated",)),
        }


@pytest.fixture
def app(saved) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception and not at.error
    return at


def test_the_table_lists_every_device_with_its_numbers(app, saved):
    assert app.title[0].value == "Library"
    assert "**3** of 3 device(s)" in [m.value for m in app.markdown]
    table = app.dataframe[0].value
    assert list(table["id"]) == [saved["t1"], saved["c2"], saved["c1"]]
    with Library() as library:
        stored = library.open_device(saved["c1"]).current
    row = table.set_index("id").loc[saved["c1"]]
    assert row["EQE max [%]"] == stored.summary["eqe_max_percent"]
    assert row["σ peak shift [nm]"] == stored.results["stability"]["peak_shift_sd_nm"]
    assert row["date made"] == dt.date(2026, 1, 5)


def test_filters_narrow_the_table(app, saved):
    app.multiselect(key="library_batch").set_value(["B2"]).run()
    assert sorted(app.dataframe[0].value["id"]) == sorted([saved["c2"], saved["t1"]])
    app.multiselect(key="library_tags").set_value(["treated"]).run()
    assert list(app.dataframe[0].value["id"]) == [saved["t1"]]
    app.multiselect(key="library_tags").set_value([]).run()
    app.date_input(key="library_made_from").set_value(dt.date(2026, 1, 10)).run()
    assert list(app.dataframe[0].value["id"]) == [saved["c2"]]
    app.date_input(key="library_made_from").set_value(None).run()
    eqe_treated = app.dataframe[0].value.set_index("id").loc[saved["t1"], "EQE max [%]"]
    app.number_input(key="library_0_lo").set_value(float(eqe_treated)).run()
    assert list(app.dataframe[0].value["id"]) == [saved["t1"]]


def test_compare_in_session_opens_the_selection(app, saved):
    app.multiselect(key="library_selected").set_value([saved["c1"], saved["t1"]]).run()
    app.button(key="library_compare").click().run()
    assert not app.exception
    names = list(app.session_state["peled_devices"])
    assert names == ["Control 1", "Treated 1"]
    assert app.sidebar.success[0].value.startswith("2 device(s) are in this session")


def test_the_trash_restores_and_deletes_for_good_only_when_confirmed(app, saved):
    app.multiselect(key="library_selected").set_value([saved["c1"]]).run()
    app.button(key="library_trash").click().run()
    assert "**2** of 2 device(s)" in [m.value for m in app.markdown]
    app.multiselect(key="library_trash_ids").set_value([saved["c1"]]).run()
    assert app.button(key="library_hard_delete").disabled
    app.button(key="library_restore").click().run()
    assert "**3** of 3 device(s)" in [m.value for m in app.markdown]
    app.multiselect(key="library_selected").set_value([saved["c1"]]).run()
    app.button(key="library_trash").click().run()
    app.multiselect(key="library_trash_ids").set_value([saved["c1"]]).run()
    app.checkbox(key="library_trash_confirm").check().run()
    app.button(key="library_hard_delete").click().run()
    assert not app.exception
    with Library() as library:
        assert saved["c1"] not in [d.id for d in library.list_devices()]
        assert library.list_devices(trash=True) == []


def test_bulk_import_previews_then_saves_by_the_naming_rule(app):
    files = {f.name.replace("control_", "N7_"): f.data for f in demo_inputs()}
    files["readme.md"] = b"not a measurement\n"
    app.file_uploader(key="library_bulk_files").set_value(
        [(name, data, "text/plain") for name, data in files.items()]
    ).run()
    app.text_input(key="library_bulk_batch").input("bulk").run()
    preview = app.dataframe[-1].value
    assert list(preview["device"]) == ["", "N7", "N7", "N7"]
    assert list(preview["kind"]) == ["", "spectra", "jvl", "lifetime"]
    assert (
        "4 file(s) → 1 device(s); 1 left out. Nothing is saved until you click "
        "Save all." in [c.value for c in app.caption]
    )
    with Library() as library:
        assert len(library.list_devices()) == 3  # nothing saved yet
    app.button(key="library_bulk_save").click().run()
    assert app.success[-1].value == "1 of 1 device(s) saved."
    with Library() as library:
        (new,) = [d for d in library.list_devices() if d.record.name == "N7"]
        assert new.record.batch == "bulk" and new.n_files == 3


def test_the_excel_export_holds_the_table(app):
    from core.library.table import summary_table
    from ui.library_page import _xlsx

    with Library() as library:
        table = summary_table(library.list_devices())
    back = pd.read_excel(io.BytesIO(_xlsx(table)))
    assert list(back.columns) == list(table.columns)
    assert back["EQE max [%]"].tolist() == pytest.approx(table["EQE max [%]"].tolist())
    assert list(back["name"]) == list(table["name"])
