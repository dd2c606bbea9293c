"""Behaviour of the Spectral stability page (AppTest)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest
from support import gaussian

from core.demo import demo_devices
from ui.session import DEVICES_KEY

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "1_Spectral_stability.py")


def page(with_demo=True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if with_demo:
        at.session_state[DEVICES_KEY] = {d.name: d for d in demo_devices()}
    return at


def metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_demo_shows_drift_cards_with_uncertainties_and_charts():
    at = page().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels.count("Reference peak") == 2
    assert any(m.value == "**Control (synthetic)**" for m in at.markdown)
    # The control's peak moves by ≈ +4.5 nm over the synthetic test: the trend's
    # change with its standard error; the treated device's u'v' within noise.
    shifts = [m for m in at.metric if m.label.startswith("Peak shift")]
    assert shifts[0].value.startswith("+4.") and shifts[0].delta.startswith("± 0.")
    uv = [m for m in at.metric if m.label.startswith("Δu'v'")]
    assert all(m.delta.startswith("± ") for m in uv)
    crossing = next(m for m in at.metric if m.label.startswith("|Δpeak| > 1 nm"))
    assert crossing.value.endswith(" h") and "–" in crossing.delta  # its range
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 8
    assert any("synthetic demo data" in c.value for c in at.caption)
    assert any(c.value.startswith("CIE (0.7") and " ± " in c.value for c in at.caption)
    assert not [m.value for m in at.metric if "nan" in m.value.lower()]
    labels = [b.proto.label for b in at.get("download_button")]
    # SVG, PDF, PNG per chart (8 charts) and one ZIP of the whole page.
    assert labels.count("SVG") == labels.count("PDF") == labels.count("PNG") >= 8
    assert labels[-1] == "Download all figures (ZIP)"


def test_reference_and_exclusions_from_the_sidebar():
    at = page().run()
    control = "Control (synthetic)"
    at.selectbox(key=f"stability_{control}_reference").set_value(5).run()
    at.multiselect(key=f"stability_{control}_exclude").set_value([7, 8]).run()
    assert not at.exception
    table = at.dataframe[0].value
    rows = table[table.device == control]
    assert rows.loc[rows.reference, "spectrum"].tolist() == [5]
    assert rows.loc[~rows.included, "spectrum"].tolist() == [7, 8]
    assert any("chosen by the user" in w.value for w in at.warning)
    # An axis range that takes the reference out: an error sentence, no trace.
    at.checkbox(key=f"stability_{control}_cut").check().run()
    at.slider(key=f"stability_{control}_cut_range").set_value((0.0, 0.5)).run()
    assert not at.exception
    assert at.error and "cannot be the reference" in at.error[0].value


def test_bias_series_and_uv_space():
    at = page().run()
    at.radio(key="stability_kind").set_value("over bias").run()
    at.radio(key="stability_space").set_value("uv").run()
    assert not at.exception
    spec = str(at.get("vega_lite_chart")[-1].proto.spec)
    assert "CIE u'" in spec


def wide_csv(drift_nm: float) -> bytes:
    wavelength = np.arange(500.0, 800.0, 0.5)
    time_h = [0.0, 1.0, 2.0, 3.0]
    buffer = io.StringIO()
    buffer.write("Wavelength (nm)," + ",".join(f"{t}" for t in time_h) + "\n")
    lines = [gaussian(wavelength, 638 + drift_nm * t, 32) for t in time_h]
    for k, wl in enumerate(wavelength):
        buffer.write(f"{wl}," + ",".join(f"{line[k]:.6f}" for line in lines) + "\n")
    return buffer.getvalue().encode()


def test_upload_of_a_wide_table_and_a_bad_file():
    at = page(with_demo=False).run()
    at.radio(key="stability_source").set_value("Upload files").run()
    assert at.file_uploader(key="stability_files"), "no uploader on the page"
    at.file_uploader(key="stability_files").set_value(
        ("drift.csv", wide_csv(0.5), "text/csv")
    ).run()
    assert not at.exception
    assert metric(at, "Peak shift").startswith("+1.5")
    at.file_uploader(key="stability_files").set_value(
        ("broken.csv", b"Wavelength,0\n500,abc\n501,2\n", "text/csv")
    ).run()
    assert not at.exception
    assert at.error and "broken.csv" in at.error[0].value
