"""
The emitter's photophysics in the report and in the device library.

A device's :attr:`~core.models.Device.photophysics` measurements (files and
settings) are analysed with :func:`core.photophysics.runs.analyse_input`, the
path of the Photophysics page: the report's table (τ_amp, τ_int, E_B, E_U,
PLQY with their 1σ) and figures (decays with their fits, Arrhenius plot) show
the page's numbers. The section is added to a report only when a device has
such data.

For the library, :func:`photophysics_inputs` groups a stored device's files by
their roles into measurements (with the stored settings, or by default) and
:func:`analyse_photophysics` gives their results as JSON (the CLI's keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

import pandas as pd

from core.errors import InputError
from core.figures import photophysics as figures
from core.figures.provenance import file_record
from core.figures.theme import device_color_scale
from core.models import Device, PhotophysicsInput
from core.photophysics.runs import (
    KIND_ROLES,
    KINDS,
    ROLES,
    PhotophysicsResult,
    analyse_input,
    fit_input,
    kind_of_role,
    kind_settings,
    read_input,
)
from core.serialize import json_ready

__all__ = [
    "PHOTOPHYSICS_KEY",
    "PHOTOPHYSICS_TITLE",
    "PHOTOPHYSICS_ROLES",
    "photophysics_results",
    "photophysics_table",
    "photophysics_file_records",
    "recipe_decay",
    "recipe_arrhenius",
    "photophysics_spec",
    "photophysics_inputs",
    "analyse_photophysics",
]

PHOTOPHYSICS_KEY = "photophysics"
PHOTOPHYSICS_TITLE = "Photophysics of the emitter"
#: Roles of photophysics files (as the library stores them).
PHOTOPHYSICS_ROLES = ROLES

_Pair = tuple[str, PhotophysicsResult]


def photophysics_results(devices: Iterable[Device]) -> tuple[list[_Pair], list[str]]:
    """
    ``(device name, result)`` of every photophysics measurement of the
    devices, and why any could not be analysed.
    """
    pairs, errors = [], []
    for device in devices:
        for record in device.photophysics:
            try:
                pairs.append((device.name, analyse_input(record)))
            except (InputError, ValueError) as error:
                errors.append(f"{device.name}, {record.sample}: {error}")
    return pairs, errors


def _labels(pairs: Sequence[_Pair]) -> dict[tuple[str, str], str]:
    """(device, result label) -> the label shown (the device's name is added
    when two devices hold samples of the same name)."""
    keys = [(device, label) for device, r in pairs for label in r.labels]
    owners: dict[str, set] = {}
    for device, label in keys:
        owners.setdefault(label, set()).add(device)
    return {
        (device, label): label if len(owners[label]) == 1 else f"{device}: {label}"
        for device, label in keys
    }


_COLUMNS = {
    "trpl": (
        ("τ_amp [ns]", "tau_amplitude_weighted_ns"),
        ("σ(τ_amp) [ns]", "tau_amplitude_weighted_stderr_ns"),
        ("τ_int [ns]", "tau_intensity_weighted_ns"),
        ("σ(τ_int) [ns]", "tau_intensity_weighted_stderr_ns"),
    ),
    "tdpl": (
        ("E_B [meV]", "binding_energy_mev"),
        ("σ(E_B) [meV]", "binding_energy_stderr_mev"),
    ),
    "absorption": (
        ("E_U [meV]", "urbach_energy_mev"),
        ("σ(E_U) [meV]", "urbach_energy_stderr_mev"),
    ),
    "plqy": (
        ("PLQY [%]", "plqy_percent"),
        ("σ(PLQY) [%]", "plqy_stderr_percent"),
    ),
}


def photophysics_table(pairs: Sequence[_Pair]) -> pd.DataFrame:
    """
    One row per device and sample: τ_amp, τ_int [ns], E_B, E_U [meV] and
    PLQY [%], each with its 1σ (columns no sample has are left out; NaN
    where a sample lacks that measurement).
    """
    rows: dict[tuple[str, str], dict] = {}
    for device, result in pairs:
        for label, item in zip(result.labels, result.results, strict=True):
            row = rows.setdefault((device, label), {"device": device, "sample": label})
            summary = item.summary()
            for column, key in _COLUMNS[result.kind]:
                value = summary.get(key)
                row[column] = float("nan") if value is None else value
    columns = ["device", "sample"] + [c for cs in _COLUMNS.values() for c, _ in cs]
    frame = pd.DataFrame(list(rows.values()))
    return frame.reindex(columns=[c for c in columns if c in frame.columns])


def photophysics_file_records(devices: Iterable[Device]) -> list[dict]:
    """Provenance records (name, role, SHA-256) of the devices' photophysics files."""
    return [
        dict(file_record(data, name, role), device=device.name, sample=record.sample)
        for device in devices
        for record in device.photophysics
        for name, role, data in record.files
    ]


