"""
Running a stored device's analysis: from its files and settings to results.

A device's files go through the same readers as an upload
(:func:`core.report.load_devices`) and the same analyses as the Report
(:func:`core.report.analyse_device`) with the stored
:class:`~core.report.ReportSettings`. The results are stored as JSON: the
summary (:func:`core.summary.device_summary` keys), every scalar and table of
the stability, efficiency and lifetime results, and why a section could not
be computed. Arrays (difference spectra, binned decay curves) are not stored:
they are recomputed from the files.

Photophysics files (roles :data:`~core.library.records.PHOTOPHYSICS_ROLES`)
form the emitter's measurements (:func:`core.report.photophysics_inputs`:
as the stored ``"photophysics"`` settings say, else by role); their results
are stored under ``"photophysics"`` (:func:`core.report.analyse_photophysics`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence

from core.errors import InputError
from core.library.records import sha256_hex
from core.serialize import json_ready

__all__ = [
    "READER_OPTIONS",
    "settings_payload",
    "report_settings",
    "read_files",
    "analyse_files",
    "comparable",
    "changed_keys",
]

#: Reader options a device may store (as :func:`core.report.load_devices`).
READER_OPTIONS = (
    "axis_name",
    "axis_unit",
    "wavelength_grid",
    "area_cm2",
    "initial_luminance_cd_m2",
    "time_unit",
)


def settings_payload(
    settings=None,
    reader_options: Mapping | None = None,
    *,
    strict: bool = True,
    photophysics: Sequence[Mapping] | None = None,
) -> dict:
    """
    The settings stored with an analysis, as JSON.

    Parameters
    ----------
    settings : ReportSettings, mapping or None
        Analysis settings (None: the defaults). A mapping may hold the
        ReportSettings fields, or ``{"report": ..., "reader": ...}`` as stored.
    reader_options : mapping, optional
        Reader options (:data:`READER_OPTIONS`).
    strict : bool
        Refuse unknown settings (default). False drops them: settings stored
        by another version of PeLED Bench are re-read that way (a setting
        added since gets its default).
    photophysics : sequence of mapping, optional
        How the photophysics files form measurements, with their settings
        (:func:`core.report.photophysics_spec`); also accepted as the
        ``"photophysics"`` key of a ``settings`` mapping.

    Returns
    -------
    dict
        ``{"report": ReportSettings fields, "reader": reader options}`` and
        ``"photophysics"`` when given.

    Raises
    ------
    InputError
        When a setting or reader option is unknown or invalid.
    """
    if isinstance(settings, Mapping) and set(settings) <= {
        "report",
        "reader",
        "photophysics",
    }:
        reader_options = {**settings.get("reader", {}), **(reader_options or {})}
        photophysics = settings.get("photophysics", photophysics)
        settings = settings.get("report")
    report = report_settings(settings, strict=strict)
    reader = dict(reader_options or {})
    unknown = sorted(set(reader) - set(READER_OPTIONS))
    if not strict:
        reader = {k: v for k, v in reader.items() if k in READER_OPTIONS}
    elif unknown:
        raise InputError(
            f"Unknown reader option(s) {', '.join(unknown)}: expected "
            f"{', '.join(READER_OPTIONS)}."
        )
    reader = {k: v for k, v in reader.items() if v is not None}
    payload = {"report": report.to_dict(), "reader": reader}
    if photophysics:
        payload["photophysics"] = _photophysics_payload(photophysics, strict)
    return comparable(payload)


def _photophysics_payload(spec: Sequence[Mapping], strict: bool) -> list[dict]:
    """The photophysics measurements' spec, each entry checked."""
    from core.report import photophysics_spec

    return photophysics_spec(spec, strict=strict)


def report_settings(settings=None, *, strict: bool = True):
    """A :class:`~core.report.ReportSettings` from settings or their dict
    (``strict=False``: unknown keys are dropped instead of refused)."""
    from core.report import ReportSettings

    if settings is None:
        return ReportSettings()
    if isinstance(settings, ReportSettings):
        return settings
    if not isinstance(settings, Mapping):
        raise InputError(f"Analysis settings: expected a mapping, found {settings!r}.")
    known = {f.name for f in dataclasses.fields(ReportSettings)}
    unknown = sorted(set(settings) - known)
    if not strict:
        settings = {k: v for k, v in settings.items() if k in known}
    elif unknown:
        raise InputError(
            f"Unknown analysis setting(s) {', '.join(unknown)}: expected "
            f"{', '.join(sorted(known))}."
        )
    return ReportSettings(**settings)


