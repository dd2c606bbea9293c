"""
core/cli/__init__.py: lazy subcommands whose parsers load no heavy library,
the shared defaults in their help, the shared helpers, the JSON re-exports,
and a clean stderr from ``python -m core spectra FILE``.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from support import gaussian

import core.cli
import core.serialize
from core import lifetime
from core.cli import COMMANDS, build_parser
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.figures.export import FORMATS
from core.figures.theme import PRESETS

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("pandas", "scipy", "colour", "altair", "vl_convert")


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def loaded_after(argv: list[str]) -> list[str]:
    """Heavy libraries and subcommand modules imported by ``main(argv)``."""
    watched = HEAVY + tuple(module for module, _ in COMMANDS.values())
    process = run_python(
        "import sys\n"
        "from core.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {watched!r} if m in sys.modules), file=sys.stderr)"
    )
    return ast.literal_eval(process.stderr.strip().splitlines()[-1])


def subcommand_helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    action = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_top_level_help_imports_no_subcommand_and_no_heavy_library():
    assert loaded_after(["--help"]) == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_subcommand_imports_only_its_own_module(name):
    assert loaded_after([name, "--help"]) == [COMMANDS[name][0]]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_building_a_subcommands_parser_imports_no_heavy_library(name):
    # --help must stay fast: the heavy libraries are imported by run().
    module = COMMANDS[name][0]
    process = run_python(
        "import argparse, importlib, sys\n"
        f"module = importlib.import_module({module!r})\n"
        "module.add_parser(argparse.ArgumentParser().add_subparsers())\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert process.returncode == 0, process.stderr
    assert ast.literal_eval(process.stdout.strip().splitlines()[-1]) == []


def test_the_help_shows_the_shared_defaults_and_every_preset_and_format():
    parser = build_parser()
    subparsers = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    helps = {
        n: " ".join(p.format_help().split()) for n, p in subparsers.choices.items()
    }
    # 1.8 and 100 (docs/methods.md §4), from the module the library uses.
    assert DEFAULT_ACCELERATION_N == 1.8 and DEFAULT_REFERENCE_LUMINANCE_CD_M2 == 100
    assert lifetime.DEFAULT_ACCELERATION_N is DEFAULT_ACCELERATION_N
    for name in ("lifetime", "literature"):
        assert "(default 1.8)" in helps[name]
        assert "(default 100)" in helps[name]
    report = subparsers.choices["report"]
    defaults = {a.dest: a.default for a in report._actions}
    assert defaults["acceleration_n"] == DEFAULT_ACCELERATION_N
    assert defaults["reference_luminance"] == DEFAULT_REFERENCE_LUMINANCE_CD_M2
    assert defaults["formats"] == ",".join(FORMATS) == "svg,pdf,png"
    preset = next(a for a in report._actions if a.dest == "preset")
    assert list(preset.choices) == list(PRESETS)


def test_the_listed_help_is_each_modules_own():
    lazy = subcommand_helps(build_parser([]))
    full = subcommand_helps(build_parser())
    assert list(lazy) == list(full) == list(COMMANDS)
    assert lazy == full == {name: text for name, (_, text) in COMMANDS.items()}


def test_an_unknown_subcommand_lists_the_known_ones():
    process = subprocess.run(
        [sys.executable, "-m", "core", "spectrum"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert "invalid choice: 'spectrum'" in process.stderr
    assert "spectra" in process.stderr and "report" in process.stderr


def test_json_helpers_are_the_serialize_ones():
    assert core.cli.json_ready is core.serialize.json_ready
    assert core.cli.dump_json is core.serialize.dump_json


def test_spectra_run_leaves_stderr_empty(tmp_path):
    # colour-science warns at import that matplotlib is missing; the CLI
    # must not pass that on.
    wavelength = np.arange(500.0, 800.5, 1.0)
    rows = ["Wavelength (nm),0,1"] + [
        f"{wl},{a:.6f},{b:.6f}"
        for wl, a, b in zip(
            wavelength,
            gaussian(wavelength, 638, 32),
            gaussian(wavelength, 639, 32),
            strict=True,
        )
    ]
    path = tmp_path / "el.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "core", "spectra", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    assert '"n_spectra": 2' in process.stdout


def test_the_spectra_command_imports_no_scipy(tmp_path):
    # scipy.ndimage cost the command line 0.14 s of imports: the smoothing
    # and the shoulder runs are numpy now (scipy stays for fits elsewhere).
    wavelength = np.arange(500.0, 800.5, 1.0)
    lines = ["Wavelength (nm),0,1,2"] + [
        f"{wl},{a:.6f},{a * 0.9:.6f},{a * 0.8:.6f}"
        for wl, a in zip(wavelength, gaussian(wavelength, 638, 32), strict=True)
    ]
    path = tmp_path / "el.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['core', 'spectra', {str(path)!r}]\n"
        "try:\n"
        "    runpy.run_module('core', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'),"
        " file=sys.stderr)"
    )
    process = run_python(code)
    assert process.returncode == 0, process.stderr
    assert '"n_spectra": 3' in process.stdout
    assert process.stderr.strip().splitlines()[-1] == "[]"