def _of_kind(ctx, kind: str) -> tuple[list[_Pair], dict]:
    pairs = [
        pair
        for pair in photophysics_results(a.device for a in ctx.analyses)[0]
        if pair[1].kind == kind
    ]
    if not pairs:
        raise InputError(f"No device has a {KINDS[kind]} measurement.")
    return pairs, _labels(pairs)


def recipe_decay(ctx, params: Mapping):
    """Report recipe: every PL decay with its fit and residuals."""
    pairs, labels = _of_kind(ctx, "trpl")
    items = [
        (labels[device, label], curve, fit)
        for device, r in pairs
        for label, fit, curve in zip(r.labels, r.results, r.data, strict=True)
    ]
    frame = figures.decay_frame(items, most=400)
    scale = device_color_scale([name for name, _, _ in items])
    chart = figures.decay_chart(frame, color_scale=scale)
    return chart, frame, "core.figures.photophysics.decay_chart"


def recipe_arrhenius(ctx, params: Mapping):
    """Report recipe: ln(integrated PL) against 1000/T with the fits."""
    pairs, labels = _of_kind(ctx, "tdpl")
    items = [(labels[device, r.labels[0]], r.results[0]) for device, r in pairs]
    frame = figures.arrhenius_frame(items)
    scale = device_color_scale([name for name, _ in items])
    chart = figures.arrhenius_chart(frame, color_scale=scale)
    return chart, frame, "core.figures.photophysics.arrhenius_chart"


# --- the device library ------------------------------------------------------------


def _entry(entry) -> tuple[str, str, list[str], Mapping | None, bool]:
    if isinstance(entry, PhotophysicsInput):
        names = [name for name, _, _ in entry.files]
        return entry.kind, entry.sample, names, entry.settings, entry.synthetic
    files = entry.get("files", []) if isinstance(entry, Mapping) else None
    if not isinstance(files, (list, tuple)):
        raise InputError(
            "Photophysics settings: expected entries with 'kind', 'sample', "
            f"'files' (a list of file names) and 'settings', found {entry!r}."
        )
    kind = str(entry.get("kind", ""))
    sample = str(entry.get("sample") or kind)
    synthetic = bool(entry.get("synthetic", False))
    return kind, sample, [str(n) for n in files], entry.get("settings"), synthetic


def photophysics_spec(entries: Iterable, *, strict: bool = True) -> list[dict]:
    """
    How a device's photophysics files form measurements, as JSON: one
    ``{"kind", "sample", "files": [names], "settings", "synthetic"}`` per
    :class:`~core.models.PhotophysicsInput` or mapping of that form (stored
    with the library's settings; :func:`photophysics_inputs` reads it).

    Raises
    ------
    InputError
        An entry of another form, an unknown kind or an invalid setting
        (``strict=False``: unknown settings are dropped).
    """
    out = []
    for entry in entries:
        kind, sample, files, settings, synthetic = _entry(entry)
        checked = kind_settings(kind, settings, strict=strict)
        out.append(
            json_ready(
                {
                    "kind": kind,
                    "sample": sample,
                    "files": files,
                    "settings": checked,
                    "synthetic": synthetic,
                }
            )
        )
    return out


