"""pages/3_Lifetime.py: AppTest with the demo session and with uploads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from support import shown

from core.demo import TREATED, demo_devices
from core.lifetime import lifetime_metrics, lifetime_table, stretched_exponential
from core.tables import round_with_uncertainty
from ui.session import DEVICES_KEY

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "3_Lifetime.py")


def table_with(at: AppTest, column: str):
    """The first table on the page with this (labelled) column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def csv_log(tau_h=10.0, beta=1.0, l0=200.0, t_end_h=40.0, header=None) -> bytes:
    t = np.linspace(0.0, t_end_h, 400)
    lum = l0 * stretched_exponential(t, tau_h, beta)
    lines = [header or "Time (s),Luminance (cd/m2),Voltage (V)"]
    lines += [
        f"{a * 3600:.4f},{b:.6f},{3 + 0.01 * a:.4f}"
        for a, b in zip(t, lum, strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def demo_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[DEVICES_KEY] = {d.name: d for d in demo_devices()}
    return at.run()


def test_empty_session_asks_for_data_without_error():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Lifetime"
    assert any("Upload lifetime logs" in info.value for info in at.info)


def test_demo_session_draws_every_chart_and_agrees_with_core(demo_page):
    at = demo_page
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # Decay, residuals, Weibull, voltage, acceleration.
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) == 5
    text = json.dumps(specs[0], ensure_ascii=False)
    assert "L/L0 [-]" in text and "time [min]" not in text
    assert '"time [h]"' in text and "open diamond: extrapolated" in text
    table = table_with(at, "T50 [h]")
    assert len(table) == 5
    # The number on the page is core's number, rounded with its uncertainty
    # (2 significant digits; the value to the same place).
    log = next(d for d in demo_devices() if d.name == TREATED).lifetime[0]
    row = table.loc[table["test"] == log.label].iloc[0]
    core_row = lifetime_table([lifetime_metrics(log)]).iloc[0]
    t50, sd = core_row["T50_h"], core_row["T50_uncertainty_h"]
    assert (row["T50 [h]"], row["± T50 [h]"]) == round_with_uncertainty(t50, sd)
    assert abs(row["T50 [h]"] - t50) <= 0.05 * row["± T50 [h]"]
    assert row["T50 kind"] == "measured"
    # The test stopped at 0.75 x T50 is labelled, on the page and in the table.
    assert any("250 cd/m²: T50 = " in w.value and "extrapolated" in w.value
               for w in at.warning)  # fmt: skip
    assert "extrapolated" in set(table["T50 kind"])
    # n fitted from the treated device's 4 tests (built with n = 1.8).
    fitted = [m.value for m in at.markdown if "fitted n = " in m.value]
    assert fitted and fitted[0].startswith("**Treated (synthetic)**: fitted n = 1.80")
    # T50 at 100 and 1000 cd/m² with the band.
    reference = table_with(at, "T50 at 1000 cd/m², n = 2.0 [h]")
    assert "T50 at 100 cd/m², n = 1.5 [h]" in reference.columns
    # No machine name reaches the screen.
    assert not [c for d in at.dataframe for c in d.value.columns if "_" in c]


def test_demo_session_options_rerun_without_error(demo_page):
    at = demo_page
    at.radio(key="lifetime_time_axis").set_value("linear")
    at.radio(key="lifetime_unit").set_value("min")
    at.selectbox(key="lifetime_method").set_value("biexponential")
    at.radio(key="lifetime_stress").set_value("current_density")
    at.checkbox(key="lifetime_from_max").check()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "time [min]" in json.dumps(spec, ensure_ascii=False)
    last = json.loads(at.get("vega_lite_chart")[-1].proto.spec)
    assert "current density J [mA/cm²]" in json.dumps(last, ensure_ascii=False)


def test_upload_good_and_bad_files_shows_the_sentence_and_keeps_working():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    bad = b"Time (s),L (cd/m2)\n0,100\n10,99\n0,100\n10,99\n"
    at.file_uploader(key="lifetime_files").set_value(
        [("good.csv", csv_log(), "text/csv"), ("restart.csv", bad, "text/csv")]
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "restart.csv, line 4: time goes back from 10 s (line 3) to 0 s; expected "
        "time that increases down the file. The file seems to hold several runs "
        "(time restarts): split it into one file per run."
    ]
    table = table_with(at, "T50 [h]")
    assert list(table["test"]) == ["good"]
    # Clean τ = 10 h exponential: model T50 = τ ln 2; measured within 0.2 %.
    assert table["T50 [h]"].iloc[0] == pytest.approx(10 * np.log(2), rel=2e-3)
    # Shown at 3 significant digits: within 0.5 % of T50 × 2^1.8.
    assert table["T50 at 100 cd/m² [h]"].iloc[0] == pytest.approx(
        table["T50 [h]"].iloc[0] * 2**1.8, rel=5e-3
    )
    preview = table_with(at, "read as")
    assert list(preview["read as"]) == [
        "a lifetime log (1 log(s))",
        preview["read as"].iloc[1],
    ]
    assert preview["read as"].iloc[1].startswith("not read: ")
    at.button(key="lifetime_add").click().run()
    assert not at.exception
    assert "Uploaded device" in at.session_state[DEVICES_KEY]
    assert at.success[0].value == "1 test now in the session."


def test_relative_upload_needs_l0_for_the_reference_only():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    data = csv_log(l0=1.0, header="Time (s),L/L0,Voltage (V)")
    at.file_uploader(key="lifetime_files").set_value(("rel.csv", data, "text/csv"))
    at.run()
    assert not at.exception and not at.error
    table = table_with(at, "T50 [h]")
    assert table["T50 [h]"].iloc[0] == pytest.approx(10 * np.log(2), rel=2e-3)
    assert "T50 at 100 cd/m² [h]" not in table.columns  # no L0, no conversion
    at.number_input(key="lifetime_l0").set_value(1000.0).run()
    table = table_with(at, "T50 [h]")
    assert table["T50 at 100 cd/m² [h]"].iloc[0] == pytest.approx(
        table["T50 [h]"].iloc[0] * 10**1.8, rel=5e-3
    )


def test_downloads_render_the_page_charts_to_svg_and_pdf_with_fonts():
    # AppTest cannot click a download: build what the buttons build.
    from core.figures import chart_to_bytes, themed
    from core.figures import lifetime as figures

    device = next(d for d in demo_devices() if d.name == TREATED)
    items = [(device.name, log, lifetime_metrics(log)) for log in device.lifetime]
    readings = figures.readings_frame(items, max_points=300)
    chart = figures.decay_chart(
        readings,
        figures.binned_frame(items),
        figures.model_frame(items),
        figures.thresholds_frame(items),
        log_time=True,
    )
    svg = chart_to_bytes(themed(chart, "acs-single"), "svg")
    assert b"L/L0 [-]" in svg and b"time [h]" in svg
    accel = figures.acceleration_chart(figures.acceleration_frame(items))
    pdf = chart_to_bytes(themed(accel, "acs-single"), "pdf")
    assert pdf.startswith(b"%PDF") and b"/BaseFont" in pdf
    assert len(figures.readings_frame(items)) == sum(
        log.time_h.size for log in device.lifetime
    )  # the CSV holds every reading


def test_a_t50_beyond_6x_the_test_is_not_reported_and_says_so_beside_it():
    # τ = 100 h exponential stopped after 10 h: T50 = 69 h is 6.9x the test.
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    data = csv_log(tau_h=100.0, t_end_h=10.0)
    at.file_uploader(key="lifetime_files").set_value(("short.csv", data, "text/csv"))
    at.run()
    assert not at.exception and not at.error
    row = table_with(at, "T50 [h]").iloc[0]
    assert np.isnan(row["T50 [h]"]) and row["T50 kind"] == "beyond cap"
    assert row["T50 ± 1σ"] == "> 6× the test, not reported"
    # The warning stands on the page, not in the expander.
    warnings = [shown(w.value) for w in at.warning]
    notices = [w for w in warnings if "T50 > 6× the test, not reported" in w]
    assert notices and "IES TM-21" in notices[0]
    at.checkbox(key="lifetime_beyond_cap").check().run()
    row = table_with(at, "T50 [h]").iloc[0]
    assert np.isnan(row["T50 [h]"])  # still not in the T50 column
    assert "(beyond 6× the test, on request)" in row["T50 ± 1σ"]
    assert row["T50 ± 1σ"].startswith("69") or row["T50 ± 1σ"].startswith("70")
    at.checkbox(key="lifetime_l0_model").check().run()
    assert not at.exception
    assert table_with(at, "T50 [h]").iloc[0]["L0 source"] == "model"
