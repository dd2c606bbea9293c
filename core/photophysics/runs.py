"""
One photophysics measurement from its files and settings to its results.

A :class:`core.models.PhotophysicsInput` keeps a sample's files (name, role,
bytes) and settings; :func:`analyse_input` reads the files with the readers of
:mod:`core.photophysics.io` and runs the analysis the CLI runs on the same
files. The page, the report and the device library all go through here, so a
number is the same wherever it is shown.

==========  =====================================  ===========================
kind        file roles                             analysis
==========  =====================================  ===========================
trpl        ``trpl`` (decays; an IRF curve inside  :func:`fit_decay`
            is used), ``trpl_irf`` (optional)
tdpl        ``tdpl`` (one series file, or one      :func:`tdpl_analysis`
            file per temperature)
absorption  ``absorbance`` (one file)              :func:`absorption_analysis`
plqy        ``plqy_empty``, ``plqy_in``,           :func:`plqy_de_mello`, or
            ``plqy_out`` (optional); or none and   :func:`plqy_entered`
            ``value_percent``
==========  =====================================  ===========================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from core.errors import InputError
from core.models import PhotophysicsInput
from core.photophysics.absorption import absorption_analysis
from core.photophysics.io import (
    TIME_UNITS_NS,
    read_absorbance,
    read_decay,
    read_decays,
    read_sphere,
    read_temperature_series,
    split_irf,
)
from core.photophysics.plqy import plqy_de_mello, plqy_entered
from core.photophysics.tdpl import tdpl_analysis
from core.photophysics.trpl import fit_decay

__all__ = [
    "KINDS",
    "KIND_ROLES",
    "ROLES",
    "DEFAULT_SETTINGS",
    "PhotophysicsResult",
    "kind_settings",
    "kind_of_role",
    "read_input",
    "fit_input",
    "analyse_input",
]

#: Kind -> what it is, as tables and headings name it.
KINDS = {
    "trpl": "PL decay (TRPL)",
    "tdpl": "PL against temperature",
    "absorption": "absorption edge",
    "plqy": "PLQY",
}
#: Kind -> the roles its files may have.
KIND_ROLES = {
    "trpl": ("trpl", "trpl_irf"),
    "tdpl": ("tdpl",),
    "absorption": ("absorbance",),
    "plqy": ("plqy_empty", "plqy_out", "plqy_in"),
}
#: Every role of a photophysics file.
ROLES = tuple(role for roles in KIND_ROLES.values() for role in roles)
#: Settings of each kind and their defaults (the CLI's options).
DEFAULT_SETTINGS: dict[str, dict] = {
    "trpl": {
        "components": 1,
        "tail_start_ns": None,
        "fit_range_ns": None,
        "time_unit": None,
    },
    "tdpl": {
        "temperatures_k": None,
        "model": "one",
        "wavelength_range_nm": None,
        "temperature_range_k": None,
        "phonon": False,
    },
    "absorption": {"energy_range_ev": None, "tauc": False, "tauc_range_ev": None},
    "plqy": {
        "laser_range_nm": None,
        "emission_range_nm": None,
        "value_percent": None,
        "value_stderr_percent": None,
    },
}
_RANGES = {
    "fit_range_ns": "ns",
    "wavelength_range_nm": "nm",
    "temperature_range_k": "K",
    "energy_range_ev": "eV",
    "tauc_range_ev": "eV",
    "laser_range_nm": "nm",
    "emission_range_nm": "nm",
}
_NUMBERS = ("tail_start_ns", "value_percent", "value_stderr_percent")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(
            f"Unknown photophysics kind '{kind}': expected one of {', '.join(KINDS)}."
        )


def kind_of_role(role: str) -> str:
    """The kind a file role belongs to (``"trpl_irf"`` -> ``"trpl"``)."""
    for kind, roles in KIND_ROLES.items():
        if role in roles:
            return kind
    raise InputError(
        f"Unknown photophysics file role '{role}': expected one of {', '.join(ROLES)}."
    )


def _float(key: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise InputError(f"Setting {key}: expected a number, found {value!r}.")
    return number


def _range(key: str, value) -> list[float] | None:
    if value is None:
        return None
    unit = _RANGES[key]
    try:
        low, high = (_float(key, v) for v in value)
    except (TypeError, ValueError):
        raise InputError(
            f"Setting {key}: expected two numbers LOW, HIGH in {unit}, found {value!r}."
        ) from None
    if not high > low:
        raise InputError(
            f"Setting {key}: expected LOW < HIGH in {unit}, found {low:g}, {high:g}."
        )
    return [low, high]


def _choice(key: str, value, choices) -> object:
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        raise InputError(f"Setting {key}: expected one of {allowed}, found {value!r}.")
    return value


def _value(key: str, value):
    """One setting checked and in its JSON form."""
    if key in _RANGES:
        return _range(key, value)
    if value is None:
        return None
    if key in _NUMBERS:
        return _float(key, value)
    if key == "components":
        return int(_choice(key, _float(key, value), (1, 2, 3)))  # type: ignore[call-overload]
    if key == "model":
        return _choice(key, value, ("one", "two"))
    if key == "time_unit":
        return _choice(key, value, tuple(TIME_UNITS_NS))
    if key in ("phonon", "tauc"):
        return bool(value)
    if key == "temperatures_k":
        values = [_float(key, v) for v in value]
        return values or None
    raise AssertionError(key)  # pragma: no cover - every default key is handled


def kind_settings(kind: str, settings: Mapping | None = None, *, strict=True) -> dict:
    """
    The settings of a measurement: the defaults of its kind updated by
    ``settings``, each checked and in JSON form (ranges as ``[low, high]``).

    Parameters
    ----------
    kind : str
        A key of :data:`KINDS`.
    settings : mapping, optional
        Keys of :data:`DEFAULT_SETTINGS` ``[kind]``; None values keep "automatic".
    strict : bool
        Refuse unknown keys (default); False drops them (settings stored by
        another version).

    Raises
    ------
    InputError
        An unknown kind or key, or a value of the wrong form.
    """
    _check_kind(kind)
    given = dict(settings or {})
    defaults = DEFAULT_SETTINGS[kind]
    unknown = sorted(set(given) - set(defaults))
    if unknown and strict:
        raise InputError(
            f"Unknown {kind} setting(s) {', '.join(unknown)}: expected "
            f"{', '.join(defaults)}."
        )
    return {
        key: _value(key, given.get(key, default)) for key, default in defaults.items()
    }


@dataclass(frozen=True)
class PhotophysicsResult:
    """
    A measurement analysed.

    Attributes
    ----------
    kind, sample : str
    labels : tuple of str
        One per result (a decay file may hold several decays).
    results : tuple
        :class:`DecayFit` (one per decay), or one :class:`TDPLResult`,
        :class:`AbsorptionResult` or :class:`PLQYResult`.
    data : tuple
        What was read, aligned with ``results``: :class:`DecayCurve`,
        :class:`SpectralSeries`, :class:`AbsorbanceSpectrum`,
        :class:`SphereMeasurement` (None for a PLQY entered by hand).
    settings : dict
        As used (:func:`kind_settings`).
    synthetic : bool
    """

    kind: str
    sample: str
    labels: tuple[str, ...]
    results: tuple
    data: tuple
    settings: dict = field(default_factory=dict)
    synthetic: bool = False

    def summaries(self) -> list[dict]:
        """The CLI's JSON object of each result (keys in docs/architecture.md)."""
        return [result.summary() for result in self.results]


