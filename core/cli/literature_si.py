"""
The SI table and the lab rows of ``python -m core literature``.

:func:`add_si_arguments` and :func:`add_lab_parser` extend the parser of
:mod:`core.cli.literature`; :func:`run_si_table` and :func:`run_lab` do the
work. Heavy imports stay inside the functions (``--help`` imports nothing).

::

    python -m core literature --si-table --demo-device treated --rows closest:10 \\
        --format latex --out si            -> si.tex + si.bib
    python -m core literature --si-table --device dev.json --rows top:10 \\
        --columns el_peak,eqe_max,t50_ref --format docx --out si.docx
    python -m core literature lab add rows.csv [--visibility lab]
    python -m core literature lab list | export --out rows.csv [ID...] | delete ID
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import InputError

__all__ = [
    "SI_FORMATS",
    "add_lab_parser",
    "add_si_arguments",
    "add_library_options",
    "run_lab",
    "run_si_table",
]

#: Formats of ``--si-table`` (``--format``).
SI_FORMATS = ("latex", "docx", "md", "csv")


def add_library_options(parser: argparse.ArgumentParser, default=None) -> None:
    """``--database`` and ``--user`` (for ``lab`` and ``--lab``)."""
    parser.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="library database URL (default: PELED_DATABASE_URL, else "
        "data/peled.sqlite3)",
    )
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        default=default,
        help="act as this user (default: the single local user, no login)",
    )


def add_si_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--si-table`` options of ``python -m core literature``."""
    group = parser.add_argument_group("SI comparison table (--si-table)")
    group.add_argument(
        "--si-table",
        action="store_true",
        help="write the Supporting-Information comparison table",
    )
    group.add_argument(
        "--device",
        action="append",
        default=[],
        metavar="FILE.json",
        help="a device of this work: JSON of device_summary keys (repeatable)",
    )
    group.add_argument(
        "--demo-device",
        action="append",
        default=[],
        choices=("treated", "control"),
        help="a synthetic demo device (repeatable)",
    )
    group.add_argument(
        "--library-device",
        action="append",
        default=[],
        type=int,
        metavar="ID",
        help="a device saved in the library (its current summary; repeatable)",
    )
    group.add_argument(
        "--rows",
        default="closest:10",
        metavar="SPEC",
        help="literature rows: closest:N (EL peak of the first device), top:N "
        "(EQE), ids:a,b,c or all (default closest:10)",
    )
    group.add_argument(
        "--columns",
        default=None,
        metavar="KEYS",
        help="comma-separated: el_peak, fwhm, cie, eqe_max, l_max, turn_on, t50, "
        "t50_ref, el_shift (default all)",
    )
    group.add_argument(
        "--out",
        metavar="FILE",
        help="output file (latex: FILE.tex + FILE.bib; required for docx)",
    )


def add_lab_parser(subparsers) -> None:
    """``python -m core literature lab add|list|export|delete``."""
    # SUPPRESS: given before "lab", --database/--user are not reset here.
    common = argparse.ArgumentParser(add_help=False)
    add_library_options(common, default=argparse.SUPPRESS)
    lab = subparsers.add_parser(
        "lab",
        help="the lab's own literature rows, stored in the device library",
        description="Add, list, export and delete the lab's literature rows "
        "(kept in the library, never in the curated table; shown as 'lab').",
    )
    actions = lab.add_subparsers(dest="lab_command", required=True)
    add = actions.add_parser(
        "add", parents=[common], help="add the rows of a CSV (table's columns)"
    )
    add.add_argument("csv", metavar="FILE.csv")
    add.add_argument(
        "--visibility",
        choices=("private", "lab"),
        default="private",
        help="private (default) or shared with the lab",
    )
    listing = actions.add_parser("list", parents=[common], help="rows you can see")
    listing.add_argument("--format", choices=("json", "csv"), default="json")
    export = actions.add_parser(
        "export", parents=[common], help="CSV in the curated table's columns"
    )
    export.add_argument("--out", required=True, metavar="FILE.csv")
    export.add_argument("ids", nargs="*", type=int, metavar="ID")
    delete = actions.add_parser("delete", parents=[common], help="delete a row")
    delete.add_argument("id", type=int)


# --------------------------------------------------------------------------
# SI table
# --------------------------------------------------------------------------


def _json_object(path: str) -> dict:
    source = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.", source=source) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            f"{source}: not a JSON object of device metrics ({error}).", source=source
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{source}: expected a JSON object of device metrics, found a "
            f"{type(data).__name__}.",
            source=source,
        )
    data.setdefault("name", Path(path).stem)
    return data


