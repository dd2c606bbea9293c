"""
Signing in for real: Streamlit's OIDC login against a local OpenID Connect
provider (``oidc-provider-mock``, started in a thread), two users in two
browsers. Alice saves a private device; Bob, signed in, does not see it on
the Library page and ``?open=<its id>`` gives him the PermissionDenied
sentence; Alice still opens it.

The server reads an ``[auth]`` section from a secrets file of its own
(``--secrets.files``) and keeps its library in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.library import DATA_DIR_ENV, DATABASE_URL_ENV, Library, database_url
from tests.e2e import server as server_module
from tests.e2e.browser import (
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    choose,
    go_to,
    open_page,
    screenshot,
    upload,
    wait_idle,
)

pytestmark = pytest.mark.browser
oidc = pytest.importorskip(
    "oidc_provider_mock", reason="oidc-provider-mock is not installed"
)
pytest.importorskip("authlib", reason="Authlib (Streamlit's login) is not installed")

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "tests" / "data" / "synthetic_wide_time.csv"
ALERT = '[data-testid="stSidebar"] [data-testid="stAlertContainer"]'


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    """(app URL, data folder) of an app whose login goes to a local provider."""
    folder = tmp_path_factory.mktemp("login")
    with oidc.run_server_in_thread() as provider:
        port = server_module.free_port()
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "only-for-this-test-0123456789abcdef"\n'
            'client_id = "peled-bench"\n'
            'client_secret = "peled-bench-secret"\n'
            'server_metadata_url = "http://127.0.0.1:'
            f'{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        saved = {k: os.environ.get(k) for k in (DATA_DIR_ENV, DATABASE_URL_ENV)}
        os.environ[DATA_DIR_ENV] = str(folder / "data")
        os.environ.pop(DATABASE_URL_ENV, None)
        free_port, server_module.free_port = server_module.free_port, lambda: port
        try:
            server = server_module.streamlit_server(
                "--secrets.files", str(secrets), name="server-login"
            )
            url = server.__enter__()
        finally:
            server_module.free_port = free_port
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        try:
            yield url, folder / "data"
        finally:
            server.__exit__(None, None, None)


def sign_in(browser, base: str, email: str):
    """A browser context signed in as ``email`` (the provider's form)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_page(page, base, "Library")
    assert page.get_by_text("Sign in (sidebar) to see the device library.").count()
    by_key(page, "device_bar_login", "button").click()
    page.locator('input[name="sub"]').fill(email, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Authorize").click()
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text(f"Signed in as {email}").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    return context, page


def test_one_user_cannot_see_or_open_anothers_private_device(
    browser, login_server, output_dir
):
    base, data = login_server
    alice, page = sign_in(browser, base, "alice@lab.example")
    go_to(page, "Spectral stability")
    by_key(page, "device_bar_new_pop", "button").first.click()
    by_key(page, "device_bar_new_name", "input").fill("Alice private")
    page.get_by_role("button", name="Create device").click()
    wait_idle(page)
    page.keyboard.press("Escape")
    choose(page, "stability_source", "Upload files")
    upload(page, "stability_files", [str(SERIES)])
    wait_idle(page)
    by_key(page, "stability_add", "button").click()
    wait_idle(page)
    by_key(page, "device_bar_save", "button").click()
    page.locator(ALERT, has_text="Saved Alice private").wait_for(timeout=TIMEOUT_MS)
    screenshot(page, output_dir, "1-alice-saved")
    with Library(database_url({DATA_DIR_ENV: str(data)})) as library:
        (entry,) = library.list_devices(trash=False, user=_user("alice@lab.example"))
        assert entry.owner == "alice@lab.example"
        assert entry.record.visibility == "private"
    device_id = entry.id

    bob, other = sign_in(browser, base, "bob@lab.example")
    assert_no_errors(other)
    go_to(other, "Library")  # the provider sends a new sign-in back to Home
    empty = other.get_by_text("No saved devices yet.")
    empty.first.wait_for(timeout=TIMEOUT_MS)
    assert empty.count() == 1
    screenshot(other, output_dir, "2-bob-library")
    open_page(other, base, f"Library?open={device_id}")
    message = (
        f"Device {device_id} is a private record of another user: you cannot "
        "open, change or delete it."
    )
    other.locator(ALERT, has_text=message).wait_for(timeout=TIMEOUT_MS)
    screenshot(other, output_dir, "3-bob-open-refused")
    bob.close()

    open_page(page, base, f"Library?open={device_id}")
    page.locator(
        ALERT, has_text=f"Opened Alice private (device #{device_id})"
    ).wait_for(timeout=TIMEOUT_MS)
    alice.close()


def _user(email: str):
    from core.library import User

    return User.from_email(email)