def _stem(file: tuple[str, str, bytes]) -> str:
    return PurePath(file[0]).stem or file[0]


def _default_groups(files: Sequence[tuple[str, str, bytes]]) -> list[PhotophysicsInput]:
    """Measurements from roles alone: one per decay or absorbance file, one
    temperature series, one sphere measurement."""
    by_role: dict[str, list] = {role: [] for role in ROLES}
    for name, role, data in files:
        by_role[role].append((name, role, data))
    irfs = by_role["trpl_irf"]
    if len(irfs) > 1:
        raise InputError(
            f"{len(irfs)} IRF files ({', '.join(n for n, _, _ in irfs)}): say which "
            "decay each belongs to (photophysics settings), or keep one."
        )
    records = [PhotophysicsInput("trpl", _stem(f), (f, *irfs)) for f in by_role["trpl"]]
    records += [
        PhotophysicsInput("absorption", _stem(f), (f,)) for f in by_role["absorbance"]
    ]
    for kind in ("tdpl", "plqy"):
        group = [f for role in KIND_ROLES[kind] for f in by_role[role]]
        if group:
            main = next((f for f in group if f[1] in ("tdpl", "plqy_in")), group[0])
            records.append(PhotophysicsInput(kind, _stem(main), tuple(group)))
    return records


def photophysics_inputs(
    files: Sequence[tuple[str, str, bytes]],
    spec: Sequence[Mapping] | None = None,
    *,
    check: bool = False,
) -> list[PhotophysicsInput]:
    """
    A stored device's photophysics measurements.

    Parameters
    ----------
    files : sequence of (name, role, bytes)
        The device's files; those whose role is not a photophysics role are
        left out.
    spec : sequence of mapping, optional
        :func:`photophysics_spec` as stored; files it does not name are
        grouped by :func:`_default_groups`.
    check : bool
        Also read every file with its reader (nothing is fitted), so that a
        file a reader refuses raises here.

    Raises
    ------
    InputError
        A spec naming a file the device does not have, or with a role its kind
        does not take; an invalid setting; with ``check``, a file its reader
        refuses.
    """
    ours = [f for f in files if f[1] in ROLES]
    by_name = {f[0]: f for f in ours}
    records, used = [], set()
    for entry in spec or ():
        kind = str(entry.get("kind", ""))
        named = []
        for name in entry.get("files", ()):
            if name not in by_name:
                raise InputError(
                    f"Photophysics sample '{entry.get('sample')}': no file '{name}' "
                    "among the device's photophysics files."
                )
            if kind_of_role(by_name[name][1]) != kind:
                raise InputError(
                    f"{name}: a '{by_name[name][1]}' file in a {kind} measurement."
                )
            named.append(by_name[name])
            used.add(name)
        records.append(
            PhotophysicsInput(
                kind,
                str(entry.get("sample") or kind),
                tuple(named),
                kind_settings(kind, entry.get("settings"), strict=False),
                bool(entry.get("synthetic", False)),
            )
        )
    records += _default_groups([f for f in ours if f[0] not in used])
    if check:
        for record in records:
            read_input(record)
    return records


def analyse_photophysics(records: Sequence[PhotophysicsInput]) -> list[dict]:
    """
    Results of each measurement as JSON: ``{"kind", "sample", "files",
    "settings", "results": [the CLI's object per result]}``, or ``"error"``
    instead of ``"results"`` when the analysis failed.

    Raises
    ------
    InputError
        A file its reader refuses (reading comes first, so that the library
        saves nothing then).
    """
    read = [(record, read_input(record)) for record in records]
    out = []
    for record, data in read:
        entry = {
            "kind": record.kind,
            "sample": record.sample,
            "files": [name for name, _, _ in record.files],
            "settings": kind_settings(record.kind, record.settings),
        }
        try:
            entry["results"] = fit_input(record, data).summaries()
        except (InputError, ValueError) as error:
            entry["error"] = str(error)
        out.append(entry)
    return json_ready(out)
