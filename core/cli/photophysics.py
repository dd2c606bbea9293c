"""
``python -m core photophysics trpl|tdpl|urbach|plqy ...``: the emitter's own
photophysics as JSON (or CSV with ``--format csv``).

- ``trpl FILE... [--irf FILE] [--components 1|2|3] [--tail-start NS]``: PL
  lifetimes (reconvolution with the IRF, or a tail fit); several files are
  samples side by side.
- ``tdpl FILES... [--temperatures K,K,...] [--model one|two]``: exciton
  binding energy from integrated PL against temperature; peak and FWHM.
- ``urbach FILE [--range EV:EV] [--tauc]``: Urbach energy and excitonic peak.
- ``plqy --empty F --out-of-beam F --in-beam F [--laser NM:NM --emission
  NM:NM]`` or ``plqy --value PERCENT``: PLQY (de Mello).

Every analysis takes ``--demo`` (the two synthetic demo samples) and
``--figures DIR`` (the figure in the publication theme as SVG/PDF/PNG, its
data as CSV and a provenance sidecar). One result prints a JSON object,
several an array; the keys are in docs/architecture.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli import dump_json, expand_inputs, read_input_file, write_csv
from core.errors import InputError
from core.figures.presets import PRESETS

__all__ = ["add_parser", "run"]

HELP = (
    "PL lifetimes (TRPL), exciton binding energy (T-dependent PL), Urbach energy, PLQY"
)


def _pair(text: str | None, option: str, unit: str) -> tuple[float, float] | None:
    """``A:B`` -> (A, B) with A < B, or None when absent."""
    if text is None:
        return None
    try:
        low, high = (float(v) for v in text.split(":"))
    except ValueError:
        raise InputError(
            f"{option}: expected LOW:HIGH in {unit} (e.g. 600:700), found '{text}'."
        ) from None
    if not high > low:
        raise InputError(f"{option}: expected LOW < HIGH, found '{text}'.")
    return low, high


def _common(parser: argparse.ArgumentParser, figure: bool = True) -> None:
    parser.add_argument(
        "--demo",
        action="store_true",
        help="analyse the two synthetic demo samples (no files needed)",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    if figure:
        parser.add_argument(
            "--figures",
            metavar="DIR",
            help="write the figure (SVG, PDF, PNG), its CSV and provenance to DIR",
        )
        parser.add_argument(
            "--preset",
            choices=tuple(PRESETS),
            default="acs-single",
            help="figure size (default acs-single)",
        )


def _trpl_parser(sub) -> None:
    parser = sub.add_parser(
        "trpl",
        help="1–3 exponential fits of TCSPC decays (PicoQuant, Edinburgh, "
        "Becker & Hickl, plain tables)",
        description="Fit PL decays: reconvolution with the IRF when given (or "
        "found in the file), else a tail fit from an automatic or given start. "
        "Several files are compared side by side.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--irf", metavar="FILE", help="instrument response function")
    parser.add_argument("--components", type=int, choices=(1, 2, 3), default=1)
    parser.add_argument(
        "--tail-start", type=float, metavar="NS", help="start of a tail fit [ns]"
    )
    parser.add_argument("--fit-range", metavar="NS:NS", help="channels fitted [ns]")
    parser.add_argument(
        "--time-unit",
        choices=("fs", "ps", "ns", "us", "ms", "s"),
        help="unit of the time column when the file does not say",
    )
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="also fit 1, 2 and 3 exponentials and suggest a number (AIC)",
    )
    _common(parser)
    parser.set_defaults(analysis_run=_run_trpl)


def _tdpl_parser(sub) -> None:
    parser = sub.add_parser(
        "tdpl",
        help="exciton binding energy from integrated PL against temperature",
        description="PL spectra at temperatures: one series file (headers "
        "'80 K' ...) or one file per temperature (numbers in the names).",
    )
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument(
        "--temperatures", metavar="K,K,...", help="temperature of each spectrum [K]"
    )
    parser.add_argument("--model", choices=("one", "two"), default="one")
    parser.add_argument("--range", metavar="NM:NM", help="integration range [nm]")
    parser.add_argument(
        "--temperature-range", metavar="K:K", help="temperatures fitted [K]"
    )
    parser.add_argument(
        "--phonon", action="store_true", help="also fit the phonon broadening Γ(T)"
    )
    _common(parser)
    parser.set_defaults(analysis_run=_run_tdpl)


def _urbach_parser(sub) -> None:
    parser = sub.add_parser(
        "urbach",
        help="Urbach energy and excitonic peak of an absorbance spectrum",
        description="Absorbance (or %%T) against wavelength or energy.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--range", metavar="EV:EV", help="Urbach fit range [eV]")
    parser.add_argument(
        "--tauc",
        action="store_true",
        help="also a Tauc plot (not a band gap for quantum dots)",
    )
    parser.add_argument("--tauc-range", metavar="EV:EV", help="Tauc fit range [eV]")
    _common(parser)
    parser.set_defaults(analysis_run=_run_urbach)


def _plqy_parser(sub) -> None:
    parser = sub.add_parser(
        "plqy",
        help="PLQY from integrating-sphere spectra (de Mello) or entered by hand",
        description="Spectra must be photon counts per wavelength, corrected for "
        "the spectral response. Without --out-of-beam: the two-measurement form.",
    )
    parser.add_argument("--empty", metavar="FILE", help="A: empty sphere")
    parser.add_argument("--out-of-beam", metavar="FILE", help="B: sample out of beam")
    parser.add_argument("--in-beam", metavar="FILE", help="C: sample in the beam")
    parser.add_argument("--laser", metavar="NM:NM", help="laser range [nm]")
    parser.add_argument("--emission", metavar="NM:NM", help="emission range [nm]")
    parser.add_argument(
        "--value", type=float, metavar="PERCENT", help="a PLQY entered by hand [%%]"
    )
    parser.add_argument(
        "--value-stderr", type=float, default=float("nan"), metavar="PERCENT"
    )
    parser.add_argument("--label", default="", help="sample name")
    _common(parser)
    parser.set_defaults(analysis_run=_run_plqy)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "photophysics",
        help=HELP,
        description="The emitter's photophysics: PL lifetimes, exciton binding "
        "energy, Urbach energy and PLQY (docs/methods.md, Photophysics).",
    )
    sub = parser.add_subparsers(dest="analysis", required=True)
    parser.set_defaults(run=run)
    for build in (_trpl_parser, _tdpl_parser, _urbach_parser, _plqy_parser):
        build(sub)


def run(args: argparse.Namespace) -> int:
    return int(args.analysis_run(args))


def _print(payload: list[dict], args, table=None) -> int:
    if args.format == "csv":
        if table is None:
            import pandas as pd

            table = pd.json_normalize(payload)
        return write_csv(table)
    sys.stdout.write(dump_json(payload[0] if len(payload) == 1 else payload) + "\n")
    return 0


def _check_inputs(args, files) -> None:
    if args.demo and files:
        raise InputError("Give either --demo or files, not both.")
    if not args.demo and not files:
        raise InputError(f"{args.analysis}: give a file (or --demo).")


def _write_figures(args, chart, name: str, builder: str, inputs, settings) -> list[str]:
    """The figure's files in ``args.figures``; their names."""
    if not getattr(args, "figures", None):
        return []
    from core.figures.provenance import figure_files

    folder = Path(args.figures)
    folder.mkdir(parents=True, exist_ok=True)
    files = figure_files(
        chart,
        name,
        preset=args.preset,
        builder=f"core.figures.photophysics.{builder}",
        inputs=inputs,
        settings=settings,
    )
    for file_name, content in files.items():
        (folder / file_name).write_bytes(content)
    return sorted(files)