def _devices(args, library) -> list[dict]:
    """Device summaries: demo devices, JSON files, library devices, in order."""
    from core.summary import device_summary

    devices = []
    if args.demo_device:
        from core.demo import demo_devices

        demo = {d.name.split(" ")[0].lower(): d for d in demo_devices()}
        devices += [
            device_summary(
                demo[name],
                reference_luminance_cd_m2=args.reference_luminance,
                acceleration_n=args.acceleration_n,
            )
            for name in args.demo_device
        ]
    devices += [_json_object(path) for path in args.device]
    for device_id in args.library_device:
        stored = library().open_device(device_id, reanalyse=False, with_data=False)
        summary = dict(stored.current.summary if stored.current else {})
        devices.append(summary | {"name": stored.record.name})
    return devices


def _write(args, si) -> list[str]:
    """Write the table in ``args.format``; return the files written."""
    from core import literature

    out = args.out
    if args.format == "latex":
        if not out:
            raise InputError("--format latex needs --out FILE (writes FILE.tex, .bib).")
        base = Path(out).with_suffix("") if out.endswith(".tex") else Path(out)
        tex, bib = literature.to_latex(si, bib_name=base.name)
        base.with_suffix(".tex").write_text(tex, encoding="utf-8")
        base.with_suffix(".bib").write_text(bib, encoding="utf-8")
        return [str(base.with_suffix(".tex")), str(base.with_suffix(".bib"))]
    if args.format == "docx":
        if not out:
            raise InputError("--format docx needs --out FILE.docx.")
        Path(out).write_bytes(literature.to_docx(si))
        return [out]
    text = literature.to_markdown(si) if args.format == "md" else literature.to_csv(si)
    if not out:
        sys.stdout.write(text)
        return []
    Path(out).write_text(text, encoding="utf-8")
    return [out]


def run_si_table(args, table, library) -> dict | None:
    """
    ``--si-table``: build the table and write it.

    Returns the JSON answer (files written, rows, cite keys, footnotes), or
    None when the table itself went to stdout (md/csv without ``--out``).
    """
    from core import literature

    if args.format not in SI_FORMATS:
        raise InputError(
            f"--si-table: --format must be one of {', '.join(SI_FORMATS)}, found "
            f"{args.format!r}."
        )
    devices = _devices(args, library)
    compared = literature.filter_table(
        table, peak_min_nm=args.peak_min, peak_max_nm=args.peak_max
    )
    peak = devices[0].get("el_peak_nm") if devices else None
    rows = literature.select_rows(compared, args.rows, peak_nm=peak)
    columns = args.columns.split(",") if args.columns else None
    si = literature.si_table(
        devices, rows, columns, args.reference_luminance, args.acceleration_n
    )
    files = _write(args, si)
    if not files:
        return None
    return {
        "si_table": {
            "format": args.format,
            "files": files,
            "devices": [str(d.get("name") or "") for d in devices],
            "record_ids": list(rows["record_id"]),
            "origins": list(si.row_kinds[len(devices) :]),
            "cite_keys": [k for k in si.cite_keys if k],
            "columns": list(si.cells.columns),
            "footnotes": [{"marker": m, "text": t} for m, t in si.footnotes],
            "reference_luminance_cd_m2": args.reference_luminance,
            "acceleration_n": args.acceleration_n,
        }
    }


# --------------------------------------------------------------------------
# Lab rows
# --------------------------------------------------------------------------


def _lab_payload(stored) -> dict:
    return {
        "id": stored.id,
        "record_id": stored.record_id,
        "owner": stored.owner,
        "visibility": stored.visibility,
        "created_at": stored.created_at.isoformat() if stored.created_at else None,
        "cells": stored.cells,
    }


def run_lab(args, library, user) -> dict | str:
    """``python -m core literature lab ...``: the answer (JSON dict or CSV)."""
    from core import literature

    command = args.lab_command
    if command == "add":
        path = Path(args.csv)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{args.csv}: no such file.", source=path.name) from None
        frame, lines = literature.read_lab_frame(data, path.name)
        ids = library.add_literature_rows(
            frame,
            user,
            visibility=args.visibility,
            source=path.name,
            line_numbers=lines,
        )
        added = {s.id: s for s in library.list_literature_rows(user)}
        return {"added": [_lab_payload(added[i]) for i in ids]}
    if command == "list":
        if args.format == "csv":
            return library.export_literature_rows(user)
        return {"rows": [_lab_payload(s) for s in library.list_literature_rows(user)]}
    if command == "export":
        text = library.export_literature_rows(user, args.ids or None)
        Path(args.out).write_text(text, encoding="utf-8")
        return {"out": args.out, "rows": max(0, len(text.splitlines()) - 1)}
    library.delete_literature_row(args.id, user)
    return {"id": args.id, "deleted": "for good"}
