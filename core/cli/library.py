"""
``python -m core library``: the device library from the command line.

The same records as the app, in the same database (``--database URL``, else
``PELED_DATABASE_URL``, else ``data/peled.sqlite3``)::

    python -m core library add el.csv jvl.txt --name A1 --batch 2026-01 --tags control
    python -m core library list [--name A --batch B --tag T] [--format csv]
    python -m core library show ID
    python -m core library export --out lib.zip [ID...]
    python -m core library import lib.zip
    python -m core library delete ID [--hard --yes]
    python -m core library restore ID
    python -m core library backup --out copy.sqlite3
    python -m core library restore-backup copy.sqlite3 --yes

``--user EMAIL`` acts as that user (their devices and the lab's); without it
the command is the single local user of an installation without login.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys

from core.cli import (
    add_format_option,
    dump_json,
    expand_inputs,
    read_input_file,
    write_records_csv,
)
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError

__all__ = ["add_parser", "run"]

HELP = "the device library: add, list, show, export, import, delete devices"
_KINDS = ("spectra", "jvl", "lifetime", "attachment")
#: Summary numbers the CSV list shows.
_CSV_SUMMARY = (
    "el_peak_nm",
    "el_fwhm_nm",
    "cie_x",
    "cie_y",
    "eqe_max_percent",
    "luminance_max_cd_m2",
    "turn_on_v",
    "t50_h",
    "t50_kind",
)


class _FilesAction(argparse.Action):
    """Files by position (kind ``auto``) or after ``--spectra`` etc."""

    def __call__(self, parser, namespace, values, option_string=None):
        role = option_string.lstrip("-") if option_string else "auto"
        entries = list(getattr(namespace, "inputs", None) or [])
        entries += [(value, role) for value in values]
        namespace.inputs = entries


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "library",
        help=HELP,
        description="Save devices (record, raw files, settings, results) in the "
        "library database and get them back; the same records as the app.",
    )
    commands = parser.add_subparsers(dest="library_command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: PELED_DATABASE_URL, else data/peled.sqlite3)",
    )
    common.add_argument(
        "--user",
        metavar="EMAIL",
        default=None,
        help="act as this user (default: the single local user, no login)",
    )
    add_format_option(
        common, "list: one row per device; the others: their answer as one row"
    )
    _add_add(commands, common)
    listing = commands.add_parser("list", parents=[common], help="devices you can see")
    listing.add_argument("--name", help="part of the name (any case)")
    listing.add_argument("--batch", help="batch (exact)")
    listing.add_argument("--tag", help="tag (exact)")
    listing.add_argument("--trash", action="store_true", help="your trash instead")
    show = commands.add_parser(
        "show", parents=[common], help="one device; re-runs its analysis"
    )
    show.add_argument("id", type=int)
    show.add_argument(
        "--no-reanalyse", action="store_true", help="do not re-run the analysis"
    )
    show.add_argument("--results", action="store_true", help="include full results")
    export = commands.add_parser("export", parents=[common], help="write a zip archive")
    export.add_argument("--out", required=True, metavar="ARCHIVE.zip")
    export.add_argument("ids", nargs="*", type=int, metavar="ID")
    imp = commands.add_parser("import", parents=[common], help="import a zip archive")
    imp.add_argument("archive", metavar="ARCHIVE.zip")
    imp.add_argument(
        "--keep-owners", action="store_true", help="keep the archive's owners"
    )
    delete = commands.add_parser(
        "delete", parents=[common], help="move to the trash (--hard --yes: for good)"
    )
    delete.add_argument("id", type=int)
    delete.add_argument("--hard", action="store_true", help="delete for good")
    delete.add_argument("--yes", action="store_true", help="confirm --hard")
    restore = commands.add_parser("restore", parents=[common], help="out of the trash")
    restore.add_argument("id", type=int)
    backup = commands.add_parser(
        "backup", parents=[common], help="copy the SQLite file (PostgreSQL: pg_dump)"
    )
    backup.add_argument("--out", required=True, metavar="FILE")
    back = commands.add_parser(
        "restore-backup", parents=[common], help="replace the SQLite file by a backup"
    )
    back.add_argument("backup", metavar="FILE")
    back.add_argument("--yes", action="store_true", help="confirm the replacement")
    parser.set_defaults(run=run)


def _add_add(commands, common) -> None:
    add = commands.add_parser(
        "add",
        parents=[common],
        help="save a device from its files",
        description="Save one device: its record, its files (read and analysed "
        "now; a file a reader refuses saves nothing) and the results.",
    )
    add.add_argument(
        "files",
        nargs="*",
        action=_FilesAction,
        metavar="FILE",
        help="files recognised by content (lifetime log, J-V-L sweep, spectra)",
    )
    for kind in _KINDS:
        add.add_argument(
            f"--{kind}", nargs="+", action=_FilesAction, metavar="FILE", default=None
        )
    add.add_argument("--name", required=True)
    add.add_argument("--batch", default="")
    add.add_argument("--date-made", default=None, metavar="YYYY-MM-DD")
    add.add_argument("--structure", default="", help="layer stack / composition")
    add.add_argument("--emitter", default="")
    add.add_argument(
        "--area-cm2",
        type=float,
        default=None,
        help="active area [cm²] (also the J-V-L readers' pixel area)",
    )
    add.add_argument("--notes", default="")
    add.add_argument("--tags", default="", help="comma-separated")
    add.add_argument("--visibility", choices=("private", "lab"), default="private")
    add.add_argument("--axis-name", default=None)
    add.add_argument("--axis-unit", default=None)
    add.add_argument("--wavelength-grid", default=None, metavar="START:STOP:STEP")
    add.add_argument("--initial-luminance", type=float, default=None, metavar="L0")
    add.add_argument("--time-unit", default=None)
    add.add_argument("--series", choices=("time", "bias"), default="time")
    add.add_argument("--threshold-nm", type=float, default=1.0, metavar="NM")
    add.add_argument("--turn-on-luminance", type=float, default=1.0, metavar="CD_M2")
    add.add_argument(
        "--reference-luminance",
        type=float,
        default=DEFAULT_REFERENCE_LUMINANCE_CD_M2,
        metavar="CD_M2",
        help=f"(default {DEFAULT_REFERENCE_LUMINANCE_CD_M2:g})",
    )
    add.add_argument(
        "--acceleration-n",
        type=float,
        default=DEFAULT_ACCELERATION_N,
        metavar="N",
        help=f"(default {DEFAULT_ACCELERATION_N:g})",
    )


def _grid(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        start, stop, step = (float(v) for v in text.split(":"))
    except ValueError:
        raise InputError(
            f"--wavelength-grid: expected START:STOP:STEP in nm (e.g. 380:780:0.5), "
            f"found '{text}'."
        ) from None
    return [start, stop, step]


def run(args: argparse.Namespace) -> int:
    from core.library import LOCAL_USER, Library, User

    user = User.from_email(args.user) if args.user else LOCAL_USER
    handler = _HANDLERS[args.library_command]
    with Library(args.database) as library:
        payload = handler(library, args, user)
    if isinstance(payload, str):
        sys.stdout.write(payload)
        return 0
    payload = {
        "database": library.display_url,
        "user": user.id,
        "single_user": user.is_local,
    } | payload
    if args.format == "csv":
        return write_records_csv([payload])
    print(dump_json(payload))
    return 0


def _add(library, args, user) -> dict:
    from core.library import DeviceRecord, FileInput

    entries = [  # folders and patterns -> their files, each with the kind given
        (path, role)
        for given, role in getattr(args, "inputs", None) or []
        for path in expand_inputs([given])
    ]
    if not entries:
        raise InputError("library add: no files; give FILE... or --spectra FILE...")
    files = [FileInput(path, read_input_file(path), role) for path, role in entries]
    record = DeviceRecord(
        name=args.name,
        batch=args.batch,
        date_made=args.date_made,
        structure=args.structure,
        emitter=args.emitter,
        area_cm2=args.area_cm2,
        notes=args.notes,
        tags=args.tags,
        visibility=args.visibility,
    )
    settings = {
        "series": args.series,
        "threshold_nm": args.threshold_nm,
        "turn_on_luminance_cd_m2": args.turn_on_luminance,
        "reference_luminance_cd_m2": args.reference_luminance,
        "acceleration_n": args.acceleration_n,
    }
    reader = {
        "axis_name": args.axis_name,
        "axis_unit": args.axis_unit,
        "wavelength_grid": _grid(args.wavelength_grid),
        "area_cm2": args.area_cm2,
        "initial_luminance_cd_m2": args.initial_luminance,
        "time_unit": args.time_unit,
    }
    device_id = library.save_device(
        record, files, settings, user=user, reader_options=reader
    )
    return _device_payload(library.open_device(device_id, user, reanalyse=False))


def _device_payload(device, *, results: bool = False) -> dict:
    return {
        "id": device.id,
        "uid": device.uid,
        **device.record.to_dict(),
        "owner": device.owner,
        "created_at": device.created_at.isoformat(),
        "updated_at": device.updated_at.isoformat(),
        "deleted_at": device.deleted_at.isoformat() if device.deleted_at else None,
        "files": [
            {"name": f.name, "role": f.role, "size_bytes": f.size, "sha256": f.sha256}
            for f in device.files
        ],
        "reproduced": device.reproduced,
        "changed": list(device.changed),
        "analyses": [
            {
                "label": a.label,
                "software_version": a.software_version,
                "created_at": a.created_at.isoformat(),
                "created_by": a.created_by,
                "current": a.current,
                "saved": a.saved,
                "settings": a.settings,
                "summary": a.summary,
            }
            | ({"results": a.results} if results and a.current else {})
            for a in device.analyses
        ],
    }


def _list(library, args, user) -> dict | str:
    devices = library.list_devices(
        user, name=args.name, batch=args.batch, tag=args.tag, trash=args.trash
    )
    rows = [d.to_dict() for d in devices]
    if args.format == "json":
        return {"devices": rows}
    out = io.StringIO()
    columns = [k for k in rows[0] if k != "summary"] if rows else ["id", "name"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns + list(_CSV_SUMMARY))
    for row in rows:
        cells = [";".join(row[c]) if c == "tags" else row[c] for c in columns]
        writer.writerow(cells + [row["summary"].get(k) for k in _CSV_SUMMARY])
    return out.getvalue()


def _show(library, args, user) -> dict:
    device = library.open_device(args.id, user, reanalyse=not args.no_reanalyse)
    return _device_payload(device, results=args.results)


def _export(library, args, user) -> dict:
    return library.export_archive(args.out, user, args.ids or None)


def _import(library, args, user) -> dict:
    return library.import_archive(args.archive, user, keep_owners=args.keep_owners)


def _delete(library, args, user) -> dict:
    if args.hard and not args.yes:
        raise InputError(
            f"library delete {args.id} --hard deletes the device for good: add "
            "--yes to confirm."
        )
    library.soft_delete(args.id, user)
    if args.hard:
        library.hard_delete(args.id, user, confirm=True)
    return {"id": args.id, "deleted": "for good" if args.hard else "to the trash"}


def _restore(library, args, user) -> dict:
    library.restore(args.id, user)
    return {"id": args.id, "restored": True}


def _backup(library, args, user) -> dict:
    return library.backup_sqlite(args.out)


def _restore_backup(library, args, user) -> dict:
    if not args.yes:
        raise InputError(
            "library restore-backup replaces the whole library by the backup (a "
            "copy of the present one is kept beside it): add --yes to confirm."
        )
    return library.restore_sqlite(args.backup)


_HANDLERS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "export": _export,
    "import": _import,
    "delete": _delete,
    "restore": _restore,
    "backup": _backup,
    "restore-backup": _restore_backup,
}
