"""core.heap: the command line keeps freed memory; the server hands it back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core import heap

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_the_settings_are_accepted_by_glibc():
    # In a fresh interpreter (the settings last for the process): mallopt
    # returns 1 for every parameter, and trimming afterwards still works.
    code = "from core import heap; print(heap.keep_freed_memory(), heap.trim_heap())"
    process = subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
    assert process.stdout.split() == ["True", "True"]


def test_no_op_without_glibc(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert heap.keep_freed_memory() is False
    assert heap.trim_heap() is False
