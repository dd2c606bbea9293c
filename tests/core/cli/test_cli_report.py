"""
``python -m core report``: files in, report + figures + tables + sidecars out.

Runs through :func:`core.cli.main` (the real entry point) with synthetic rig
files written from the demo devices, and with the real instrument files of
../shared/realdata when they are there.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from core.cli import main
from core.demo import demo_devices
from core.figures.export import chart_to_bytes, pdf_size_pt, png_ppi, svg_size_pt
from core.figures.theme import PRESETS
from core.report import SECTIONS, rebuild_figure
from tests.core.report.report_support import demo_files

REALDATA = Path(__file__).resolve().parents[4] / "shared" / "realdata"


@pytest.fixture(scope="module")
def rig_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rig")
    paths = {}
    for device, tag in zip(demo_devices(), ("control", "treated"), strict=True):
        files, _ = demo_files(device, tag)
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content)
            paths[name] = path
    return paths


def run(capsys, *argv) -> tuple[int, dict | None, str]:
    code = main(["report", *map(str, argv)])
    captured = capsys.readouterr()
    payload = json.loads(captured.out) if code == 0 else None
    return code, payload, captured.err


@pytest.fixture(scope="module")
def full_run(rig_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    # Plain file names after --device are recognised by content.
    argv = ["--device", "control", rig_files["control_jvl.txt"]]
    argv += [rig_files["control_life.csv"], "--spectra", rig_files["control_el.csv"]]
    argv += ["--device", "treated", "--spectra", rig_files["treated_el.csv"]]
    argv += ["--jvl", rig_files["treated_jvl.txt"]]
    argv += ["--lifetime", rig_files["treated_life.csv"]]
    argv += ["--axis-name", "time", "--axis-unit", "h", "--out", out]
    # The PDF report itself is tested in test_report.py (it takes seconds).
    argv += ["--preset", "nature-single", "--ppi", "200", "--no-pdf"]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["report", *map(str, argv)])
    return code, out, json.loads(stdout.getvalue())


def test_report_writes_html_pdf_figures_tables_and_sidecars(full_run):
    code, out, payload = full_run
    assert code == 0
    assert payload["devices"] == ["control", "treated"]
    assert list(payload["sections"]) == list(SECTIONS)
    assert all(s["status"] == "ok" for s in payload["sections"].values())
    roles = {Path(i["name"]).name: i["role"] for i in payload["inputs"]}
    assert roles == {
        "control_el.csv": "spectra",
        "control_jvl.txt": "jvl",  # recognised by content
        "control_life.csv": "lifetime",
        "treated_el.csv": "spectra",
        "treated_jvl.txt": "jvl",
        "treated_life.csv": "lifetime",
    }
    for relative in payload["files"]:
        assert (out / relative).is_file()
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert payload["report_pdf"] is None
    preset = PRESETS["nature-single"]
    width, height = preset.width_cm * 72 / 2.54, preset.height_cm * 72 / 2.54
    for figure in payload["sections"]["efficiency"]["figures"]:
        stem = out / "figures" / figure
        assert svg_size_pt(stem.with_suffix(".svg").read_bytes()) == pytest.approx(
            (width, height)
        )
        assert pdf_size_pt(stem.with_suffix(".pdf").read_bytes()) == pytest.approx(
            (width, height), abs=1e-3
        )
        assert png_ppi(stem.with_suffix(".png").read_bytes()) == pytest.approx(
            (200, 200), abs=0.01
        )
        assert stem.with_suffix(".csv").stat().st_size > 0
    assert (out / "tables" / "metrics_side_by_side.csv").is_file()


def test_a_sidecar_from_the_cli_rebuilds_the_same_svg(full_run, rig_files):
    _, out, _ = full_run
    sidecar = json.loads(
        (out / "figures" / "stability_cie.provenance.json").read_text("utf-8")
    )
    assert sidecar["preset"]["name"] == "nature-single"
    files = {
        item["name"]: Path(item["name"]).read_bytes() for item in sidecar["inputs"]
    }
    chart = rebuild_figure(sidecar, files)
    assert (
        chart_to_bytes(chart, "svg")
        == (out / "figures" / "stability_cie.svg").read_bytes()
    )


def test_files_by_position_form_a_device_named_after_the_first(
    rig_files, tmp_path, capsys
):
    code, payload, _ = run(
        capsys,
        rig_files["control_jvl.txt"],
        "--out",
        tmp_path,
        "--formats",
        "svg",
        "--no-pdf",
    )
    assert code == 0
    assert payload["devices"] == ["control_jvl"]
    assert payload["sections"]["efficiency"]["status"] == "ok"
    assert payload["sections"]["stability"]["status"] == "missing"
    assert payload["sections"]["stability"]["message"] == "No device has EL spectra."
    assert payload["report_pdf"] is None and not (tmp_path / "report.pdf").exists()
    assert not list((tmp_path / "figures").glob("*.png"))


def test_demo_report_needs_no_files(tmp_path, capsys):
    code, payload, _ = run(
        capsys, "--demo", "--out", tmp_path, "--formats", "svg", "--no-pdf"
    )
    assert code == 0
    assert payload["devices"] == ["Control (synthetic)", "Treated (synthetic)"]
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "synthetic demo data" in html


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "No input files: give FILE..., or --device NAME"),
        (["--device", "a"], "No input files"),
        (["--device", "a", "missing.csv"], "missing.csv: no such file."),
        (["--demo", "--formats", "svg,tiff"], "--formats: expected some of svg"),
        (["--demo", "--ppi", "20"], "PNG resolution must be a whole number"),
        (
            ["--demo", "--wavelength-grid", "380:780"],
            "--wavelength-grid: expected START:STOP:STEP in nm",
        ),
        (
            ["--demo", "--reference-device", "nobody"],
            "Reference device 'nobody' is not among",
        ),
    ],
)
def test_bad_requests_exit_2_with_a_sentence(argv, message, tmp_path, capsys):
    code, _, err = run(capsys, *argv, "--out", tmp_path)
    assert code == 2
    assert message in err


def test_a_device_without_files_is_refused(rig_files, tmp_path, capsys):
    code, _, err = run(
        capsys,
        "--device",
        "a",
        "--jvl",
        rig_files["control_jvl.txt"],
        "--device",
        "b",
        "--out",
        tmp_path,
    )
    assert code == 2
    assert "--device b: no files follow it" in err


def test_real_instrument_files(tmp_path, capsys):
    if not REALDATA.is_dir():
        pytest.skip(f"real instrument files not available at {REALDATA}")
    code, payload, err = run(
        capsys,
        "--device",
        "perovskite",
        "--jvl",
        REALDATA / "simone-peled_DC_data.dat",
        "--spectra",
        REALDATA / "simone-peled_spectrum1_SpectraWiz.IRR",
        "--device",
        "oled",
        REALDATA / "bsubpc-oled_OLED-004_A1-1_JVL.txt",
        "--spectra",
        REALDATA / "bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt",
        "--wavelength-grid",
        "380:780:0.5",  # the headerless matrix has no wavelength column
        "--out",
        tmp_path,
        "--formats",
        "svg",
        "--no-pdf",
    )
    assert code == 0, err
    roles = [i["role"] for i in payload["inputs"]]
    assert roles == ["jvl", "spectra", "jvl", "spectra"]
    efficiency = payload["sections"]["efficiency"]
    assert efficiency["status"] == "ok"
    # Both devices are drawn (the sweeps' own labels are file names: the
    # charts must colour by device name).
    svg = (tmp_path / "figures" / "efficiency_eqe_luminance.svg").read_text("utf-8")
    assert svg.count('class="mark-line role-mark') >= 1
    csv = (tmp_path / "figures" / "efficiency_eqe_luminance.csv").read_text("utf-8")
    assert {line.split(",")[0] for line in csv.splitlines()[1:]} == {
        "perovskite",
        "oled",
    }
    # The OLED's 58 spectra over the sweep drift; the perovskite LED has one
    # spectrum and is left out of the drift charts (the notes say so).
    stability = payload["sections"]["stability"]
    assert stability["figures"][:3] == [
        "stability_peak_shift",
        "stability_fwhm",
        "stability_cie",
    ]
    peak = (tmp_path / "figures" / "stability_peak_shift.csv").read_text("utf-8")
    assert {line.split(",")[0] for line in peak.splitlines()[1:]} == {"oled"}
