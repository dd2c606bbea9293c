"""
Where the bundled literature files live: the repository's ``literature/`` folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_SCHEMA_PATH", "DEFAULT_TABLE_PATH", "LITERATURE_README_PATH"]

_LITERATURE_DIR = Path(__file__).resolve().parents[2] / "literature"
#: The bundled curated table.
DEFAULT_TABLE_PATH = _LITERATURE_DIR / "pure_red_peleds.csv"
#: The bundled codebook.
DEFAULT_SCHEMA_PATH = _LITERATURE_DIR / "schema.csv"
#: The folder's README (inclusion rules, record ids, journal short forms).
LITERATURE_README_PATH = _LITERATURE_DIR / "README.md"
