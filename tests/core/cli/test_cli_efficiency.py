"""Tests for ``python -m core efficiency`` (core/cli_efficiency.py)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parents[3]
REALDATA = ROOT.parent / "shared" / "realdata"
CONTRACT_KEYS = (
    "eqe_max_percent",
    "voltage_at_eqe_max_v",
    "luminance_at_eqe_max_cd_m2",
    "current_density_at_eqe_max_ma_cm2",
    "luminance_max_cd_m2",
    "turn_on_v",
    "current_efficiency_max_cd_a",
    "power_efficiency_max_lm_w",
    "eqe_at_100_cd_m2_percent",
    "eqe_at_1000_cd_m2_percent",
    "points",
    "warnings",
)


def _real(name: str) -> str:
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    return str(path)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["efficiency", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_simone_sweep_json_contract(capsys):
    code, out, _ = _run(capsys, _real("simone-peled_DC_data.dat"))
    assert code == 0
    record = json.loads(out)
    for key in CONTRACT_KEYS:
        assert key in record
    assert record["file"] == "simone-peled_DC_data.dat"
    assert record["eqe_max_percent"] == pytest.approx(10.28)
    assert record["voltage_at_eqe_max_v"] == pytest.approx(4.25)
    assert record["luminance_max_cd_m2"] == pytest.approx(6.743e4)
    assert record["turn_on_v"] == pytest.approx(2.6)
    assert record["eqe_computed_to_file_ratio"] is None  # NaN -> null ...
    assert record["warnings"]  # ... with the reason beside it
    assert len(record["points"]) == 161
    assert any("read from the preamble" in note for note in record["notes"])


def test_bsubpc_turn_on(capsys):
    code, out, _ = _run(
        capsys, _real("bsubpc-oled_OLED-004_A1-1_JVL.txt"), "--no-points"
    )
    record = json.loads(out)
    assert code == 0 and "points" not in record
    assert record["turn_on_v"] == pytest.approx(3.4, abs=1e-3)


def test_several_files_give_devices_and_batch(capsys):
    code, out, _ = _run(
        capsys,
        _real("simone-peled_DC_data.dat"),
        _real("bsubpc-oled_OLED-004_A1-1_JVL.txt"),
        "--no-points",
    )
    payload = json.loads(out)
    assert code == 0
    assert [d["file"] for d in payload["devices"]] == [
        "simone-peled_DC_data.dat",
        "bsubpc-oled_OLED-004_A1-1_JVL.txt",
    ]
    eqe = payload["batch"]["eqe_max_percent"]
    assert eqe["n"] == 2
    assert eqe["mean"] == pytest.approx((10.28 + 0.548094) / 2)
    assert eqe["champion_device"] == "simone-peled_DC_data"
    assert payload["batch"]["turn_on_v"]["champion"] == pytest.approx(2.6)


def _worked_example_files(tmp_path: Path) -> tuple[Path, Path]:
    grid = np.arange(380.0, 900.0, 0.1)
    sigma = 32.0 / (2 * math.sqrt(2 * math.log(2)))
    intensity = np.exp(-0.5 * ((grid - 638.0) / sigma) ** 2)
    spectrum = tmp_path / "el_638.csv"
    spectrum.write_text(
        "Wavelength (nm),EL (counts)\n"
        + "".join(f"{w:.1f},{s:.10e}\n" for w, s in zip(grid, intensity, strict=True))
    )
    sweep = tmp_path / "pixel.txt"
    sweep.write_text(
        "Voltage (V)\tCurrent (mA)\tL (cd/m2)\n2.0\t0.0004\t0.5\n3.0\t0.4\t1000\n"
    )
    return sweep, spectrum


def test_worked_example_through_the_cli(capsys, tmp_path):
    """docs/methods.md §3: 638/32 nm, 1000 cd/m², 10 mA/cm², 3 V."""
    sweep, spectrum = _worked_example_files(tmp_path)
    code, out, err = _run(
        capsys, str(sweep), "--spectrum", str(spectrum), "--area-cm2", "0.04"
    )
    assert code == 0, err
    record = json.loads(out)
    assert record["eqe_source"] == "spectrum"
    assert record["eqe_max_percent"] == pytest.approx(11.196, abs=5e-4)
    assert record["current_efficiency_max_cd_a"] == pytest.approx(10.00, abs=5e-3)
    assert record["power_efficiency_max_lm_w"] == pytest.approx(10.47, abs=5e-3)
    assert record["spectrum_file"] == "el_638.csv"


def test_current_without_area_exits_2_with_the_sentence(capsys, tmp_path):
    sweep, _ = _worked_example_files(tmp_path)
    code, out, err = _run(capsys, str(sweep))
    assert code == 2 and out == ""
    assert err == (
        "error: pixel.txt: column 2 'Current (mA)' holds a current but the file "
        "has no current-density column and no device area in its preamble; enter "
        "the device area in cm² (e.g. 0.04) so the current density can be "
        "computed.\n"
    )


def test_bad_options_and_missing_file(capsys, tmp_path):
    sweep, _ = _worked_example_files(tmp_path)
    code, _, err = _run(capsys, str(sweep), "--turn-on-luminance", "0")
    assert code == 2
    assert err == (
        "error: --turn-on-luminance: expected a positive luminance in cd/m², found 0.\n"
    )
    code, _, err = _run(capsys, str(sweep), "--area-cm2", "-1")
    assert (code, err) == (
        2,
        "error: --area-cm2: expected a positive area in cm², found -1.\n",
    )
    code, _, err = _run(capsys, str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt: no such file." in err


def test_csv_points(capsys, tmp_path):
    sweep, _ = _worked_example_files(tmp_path)
    code, out, _ = _run(capsys, str(sweep), "--area-cm2", "0.04", "--format", "csv")
    lines = out.strip().splitlines()
    assert code == 0
    assert lines[0].startswith("device,voltage_v,current_density_ma_cm2,")
    assert len(lines) == 3


def test_module_entry_point_subprocess():
    """End to end: ``python -m core efficiency`` prints the same number."""
    path = _real("simone-peled_DC_data.dat")
    done = subprocess.run(
        [sys.executable, "-m", "core", "efficiency", path, "--no-points"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["eqe_max_percent"] == pytest.approx(10.28)


def test_el_spectra_over_bias_from_a_headerless_matrix(capsys):
    """bsubpc: spectra are columns of a headerless matrix, one per sweep row."""
    code, out, err = _run(
        capsys,
        _real("bsubpc-oled_OLED-004_A1-1_JVL.txt"),
        "--spectrum",
        _real("bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt"),
        "--spectrum-wavelength-grid",
        "380:780:0.5",
        "--spectrum-voltages-from-sweep",
        "--no-points",
    )
    assert code == 0, err
    record = json.loads(out)
    assert record["eqe_source"] == "spectrum"
    # Same numbers as tests/test_efficiency.py (0.90 of the rig's EQE column).
    assert record["eqe_computed_to_file_ratio"] == pytest.approx(0.90, abs=0.02)
    assert record["voltage_at_eqe_max_v"] == pytest.approx(6.4, abs=1e-3)


def test_spectrum_options_errors(capsys, tmp_path):
    sweep, _ = _worked_example_files(tmp_path)
    code, _, err = _run(capsys, str(sweep), "--spectrum-voltages-from-sweep")
    assert code == 2
    assert err == (
        "error: --spectrum-voltages-from-sweep needs --spectrum FILE (the EL "
        "spectra measured at the sweep's voltages).\n"
    )
    code, _, err = _run(
        capsys,
        str(sweep),
        "--spectrum",
        str(sweep),
        "--spectrum-wavelength-grid",
        "780:380:1",
    )
    assert code == 2
    assert err == (
        "error: --spectrum-wavelength-grid: expected STOP > START and STEP > 0, "
        "found '780:380:1'.\n"
    )
