"""Shared fixtures (helpers that tests import live in tests/support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REALDATA


@pytest.fixture
def realdata() -> Path:
    """The shared real-data folder; skips when the checkout has no ../shared."""
    if not REALDATA.is_dir():
        pytest.skip(f"real instrument files not available at {REALDATA}")
    return REALDATA
