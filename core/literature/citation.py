"""
Citations of literature rows: BibTeX entries and one-line references.

Blank cells are left out; text going into BibTeX has its LaTeX special
characters escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from core.literature.schema import _blank

__all__ = ["bibtex", "bibtex_file", "citation"]

_VOLUME_PAGES_PATTERN = re.compile(r"^\s*(\d+)\s*(?:\((\w+)\))?\s*(?:,\s*(.+?))?\s*$")

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def _field(row: Mapping, name: str) -> str:
    value = row.get(name, "")
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _volume_parts(volume_pages: str) -> dict[str, str]:
    match = _VOLUME_PAGES_PATTERN.match(volume_pages)
    if match is None:
        return {"note": volume_pages} if volume_pages else {}
    parts = {"volume": match.group(1)}
    if match.group(2):
        parts["number"] = match.group(2)
    if match.group(3):
        parts["pages"] = match.group(3).replace("-", "--")
    return parts


def bibtex(row: Mapping | pd.Series) -> str:
    """
    A BibTeX ``@article`` entry for one table row.

    Parameters
    ----------
    row : mapping or pandas.Series
        One row of the literature table.

    Returns
    -------
    str
        The entry, keyed by ``record_id``; blank fields are left out, LaTeX
        special characters escaped, the first author followed by
        ``and others``.

    Examples
    --------
    >>> print(bibtex({"record_id": "x2024", "first_author": "Ren", "year": 2024,
    ...               "title": "A 26% LED", "doi": "10.1/abc"}))
    @article{x2024,
      author = {Ren and others},
      title = {{A 26\\% LED}},
      year = {2024},
      doi = {10.1/abc},
    }
    """
    author = _field(row, "first_author")
    fields = {
        "author": f"{_latex(author)} and others" if author else "{Unknown}",
        "title": "{" + _latex(_field(row, "title")) + "}"
        if _field(row, "title")
        else "",
        "journal": _latex(_field(row, "journal")),
        "year": _field(row, "year"),
    }
    fields.update(
        {
            key: _latex(value)
            for key, value in _volume_parts(_field(row, "volume_pages")).items()
        }
    )
    fields["doi"] = _field(row, "doi")
    lines = [f"@article{{{_field(row, 'record_id')},"]
    lines += [f"  {key} = {{{value}}}," for key, value in fields.items() if value]
    lines.append("}")
    return "\n".join(lines)


def citation(row: Mapping | pd.Series) -> str:
    """
    A one-line human-readable citation for one table row.

    Parameters
    ----------
    row : mapping or pandas.Series
        One row of the literature table.

    Returns
    -------
    str
        ``"Ren et al. (2024). Title. Journal volume, pages.
        https://doi.org/..."``, skipping whatever is blank.

    Examples
    --------
    >>> citation({"first_author": "Ren", "year": 2024, "journal": "ACS Mater. Lett.",
    ...           "volume_pages": "6, 4115-4123", "doi": "10.1021/x"})
    'Ren et al. (2024). ACS Mater. Lett. 6, 4115-4123. https://doi.org/10.1021/x'
    """
    author = _field(row, "first_author")
    year = _field(row, "year")
    parts = [
        f"{author + ' et al.' if author else 'Unknown authors'} ({year or 'n.d.'})."
    ]
    title = _field(row, "title")
    if title:
        parts.append(title.rstrip(".") + ".")
    venue = " ".join(
        part for part in (_field(row, "journal"), _field(row, "volume_pages")) if part
    )
    if venue:
        parts.append(venue + ".")
    doi = _field(row, "doi")
    if doi:
        parts.append(f"https://doi.org/{doi}")
    return " ".join(parts)


def bibtex_file(df: pd.DataFrame) -> str:
    """Every row of ``df`` as :func:`bibtex` entries, one blank line apart."""
    return "\n\n".join(bibtex(row) for _, row in df.iterrows()) + "\n"
