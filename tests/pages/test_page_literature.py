"""Smoke and behaviour tests of pages/4_Literature.py with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support import shown

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "4_Literature.py")
TIMEOUT_S = 60


@pytest.fixture()
def app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)


def test_page_runs_without_device(app):
    app.run()
    assert not app.exception
    assert not app.error
    assert app.title[0].value == "Literature"
    assert any("Table (" in sub.value for sub in app.subheader)


def test_page_ranks_a_seeded_device(app):
    app.session_state["literature_device"] = {
        "name": "test",
        "el_peak_nm": 632.0,
        "eqe_max_percent": 22.0,
        "luminance_max_cd_m2": 9000.0,
        "cie_x": 0.70,
        "cie_y": 0.298,
        "t50_h": 2.0,
        "t50_initial_luminance_cd_m2": 500.0,
    }
    app.run()
    assert not app.exception
    assert not app.error
    labels = [metric.label for metric in app.metric]
    assert "Maximum EQE" in labels
    eqe = next(metric for metric in app.metric if metric.label == "Maximum EQE")
    assert eqe.value.startswith("#")


def test_bad_device_value_shows_error_not_traceback(app):
    app.session_state["literature_device"] = {"eqe_max_percent": "lots"}
    app.run()
    assert not app.exception
    # Shown as text: the underscores are escaped, not read as emphasis.
    assert shown(app.error[0].value) == (
        "Device metric 'eqe_max_percent' must be a number, found 'lots'."
    )


def test_filters_keep_page_alive(app):
    app.run()
    app.checkbox(key="literature_rankable").check()
    app.checkbox(key="literature_filter_peak").check()
    app.run()
    assert not app.exception
    assert not app.error


def test_session_device_is_ranked_with_its_own_numbers(app):
    from core.demo import demo_devices
    from core.summary import device_summary

    devices = {d.name: d for d in demo_devices()}
    app.session_state["peled_devices"] = devices
    app.run()
    app.radio(key="literature_device_choice").set_value("Treated (synthetic)").run()
    assert not app.exception and not app.error
    summary = device_summary(devices["Treated (synthetic)"])
    caption = next(c.value for c in app.caption if c.value.startswith("Treated"))
    assert f"EQE {summary['eqe_max_percent']:.2f} % (EQE computed with" in caption
    assert f"({summary['eqe_basis']})" in caption  # where the number comes from
    assert "synthetic demo data" in caption
    ranks = [m for m in app.metric if m.value.startswith("#")]
    assert ranks, "expected a rank card for the session device"


def test_too_few_rows_show_no_percentile_and_list_the_devices(app):
    # Ren et al. 2024's treated device, 490 min at 102 cd/m², typed in: its
    # T50 equals the table's 8.1667 h row, and only two rankable rows have a
    # T50 with an L0: 'too few to rank', the rows listed, no percentile.
    app.session_state["literature_device"] = {
        "name": "seed",
        "t50_h": 490 / 60,
        "t50_initial_luminance_cd_m2": 102.0,
        "t50_kind": "measured",
        "t50_qualifier": "",
    }
    app.run()
    assert not app.exception and not app.error
    t50 = next(m for m in app.metric if m.label.startswith("T50"))
    assert t50.value == "too few to rank" and not t50.delta
    listed = [c.value for c in app.caption if "too few to rank (n = " in c.value]
    assert listed and "ren2024acsml-treated (equal to yours)" in shown(listed[0])
    for metric in app.metric:  # no percentile anywhere below 5 rows
        if metric.value == "too few to rank":
            assert not metric.delta
