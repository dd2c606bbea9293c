"""
Tables for people: labelled headers, values at a sensible precision, .xlsx.

Every table the pages, the reports and the downloads show starts as a
DataFrame with machine names (``eqe_max_percent``, ``T50_uncertainty_h``) and
full-precision floats. This package is the one place that turns it into a
table a reader (or Excel, or Origin) takes as it is:

- :func:`column_label`: ``eqe_max_percent`` -> ``EQE max [%]``; the unit in
  brackets comes from the name's suffix (STYLE.md: units in names), an
  uncertainty (``_stderr``, ``_sd``, ``_uncertainty``, a trailing ``±``) is
  labelled ``± <quantity> [unit]``.
- :data:`SIGNIFICANT_DIGITS`: how many significant digits each unit is shown
  with; integer digits are never rounded away (5024.7 cd/m² -> 5025).
- :func:`round_with_uncertainty`: an uncertainty to 2 significant digits and
  its value to the same decimal place (8.172115 ± 0.03354 -> 8.172 ± 0.034).
- :func:`human_table` (shown tables: labelled and rounded),
  :func:`csv_bytes` (labelled, full precision: for Origin and scripts) and
  :func:`xlsx_bytes` (full precision, each cell's number format the shown
  rounding, header bold and frozen).
"""

from core.tables.files import csv_bytes, plain_csv, xlsx_bytes
from core.tables.labels import column_label, uncertainty_partner, unit_of
from core.tables.precision import (
    DEFAULT_SIGNIFICANT_DIGITS,
    SIGNIFICANT_DIGITS,
    UNCERTAINTY_DIGITS,
    human_table,
    round_half_up,
    round_with_uncertainty,
    significant_decimals,
    table_decimals,
)

__all__ = [
    "DEFAULT_SIGNIFICANT_DIGITS",
    "SIGNIFICANT_DIGITS",
    "UNCERTAINTY_DIGITS",
    "column_label",
    "unit_of",
    "uncertainty_partner",
    "round_half_up",
    "significant_decimals",
    "round_with_uncertainty",
    "table_decimals",
    "human_table",
    "plain_csv",
    "csv_bytes",
    "xlsx_bytes",
]
