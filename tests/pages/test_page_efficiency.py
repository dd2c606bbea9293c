"""Smoke and behaviour tests of pages/2_Efficiency.py with Streamlit's AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support import shown

from core.cli import main
from core.demo import demo_devices
from core.efficiency import efficiency_metrics
from core.figures.efficiency import AXIS_TITLES

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "2_Efficiency.py")
REALDATA = ROOT.parent / "shared" / "realdata"
TIMEOUT_S = 60
NO_AREA = b"V (V)\tI (A)\tL (cd/m2)\n2\t1e-7\t0.5\n3\t1e-4\t900\n"


@pytest.fixture()
def app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _cards(app: AppTest) -> dict[str, dict[str, str]]:
    """Device -> its six cards: the name stands above them, not in each label."""
    names = [
        shown(m.value)[2:-2]
        for m in app.markdown
        if m.value.startswith("**") and m.value.endswith("**")
    ]
    metrics = list(app.metric)
    return {
        name: {m.label: m.value for m in metrics[6 * i : 6 * i + 6]}
        for i, name in enumerate(names)
    }


def _chart_titles(app: AppTest) -> list[tuple[str, str]]:
    titles = []
    for chart in app.get("arrow_vega_lite_chart") + app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        layers = spec.get("layer", [spec])
        encoding = layers[0]["encoding"]
        titles.append((encoding["x"]["title"], encoding["y"]["title"]))
    return titles


def _upload(app: AppTest, files) -> None:
    app.run()
    app.radio(key="efficiency_source").set_value("Upload files")
    app.run()
    app.file_uploader(key="efficiency_files").set_value(files)
    app.run()


def test_page_runs_without_data(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Efficiency"
    assert app.info[0].value.startswith("Upload J-V-L sweeps")


def test_demo_devices_from_the_session(app):
    app.session_state["peled_devices"] = {d.name: d for d in demo_devices()}
    app.run()
    assert not app.exception and not app.error
    cards = _cards(app)
    # Same function as the CLI and the unit tests: efficiency_metrics.
    treated = efficiency_metrics(
        next(d for d in demo_devices() if d.name.startswith("Treated")).jvl[0]
    )
    assert cards["Treated (synthetic)"]["EQE max"] == (
        f"{treated.eqe_max_percent:.2f} %"
    )
    assert cards["Control (synthetic)"]["EQE max"] == "14.50 %"
    # Short labels, units with the values (issue 15: labels were cut off).
    assert list(cards["Control (synthetic)"]) == [
        "EQE max", "L max", "Turn-on", "EQE, 1000 cd/m²", "CE max", "PE max"
    ]  # fmt: skip
    assert cards["Control (synthetic)"]["L max"] == "5,025 cd/m²"
    assert cards["Control (synthetic)"]["PE max"].endswith(" lm/W")
    # Tables show labelled headers and rounded values.
    summary = next(d.value for d in app.dataframe if "EQE max [%]" in d.value.columns)
    assert summary["EQE max [%]"].tolist() == [14.5, 26.1]
    assert not [c for d in app.dataframe for c in d.value.columns if "_" in c]
    titles = _chart_titles(app)
    assert len(titles) >= 6
    for x_title, y_title in titles:  # units on every axis
        assert "[" in x_title and "[" in y_title
    assert (AXIS_TITLES["luminance_cd_m2"], AXIS_TITLES["eqe_percent"]) in titles
    # Two devices: the batch histogram is drawn too.
    assert any(y.startswith("devices [count] (n = 2)") for _, y in titles)


def test_upload_real_sweep_matches_the_cli(app, capsys):
    path = REALDATA / "simone-peled_DC_data.dat"
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    _upload(app, [(path.name, path.read_bytes(), "text/plain")])
    assert not app.exception and not app.error
    metrics = _cards(app)["simone-peled_DC_data"]
    assert main(["efficiency", str(path), "--no-points"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert metrics["EQE max"] == (f"{record['eqe_max_percent']:.2f} %") == "10.28 %"
    assert metrics["Turn-on"] == "2.60 V"
    assert metrics["L max"] == "67,430 cd/m²"
    # The reader's notes are shown, nothing is dropped silently.
    assert any("read from the preamble" in c.value for c in app.caption)


def test_bad_file_is_an_error_and_the_good_one_still_shows(app):
    good = b"V (V)\tJ (mA/cm2)\tL (cd/m2)\tEQE (%)\n2\t0.01\t0.5\t1\n3\t1\t300\t3\n"
    _upload(
        app,
        [("good.txt", good, "text/plain"), ("noarea.txt", NO_AREA, "text/plain")],
    )
    assert not app.exception
    assert [e.value for e in app.error] == [
        "noarea.txt: column 2 'I (A)' holds a current but the file has no "
        "current-density column and no device area in its preamble; enter the "
        "device area in cm² (e.g. 0.04) so the current density can be computed."
    ]
    assert _cards(app)["good"]["EQE max"] == "3.00 %"


def test_area_input_fixes_a_current_only_file(app):
    _upload(app, [("noarea.txt", NO_AREA, "text/plain")])
    assert app.error
    app.number_input(key="efficiency_area").set_value(0.04)
    app.run()
    assert not app.exception and not app.error
    # 0.1 mA / 0.04 cm² = 2.5 mA/cm²: CE = 900 / 25 = 36 cd/A.
    assert _cards(app)["noarea"]["CE max"] == "36.00 cd/A"


def test_binary_upload_is_a_sentence(app):
    _upload(app, [("scope.bin", b"\x00\x01\x02\x03", "application/octet-stream")])
    assert not app.exception
    assert app.error[0].value.startswith("scope.bin is a binary file: expected")


def test_demo_batch_statistics(app):
    app.run()
    app.radio(key="efficiency_source").set_value("Demo batch (50 synthetic devices)")
    app.run()
    assert not app.exception and not app.error
    metrics = _metrics(app)
    assert metrics["Champion"] == "26.09 %"
    assert metrics["EQE max mean ± s.d."].startswith("22.0")
    app.radio(key="efficiency_batch_metric").set_value("turn_on_v")
    app.run()
    assert not app.exception
    assert _metrics(app)["Champion"] == "1.95 V"


def test_threshold_input_moves_turn_on(app):
    app.session_state["peled_devices"] = {d.name: d for d in demo_devices()}
    app.run()
    app.number_input(key="efficiency_turn_on").set_value(100.0)
    app.run()
    assert not app.exception
    assert _cards(app)["Control (synthetic)"]["Turn-on"] != "2.30 V"


def test_el_spectra_over_bias_upload(app):
    """The bsubpc counts matrix: grid given, one spectrum per sweep voltage."""
    sweep_path = REALDATA / "bsubpc-oled_OLED-004_A1-1_JVL.txt"
    counts_path = REALDATA / "bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt"
    if not counts_path.exists():
        pytest.skip(f"real-data sample {counts_path} is absent (not shipped)")
    _upload(app, [(sweep_path.name, sweep_path.read_bytes(), "text/plain")])
    app.file_uploader(key="efficiency_spectrum").set_value(
        (counts_path.name, counts_path.read_bytes(), "text/plain")
    )
    app.checkbox(key="efficiency_grid_on").check()
    app.checkbox(key="efficiency_spectrum_per_voltage").check()
    app.run()
    assert not app.exception and not app.error
    assert _cards(app)["bsubpc-oled_OLED-004_A1-1_JVL"]["EQE max"] == "0.49 %"
    # 0.891 after the edge baseline is subtracted, with the noise-dominated
    # spectra of 3.4-4.0 V replaced by the brightest (0.892 with their own).
    assert any("0.891 × the file's EQE column" in c.value for c in app.caption)


def test_spectrum_upload_error_is_shown_once(app):
    good = b"V (V)\tJ (mA/cm2)\tL (cd/m2)\n2\t0.01\t0.5\n3\t1\t300\n"
    _upload(
        app,
        [("a.txt", good, "text/plain"), ("b.txt", good, "text/plain")],
    )
    app.file_uploader(key="efficiency_spectrum").set_value(
        ("el.pdf", b"%PDF-1.4 not a spectrum", "application/pdf")
    )
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "el.pdf is a PDF document: expected a text table exported by the "
        "instrument software."
    ]
    assert "a" in _cards(app)  # the sweeps are still analysed
