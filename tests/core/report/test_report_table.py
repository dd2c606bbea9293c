"""core.report.table: how a cell and a column name are shown in the reports."""

from __future__ import annotations

import pytest

import core.tables
from core.report.table import column_label, format_cell


@pytest.mark.parametrize(
    "value, text",
    [
        (18493.46, "18493"),
        (-0.004605, "−0.004605"),
        (2.2e-5, "2.200e−5"),
        (1.5e7, "1.500e7"),
        (643.837, "643.8"),
        (float("nan"), "—"),
        (True, "yes"),
        (None, "—"),
        (-3, "−3"),
        ((574.1, 713.5), "574.1, 713.5"),
    ],
)
def test_table_cells_have_four_significant_digits_and_a_true_minus(value, text):
    assert format_cell(value) == text


def test_the_reports_label_columns_with_the_one_shared_helper():
    # The labels themselves are tested in tests/core/test_tables.py.
    assert column_label is core.tables.column_label
