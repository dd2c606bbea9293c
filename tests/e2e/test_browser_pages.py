"""
Every page in a real browser: upload through the file input, read the numbers
the user reads, download the files the user gets.

Expected numbers come from published values in ../shared/realdata/SOURCES.md,
from closed forms, or from the same core function the page calls (a number on
a page and the CLI's number come from one function); the tolerance is the
precision the page prints.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import numpy as np
import pytest

from core import literature, stability
from core.figures.provenance import rebuild_svg
from core.io import read_spectral_series
from tests.e2e.browser import (
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    check_file,
    choose,
    download,
    go_to,
    open_page,
    screenshot,
    upload,
    wait_for_metrics,
    wait_idle,
    with_machine_names,
)
from tests.e2e.server import streamlit_server

pytestmark = pytest.mark.browser

HZB_SERIES = "hzb-pl_T02f3_500ms_gs_cont_1hr__newSpotf3_1_raw.txt"
SIMONE_JVL = "simone-peled_DC_data.dat"


def number(text: str) -> float:
    """The first number in a shown value: '614.9 nm', '-2.85 nm', '67,430'."""
    match = re.search(r"[-+−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?", text)
    assert match, f"no number in {text!r}"
    return float(match.group().replace(",", "").replace("−", "-"))


def value_of(shown: dict[str, str], label_pattern: str) -> float:
    """The number of the metric whose label matches (labels get reworded)."""
    found = [v for k, v in shown.items() if re.search(label_pattern, k, re.I)]
    assert found, f"no metric label matches /{label_pattern}/: {list(shown)}"
    return number(found[0])


def check_chart_downloads(page, key: str) -> list[str]:
    """
    The chart's SVG, PDF and PNG are valid files, and its provenance sidecar
    names the inputs (name, SHA-256) and the settings and rebuilds the very
    SVG that was downloaded.
    """
    names, files = [], {}
    for fmt in ("svg", "pdf", "png"):
        name, data = download(page, f"{key}_{fmt}")
        assert name.endswith(f".{fmt}")
        check_file(name, data)
        names.append(name)
        files[fmt] = data
    name, data = download(page, f"{key}_provenance")
    assert name.endswith(".provenance.json")
    record = json.loads(data)
    assert record["inputs"], f"{name}: no inputs"
    assert all(i["name"] and len(i["sha256"]) == 64 for i in record["inputs"]), name
    assert record["settings"], f"{name}: no settings"
    assert rebuild_svg(record) == files["svg"], f"{name} does not rebuild the SVG"
    return names


def load_demo(page, server) -> None:
    open_page(page, server)
    by_key(page, "home_load_demo", "button").click()
    page.get_by_text("Loaded two synthetic demo devices").wait_for()
    wait_idle(page)


def test_home_loads_the_demo_devices(page, server, output_dir):
    load_demo(page, server)
    for name in ("Control (synthetic)", "Treated (synthetic)"):
        assert page.get_by_text(name).first.is_visible()
    assert page.get_by_text("synthetic demo data").first.is_visible()
    assert_no_errors(page)
    screenshot(page, output_dir, "home_with_demo")


def test_spectral_stability_of_a_real_pl_series(page, server, output_dir, realdata):
    path = realdata / HZB_SERIES
    series = read_spectral_series(path.read_bytes(), path.name)
    expected = stability.series_stability(series)
    first = expected.metrics.iloc[expected.reference_index]

    open_page(page, server, "Spectral_stability")
    choose(page, "stability_source", "Upload files")
    upload(page, "stability_files", str(path))
    shown = wait_for_metrics(page, 6)
    assert_no_errors(page)
    screenshot(page, output_dir, "summary")

    # SOURCES.md: the peak sits near 616 nm and moves ~4 nm blue over the hour.
    assert 612 < first.peak_nm < 619
    assert value_of(shown, r"reference peak") == pytest.approx(first.peak_nm, abs=0.051)
    # The cards show the smoothed trend's change (± its standard error).
    assert value_of(shown, r"peak shift") == pytest.approx(
        expected.peak.change, abs=0.0051
    )
    assert value_of(shown, r"Δu'v'") == pytest.approx(
        expected.delta_uv.change, abs=0.00006
    )
    assert expected.peak_shift_nm < -1

    page.get_by_role("tab", name="Table").click()
    name, data = download(page, "stability_dl_table")
    table = with_machine_names(check_file(name, data), "peak_nm")
    assert len(table) == series.n_spectra == 360
    np.testing.assert_allclose(table["peak_nm"], expected.metrics["peak_nm"], rtol=1e-9)

    page.get_by_role("tab", name="Peak and FWHM").click()
    check_chart_downloads(page, "stability_dl_peak")
    name, data = download(page, "stability_dl_peak_csv")
    assert len(check_file(name, data)) == 360
    screenshot(page, output_dir, "peak_and_fwhm")
    assert_no_errors(page)


def test_efficiency_of_a_real_jvl_sweep(page, server, output_dir, realdata):
    path = realdata / SIMONE_JVL
    open_page(page, server, "Efficiency")
    choose(page, "efficiency_source", "Upload files")
    upload(page, "efficiency_files", str(path))
    shown = wait_for_metrics(page, 6)
    assert_no_errors(page)
    screenshot(page, output_dir, "summary")

    # SOURCES.md: EQEmax 10.28 % at 4.25 V once L >= 1 cd/m² (the naive maximum,
    # 22.7 % at 2.05 V, is meter noise); Lmax 6.74e4 cd/m².
    assert value_of(shown, r"EQE max") == pytest.approx(10.28, abs=0.005)
    assert value_of(shown, r"L max") == pytest.approx(6.74e4, rel=0.001)

    name, data = download(page, "efficiency_dl_summary")
    summary = with_machine_names(
        check_file(name, data), "eqe_max_percent", "voltage_at_eqe_max_v"
    )
    assert summary["eqe_max_percent"].iloc[0] == pytest.approx(10.28, abs=0.005)
    assert summary["voltage_at_eqe_max_v"].iloc[0] == pytest.approx(4.25)

    page.get_by_role("tab", name="EQE", exact=True).click()
    check_chart_downloads(page, "efficiency_dl_eqe_l")
    screenshot(
        page, output_dir, "eqe", focus=page.locator(".st-key-efficiency_dl_eqe_l_svg")
    )
    assert_no_errors(page)


def _stretched_exponential_log() -> tuple[bytes, float]:
    """L(t) = 1000 exp(-(t/100 h)^0.6) every 0.5 h; closed-form T50."""
    tau_h, beta = 100.0, 0.6
    time_h = np.arange(0.0, 200.5, 0.5)
    luminance = 1000.0 * np.exp(-((time_h / tau_h) ** beta))
    text = "Time (h),L (cd/m2)\n" + "".join(
        f"{t:g},{value:.8g}\n" for t, value in zip(time_h, luminance, strict=True)
    )
    return text.encode(), tau_h * np.log(2) ** (1 / beta)


def test_lifetime_of_a_stretched_exponential_decay(page, server, output_dir):
    data, t50_h = _stretched_exponential_log()
    open_page(page, server, "Lifetime")
    choose(page, "lifetime_source", "Upload files")
    upload(page, "lifetime_files", [_file("decay.csv", data)])
    page.get_by_text("L/L0 against time").wait_for()
    wait_idle(page)
    assert_no_errors(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    screenshot(page, output_dir, "decay", focus=chart)

    name, content = download(page, "lifetime_table_csv")
    table = with_machine_names(check_file(name, content), "device", "T50_kind", "T50_h")
    row = table.iloc[0]
    assert row["device"] == "Uploaded device"
    assert row["T50_kind"] == "measured"
    # T50 = τ (ln 2)^(1/β) = 54.29 h; the readings are 0.5 h apart.
    assert row["T50_h"] == pytest.approx(t50_h, abs=0.5)
    check_chart_downloads(page, "lifetime_decay_dl")
    assert_no_errors(page)


def _file(name: str, data: bytes, mime: str = "text/csv") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def _rows_shown(page) -> tuple[int, int]:
    heading = page.locator("h3", has_text=re.compile(r"^Table \(")).first
    shown, total = map(int, re.findall(r"\d+", heading.inner_text())[:2])
    return shown, total


def test_literature_ranks_a_typed_device_and_takes_user_rows(page, server, output_dir):
    open_page(page, server, "Literature")
    shown_before, total_before = _rows_shown(page)
    table = literature.load_table()
    assert total_before == len(table)

    page.get_by_role("spinbutton", name="EL peak [nm]").fill("638")
    page.get_by_role("spinbutton", name="Max EQE [%]").fill("20")
    page.get_by_role("button", name="Rank my device").click()
    shown = wait_for_metrics(page, 1)
    assert_no_errors(page)
    ranking = literature.rank_device(
        {"name": "my device", "el_peak_nm": 638.0, "eqe_max_percent": 20.0},
        table,
        100.0,
        1.8,
    )
    eqe = ranking.loc[ranking["label"] == "Maximum EQE"].iloc[0]
    assert shown["Maximum EQE"] == f"#{eqe['rank']} of {eqe['n_compared'] + 1}"
    screenshot(page, output_dir, "ranked")

    rows = b"record_id,first_author,year,el_peak_nm,eqe_max_percent\n"
    rows += b"user-2024-a,Me,2024,640,30\n"
    upload(page, "literature_user_table", [_file("my_devices.csv", rows)])
    page.locator("h3", has_text=f"of {total_before + 1} rows").wait_for()
    wait_idle(page)
    assert_no_errors(page)

    name, data = download(page, "literature_dl_table")
    frame = with_machine_names(check_file(name, data), "record_id")
    assert "user-2024-a" in set(frame["record_id"])
    name, data = download(page, "literature_dl_bibtex")
    assert name.endswith(".bib") and check_file(name, data).startswith("@")
    check_chart_downloads(page, "literature_dl_eqe_vs_peak")
    screenshot(page, output_dir, "with_user_rows")


def test_report_of_the_demo_devices(page, server, output_dir):
    load_demo(page, server)
    go_to(page, "Report")
    page.get_by_text("Devices side by side", exact=True).wait_for()
    wait_idle(page)
    assert_no_errors(page)
    screenshot(page, output_dir, "report")

    name, data = download(page, "report_metrics_csv")
    side_by_side = check_file(name, data)
    assert {"Control (synthetic)", "Treated (synthetic)"} <= set(side_by_side.columns)
    name, data = download(page, "report_html")
    html = check_file(name, data)
    assert html.lstrip().lower().startswith("<!doctype html")
    # Self-contained: no script or image fetched from elsewhere.
    assert not re.search(r"<(?:script|img|link)[^>]+(?:src|href)=\"https?://", html)
    name, data = download(page, "report_pdf")
    check_file(name, data)
    assert_no_errors(page)


def test_a_page_opened_first_by_its_url_lists_home(page, output_dir):
    """The first request to a fresh server is a page's URL (a bookmark): the
    sidebar names app.py "Home" and the page stays the one asked for (it
    said "app": Streamlit ran the page the old pages/ way until app.py ran)."""
    with streamlit_server(name="server-direct") as url:
        page.goto(f"{url}/Lifetime", wait_until="domcontentloaded")
        page.locator("h1", has_text="Lifetime").wait_for(timeout=TIMEOUT_MS)
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Home", exact=True).wait_for(timeout=TIMEOUT_MS)
        names = [n.strip() for n in nav.locator("a").all_inner_texts()]
        page.screenshot(path=str(output_dir / "direct.png"))
        assert "app" not in names and names[0].endswith("Home"), names
        assert urlparse(page.url).path == "/Lifetime"
