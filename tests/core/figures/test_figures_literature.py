"""core.figures.literature: the charts carry every plottable literature row."""

from __future__ import annotations

import altair as alt
import pytest

from core import literature
from core.figures import literature as literature_figures

DEVICE = {
    "name": "mine",
    "el_peak_nm": 638.0,
    "eqe_max_percent": 20.0,
    "luminance_max_cd_m2": 9000.0,
    "t50_h": 2.0,
    "t50_initial_luminance_cd_m2": 100.0,
    "cie_x": 0.70,
    "cie_y": 0.30,
}


def plotted_rows(chart) -> int:
    """Rows of every dataset the chart's point layers draw."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    total = 0
    for layer in spec["layer"]:
        mark = (
            layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        )
        if mark != "point":
            continue
        # A layer without data of its own draws the chart's top-level data.
        data = layer.get("data", spec.get("data", {}))
        total += len(datasets.get(data.get("name"), []))
    return total


@pytest.mark.parametrize("device", [None, DEVICE], ids=["no device", "device"])
@pytest.mark.parametrize(
    "builder, columns",
    [
        (literature_figures.eqe_vs_peak_chart, ["el_peak_nm", "eqe_max_percent"]),
        (
            literature_figures.lmax_vs_eqe_chart,
            ["luminance_max_cd_m2", "eqe_max_percent"],
        ),
    ],
)
def test_every_row_with_both_values_is_drawn(builder, columns, device):
    alt.data_transformers.disable_max_rows()
    table = literature.load_table()
    frame = literature_figures.literature_chart_frame(table, device, 100.0, 1.8)
    expected = int(frame.dropna(subset=columns).shape[0])
    assert expected > 1 + (device is not None)
    assert plotted_rows(builder(frame)) == expected
