"""``python -m core lifetime``: the JSON contract, and the same numbers as core."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import constants, lifetime
from core.cli import main
from core.io.lifetime_log import TIME_UNITS, read_lifetime_log
from core.lifetime import lifetime_metrics, stretched_exponential

CONTRACT_KEYS = (
    "initial_luminance_cd_m2",
    "t95_h",
    "t90_h",
    "t80_h",
    "t70_h",
    "t50_h",
    "t50_kind",
    "model",
    "t50_at_reference_h",
    "warnings",
    "file",
)


def write_log(path, tau_h, beta, l0, t_end_h, n=600, noise=0.0, seed=0, header=None):
    t = np.linspace(0.0, t_end_h, n)
    rng = np.random.default_rng(seed)
    lum = l0 * stretched_exponential(t, tau_h, beta) * (1 + noise * rng.normal(size=n))
    lines = [header or "Time (s),Luminance (cd/m2)"]
    lines += [f"{a * 3600:.6f},{b:.6f}" for a, b in zip(t, lum, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(capsys, *args):
    code = main(["lifetime", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_one_file_prints_one_object_with_the_contract_keys(tmp_path, capsys):
    path = write_log(tmp_path / "dev.csv", 10.0, 1.0, 200.0, 40.0)
    code, out, _ = run_cli(capsys, path)
    assert code == 0
    payload = json.loads(out)
    for key in CONTRACT_KEYS:
        assert key in payload
    assert payload["file"] == str(path)
    assert payload["t50_kind"] == "measured"
    assert payload["initial_luminance_cd_m2"] == pytest.approx(200.0)
    # Model T50 = τ ln 2 (closed form) from clean data.
    assert payload["model"]["t50_h"] == pytest.approx(10 * np.log(2), rel=1e-6)
    # Same number as core: one function behind the page and the CLI.
    log = read_lifetime_log(path.read_bytes(), str(path))
    assert payload["t50_h"] == lifetime_metrics(log).t50_h
    # 200 -> 100 cd/m² with n = 1.8, exactly.
    assert payload["t50_at_reference_h"] == pytest.approx(
        payload["t50_h"] * 2**1.8, rel=1e-12
    )
    assert payload["t50_at_reference_band_h"]["n=1.5"] == pytest.approx(
        payload["t50_h"] * 2**1.5, rel=1e-12
    )


def test_a_log_stopped_at_70_percent_prints_t50_kind_extrapolated(tmp_path, capsys):
    t70 = 100.0 * (-np.log(0.7)) ** (1 / 0.6)
    path = write_log(tmp_path / "short.csv", 100.0, 0.6, 100.0, t70, noise=0.005)
    code, out, _ = run_cli(capsys, path, "--reference-luminance", "100")
    payload = json.loads(out)
    assert code == 0
    assert payload["t50_kind"] == "extrapolated"
    assert payload["t50_h"] > t70
    assert any("extrapolated with the stretched-exponential model" in w
               for w in payload["warnings"])  # fmt: skip
    parts = payload["uncertainty_parts_h"]["t50_h"]
    assert set(parts) == {"fit", "l0", "model_choice"}
    assert payload["uncertainties_h"]["t50_h"] == pytest.approx(
        np.sqrt(sum(v * v for v in parts.values()))
    )
    assert payload["l0_source"] == "first reading"
    choice = payload["model_choice"]
    assert choice["criterion"] == "delta_aic <= 2"
    assert [m["method"] for m in choice["models"]] == list(lifetime.DECAY_METHODS)


def test_the_extrapolation_cap_in_the_json_and_its_flag(tmp_path, capsys):
    # Stopped at 80 %: T50 = 54.3 h is 6.6x the 8.2 h test.
    t80 = 100.0 * (-np.log(0.8)) ** (1 / 0.6)
    path = write_log(tmp_path / "short.csv", 100.0, 0.6, 100.0, t80, noise=0.005)
    _, out, _ = run_cli(capsys, path)
    payload = json.loads(out)
    assert payload["t50_kind"] == "beyond cap" and payload["t50_h"] is None
    assert payload["beyond_cap_h"] == {"t50_h": None}
    assert payload["report_beyond_cap"] is False
    assert payload["extrapolation_limit_h"] == pytest.approx(6 * t80, rel=1e-4)
    assert any("T50 is not reported" in w for w in payload["warnings"])
    _, out, _ = run_cli(capsys, path, "--report-beyond-cap")
    payload = json.loads(out)
    assert payload["t50_h"] is None
    assert payload["beyond_cap_h"]["t50_h"] == pytest.approx(54.29, rel=0.1)


def test_l0_from_the_model_is_shown_and_used(tmp_path, capsys):
    path = write_log(tmp_path / "dev.csv", 10.0, 1.0, 200.0, 40.0, noise=0.01)
    _, out, _ = run_cli(capsys, path, "--l0-from-model")
    payload = json.loads(out)
    assert payload["l0_source"] == "model"
    amplitude = payload["model"]["parameters"]["amplitude"]
    log = read_lifetime_log(path.read_bytes(), str(path))
    first = float(log.luminance_cd_m2[0])
    assert payload["initial_luminance_cd_m2"] == pytest.approx(amplitude * first)


def test_options_reach_the_calculation(tmp_path, capsys):
    path = write_log(tmp_path / "dev.csv", 10.0, 1.0, 1000.0, 40.0)
    _, out, _ = run_cli(
        capsys, path, "--reference-luminance", "500", "--acceleration-n", "2.0",
        "--method", "biexponential",
    )  # fmt: skip
    payload = json.loads(out)
    assert payload["model"]["method"] == "biexponential"
    assert payload["acceleration_n"] == 2.0
    assert payload["t50_at_reference_h"] == pytest.approx(payload["t50_h"] * 4.0)


def test_relative_log_gives_null_l0_with_a_reason_and_accepts_initial_luminance(
    tmp_path, capsys
):
    path = write_log(tmp_path / "rel.csv", 10.0, 1.0, 1.0, 40.0, header="Time (s),L/L0")
    _, out, _ = run_cli(capsys, path)
    payload = json.loads(out)
    assert payload["initial_luminance_cd_m2"] is None
    assert payload["t50_at_reference_h"] is None
    assert any(
        w.startswith("initial_luminance_cd_m2 is null") for w in payload["warnings"]
    )
    assert payload["t50_h"] == pytest.approx(10 * np.log(2), rel=2e-3)
    _, out, _ = run_cli(capsys, path, "--initial-luminance", "1000")
    payload = json.loads(out)
    assert payload["initial_luminance_cd_m2"] == 1000.0
    assert payload["t50_at_reference_h"] == pytest.approx(payload["t50_h"] * 10**1.8)


def test_several_files_print_an_array_and_fit_n(tmp_path, capsys):
    paths = []
    for k, l0 in enumerate((100.0, 300.0, 1000.0)):
        tau = 50.0 * (100.0 / l0) ** 1.8
        paths.append(write_log(tmp_path / f"L{k}.csv", tau, 0.8, l0, 3 * tau, 900))
    code, out, _ = run_cli(capsys, *paths)
    payload = json.loads(out)
    assert code == 0 and isinstance(payload, list) and len(payload) == 3
    assert [entry["file"] for entry in payload] == [str(p) for p in paths]
    fit = payload[0]["acceleration_fit"]
    assert fit["n"] == pytest.approx(1.8, abs=0.01) and fit["n_points"] == 3
    assert payload[2]["t50_at_reference_fitted_n_h"] == pytest.approx(
        payload[0]["t50_h"], rel=0.02
    )


def test_two_files_say_why_n_was_not_fitted(tmp_path, capsys):
    a = write_log(tmp_path / "a.csv", 10.0, 1.0, 100.0, 40.0)
    b = write_log(tmp_path / "b.csv", 5.0, 1.0, 300.0, 20.0)
    _, out, _ = run_cli(capsys, a, b)
    payload = json.loads(out)
    assert "acceleration_fit" not in payload[0]
    assert any(
        "acceleration exponent was not fitted" in w for w in payload[0]["warnings"]
    )


def test_bad_input_exits_2_with_the_sentence_on_stderr(tmp_path, capsys):
    path = tmp_path / "restart.csv"
    path.write_text(
        "Time (s),L (cd/m2)\n0,100\n10,99\n0,100\n10,99\n", encoding="utf-8"
    )
    code, out, err = run_cli(capsys, path)
    assert code == 2 and out == ""
    assert err.strip() == (
        f"error: {path}, line 4: time goes back from 10 s (line 3) to 0 s; expected "
        "time that increases down the file. The file seems to hold several runs "
        "(time restarts): split it into one file per run."
    )
    code, _, err = run_cli(capsys, tmp_path / "missing.csv")
    assert code == 2 and "missing.csv: no such file." in err
    good = write_log(tmp_path / "ok.csv", 10.0, 1.0, 100.0, 40.0)
    code, _, err = run_cli(capsys, good, "--reference-luminance", "0")
    assert code == 2 and "--reference-luminance is 0: expected a positive" in err


def test_real_lifetime_program_file_exits_2(realdata, capsys):
    path = realdata / "simone-peled_angle_lifetime-program-format.txt"
    code, _, err = run_cli(capsys, path)
    assert code == 2 and "line 30: time goes back from 0.81705 s (line 29)" in err


def test_the_options_choices_are_the_librarys():
    # The parser takes its choices from core.constants (no pandas for --help);
    # they must stay the names the library accepts, in the library's order.
    assert constants.DECAY_METHODS == lifetime.DECAY_METHODS
    assert constants.LIFETIME_TIME_UNITS == tuple(TIME_UNITS)
    assert constants.ACCELERATION_BAND_N is lifetime.ACCELERATION_BAND_N
