"""
What the browser tests do to a Streamlit page, in one place.

Streamlit renders asynchronously: every helper waits with Playwright's
auto-waiting locators, never with sleeps. Widgets are found by their key
(Streamlit puts ``st-key-<key>`` on the element's container).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

__all__ = [
    "TIMEOUT_MS",
    "open_page",
    "go_to",
    "go_home",
    "wait_idle",
    "upload",
    "choose",
    "metrics",
    "wait_for_metrics",
    "errors",
    "assert_no_errors",
    "download",
    "check_file",
    "screenshot",
]

#: Generous: the first run of a page imports pandas, scipy and colour-science,
#: and two cores are shared with the rest of the test suite. [ms]
TIMEOUT_MS = 60_000

EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'


def by_key(page, key: str, inner: str = ""):
    return page.locator(f".st-key-{key} {inner}".strip())


def wait_idle(page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the script run of the page has finished."""
    page.wait_for_function(
        "() => { const app = document.querySelector('.stApp');"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-stale=\"true\"]'); }",
        timeout=timeout_ms,
    )


def open_page(page, base_url: str, path: str = "") -> None:
    """Open a page by URL (a new session) and wait for its title."""
    page.goto(f"{base_url}/{path}", wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)


def go_to(page, title: str) -> None:
    """Follow a sidebar link (keeps the session, unlike a new URL)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.locator("h1", has_text=title).first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)


def go_home(page) -> None:
    """Follow the first sidebar link (Home, whatever its label), keeping the session."""
    page.locator('[data-testid="stSidebarNav"] a').first.click()
    page.locator("h1", has_text="PeLED Bench").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)


def choose(page, key: str, option: str) -> None:
    """Pick an option of a radio group."""
    by_key(page, key).get_by_text(option, exact=True).click()
    wait_idle(page)


def upload(page, key: str, files) -> None:
    """
    Put files into the real file input of the uploader with this key.

    ``files``: paths, or dicts ``{"name", "mimeType", "buffer"}`` (< 50 MB).
    """
    by_key(page, key, "input[type=file]").set_input_files(files, timeout=TIMEOUT_MS)


def metrics(page) -> dict[str, str]:
    """Label -> value of every st.metric on the page, in order."""
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {
        label.strip(): value.strip()
        for label, value in zip(labels, values, strict=True)
    }


def wait_for_metrics(page, count: int = 1) -> dict[str, str]:
    page.locator('[data-testid="stMetricValue"]').nth(count - 1).wait_for(
        timeout=TIMEOUT_MS
    )
    wait_idle(page)
    return metrics(page)


def errors(page) -> list[str]:
    """Texts of the error alerts on the page."""
    return [t.strip() for t in page.locator(ERROR_ALERT).all_inner_texts()]


def assert_no_errors(page) -> None:
    """No traceback and no error alert (call after :func:`wait_idle`)."""
    exceptions = page.locator(EXCEPTION).all_inner_texts()
    assert not exceptions, f"traceback on the page: {exceptions[0][:2000]}"
    shown = errors(page)
    assert not shown, f"error on the page: {shown}"


def download(page, key: str) -> tuple[str, bytes]:
    """Click the download button with this key; the file name and its bytes."""
    button = by_key(page, key, "button").first
    button.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def with_machine_names(frame, *names: str):
    """A downloaded table (labelled headers: core.tables) with ``names`` back
    as machine column names, so a test compares with core's results."""
    from core.tables.labels import column_label

    labels = {column_label(name): name for name in names}
    missing = [
        n
        for n in names
        if n not in frame.columns and column_label(n) not in frame.columns
    ]
    assert not missing, f"columns {missing} not in the download: {list(frame.columns)}"
    return frame.rename(columns=labels)


def check_file(name: str, data: bytes):
    """Assert the download is a valid, non-empty file of its kind; parse it."""
    assert data, f"{name} is empty"
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(io.BytesIO(data))
        assert len(frame) > 0 and len(frame.columns) > 0, name
        return frame
    if suffix == ".svg":
        text = data.decode("utf-8")
        assert re.search(r"<svg\b", text[:2000]) and text.rstrip().endswith("</svg>")
        return text
    if suffix == ".pdf":
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], name
        return data
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in data[-16:], name
        return data
    if suffix == ".zip":
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None and archive.namelist(), name
        return archive
    if suffix in (".html", ".bib", ".json"):
        return data.decode("utf-8")
    raise AssertionError(f"no check for {name}")


def screenshot(page, folder: Path, name: str, focus=None) -> Path:
    """
    Save a screenshot of what the user sees.

    Streamlit's main area scrolls inside the window, so a full-page shot is
    the viewport: ``focus`` (a locator) is scrolled into view first.
    """
    if focus is not None:
        focus.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
        focus.wait_for(state="visible", timeout=TIMEOUT_MS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path
