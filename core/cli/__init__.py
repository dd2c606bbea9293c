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
import glob
import importlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from core import __version__
from core.errors import InputError
from core.serialize import dump_json, json_ready

__all__ = [
    "COMMANDS",
    "FORMATS",
    "add_format_option",
    "build_parser",
    "dump_json",
    "expand_inputs",
    "flat_record",
    "json_ready",
    "main",
    "parse_wavelength_grid",
    "read_input_file",
    "write_csv",
    "write_records_csv",
]

#: Output formats of every subcommand (``--format``).
FORMATS = ("json", "csv")

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


def _folder_files(folder: Path) -> list[str]:
    """The files of a folder in natural order; hidden ones left out, other
    entries (sub-folders, links to nowhere) noted on stderr."""
    from core.io.archive import is_hidden, natural_key

    files = []
    for entry in sorted(folder.iterdir(), key=lambda p: natural_key(p.name)):
        if is_hidden(entry.name):
            continue
        if entry.is_file():
            files.append(str(entry))
        else:
            kind = "a folder" if entry.is_dir() else "not a file"
            print(f"note: {entry} left out ({kind}).", file=sys.stderr)
    if not files:
        raise InputError(
            f"{folder} is a folder without files: expected measurement files in "
            "it (sub-folders are not searched; give them as well, or a pattern "
            "such as 'run/*/*.txt').",
            source=str(folder),
        )
    return files


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """
    The files named on a command line, with folders and patterns expanded.

    Parameters
    ----------
    paths : iterable of str
        File names, folders (their files, not their sub-folders) and glob
        patterns the shell did not expand (``'run/*.txt'``, ``'run/**/*.csv'``
        quoted), in any mix.

    Returns
    -------
    list of str
        Files in the order given; a folder's or a pattern's in natural order
        of their names (``spec_2`` before ``spec_10``), hidden files left out.
        A name that is neither an existing folder nor a pattern is kept as it
        is (:func:`read_input_file` says if it is missing).

    Raises
    ------
    InputError
        A folder without files, or a pattern that matches no file.
    """
    from core.io.archive import is_hidden, natural_key

    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            out += _folder_files(Path(path))
        elif os.path.exists(path) or not glob.has_magic(path):
            out.append(path)
        else:
            matches = sorted(glob.glob(path, recursive=True), key=natural_key)
            files = [
                m
                for m in matches
                if os.path.isfile(m) and not is_hidden(os.path.basename(m))
            ]
            if not files:
                raise InputError(
                    f"{path}: no file matches this pattern; expected a file, a "
                    "folder, or a pattern such as 'run/*.txt'.",
                    source=path,
                )
            out += files
    return out


def add_format_option(parser: argparse.ArgumentParser, csv_help: str) -> None:
    """``--format json|csv``, the same on every subcommand."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help=f"output format (default json); csv: {csv_help}",
    )


def write_csv(table) -> int:
    """A table as CSV on stdout: machine column names, every digit
    (:func:`core.tables.plain_csv`)."""
    from core.tables import plain_csv

    sys.stdout.write(plain_csv(table))
    return 0


def flat_record(payload: dict, prefix: str = "") -> dict:
    """
    A JSON object as one CSV row: nested keys joined with ``.``, lists of
    plain values joined with ``; ``, lists of objects as JSON text.

    Examples
    --------
    >>> flat_record({"files": [{"name": "a"}], "tags": ["x", "y"],
    ...              "summary": {"eqe_percent": 20.5}})
    {'files': '[{"name": "a"}]', 'tags': 'x; y', 'summary.eqe_percent': 20.5}
    """
    import json

    row: dict = {}
    for key, value in json_ready(payload).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row |= flat_record(value, prefix=f"{name}.")
        elif isinstance(value, list) and any(
            isinstance(v, (dict, list)) for v in value
        ):
            row[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list):
            row[name] = "; ".join("" if v is None else str(v) for v in value)
        else:
            row[name] = value
    return row


def write_records_csv(records: list[dict]) -> int:
    """JSON objects as CSV rows on stdout (:func:`flat_record`), header first."""
    import csv

    rows = [flat_record(record) for record in records]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(sys.stdout, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return 0


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


def _stdout_closed() -> int:
    """
    The reader of stdout went away (``python -m core spectra DIR | head -1``):
    stop quietly, exit 0. Python flushes stdout once more at exit; pointing it
    at /dev/null first keeps that flush from failing again (the recipe of the
    Python documentation, "Note on SIGPIPE").
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (tests)
        pass
    return 0


def main(argv=None) -> int:
    """Run ``python -m core`` with ``argv`` (default ``sys.argv[1:]``); exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        command = _chosen_command(argv)
        parser = build_parser([command] if command else [])
        args = parser.parse_args(argv)
        try:
            code = int(args.run(args) or 0)
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            code = 2
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        return _stdout_closed()
