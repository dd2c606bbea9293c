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

__all__ = ["add_parser", "run", "spectra_payload", "parse_indices", "parse_axis_range"]


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
    _add_analysis_options(parser)
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.set_defaults(run=run)


def _add_analysis_options(parser) -> None:
    """Reference, exclusions, colour window and noise level of the analysis."""
    parser.add_argument(
        "--reference",
        type=float,
        metavar="AXIS_VALUE",
        help="compare with the spectrum at this axis value (default: the first "
        "spectrum with emission that is not excluded)",
    )
    parser.add_argument(
        "--exclude",
        metavar="INDICES",
        help="leave out spectra by 0-based index, e.g. 3,5-7",
    )
    parser.add_argument(
        "--exclude-axis",
        metavar="LO:HI",
        help="leave out spectra with LO <= axis <= HI",
    )
    parser.add_argument(
        "--colour-window",
        type=float,
        metavar="K",
        help="opt-in: colour from peak ± K·FWHM only (default: all the emission)",
    )
    parser.add_argument(
        "--noise-k",
        type=float,
        default=2.0,
        help="a change below K standard errors is 'within noise' (default 2)",
    )


def parse_indices(text: str | None) -> list[int]:
    """``3,5-7`` -> [3, 5, 6, 7]; an InputError names what is wrong."""
    from core.errors import InputError

    if not text:
        return []
    indices: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise InputError(
                f"--exclude: expected indices such as 3,5-7, found '{part.strip()}' "
                f"in '{text}'."
            ) from None
        if last < first:
            raise InputError(f"--exclude: the range '{part.strip()}' runs backwards.")
        indices += range(first, last + 1)
    return indices


def parse_axis_range(text: str | None) -> tuple[float, float] | None:
    """``LO:HI`` -> (LO, HI); an InputError names what is wrong."""
    from core.errors import InputError

    if not text:
        return None
    try:
        low, high = (float(v) for v in text.split(":"))
    except ValueError:
        raise InputError(
            f"--exclude-axis: expected LO:HI (e.g. 0:2.5), found '{text}'."
        ) from None
    return low, high


_ROW_FLAGS = ("has_emission", "included", "outside_fraction", "n_bands")


def _bands_by_spectrum(result) -> dict[int, list[dict]]:
    table = result.bands
    out: dict[int, list[dict]] = {}
    for row in table.itertuples(index=False):
        out.setdefault(int(row.spectrum), []).append(
            {
                "kind": row.kind,
                "peak_nm": row.peak_nm,
                "fwhm_nm": row.fwhm_nm,
                "fraction": row.fraction,
            }
        )
    return out


def spectra_payload(series, result) -> dict:
    """The CLI's JSON object for one series (the contract in docs/architecture.md)."""
    from core.spectra import METRIC_COLUMNS, UNCERTAINTY_COLUMNS
    from core.stability import STABILITY_KEYS

    table = result.metrics
    bands = _bands_by_spectrum(result)
    spectra = []
    for row in table.itertuples(index=False):
        entry = {"axis": row.axis}
        entry.update({key: getattr(row, key) for key in METRIC_COLUMNS})
        entry.update({key: getattr(row, key) for key in UNCERTAINTY_COLUMNS})
        entry.update({key: getattr(row, key) for key in _ROW_FLAGS})
        entry["excluded_reason"] = row.exclusion or None
        entry["colour_not_defined"] = row.colour_status or None
        entry["bands"] = bands.get(int(row.spectrum), [])
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
        reference=args.reference,
        exclude=parse_indices(args.exclude),
        exclude_axis_range=parse_axis_range(args.exclude_axis),
        colour_window_fwhm=args.colour_window,
        noise_k=args.noise_k,
    )
    if args.format == "csv":
        return write_csv(result.metrics)
    print(dump_json(spectra_payload(series, result)))
    return 0
