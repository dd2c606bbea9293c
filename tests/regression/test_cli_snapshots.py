"""
The CLI's results on the demo and on every real file, against stored ones.

Refactoring and speed work must not move a number: each case in
``cases.py`` is re-run and compared with ``snapshots/<name>.json``, floats
to 1e-9 relative (the last digits of a float sum may change with the order
of operations, nothing more). A deliberate change of method regenerates the
snapshot (``python tests/regression/make_snapshots.py NAME``) in the same
commit that explains it.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES  # noqa: E402
from run import REALDATA, SNAPSHOTS, run_case  # noqa: E402

REL = 1e-9
#: A number written in text (a CSV the CLI prints, a message).
NUMBER = re.compile(r"(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def _same_text(stored: str, current: str) -> bool:
    """Equal text, the numbers in it compared to REL (a CSV's cells are
    floats written out: their last digits move as a JSON float's do)."""
    a, b = NUMBER.split(stored), NUMBER.split(current)
    if len(a) != len(b):
        return False
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if k % 2 == 0 or x == y:  # text between numbers must be equal
            if x != y:
                return False
            continue
        if not math.isclose(float(x), float(y), rel_tol=REL, abs_tol=1e-12):
            return False
    return True


def differences(stored, current, path="$") -> list[str]:
    """Where two JSON values differ (floats compared to REL), as paths."""
    if isinstance(stored, dict) and isinstance(current, dict):
        found = []
        for key in sorted(set(stored) | set(current)):
            if key not in current:
                found.append(f"{path}.{key}: missing now")
            elif key not in stored:
                found.append(f"{path}.{key}: new")
            else:
                found += differences(stored[key], current[key], f"{path}.{key}")
        return found
    if isinstance(stored, list) and isinstance(current, list):
        if len(stored) != len(current):
            return [f"{path}: {len(stored)} items stored, {len(current)} now"]
        found = []
        for i, (a, b) in enumerate(zip(stored, current, strict=True)):
            found += differences(a, b, f"{path}[{i}]")
        return found
    if isinstance(stored, float) and isinstance(current, float | int):
        if math.isclose(stored, current, rel_tol=REL, abs_tol=1e-12):
            return []
    elif stored == current:
        return []
    elif isinstance(stored, str) and isinstance(current, str):
        if _same_text(stored, current):
            return []
    return [f"{path}: stored {stored!r}, now {current!r}"]


def test_differences_finds_a_changed_number():
    assert differences({"a": [1.0, 2.0]}, {"a": [1.0, 2.0 + 1e-6]}) == [
        "$.a[1]: stored 2.0, now 2.000001"
    ]
    assert differences({"a": 1.0}, {"a": 1.0 + 1e-12}) == []


def test_differences_reads_the_numbers_in_text():
    """A CSV printed by the CLI: its cells compared as numbers, the rest as
    text."""
    stored = "metric,value\noutside,0.0904414218030114\nshift,-4.27850718728\n"
    assert differences(stored, stored.replace("0.0904414218030114",
                                              "0.09044142180320014")) == []  # fmt: skip
    assert differences(stored, stored.replace("-4.27850718728", "-4.2785071")) != []
    assert differences(stored, stored.replace("outside", "inside")) != []
    assert differences("a 1", "a 1 2") != []


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_result_unchanged(name):
    arguments = CASES[name]
    if any("{R}" in a for a in arguments) and not REALDATA.is_dir():
        pytest.skip(f"real instrument files not available at {REALDATA}")
    stored = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    found = differences(stored, run_case(arguments))
    assert not found, "\n".join(found[:20])