def _inputs(records) -> list[dict]:
    """Provenance records: (name, bytes, role) of files or (name, role, arrays)."""
    from core.figures.provenance import array_record, file_record

    out = []
    for name, payload, role in records:
        if isinstance(payload, bytes):
            out.append(file_record(payload, name, role))
        else:
            out.append(array_record(payload, name, role))
    return out


def _files(paths) -> list[tuple[str, bytes]]:
    return [(path, read_input_file(path)) for path in expand_inputs(paths)]


def _decay_items(args, files):
    """(file, curve, irf, irf name) for each decay to fit, and provenance."""
    from core.photophysics import read_decay, read_decays, split_irf

    if args.demo:
        from core.demo.photophysics import SAMPLES, demo_decay

        items, records = [], []
        for sample in SAMPLES:
            curve, irf = demo_decay(sample)
            items.append(("demo", curve, irf, irf.label))
            records.append((sample, (curve.time_ns, curve.counts), "decay (synthetic)"))
            records.append((irf.label, (irf.time_ns, irf.counts), "IRF (synthetic)"))
        return items, records
    given = None
    records = [(path, data, "decay") for path, data in files]
    if args.irf:
        data = read_input_file(args.irf)
        given = read_decay(data, args.irf, time_unit=args.time_unit)
        records.append((args.irf, data, "IRF"))
    items = []
    for path, data in files:
        curves = read_decays(data, path, time_unit=args.time_unit)
        decays, in_file = split_irf(curves)
        irf = given if given is not None else in_file
        name = args.irf if given is not None else (in_file.label if in_file else None)
        items.extend((path, curve, irf, name) for curve in (decays or curves))
    return items, records


