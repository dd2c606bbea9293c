"""
The provenance sidecar of a figure downloaded from each analysis page: it
names the inputs (name and SHA-256, or a checksum of the parsed arrays for
session devices), the page's settings and the figure controls used, and the
sidecar alone rebuilds the same SVG bytes.

The files are built with :func:`ui.export.download_files`, the function the
page's download buttons and ZIP call, from what the page registered.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import demo_devices
from core.figures.colors import PALETTE
from core.figures.provenance import rebuild_svg
from tests.core.report.report_support import demo_files
from ui.export import FIGURES_KEY, download_files

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 180
TREATED = demo_devices()[1].name
#: Page -> (a figure it registers, the settings key its sidecar must hold).
PAGES = {
    "1_Spectral_stability.py": ("peak_shift", "threshold_nm"),
    "2_Efficiency.py": ("eqe_luminance", "turn_on_luminance_cd_m2"),
    "3_Lifetime.py": ("lifetime_decay", "reference"),
    "4_Literature.py": ("literature_eqe_vs_peak", "reference_luminance_cd_m2"),
}


def _choose_treated(app: AppTest) -> None:
    app.radio(key="literature_device_choice").set_value(TREATED)
    app.run()


#: What a page needs before it draws a session device.
SETUP = {"4_Literature.py": _choose_treated}


def _run(page: str, setup=None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT_S)
    app.session_state["peled_devices"] = {d.name: d for d in demo_devices()}
    app.session_state["peled_colors"] = {TREATED: PALETTE[3]}
    app.run()
    if setup is not None:
        setup(app)
    assert not app.exception, app.exception
    return app


def _sidecar(app: AppTest, basename: str) -> tuple[dict, dict]:
    registry = app.session_state[FIGURES_KEY]
    assert basename in registry["figures"], sorted(registry["figures"])
    files = download_files(
        basename, registry["figures"][basename], registry["context"], "acs-single", 300
    )
    record = json.loads(files[f"{basename}.provenance.json"])
    # The controls recorded are those the page applied to the chart.
    controls = registry["figures"][basename][3]
    assert record["controls"] == json.loads(json.dumps(controls.to_dict()))
    return record, files


@pytest.mark.parametrize("page", list(PAGES))
def test_page_sidecar_has_inputs_settings_controls_and_rebuilds(page):
    basename, setting = PAGES[page]
    record, files = _sidecar(_run(page, SETUP.get(page)), basename)
    assert record["inputs"], "no inputs"
    for item in record["inputs"]:
        assert item["name"] and len(item["sha256"]) == 64
    assert setting in record["settings"], sorted(record["settings"])
    # The controls actually used: the session's colour of Treated (the
    # lifetime charts' entries are tests, in shades of the device colour).
    if not page.startswith("3_"):
        assert record["controls"]["colors"].get(TREATED) == PALETTE[3]
    assert rebuild_svg(record) == files[f"{basename}.svg"]


def test_uploaded_files_are_named_with_their_sha256():
    import hashlib

    uploads, _ = demo_files(demo_devices()[0], "pixel3")
    jvl = [(name, data) for name, data in uploads.items() if name.endswith("jvl.txt")]

    def upload(app: AppTest) -> None:
        app.radio(key="efficiency_source").set_value("Upload files")
        app.run()
        app.file_uploader(key="efficiency_files").set_value(
            [(name, data, "text/plain") for name, data in jvl]
        )
        app.run()

    record, files = _sidecar(_run("2_Efficiency.py", upload), "lv")
    ((name, data),) = jvl
    assert {"name": name, "sha256": hashlib.sha256(data).hexdigest()}.items() <= (
        record["inputs"][0].items()
    )
    assert rebuild_svg(record, {name: data}) == files["lv.svg"]
