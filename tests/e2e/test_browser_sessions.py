"""
Several users at once: eight browser contexts (eight Streamlit sessions) each
upload their own series at the same time, each sees only its own results and
its own device, and the time from upload to results is recorded per session.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import stability
from core.io import read_spectral_series
from tests.e2e.browser import (
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    choose,
    open_page,
    screenshot,
    upload,
    wait_for_metrics,
    wait_idle,
)
from tests.e2e.test_browser_pages import value_of

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="the playwright package is not installed; browser tests skipped",
).expect

SESSIONS = 8

#: Records, in the page's own clock, when the first result card appears.
WATCH_RESULTS = """() => {
  window.__resultsAt = null;
  new MutationObserver(() => {
    if (window.__uploadAt != null && window.__resultsAt == null &&
        document.querySelector('[data-testid="stMetricValue"]')) {
      window.__resultsAt = performance.now();
    }
  }).observe(document.body, {subtree: true, childList: true});
}"""


def series_file(peak_nm: float) -> bytes:
    """A two-spectrum wide table with its own peak (Gaussian, 30 nm FWHM)."""
    wavelength = np.arange(560.0, 720.0, 1.0)
    sigma = 30.0 / (2 * np.sqrt(2 * np.log(2)))
    lines = ["Wavelength (nm),t = 0 h,t = 1 h"]
    for w in wavelength:
        first = np.exp(-0.5 * ((w - peak_nm) / sigma) ** 2)
        later = np.exp(-0.5 * ((w - peak_nm - 1.5) / sigma) ** 2)
        lines.append(f"{w:g},{first:.6f},{later:.6f}")
    return ("\n".join(lines) + "\n").encode()


def test_eight_users_at_once_see_only_their_own_data(browser, server, output_dir):
    peaks = [620.0 + 4.0 * k for k in range(SESSIONS)]
    names = [f"user{k + 1}-device" for k in range(SESSIONS)]
    files = [series_file(peak) for peak in peaks]
    expected = [
        stability.series_stability(read_spectral_series(data, f"user{k + 1}.csv"))
        for k, data in enumerate(files)
    ]
    contexts = [
        browser.new_context(viewport={"width": 1400, "height": 1000})
        for _ in range(SESSIONS)
    ]
    try:
        pages = [context.new_page() for context in contexts]
        for page, name in zip(pages, names, strict=True):
            open_page(page, server, "Spectral_stability")
            choose(page, "stability_source", "Upload files")
            device = by_key(page, "stability_device", "input")
            device.fill(name)
            device.press("Enter")
            expect(device).to_have_value(name, timeout=TIMEOUT_MS)
            wait_idle(page)
            page.evaluate(WATCH_RESULTS)
        # The eight uploads start within a fraction of a second: the server
        # reads and analyses eight files at once.
        for k, page in enumerate(pages):
            page.evaluate("() => { window.__uploadAt = performance.now(); }")
            upload(
                page,
                "stability_files",
                [
                    {
                        "name": f"user{k + 1}.csv",
                        "mimeType": "text/csv",
                        "buffer": files[k],
                    }
                ],
            )
        seconds = []
        for k, page in enumerate(pages):
            shown = wait_for_metrics(page, 6)
            assert_no_errors(page)
            seconds.append(
                page.evaluate("() => (window.__resultsAt - window.__uploadAt) / 1000")
            )
            first_peak = expected[k].metrics.peak_nm.iloc[0]
            assert abs(first_peak - peaks[k]) < 0.5
            assert value_of(shown, r"reference peak") == pytest.approx(
                first_peak, abs=0.051
            )
            text = page.locator('[data-testid="stMain"]').first.inner_text()
            assert names[k] in text
            others = [n for n in names if n != names[k]]
            assert not [n for n in others if n in text], (
                f"session {k + 1} sees {others}"
            )
        # Each adds its device to its session; Home lists that device alone.
        for page in pages:
            by_key(page, "stability_add", "button").click()
        for page in pages:
            page.get_by_text("Added to the session").first.wait_for(timeout=TIMEOUT_MS)
            wait_idle(page)
            page.locator('[data-testid="stSidebarNav"] a').first.click()
        for k, page in enumerate(pages):
            page.locator("h1", has_text="PeLED Bench").first.wait_for(
                timeout=TIMEOUT_MS
            )
            page.get_by_text(names[k]).first.wait_for(timeout=TIMEOUT_MS)
            wait_idle(page)
            listed = [n for n in names if page.get_by_text(n).count()]
            assert listed == [names[k]], f"session {k + 1} lists {listed}"
        screenshot(pages[0], output_dir, "session1_home")
        screenshot(pages[-1], output_dir, f"session{SESSIONS}_home")
    finally:
        for context in contexts:
            context.close()
    timings = {
        "sessions": SESSIONS,
        "seconds_upload_to_results": [round(s, 3) for s in seconds],
        "p50_s": round(float(np.percentile(seconds, 50)), 3),
        "max_s": round(max(seconds), 3),
    }
    (output_dir / "timings.json").write_text(json.dumps(timings, indent=2))
    print(f"\n{SESSIONS} concurrent sessions, upload -> results: {timings}")
    assert all(0 < s < 60 for s in seconds), timings