def _files(record: PhotophysicsInput, role: str) -> list[tuple[str, bytes]]:
    return [(name, data) for name, r, data in record.files if r == role]


def _check_roles(record: PhotophysicsInput) -> None:
    _check_kind(record.kind)
    allowed = KIND_ROLES[record.kind]
    for name, role, _ in record.files:
        if role not in allowed:
            raise InputError(
                f"{name}: a '{role}' file cannot be part of the {record.kind} "
                f"measurement '{record.sample}'; expected {', '.join(allowed)}."
            )


def _one(record: PhotophysicsInput, role: str, *, required: bool = True):
    files = _files(record, role)
    if len(files) > 1:
        raise InputError(
            f"{record.sample}: {len(files)} '{role}' files "
            f"({', '.join(n for n, _ in files)}); expected one."
        )
    if not files and required:
        raise InputError(f"{record.sample}: expected a '{role}' file, found none.")
    return files[0] if files else None


def _read_trpl(record: PhotophysicsInput, settings: dict) -> tuple:
    """((label, curve, irf), ...) of every decay of the record's files."""
    unit = settings["time_unit"]
    given = _one(record, "trpl_irf", required=False)
    irf_given = read_decay(given[1], given[0], time_unit=unit) if given else None
    pairs: list[tuple] = []
    for name, data in _files(record, "trpl"):
        curves = read_decays(data, name, time_unit=unit)
        decays, in_file = split_irf(curves)
        irf = irf_given if irf_given is not None else in_file
        pairs.extend((curve, irf) for curve in (decays or curves))
    if not pairs:
        raise InputError(f"{record.sample}: expected a decay file, found none.")
    out = []
    for curve, irf in pairs:
        label = record.sample if len(pairs) == 1 else f"{record.sample}: {curve.label}"
        out.append((label, replace(curve, label=label), irf))
    return tuple(out)


