"""``python -m core spectra FILE...``: per-spectrum metrics and series stability."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli import (
    dump_json,
    expand_inputs,
    parse_wavelength_grid,
    read_input_file,
    write_csv,
)
from core.models import AXIS_NAMES

__all__ = ["add_parser", "run", "spectra_payload"]


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "spectra",
        help="peak, FWHM, CIE of each spectrum and the drift of the series",
        description="One series file, or several single-spectrum files that form "
        "a series (ordered by the number in their names).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--axis-name", choices=AXIS_NAMES, default=None)
    parser.add_argument("--axis-unit", default=None)
    parser.add_argument("--dark", metavar="FILE", help="dark spectrum to subtract")
    parser.add_argument(
        "--wavelength-grid",
        metavar="START:STOP:STEP",
        help="for headerless matrices, e.g. 380:780:0.5 [nm]",
    )
    parser.add_argument(
        "--spectral-quantity",
        choices=("auto", "energy", "photon", "counts"),
        default="auto",
        help="what the intensities are when the file does not say (or to "
        "override it); photon spectra are converted to power per nm (x hc/λ)",
    )
    parser.add_argument(
        "--sheet", default=None, help="worksheet of an .xlsx (name or 0-based number)"
    )
    parser.add_argument(
        "--cells",
        default=None,
        help="cells of an .xlsx holding the spectrum, wavelength first, e.g. "
        "H125:I1581, front!H125:I1581 or H:I",
    )
    parser.add_argument("--threshold-nm", type=float, default=1.0)
    parser.add_argument("--white-point", choices=("E", "D65"), default="E")
    parser.add_argument("--baseline", choices=("edges", "none"), default="edges")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.set_defaults(run=run)


def spectra_payload(series, result) -> dict:
    """The CLI's JSON object for one series (the contract in docs/architecture.md)."""
    from core.spectra import METRIC_COLUMNS
    from core.stability import STABILITY_KEYS

    table = result.metrics
    spectra = []
    for row in table.itertuples(index=False):
        entry = {"axis": row.axis}
        entry.update({key: getattr(row, key) for key in METRIC_COLUMNS})
        spectra.append(entry)
    stability = result.summary()
    return {
        "source": series.source,
        "axis_name": series.axis_name,
        "axis_unit": series.axis_unit,
        "n_spectra": series.n_spectra,
        "white_point": table.attrs.get("white_point", "E"),
        "spectra": spectra,
        "stability": {key: stability[key] for key in STABILITY_KEYS}
        | {k: v for k, v in stability.items() if k not in STABILITY_KEYS},
        "notes": list(series.notes),
        "warnings": list(result.warnings),
    }


def run(args: argparse.Namespace) -> int:
    from core.io import read_spectra_files, read_spectral_series
    from core.stability import series_stability

    files = [(Path(p).name, read_input_file(p)) for p in expand_inputs(args.files)]
    dark = read_input_file(args.dark) if args.dark else None
    dark_name = Path(args.dark).name if args.dark else None
    if len(files) == 1:
        series = read_spectral_series(
            files[0][1],
            files[0][0],
            axis_name=args.axis_name,
            axis_unit=args.axis_unit,
            wavelength_nm=parse_wavelength_grid(
                args.wavelength_grid, "--wavelength-grid"
            ),
            dark=dark,
            dark_name=dark_name,
            spectral_quantity=args.spectral_quantity,
            sheet=args.sheet,
            cells=args.cells,
        )
    else:
        series = read_spectra_files(
            files,
            order="name",
            axis_name=args.axis_name,
            axis_unit=args.axis_unit,
            dark=dark,
            dark_name=dark_name,
            spectral_quantity=args.spectral_quantity,
            sheet=args.sheet,
            cells=args.cells,
        )
    result = series_stability(
        series,
        threshold_nm=args.threshold_nm,
        white_point=args.white_point,
        baseline=args.baseline,
    )
    if args.format == "csv":
        return write_csv(result.metrics)
    print(dump_json(spectra_payload(series, result)))
    return 0