def read_files(name: str, files: Sequence[tuple[str, str, bytes]], settings: Mapping):
    """
    Read a device's files as an upload is read.

    Parameters
    ----------
    name : str
        Device name.
    files : sequence of (name, role, bytes)
        ``role`` is ``auto``, ``spectra``, ``jvl``, ``lifetime``, a
        photophysics role (:data:`~core.library.records.PHOTOPHYSICS_ROLES`)
        or ``attachment`` (kept, not read).
    settings : mapping
        :func:`settings_payload` (its reader options and photophysics
        measurements are used).

    Returns
    -------
    device : Device
        With its photophysics measurements (``device.photophysics``).
    inputs : list of dict
        Name, kind, size and SHA-256 of each file read, in the files' order.
    roles : list of str
        What each file was read as (``auto`` resolved).

    Raises
    ------
    InputError
        When a file cannot be read as its kind.
    """
    from core.report import PHOTOPHYSICS_ROLES, load_devices, photophysics_inputs

    kept = ("attachment", *PHOTOPHYSICS_ROLES)
    read = [(n, r) for n, r, _ in files if r not in kept]
    group = {"name": name, "files": [{"name": n, "role": r} for n, r in read]}
    contents = {n: data for n, r, data in files if r not in kept}
    devices, loaded = load_devices([group], contents, settings.get("reader", {}))
    resolved = iter(record["role"] for record in loaded)
    roles = [r if r in kept else next(resolved) for _, r, _ in files]
    photophysics = photophysics_inputs(files, settings.get("photophysics"), check=True)
    device = dataclasses.replace(devices[0], photophysics=tuple(photophysics))
    records = {record["name"]: record for record in loaded}
    for record in photophysics:
        for file_name, role, data in record.files:
            records[file_name] = dict(
                sha256=sha256_hex(data),
                name=file_name,
                role=role,
                kind="file",
                size_bytes=len(data),
                sample=record.sample,
            )
    inputs = [records[n] for n, r, _ in files if r != "attachment"]
    return device, inputs, roles


def analyse_files(
    name: str, files: Sequence[tuple[str, str, bytes]], settings: Mapping
) -> tuple[list[str], dict]:
    """
    Read a device's files (:func:`read_files`) and run its analyses.

    Returns
    -------
    roles : list of str
        What each file was read as.
    results : dict
        JSON results (see the module docstring).
    """
    from core.report import analyse_device, analyse_photophysics

    device, inputs, roles = read_files(name, files, settings)
    analysis = analyse_device(device, report_settings(settings.get("report")))
    # Results do not depend on the device's name: renaming it changes nothing.
    summary = {k: v for k, v in (analysis.summary or {}).items() if k != "name"}
    results = {
        "summary": summary,
        "stability": _plain(analysis.stability),
        "efficiency": _plain(analysis.efficiency),
        "lifetime": [_plain(result) for _, result in analysis.lifetime],
        "errors": dict(analysis.errors),
        "inputs": [{k: v for k, v in i.items() if k != "device"} for i in inputs],
    }
    if device.photophysics:
        results["photophysics"] = analyse_photophysics(device.photophysics)
    return roles, comparable(results)


def _plain(value):
    """Scalars and tables of a result dataclass (arrays left out)."""
    import numpy as np
    import pandas as pd

    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if not isinstance(item, np.ndarray):
                out[f.name] = _plain(item)
        return out
    if isinstance(value, pd.DataFrame):
        return {"columns": [str(c) for c in value.columns]} | {
            "data": json_ready(value.to_dict(orient="list"))
        }
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return json_ready(value)


def comparable(value):
    """``value`` as it comes back from a JSON column (tuples as lists...)."""
    return json.loads(json.dumps(json_ready(value), allow_nan=False))


def changed_keys(old: Mapping, new: Mapping) -> tuple[str, ...]:
    """Top-level keys whose values differ between two results."""
    keys = sorted(set(old) | set(new))
    return tuple(k for k in keys if old.get(k) != new.get(k))
