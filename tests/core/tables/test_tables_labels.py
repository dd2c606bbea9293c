"""core/tables/labels.py: column names read as words, with the unit in brackets."""

from __future__ import annotations

import pytest

from core.tables import column_label, uncertainty_partner


@pytest.mark.parametrize(
    "name, label",
    [
        ("eqe_max_percent", "EQE max [%]"),
        ("luminance_max_cd_m2", "luminance max [cd/m²]"),
        ("current_density_at_eqe_max_ma_cm2", "current density at EQE max [mA/cm²]"),
        ("T50_at_100_cd_m2_h", "T50 at 100 cd/m² [h]"),
        ("T50_at_100_n1.5_h", "T50 at 100 cd/m², n = 1.5 [h]"),
        ("T50_at_1000_h (n=1.75)", "T50 at 1000 cd/m², n = 1.75 [h]"),
        ("L0_cd_m2", "L0 [cd/m²]"),
        ("t50_initial_luminance_cd_m2", "T50 initial luminance [cd/m²]"),
        ("drift_rate_nm_per_unit", "drift rate [nm per axis unit]"),
        ("max_delta_u_prime_v_prime", "max Δu′v′"),
        ("power_efficiency_max_lm_w", "power efficiency max [lm/W]"),
        ("turn_on_v", "turn-on [V]"),
        ("el_peak_nm", "EL peak [nm]"),
        ("binding_energy_mev", "binding energy [meV]"),
        ("temperature_k", "temperature [K]"),
        ("model_r_squared", "model R²"),
        ("L_max_over_L0", "L max / L0"),
        ("tau_stderr_ns", "± tau [ns]"),
        ("T50_uncertainty_h", "± T50 [h]"),
        ("tau_h ±", "± tau [h]"),
        ("std", "± s.d."),
        ("doi", "DOI"),
        ("device", "device"),
        ("n", "n"),
        ("Δ Treated (synthetic) − Control (synthetic)", "Δ Treated (synthetic) − "
         "Control (synthetic)"),
    ],
)  # fmt: skip
def test_column_names_read_as_words_with_the_unit_in_brackets(name, label):
    assert column_label(name) == label


def test_an_uncertainty_finds_its_value_column():
    columns = ["tau_ns", "tau_stderr_ns", "drift_rate_nm_per_unit", "drift_rate_stderr"]
    assert uncertainty_partner("tau_stderr_ns", columns) == "tau_ns"
    assert uncertainty_partner("drift_rate_stderr", columns) == "drift_rate_nm_per_unit"
    assert uncertainty_partner("tau_ns", columns) is None
    assert uncertainty_partner("std", ["mean", "std"]) == "mean"
    assert uncertainty_partner("std", ["median", "std"]) is None
