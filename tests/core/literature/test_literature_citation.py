"""Tests for core/literature/citation.py: BibTeX entries and citations."""

from __future__ import annotations

from literature_support import row_of

from core import literature


def test_bibtex_and_citation(table):
    row = row_of(table, "ren2024acsml-treated")
    entry = literature.bibtex(row)
    assert entry.startswith("@article{ren2024acsml-treated,")
    assert "  doi = {10.1021/acsmaterialslett.4c00912}," in entry
    assert "  pages = {4115--4123}," in entry
    assert "Exceeding 26\\%" in entry
    assert literature.citation(row).startswith("Ren et al. (2024). Strongly-Confined")
    anonymous = literature.citation({"title": "T"})
    assert anonymous == "Unknown authors (n.d.). T."


def test_bibtex_file_holds_one_entry_per_row(table):
    text = literature.bibtex_file(table.head(3))
    assert text.count("@article{") == 3
    assert text.endswith("}\n") and "\n\n@article{" in text
