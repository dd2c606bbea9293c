"""
core/cli/__init__.py, the parts every subcommand shares: folders and glob
patterns as inputs (``expand_inputs``), ``--format json|csv`` on every
subcommand, and a quiet exit 0 when stdout is closed early
(``python -m core spectra FOLDER | head -1``).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support import gaussian

from core.cli import build_parser, expand_inputs, main
from core.demo import demo_devices
from core.errors import InputError
from tests.core.report.report_support import demo_files

ROOT = Path(__file__).resolve().parents[3]
WAVELENGTH = np.arange(560.0, 720.5, 1.0)


def write_spectrum(path: Path, peak_nm: float) -> Path:
    values = gaussian(WAVELENGTH, peak_nm, 30)
    rows = ["Wavelength (nm),Intensity"]
    rows += [f"{w:g},{v:.6f}" for w, v in zip(WAVELENGTH, values, strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def spectra_folder(tmp_path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    for number in (10, 2, 1):  # natural order: 1, 2, 10
        write_spectrum(folder / f"spec_{number}.csv", 630.0 + number)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "sub").mkdir()
    write_spectrum(folder / "sub" / "spec_99.csv", 700.0)
    return folder


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def test_a_folder_gives_its_files_in_natural_order(spectra_folder, capsys):
    files = expand_inputs([str(spectra_folder)])
    assert [Path(f).name for f in files] == ["spec_1.csv", "spec_2.csv", "spec_10.csv"]
    # The sub-folder is named on stderr; the hidden file is left out quietly.
    err = capsys.readouterr().err
    assert err == f"note: {spectra_folder / 'sub'} left out (a folder).\n"


def test_patterns_the_shell_left_alone_are_expanded(spectra_folder):
    pattern = str(spectra_folder / "spec_*.csv")
    assert [Path(f).name for f in expand_inputs([pattern])] == [
        "spec_1.csv",
        "spec_2.csv",
        "spec_10.csv",
    ]
    deep = expand_inputs([str(spectra_folder / "**" / "spec_9*.csv")])
    assert [Path(f).name for f in deep] == ["spec_99.csv"]
    # Names, folders and patterns mix, in the order given.
    mixed = expand_inputs([str(spectra_folder / "sub"), pattern])
    assert [Path(f).name for f in mixed][:2] == ["spec_99.csv", "spec_1.csv"]


def test_a_plain_name_is_kept_for_the_reader_to_report(tmp_path):
    missing = str(tmp_path / "missing.csv")
    assert expand_inputs([missing]) == [missing]
    code, _, err = run("spectra", missing)
    assert code == 2 and err == f"error: {missing}: no such file.\n"


def test_an_empty_folder_and_a_pattern_without_match_are_input_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="is a folder without files"):
        expand_inputs([str(tmp_path / "empty")])
    with pytest.raises(InputError, match="no file matches this pattern"):
        expand_inputs([str(tmp_path / "*.txt")])
    code, out, err = run("efficiency", tmp_path / "*.txt")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "no file matches" in err


def test_spectra_of_a_folder_equal_those_of_its_files(spectra_folder):
    by_folder = json.loads(run("spectra", spectra_folder)[1])
    files = sorted(spectra_folder.glob("spec_*.csv"), key=lambda p: len(p.name))
    by_files = json.loads(run("spectra", *files)[1])
    assert by_folder == by_files
    peaks = [s["peak_nm"] for s in by_folder["spectra"]]
    assert peaks == pytest.approx([631.0, 632.0, 640.0], abs=0.01)


def test_every_subcommand_has_format_json_and_csv():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    missing = []
    for name, sub in commands.items():
        nested = [a for a in sub._actions if a.dest in ("analysis", "library_command")]
        leaves = nested[0].choices.items() if nested else [(name, sub)]
        for leaf, leaf_parser in leaves:
            options = {a.dest: a for a in leaf_parser._actions}
            fmt = options.get("format")
            if fmt is None or tuple(fmt.choices) != ("json", "csv"):
                missing.append(leaf)
    assert missing == []


def csv_of(*argv) -> pd.DataFrame:
    code, out, err = run(*argv, "--format", "csv")
    assert code == 0, err
    return pd.read_csv(io.StringIO(out))


@pytest.fixture(scope="module")
def rig(tmp_path_factory) -> Path:
    """The demo control device as rig files, in a folder per kind."""
    folder = tmp_path_factory.mktemp("rig")
    files, _ = demo_files(demo_devices()[0], "control")
    for name, content in files.items():
        kind = name.split("_")[-1].split(".")[0]  # el, jvl, life
        (folder / kind).mkdir(exist_ok=True)
        (folder / kind / name).write_bytes(content)
    return folder


def test_lifetime_csv_is_one_row_per_log_with_kinds_and_uncertainties(rig):
    shutil.copy(rig / "life" / "control_life.csv", rig / "life" / "copy_life.csv")
    table = csv_of("lifetime", rig / "life")
    json_payload = json.loads(run("lifetime", rig / "life")[1])
    assert len(table) == len(json_payload) == 2
    first = json_payload[0]
    row = table.iloc[0]
    assert row["file"] == first["file"] and row["t50_h"] == first["t50_h"]
    assert row["t50_kind"] == first["kinds"]["t50_h"]
    assert row["t50_uncertainty_h"] == first["uncertainties_h"]["t50_h"]
    assert row["model_method"] == first["model"]["method"]
    columns = list(table.columns)
    assert columns.index("t95_kind") == columns.index("t95_h") + 1


def test_efficiency_literature_and_spectra_csv_parse(rig):
    points = csv_of("efficiency", rig / "jvl")
    assert {"voltage_v", "eqe_percent"} <= set(points.columns) and len(points) > 10
    assert len(csv_of("literature")) > 10
    spectra = csv_of("spectra", rig / "el", "--axis-name", "time")
    assert "peak_nm" in spectra.columns and len(spectra) > 1


@pytest.mark.parametrize("analysis", ["trpl", "tdpl", "urbach", "plqy"])
def test_photophysics_csv_parses(analysis):
    table = csv_of("photophysics", analysis, "--demo")
    assert len(table) >= 1


def test_report_csv_is_one_row_per_section(rig, tmp_path):
    table = csv_of(
        "report", rig / "jvl", "--out", tmp_path, "--formats", "svg", "--no-pdf"
    )
    assert table["section"].tolist()[:2] == ["devices", "stability"]
    status = dict(zip(table["section"], table["status"], strict=True))
    assert status["efficiency"] == "ok" and status["stability"] == "missing"
    assert (table["report_html"] == str(tmp_path / "report.html")).all()


def test_library_add_takes_a_folder_and_answers_in_csv(rig, tmp_path):
    database = f"sqlite:///{tmp_path / 'lib.sqlite3'}"
    added = csv_of(
        "library", "add", "--database", database, "--name", "A1",
        rig / "jvl", "--lifetime", rig / "life",
    )  # fmt: skip
    assert len(added) == 1 and added["name"].iloc[0] == "A1"
    files = json.loads(added["files"].iloc[0])
    assert sorted(f["role"] for f in files) == ["jvl", "lifetime", "lifetime"]
    listed = csv_of("library", "list", "--database", database)
    assert listed["name"].tolist() == ["A1"]
    shown = csv_of("library", "show", "1", "--database", database, "--no-reanalyse")
    assert shown["id"].iloc[0] == 1 and "analyses" in shown.columns


@pytest.fixture(scope="module")
def long_series(tmp_path_factory) -> Path:
    """A folder whose spectra JSON is far larger than a pipe's buffer (64 kB)."""
    folder = tmp_path_factory.mktemp("long")
    peaks = 630.0 + 0.01 * np.arange(600)
    columns = np.array([gaussian(WAVELENGTH, p, 30) for p in peaks])
    rows = ["Wavelength (nm)," + ",".join(str(i) for i in range(len(peaks)))]
    rows += [
        f"{w:g}," + ",".join(f"{v:.5f}" for v in columns[:, i])
        for i, w in enumerate(WAVELENGTH)
    ]
    (folder / "series.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for the pipe")
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_closed_pipe_ends_quietly_with_exit_0(long_series, fmt):
    # The shell line of issue 15, with pipefail so python's own exit status
    # is the pipeline's.
    command = (
        f"set -o pipefail; {sys.executable} -m core spectra {long_series} "
        f"--format {fmt} | head -1"
    )
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stderr == ""
    first = done.stdout.splitlines()
    assert first == (["{"] if fmt == "json" else [first[0]])
    assert fmt == "json" or first[0].startswith("axis,peak_nm,fwhm_nm,")


def test_the_output_really_outgrows_the_pipe(long_series):
    # Without this the pipe tests could pass by writing everything before
    # the reader closed the pipe: Linux pipes buffer 64 KiB by default.
    for fmt in ("json", "csv"):
        code, out, _ = run("spectra", long_series, "--format", fmt)
        assert code == 0 and len(out.encode()) > 2 * 65536


def test_a_closed_pipe_read_by_python_itself(long_series):
    process = subprocess.Popen(
        [sys.executable, "-m", "core", "spectra", str(long_series)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert first == b"{\n" and err == b""
