"""
``python -m core photophysics trpl|tdpl|urbach|plqy``: the JSON contract, the
same numbers as the core functions (one function behind the CLI, the page and
the report), CSV tables, figures with provenance, errors, a fast --help.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from core.demo import photophysics as demo
from core.photophysics import (
    DECAY_KEYS,
    absorption_analysis,
    fit_decay,
    plqy_de_mello,
    read_absorbance,
    read_decay,
    read_sphere,
    read_temperature_series,
    tdpl_analysis,
)

ROOT = Path(__file__).resolve().parents[3]
TDPL_KEYS = (
    "file",
    "label",
    "source",
    "n_spectra",
    "wavelength_range_nm",
    "temperature_range_k",
    "model",
    "binding_energy_mev",
    "binding_energy_stderr_mev",
    "prefactor",
    "prefactor_stderr",
    "i0",
    "i0_stderr",
    "second_energy_mev",
    "second_energy_stderr_mev",
    "n_points",
    "chi2_reduced",
    "relative_scatter",
    "phonon",
    "temperatures",
    "notes",
    "warnings",
)
URBACH_KEYS = (
    "file",
    "label",
    "source",
    "urbach_energy_mev",
    "urbach_energy_stderr_mev",
    "urbach_range_ev",
    "urbach_range_auto",
    "urbach_n_points",
    "urbach_chi2_reduced",
    "urbach_statistical_stderr_mev",
    "urbach_range_sensitivity_mev",
    "excitonic_peak_ev",
    "excitonic_peak_nm",
    "excitonic_peak_method",
    "tauc_gap_ev",
    "tauc_gap_stderr_ev",
    "tauc_range_ev",
    "tauc_caveat",
    "noise_absorbance",
    "notes",
    "warnings",
)
PLQY_KEYS = (
    "label",
    "source",
    "method",
    "plqy_percent",
    "plqy_stderr_percent",
    "absorptance",
    "absorptance_stderr",
    "laser_range_nm",
    "emission_range_nm",
    "ranges_auto",
    "range_sensitivity_percent",
    "integrals",
    "notes",
    "warnings",
)


def run_cli(capsys, *args):
    code = main(["photophysics", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_table(path: Path, header: str, columns) -> Path:
    rows = [header] + [
        "\t".join(f"{v:.6g}" for v in row) for row in zip(*columns, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def decay_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trpl")
    curve, irf = demo.demo_decay(demo.SAMPLES[1])
    decay = write_table(
        folder / "film.txt", "Time (ns)\tCounts", (curve.time_ns, curve.counts)
    )
    irf_file = write_table(
        folder / "irf.txt", "Time (ns)\tCounts", (irf.time_ns, irf.counts)
    )
    return decay, irf_file


def test_trpl_prints_the_contract_and_the_numbers_of_fit_decay(decay_files, capsys):
    decay, irf = decay_files
    code, out, _ = run_cli(capsys, "trpl", decay, "--irf", irf)
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["file", "irf_file", *DECAY_KEYS]
    fit = fit_decay(
        read_decay(decay.read_bytes(), str(decay)),
        irf=read_decay(irf.read_bytes(), str(irf)),
    )
    assert payload["tau_ns"] == [fit.tau_ns[0]]
    assert payload["tau_stderr_ns"] == [fit.tau_stderr_ns[0]]
    assert payload["method"] == "reconvolution"
    assert payload["tau_ns"][0] == pytest.approx(15.3, rel=0.01)  # Table S2 value


def test_trpl_tail_fit_several_files_csv_and_hint(decay_files, capsys):
    decay, _ = decay_files
    code, out, _ = run_cli(
        capsys, "trpl", decay, decay, "--tail-start", "10", "--suggest"
    )
    payload = json.loads(out)
    assert code == 0 and len(payload) == 2
    assert payload[0]["fit_start_ns"] == pytest.approx(10.0)
    assert payload[0]["component_hint"]["suggested_components"] == 1
    code, out, _ = run_cli(capsys, "trpl", decay, "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:4] == ["label", "method", "n_components", "tau1_ns"]


def test_trpl_demo_is_the_demo_fit(capsys):
    code, out, _ = run_cli(capsys, "trpl", "--demo", "--components", "1")
    payload = json.loads(out)
    assert code == 0 and [p["label"] for p in payload] == list(demo.SAMPLES)
    curve, irf = demo.demo_decay(demo.SAMPLES[0])
    assert payload[0]["tau_ns"] == [fit_decay(curve, irf=irf).tau_ns[0]]


def test_tdpl_from_a_series_file(tmp_path, capsys):
    series = demo.demo_tdpl(demo.SAMPLES[0])
    header = "Wavelength (nm)\t" + "\t".join(f"{t:g} K" for t in series.axis)
    path = write_table(
        tmp_path / "pl_vs_T.txt", header, (series.wavelength_nm, *series.intensity)
    )
    code, out, _ = run_cli(capsys, "tdpl", path, "--temperature-range", "80:220")
    payload = json.loads(out)
    assert code == 0 and tuple(payload) == TDPL_KEYS
    expected = tdpl_analysis(
        read_temperature_series([(str(path), path.read_bytes())]),
        temperature_range_k=(80, 220),
    )
    assert payload["binding_energy_mev"] == expected.arrhenius.binding_energy_mev
    assert payload["temperature_range_k"] == [80.0, 220.0]
    code, out, _ = run_cli(capsys, "tdpl", path, "--format", "csv")
    assert out.splitlines()[0].startswith("temperature_k,integrated_intensity")


def test_tdpl_demo_two_channel_and_phonon(capsys):
    code, out, _ = run_cli(capsys, "tdpl", "--demo", "--phonon")
    payload = json.loads(out)
    assert code == 0
    assert abs(payload[1]["binding_energy_mev"] - 108.0) < 5  # Figure 3j-l value
    assert payload[1]["phonon"]["e_lo_mev"] > 0


def test_urbach_from_a_file(tmp_path, capsys):
    spectrum = demo.demo_absorbance(demo.SAMPLES[1])
    path = write_table(
        tmp_path / "abs.txt",
        "Wavelength (nm)\tAbsorbance",
        (spectrum.wavelength_nm, spectrum.absorbance),
    )
    code, out, _ = run_cli(capsys, "urbach", path, "--tauc")
    payload = json.loads(out)
    assert code == 0 and tuple(payload) == URBACH_KEYS
    expected = absorption_analysis(
        read_absorbance(path.read_bytes(), str(path)), tauc=True
    )
    assert payload["urbach_energy_mev"] == expected.urbach.urbach_energy_mev
    assert payload["tauc_caveat"].startswith("Tauc analysis assumes")


def test_plqy_from_three_files_and_by_hand(tmp_path, capsys):
    sphere = demo.demo_sphere(demo.SAMPLES[0])
    paths = {}
    for role in ("empty", "out_of_beam", "in_beam"):
        values = getattr(sphere, role)
        paths[role] = write_table(
            tmp_path / f"{role}.txt",
            "Wavelength (nm)\tCounts",
            (sphere.wavelength_nm, values),
        )
    code, out, _ = run_cli(
        capsys,
        "plqy",
        "--empty",
        paths["empty"],
        "--out-of-beam",
        paths["out_of_beam"],
        "--in-beam",
        paths["in_beam"],
    )
    payload = json.loads(out)
    assert code == 0 and tuple(payload) == PLQY_KEYS
    measurement = read_sphere(
        *(
            (str(paths[r]), paths[r].read_bytes())
            for r in ("empty", "in_beam", "out_of_beam")
        )
    )
    assert payload["plqy_percent"] == plqy_de_mello(measurement).plqy_percent
    assert abs(payload["plqy_percent"] - 78.0) < 1.0
    code, out, _ = run_cli(capsys, "plqy", "--value", "95", "--value-stderr", "2")
    assert json.loads(out)["plqy_percent"] == 95.0


def test_figures_are_written_with_provenance(tmp_path, capsys):
    spectrum = demo.demo_absorbance(demo.SAMPLES[0])
    path = write_table(
        tmp_path / "abs.txt",
        "Wavelength (nm)\tAbsorbance",
        (spectrum.wavelength_nm, spectrum.absorbance),
    )
    out_dir = tmp_path / "figures"
    code, out, _ = run_cli(capsys, "urbach", path, "--figures", out_dir)
    assert code == 0
    names = json.loads(out)["figures"]
    assert set(names) == {
        f"urbach.{ext}" for ext in ("svg", "pdf", "png", "csv", "provenance.json")
    }
    record = json.loads((out_dir / "urbach.provenance.json").read_text())
    assert record["builder"] == "core.figures.photophysics.urbach_chart"
    assert record["inputs"][0]["name"] == str(path)
    assert record["inputs"][0]["size_bytes"] == path.stat().st_size


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trpl"], "give a file (or --demo)"),
        (["urbach", "--demo", "x.txt"], "either --demo or files"),
        (["tdpl", "--demo", "--range", "700"], "--range: expected LOW:HIGH in nm"),
        (["plqy"], "give --empty and --in-beam"),
        (["trpl", "missing.txt"], "missing.txt: no such file"),
    ],
)
def test_errors_exit_2_with_a_sentence(capsys, args, message):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_help_is_fast():
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "core", "photophysics", "trpl", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        assert process.returncode == 0 and "--irf" in process.stdout
    assert best <= 0.8, best
