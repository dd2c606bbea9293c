"""
``python -m core``: the command-line twin of the pages.

Each subcommand lives in a module ``core/cli/<name>.py`` exposing
``add_parser(subparsers)`` and ``run(args) -> int``; they print JSON (or CSV)
to stdout. An :class:`~core.errors.InputError` is printed to stderr and the
exit code is 2. JSON follows the contract in docs/architecture.md: a value that
cannot be determined is ``null`` with a reason in a sibling ``warnings`` list.

Subcommands are imported lazily: the top-level parser lists every name and
one-line help from :data:`COMMANDS` and imports only the module of the
subcommand on the command line, so ``python -m core spectra`` never pays for
the imports of ``report`` (Altair, vl-convert) or ``lifetime``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable

from core import __version__
from core.errors import InputError
from core.serialize import dump_json, json_ready

__all__ = [
    "COMMANDS",
    "build_parser",
    "dump_json",
    "json_ready",
    "main",
    "parse_wavelength_grid",
    "read_input_file",
]

#: Subcommand -> (module, one-line help), in the order of ``--help``. The help
#: is the one the module's ``add_parser`` gives (a test checks they agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "spectra": (
        "core.cli.spectra",
        "peak, FWHM, CIE of each spectrum and the drift of the series",
    ),
    "efficiency": (
        "core.cli.efficiency",
        "EQE, CE, PE, turn-on and roll-off of J-V-L sweeps; batch statistics",
    ),
    "lifetime": (
        "core.cli.lifetime",
        "T95...T50 (measured or extrapolated), decay model, T50 at a "
        "reference luminance",
    ),
    "literature": (
        "core.cli.literature",
        "the curated pure-red PeLED table; rank a device against it",
    ),
    "photophysics": (
        "core.cli.photophysics",
        "PL lifetimes (TRPL), exciton binding energy (T-dependent PL), Urbach "
        "energy, PLQY",
    ),
    "report": (
        "core.cli.report",
        "the device report (HTML, PDF), every figure (SVG/PDF/PNG + CSV + "
        "provenance JSON) and table, written to a folder",
    ),
    "library": (
        "core.cli.library",
        "the device library: add, list, show, export, import, delete devices",
    ),
}


def read_input_file(path: str) -> bytes:
    """Read a file named on the command line, with an InputError if absent."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.", source=path) from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder: expected a file.", source=path) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied.", source=path) from None


def parse_wavelength_grid(text: str | None, option: str):
    """``START:STOP:STEP`` [nm] from a command-line option, or None if absent."""
    if not text:
        return None
    from core.io import wavelength_grid

    try:
        start, stop, step = (float(v) for v in text.split(":"))
    except ValueError:
        raise InputError(
            f"{option}: expected START:STOP:STEP in nm (e.g. 380:780:0.5), "
            f"found '{text}'."
        ) from None
    if not (step > 0 and stop > start):
        raise InputError(
            f"{option}: expected STOP > START and STEP > 0, found '{text}'."
        )
    return wavelength_grid(start, stop, step)


def _chosen_command(argv: Iterable[str]) -> str | None:
    """The subcommand named on a command line (its first non-option word)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """
    The ``python -m core`` parser.

    Parameters
    ----------
    commands : iterable of str, optional
        Subcommands whose module is imported and whose full parser is built;
        the others are listed with their one-line help only. Default: all.

    Returns
    -------
    argparse.ArgumentParser
    """
    wanted = set(COMMANDS if commands is None else commands)
    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="PeLED Bench: spectral stability, efficiency, lifetime and "
        "literature ranking of LEDs, as JSON.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        if name in wanted:
            importlib.import_module(module).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=help_text)
    return parser


def main(argv=None) -> int:
    """Run ``python -m core`` with ``argv`` (default ``sys.argv[1:]``); exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _chosen_command(argv)
    parser = build_parser([command] if command else [])
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
