"""Tests for core/literature/normalise.py: T50 at a reference luminance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from literature_support import RTOL

from core import literature
from core.errors import InputError


def test_normalisation_known_numbers():
    # Closed form T(L_ref) = T(L0) (L0 / L_ref)^n: 1 h at 1000 cd/m² with n = 2
    # is 1 * 10^2 = 100 h at 100 cd/m².
    frame = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [1000.0]})
    result = literature.normalised_t50_h(frame, reference_luminance_cd_m2=100, n=2)
    assert result["t50_ref_h"].iloc[0] == pytest.approx(100.0, rel=RTOL)
    assert result["t50_ref_kind"].iloc[0] == "normalised"


def test_normalisation_closed_form_and_labels():
    frame = pd.DataFrame(
        {
            "t50_h": [2.0, 3.0, 3.0, 5.0, np.nan],
            "t50_initial_luminance_cd_m2": [20.0, 104.0, 106.0, np.nan, 100.0],
            "t50_kind": ["measured"] * 5,
        },
        index=["a", "b", "c", "d", "e"],
    )
    result = literature.normalised_t50_h(frame, reference_luminance_cd_m2=100, n=1.8)
    assert list(result.index) == list(frame.index)
    assert result.loc["a", "t50_ref_h"] == pytest.approx(2.0 * 0.2**1.8, rel=RTOL)
    assert result.loc["b", "t50_ref_h"] == 3.0  # within 5 %: taken as measured
    assert result.loc["c", "t50_ref_h"] == pytest.approx(3.0 * 1.06**1.8, rel=RTOL)
    assert math.isnan(result.loc["d", "t50_ref_h"])
    assert math.isnan(result.loc["e", "t50_ref_h"])
    assert result["t50_ref_kind"].tolist() == [
        "normalised",
        "measured",
        "normalised",
        "no-initial-luminance",
        "",
    ]


def test_normalisation_on_the_table_labels_every_t50(table):
    result = literature.normalised_t50_h(table)
    has_t50 = table["t50_h"].notna()
    assert (result.loc[has_t50, "t50_ref_kind"] != "").all()
    seed = table.index[table["record_id"] == "ren2024acsml-treated"][0]
    assert result.loc[seed, "t50_ref_kind"] == "measured"  # 102 is within 5 % of 100


def test_normalisation_rejects_bad_reference():
    frame = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [100.0]})
    with pytest.raises(InputError, match="reference luminance must be a positive"):
        literature.normalised_t50_h(frame, reference_luminance_cd_m2=0)


def test_the_tolerance_rule_includes_its_bounds():
    # |L0 - 100| <= 0.05 * 100: 95 and 105 cd/m² count as 100 cd/m², 94.9 does not.
    inside = literature.at_reference_luminance([95.0, 100.0, 105.0], 100.0)
    outside = literature.at_reference_luminance([94.9, 105.1, np.nan], 100.0)
    assert inside.tolist() == [True, True, True]
    assert outside.tolist() == [False, False, False]


@pytest.mark.parametrize(
    ("metrics", "expected_h", "kind"),
    [
        ({"t50_h": 3.0, "t50_initial_luminance_cd_m2": 104.0}, 3.0, "kind not stated"),
        (
            {
                "t50_h": 3.0,
                "t50_initial_luminance_cd_m2": 104.0,
                "t50_kind": "measured",
            },
            3.0,
            "measured",
        ),
        (
            {"t50_h": 3.0, "t50_initial_luminance_cd_m2": 106.0},
            3.0 * 1.06**1.8,
            "normalised",
        ),
        ({"t50_ref_h": 7.0, "t50_h": 3.0}, 7.0, "as given"),
        ({"t50_ref_h": 7.0, "t50_kind": "extrapolated"}, 7.0, "extrapolated"),
        ({"t50_at_reference_h": 8.0}, 8.0, "as given"),
    ],
)
def test_device_t50_follows_the_table_rule(metrics, expected_h, kind):
    value, how = literature.device_t50_ref_h(metrics, 100.0, n=1.8)
    assert value == pytest.approx(expected_h, rel=RTOL)
    assert how == kind


@pytest.mark.parametrize(
    ("metrics", "reason"),
    [
        ({}, "not given"),
        ({"t50_h": 3.0}, "t50_h given without t50_initial_luminance_cd_m2"),
    ],
)
def test_device_t50_says_why_it_is_missing(metrics, reason):
    value, how = literature.device_t50_ref_h(metrics)
    assert math.isnan(value) and how == reason


def test_t50_kind_and_the_bound_travel_through_normalisation():
    # Issue 12: an extrapolated T50 was labelled measured, and '> 15 h at
    # 20 cd/m²' was shown as 0.83 h 'normalised'.
    frame = pd.DataFrame(
        {
            "t50_h": [15.0, 4.0, 4.0, 4.0, 4.0],
            "t50_qualifier": [">", "", "", "", ""],
            "t50_kind": ["measured", "extrapolated", "extrapolated", "measured", ""],
            "t50_initial_luminance_cd_m2": [20.0, 100.0, 1000.0, 1000.0, 101.0],
        },
        index=["bound", "extra_at", "extra_conv", "meas_conv", "unstated"],
    )
    result = literature.normalised_t50_h(frame, 100.0, n=1.8)
    assert result["t50_ref_kind"].tolist() == [
        "lower bound",
        "extrapolated",
        "extrapolated",
        "normalised",
        "kind not stated",
    ]
    # The bound is never a value: it has its own column.
    assert math.isnan(result.loc["bound", "t50_ref_h"])
    assert result.loc["bound", "t50_ref_bound_h"] == pytest.approx(15 * 0.2**1.8)
    assert result["t50_ref_bound_h"].drop("bound").isna().all()
    assert result["t50_ref_converted"].tolist() == [True, False, True, True, False]
    assert result.loc["extra_conv", "t50_ref_h"] == pytest.approx(4 * 10**1.8)


def test_resolution_is_half_the_last_stated_decimal_times_the_conversion(table):
    result = literature.normalised_t50_h(table, 100.0, n=1.8)
    seed = table.index[table["record_id"] == "ren2024acsml-treated"][0]
    # "8.1667" (4 decimals) at 102 cd/m², not converted: ±0.00005 h.
    assert result.loc[seed, "t50_ref_resolution_h"] == pytest.approx(5e-5)
    wang = table.index[table["record_id"] == "wang2021angew"][0]
    # "10" h (no decimals) at 200 cd/m²: ±0.5 h × 2^1.8.
    assert result.loc[wang, "t50_ref_resolution_h"] == pytest.approx(0.5 * 2**1.8)


def test_a_device_is_normalised_like_a_row():
    device = literature.device_t50_ref(
        {
            "t50_h": 490 / 60,
            "t50_initial_luminance_cd_m2": 102.0,
            "t50_kind": "measured",
        }
    )
    assert device.value_h == 490 / 60 and not device.converted
    assert device.kind == "measured" and "not converted" in device.note
    bound = literature.device_t50_ref(
        {"t50_h": 2.0, "t50_initial_luminance_cd_m2": 100.0, "t50_qualifier": ">"}
    )
    assert math.isnan(bound.value_h) and bound.bound_h == 2.0
    assert bound.kind == "lower bound"