def read_input(record: PhotophysicsInput) -> tuple:
    """
    Read a measurement's files (nothing is fitted).

    Returns
    -------
    tuple
        trpl: ``((label, DecayCurve, IRF or None), ...)``; tdpl: ``(series,)``;
        absorption: ``(spectrum,)``; plqy: ``(SphereMeasurement or None,)``.

    Raises
    ------
    InputError
        A file of a role its kind does not have, a missing or repeated file,
        a file its reader refuses, or invalid settings.
    """
    _check_roles(record)
    settings = kind_settings(record.kind, record.settings)
    if record.kind == "trpl":
        return _read_trpl(record, settings)
    if record.kind == "tdpl":
        files = _files(record, "tdpl")
        if not files:
            raise InputError(f"{record.sample}: expected PL spectra, found no file.")
        series = read_temperature_series(files, settings["temperatures_k"])
        return (replace(series, label=record.sample),)
    if record.kind == "absorption":
        name, data = _one(record, "absorbance")
        return (replace(read_absorbance(data, name), label=record.sample),)
    if not record.files:
        if settings["value_percent"] is None:
            raise InputError(
                f"{record.sample}: expected sphere spectra (empty sphere and sample "
                "in the beam) or a PLQY entered by hand, found neither."
            )
        return (None,)
    empty, in_beam = _one(record, "plqy_empty"), _one(record, "plqy_in")
    out = _one(record, "plqy_out", required=False)
    return (read_sphere(empty, in_beam, out, label=record.sample),)


def fit_input(record: PhotophysicsInput, data: tuple) -> PhotophysicsResult:
    """Analyse what :func:`read_input` read, with the record's settings."""
    s = kind_settings(record.kind, record.settings)
    kind, sample = record.kind, record.sample

    def pair(key: str):
        return tuple(s[key]) if s[key] is not None else None

    if kind == "trpl":
        labels = tuple(label for label, _, _ in data)
        curves = tuple(curve for _, curve, _ in data)
        results: tuple = tuple(
            fit_decay(
                curve,
                irf=irf,
                n_components=s["components"],
                tail_start_ns=s["tail_start_ns"],
                fit_range_ns=pair("fit_range_ns"),
            )
            for _, curve, irf in data
        )
        return PhotophysicsResult(
            kind, sample, labels, results, curves, s, record.synthetic
        )
    result: object
    if kind == "tdpl":
        result = tdpl_analysis(
            data[0],
            wavelength_range_nm=pair("wavelength_range_nm"),
            temperature_range_k=pair("temperature_range_k"),
            model=s["model"],
            phonon=s["phonon"],
        )
    elif kind == "absorption":
        result = absorption_analysis(
            data[0],
            energy_range_ev=pair("energy_range_ev"),
            tauc=s["tauc"],
            tauc_range_ev=pair("tauc_range_ev"),
        )
    elif data[0] is None:
        stderr = s["value_stderr_percent"]
        result = plqy_entered(
            s["value_percent"], math.nan if stderr is None else stderr, label=sample
        )
    else:
        result = plqy_de_mello(
            data[0],
            laser_range_nm=pair("laser_range_nm"),
            emission_range_nm=pair("emission_range_nm"),
        )
    return PhotophysicsResult(
        kind, sample, (sample,), (result,), data, s, record.synthetic
    )


def analyse_input(record: PhotophysicsInput) -> PhotophysicsResult:
    """
    Read and analyse one measurement (:func:`read_input`, :func:`fit_input`).

    Raises
    ------
    InputError
        As the reader or the analysis of its kind.
    """
    return fit_input(record, read_input(record))
