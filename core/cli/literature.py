"""
``python -m core literature``: the curated table, and where a device stands in it.

The main command line (:mod:`core.cli`) registers this sub-command with
:func:`add_parser`; :func:`run` does the work and returns the exit code
(0 success, 2 bad input with the reason on stderr).

Output contract (JSON by default)::

    python -m core literature                 -> {"rows": [...]}
    python -m core literature --format csv    -> the table as CSV
    python -m core literature --rank dev.json -> {"reference_luminance_cd_m2",
        "acceleration_n", "n_table_rows", "min_rank_n", "ranking": [{"metric",
        "value", "value_bound", "rank", "n_compared", "percentile", "status",
        "shown", "n_better", "n_equal", "n_worse", "n_undecided", ...}],
        "warnings": [...]}

A rank and a percentile are given only with 5 or more decided rows
(``status`` "ranked"); below, ``status`` is "too few to rank" and ``shown``
lists the rows.

``--lab`` adds the lab's rows from the device library (``origin`` "lab");
``--si-table`` writes the SI comparison table and ``lab add|list|export|
delete`` manages the lab rows (:mod:`core.cli.literature_si`)::

    python -m core literature --si-table --demo-device treated --rows closest:10
        --format latex|docx|md|csv --out FILE
        -> {"si_table": {"format", "files", "devices", "record_ids", "origins",
            "cite_keys", "columns", "footnotes", "reference_luminance_cd_m2",
            "acceleration_n"}}
    python -m core literature lab add FILE.csv -> {"database", "user",
        "single_user", "added": [{"id", "record_id", "owner", "visibility",
        "created_at", "cells"}]}

NaN becomes ``null``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli import write_csv
from core.cli.literature_si import (
    SI_FORMATS,
    add_lab_parser,
    add_library_options,
    add_si_arguments,
    run_lab,
    run_si_table,
)
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.serialize import json_ready

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["add_parser", "frame_records", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """
    Register the ``literature`` sub-command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``ArgumentParser.add_subparsers()``.

    Returns
    -------
    argparse.ArgumentParser
        The sub-parser (its defaults ``run`` and ``func`` are :func:`run`).
    """
    parser = subparsers.add_parser(
        "literature",
        help="the curated pure-red PeLED table; rank a device against it",
        description=(
            "Print the curated, validated table of published pure-red PeLEDs, "
            "or rank a device (JSON file of metrics) against its rankable rows."
        ),
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv", *SI_FORMATS[:-1]),
        default=None,
        help="output format: json (default) or csv; with --si-table latex, docx, "
        "md or csv (default latex)",
    )
    parser.add_argument(
        "--rank",
        metavar="FILE",
        help=(
            "JSON file with the device's metrics: eqe_max_percent, "
            "luminance_max_cd_m2, cie_x, cie_y, and t50_at_reference_h or "
            "t50_h + t50_initial_luminance_cd_m2"
        ),
    )
    parser.add_argument(
        "--table",
        metavar="FILE",
        help="use this CSV (same schema) instead of the bundled table",
    )
    parser.add_argument(
        "--reference-luminance",
        type=float,
        default=DEFAULT_REFERENCE_LUMINANCE_CD_M2,
        metavar="CD_M2",
        help="luminance at which T50s are compared [cd/m²] "
        f"(default {DEFAULT_REFERENCE_LUMINANCE_CD_M2:g})",
    )
    parser.add_argument(
        "--acceleration-n",
        type=float,
        default=DEFAULT_ACCELERATION_N,
        metavar="N",
        help=f"exponent n in L0^n * T50 = const (default {DEFAULT_ACCELERATION_N:g})",
    )
    parser.add_argument(
        "--peak-min", type=float, metavar="NM", help="rank only against EL peak ≥ NM"
    )
    parser.add_argument(
        "--peak-max", type=float, metavar="NM", help="rank only against EL peak ≤ NM"
    )
    parser.add_argument(
        "--lab",
        action="store_true",
        help="add the lab's rows from the device library (shown as 'lab')",
    )
    add_library_options(parser)
    add_si_arguments(parser)
    add_lab_parser(parser.add_subparsers(dest="literature_command"))
    # core.cli dispatches on args.run; func is the argparse convention.
    parser.set_defaults(run=run, func=run)
    return parser


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """
    Rows of a frame as JSON-ready dicts (NaN/NA -> None, numpy -> Python).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    list of dict
    """
    columns = list(frame.columns)
    return [
        json_ready(dict(zip(columns, row, strict=True)))
        for row in frame.itertuples(index=False, name=None)
    ]


def _read_metrics(path: str) -> dict:
    source = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path} was not found.", source=source) from None
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text.", source=source) from None
    try:
        metrics = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{source}, line {error.lineno}: not valid JSON ({error.msg}); expected "
            'an object such as {"eqe_max_percent": 21.5}.',
            source=source,
            line=error.lineno,
        ) from None
    if not isinstance(metrics, dict):
        raise InputError(
            f"{source}: expected a JSON object of metric names to numbers, found "
            f"a {type(metrics).__name__}.",
            source=source,
        )
    known = {
        "eqe_max_percent",
        "luminance_max_cd_m2",
        "cie_x",
        "cie_y",
        "t50_h",
        "t50_initial_luminance_cd_m2",
        "t50_ref_h",
        "t50_at_reference_h",
        "t50_kind",
        "t50_qualifier",
        "el_peak_nm",
        "name",
    }
    context = {"name", "el_peak_nm", "t50_kind", "t50_qualifier"}
    if not metrics.keys() & (known - context):
        raise InputError(
            f"{source}: none of the rankable metrics was found; expected some of "
            + ", ".join(sorted(known - context))
            + ".",
            source=source,
        )
    return metrics


class _LazyLibrary:
    """Opens the device library on first use (``--database``/``--user``)."""

    def __init__(self, args) -> None:
        self.args, self.library = args, None

    def __call__(self):
        if self.library is None:
            from core.library import Library

            self.library = Library(getattr(self.args, "database", None))
        return self.library

    def user(self):
        from core.library import LOCAL_USER, User

        email = getattr(self.args, "user", None)
        return User.from_email(email) if email else LOCAL_USER

    def close(self) -> None:
        if self.library is not None:
            self.library.close()


def _table(args, library: _LazyLibrary):
    """The curated table (or --table), with the lab rows when --lab."""
    from core import literature

    table = literature.load_table(getattr(args, "table", None))
    if getattr(args, "lab", False):
        lab = library().literature_rows_table(library.user())
        table = literature.with_lab_rows(table, lab)
    return table


def run(args: argparse.Namespace) -> int:
    """
    Execute ``python -m core literature``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments from the parser of :func:`add_parser`.

    Returns
    -------
    int
        0 on success, 2 when the input is wrong (message on stderr).
    """
    library = _LazyLibrary(args)
    try:
        return _run(args, library)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        library.close()


def _run(args: argparse.Namespace, library: _LazyLibrary) -> int:
    from core import literature

    if getattr(args, "literature_command", None) == "lab":
        answer = run_lab(args, library(), library.user())
        if isinstance(answer, str):
            sys.stdout.write(answer)
        else:
            header = {
                "database": library().display_url,
                "user": library.user().id,
                "single_user": library.user().is_local,
            }
            json.dump(json_ready(header | answer), sys.stdout, indent=1)
            sys.stdout.write("\n")
        return 0
    if getattr(args, "si_table", False):
        args.format = args.format or "latex"
        written = run_si_table(args, _table(args, library), library)
        if written is not None:
            json.dump(json_ready(written), sys.stdout, indent=1)
            sys.stdout.write("\n")
        return 0
    args.format = args.format or "json"
    if args.format not in ("json", "csv"):
        raise InputError(
            f"--format {args.format} is for --si-table; the table and the ranking "
            "are json or csv."
        )
    table = _table(args, library)
    if not getattr(args, "rank", None):
        # The rows as in the file, without the derived *_decimals columns.
        rows = literature.without_precision(table)
        if args.format == "csv":
            write_csv(rows)
        else:
            json.dump({"rows": frame_records(rows)}, sys.stdout, indent=1)
            sys.stdout.write("\n")
        return 0
    metrics = _read_metrics(args.rank)
    compared = literature.filter_table(
        table, peak_min_nm=args.peak_min, peak_max_nm=args.peak_max
    )
    ranking = literature.rank_device(
        metrics, compared, args.reference_luminance, args.acceleration_n
    )
    _print_ranking(args, ranking, compared)
    return 0


def _print_ranking(args, ranking, compared) -> None:
    # Why a metric has no rank (not given, too few rows) is a warning; notes
    # on a ranked metric are context.
    from core import literature

    warnings = [
        f"{row.metric}: {row.shown or row.note}"
        for row in ranking.itertuples()
        if row.status != "ranked" and (row.shown or row.note)
    ]
    lab = compared.loc[compared.get("origin", "") == "lab", "record_id"].tolist()
    if lab:
        warnings.append(
            f"{len(lab)} lab row(s) from the library are in the comparison: "
            + ", ".join(lab)
        )
    if args.format == "csv":
        write_csv(ranking)
        return
    payload = {
        "reference_luminance_cd_m2": args.reference_luminance,
        "acceleration_n": args.acceleration_n,
        "n_table_rows": len(compared),
        "min_rank_n": literature.MIN_RANK_N,
        "ranking": frame_records(ranking),
        "warnings": warnings,
    }
    json.dump(payload, sys.stdout, indent=1)
    sys.stdout.write("\n")
