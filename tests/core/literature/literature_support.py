"""
Shared constants and helpers of the core.literature tests (fixtures are in
this folder's ``conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
TABLE_PATH = ROOT / "literature" / "pure_red_peleds.csv"
SCHEMA_PATH = ROOT / "literature" / "schema.csv"

#: Tolerance for values typed into the CSV with 4 decimals (490/60 -> 8.1667).
T50_DECIMALS_ATOL = 1e-4
#: Tolerance for closed-form lifetime conversions (pure float arithmetic).
RTOL = 1e-12


def row_of(table: pd.DataFrame, record_id: str) -> pd.Series:
    """The one row of ``table`` with this ``record_id``."""
    rows = table.loc[table["record_id"] == record_id]
    assert len(rows) == 1, record_id
    return rows.iloc[0]
