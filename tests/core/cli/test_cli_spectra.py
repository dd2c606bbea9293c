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


def test_analysis_options_and_the_new_keys(tmp_path, capsys):
    path = write_series(tmp_path / "drift.csv")
    args = ["spectra", str(path), "--reference", "1", "--exclude", "4",
            "--colour-window", "3", "--noise-k", "2.5"]  # fmt: skip
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    stability = payload["stability"]
    assert stability["reference_index"] == 1 and stability["reference_axis"] == 1.0
    assert stability["excluded"] == [
        {"index": 4, "axis": 8.0, "reason": "excluded by the user"}
    ]
    assert stability["colour_window_fwhm"] == 3.0 and stability["noise_k"] == 2.5
    assert set(stability["trends"]) == {"peak_nm", "fwhm_nm", "u_prime_v_prime"}
    for key in ("peak_within_noise", "second_band_axis", "axis_at_threshold_range",
                "max_delta_u_prime_v_prime_noise", "peak_shift_sd_nm"):  # fmt: skip
        assert key in stability
    entry = payload["spectra"][4]
    assert entry["included"] is False and entry["excluded_reason"]
    for key in ("cie_x_sd", "cie_y_sd", "u_prime_sd", "v_prime_sd", "peak_nm_sd",
                "fwhm_nm_sd", "has_emission", "bands"):  # fmt: skip
        assert key in entry
    assert entry["bands"][0]["kind"] == "main"
    # Relative to t = 1 h, the last used spectrum (t = 4 h) is 3 × 0.35 nm away.
    assert stability["peak_shift_nm"] == pytest.approx(3 * DRIFT_NM_PER_H, abs=0.05)


def test_exclude_axis_range(tmp_path, capsys):
    path = write_series(tmp_path / "drift.csv")
    assert main(["spectra", str(path), "--exclude-axis", "0:1.5"]) == 0
    stability = json.loads(capsys.readouterr().out)["stability"]
    assert [e["index"] for e in stability["excluded"]] == [0, 1]
    assert stability["reference_index"] == 2


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--exclude", "3,x", "expected indices such as 3,5-7"),
        ("--exclude", "9", "Spectrum index 9 cannot be excluded"),
        ("--exclude-axis", "1-2", "expected LO:HI"),
        ("--reference", "50", "No spectrum at axis value 50"),
    ],
)
def test_bad_analysis_options_exit_2_with_a_sentence(tmp_path, capsys, option, value,
                                                     message):  # fmt: skip
    path = write_series(tmp_path / "drift.csv")
    assert main(["spectra", str(path), option, value]) == 2
    assert message in capsys.readouterr().err
