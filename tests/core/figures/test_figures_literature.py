"""
core.figures.literature: the charts carry every plottable literature row and
export at the exact preset size.
"""

from __future__ import annotations

import altair as alt
import pytest
from figure_readers import assert_exact_export, public_chart_builders

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


NAMES = [
    "eqe_vs_peak_chart",
    "t50_vs_eqe_chart",
    "lmax_vs_eqe_chart",
    "cie_red_corner_chart",
]


@pytest.fixture(scope="module")
def charts() -> dict:
    frame = literature_figures.literature_chart_frame(
        literature.load_table(),
        {"eqe_max_percent": 20.0, "el_peak_nm": 640.0, "cie_x": 0.70, "cie_y": 0.29},
    )
    figures = literature_figures
    return {
        "eqe_vs_peak_chart": (
            figures.eqe_vs_peak_chart(frame),
            ["EL peak [nm]", "maximum EQE [%]"],
        ),
        "t50_vs_eqe_chart": (figures.t50_vs_eqe_chart(frame), ["maximum EQE [%]"]),
        "lmax_vs_eqe_chart": (
            figures.lmax_vs_eqe_chart(frame),
            ["maximum luminance [cd/m²]"],
        ),
        "cie_red_corner_chart": (
            figures.cie_red_corner_chart(frame),
            ["CIE x", "CIE y"],
        ),
    }


def test_the_list_covers_every_public_chart_builder(charts):
    # A new *_chart function in core/figures/literature.py must join this test.
    assert public_chart_builders("literature") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])


def test_t50_chart_draws_bounds_open_and_marks_each_kind():
    import pandas as pd

    alt.data_transformers.disable_max_rows()
    table = literature.load_table()
    wang = table[table["record_id"] == "wang2021angew"]
    extra = [
        wang.assign(record_id="bound", t50_h=15.0, t50_qualifier=">",
                    t50_initial_luminance_cd_m2=20.0),
        wang.assign(record_id="extrapolated", t50_kind="extrapolated"),
    ]  # fmt: skip
    frame = literature_figures.literature_chart_frame(
        pd.concat([table, *extra], ignore_index=True), None, 100.0, 1.8
    )
    marks = dict(zip(frame["record_id"], frame["t50_mark"], strict=True))
    assert marks["ren2024acsml-treated"] == "measured"
    assert marks["wang2021angew"] == "normalised"
    assert marks["extrapolated"] == "extrapolated"
    assert marks["bound"] == "lower bound (>): open"
    bound = frame.loc[frame["record_id"] == "bound"].iloc[0]
    assert pd.isna(bound["t50_ref_h"])  # never a value
    assert bound["t50_plot_h"] == pytest.approx(15 * 0.2**1.8)
    spec = literature_figures.t50_vs_eqe_chart(frame).to_dict()
    open_layers = [
        layer for layer in spec["layer"]
        if isinstance(layer["mark"], dict) and layer["mark"].get("filled") is False
    ]  # fmt: skip
    assert len(open_layers) == 1
    drawn = spec["datasets"][open_layers[0]["data"]["name"]]
    assert [row["record_id"] for row in drawn] == ["bound"]
    assert "open ▲ = lower bound (>)" in spec["title"]["text"]
