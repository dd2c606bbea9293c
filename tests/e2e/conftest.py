"""
Browser end-to-end fixtures: a real Streamlit server and headless Chromium.

Every test in this folder is marked ``browser`` and skipped, with the reason,
when the system Chromium (``/usr/bin/chromium``, or ``PELED_CHROMIUM``) or the
Playwright package is missing. Playwright's own browser download is never
used: it drives Debian's ``chromium``. Tests write screenshots and server logs
to ``test-output/e2e/`` in the repository root (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, OUTPUT, streamlit_server

HERE = Path(__file__).resolve().parent


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' "
            "package, or set PELED_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason and os.environ.get("PELED_REQUIRE_BROWSER") == "1":
        # CI with Chromium installed: a missing piece is an error, not a skip.
        raise pytest.UsageError(f"PELED_REQUIRE_BROWSER=1 but {reason}")
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"{reason}: browser tests skipped"))


@pytest.fixture(scope="session")
def server():
    """The app as deployed (the repository's .streamlit/config.toml)."""
    with streamlit_server(name="server") as url:
        yield url


@pytest.fixture(scope="session")
def limited_server():
    """The app with a 1 MB upload limit, to test the limit with small files."""
    with streamlit_server("--server.maxUploadSize", "1", name="server-1mb") as url:
        yield url


# --- the browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    chromium = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture
def output_dir(request) -> Path:
    """test-output/e2e/<test name>/ (emptied first)."""
    folder = OUTPUT / _slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(browser, output_dir):
    """A fresh browser context (its own cookies: its own Streamlit session)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    with contextlib.suppress(Exception):
        page.screenshot(path=str(output_dir / "last.png"), full_page=True)
    context.close()
