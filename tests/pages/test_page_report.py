"""
The Report page (pages/5_Report.py) and the page-side export helpers.

AppTest shows charts only as their Vega-Lite spec and does not expose what a
download button would deliver (docs/methods.md §5): the files behind the buttons
are tested through the functions that build them (core.report here, and
ui.export.page_zip).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.demo import demo_devices
from core.figures.theme import PRESETS
from core.models import Device
from core.report import SECTIONS, load_devices
from tests.core.report.report_support import SPECTRA_OPTIONS, demo_files
from ui.export import FIGURES_KEY, page_zip
from ui.session import DEVICES_KEY, PRESET_KEY

PAGE = Path(__file__).resolve().parents[2] / "pages" / "5_Report.py"


def run(devices=None, **state) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    if devices is not None:
        at.session_state[DEVICES_KEY] = {d.name: d for d in devices}
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.fixture(scope="module")
def demo_page() -> AppTest:
    return run(demo_devices())


def test_empty_session_says_what_to_do():
    at = run()
    assert not at.exception
    assert "No devices in this session yet" in at.info[0].value


def test_demo_devices_side_by_side_and_every_section(demo_page):
    at = demo_page
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:2] == ["Devices side by side", "Report file"]
    assert subheaders[2:] == list(SECTIONS.values())[1:]
    table = at.dataframe[0].value
    assert {"Control (synthetic)", "Treated (synthetic)"} <= set(table.columns)
    assert "Δ Treated (synthetic) − Control (synthetic)" in table.columns
    assert any("synthetic demo data" in c.value for c in at.caption)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 10
    # Previews fill their column at screen size (the files keep the preset's
    # exact size): no preset size in the preview's spec.
    spec = json.loads(charts[0].proto.spec)
    assert "peled_figure" not in spec.get("usermeta", {})
    keys = {b.proto.id for b in at.get("download_button")}
    assert len(keys) > 30  # report files + every figure's and table's buttons


def test_the_page_registers_its_figures_and_tables_for_the_zip(demo_page):
    registry = demo_page.session_state[FIGURES_KEY]
    assert "stability_peak_shift" in registry["figures"]
    assert "lifetime_decay" in registry["figures"]
    assert "metrics_side_by_side" in registry["tables"]


def test_reference_device_and_preset_come_from_the_sidebar():
    at = run(demo_devices(), **{PRESET_KEY: "acs-single"})
    at.selectbox(key="report_reference").set_value("Treated (synthetic)").run()
    assert not at.exception
    columns = at.dataframe[0].value.columns
    assert "Δ Control (synthetic) − Treated (synthetic)" in columns
    # The figures' downloads are at the sidebar's preset (the previews stay
    # at screen size).
    helps = [b.proto.help for b in at.get("download_button")]
    assert sum(PRESETS["acs-single"].label in h for h in helps) >= 10


def test_no_device_picked_is_an_instruction_not_an_error():
    at = run(demo_devices())
    at.multiselect(key="report_devices").set_value([]).run()
    assert not at.exception and not at.error
    assert "Pick at least one device" in at.info[0].value


def test_devices_read_from_uploaded_files_with_missing_sections():
    # What the analysis pages store after an upload: parsed containers plus the
    # uploaded files' checksums in metadata (the sidecars then name the files).
    files, group = demo_files(demo_devices()[0], "pixel3")
    group["files"] = group["files"][:2]  # spectra and J-V-L, no lifetime log
    (device,), inputs = load_devices([group], files, SPECTRA_OPTIONS)
    device = Device(
        name=device.name,
        spectra_time=device.spectra_time,
        jvl=device.jvl,
        metadata={"files": inputs},
    )
    at = run([device])
    assert not at.exception and not at.error
    assert "No device has a lifetime log." in [i.value for i in at.info]
    registry = at.session_state[FIGURES_KEY]
    assert "efficiency_eqe_luminance" in registry["figures"]
    _, _, provenance, _ = registry["figures"]["efficiency_eqe_luminance"]
    names = {item["name"] for item in provenance["inputs"]}
    assert names == {"pixel3_el.csv", "pixel3_jvl.txt"}


def test_page_zip_holds_every_registered_figure_and_table():
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]})
    chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
    figures = {"line": (chart, frame, {"settings": {"k": 1}})}
    tables = {"numbers": frame}
    data = page_zip(figures, tables, "acs-single", 300)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        sidecar = json.loads(archive.read("figures/line.provenance.json"))
    assert names == [
        "figures/line.svg",
        "figures/line.pdf",
        "figures/line.png",
        "figures/line.csv",
        "figures/line.provenance.json",
        "tables/numbers.csv",
    ]
    assert sidecar["settings"] == {"k": 1} and sidecar["png_ppi"] == 300