def _component_hint(curve, irf, args, fit_range) -> dict:
    from core.photophysics import compare_components

    comparison = compare_components(
        curve, irf=irf, tail_start_ns=args.tail_start, fit_range_ns=fit_range
    )
    return {
        "suggested_components": comparison.suggested_components,
        "aic": {str(f.n_components): f.aic for f in comparison.fits},
        "chi2_reduced": {str(f.n_components): f.chi2_reduced for f in comparison.fits},
        "reason": comparison.reason,
    }


def _run_trpl(args) -> int:
    from core.figures.photophysics import decay_chart, decay_frame
    from core.photophysics import decay_table, fit_decay

    _check_inputs(args, args.files)
    files = _files(args.files)
    fit_range = _pair(args.fit_range, "--fit-range", "ns")
    items, records = _decay_items(args, files)
    payload, fitted = [], []
    for name, curve, irf, irf_name in items:
        fit = fit_decay(
            curve,
            irf=irf,
            n_components=args.components,
            tail_start_ns=args.tail_start,
            fit_range_ns=fit_range,
        )
        entry = {"file": name, "irf_file": irf_name} | fit.summary()
        if args.suggest:
            entry["component_hint"] = _component_hint(curve, irf, args, fit_range)
        payload.append(entry)
        fitted.append((curve.label, curve, fit))
    settings = {
        "components": args.components,
        "tail_start_ns": args.tail_start,
        "fit_range_ns": fit_range,
        "irf": args.irf,
    }
    figures = _write_figures(
        args,
        decay_chart(decay_frame(fitted)),
        "trpl_decay",
        "decay_chart",
        _inputs(records) if args.figures else [],
        settings,
    )
    _attach(payload, figures)
    return _print(payload, args, decay_table([fit for _, _, fit in fitted]))


def _attach(payload: list[dict], figures: list[str]) -> None:
    if figures:
        for entry in payload:
            entry["figures"] = figures


