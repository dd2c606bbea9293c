"""
``python -m core report``: the Report page without the browser.

Writes into ``--out DIR``: ``report.html`` (self-contained), ``report.pdf``,
``figures/<name>.{svg,pdf,png,csv}`` with a provenance sidecar
``figures/<name>.provenance.json`` each, and ``tables/<name>.csv``; prints a
JSON summary (files written, section status, warnings) to stdout.

Files are grouped into devices by ``--device NAME`` followed by
``--spectra``/``--jvl``/``--lifetime FILE...`` (explicit kinds) or by plain
file names, which are classified by the first reader that accepts them, in the
order lifetime log, J-V-L sweep, spectra (the JSON says what each was read
as). Files before any ``--device`` form a device named after the first file.
``--demo`` reports on the synthetic demo devices.

Example::

    python -m core report --device control --spectra c_el.txt --jvl c_jvl.txt \\
        --device treated --spectra t_el.txt --jvl t_jvl.txt --out report/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli import (
    add_format_option,
    dump_json,
    expand_inputs,
    parse_wavelength_grid,
    read_input_file,
    write_csv,
)
from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.figures.presets import FORMATS, PPI_CHOICES, PRESETS

__all__ = ["add_parser", "run", "report_payload", "sections_table"]

_ROLES = ("spectra", "jvl", "lifetime")


class _DeviceAction(argparse.Action):
    """``--device NAME``: start a new device; later files belong to it."""

    def __call__(self, parser, namespace, values, option_string=None):
        groups = list(getattr(namespace, "groups", None) or [])
        groups.append({"name": values, "files": []})
        namespace.groups = groups


class _FilesAction(argparse.Action):
    """``--spectra/--jvl/--lifetime FILE...``: files of the current device."""

    def __call__(self, parser, namespace, values, option_string=None):
        groups = list(getattr(namespace, "groups", None) or [])
        if not groups:
            groups.append({"name": "", "files": []})
        role = option_string.lstrip("-")
        groups[-1] = dict(groups[-1])
        groups[-1]["files"] = groups[-1]["files"] + [
            {"name": value, "role": role} for value in values
        ]
        namespace.groups = groups


class _PositionalAction(argparse.Action):
    """``FILE...``: files of the current device, recognised by their content."""

    def __call__(self, parser, namespace, values, option_string=None):
        if not values:
            return
        groups = list(getattr(namespace, "groups", None) or [])
        if not groups:
            groups.append({"name": "", "files": []})
        groups[-1] = dict(groups[-1])
        groups[-1]["files"] = groups[-1]["files"] + [
            {"name": value, "role": "auto"} for value in values
        ]
        namespace.groups = groups


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="the device report (HTML, PDF), every figure (SVG/PDF/PNG + CSV + "
        "provenance JSON) and table, written to a folder",
        description="Analyse devices from their files and write the report, "
        "figures and tables into --out DIR. Group files with --device NAME "
        "followed by --spectra/--jvl/--lifetime FILE...; files given by "
        "position belong to the device before them and are recognised by content.",
    )
    _add_file_options(parser)
    _add_figure_options(parser)
    _add_analysis_options(parser)
    _add_reader_options(parser)
    parser.add_argument(
        "--title", default="PeLED Bench device report", help="report title"
    )
    add_format_option(
        parser, "the summary as one row per section (status, figures, tables)"
    )
    parser.set_defaults(run=run, groups=None)


def _add_file_options(parser: argparse.ArgumentParser) -> None:
    """The input files, grouped into devices, and the output folder."""
    parser.add_argument(
        "files",
        nargs="*",
        action=_PositionalAction,
        metavar="FILE",
        help="files of the current device (the first without --device), "
        "recognised by content: lifetime log, J-V-L sweep or spectra",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--device", action=_DeviceAction, metavar="NAME", help="start a device"
    )
    for role, what in zip(
        _ROLES, ("EL spectra", "J-V-L sweep(s)", "lifetime log(s)"), strict=True
    ):
        parser.add_argument(
            f"--{role}",
            action=_FilesAction,
            nargs="+",
            metavar="FILE",
            help=f"{what} of the current device",
        )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="report on the synthetic demo devices (no files needed)",
    )


def _add_figure_options(parser: argparse.ArgumentParser) -> None:
    """Figure size, PNG resolution, image formats, the PDF report."""
    parser.add_argument(
        "--preset",
        choices=tuple(PRESETS),
        default="acs-single",
        help="figure size (default acs-single: 8.25 cm wide)",
    )
    parser.add_argument(
        "--ppi",
        type=int,
        default=PPI_CHOICES[0],
        help="PNG resolution in dpi (default 300)",
    )
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help="image formats of the figures, comma-separated (default svg,pdf,png)",
    )
    parser.add_argument("--no-pdf", action="store_true", help="do not write report.pdf")


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    """The settings of the analyses (the Report page's sidebar)."""
    parser.add_argument(
        "--reference-device",
        default="",
        metavar="NAME",
        help="device the differences are taken from (default: the first)",
    )
    parser.add_argument(
        "--series",
        choices=("time", "bias"),
        default="time",
        help="spectral series for the stability section (default time)",
    )
    parser.add_argument("--threshold-nm", type=float, default=1.0, metavar="NM")
    parser.add_argument(
        "--reference-luminance",
        type=float,
        default=DEFAULT_REFERENCE_LUMINANCE_CD_M2,
        metavar="CD_M2",
    )
    parser.add_argument(
        "--acceleration-n", type=float, default=DEFAULT_ACCELERATION_N, metavar="N"
    )


def _add_reader_options(parser: argparse.ArgumentParser) -> None:
    """What the readers cannot tell from the files themselves."""
    parser.add_argument(
        "--axis-name", default=None, help="axis of spectral series files"
    )
    parser.add_argument("--axis-unit", default=None, help="unit of that axis")
    parser.add_argument(
        "--wavelength-grid",
        default=None,
        metavar="START:STOP:STEP",
        help="wavelength grid [nm] of spectra files without a wavelength column "
        "(headerless matrices), e.g. 380:780:0.5",
    )
    parser.add_argument(
        "--area-cm2", type=float, default=None, help="pixel area of J-V-L files"
    )
    parser.add_argument(
        "--initial-luminance",
        type=float,
        default=None,
        metavar="L0",
        help="L0 [cd/m²] of relative lifetime logs",
    )
    parser.add_argument(
        "--time-unit", default=None, help="time unit of lifetime logs (s, min, h)"
    )


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [fmt for fmt in chosen if fmt not in FORMATS]
    if unknown or not chosen:
        raise InputError(
            f"--formats: expected some of {', '.join(FORMATS)}, found '{text}'."
        )
    return chosen


def _grid(text: str | None) -> list[float] | None:
    """``START:STOP:STEP`` as numbers (kept in the sidecars for a rebuild)."""
    grid = parse_wavelength_grid(text, "--wavelength-grid")
    if grid is None or text is None:
        return None
    start, stop, step = (float(v) for v in text.split(":"))
    return [start, stop, step]


def _reader_options(args) -> dict:
    """The readers' options, as the report's sidecars keep them."""
    return {
        "axis_name": args.axis_name,
        "axis_unit": args.axis_unit,
        "wavelength_grid": _grid(args.wavelength_grid),
        "area_cm2": args.area_cm2,
        "initial_luminance_cd_m2": args.initial_luminance,
        "time_unit": args.time_unit,
    }


def _checked_groups(groups: list[dict]) -> list[dict]:
    """The devices' groups of files, each named (after its first file if not)."""
    if not any(group["files"] for group in groups):
        raise InputError(
            "No input files: give FILE..., or --device NAME with --spectra, "
            "--jvl or --lifetime, or --demo."
        )
    empty = [group["name"] for group in groups if not group["files"]]
    if empty:
        raise InputError(
            f"--device {empty[0]}: no files follow it; give its files with "
            "--spectra, --jvl, --lifetime or by position after the name."
        )
    for number, group in enumerate(groups, start=1):
        if not group["name"]:
            first = group["files"][0]["name"] if group["files"] else ""
            group["name"] = Path(first).stem or f"device {number}"
    return groups


def _load_files(groups: list[dict], options: dict):
    """(devices, inputs, groups) read from the files, groups with their roles."""
    from core import report as report_module

    groups = [  # folders and patterns -> their files, each with the role given
        dict(group, files=[
            dict(entry, name=name)
            for entry in group["files"]
            for name in expand_inputs([entry["name"]])
        ])
        for group in groups
    ]  # fmt: skip
    files = {
        entry["name"]: read_input_file(entry["name"])
        for group in groups
        for entry in group["files"]
    }
    devices, inputs = report_module.load_devices(groups, files, options)
    groups = [
        {
            "name": group["name"],
            "files": [
                {"name": record["name"], "role": record["role"]}
                for record in inputs
                if record["device"] == group["name"]
            ],
        }
        for group in groups
    ]
    return devices, inputs, groups


def _load(args, options: dict):
    """(devices, inputs, groups): the demo devices or those of the files."""
    groups = [dict(group) for group in (args.groups or [])]
    if args.demo:
        if groups:
            raise InputError("Give either --demo or files, not both.")
        from core.demo import demo_devices

        return demo_devices(), None, []
    return _load_files(_checked_groups(groups), options)


def _write(written: dict, out: Path) -> None:
    try:
        for relative, content in written.items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    except OSError as error:
        raise InputError(f"{out}: cannot write the report ({error}).") from None


def _summary(args, settings, report, written: dict, out: Path) -> dict:
    """The JSON printed on stdout: files written, sections, warnings."""
    return {
        "out": str(out),
        "report_html": str(out / "report.html"),
        "report_pdf": None if args.no_pdf else str(out / "report.pdf"),
        "preset": settings.preset,
        "ppi": settings.ppi,
        "devices": list(report.device_names),
        "inputs": [
            {k: record.get(k) for k in ("device", "name", "role", "sha256")}
            for record in report.inputs
        ],
        "sections": {
            section.key: {
                "status": section.status,
                "message": section.message,
                "figures": [figure.key for figure in section.figures],
                "tables": [table.key for table in section.tables],
            }
            for section in report.sections
        },
        "files": sorted(written),
        "warnings": list(report.warnings),
    }


def report_payload(args) -> dict:
    """Build the report from the parsed arguments, write it, describe it."""
    from core import report as report_module

    settings = report_module.ReportSettings(
        preset=args.preset,
        ppi=args.ppi,
        reference_device=args.reference_device,
        series=args.series,
        threshold_nm=args.threshold_nm,
        reference_luminance_cd_m2=args.reference_luminance,
        acceleration_n=args.acceleration_n,
    )
    formats = _formats(args.formats)
    options = _reader_options(args)
    devices, inputs, groups = _load(args, options)
    report = report_module.build_report(
        devices,
        settings,
        inputs=inputs,
        groups=groups,
        reader_options=options,
        title=args.title,
    )
    written = report_module.report_files(
        report, formats=formats, pdf_report=not args.no_pdf
    )
    out = Path(args.out)
    _write(written, out)
    return _summary(args, settings, report, written, out)


def sections_table(summary: dict):
    """The CSV of ``report --format csv``: one row per section of the summary."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "section": key,
                "status": section["status"],
                "message": section["message"],
                "figures": "; ".join(section["figures"]),
                "tables": "; ".join(section["tables"]),
                "out": summary["out"],
                "report_html": summary["report_html"],
                "report_pdf": summary["report_pdf"],
            }
            for key, section in summary["sections"].items()
        ]
    )


def run(args) -> int:
    summary = report_payload(args)
    if args.format == "csv":
        return write_csv(sections_table(summary))
    print(dump_json(summary))
    return 0
