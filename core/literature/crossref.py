"""
"Fill from DOI": a paper's citation fields from Crossref.

:func:`fetch_citation` asks Crossref's REST API (through habanero, with a
timeout) for one DOI and maps the answer with :func:`citation_from_message`
to the literature table's columns ``doi, first_author, year, journal,
volume_pages, title``. Any failure (offline, timeout, unknown DOI, an answer
that is not a Crossref work) raises :class:`~core.errors.InputError` with a
sentence that says to fill the fields by hand: the app works without the
network, this only saves typing.

:func:`suggest_record_id` builds the table's record id from those fields
(``<first author><year><journal short>``, literature/README.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

from core.errors import InputError
from core.literature.paths import LITERATURE_README_PATH

__all__ = [
    "CROSSREF_TIMEOUT_S",
    "citation_from_message",
    "fetch_citation",
    "normalise_doi",
    "suggest_record_id",
]

#: Seconds Crossref is given to answer before the form says "fill by hand".
CROSSREF_TIMEOUT_S = 5.0

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")
_BY_HAND = "fill the fields by hand"


def normalise_doi(text: str) -> str:
    """
    A DOI as the table stores it: no ``https://doi.org/`` or ``doi:`` prefix.

    Raises
    ------
    InputError
        When what is left is not a DOI (``10.<registrant>/<suffix>``).

    Examples
    --------
    >>> normalise_doi(" https://doi.org/10.1021/acsmaterialslett.4c00912 ")
    '10.1021/acsmaterialslett.4c00912'
    """
    doi = _DOI_PREFIXES.sub("", str(text or "").strip()).strip()
    if not _DOI.match(doi):
        raise InputError(
            f"DOI: expected a DOI such as 10.1021/acsmaterialslett.4c00912, "
            f"found {str(text or '').strip()!r}.",
            column="doi",
        )
    return doi


def _plain(text) -> str:
    """Crossref text without its markup (``CsPbI<sub>3</sub>`` -> ``CsPbI3``)."""
    return " ".join(html.unescape(_TAG.sub("", str(text or ""))).split())


def _first(values) -> str:
    if isinstance(values, list):
        return _plain(values[0]) if values else ""
    return _plain(values)


def _year(message: Mapping) -> int | None:
    """The year of issue (Crossref's ``issued``, else the print/online dates)."""
    for key in ("issued", "published-print", "published-online", "published"):
        parts = (message.get(key) or {}).get("date-parts") or [[None]]
        year = parts[0][0] if parts and parts[0] else None
        if isinstance(year, int):
            return year
    return None


def _first_author(authors) -> str:
    if not isinstance(authors, list) or not authors:
        return ""
    first = next(
        (a for a in authors if isinstance(a, dict) and a.get("sequence") == "first"),
        authors[0],
    )
    if not isinstance(first, dict):
        return ""
    return _plain(first.get("family") or first.get("name") or "")


def _volume_pages(message: Mapping) -> str:
    """``"6, 4115-4123"`` as the table writes it (volume, issue, pages)."""
    volume = _plain(message.get("volume"))
    issue = _plain(message.get("issue"))
    pages = _plain(message.get("page") or message.get("article-number"))
    pages = pages.replace("\u2013", "-")
    head = f"{volume} ({issue})" if volume and issue else volume
    return ", ".join(part for part in (head, pages) if part)


def citation_from_message(message: Mapping) -> dict[str, object]:
    """
    The table's citation columns from a Crossref ``work`` message.

    Parameters
    ----------
    message : mapping
        The ``message`` of Crossref's ``/works/{doi}`` answer.

    Returns
    -------
    dict
        ``doi``, ``first_author`` (family name of the author in sequence
        "first"), ``year`` (int, or None), ``journal`` (the first container
        title), ``volume_pages`` (``"6, 4115-4123"``; ``"6 (9), ..."`` with an
        issue) and ``title`` (markup removed); '' where Crossref has nothing.

    Raises
    ------
    InputError
        When the message has no DOI (not a Crossref work).
    """
    if not isinstance(message, Mapping) or not message.get("DOI"):
        raise InputError(
            f"Crossref's answer is not a work record (no DOI in it): {_BY_HAND}."
        )
    return {
        "doi": str(message["DOI"]).strip(),
        "first_author": _first_author(message.get("author")),
        "year": _year(message),
        "journal": _first(message.get("container-title")),
        "volume_pages": _volume_pages(message),
        "title": _first(message.get("title")),
    }


def _request_error(error: Exception, doi: str, timeout: float) -> InputError:
    """The InputError of a failed request: offline, timeout, unknown DOI."""
    import httpx2
    from habanero import RequestError

    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, RequestError):
        status = error.status_code
    if isinstance(error, httpx2.TimeoutException):
        text = f"Crossref did not answer within {timeout:g} s (offline?): {_BY_HAND}."
    elif status == 404:
        text = (
            f"Crossref has no record of the DOI {doi}: check it, or {_BY_HAND} "
            "(a DOI registered elsewhere, e.g. DataCite, is not in Crossref)."
        )
    elif status is not None:
        text = f"Crossref answered with HTTP status {status} for {doi}: {_BY_HAND}."
    else:
        text = f"Crossref could not be reached (offline?): {_BY_HAND}."
    return InputError(text, column="doi")


