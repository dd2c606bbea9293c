"""
Limits and protections as the browser and the network see them: the upload
size limit (in the widget and on the server), XSRF on uploads.

The limit is tested on a second server started with ``--server.maxUploadSize
1`` so a 2 MB file is enough; the deployed value comes from
.streamlit/config.toml (checked in tests/test_hostile_inputs.py).
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.browser import (
    EXCEPTION,
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    choose,
    open_page,
    screenshot,
    upload,
    wait_idle,
)
from tests.test_hostile_inputs import spectrum_series_text

pytestmark = pytest.mark.browser

TWO_MB = b"600,1.0\n" * (2 * 2**20 // 8)
XSRF_COOKIE = "_streamlit_xsrf"


def _upload_page(page, url: str) -> list[str]:
    """Open the Spectral stability upload; return the upload URLs the app uses."""
    uploads: list[str] = []
    page.on(
        "request",
        lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url else None,
    )
    open_page(page, url, "Spectral_stability")
    choose(page, "stability_source", "Upload files")
    return uploads


def test_a_file_over_the_upload_limit_is_refused_with_a_message(
    page, limited_server, output_dir
):
    _upload_page(page, limited_server)
    upload(
        page,
        "stability_files",
        [{"name": "too_big.csv", "mimeType": "text/csv", "buffer": TWO_MB}],
    )
    uploader = by_key(page, "stability_files")
    uploader.get_by_text(re.compile(r"File must be 1(\.0)?\s?MB or smaller")).wait_for(
        timeout=TIMEOUT_MS
    )
    wait_idle(page)
    assert by_key(page, "stability_files").get_by_text("too_big.csv").count()
    # Refused before the app saw it: no results, no reader message, no traceback.
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    assert page.locator(EXCEPTION).count() == 0
    # The sentence is the chip's tooltip: what a user reads on hovering the
    # red chip (it is not on the page otherwise; reported).
    by_key(page, "stability_files", '[data-testid="stTooltipErrorHoverTarget"]').hover()
    tooltip = page.locator('[data-testid="stTooltipErrorContent"]').first
    tooltip.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert re.search(r"File must be 1(\.0)?\s?MB or smaller", tooltip.inner_text())
    screenshot(page, output_dir, "refused")


def _session_and_token(page, uploads: list[str]) -> tuple[str, str]:
    """Upload a small good file, then read the session id and the XSRF cookie."""
    upload(
        page,
        "stability_files",
        [
            {
                "name": "small.csv",
                "mimeType": "text/csv",
                "buffer": spectrum_series_text().encode(),
            }
        ],
    )
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_no_errors(page)
    assert uploads, "no upload request was seen"
    session_id = re.search(r"/_stcore/upload_file/([^/]+)/", uploads[-1]).group(1)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return session_id, cookies[XSRF_COOKIE]


def _put(page, url: str, session_id: str, data: bytes, token: str | None):
    headers = {"X-Xsrftoken": token} if token else {}
    return page.request.put(
        f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
        multipart={
            "file": {"name": "direct.csv", "mimeType": "text/csv", "buffer": data}
        },
        headers=headers,
        fail_on_status_code=False,
    )


def test_the_server_refuses_an_oversized_upload_without_the_widget(
    page, limited_server
):
    """A client that skips the widget's size check still gets HTTP 413."""
    uploads = _upload_page(page, limited_server)
    session_id, token = _session_and_token(page, uploads)
    small = _put(page, limited_server, session_id, b"600,1\n" * 1000, token)
    assert small.status == 204, small.text()
    large = _put(page, limited_server, session_id, TWO_MB, token)
    assert large.status == 413, large.text()


def test_uploads_need_the_xsrf_token(page, server):
    """Streamlit's XSRF protection is on: an upload without the token is refused."""
    uploads = _upload_page(page, server)
    session_id, token = _session_and_token(page, uploads)
    data = spectrum_series_text().encode()
    assert _put(page, server, session_id, data, None).status == 403
    assert _put(page, server, session_id, data, "forged-token").status == 403
    assert _put(page, server, session_id, data, token).status == 204
