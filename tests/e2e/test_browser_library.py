"""
The device library end to end in a real browser: upload a file to a new
current device, save it to the library, reload the page (the same URL with
its session key) and see the same numbers; then, in another browser session,
open it from the library and see the same numbers again; the Library page
lists it.

The server gets a library of its own (``PELED_DATA_DIR`` in a temporary
folder), so the test never touches a developer's ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.library import DATA_DIR_ENV, DATABASE_URL_ENV, Library, database_url
from tests.e2e.browser import (
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    choose,
    go_to,
    open_page,
    screenshot,
    upload,
    wait_for_metrics,
    wait_idle,
)
from tests.e2e.server import streamlit_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "tests" / "data" / "synthetic_wide_time.csv"
ALERT = '[data-testid="stSidebar"] [data-testid="stAlertContainer"]'


@pytest.fixture(scope="module")
def library_server(tmp_path_factory):
    """The app with its library in a temporary folder: (URL, data folder)."""
    data = tmp_path_factory.mktemp("library") / "data"
    saved = {k: os.environ.get(k) for k in (DATA_DIR_ENV, DATABASE_URL_ENV)}
    os.environ[DATA_DIR_ENV] = str(data)
    os.environ.pop(DATABASE_URL_ENV, None)
    try:
        server = streamlit_server(name="server-library")
        url = server.__enter__()
    finally:  # the server process has its environment; ours is restored
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        yield url, data
    finally:
        server.__exit__(None, None, None)


def sidebar_alerts(page) -> list[str]:
    return [t.strip() for t in page.locator(ALERT).all_inner_texts()]


#: Result cards the Spectral stability page draws for one device.
STABILITY_CARDS = 6


def close_popover(page) -> None:
    """Escape, and wait until the popover is gone (it takes the clicks)."""
    page.keyboard.press("Escape")
    page.locator('[data-testid="stPopoverBody"]').wait_for(
        state="hidden", timeout=TIMEOUT_MS
    )


def stability_numbers(page) -> dict[str, str]:
    # Every card: the browser may still be drawing some after the run ends.
    shown = wait_for_metrics(page, STABILITY_CARDS)
    return {k: v for k, v in shown.items() if k != "Drift rate [nm/h]"} | {
        "Drift rate [nm/h]": shown.get("Drift rate [nm/h]", "")
    }


def test_save_reload_and_reopen_show_the_same_numbers(
    browser, library_server, output_dir
):
    base, data = library_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_page(page, base, "Spectral_stability")
    assert "session=" in page.url

    # A new current device, then an upload that goes to it.
    by_key(page, "device_bar_new_pop", "button").first.click()
    by_key(page, "device_bar_new_name", "input").fill("E2E-1")
    by_key(page, "device_bar_new_batch", "input").fill("B-e2e")
    page.get_by_role("button", name="Create device").click()
    wait_idle(page)
    close_popover(page)
    choose(page, "stability_source", "Upload files")
    upload(page, "stability_files", [str(SERIES)])
    wait_idle(page)
    assert by_key(page, "stability_device", "input").input_value() == "E2E-1"
    by_key(page, "stability_add", "button").click()
    wait_idle(page)
    before = stability_numbers(page)
    assert before["Peak shift (trend)"] == "-4.00 nm"

    # Save to library.
    by_key(page, "device_bar_save", "button").click()
    page.locator(ALERT, has_text="Saved E2E-1").wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_no_errors(page)
    assert "Saved E2E-1 to the library as device #1." in sidebar_alerts(page)
    screenshot(page, output_dir, "1-saved")
    with Library(database_url({DATA_DIR_ENV: str(data)})) as library:
        (entry,) = library.list_devices()
        assert entry.record.name == "E2E-1" and entry.record.batch == "B-e2e"
        assert library.open_device(entry.id).files[0].data == SERIES.read_bytes()

    # Reload: the same URL (with its session key) is a new session.
    url = page.url
    page.reload(wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert page.url == url
    page.locator(ALERT, has_text="Reopened 1 device(s)").wait_for(timeout=TIMEOUT_MS)
    assert stability_numbers(page) == before
    assert_no_errors(page)
    screenshot(page, output_dir, "2-reloaded")
    context.close()

    # Another browser session: open it from the library.
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = other.new_page()
    open_page(page, base, "Spectral_stability")
    by_key(page, "device_bar_open_pop", "button").first.click()
    by_key(page, "device_bar_search", "input").fill("E2E")
    by_key(page, "device_bar_search", "input").press("Enter")
    wait_idle(page)
    screenshot(page, output_dir, "3-open-from-library")
    by_key(page, "device_bar_open", "button").click()
    page.locator(ALERT, has_text="Opened E2E-1").wait_for(timeout=TIMEOUT_MS)
    close_popover(page)
    assert stability_numbers(page) == before
    assert_no_errors(page)

    # The Library page lists it with its numbers.
    go_to(page, "Library")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_no_errors(page)
    screenshot(page, output_dir, "4-library")
    other.close()
