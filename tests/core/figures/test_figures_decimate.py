"""core.figures.decimate: min/max per pixel column keeps every extreme and the
envelope of each column, and nothing is thinned below the screen's width."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.figures.decimate import decimate_for_screen, extreme_rows


def envelope(x, y, columns):
    """Per-bin min and max of y computed the slow, obvious way."""
    edges = np.linspace(x.min(), x.max(), columns + 1)
    bins = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, columns - 1)
    return {b: (np.nanmin(y[bins == b]), np.nanmax(y[bins == b])) for b in set(bins)}


def test_every_bins_min_and_max_survive():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0, 10, 36_000))
    y = np.sin(x) + rng.normal(0, 0.2, x.size)
    y[[5, 20_000]] = [9.0, -9.0]  # spikes must stay
    rows = extreme_rows(x, y, columns=800)
    assert len(rows) <= 2 * 800 + 2
    assert {5, 20_000, 0, x.size - 1} <= set(rows.tolist())
    full, thin = envelope(x, y, 800), envelope(x[rows], y[rows], 800)
    assert thin.keys() == full.keys()
    for b in full:
        assert thin[b] == full[b]


def test_short_series_and_nan_values_are_kept_as_they_are():
    x = np.arange(500.0)
    assert np.array_equal(extreme_rows(x, x, columns=800), np.arange(500))
    x = np.arange(5000.0)
    y = np.where(np.arange(5000) % 2 == 0, np.nan, x)
    rows = extreme_rows(x, y, columns=100)
    assert np.all(np.isfinite(y[rows[1:-1]]))  # only the ends may be NaN rows


def test_frame_is_thinned_per_device_with_all_columns_bounded():
    rng = np.random.default_rng(1)
    n = 3600
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "device": name,
                    "axis": np.linspace(0, 10, n),
                    "measured": rng.normal(0, 1, n),
                    "trend": np.linspace(0, 1, n),
                }
            )
            for name in ("A", "B")
        ],
        ignore_index=True,
    )
    thin = decimate_for_screen(frame, ["measured", "trend"], columns=400)
    assert len(thin) < len(frame) / 2
    for name, group in frame.groupby("device"):
        kept = thin[thin.device == name]
        assert kept.measured.max() == group.measured.max()
        assert kept.measured.min() == group.measured.min()
        assert kept.axis.iloc[0] == 0 and kept.axis.iloc[-1] == 10
    assert thin.index.is_monotonic_increasing  # original order
    # Default columns: every numeric one; groups: device (and included).
    frame["included"] = np.arange(len(frame)) % 100 != 7
    thin = decimate_for_screen(frame, columns=400)
    assert not thin.included.all()  # left-out spectra stay drawn
    left_out = frame[~frame.included]
    assert thin[~thin.included].measured.max() == left_out.measured.max()
    assert thin.trend.max() == frame.trend.max()
    assert decimate_for_screen(frame.iloc[:300], ["measured"]) is not None
    assert len(decimate_for_screen(frame.iloc[:300], ["measured"])) == 300


def test_trend_and_metric_charts_draw_the_thinned_rows():
    from core.figures.spectra import metric_chart, trend_chart

    rng = np.random.default_rng(2)
    n = 36_000
    measured = rng.normal(0, 1, n)
    frame = pd.DataFrame(
        {
            "device": "A",
            "axis": np.linspace(0, 100, n),
            "measured": measured,
            "trend": np.linspace(0, 1, n),
            "low": np.linspace(0, 1, n) - 0.1,
            "high": np.linspace(0, 1, n) + 0.1,
            "included": np.arange(n) % 50 != 0,
        }
    )
    for chart in (
        trend_chart(frame, "shift [nm]", "time [h]"),
        metric_chart(frame, "measured", "shift [nm]", "time [h]"),
    ):
        datasets = chart.to_dict()["datasets"].values()
        drawn = [row["measured"] for rows in datasets for row in rows
                 if "measured" in row]  # fmt: skip
        assert len(drawn) < n / 4
        assert max(drawn) == measured.max() and min(drawn) == measured.min()
