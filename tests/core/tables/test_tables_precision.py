"""
core/tables/precision.py: values at a sensible precision, uncertainties at
two significant digits and their values to the same decimal place.

Expected roundings are worked by hand (the rule of the GUM, JCGM 100:2008
§7.2.6: an uncertainty at no more than two significant digits, the value
to the same place).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from core.tables import (
    SIGNIFICANT_DIGITS,
    human_table,
    round_half_up,
    round_with_uncertainty,
    significant_decimals,
    table_decimals,
)
from core.tables.precision import _round_array as round_array


@pytest.mark.parametrize(
    "value, sd, expected",
    [
        (8.172115, 0.03354, (8.172, 0.034)),  # sd 0.034: 3 decimals
        (0.710003, 0.013883, (0.710, 0.014)),
        (18493.46, 9523.8, (18500.0, 9500.0)),  # to the hundreds
        (1.16290, 0.0996, (1.16, 0.10)),  # 0.0996 -> 0.10, still 2 digits
        (-5.7325, 0.25, (-5.73, 0.25)),
        (2.675, 0.012, (2.675, 0.012)),
        (2.6745, 0.015, (2.675, 0.015)),  # a half rounds away from zero
        (-2.6745, 0.015, (-2.675, 0.015)),
        (4.5, 1.0, (4.5, 1.0)),
    ],
)
def test_an_uncertainty_has_two_digits_and_its_value_the_same_place(
    value, sd, expected
):
    assert round_with_uncertainty(value, sd) == pytest.approx(expected, abs=0)


@pytest.mark.parametrize("sd", [0.0, float("nan"), float("inf")])
def test_without_an_uncertainty_nothing_is_rounded(sd):
    value, out = round_with_uncertainty(1.23456, sd)
    assert value == 1.23456
    assert out == sd or (np.isnan(out) and np.isnan(sd))


def test_halves_round_away_from_zero_as_printed():
    # 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary:
    # Python's round() gives 2.67; a reader of "2.675" expects 2.68.
    assert round(2.675, 2) == 2.67
    assert round_half_up(2.675, 2) == 2.68
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(-0.125, 2) == -0.13
    assert round_half_up(18493.46, -2) == 18500.0


def test_the_vector_rounding_equals_the_decimal_one():
    generator = random.Random(15)
    values, places = [], []
    for _ in range(5000):
        decimals = generator.randint(-2, 6)
        digits = generator.randint(1, 9)
        # Many exact ties in decimal text (…5 at the first dropped place).
        text = f"{generator.randint(-(10**digits), 10**digits)}5e{-decimals - 1}"
        values.append(float(text))
        places.append(decimals)
    values += [generator.uniform(-1e4, 1e4) for _ in range(2000)]
    places += [generator.randint(-2, 6) for _ in range(2000)]
    vector = round_array(np.array(values), np.array(places))
    scalar = np.array(
        [round_half_up(v, p) for v, p in zip(values, places, strict=True)]
    )
    np.testing.assert_array_equal(vector, scalar)


def test_significant_digits_never_round_integer_digits_away():
    assert significant_decimals(14.504282, 3) == 1
    assert significant_decimals(5024.715585, 4) == 0
    assert significant_decimals(123456.0, 3) == 0
    assert significant_decimals(1.04e-5, 3) == 7


def test_each_quantity_is_shown_at_its_own_precision():
    frame = pd.DataFrame(
        {
            "device": ["Control"],
            "eqe_max_percent": [14.504282],
            "luminance_max_cd_m2": [5024.715585],
            "turn_on_v": [2.3],
            "voltage_at_eqe_max_v": [2.5512],
            "current_density_at_eqe_max_ma_cm2": [1.446114],
            "cie_x": [0.708123],
            "n_points": [12],
        }
    )
    row = human_table(frame).iloc[0].to_dict()
    assert SIGNIFICANT_DIGITS["%"] == 3 and SIGNIFICANT_DIGITS["cd/m²"] == 4
    assert row == {
        "device": "Control",
        "EQE max [%]": 14.5,
        "luminance max [cd/m²]": 5025.0,
        "turn-on [V]": 2.3,
        "voltage at EQE max [V]": 2.551,
        "current density at EQE max [mA/cm²]": 1.45,
        "CIE x": 0.7081,
        "n points": 12,
    }
    assert human_table(frame)["n points"].dtype.kind == "i"  # ints stay ints


def test_a_value_with_an_uncertainty_column_is_rounded_with_it():
    frame = pd.DataFrame(
        {
            "test": ["a", "b", "c"],
            "T50_h": [0.710003, 8.172115, 1.640645],
            "T50_uncertainty_h": [0.013883, 0.03354, np.nan],
        }
    )
    shown = human_table(frame)
    assert list(shown.columns) == ["test", "T50 [h]", "± T50 [h]"]
    assert shown["T50 [h]"].tolist() == [0.710, 8.172, 1.64]  # c: 3 digits of h
    assert shown["± T50 [h]"].tolist()[:2] == [0.014, 0.034]
    assert np.isnan(shown["± T50 [h]"].iloc[2])


def test_tables_by_row_take_each_rows_unit():
    # The report's side-by-side table (a unit column) and batch statistics
    # (metric names as the index, mean ± s.d. as columns).
    side = pd.DataFrame(
        {
            "metric": ["EL peak", "maximum EQE", "series"],
            "unit": ["nm", "%", ""],
            "Control": [643.837002, 14.504282, "time [h]"],
        }
    )
    assert human_table(side)["Control"].tolist() == [643.8, 14.5, "time [h]"]
    stats = pd.DataFrame(
        {"mean": [20.31082, 11759.087677], "std": [8.211686, 9523.840347]},
        index=pd.Index(["eqe_max_percent", "luminance_max_cd_m2"], name="metric"),
    )
    shown = human_table(stats)
    assert list(shown.columns) == ["metric", "mean", "± s.d."]
    assert shown["metric"].tolist() == ["EQE max [%]", "luminance max [cd/m²]"]
    assert shown["mean"].tolist() == [20.3, 11800.0]
    assert shown["± s.d."].tolist() == [8.2, 9500.0]
    assert table_decimals(stats.reset_index())["mean"].tolist() == [1, -2]


def test_the_input_frame_is_not_changed():
    frame = pd.DataFrame({"eqe_max_percent": [14.504282]})
    human_table(frame)
    assert frame["eqe_max_percent"].iloc[0] == 14.504282
    assert list(frame.columns) == ["eqe_max_percent"]


def test_uncertainty_decimals_of_a_column_equal_the_scalar_rule():
    """The vectorised rule of shown tables against the scalar one, on values
    over 16 decades and at the powers of ten where rounding adds a digit."""
    from core.tables.precision import (
        _uncertainty_decimals,
        _uncertainty_decimals_column,
    )

    rng = np.random.default_rng(7)
    edges = [0.0996, 0.09949, 0.0995, 0.00995, 9.95, 99.5, 0.995, -0.0996, 3.3]
    values = np.r_[10.0 ** rng.uniform(-8, 8, 20_000), edges, 0.0, np.nan, np.inf]
    vectorised = _uncertainty_decimals_column(pd.Series(values))
    assert list(vectorised) == [_uncertainty_decimals(v) for v in values]
    assert vectorised[-3:].tolist() == [None, None, None]
