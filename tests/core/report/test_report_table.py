"""core.report.table: how a cell and a column name are shown in the reports."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "name, label",
    [
        ("eqe_max_percent", "EQE max [%]"),
        ("luminance_max_cd_m2", "luminance max [cd/m²]"),
        ("current_density_at_eqe_max_ma_cm2", "current density at EQE max [mA/cm²]"),
        ("T50_at_100_cd_m2_h", "T50 at 100 cd/m² [h]"),
        ("L0_cd_m2", "L0 [cd/m²]"),
        ("drift_rate_nm_per_unit", "drift rate [nm per axis unit]"),
        ("max_delta_u_prime_v_prime", "max Δu′v′"),
        ("power_efficiency_max_lm_w", "power efficiency max [lm/W]"),
        ("turn_on_v", "turn on [V]"),
        ("device", "device"),
        ("n", "n"),
        ("Δ Treated (synthetic) − Control (synthetic)", "Δ Treated (synthetic) − "
         "Control (synthetic)"),
    ],
)  # fmt: skip
def test_column_names_read_as_words_with_the_unit_in_brackets(name, label):
    assert column_label(name) == label