def fetch_citation(
    doi: str, timeout: float = CROSSREF_TIMEOUT_S, *, mailto: str | None = None
) -> dict[str, object]:
    """
    Title, authors, journal and year of a DOI from Crossref.

    Parameters
    ----------
    doi : str
        The DOI, with or without ``https://doi.org/``.
    timeout : float
        Seconds to wait for Crossref. [s]
    mailto : str, optional
        Contact address sent to Crossref (its "polite pool").

    Returns
    -------
    dict
        :func:`citation_from_message` of Crossref's answer.

    Raises
    ------
    InputError
        Not a DOI; habanero missing; Crossref unreachable, too slow, or
        without this DOI; an answer that is not a work. The sentence ends
        with "fill the fields by hand".
    """
    doi = normalise_doi(doi)
    try:
        import httpx2
        from habanero import Crossref, RequestError
    except ImportError:
        raise InputError(
            f"habanero (the Crossref client) is not installed: {_BY_HAND}."
        ) from None
    client = Crossref(mailto=mailto, timeout=timeout)
    try:
        answer = client.works(ids=doi)
    except (httpx2.HTTPError, RequestError, RuntimeError) as error:
        raise _request_error(error, doi, timeout) from None
    except ValueError:  # not JSON
        raise InputError(f"Crossref's answer could not be read: {_BY_HAND}.") from None
    message = answer.get("message") if isinstance(answer, Mapping) else None
    return citation_from_message(message or {})


def _journal_short_forms() -> dict[str, str]:
    """Journal -> short form, from the table in literature/README.md."""
    try:
        text = LITERATURE_README_PATH.read_text(encoding="utf-8")
    except OSError:
        return {}
    block = text.partition("<!-- journal short forms -->")[2]
    block = block.partition("<!-- end journal short forms -->")[0]
    forms = {}
    for line in block.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("journal", "") and "---" not in line:
            forms[cells[0].lower()] = cells[1]
    return forms


def _letters(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    return re.sub(r"[^a-z]", "", ascii_text.decode().lower())


def suggest_record_id(first_author: str, year, journal: str) -> str:
    """
    A record id by the table's scheme: ``<first author><year><journal short>``.

    The family name in lower case, accents dropped, letters only; the
    journal's short form from literature/README.md, else the initials of its
    words. A paper with several devices adds ``-<suffix>`` by hand.

    Examples
    --------
    >>> suggest_record_id("Ren", 2024, "ACS Materials Letters")
    'ren2024acsml'
    >>> suggest_record_id("De Bastiani", 2021, "Journal of Unlisted Things")
    'debastiani2021jout'
    """
    author = _letters(first_author or "") or "anon"
    year_text = str(year) if year not in (None, "") else "nd"
    short = _journal_short_forms().get(str(journal or "").strip().lower())
    if short is None:
        short = "".join(_letters(word)[:1] for word in str(journal or "").split())
    return f"{author}{year_text}{short}"
