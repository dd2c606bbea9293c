"""
``python -m core lifetime FILE...``: T95...T50, the decay model, T50 at a
reference luminance.

One object per lifetime log (a file with several luminance columns gives one
per column), each with ``"file"``. One log prints that object; several print a
JSON array. The logs of one call are the tests of one device: with tests at 3
or more distinct initial luminances (the rule of
:func:`core.lifetime.acceleration_fits`, shared with the page), every object
also carries the fitted acceleration exponent (``"acceleration_fit"``) and T50
at the reference luminance with that n (``"t50_at_reference_fitted_n_h"``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import numpy as np

from core.cli import (
    add_format_option,
    dump_json,
    expand_inputs,
    read_input_file,
    write_csv,
)
from core.constants import (
    DECAY_METHODS,
    DEFAULT_ACCELERATION_N,
    DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    LIFETIME_TIME_UNITS,
)
from core.errors import InputError

if TYPE_CHECKING:
    from core.models import LifetimeLog

__all__ = ["add_parser", "run", "lifetime_payload", "lifetime_rows"]

#: The T-values of a payload, in the order of its CSV columns.
_T_KEYS = ("t95_h", "t90_h", "t80_h", "t70_h", "t50_h")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "lifetime",
        help="T95...T50 (measured or extrapolated), decay model, T50 at a "
        "reference luminance",
        description="Lifetime logs (time and luminance, relative luminance or a "
        "photodiode signal). Prints one JSON object per log; several logs print "
        "an array, and with tests at 3 or more initial luminances the fitted "
        "acceleration exponent.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--reference-luminance",
        type=float,
        default=DEFAULT_REFERENCE_LUMINANCE_CD_M2,
        metavar="CD_M2",
        help="luminance to convert T50 to [cd/m²] "
        f"(default {DEFAULT_REFERENCE_LUMINANCE_CD_M2:g})",
    )
    parser.add_argument(
        "--acceleration-n",
        type=float,
        default=DEFAULT_ACCELERATION_N,
        metavar="N",
        help=f"exponent n in L0^n · T = const (default {DEFAULT_ACCELERATION_N:g})",
    )
    parser.add_argument(
        "--method",
        choices=DECAY_METHODS,
        default="stretched-exponential",
        help="decay model for extrapolated T-values",
    )
    parser.add_argument(
        "--initial-luminance",
        type=float,
        default=None,
        metavar="L0",
        help="L0 [cd/m²] of relative logs or photodiode signals",
    )
    parser.add_argument(
        "--time-unit",
        choices=LIFETIME_TIME_UNITS,
        default=None,
        help="unit of the time column when its header does not say",
    )
    parser.add_argument(
        "--l0-from-model",
        action="store_true",
        help="count T-values from the decay model's start value instead of the "
        "first reading (whose noise then no longer moves them)",
    )
    parser.add_argument(
        "--report-beyond-cap",
        action="store_true",
        help="give T-values the model puts beyond 6x the test duration (IES "
        "TM-21 limit) in beyond_cap_h; by default they are null",
    )
    parser.add_argument(
        "--stress",
        choices=("luminance", "current_density"),
        default="luminance",
        help="stress for the fitted acceleration exponent (default luminance)",
    )
    add_format_option(
        parser,
        "one row per log: its scalars, each T-value with its kind and "
        "uncertainty, the decay model, the fitted n",
    )
    parser.set_defaults(run=run)


def lifetime_payload(
    logs_by_file,
    *,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    method: str = "stretched-exponential",
    stress: str = "luminance",
    l0_from_model: bool = False,
    report_beyond_cap: bool = False,
) -> list[dict]:
    """
    The CLI's JSON objects for several logs (the contract in docs/architecture.md).

    Parameters
    ----------
    logs_by_file : sequence of (str, LifetimeLog)
        File name and log.
    reference_luminance_cd_m2, acceleration_n, method, stress, l0_from_model,
    report_beyond_cap
        As the command-line options.

    Returns
    -------
    list of dict
        One object per log, with ``"file"`` and ``"label"``.
    """
    from core.lifetime import lifetime_metrics, lifetime_summary

    if not np.isfinite(reference_luminance_cd_m2) or reference_luminance_cd_m2 <= 0:
        raise InputError(
            f"--reference-luminance is {reference_luminance_cd_m2:g}: expected a "
            "positive luminance in cd/m²."
        )
    if not np.isfinite(acceleration_n) or acceleration_n <= 0:
        raise InputError(
            f"--acceleration-n is {acceleration_n:g}: expected a positive exponent "
            "(1.5–2 is usual)."
        )
    results = [
        (
            name,
            lifetime_metrics(
                log,
                method=method,
                reference_luminance_cd_m2=reference_luminance_cd_m2,
                acceleration_n=acceleration_n,
                l0_from_model=l0_from_model,
                report_beyond_cap=report_beyond_cap,
            ),
        )
        for name, log in logs_by_file
    ]
    payload = []
    for (name, result), (_, log) in zip(results, logs_by_file, strict=True):
        entry = {"file": name, "label": result.label}
        entry.update(lifetime_summary(result))
        entry["notes"] = list(log.notes)
        payload.append(entry)
    if len(results) >= 2:
        _add_acceleration_fit(
            payload,
            [result for _, result in results],
            stress=stress,
            reference_luminance_cd_m2=reference_luminance_cd_m2,
            acceleration_n=acceleration_n,
        )
    return payload


def lifetime_rows(payload: list[dict]):
    """
    The CSV of ``python -m core lifetime --format csv``: one row per log.

    Parameters
    ----------
    payload : list of dict
        :func:`lifetime_payload`.

    Returns
    -------
    pandas.DataFrame
        The scalars of each object in its order, each T-value followed by
        ``<t>_kind`` and ``<t>_uncertainty_h`` (and ``<t>_beyond_cap_h`` with
        --report-beyond-cap), ``model_method``, ``model_t50_h``,
        ``t50_at_reference_n<n>_h`` of the band, ``acceleration_n_fitted`` and
        its ``_stderr`` (several tests), ``warnings`` joined with " | ".
    """
    import pandas as pd

    rows = []
    for entry in payload:
        row: dict = {}
        for key, value in entry.items():
            if isinstance(value, (dict, list)):
                continue
            row[key] = value
            if key in _T_KEYS:
                stem = key[: -len("_h")]
                row[f"{stem}_kind"] = entry["kinds"].get(key)
                row[f"{stem}_uncertainty_h"] = entry["uncertainties_h"].get(key)
                if entry.get("report_beyond_cap"):
                    row[f"{stem}_beyond_cap_h"] = entry["beyond_cap_h"].get(key)
        model = entry.get("model") or {}
        row["model_method"] = model.get("method")
        row["model_t50_h"] = model.get("t50_h")
        row["model_r_squared"] = model.get("r_squared")
        for name, value in (entry.get("t50_at_reference_band_h") or {}).items():
            row[f"t50_at_reference_{name.replace('=', '')}_h"] = value
        fit = entry.get("acceleration_fit") or {}
        row["acceleration_n_fitted"] = fit.get("n")
        row["acceleration_n_fitted_stderr"] = fit.get("n_stderr")
        row["warnings"] = " | ".join(entry.get("warnings", []))
        rows.append(row)
    return pd.DataFrame(rows)


def _add_acceleration_fit(
    payload, results, *, stress, reference_luminance_cd_m2, acceleration_n
) -> None:
    """The fitted n (or why not) in every object; the logs are one device."""
    from core.lifetime import acceleration_fits, lifetime_at_reference_h

    device = acceleration_fits([("", r) for r in results], stress=stress)[""]
    fit = device.fit
    if fit is None:
        note = f"{device.reason} T50 at the reference uses n = {acceleration_n:g}."
        for entry in payload:
            entry["warnings"].append(note)
        return
    fit_entry = {
        "n": fit.n,
        "n_stderr": fit.n_stderr,
        "r_squared": fit.r_squared,
        "n_points": fit.n_points,
        "stress": fit.stress,
        "extrapolated_t50_used": device.extrapolated_t50_used,
    }
    for entry, result in zip(payload, results, strict=True):
        entry["acceleration_fit"] = fit_entry
        l0 = result.initial_luminance_cd_m2
        if stress == "luminance" and l0 is not None and np.isfinite(result.t50_h):
            entry["t50_at_reference_fitted_n_h"] = float(
                lifetime_at_reference_h(
                    result.t50_h, l0, reference_luminance_cd_m2, fit.n
                )
            )
        else:
            entry["t50_at_reference_fitted_n_h"] = None
            entry["warnings"].append(
                "t50_at_reference_fitted_n_h is null: it needs the initial "
                "luminance and T50 of this test, and a luminance stress."
            )


def run(args: argparse.Namespace) -> int:
    from core.io.lifetime_log import read_lifetime_logs

    logs_by_file: list[tuple[str, LifetimeLog]] = []
    for path in expand_inputs(args.files):
        data = read_input_file(path)
        logs = read_lifetime_logs(
            data,
            path,
            initial_luminance_cd_m2=args.initial_luminance,
            time_unit=args.time_unit,
        )
        logs_by_file.extend((path, log) for log in logs)
    payload = lifetime_payload(
        logs_by_file,
        reference_luminance_cd_m2=args.reference_luminance,
        acceleration_n=args.acceleration_n,
        method=args.method,
        stress=args.stress,
        l0_from_model=args.l0_from_model,
        report_beyond_cap=args.report_beyond_cap,
    )
    if args.format == "csv":
        return write_csv(lifetime_rows(payload))
    sys.stdout.write(dump_json(payload[0] if len(payload) == 1 else payload) + "\n")
    return 0
