"""core.lifetime.summary: the CLI's JSON summary and the page's tables."""

from __future__ import annotations

import math

import pytest
from lifetime_logs import clean_log

from core.lifetime import (
    AccelerationFit,
    decay_fit_table,
    lifetime_metrics,
    lifetime_summary,
    lifetime_table,
    reference_t50_table,
)
from core.models import LifetimeLog


def test_summary_holds_the_cli_contract_keys():
    summary = lifetime_summary(lifetime_metrics(clean_log(10.0, 1.0, 40.0)))
    for key in (
        "initial_luminance_cd_m2",
        "t95_h",
        "t90_h",
        "t80_h",
        "t70_h",
        "t50_h",
        "t50_kind",
        "model",
        "t50_at_reference_h",
        "warnings",
    ):
        assert key in summary
    assert summary["t50_kind"] in ("measured", "extrapolated")
    assert summary["model"]["method"] == "stretched-exponential"
    assert summary["t50_at_reference_band_h"]["n=2.0"] == pytest.approx(
        summary["t50_h"], rel=1e-12
    )  # L0 = 100 = reference


def test_table_has_one_row_per_test_with_units_in_column_names():
    results = [lifetime_metrics(clean_log(10.0, 1.0, 40.0, l0=v)) for v in (100, 500)]
    table = lifetime_table(results)
    assert len(table) == 2
    assert {"L0_cd_m2", "T50_h", "T50_kind", "T50_at_100_cd_m2_h"} <= set(table.columns)
    assert table["T50_at_100_cd_m2_h"].iloc[1] == pytest.approx(
        table["T50_h"].iloc[1] * 5**1.8, rel=1e-12
    )


def test_reference_t50_table_converts_with_n_its_band_and_the_fitted_n():
    tests = [("A", clean_log(10.0, 1.0, 40.0, l0=l0)) for l0 in (200.0, 500.0)]
    tests.append(("B", clean_log(10.0, 1.0, 40.0, l0=1.0, relative=True)))
    results = [(device, lifetime_metrics(log)) for device, log in tests]
    fit = AccelerationFit(n=1.7, n_stderr=0.0, intercept=0.0, r_squared=1.0, n_points=3)
    table = reference_t50_table(
        results, n=1.8, targets_cd_m2=(100.0, 1000.0), fits={"A": fit}
    )
    assert list(table["device"]) == ["A", "A", "B"]
    for target in (100.0, 1000.0):
        tag = f"{target:g}"
        for k, l0 in enumerate((200.0, 500.0)):
            t50 = table["T50_h"].iloc[k]
            # T(L_ref) = T(L0) (L0/L_ref)^n, exactly (docs/methods.md §4).
            for column, n in (
                (f"T50_at_{tag}_h (n=1.8)", 1.8),
                (f"T50_at_{tag}_n1.5_h", 1.5),
                (f"T50_at_{tag}_n2.0_h", 2.0),
                (f"T50_at_{tag}_fitted_n_h", 1.7),
            ):
                assert table[column].iloc[k] == pytest.approx(
                    t50 * (l0 / target) ** n, rel=1e-12
                )
    # The relative test without L0: NaN in the same columns, none of its own.
    converted = [c for c in table.columns if c.startswith("T50_at_")]
    assert len(converted) == 8
    assert table.loc[2, converted].isna().all()
    assert table["T50_h"].iloc[2] == pytest.approx(10 * math.log(2), rel=2e-3)


def test_reference_t50_table_uses_no_fit_against_another_stress():
    results = [("A", lifetime_metrics(clean_log(10.0, 1.0, 40.0, l0=200.0)))]
    fit = AccelerationFit(1.7, 0.0, 0.0, 1.0, 3, stress="current_density")
    table = reference_t50_table(results, fits={"A": fit})
    assert not any("fitted" in column for column in table.columns)
    assert "T50_at_100_h (n=1.8)" in table.columns  # DEFAULT_ACCELERATION_N


def test_decay_fit_table_holds_the_fitted_parameters_or_says_no():
    fitted = lifetime_metrics(clean_log(10.0, 0.8, 40.0))
    short = LifetimeLog([0.0, 1.0, 2.0, 3.0], [100.0, 99.0, 98.0, 97.0], label="s")
    unfitted = lifetime_metrics(short, method="biexponential")  # needs 6 readings
    table = decay_fit_table([fitted, unfitted])
    row = table.iloc[0]
    assert row["tau_h"] == pytest.approx(10.0, rel=1e-6)  # the clean decay's τ
    assert row["beta"] == pytest.approx(0.8, rel=1e-6)
    assert row["tau_h ±"] == fitted.fit.uncertainties["tau_h"]
    assert row["R²"] == fitted.fit.r_squared and row["model"] == fitted.method
    assert table.iloc[1]["fitted"] == "no"
    assert table.iloc[1]["model"] == "biexponential"


def test_t_value_text_and_the_notice_beside_t50():
    from core.lifetime import BEYOND_CAP_TEXT, t50_notice, t_value_text

    measured = lifetime_metrics(clean_log(10.0, 1.0, 40.0))
    assert t50_notice(measured) == ""
    assert t_value_text(measured.threshold(0.5)).endswith("h (measured)")
    # τ = 100 h stopped after 10 h: T50 = 69 h lies past 6x the test.
    short = clean_log(100.0, 1.0, 10.0)
    hidden = lifetime_metrics(short)
    assert (
        t_value_text(hidden.threshold(0.5))
        == BEYOND_CAP_TEXT
        == ("> 6× the test, not reported")
    )
    assert t50_notice(hidden).startswith("T50 > 6× the test, not reported: ")
    asked = lifetime_metrics(short, report_beyond_cap=True)
    text = t_value_text(asked.threshold(0.5))
    assert text.startswith("69.3") and text.endswith("(beyond 6× the test, on request)")
    assert t50_notice(asked).startswith("T50 = 69.3")
