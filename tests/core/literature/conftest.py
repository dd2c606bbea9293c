"""Fixtures of the core.literature tests: the curated table, read by the code and
independently with :mod:`csv`, and a small hand-made table to rank against."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from literature_support import SCHEMA_PATH, TABLE_PATH

from core import literature


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return literature.load_table()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    with TABLE_PATH.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def schema_rows() -> list[dict[str, str]]:
    with SCHEMA_PATH.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture()
def small_table() -> pd.DataFrame:
    nan = np.nan
    return pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d", "e"],
            "rankable": [True, True, True, True, False],
            "eqe_max_percent": [10.0, 20.0, 30.0, 20.0, 99.0],
            "luminance_max_cd_m2": [1000.0, nan, 5000.0, 3000.0, 1e6],
            "cie_x": [0.708, 0.70, nan, 0.69, 0.708],
            "cie_y": [0.292, 0.30, nan, 0.30, 0.292],
            "t50_h": [1.0, 10.0, nan, 2.0, 1e4],
            "t50_initial_luminance_cd_m2": [1000.0, 100.0, nan, nan, 100.0],
        }
    )
