"""
Hostile files through the real upload widget: the user reads the reader's
sentence, never a traceback, and the page keeps working.

A representative subset of the catalogue in tests/test_hostile_inputs.py; the
expected sentence is the one the core reader gives for the same bytes.
"""

from __future__ import annotations

import re

import pytest

from core.errors import InputError
from tests.e2e.browser import (
    ERROR_ALERT,
    EXCEPTION,
    TIMEOUT_MS,
    assert_no_errors,
    by_key,
    choose,
    errors,
    open_page,
    screenshot,
    upload,
    wait_for_metrics,
    wait_idle,
)
from tests.test_hostile_inputs import CATALOGUE, base_text, read

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="the playwright package is not installed; browser tests skipped",
).expect

CASES = {case.id: case for case in CATALOGUE}
CHART = '[data-testid="stVegaLiteChart"]'

#: page path, reader, uploader key, source radio key, cases.
PAGES = {
    "Spectral_stability": (
        "spectra",
        "stability_files",
        "stability_source",
        [
            "empty",
            "binary_random",
            "zip_renamed_csv",
            "pdf_renamed_txt",
            "pickle_renamed_csv",
            "text_in_a_number_column",
            "spreadsheet_formula",
            "nan_everywhere",
            "repeated_first_column_value",
            "html_in_the_file_name",
        ],
    ),
    "Efficiency": (
        "jvl",
        "efficiency_files",
        "efficiency_source",
        ["whitespace_only", "one_column", "pipe_delimiter", "inf_everywhere"],
    ),
    "Lifetime": (
        "lifetime",
        "lifetime_files",
        "lifetime_source",
        ["single_data_row", "descending_first_column", "utf16_with_bom"],
    ),
}

#: A good file per page, uploaded after the hostile ones: the page still works.
GOOD = {
    "spectra": ("good_series.csv", 6),
    "jvl": ("good_sweep.csv", 6),
    "lifetime": ("good_log.csv", 0),
}


def _remove_uploads(page, key: str) -> None:
    """Delete every uploaded file, as a user clicks the chips' delete buttons."""
    chips = by_key(page, key, '[data-testid="stFileChipDeleteBtn"] button')
    while chips.count():
        before = chips.count()
        chips.first.click()
        expect(chips).to_have_count(before - 1, timeout=TIMEOUT_MS)
    # The rerun without the file has cleared the previous message.
    expect(page.locator(ERROR_ALERT)).to_have_count(0, timeout=TIMEOUT_MS)
    wait_idle(page)


def _upload_one(page, key: str, name: str, data: bytes) -> None:
    upload(page, key, [{"name": name, "mimeType": "text/plain", "buffer": data}])
    # Chips shorten long names in the middle ("<img sr...rt(1)>.csv").
    chips = by_key(page, key, '[data-testid="stFileChipName"]')
    expect(chips).to_have_count(1, timeout=TIMEOUT_MS)


def _expected_message(reader: str, name: str, data: bytes) -> str | None:
    try:
        read(reader, name, data)
    except InputError as error:
        return str(error)
    return None


@pytest.mark.parametrize("path", list(PAGES))
def test_hostile_files_get_the_readers_sentence(
    page, server, output_dir, tmp_path, path
):
    reader, key, source_key, case_ids = PAGES[path]
    open_page(page, server, path)
    choose(page, source_key, "Upload files")
    problems = []
    for case_id in case_ids:
        name, data = CASES[case_id].make(base_text(reader), tmp_path)
        expected = _expected_message(reader, name, data)
        _upload_one(page, key, name, data)
        if expected is not None:
            page.locator(ERROR_ALERT).first.wait_for(timeout=TIMEOUT_MS)
        else:
            # The reader accepts it (e.g. UTF-16 with a BOM): results appear.
            page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        screenshot(page, output_dir, case_id)
        traceback = page.locator(EXCEPTION).all_inner_texts()
        shown = errors(page)
        if traceback:
            problems.append(f"{case_id}: traceback {traceback[0][:300]}")
        elif expected is None and shown:
            problems.append(f"{case_id}: read by core, but the page shows {shown}")
        elif expected is not None and expected not in shown:
            problems.append(f"{case_id}: expected {expected!r}, shown {shown}")
        # Nothing the user uploaded became HTML, script or a file on the server.
        assert page.locator("img[src='x']").count() == 0
        assert not page.dialogs, page.dialogs
        assert not list(tmp_path.iterdir()), "uploaded content was run on the server"
        _remove_uploads(page, key)
    assert not problems, "\n".join(problems)

    good_name, metric_count = GOOD[reader]
    upload(
        page,
        key,
        [
            {
                "name": good_name,
                "mimeType": "text/csv",
                "buffer": base_text(reader).encode(),
            }
        ],
    )
    if metric_count:
        wait_for_metrics(page, metric_count)
    else:
        page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
    assert_no_errors(page)
    screenshot(page, output_dir, "good_file_after")


def test_markup_in_a_file_is_shown_as_text(page, server, output_dir):
    """Text from the file echoed in a message is not rendered as HTML."""
    content = (
        "Wavelength (nm),<b>bold</b>\n600,1\n601,<img src=x onerror=alert(1)>\n"
        "602,<script>alert(2)</script>\n"
    )
    name = "<svg onload=alert(3)>.csv"
    open_page(page, server, "Spectral_stability")
    choose(page, "stability_source", "Upload files")
    upload(
        page,
        "stability_files",
        [{"name": name, "mimeType": "text/csv", "buffer": content.encode()}],
    )
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    text = alert.inner_text()
    assert name in text and "<img src=x onerror=alert(1)>" in text
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("b", has_text="bold").count() == 0
    assert page.locator("main svg[onload]").count() == 0
    assert not page.dialogs, page.dialogs
    assert not re.search(r"<script>alert\(2\)", page.content().split("</head>")[0])
    screenshot(page, output_dir, "markup_as_text")


def test_content_is_never_run_on_the_server(page, server, output_dir, tmp_path):
    """A pickle tripwire and a Python expression leave no marker file behind."""
    open_page(page, server, "Efficiency")
    choose(page, "efficiency_source", "Upload files")
    for case_id in ("pickle_renamed_csv", "python_expression_in_a_cell"):
        name, data = CASES[case_id].make(base_text("jvl"), tmp_path)
        _upload_one(page, "efficiency_files", name, data)
        page.locator(ERROR_ALERT).first.wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        assert not page.locator(EXCEPTION).count()
        screenshot(page, output_dir, case_id)
        _remove_uploads(page, "efficiency_files")
    assert not list(tmp_path.iterdir()), "uploaded content was run on the server"


def test_file_text_quoted_in_a_message_is_shown_verbatim(page, server, output_dir):
    content = "Wavelength (nm),Intensity\n600,1\n601,__init__\n602,1\n603,1\n604,1\n"
    link = "Wavelength (nm),Intensity\n600,[fix](https://example.org/fix)\n"
    open_page(page, server, "Spectral_stability")
    choose(page, "stability_source", "Upload files")
    shown = []
    for name, text in (("dunder.csv", content), ("link.csv", link)):
        expected = _expected_message("spectra", name, text.encode())
        _upload_one(page, "stability_files", name, text.encode())
        page.locator(ERROR_ALERT).first.wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        screenshot(page, output_dir, name)
        shown.append((expected, errors(page)))
        links = page.locator(f"{ERROR_ALERT} a[href^='https://example.org']").count()
        _remove_uploads(page, "stability_files")
        assert links == 0, "a link from the file is clickable in the error"
    for expected, texts in shown:
        assert expected in texts, (expected, texts)
