"""Page tests never write to the working copy's data/ folder: each test's
device library (lab rows of the Literature page) is a SQLite file of its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_library(tmp_path, monkeypatch):
    monkeypatch.setenv("PELED_DATABASE_URL", f"sqlite:///{tmp_path / 'peled.sqlite3'}")
