"""core.figures.spectra: every chart exports at the exact preset size."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_readers import assert_exact_export, public_chart_builders

from core import stability
from core.demo import demo_devices
from core.figures import spectra as spectra_figures
from core.figures.theme import device_color_scale

NAMES = [
    "overlay_chart",
    "heatmap_chart",
    "difference_chart",
    "metric_chart",
    "trend_chart",
]


@pytest.fixture(scope="module")
def charts() -> dict:
    devices = demo_devices()
    names = [d.name for d in devices]
    series = devices[0].spectra_time
    results = {d.name: stability.series_stability(d.spectra_time) for d in devices}
    combined = pd.concat(
        [r.metrics.assign(device=n) for n, r in results.items()], ignore_index=True
    )
    window = (590, 700)
    overlay = spectra_figures.overlay_frame(series, most=5, wavelength_range=window)
    heat = spectra_figures.heatmap_frame(
        series, max_rows=12, max_columns=30, wavelength_range=window
    )
    return {
        "overlay_chart": (
            spectra_figures.overlay_chart(overlay, series.axis_label),
            ["wavelength [nm]", "normalised EL intensity [-]"],
        ),
        "heatmap_chart": (
            spectra_figures.heatmap_chart(heat, series.axis_label),
            ["wavelength [nm]", "time [h]"],
        ),
        "difference_chart": (
            spectra_figures.difference_chart(
                series, results[names[0]], most=4, wavelength_range=window
            ),
            ["wavelength [nm]"],
        ),
        "metric_chart": (
            spectra_figures.metric_chart(
                combined,
                "delta_peak_nm",
                "peak shift [nm]",
                "time [h]",
                device_color_scale(names),
                1.0,
            ),
            ["peak shift [nm]", "time [h]"],
        ),
        "trend_chart": (
            spectra_figures.trend_chart(
                spectra_figures.trend_frame(combined, "peak"),
                "peak shift from reference [nm]",
                "time [h]",
                device_color_scale(names),
                1.0,
            ),
            ["peak shift from reference [nm]", "time [h]"],
        ),
    }


def test_trend_frame_band_is_the_trend_plus_minus_k_standard_errors(charts):
    devices = demo_devices()
    result = stability.series_stability(devices[0].spectra_time)
    combined = stability.combined_metrics({"a": result})
    frame = spectra_figures.trend_frame(combined, "peak", k=2.0)
    se = result.metrics["peak_trend_nm_se"].to_numpy()
    assert frame["high"].to_numpy() - frame["trend"].to_numpy() == pytest.approx(
        2.0 * se, nan_ok=True
    )
    assert frame["measured"].tolist() == pytest.approx(
        result.metrics["delta_peak_nm"].tolist(), nan_ok=True
    )


def test_the_list_covers_every_public_chart_builder(charts):
    # A new *_chart function in core/figures/spectra.py must join this test.
    assert public_chart_builders("spectra") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])


def test_trend_chart_marks_spectra_left_out():
    devices = demo_devices()
    result = stability.series_stability(devices[0].spectra_time, exclude=[3, 4])
    frame = spectra_figures.trend_frame(
        stability.combined_metrics({"a": result}), "peak"
    )
    spec = spectra_figures.trend_chart(frame, "peak shift", "time [h]").to_dict()
    crosses = [
        layer for layer in spec["layer"]
        if isinstance(layer["mark"], dict) and layer["mark"].get("shape") == "cross"
    ]  # fmt: skip
    assert len(crosses) == 1
    datasets = spec["datasets"]
    left_out = datasets[crosses[0]["data"]["name"]]
    assert len(left_out) == 2  # the two spectra left out, at their measured value
