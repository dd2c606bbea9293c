"""core.serialize: numpy/pandas values to JSON types."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from core.serialize import dump_json, json_ready


def test_numpy_and_pandas_values_become_json_types():
    value = {
        1: np.float32(1.5),
        "nan": np.nan,
        "inf": -np.inf,
        "array": np.array([1.0, np.nan]),
        "flag": np.bool_(True),
        "count": np.int64(7),
        "missing": pd.NA,
        "nat": pd.NaT,
        "when": pd.Timestamp("2024-09-12T10:00"),
        "nested": ({"x": np.float64(2.0)},),
    }
    assert json_ready(value) == {
        "1": 1.5,
        "nan": None,
        "inf": None,
        "array": [1.0, None],
        "flag": True,
        "count": 7,
        "missing": None,
        "nat": None,
        "when": "2024-09-12 10:00:00",
        "nested": [{"x": 2.0}],
    }
    assert type(json_ready(np.int64(7))) is int
    assert type(json_ready(np.bool_(False))) is bool


def test_dump_json_is_strict_json_with_unicode_kept():
    text = dump_json({"unit": "cd/m²", "value": float("nan")})
    assert "cd/m²" in text
    assert json.loads(text) == {"unit": "cd/m²", "value": None}
    assert "NaN" not in text


def test_dump_json_has_the_standard_librarys_layout_and_numbers():
    payload = {
        "source": "synthetic λ series",
        "spectra": [{"peak_nm": 638.25, "bands": [], "flag": True, "n": 3}] * 3,
        "empty": {},
        "values": [0.1 + 0.2, -0.0, 1e16, 2.5e-7, 5e-324, 1.2345678901234567e19],
    }
    text = dump_json(payload)
    reference = json.dumps(json_ready(payload), indent=2, ensure_ascii=False)
    assert json.loads(text) == json.loads(reference)  # every float exactly
    # The same lines, but for the spelling of small and large floats.
    lines, reference_lines = text.splitlines(), reference.splitlines()
    assert len(lines) == len(reference_lines)
    differ = [a for a, b in zip(lines, reference_lines, strict=True) if a != b]
    assert all(float(a.strip(" ,")) for a in differ)
