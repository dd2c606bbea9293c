"""
core/literature/crossref.py: "fill from DOI". Only the HTTP call is replaced
(``httpx2.get``, which habanero uses): the answer is a recorded-format
synthetic Crossref response for the seed paper (recorded/crossref_ren2024acsml.json,
written in Crossref's /works schema from the paper's repository copy), so
habanero's own handling and our mapping are what is tested. The expected
fields are the curated row ``ren2024acsml-treated``, read from the CSV.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest
from literature_support import row_of

from core.errors import InputError
from core.literature import (
    citation_from_message,
    fetch_citation,
    normalise_doi,
    suggest_record_id,
)

RECORDED = Path(__file__).parent / "recorded" / "crossref_ren2024acsml.json"
DOI = "10.1021/acsmaterialslett.4c00912"


def _answer(status: int, body: dict | None, url: str) -> httpx2.Response:
    request = httpx2.Request("GET", url)
    if body is None:
        return httpx2.Response(status, text="Resource not found.", request=request)
    return httpx2.Response(status, json=body, request=request)


@pytest.fixture
def calls(monkeypatch):
    """Replace the HTTP GET habanero makes; collect what was asked."""
    made: list[dict] = []
    behaviour: dict = {"status": 200, "body": json.loads(RECORDED.read_text())}

    def fake_get(url, params=None, headers=None, timeout=None, **kw):
        made.append({"url": str(url), "timeout": timeout})
        if "raise" in behaviour:
            raise behaviour["raise"]
        return _answer(behaviour["status"], behaviour["body"], str(url))

    monkeypatch.setattr(httpx2, "get", fake_get)
    return made, behaviour


def test_the_recorded_answer_maps_to_the_curated_row(calls, table):
    made, _ = calls
    found = fetch_citation(f"https://doi.org/{DOI}", timeout=3)
    row = row_of(table, "ren2024acsml-treated")
    assert made == [{"url": f"https://api.crossref.org/works/{DOI}", "timeout": 3}]
    assert found["doi"] == row["doi"] == DOI
    assert found["first_author"] == row["first_author"] == "Ren"
    assert found["year"] == row["year"] == 2024
    assert found["journal"] == row["journal"] == "ACS Materials Letters"
    assert found["volume_pages"] == row["volume_pages"] == "6, 4115-4123"
    # Crossref's <sub>3</sub> markup is dropped: the title as the table has it.
    assert found["title"] == row["title"]
    assert (
        suggest_record_id(found["first_author"], found["year"], found["journal"])
        + ("-treated")
        == row["record_id"]
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx2.ConnectError("no route"), "Crossref could not be reached (offline?)"),
        (httpx2.ConnectTimeout("slow"), "Crossref did not answer within 5 s"),
        (httpx2.ReadTimeout("slow"), "Crossref did not answer within 5 s"),
    ],
)
def test_offline_and_timeouts_say_fill_by_hand(calls, error, expected):
    _, behaviour = calls
    behaviour["raise"] = error
    with pytest.raises(InputError) as info:
        fetch_citation(DOI)
    assert str(info.value).startswith(expected)
    assert str(info.value).endswith("fill the fields by hand.")


def test_an_unknown_doi_is_named(calls):
    _, behaviour = calls
    behaviour.update(status=404, body=None)
    with pytest.raises(InputError, match=r"no record of the DOI 10\.1021/x\.y"):
        fetch_citation("10.1021/x.y")


def test_a_server_error_gives_its_status(calls):
    _, behaviour = calls
    behaviour.update(status=503, body={"status": "error", "message": []})
    with pytest.raises(InputError, match="HTTP status 503"):
        fetch_citation(DOI)


def test_not_a_doi_is_refused_before_any_request(calls):
    made, _ = calls
    with pytest.raises(InputError, match="expected a DOI such as"):
        fetch_citation("acsmaterialslett.4c00912")
    assert made == []


def test_an_answer_without_a_work_is_refused():
    with pytest.raises(InputError, match="not a work record"):
        citation_from_message({"items": []})


def test_mapping_of_issue_and_article_number():
    message = {
        "DOI": "10.1/abc",
        "author": [{"family": "Second", "sequence": "additional"},
                   {"family": "Müller", "sequence": "first"}],
        "volume": "12",
        "issue": "3",
        "article-number": "2401234",
        "published-online": {"date-parts": [[2025, 2, 1]]},
        "container-title": [],
    }  # fmt: skip
    found = citation_from_message(message)
    assert found["first_author"] == "Müller"
    assert found["volume_pages"] == "12 (3), 2401234"
    assert found["year"] == 2025
    assert found["journal"] == ""
    assert (
        suggest_record_id("Müller", 2025, "Nature Photonics") == "muller2025natphoton"
    )


@pytest.mark.parametrize(
    "text", [" doi:10.1021/abc ", "https://dx.doi.org/10.1021/abc", "10.1021/abc"]
)
def test_doi_prefixes_are_dropped(text):
    assert normalise_doi(text) == "10.1021/abc"
