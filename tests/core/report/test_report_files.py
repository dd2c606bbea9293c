"""
core.report.files: every figure, table and sidecar of a report, and the
rebuild of a figure from its sidecar and the same files.
"""

from __future__ import annotations

import json

import pytest
from report_support import SPECTRA_OPTIONS, STAMP, demo_files, demo_report

from core import report as report_module
from core.demo import demo_devices
from core.errors import InputError
from core.figures.export import chart_to_bytes
from core.report import (
    ReportSettings,
    build_report,
    load_devices,
    rebuild_figure,
    report_files,
)


def test_report_files_have_every_figure_table_and_sidecar():
    report = demo_report()
    files = report_files(report, formats=("svg",), pdf_report=False)
    for figure in report.figures:
        assert f"figures/{figure.key}.svg" in files
        assert f"figures/{figure.key}.csv" in files
        sidecar = json.loads(files[f"figures/{figure.key}.provenance.json"])
        assert sidecar["figure"] == figure.key
        assert sidecar["recipe"]["name"] in report_module.RECIPES
        assert sidecar["settings"]["preset"] == "acs-single"
        assert sidecar["created_utc"] == STAMP
        # Session devices: their parsed data are identified, not files.
        assert {i["kind"] for i in sidecar["inputs"]} == {"parsed data"}
        assert sidecar["recipe"]["rebuildable"] is False
    for table in report.tables:
        assert f"tables/{table.key}.csv" in files
    assert "report.html" in files and "report.pdf" not in files
    with pytest.raises(InputError, match="made from session data without files"):
        rebuild_figure(sidecar, {})


def test_the_page_records_what_the_sidecar_records():
    report = demo_report()
    figure = report.figures[0]
    record = report.figure_provenance(figure)
    assert record["builder"] == figure.builder
    assert record["inputs"] == list(report.inputs)
    assert record["settings"]["preset"] == report.settings.preset
    assert record["settings"]["name"] == figure.recipe["name"]


@pytest.fixture(scope="module")
def from_files():
    files, groups = {}, []
    for device, tag in zip(demo_devices(), ("control", "treated"), strict=True):
        more, group = demo_files(device, tag)
        files |= more
        groups.append(group)
    loaded, inputs = load_devices(groups, files, SPECTRA_OPTIONS)
    built = build_report(
        loaded,
        ReportSettings(preset="rsc-single"),
        inputs=inputs,
        groups=[
            {
                "name": g["name"],
                "files": [
                    {"name": i["name"], "role": i["role"]}
                    for i in inputs
                    if i["device"] == g["name"]
                ],
            }
            for g in groups
        ],  # fmt: skip
        reader_options=SPECTRA_OPTIONS,
        created_utc=STAMP,
    )
    written = report_files(built, formats=("svg",), pdf_report=False)
    return files, built, written


def test_a_report_from_files_records_what_each_file_was_read_as(from_files):
    _, built, _ = from_files
    roles = [(i["name"], i["role"]) for i in built.inputs]
    assert roles[:3] == [
        ("control_el.csv", "spectra"),
        ("control_jvl.txt", "jvl"),
        ("control_life.csv", "lifetime"),
    ]
    assert built.device_names == ("control", "treated")
    assert all(s.status == "ok" for s in built.sections)


@pytest.mark.parametrize(
    "key", ["stability_peak_shift", "efficiency_eqe_luminance", "lifetime_decay"]
)
def test_a_sidecar_rebuilds_the_same_svg_bytes(from_files, key):
    files, _, written = from_files
    sidecar = json.loads(written[f"figures/{key}.provenance.json"])
    assert sidecar["recipe"]["rebuildable"] is True
    assert {i["name"] for i in sidecar["inputs"]} == set(files)
    chart = rebuild_figure(sidecar, files)
    assert chart_to_bytes(chart, "svg") == written[f"figures/{key}.svg"]


def test_a_rebuild_refuses_a_changed_file(from_files):
    files, _, written = from_files
    sidecar = json.loads(written["figures/efficiency_jv.provenance.json"])
    changed = dict(files, **{"control_jvl.txt": files["control_jvl.txt"] + b"\n"})
    with pytest.raises(
        InputError, match=r"control_jvl.txt: SHA-256 .* the file changed"
    ):
        rebuild_figure(sidecar, changed)
    with pytest.raises(InputError, match="names no report recipe"):
        rebuild_figure({"figure": "x"}, files)
