"""
``python -m core efficiency FILE... [--spectrum FILE] [--area-cm2 A]``.

EQE, current and power efficiency, turn-on and roll-off of J-V-L sweeps, and
the device-to-device statistics when several files are given. One file gives
one JSON object (the contract in docs/architecture.md, plus ``file``, ``notes``
and the roll-off keys); several give ``{"devices": [...], "batch": {...}}``.
"""

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
from core.errors import InputError

__all__ = ["add_parser", "run", "efficiency_payload", "batch_payload"]


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "efficiency",
        help="EQE, CE, PE, turn-on and roll-off of J-V-L sweeps; batch statistics",
        description="One J-V-L(-EQE) sweep per file (one pixel or device). The EQE "
        "is computed from J, L and the EL spectrum (Lambertian emitter); without "
        "--spectrum the file's own EQE column is used, if it has one. Points "
        "that break a physical limit are listed in data_warnings and left out "
        "of every maximum.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--spectrum",
        metavar="FILE",
        help="EL spectrum of the devices (any layout the spectra reader accepts; "
        "the first spectrum of a series is used)",
    )
    parser.add_argument(
        "--spectrum-wavelength-grid",
        metavar="START:STOP:STEP",
        help="wavelengths of a headerless spectrum matrix, e.g. 380:780:0.5 [nm]",
    )
    parser.add_argument(
        "--spectrum-quantity",
        choices=("auto", "energy", "photon", "counts"),
        default="auto",
        help="what the spectrum's intensities are when its file does not say (or "
        "to override it); photon spectra are converted to power per nm (x hc/λ)",
    )
    parser.add_argument(
        "--spectrum-voltages-from-sweep",
        action="store_true",
        help="the spectrum file holds one spectrum per row of each sweep (EL "
        "over bias): use the sweep's voltages as its axis, so that each point "
        "gets its own spectrum",
    )
    parser.add_argument(
        "--noisy-spectrum",
        choices=("brightest", "nearest"),
        default="brightest",
        help="what serves a point whose own spectrum (EL over bias) is noise: "
        "the brightest spectrum of the series (default) or the nearest clean one",
    )
    parser.add_argument(
        "--area-cm2",
        type=float,
        default=None,
        metavar="A",
        help="device area [cm²], for files with a current column and no area",
    )
    parser.add_argument(
        "--turn-on-luminance",
        type=float,
        default=1.0,
        metavar="L",
        help="luminance that defines turn-on [cd/m²] (default 1)",
    )
    parser.add_argument(
        "--no-points",
        action="store_true",
        help="leave the per-point table out of the JSON",
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="csv: the points of every file as one table",
    )
    parser.set_defaults(run=run)


def efficiency_payload(result, sweep, *, include_points: bool = True) -> dict:
    """The JSON object of one file: ``file``, the result, the reader's notes."""
    from core.efficiency import summary_record

    record = {"file": sweep.source or sweep.label}
    record |= summary_record(result, include_points=include_points)
    notes = list(sweep.notes)
    if sweep.spectrum is not None:
        notes += list(sweep.spectrum.notes)
    record["notes"] = notes
    return record


def batch_payload(results) -> dict:
    """Per-metric batch statistics as a JSON-ready dict."""
    from core.efficiency import batch_statistics

    stats = batch_statistics(results)
    return {metric: row.to_dict() for metric, row in stats.iterrows()}


def _turn_on_threshold(value: float) -> float:
    if not value > 0:
        raise InputError(
            f"--turn-on-luminance: expected a positive luminance in cd/m², found "
            f"{value:g}."
        )
    return value


def run(args: argparse.Namespace) -> int:
    from core.efficiency import device_efficiency, points_table
    from core.io import read_spectral_series
    from core.io.jvl import read_jvl
    from core.models import Device

    threshold = _turn_on_threshold(args.turn_on_luminance)
    if args.area_cm2 is not None and not args.area_cm2 > 0:
        raise InputError(
            f"--area-cm2: expected a positive area in cm², found {args.area_cm2:g}."
        )
    grid = parse_wavelength_grid(
        args.spectrum_wavelength_grid, "--spectrum-wavelength-grid"
    )
    if args.spectrum_voltages_from_sweep and not args.spectrum:
        raise InputError(
            "--spectrum-voltages-from-sweep needs --spectrum FILE (the EL spectra "
            "measured at the sweep's voltages)."
        )
    spectrum_bytes = read_input_file(args.spectrum) if args.spectrum else None
    spectrum_name = Path(args.spectrum).name if args.spectrum else None

    def spectrum_for(sweep):
        if spectrum_bytes is None:
            return None
        if not args.spectrum_voltages_from_sweep:
            return read_spectral_series(
                spectrum_bytes,
                spectrum_name,
                wavelength_nm=grid,
                spectral_quantity=args.spectrum_quantity,
            )
        return read_spectral_series(
            spectrum_bytes,
            spectrum_name,
            wavelength_nm=grid,
            spectral_quantity=args.spectrum_quantity,
            axis_values=sweep.voltage_v,
            axis_name="voltage",
            axis_unit="V",
        )

    shared = None if args.spectrum_voltages_from_sweep else spectrum_for(None)
    sweeps, results, spectra = [], [], []
    for path in expand_inputs(args.files):
        sweep = read_jvl(read_input_file(path), Path(path).name, area_cm2=args.area_cm2)
        spectrum = shared if shared is not None else spectrum_for(sweep)
        sweeps.append(sweep)
        spectra.append(spectrum)
        device = Device(  # the same one-EQE path as every page and the report
            sweep.label,
            jvl=(sweep,),
            eqe_spectrum=None if spectrum is None else "uploaded",
            eqe_uploaded_spectrum=spectrum,
            eqe_noisy_spectrum=args.noisy_spectrum,
        )
        results.append(device_efficiency(device, turn_on_luminance_cd_m2=threshold))
    if args.format == "csv":
        return write_csv(points_table(results))
    records = [
        efficiency_payload(result, sweep, include_points=not args.no_points)
        for result, sweep in zip(results, sweeps, strict=True)
    ]
    for record, spectrum in zip(records, spectra, strict=True):
        if spectrum is not None:
            record["spectrum_file"] = spectrum.source
            record["notes"] = record["notes"] + list(spectrum.notes)
    if len(records) == 1:
        print(dump_json(records[0]))
    else:
        print(dump_json({"devices": records, "batch": batch_payload(results)}))
    return 0