def _temperatures(text: str | None):
    if text is None:
        return None
    try:
        return [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(
            f"--temperatures: expected temperatures in K separated by commas "
            f"(e.g. 80,100,120), found '{text}'."
        ) from None


def _run_tdpl(args) -> int:
    import pandas as pd

    from core.figures import photophysics as figures_module
    from core.photophysics import read_temperature_series, tdpl_analysis

    _check_inputs(args, args.files)
    files = _files(args.files)
    if args.demo:
        from core.demo.photophysics import SAMPLES, demo_tdpl

        series_list = [("demo", demo_tdpl(sample)) for sample in SAMPLES]
        records: list[tuple[str, object, str]] = [
            (s.label, (s.wavelength_nm, s.intensity, s.axis), "PL vs T (synthetic)")
            for _, s in series_list
        ]
    else:
        temperatures = _temperatures(args.temperatures)
        series = read_temperature_series(files, temperatures)
        series_list = [(", ".join(args.files), series)]
        records = [(path, data, "PL spectrum") for path, data in files]
    results = [
        (
            name,
            tdpl_analysis(
                series,
                wavelength_range_nm=_pair(args.range, "--range", "nm"),
                temperature_range_k=_pair(
                    args.temperature_range, "--temperature-range", "K"
                ),
                model=args.model,
                phonon=args.phonon,
            ),
        )
        for name, series in series_list
    ]
    payload = [{"file": name} | result.summary() for name, result in results]
    items = [(result.label, result) for _, result in results]
    settings = {k: getattr(args, k) for k in ("model", "range", "temperature_range")}
    inputs = _inputs(records) if args.figures else []
    names = _write_figures(
        args,
        figures_module.arrhenius_chart(figures_module.arrhenius_frame(items)),
        "tdpl_arrhenius",
        "arrhenius_chart",
        inputs,
        settings,
    )
    names += _write_figures(
        args,
        figures_module.linewidth_chart(figures_module.linewidth_frame(items)),
        "tdpl_linewidth",
        "linewidth_chart",
        inputs,
        settings,
    )
    _attach(payload, names)
    table = pd.concat(
        [r.table.assign(sample=r.label) for _, r in results], ignore_index=True
    )
    return _print(payload, args, table)


def _run_urbach(args) -> int:
    from core.figures.photophysics import tauc_chart, urbach_chart, urbach_frame
    from core.photophysics import absorption_analysis, read_absorbance

    _check_inputs(args, args.files)
    files = _files(args.files)
    if args.demo:
        from core.demo.photophysics import SAMPLES, demo_absorbance

        spectra = [("demo", demo_absorbance(sample)) for sample in SAMPLES]
        records: list[tuple[str, object, str]] = [
            (s.label, (s.wavelength_nm, s.absorbance), "absorbance (synthetic)")
            for _, s in spectra
        ]
    else:
        spectra = [(path, read_absorbance(data, path)) for path, data in files]
        records = [(path, data, "absorbance") for path, data in files]
    results = [
        (
            name,
            absorption_analysis(
                spectrum,
                energy_range_ev=_pair(args.range, "--range", "eV"),
                tauc=args.tauc,
                tauc_range_ev=_pair(args.tauc_range, "--tauc-range", "eV"),
            ),
        )
        for name, spectrum in spectra
    ]
    payload = [{"file": name} | result.summary() for name, result in results]
    items = [(result.label, result) for _, result in results]
    settings = {
        "range_ev": args.range,
        "tauc": args.tauc,
        "tauc_range_ev": args.tauc_range,
    }
    inputs = _inputs(records) if args.figures else []
    names = _write_figures(
        args,
        urbach_chart(urbach_frame(items)),
        "urbach",
        "urbach_chart",
        inputs,
        settings,
    )
    if args.tauc:
        names += _write_figures(
            args, tauc_chart(items), "tauc", "tauc_chart", inputs, settings
        )
    _attach(payload, names)
    return _print(payload, args)


def _sphere(args):
    """(measurements, provenance records) from the files or the demo."""
    from core.photophysics import read_sphere

    if args.demo:
        from core.demo.photophysics import SAMPLES, demo_sphere

        measurements = [demo_sphere(sample) for sample in SAMPLES]
        records = [
            (
                m.label,
                (m.wavelength_nm, m.empty, m.out_of_beam, m.in_beam),
                "sphere (synthetic)",
            )
            for m in measurements
        ]
        return measurements, records
    if not (args.empty and args.in_beam):
        raise InputError(
            "plqy: give --empty and --in-beam (and --out-of-beam for the "
            "three-measurement method), --value, or --demo."
        )
    roles = {
        "empty": args.empty,
        "in_beam": args.in_beam,
        "out_of_beam": args.out_of_beam,
    }
    loaded = {
        role: (path, read_input_file(path)) for role, path in roles.items() if path
    }
    measurement = read_sphere(
        loaded["empty"], loaded["in_beam"], loaded.get("out_of_beam"), label=args.label
    )
    records = [(path, data, role) for role, (path, data) in loaded.items()]
    return [measurement], records


def _run_plqy(args) -> int:
    from core.figures.photophysics import plqy_chart, sphere_frame
    from core.photophysics import plqy_de_mello, plqy_entered

    if args.value is not None:
        if args.demo or args.empty or args.in_beam:
            raise InputError(
                "Give either --value or sphere files (or --demo), not both."
            )
        result = plqy_entered(args.value, args.value_stderr, label=args.label)
        return _print([result.summary()], args)
    if args.demo and (args.empty or args.in_beam):
        raise InputError("Give either --demo or files, not both.")
    measurements, records = _sphere(args)
    laser = _pair(args.laser, "--laser", "nm")
    emission = _pair(args.emission, "--emission", "nm")
    payload, names = [], []
    inputs = _inputs(records) if args.figures else []
    for index, measurement in enumerate(measurements):
        result = plqy_de_mello(
            measurement, laser_range_nm=laser, emission_range_nm=emission
        )
        payload.append(result.summary())
        suffix = f"_{index + 1}" if len(measurements) > 1 else ""
        names += _write_figures(
            args,
            plqy_chart(sphere_frame(measurement, result)),
            f"plqy_spheres{suffix}",
            "plqy_chart",
            inputs,
            {"laser_nm": args.laser, "emission_nm": args.emission},
        )
    _attach(payload, names)
    return _print(payload, args)
