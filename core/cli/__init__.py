"""
``python -m core``: the command-line twin of the pages.

Each subcommand lives in a module ``core/cli_<name>.py`` exposing
``add_parser(subparsers)`` and ``run(args) -> int``; they print JSON (or CSV)
to stdout. An :class:`~core.errors.InputError` is printed to stderr and the
exit code is 2. JSON follows the contract in ARCHITECTURE.md: a value that
cannot be determined is ``null`` with a reason in a sibling ``warnings`` list.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys

import numpy as np

from core import __version__
from core.errors import InputError

__all__ = [
    "COMMANDS",
    "dump_json",
    "json_ready",
    "main",
    "parse_wavelength_grid",
    "read_input_file",
]

#: Subcommand modules, in the order they appear in ``--help``.
COMMANDS = (
    "core.cli_spectra",
    "core.cli_efficiency",
    "core.cli_lifetime",
    "core.cli_literature",
    "core.cli_report",
)


def json_ready(value):
    """Convert numpy/pandas values to JSON types; NaN and inf become None."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    try:  # pandas NA, Timestamp...
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def dump_json(payload) -> str:
    return json.dumps(json_ready(payload), indent=2, ensure_ascii=False)


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


def _modules():
    return [importlib.import_module(name) for name in COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="PeLED Bench: spectral stability, efficiency, lifetime and "
        "literature ranking of LEDs, as JSON.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in _modules():
        module.add_parser(subparsers)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
