"""`python -m core spectra`: the JSON contract, a known drift, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import colour
import numpy as np
import pytest
from support import XY_TOLERANCE, gaussian

from core.cli import main
from core.spectra import METRIC_COLUMNS
from core.stability import STABILITY_KEYS

ROOT = Path(__file__).resolve().parents[3]
WAVELENGTH = np.arange(500.0, 800.5, 0.5)
TIME_H = np.array([0.0, 1.0, 2.0, 4.0, 8.0])
DRIFT_NM_PER_H = 0.35  # a known synthetic drift: 638 nm -> 640.8 nm over 8 h


def write_series(path: Path) -> Path:
    header = "Wavelength (nm)," + ",".join(f"t = {t:g} h" for t in TIME_H)
    lines = [gaussian(WAVELENGTH, 638 + DRIFT_NM_PER_H * t, 32) for t in TIME_H]
    rows = [header] + [
        f"{wl:.1f}," + ",".join(f"{line[k]:.8f}" for line in lines)
        for k, wl in enumerate(WAVELENGTH)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def colour_science_xy(peak_nm: float) -> np.ndarray:
    values = gaussian(WAVELENGTH, peak_nm, 32)
    sd = colour.SpectralDistribution(dict(zip(WAVELENGTH, values, strict=True)))
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    # "Integration": the ASTM E308 default refuses a 0.5 nm interval.
    return colour.XYZ_to_xy(colour.sd_to_XYZ(sd, cmfs, method="Integration"))


def test_known_drift_and_colour_science_xy(tmp_path, capsys):
    path = write_series(tmp_path / "drift.csv")
    assert main(["spectra", str(path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["axis_name"] == "time" and payload["axis_unit"] == "h"
    assert [s["axis"] for s in payload["spectra"]] == pytest.approx(TIME_H)
    for entry in payload["spectra"]:
        assert set(METRIC_COLUMNS) <= set(entry)
    assert set(STABILITY_KEYS) <= set(payload["stability"])
    # Issue 2: the CLI recovers a known drift within 0.1 nm ...
    expected_shift = DRIFT_NM_PER_H * TIME_H[-1]
    assert payload["stability"]["peak_shift_nm"] == pytest.approx(
        expected_shift, abs=0.1
    )
    assert payload["stability"]["drift_rate_nm_per_unit"] == pytest.approx(
        DRIFT_NM_PER_H, abs=0.01
    )
    # ... and xy within 2e-4 of colour-science's sd_to_XYZ.
    for entry, t in zip(payload["spectra"], TIME_H, strict=True):
        reference = colour_science_xy(638 + DRIFT_NM_PER_H * t)
        assert [entry["cie_x"], entry["cie_y"]] == pytest.approx(
            reference, abs=XY_TOLERANCE
        )


def test_csv_output(tmp_path, capsys):
    path = write_series(tmp_path / "drift.csv")
    assert main(["spectra", str(path), "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[0] == "axis" and "peak_nm" in header


def test_bad_input_prints_a_sentence_and_exits_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Wavelength (nm),0\n500,1\n501,n/a\n502,3\n", encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "core", "spectra", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert "bad.csv" in process.stderr and "line 3" in process.stderr
    assert "Traceback" not in process.stderr
    assert process.stdout == ""


def test_missing_file_exits_2(capsys):
    assert main(["spectra", "/nonexistent/file.csv"]) == 2
    assert "no such file" in capsys.readouterr().err
