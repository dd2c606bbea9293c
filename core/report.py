"""
The device report: every analysis of the session's devices in one file.

:func:`build_report` analyses each device (spectral stability, efficiency,
lifetime, literature position), builds a side-by-side metrics table with the
differences from a reference device (the control), and the report's figures
through named *recipes*. :func:`report_html` writes one self-contained HTML
file (figures inline as SVG, tables, no script and no network reference),
:func:`report_pdf` an A4 PDF of the same content, and :func:`report_files`
every figure (SVG, PDF, PNG, CSV, provenance sidecar) and table beside them.
A section whose data or module is missing says so instead of failing.

Figures of a report built from files can be rebuilt from their provenance
sidecar and the same files (:func:`rebuild_figure`): same inputs, same
settings, same SVG bytes.

References
----------
M. Anaya et al., "Best practices for measuring emerging light-emitting diode
technologies," Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.
"""

from __future__ import annotations

import html
import importlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import PurePath

import numpy as np
import pandas as pd

import core
from core.errors import InputError
from core.figures.export import chart_data_csv, chart_spec, spec_to_bytes
from core.figures.provenance import (
    device_records,
    figure_provenance,
    file_record,
    provenance_json,
    spec_sha256,
)
from core.figures.theme import PRESETS, device_color_scale, themed
from core.models import Device, SpectralSeries

__all__ = [
    "SECTIONS",
    "FILE_ROLES",
    "ReportSettings",
    "DeviceAnalysis",
    "ReportFigure",
    "ReportTable",
    "ReportSection",
    "Report",
    "RECIPES",
    "load_devices",
    "analyse_device",
    "metrics_table",
    "build_figure",
    "build_report",
    "report_html",
    "report_pdf",
    "report_page_svgs",
    "render_report",
    "report_files",
    "rebuild_figure",
]

#: Report sections, in order: key -> title.
SECTIONS = {
    "devices": "Devices side by side",
    "stability": "Spectral stability",
    "efficiency": "Efficiency",
    "lifetime": "Operational lifetime",
    "literature": "Literature position",
}
#: What an input file can be read as.
FILE_ROLES = ("spectra", "jvl", "lifetime", "auto")
#: At most this many devices get a literature chart each.
MAX_LITERATURE_CHARTS = 4


@dataclass(frozen=True)
class ReportSettings:
    """
    Every choice that shapes the report's numbers and figures.

    Attributes
    ----------
    preset : str
        Figure size, a key of :data:`core.figures.theme.PRESETS`.
    ppi : int
        PNG resolution. [dpi]
    reference_device : str
        Device the differences are taken from ("" = the first device).
    series : {"time", "bias"}
        Which spectral series the stability section uses first.
    threshold_nm, window_k, baseline, white_point
        As in :func:`core.stability.series_stability`. [nm], [-]
    turn_on_luminance_cd_m2 : float
        Turn-on threshold for :func:`core.efficiency.efficiency_metrics`.
        [cd/m²]
    reference_luminance_cd_m2, acceleration_n, decay_model
        As in :func:`core.lifetime.lifetime_metrics`. [cd/m²], [-]
    """

    preset: str = "acs-single"
    ppi: int = 300
    reference_device: str = ""
    series: str = "time"
    threshold_nm: float = 1.0
    window_k: float = 2.0
    baseline: str = "edges"
    white_point: str = "E"
    turn_on_luminance_cd_m2: float = 1.0
    reference_luminance_cd_m2: float = 100.0
    acceleration_n: float = 1.8
    decay_model: str = "stretched-exponential"

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise InputError(
                f"Unknown figure preset '{self.preset}': expected one of "
                f"{', '.join(PRESETS)}."
            )
        if self.series not in ("time", "bias"):
            raise InputError(
                f"Spectral series must be 'time' or 'bias', found '{self.series}'."
            )
        if not (isinstance(self.ppi, (int, np.integer)) and 50 <= self.ppi <= 2400):
            raise InputError(
                f"PNG resolution must be a whole number of dpi between 50 and "
                f"2400, found {self.ppi!r}."
            )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DeviceAnalysis:
    """
    The analyses of one device (each None when the data or module is missing).

    ``errors`` maps a section key to why it could not be computed.
    """

    device: Device
    series: SpectralSeries | None = None
    stability: object | None = None
    efficiency: object | None = None
    lifetime: tuple = ()
    lifetime_main: object | None = None
    rank: pd.DataFrame | None = None
    summary: dict | None = None
    errors: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportFigure:
    """
    One figure of the report.

    ``chart`` is themed with the report's preset, ``source_chart`` is the
    builder's un-themed chart (for other presets), ``svg`` the rendered
    figure once :func:`render_report` (or ``build_report(render=True)``) ran.
    """

    key: str
    title: str
    caption: str
    chart: object
    data: pd.DataFrame | None
    builder: str
    recipe: dict
    svg: str = ""
    source_chart: object = None


@dataclass(frozen=True)
class ReportTable:
    """One table with its file name and caption."""

    key: str
    title: str
    frame: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class ReportSection:
    """
    One section; ``status`` is ``"ok"``, ``"missing"`` (no data or module) or
    ``"error"`` (the analysis failed), with ``message`` saying why.
    """

    key: str
    title: str
    status: str
    message: str = ""
    figures: tuple[ReportFigure, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything a report file shows, rendered once."""

    title: str
    created_utc: str
    version: str
    settings: ReportSettings
    device_names: tuple[str, ...]
    synthetic: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    inputs: tuple[dict, ...]
    groups: tuple[dict, ...] = ()
    reader_options: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def section(self, key: str) -> ReportSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def figures(self) -> list[ReportFigure]:
        return [figure for section in self.sections for figure in section.figures]

    @property
    def tables(self) -> list[ReportTable]:
        return [table for section in self.sections for table in section.tables]


# --------------------------------------------------------------------------
# Reading files into devices (the CLI and rebuilds)
# --------------------------------------------------------------------------


def _stem(name: str) -> str:
    return PurePath(name).stem


def _read(role: str, data: bytes, name: str, options: Mapping):
    if role == "spectra":
        from core.io.spectra import read_spectral_series, wavelength_grid

        grid = options.get("wavelength_grid")
        wavelength_nm = wavelength_grid(*(float(v) for v in grid)) if grid else None
        return read_spectral_series(
            data,
            name,
            axis_name=options.get("axis_name"),
            axis_unit=options.get("axis_unit"),
            wavelength_nm=wavelength_nm,
        )
    if role == "jvl":
        from core.io.jvl import read_jvl

        return read_jvl(data, name, area_cm2=options.get("area_cm2"))
    if role == "lifetime":
        from core.io.lifetime_log import read_lifetime_logs

        return read_lifetime_logs(
            data,
            name,
            initial_luminance_cd_m2=options.get("initial_luminance_cd_m2"),
            time_unit=options.get("time_unit"),
        )
    raise InputError(
        f"{name}: unknown file kind '{role}'; expected one of {', '.join(FILE_ROLES)}."
    )


def _sniff(data: bytes, name: str, options: Mapping) -> tuple[str, object]:
    """Classify a file by the first reader that accepts it."""
    reasons = []
    # A lifetime log needs a time column, a J-V-L sweep voltage, current and
    # luminance columns; spectra come last because almost any table of
    # numbers can be read as spectra.
    for role in ("lifetime", "jvl", "spectra"):
        try:
            return role, _read(role, data, name, options)
        except InputError as error:
            reasons.append(f"as {role}: {error}")
    raise InputError(
        f"{name}: not recognised as a lifetime log, a J-V-L sweep or EL spectra. "
        "Name its kind with --lifetime, --jvl or --spectra. " + " ".join(reasons)
    )


def load_devices(
    groups: Sequence[Mapping],
    files: Mapping[str, bytes],
    options: Mapping | None = None,
) -> tuple[list[Device], list[dict]]:
    """
    Read files into devices.

    Parameters
    ----------
    groups : sequence of mapping
        One per device: ``{"name": str, "files": [{"name": str, "role":
        "spectra" | "jvl" | "lifetime" | "auto"}, ...]}``. ``"auto"`` tries the
        lifetime, J-V-L and spectra readers in that order.
    files : mapping of str to bytes
        File name -> content.
    options : mapping, optional
        Reader options: ``axis_name``, ``axis_unit``, ``wavelength_grid``
        (first, last, step [nm] for headerless matrices) (spectra), ``area_cm2``
        (J-V-L), ``initial_luminance_cd_m2``, ``time_unit`` (lifetime).

    Returns
    -------
    devices : list of Device
    inputs : list of dict
        :func:`core.figures.provenance.file_record` of each file with its
        ``device`` and the ``role`` it was read as.

    Raises
    ------
    InputError
        When a file is missing, cannot be read, or two spectral series of one
        device are on the same axis.
    """
    options = dict(options or {})
    devices: list[Device] = []
    inputs: list[dict] = []
    for number, group in enumerate(groups, start=1):
        name = str(group.get("name") or f"device {number}")
        fields: dict = {"jvl": [], "lifetime": []}
        for entry in group.get("files", ()):
            file_name = entry["name"]
            if file_name not in files:
                raise InputError(f"{file_name}: no such file was given.")
            data = files[file_name]
            role = entry.get("role", "auto")
            if role == "auto":
                role, value = _sniff(data, file_name, options)
            else:
                value = _read(role, data, file_name, options)
            inputs.append(dict(file_record(data, file_name, role), device=name))
            if role == "jvl":
                fields["jvl"].append(value)
            elif role == "lifetime":
                fields["lifetime"].extend(value)
            else:
                slot = (
                    "spectra_time"
                    if value.axis_name in ("time", "index")
                    else "spectra_bias"
                )
                if slot in fields:
                    raise InputError(
                        f"{file_name}: device '{name}' already has a spectral "
                        f"series over {value.axis_name.replace('_', ' ')}; give "
                        "each series its own device."
                    )
                fields[slot] = value
        devices.append(
            Device(
                name=name,
                spectra_time=fields.get("spectra_time"),
                spectra_bias=fields.get("spectra_bias"),
                jvl=tuple(fields["jvl"]),
                lifetime=tuple(fields["lifetime"]),
            )
        )
    names = [device.name for device in devices]
    if len(set(names)) != len(names):
        raise InputError(f"Device names must differ, found {names}.")
    return devices, inputs


# --------------------------------------------------------------------------
# Analysis of one device
# --------------------------------------------------------------------------


def _module(name: str):
    """Import an analysis module; None when it does not exist (yet)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise


def _main_series(device: Device, settings: ReportSettings) -> SpectralSeries | None:
    order = (
        (device.spectra_time, device.spectra_bias)
        if settings.series == "time"
        else (device.spectra_bias, device.spectra_time)
    )
    return next((series for series in order if series is not None), None)


def _main_lifetime(results: Sequence, reference_cd_m2: float):
    """The test whose L0 is closest (in log) to the reference luminance."""
    if not results:
        return None

    def distance(result) -> float:
        l0 = result.initial_luminance_cd_m2
        if l0 is None or not l0 > 0:
            return math.inf
        return abs(math.log(l0 / reference_cd_m2))

    return min(results, key=distance)


def _rank_inputs(analysis: DeviceAnalysis) -> dict:
    """The device's figures for the literature ranking (literature column names)."""
    if analysis.summary is not None:
        return {k: v for k, v in analysis.summary.items() if v is not None}
    metrics: dict = {}
    if analysis.efficiency is not None:
        metrics["eqe_max_percent"] = analysis.efficiency.eqe_max_percent
        metrics["luminance_max_cd_m2"] = analysis.efficiency.luminance_max_cd_m2
    if analysis.stability is not None:
        first = analysis.stability.metrics.iloc[0]
        metrics["cie_x"] = float(first["cie_x"])
        metrics["cie_y"] = float(first["cie_y"])
        metrics["el_peak_nm"] = float(first["peak_nm"])
    result = analysis.lifetime_main
    if result is not None:
        if result.reference is not None and np.isfinite(result.reference.value_h):
            metrics["t50_at_reference_h"] = result.reference.value_h
        elif result.initial_luminance_cd_m2 is not None:
            metrics["t50_h"] = result.t50_h
            metrics["t50_initial_luminance_cd_m2"] = result.initial_luminance_cd_m2
    return {k: v for k, v in metrics.items() if v is not None}


def analyse_device(
    device: Device,
    settings: ReportSettings = ReportSettings(),
    literature_table: pd.DataFrame | None = None,
) -> DeviceAnalysis:
    """
    Every analysis of one device that its data allow.

    Parameters
    ----------
    device : Device
    settings : ReportSettings
    literature_table : pandas.DataFrame, optional
        Typed literature table for the ranking (none: no ranking).

    Returns
    -------
    DeviceAnalysis
        A section the device has no data for is None; an analysis that raised
        is None with the reason in ``errors``.
    """
    errors: dict[str, str] = {}
    values: dict = {}
    series = _main_series(device, settings)
    values["series"] = series
    if series is not None:
        stability = _module("core.stability")
        try:
            values["stability"] = stability.series_stability(
                series,
                threshold_nm=settings.threshold_nm,
                window_k=settings.window_k,
                baseline=settings.baseline,
                white_point=settings.white_point,
            )
        except (InputError, ValueError) as error:
            errors["stability"] = str(error)
    if device.jvl:
        efficiency = _module("core.efficiency")
        if efficiency is None:
            errors["efficiency"] = "the efficiency module is not installed."
        else:
            summary = _module("core.summary")
            if summary is not None:  # the Efficiency page's choice of spectrum
                spectrum = summary.efficiency_spectrum(device, device.jvl[0])
            else:
                spectrum = device.jvl[0].spectrum or device.spectra_bias
                spectrum = spectrum or device.spectra_time
            try:
                values["efficiency"] = efficiency.efficiency_metrics(
                    device.jvl[0],
                    spectrum,
                    turn_on_luminance_cd_m2=settings.turn_on_luminance_cd_m2,
                )
            except (InputError, ValueError) as error:
                errors["efficiency"] = str(error)
    if device.lifetime:
        lifetime = _module("core.lifetime")
        if lifetime is None or not hasattr(lifetime, "lifetime_metrics"):
            errors["lifetime"] = "the lifetime module is not installed."
        else:
            pairs = []
            for log in device.lifetime:
                try:
                    result = lifetime.lifetime_metrics(
                        log,
                        method=settings.decay_model,
                        reference_luminance_cd_m2=settings.reference_luminance_cd_m2,
                        acceleration_n=settings.acceleration_n,
                    )
                except (InputError, ValueError) as error:
                    errors["lifetime"] = f"{log.label or log.source}: {error}"
                else:
                    pairs.append((log, result))
            values["lifetime"] = tuple(pairs)
            values["lifetime_main"] = _main_lifetime(
                [result for _, result in pairs], settings.reference_luminance_cd_m2
            )
    summary = _module("core.summary")
    if summary is not None and literature_table is not None:
        # The Literature page ranks a device with these same numbers.
        try:
            values["summary"] = summary.device_summary(
                device,
                reference_luminance_cd_m2=settings.reference_luminance_cd_m2,
                acceleration_n=settings.acceleration_n,
                white_point=settings.white_point,
            )
        except (InputError, ValueError) as error:
            errors["literature"] = str(error)
    analysis = DeviceAnalysis(device=device, errors=errors, **values)
    if literature_table is not None:
        metrics = _rank_inputs(analysis)
        if metrics:
            literature = _module("core.literature")
            try:
                rank = literature.rank_device(
                    metrics,
                    literature_table,
                    settings.reference_luminance_cd_m2,
                    settings.acceleration_n,
                )
                analysis = replace(analysis, rank=rank)
            except (InputError, ValueError) as error:
                errors["literature"] = str(error)
    return analysis


# --------------------------------------------------------------------------
# The side-by-side metrics table
# --------------------------------------------------------------------------

# (section, metric label, unit, getter) for the comparison table.
_Getter = Callable[[DeviceAnalysis], object]


def _first(column: str) -> _Getter:
    def get(a: DeviceAnalysis):
        return None if a.stability is None else a.stability.metrics[column].iloc[0]

    return get


def _stab(name: str) -> _Getter:
    return lambda a: None if a.stability is None else getattr(a.stability, name)


def _eff(name: str) -> _Getter:
    return lambda a: None if a.efficiency is None else getattr(a.efficiency, name)


def _life(name: str) -> _Getter:
    return lambda a: None if a.lifetime_main is None else getattr(a.lifetime_main, name)


def _outside_percent(a: DeviceAnalysis):
    if a.stability is None:
        return None
    return 100.0 * a.stability.max_outside_fraction


def _t50_reference(a: DeviceAnalysis):
    result = a.lifetime_main
    if result is None or result.reference is None:
        return None
    return result.reference.value_h


def _percentile(metric: str) -> _Getter:
    def get(a: DeviceAnalysis):
        if a.rank is None:
            return None
        rows = a.rank.loc[a.rank["metric"] == metric, "percentile"]
        return None if rows.empty or pd.isna(rows.iloc[0]) else float(rows.iloc[0])

    return get


def _series_axis(a: DeviceAnalysis):
    return None if a.series is None else a.series.axis_label


def _metric_rows(settings: ReportSettings) -> list[tuple[str, str, str, _Getter]]:
    ref = f"{settings.reference_luminance_cd_m2:g}"
    return [
        ("stability", "spectral series", "", _series_axis),
        ("stability", "EL peak (first spectrum)", "nm", _first("peak_nm")),
        ("stability", "FWHM (first spectrum)", "nm", _first("fwhm_nm")),
        ("stability", "CIE x (first spectrum)", "", _first("cie_x")),
        ("stability", "CIE y (first spectrum)", "", _first("cie_y")),
        (
            "stability",
            f"dominant wavelength (white point {settings.white_point})",
            "nm",
            _first("dominant_nm"),
        ),
        ("stability", "peak shift, last − first", "nm", _stab("peak_shift_nm")),
        ("stability", "max |peak shift|", "nm", _stab("max_abs_peak_shift_nm")),
        ("stability", "FWHM change, last − first", "nm", _stab("fwhm_change_nm")),
        ("stability", "max Δu'v'", "", _stab("max_delta_u_prime_v_prime")),
        (
            "stability",
            "max emission outside first window",
            "%",
            _outside_percent,
        ),
        ("stability", "second emission peak", "", _stab("secondary_peak_detected")),
        ("efficiency", "maximum EQE", "%", _eff("eqe_max_percent")),
        ("efficiency", "maximum luminance", "cd/m²", _eff("luminance_max_cd_m2")),
        ("efficiency", "turn-on voltage (1 cd/m²)", "V", _eff("turn_on_v")),
        ("efficiency", "maximum current efficiency", "cd/A",
         _eff("current_efficiency_max_cd_a")),
        ("efficiency", "maximum power efficiency", "lm/W",
         _eff("power_efficiency_max_lm_w")),
        ("efficiency", "EQE at 1000 cd/m²", "%", _eff("eqe_at_1000_cd_m2_percent")),
        ("lifetime", "L0 of the test shown", "cd/m²", _life("initial_luminance_cd_m2")),
        ("lifetime", "T95", "h", _life("t95_h")),
        ("lifetime", "T90", "h", _life("t90_h")),
        ("lifetime", "T50", "h", _life("t50_h")),
        ("lifetime", "T50 is", "", _life("t50_kind")),
        (
            "lifetime",
            f"T50 at {ref} cd/m² (n = {settings.acceleration_n:g})",
            "h",
            _t50_reference,
        ),
        ("literature", "EQE percentile among published", "%",
         _percentile("eqe_max_percent")),
        ("literature", "T50 percentile among published", "%", _percentile("t50_ref_h")),
    ]  # fmt: skip


def _plain(value):
    if value is None:
        return np.nan
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else np.nan
    return str(value)


def metrics_table(
    analyses: Sequence[DeviceAnalysis],
    settings: ReportSettings = ReportSettings(),
) -> pd.DataFrame:
    """
    Key figures of every device side by side, with differences from the control.

    Parameters
    ----------
    analyses : sequence of DeviceAnalysis
    settings : ReportSettings
        ``reference_device`` names the control (default: the first device).

    Returns
    -------
    pandas.DataFrame
        Columns ``section``, ``metric``, ``unit``, one per device, then
        ``Δ <device> − <control>`` for every other device (numbers only).
        Rows no device has a value for are left out.
    """
    names = [a.device.name for a in analyses]
    reference = settings.reference_device or (names[0] if names else "")
    if names and reference not in names:
        raise InputError(
            f"Reference device '{reference}' is not among the devices: "
            f"{', '.join(names)}."
        )
    rows = []
    for section, label, unit, getter in _metric_rows(settings):
        values = [_plain(getter(a)) for a in analyses]
        if all(isinstance(v, float) and math.isnan(v) for v in values):
            continue
        row = {"section": SECTIONS[section], "metric": label, "unit": unit}
        row |= dict(zip(names, values, strict=True))
        base = row.get(reference)
        for name in names:
            if name == reference:
                continue
            value = row[name]
            numeric = isinstance(value, float) and isinstance(base, float)
            row[f"Δ {name} − {reference}"] = value - base if numeric else np.nan
        rows.append(row)
    columns = ["section", "metric", "unit", *names]
    columns += [f"Δ {n} − {reference}" for n in names if n != reference]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------
# Figure recipes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    analyses: tuple[DeviceAnalysis, ...]
    settings: ReportSettings
    names: tuple[str, ...]

    @property
    def scale(self):
        return device_color_scale(self.names)

    def by_name(self, name: str) -> DeviceAnalysis:
        for analysis in self.analyses:
            if analysis.device.name == name:
                return analysis
        raise InputError(f"No device named '{name}' in the report.")


def _drift_analyses(analyses) -> list[DeviceAnalysis]:
    """Devices whose drift can share one chart: a series (N ≥ 2) on the same
    axis as the first such device (time and bias never share an x axis)."""
    series = [a for a in analyses if a.stability is not None and a.series.n_spectra > 1]
    if not series:
        return []
    axis = series[0].series.axis_label
    return [a for a in series if a.series.axis_label == axis]


def _stability_frame(analyses) -> pd.DataFrame:
    frames = [a.stability.metrics.assign(device=a.device.name) for a in analyses]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _axis_title(analyses) -> str:
    return analyses[0].series.axis_label if analyses else "axis"


def _recipe_peak_shift(ctx: _Context, params: Mapping):
    from core.figures import spectra

    drift = _drift_analyses(ctx.analyses)
    data = _stability_frame(drift)[["device", "axis", "peak_nm", "delta_peak_nm"]]
    chart = spectra.metric_chart(
        data,
        "delta_peak_nm",
        "peak shift from first [nm]",
        _axis_title(drift),
        ctx.scale,
        threshold=ctx.settings.threshold_nm,
    )
    return chart, data, "core.figures.spectra.metric_chart"


def _recipe_fwhm(ctx: _Context, params: Mapping):
    from core.figures import spectra

    drift = _drift_analyses(ctx.analyses)
    data = _stability_frame(drift)[["device", "axis", "fwhm_nm", "delta_fwhm_nm"]]
    chart = spectra.metric_chart(
        data,
        "delta_fwhm_nm",
        "FWHM change from first [nm]",
        _axis_title(drift),
        ctx.scale,
    )
    return chart, data, "core.figures.spectra.metric_chart"


def _recipe_cie(ctx: _Context, params: Mapping):
    from core.figures import cie

    with_spectra = [a for a in ctx.analyses if a.stability is not None]
    data = _stability_frame(with_spectra)[["device", "axis", "cie_x", "cie_y"]]
    chart = cie.cie_chart(
        data,
        space="xy",
        zoom="data",
        color_scale=ctx.scale,
        gamuts=["BT.2020"],
        axis_title=_axis_title(with_spectra),
    )
    return chart, data, "core.figures.cie.cie_chart"


def _recipe_spectra(ctx: _Context, params: Mapping):
    from core.figures import spectra

    analysis = ctx.by_name(params["device"])
    series = analysis.series
    peak = float(analysis.stability.metrics["peak_nm"].median())
    fwhm = float(analysis.stability.metrics["fwhm_nm"].median())
    wl = series.wavelength_nm
    window = (
        (max(wl[0], peak - 3 * fwhm), min(wl[-1], peak + 3 * fwhm))
        if np.isfinite(peak) and np.isfinite(fwhm)
        else None
    )
    frame = spectra.overlay_frame(series, most=12, wavelength_range=window)
    chart = spectra.overlay_chart(frame, series.axis_label)
    return chart, frame, "core.figures.spectra.overlay_chart"


def _efficiency_points(ctx: _Context) -> pd.DataFrame:
    from core.efficiency import points_table

    # Points carry the sweep's label (the file's stem): the charts colour by
    # device, so the device's name replaces it.
    return points_table(
        [
            replace(a.efficiency, label=a.device.name)
            for a in ctx.analyses
            if a.efficiency is not None
        ]
    )


def _recipe_eqe(ctx: _Context, params: Mapping):
    from core.figures import efficiency

    points = _efficiency_points(ctx)
    chart = efficiency.eqe_luminance_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.eqe_luminance_chart"


def _recipe_jv(ctx: _Context, params: Mapping):
    from core.figures import efficiency

    points = _efficiency_points(ctx)
    chart = efficiency.jv_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.jv_chart"


def _recipe_lv(ctx: _Context, params: Mapping):
    from core.figures import efficiency

    points = _efficiency_points(ctx)
    chart = efficiency.lv_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.lv_chart"


def _lifetime_items(ctx: _Context) -> list:
    return [
        (a.device.name, log, result) for a in ctx.analyses for log, result in a.lifetime
    ]


def _recipe_decay(ctx: _Context, params: Mapping):
    from core.figures import lifetime

    items = _lifetime_items(ctx)
    readings = lifetime.readings_frame(items)
    chart = lifetime.decay_chart(
        lifetime.readings_frame(items, max_points=400),
        lifetime.binned_frame(items),
        lifetime.model_frame(items),
        lifetime.thresholds_frame(items),
        log_time=bool(params.get("log_time", True)),
        color_scale=ctx.scale,
    )
    return chart, readings, "core.figures.lifetime.decay_chart"


def _recipe_literature(ctx: _Context, params: Mapping):
    from core import literature
    from core.figures import literature as literature_figures

    analysis = ctx.by_name(params["device"])
    table = literature.load_table()
    frame = literature_figures.literature_chart_frame(
        table,
        _rank_inputs(analysis),
        ctx.settings.reference_luminance_cd_m2,
        ctx.settings.acceleration_n,
    )
    chart = literature_figures.eqe_vs_peak_chart(frame)
    return chart, frame, "core.figures.literature.eqe_vs_peak_chart"


#: Recipe key -> (section, title, function(context, params) -> (chart, data,
#: builder)).
RECIPES: dict[str, tuple[str, str, Callable]] = {
    "stability_peak_shift": ("stability", "EL peak shift", _recipe_peak_shift),
    "stability_fwhm": ("stability", "FWHM change", _recipe_fwhm),
    "stability_cie": ("stability", "CIE 1931 trajectory", _recipe_cie),
    "stability_spectra": ("stability", "EL spectra", _recipe_spectra),
    "efficiency_eqe_luminance": ("efficiency", "EQE against luminance", _recipe_eqe),
    "efficiency_jv": ("efficiency", "Current density against voltage", _recipe_jv),
    "efficiency_lv": ("efficiency", "Luminance against voltage", _recipe_lv),
    "lifetime_decay": ("lifetime", "L/L0 against time", _recipe_decay),
    "literature_eqe_vs_peak": (
        "literature",
        "Maximum EQE against EL peak among published devices",
        _recipe_literature,
    ),
}


def _safe(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
    return "_".join(part for part in keep.split("_") if part)


def build_figure(
    key: str,
    analyses: Sequence[DeviceAnalysis],
    settings: ReportSettings,
    params: Mapping | None = None,
    names: Sequence[str] | None = None,
) -> ReportFigure:
    """
    One report figure from its recipe, themed with the settings' preset.

    Parameters
    ----------
    key : str
        A key of :data:`RECIPES`.
    analyses : sequence of DeviceAnalysis
    settings : ReportSettings
    params : mapping, optional
        Recipe parameters (``device`` for per-device figures).
    names : sequence of str, optional
        Every device in colour order (default: the analysed ones).

    Returns
    -------
    ReportFigure
    """
    if key not in RECIPES:
        raise InputError(f"Unknown figure '{key}': expected one of {list(RECIPES)}.")
    section, title, function = RECIPES[key]
    params = dict(params or {})
    ctx = _Context(
        tuple(analyses),
        settings,
        tuple(names or [a.device.name for a in analyses]),
    )
    chart, data, builder = function(ctx, params)
    basename = key if "device" not in params else f"{key}__{_safe(params['device'])}"
    if "device" in params:
        title = f"{title}: {params['device']}"
    return ReportFigure(
        key=basename,
        title=title,
        caption="",
        chart=themed(chart, settings.preset),
        data=data,
        builder=builder,
        recipe={"name": key, "params": params},
        source_chart=chart,
    )


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def _literature_table(literature_table):
    if literature_table is not None:
        return literature_table, ""
    literature = _module("core.literature")
    if literature is None:
        return None, "the literature module is not installed."
    try:
        return literature.load_table(), ""
    except InputError as error:
        return None, str(error)


def _figures(keys, analyses, settings, names, notes) -> list[ReportFigure]:
    figures = []
    for key, params in keys:
        try:
            figures.append(build_figure(key, analyses, settings, params, names))
        except (InputError, ValueError, KeyError, ImportError) as error:
            notes.append(f"Figure '{key}' could not be drawn: {error}")
    return figures


def _not_there(key: str, title: str, missing: str, errors: list) -> ReportSection:
    """A section without results: no data ("missing") or failed ("error")."""
    if errors:
        return ReportSection(
            key, title, "error", "Could not be analysed: " + "; ".join(errors)
        )
    return ReportSection(key, title, "missing", missing)


def _section_stability(analyses, settings, names) -> ReportSection:
    title = SECTIONS["stability"]
    with_data = [a for a in analyses if a.stability is not None]
    notes = [f"{a.device.name}: {a.errors['stability']}" for a in analyses
             if "stability" in a.errors]  # fmt: skip
    if not with_data:
        return _not_there("stability", title, "No device has EL spectra.", notes)
    keys = [("stability_peak_shift", {}), ("stability_fwhm", {}), ("stability_cie", {})]
    drift = _drift_analyses(with_data)
    if not drift:
        keys = [("stability_cie", {})]  # one spectrum each: nothing drifts
        notes.append(
            "Every device has a single spectrum: peak and FWHM drift need a "
            "series (over time or bias)."
        )
    left_out = [a.device.name for a in with_data if a not in drift]
    if drift and left_out:
        notes.append(
            f"Drift charts show the series over {drift[0].series.axis_label}; "
            f"left out (single spectrum or another axis): {', '.join(left_out)}."
        )
    keys += [("stability_spectra", {"device": a.device.name}) for a in with_data]
    figures = _figures(keys, analyses, settings, names, notes)
    rows = []
    for a in with_data:
        summary = a.stability.summary()
        rows.append({"device": a.device.name, "series": a.series.axis_label} | summary)
        notes += [f"{a.device.name}: {w}" for w in a.stability.warnings]
    table = ReportTable(
        "stability_summary",
        "Spectral stability of each device",
        pd.DataFrame(rows),
        f"Relative to each device's first spectrum; threshold {settings.threshold_nm:g}"
        f" nm, window peak ± {settings.window_k:g}·FWHM, baseline "
        f"'{settings.baseline}', white point {settings.white_point}.",
    )
    return ReportSection(
        "stability", title, "ok", "", tuple(figures), (table,), tuple(notes)
    )


def _section_efficiency(analyses, settings, names) -> ReportSection:
    title = SECTIONS["efficiency"]
    with_data = [a for a in analyses if a.efficiency is not None]
    notes = [f"{a.device.name}: {a.errors['efficiency']}" for a in analyses
             if "efficiency" in a.errors]  # fmt: skip
    if not with_data:
        return _not_there("efficiency", title, "No device has a J-V-L sweep.", notes)
    from core.efficiency import batch_table

    keys = [
        ("efficiency_eqe_luminance", {}),
        ("efficiency_jv", {}),
        ("efficiency_lv", {}),
    ]
    figures = _figures(keys, analyses, settings, names, notes)
    table = batch_table([a.efficiency for a in with_data])
    table["device"] = [a.device.name for a in with_data]
    for a in with_data:
        notes += [f"{a.device.name}: {w}" for w in a.efficiency.warnings]
    caption = (
        f"Maxima over points above turn-on (L ≥ {settings.turn_on_luminance_cd_m2:g} "
        "cd/m²); EQE from the EL spectrum assuming a Lambertian emitter."
    )
    return ReportSection(
        "efficiency",
        title,
        "ok",
        "",
        tuple(figures),
        (
            ReportTable(
                "efficiency_summary", "Efficiency figures of merit", table, caption
            ),
        ),
        tuple(notes),
    )


def _section_lifetime(analyses, settings, names) -> ReportSection:
    title = SECTIONS["lifetime"]
    with_data = [a for a in analyses if a.lifetime]
    notes = [f"{a.device.name}: {a.errors['lifetime']}" for a in analyses
             if "lifetime" in a.errors]  # fmt: skip
    if not with_data:
        return _not_there("lifetime", title, "No device has a lifetime log.", notes)
    from core.lifetime import lifetime_table

    figures = _figures([("lifetime_decay", {})], analyses, settings, names, notes)
    rows = []
    for a in with_data:
        frame = lifetime_table([result for _, result in a.lifetime])
        frame.insert(1, "device", a.device.name)
        rows.append(frame)
        for _, result in a.lifetime:
            notes += [f"{a.device.name}: {w}" for w in result.warnings]
    caption = (
        f"T-values counted from L(0); extrapolated values come from the "
        f"{settings.decay_model} model and are labelled. T50 converted to "
        f"{settings.reference_luminance_cd_m2:g} cd/m² with L0^n·T50 = const, "
        f"n = {settings.acceleration_n:g} (band n = 1.5–2.0)."
    )
    table = ReportTable(
        "lifetime_summary",
        "Lifetime of every test",
        pd.concat(rows, ignore_index=True),
        caption,
    )
    return ReportSection(
        "lifetime", title, "ok", "", tuple(figures), (table,), tuple(notes)
    )


def _section_literature(analyses, settings, names, table, reason) -> ReportSection:
    title = SECTIONS["literature"]
    if table is None:
        return ReportSection(
            "literature", title, "missing", f"No literature table: {reason}"
        )
    ranked = [a for a in analyses if a.rank is not None]
    notes = [f"{a.device.name}: {a.errors['literature']}" for a in analyses
             if "literature" in a.errors]  # fmt: skip
    if not ranked:
        return ReportSection(
            "literature",
            title,
            "missing",
            "No device has a figure the literature table can rank (EQE, "
            "luminance, CIE or T50).",
            notes=tuple(notes),
        )
    frames = []
    for a in ranked:
        frame = a.rank.copy()
        frame.insert(0, "device", a.device.name)
        frames.append(frame)
    rank_table = pd.concat(frames, ignore_index=True)
    keys = [
        ("literature_eqe_vs_peak", {"device": a.device.name})
        for a in ranked[:MAX_LITERATURE_CHARTS]
    ]
    figures = _figures(keys, analyses, settings, names, notes)
    rankable = int(table["rankable"].astype(bool).sum())
    caption = (
        f"Rank among the {rankable} rankable published pure-red devices of the "
        f"curated table ({len(table)} rows); percentile = share of compared "
        "devices the device equals or beats. T50 compared at "
        f"{settings.reference_luminance_cd_m2:g} cd/m² (n = "
        f"{settings.acceleration_n:g})."
    )
    best = rank_table["best_record_id"].dropna().unique().tolist()
    references = table.loc[table["record_id"].isin(best)]
    refs = []
    for _, row in references.iterrows():
        doi = str(row.get("doi", "") or "")
        refs.append(
            {
                "record_id": row["record_id"],
                "first_author": row.get("first_author", ""),
                "year": row.get("year", ""),
                "doi": doi,
            }
        )
    tables = [ReportTable("literature_rank", "Rank among published devices",
                          rank_table, caption)]  # fmt: skip
    if refs:
        tables.append(
            ReportTable(
                "literature_references",
                "Best published devices cited in the ranking",
                pd.DataFrame(refs),
            )
        )
    return ReportSection(
        "literature", title, "ok", "", tuple(figures), tuple(tables), tuple(notes)
    )


def _render_svgs(figures: Iterable[ReportFigure]) -> list[ReportFigure]:
    return [
        figure
        if figure.svg
        else replace(
            figure, svg=spec_to_bytes(chart_spec(figure.chart), "svg").decode()
        )
        for figure in figures
    ]


def render_report(report: Report) -> Report:
    """The report with every figure rendered to SVG (for HTML, PDF and files)."""
    return replace(
        report,
        sections=tuple(
            replace(section, figures=tuple(_render_svgs(section.figures)))
            for section in report.sections
        ),
    )


def build_report(
    devices: Sequence[Device],
    settings: ReportSettings = ReportSettings(),
    *,
    inputs: Sequence[Mapping] | None = None,
    groups: Sequence[Mapping] = (),
    reader_options: Mapping | None = None,
    literature_table: pd.DataFrame | None = None,
    title: str = "PeLED Bench device report",
    created_utc: str | None = None,
    render: bool = True,
) -> Report:
    """
    Analyse the devices and assemble every section of the report.

    Parameters
    ----------
    devices : sequence of Device
        In the session's order (which fixes their colours).
    settings : ReportSettings
    inputs : sequence of dict, optional
        Provenance records of the input files (default: from the devices,
        :func:`core.figures.provenance.device_records`).
    groups, reader_options : optional
        How the devices were read from files (:func:`load_devices`); recorded
        in each figure's provenance so that it can be rebuilt.
    literature_table : pandas.DataFrame, optional
        Typed literature table (default: the curated one).
    title : str
        Report title.
    created_utc : str, optional
        Time stamp (default: now).
    render : bool
        Render the figures to SVG now (needed for HTML and PDF).

    Returns
    -------
    Report

    Raises
    ------
    InputError
        Without devices, or for a reference device that is not among them.
    """
    if not devices:
        raise InputError(
            "The report needs at least one device: load the demo on Home or add "
            "devices from the analysis pages."
        )
    names = tuple(d.name for d in devices)
    table, reason = _literature_table(literature_table)
    analyses = [analyse_device(d, settings, table) for d in devices]
    comparison = metrics_table(analyses, settings)
    reference = settings.reference_device or names[0]
    devices_section = ReportSection(
        "devices",
        SECTIONS["devices"],
        "ok",
        "",
        (),
        (
            ReportTable(
                "metrics_side_by_side",
                "Key figures of every device",
                comparison,
                f"Δ columns: device minus the reference device ({reference}).",
            ),
        ),
        tuple(
            f"{d.name}: synthetic demo data, not a measurement."
            for d in devices
            if d.synthetic
        ),
    )
    sections = [
        devices_section,
        _section_stability(analyses, settings, names),
        _section_efficiency(analyses, settings, names),
        _section_lifetime(analyses, settings, names),
        _section_literature(analyses, settings, names, table, reason),
    ]
    if inputs is None:
        inputs = [record for d in devices for record in device_records(d)]
    warnings = [
        f"{section.title}: {section.message}"
        for section in sections
        if section.status != "ok"
    ]
    report = Report(
        title=title,
        created_utc=created_utc or datetime.now(UTC).isoformat(timespec="seconds"),
        version=core.__version__,
        settings=settings,
        device_names=names,
        synthetic=tuple(d.name for d in devices if d.synthetic),
        sections=tuple(sections),
        inputs=tuple(dict(item) for item in inputs),
        groups=tuple(dict(group) for group in groups),
        reader_options=dict(reader_options or {}),
        warnings=tuple(warnings),
    )
    return render_report(report) if render else report


# --------------------------------------------------------------------------
# Files: figures, tables, provenance
# --------------------------------------------------------------------------


def _figure_record(report: Report, figure: ReportFigure, outputs: Mapping) -> dict:
    recipe = dict(figure.recipe)
    recipe["devices"] = list(report.device_names)
    recipe["groups"] = [dict(group) for group in report.groups]
    recipe["reader_options"] = dict(report.reader_options)
    recipe["rebuildable"] = bool(report.groups)
    return figure_provenance(
        figure.key,
        builder=figure.builder,
        inputs=report.inputs,
        settings=report.settings.to_dict(),
        preset=report.settings.preset,
        ppi=report.settings.ppi,
        spec=chart_spec(figure.chart),
        outputs=outputs,
        recipe=recipe,
        created_utc=report.created_utc,
    )


def report_files(
    report: Report,
    *,
    formats: Sequence[str] = ("svg", "pdf", "png"),
    html_report: bool = True,
    pdf_report: bool = True,
) -> dict[str, bytes]:
    """
    Every file of a report: figures with data and sidecars, tables, report.

    Returns
    -------
    dict of str to bytes
        Relative path -> content: ``figures/<key>.{svg,pdf,png,csv}``,
        ``figures/<key>.provenance.json``, ``tables/<key>.csv``,
        ``report.html``, ``report.pdf``.
    """
    report = render_report(report)
    files: dict[str, bytes] = {}
    for figure in report.figures:
        spec = chart_spec(figure.chart)
        outputs = {
            fmt: (
                figure.svg.encode("utf-8")
                if fmt == "svg" and figure.svg
                else spec_to_bytes(spec, fmt, ppi=report.settings.ppi)
            )
            for fmt in formats
        }
        if figure.data is not None:
            outputs["csv"] = chart_data_csv(figure.data)
        for fmt, content in outputs.items():
            files[f"figures/{figure.key}.{fmt}"] = content
        record = _figure_record(report, figure, outputs)
        files[f"figures/{figure.key}.provenance.json"] = provenance_json(record)
    for table in report.tables:
        files[f"tables/{table.key}.csv"] = chart_data_csv(table.frame)
    if html_report:
        files["report.html"] = report_html(report).encode("utf-8")
    if pdf_report:
        files["report.pdf"] = report_pdf(report)
    return files


def rebuild_figure(record: Mapping, files: Mapping[str, bytes]):
    """
    Rebuild a report figure from its provenance sidecar and the same files.

    Parameters
    ----------
    record : mapping
        The sidecar (``figures/<key>.provenance.json``) as a dict.
    files : mapping of str to bytes
        The input files by the names the sidecar lists.

    Returns
    -------
    altair chart
        The themed chart; :func:`core.figures.export.chart_to_bytes` gives the
        same SVG bytes as the original when the versions match.

    Raises
    ------
    InputError
        When the sidecar has no recipe, was made from session data without
        files, or a file is missing or changed (SHA-256).
    """
    from core.figures.provenance import check_inputs

    recipe = record.get("recipe")
    if not recipe or recipe.get("name") not in RECIPES:
        raise InputError(
            f"{record.get('figure', 'figure')}: the sidecar names no report recipe, "
            "so it cannot be rebuilt here."
        )
    if not recipe.get("rebuildable"):
        raise InputError(
            f"{record.get('figure', 'figure')}: made from session data without "
            "files; only the files' checksums were kept."
        )
    check_inputs(record, files)
    settings = ReportSettings(**record["settings"])
    devices, _ = load_devices(recipe["groups"], files, recipe.get("reader_options"))
    table, _ = _literature_table(None)
    analyses = [analyse_device(d, settings, table) for d in devices]
    figure = build_figure(
        recipe["name"], analyses, settings, recipe.get("params"), recipe["devices"]
    )
    spec = chart_spec(figure.chart)
    expected = record.get("spec_sha256")
    if expected and spec_sha256(spec) != expected:
        raise InputError(
            f"{record.get('figure')}: the rebuilt figure differs from the original "
            "(different app or engine version?)."
        )
    return figure.chart


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def _format(value) -> str:
    """A table cell: 4 significant digits, true minus, no exponent for 1e-3..1e6."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value)}".replace("-", "−")
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return "—"
        if value == 0:
            return "0"
        magnitude = math.floor(math.log10(abs(value)))
        if -3 <= magnitude < 6:
            text = f"{value:.{max(0, 3 - magnitude)}f}"
        else:
            text = f"{value:.3e}".replace("e+0", "e").replace("e-0", "e-")
            text = text.replace("e+", "e")
        return text.replace("-", "−")
    if isinstance(value, (list, tuple)):
        return ", ".join(_format(v) for v in value)
    return str(value)


def _table_cells(frame: pd.DataFrame) -> list[list[str]]:
    return [[_format(v) for v in row] for row in frame.itertuples(index=False)]


def _html_table(table: ReportTable) -> str:
    frame = table.frame
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in _table_cells(frame):
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        body.append(f"<tr>{cells}</tr>")
    caption = (
        f'<p class="caption">{html.escape(table.caption)}</p>' if table.caption else ""
    )
    return (
        f'<div class="table" id="table-{table.key}"><h3>{html.escape(table.title)}'
        f' <span class="file">tables/{table.key}.csv</span></h3>{caption}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></div>"
    )


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix an inline SVG's ids so that several can share one document."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = re.sub(rf'\bid="{re.escape(name)}"', f'id="{prefix}{name}"', svg)
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)


def _screen_size(svg: str, zoom: float = 2.0) -> str:
    """Show an inline SVG ``zoom`` × its size in pt (its viewBox keeps the layout)."""
    if not svg:
        return ""
    width, height = _svg_size(svg)
    return re.sub(
        r'(<svg\b[^>]*?)\swidth="[\d.]+"([^>]*?)\sheight="[\d.]+"',
        rf'\1 width="{width * zoom:.1f}"\2 height="{height * zoom:.1f}"',
        svg,
        count=1,
    )


_CSS = """
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:2em auto;
max-width:60em;color:#111;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:0.2em}h2{border-bottom:1px solid #999;
margin-top:2em}h3{font-size:1em;margin:1.2em 0 0.3em}
table{border-collapse:collapse;font-size:0.85em;margin:0.3em 0 1em}
th,td{border:1px solid #ccc;padding:0.15em 0.5em;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
.figures{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.figure{margin:0.5em 0 1em;max-width:100%}.figure svg{max-width:100%;height:auto}
.table{overflow-x:auto}
.caption{font-size:0.85em;color:#333;margin:0.2em 0}
.file{font-weight:normal;color:#666;font-size:0.85em}
.missing{background:#fff6e0;border-left:4px solid #E69F00;padding:0.4em 0.8em}
.error{background:#fde8e8;border-left:4px solid #D55E00;padding:0.4em 0.8em}
.synthetic{background:#eef5fb;border-left:4px solid #0072B2;padding:0.4em 0.8em}
.notes{font-size:0.85em;color:#444}code{font-size:0.9em}
"""


def _settings_rows(report: Report) -> list[tuple[str, str]]:
    preset = PRESETS[report.settings.preset]
    rows = [
        ("app version", f"PeLED Bench {report.version}"),
        ("created (UTC)", report.created_utc),
        ("figure size", f"{preset.label}: {preset.width_cm} × {preset.height_cm} cm"),
    ]
    rows += [(k, _format(v)) for k, v in report.settings.to_dict().items()]
    return rows


def report_html(report: Report) -> str:
    """
    The report as one self-contained HTML page.

    Figures are inline SVG (ids made unique), styles inline; there is no
    script and no reference to the network except DOI links in the text.
    """
    esc = html.escape
    report = render_report(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="notes">Devices: {esc(", ".join(report.device_names))}. '
        f"Created {esc(report.created_utc)} with PeLED Bench {esc(report.version)}"
        ".</p>",
    ]
    if report.synthetic:
        parts.append(
            '<p class="synthetic">Contains <b>synthetic demo data</b> '
            f"({esc(', '.join(report.synthetic))}): not measurements.</p>"
        )
    parts.append("<h2>Contents</h2><ol>")
    for section in report.sections:
        state = "" if section.status == "ok" else f" ({section.status})"
        parts.append(
            f'<li><a href="#section-{section.key}">{esc(section.title)}</a>'
            f"{esc(state)}</li>"
        )
    parts.append('<li><a href="#section-provenance">Provenance</a></li></ol>')
    for number, section in enumerate(report.sections, start=1):
        parts.append(
            f'<h2 id="section-{section.key}">{number}. {esc(section.title)}</h2>'
        )
        if section.status != "ok":
            parts.append(f'<p class="{section.status}">{esc(section.message)}</p>')
        for table in section.tables:
            parts.append(_html_table(table))
        if section.figures:
            parts.append('<div class="figures">')
        for index, figure in enumerate(section.figures):
            svg = _unique_ids(figure.svg, f"f{number}x{index}-") if figure.svg else ""
            parts.append(
                f'<div class="figure" id="figure-{figure.key}"><h3>'
                f'{esc(figure.title)} <span class="file">figures/{figure.key}.svg'
                f"</span></h3>{_screen_size(svg)}</div>"
            )
        if section.figures:
            parts.append("</div>")
        if section.notes:
            items = "".join(f"<li>{esc(note)}</li>" for note in section.notes)
            parts.append(f'<ul class="notes">{items}</ul>')
    parts.append(
        f'<h2 id="section-provenance">{len(report.sections) + 1}. Provenance</h2>'
    )
    rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
        for k, v in _settings_rows(report)
    )
    parts.append(f"<h3>Settings</h3><table><tbody>{rows}</tbody></table>")
    if report.inputs:
        head = "<tr><th>device</th><th>input</th><th>read as</th><th>kind</th>"
        head += "<th>bytes</th><th>SHA-256</th></tr>"
        rows = "".join(
            f"<tr><td>{esc(str(i.get('device', '')))}</td>"
            f"<td>{esc(str(i['name']))}</td>"
            f"<td>{esc(str(i.get('role', '')))}</td><td>{esc(str(i.get('kind', '')))}"
            f"</td><td>{i.get('size_bytes', '')}</td><td><code>{esc(i['sha256'])}"
            "</code></td></tr>"
            for i in report.inputs
        )
        parts.append(
            f"<h3>Inputs</h3><table><thead>{head}</thead><tbody>{rows}</tbody></table>"
        )
    parts.append(
        '<p class="notes">Every figure has a sidecar '
        "<code>figures/&lt;name&gt;.provenance.json</code> with these inputs, the "
        "settings, the app and engine versions and the checksums of the spec and "
        "files. Methods: M. Anaya et al., Nat. Photonics 13, 818 (2019), "
        '<a href="https://doi.org/10.1038/s41566-019-0543-y">'
        "doi:10.1038/s41566-019-0543-y</a>.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

_PAGE_W, _PAGE_H = 595.276, 841.89  # A4 [pt]
_MARGIN = 36.0  # [pt]: the text block (523 pt) takes every double-column preset
_TEXT = _PAGE_W - 2 * _MARGIN
_FONT_ATTR = 'font-family="Liberation Sans"'

# Advance widths of Liberation Sans (metric-compatible with Helvetica/Arial),
# per 1000 em, for laying out text; other characters count as 556.
_WIDTH_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~"
)
_WIDTH_VALUES = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 "
    "556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 "
    "667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 "
    "667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 "
    "556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 "
    "556 500 722 500 500 500 334 260 334 584"
)
_WIDTHS = dict(zip(_WIDTH_CHARS, map(int, _WIDTH_VALUES.split()), strict=True))


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of a text line. [pt]"""
    width = sum(_WIDTHS.get(c, 556) for c in text) * size / 1000
    return width * (1.06 if bold else 1.0)


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and _text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def _fit(text: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width``."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _x(text: str) -> str:
    return html.escape(text, quote=True)


class _Layout:
    """Flows text, tables and figures down A4 pages drawn as SVG."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.y = _MARGIN
        self.ids = 0

    @property
    def room(self) -> float:
        return _PAGE_H - _MARGIN - 14 - self.y

    def new_page(self) -> None:
        self.pages.append([])
        self.y = _MARGIN

    def need(self, height: float) -> None:
        if height > self.room and self.y > _MARGIN:
            self.new_page()

    def text(self, text, size=9.0, *, bold=False, color="#111111", x=_MARGIN,
             anchor="start") -> None:  # fmt: skip
        weight = ' font-weight="bold"' if bold else ""
        self.pages[-1].append(
            f'<text x="{x:.2f}" y="{self.y + size:.2f}" {_FONT_ATTR} '
            f'font-size="{size}"{weight} fill="{color}" text-anchor="{anchor}">'
            f"{_x(text)}</text>"
        )

    def paragraph(self, text, size=9.0, *, bold=False, color="#111111",
                  gap=3.0) -> None:  # fmt: skip
        for line in _wrap(text, size, _TEXT):
            self.need(size * 1.3)
            self.text(line, size, bold=bold, color=color)
            self.y += size * 1.3
        self.y += gap

    def heading(self, text: str, size: float = 13.0) -> None:
        self.need(size * 1.6 + 60)  # keep a heading with what follows
        self.y += 6
        self.text(text, size, bold=True)
        self.y += size * 1.4
        self.pages[-1].append(
            f'<line x1="{_MARGIN}" y1="{self.y:.2f}" x2="{_PAGE_W - _MARGIN}" '
            f'y2="{self.y:.2f}" stroke="#999999" stroke-width="0.5"/>'
        )
        self.y += 6

    def figures(self, figures: Sequence[ReportFigure]) -> None:
        """Figures in rows: as many side by side as the text width takes."""
        row: list[tuple[ReportFigure, float, float]] = []
        used = 0.0
        for figure in figures:
            width, height = _svg_size(figure.svg)
            scale = min(1.0, _TEXT / width)
            width, height = width * scale, height * scale
            if row and used + 10 + width > _TEXT:
                self._figure_row(row)
                row, used = [], 0.0
            row.append((figure, width, height))
            used += width + (10 if len(row) > 1 else 0)
        if row:
            self._figure_row(row)

    def _figure_row(self, row) -> None:
        height = max(h for _, _, h in row) + 14
        if height > _PAGE_H - 2 * _MARGIN - 14:
            height = _PAGE_H - 2 * _MARGIN - 14
        self.need(height + 6)
        x = _MARGIN
        for figure, width, fig_height in row:
            title = _fit(figure.title, 7.5, width)
            self.text(title, 7.5, color="#333333", x=x)
            self.ids += 1
            self.pages[-1].append(
                _nested_svg(
                    figure.svg, x, self.y + 11, width, fig_height, f"p{self.ids}-"
                )
            )
            x += width + 10
        self.y += height + 8

    def table(self, table: ReportTable) -> None:
        frame = table.frame
        header = [str(c) for c in frame.columns]
        cells = _table_cells(frame)
        size = 7.0
        widths = _column_widths(header, cells, size)
        if sum(widths) > _TEXT and len(cells) <= 8:
            # A wide, short table reads better turned: one column per row.
            header, cells = _transpose(header, cells)
            widths = _column_widths(header, cells, size)
        while sum(widths) > _TEXT and size > 5.5:
            size -= 0.5
            widths = _column_widths(header, cells, size)
        if sum(widths) > _TEXT:
            factor = _TEXT / sum(widths)
            widths = [w * factor for w in widths]
        row_h = size * 1.45
        self.need(row_h * min(len(cells) + 2, 6) + 16)
        self.text(table.title, 9.0, bold=True)
        self.y += 13
        if table.caption:
            for line in _wrap(table.caption, 7.0, _TEXT):
                self.need(9)
                self.text(line, 7.0, color="#444444")
                self.y += 9
            self.y += 2
        right = [
            index > 0 and sum(_numeric(row[index]) for row in cells) > len(cells) / 2
            for index in range(len(header))
        ]
        self._row(header, widths, size, row_h, right, bold=True)
        for row in cells:
            if row_h > self.room:
                self.new_page()
                self._row(header, widths, size, row_h, right, bold=True)
            self._row(row, widths, size, row_h, right)
        self.y += 8

    def _row(self, values, widths, size, row_h, right, bold=False) -> None:
        x = _MARGIN
        if bold:
            self.pages[-1].append(
                f'<rect x="{_MARGIN}" y="{self.y:.2f}" width="{sum(widths):.2f}" '
                f'height="{row_h:.2f}" fill="#eeeeee"/>'
            )
        for value, width, to_right in zip(values, widths, right, strict=True):
            self.text(
                _fit(value, size, width - 6),
                size,
                bold=bold,
                x=x + width - 3 if to_right else x + 3,
                anchor="end" if to_right else "start",
            )
            x += width
        self.y += row_h
        self.pages[-1].append(
            f'<line x1="{_MARGIN}" y1="{self.y:.2f}" x2="{_MARGIN + sum(widths):.2f}" '
            f'y2="{self.y:.2f}" stroke="#cccccc" stroke-width="0.4"/>'
        )

    def svgs(self, footer: str) -> list[str]:
        pages = []
        total = len(self.pages)
        for number, items in enumerate(self.pages, start=1):
            foot = (
                f'<text x="{_PAGE_W / 2:.2f}" y="{_PAGE_H - _MARGIN / 2:.2f}" '
                f'{_FONT_ATTR} font-size="7" fill="#666666" text-anchor="middle">'
                f"{_x(footer)} · page {number} of {total}</text>"
            )
            pages.append(
                '<svg xmlns="http://www.w3.org/2000/svg" '
                'xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{_PAGE_W}" height="{_PAGE_H}" '
                f'viewBox="0 0 {_PAGE_W} {_PAGE_H}">'
                f'<rect width="{_PAGE_W}" height="{_PAGE_H}" fill="white"/>'
                + "".join(items)
                + foot
                + "</svg>"
            )
        return pages


_NUMBER = re.compile(r"[−+-]?\d[\d.,]*(e[−+-]?\d+)?|—")


def _numeric(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def _column_widths(header, cells, size) -> list[float]:
    widths = []
    for index, name in enumerate(header):
        column = [row[index] for row in cells] + [name]
        widest = max(_text_width(value, size) for value in column)
        widths.append(min(widest, 170.0) + 9)
    return widths


def _transpose(header, cells):
    first = [header[0]] + [row[0] for row in cells]
    rows = [[name] + [row[i] for row in cells] for i, name in enumerate(header)][1:]
    return first, rows


def _svg_size(svg: str) -> tuple[float, float]:
    from core.figures.export import svg_size_pt

    return svg_size_pt(svg)


def _nested_svg(svg: str, x: float, y: float, width: float, height: float,
                prefix: str) -> str:  # fmt: skip
    svg = _unique_ids(svg, prefix)
    own_w, own_h = _svg_size(svg)
    return re.sub(
        r"<svg\b[^>]*>",
        f'<svg x="{x:.3f}" y="{y:.3f}" width="{width:.3f}" height="{height:.3f}" '
        f'viewBox="0 0 {own_w} {own_h}" xmlns="http://www.w3.org/2000/svg">',
        svg,
        count=1,
    )


def report_page_svgs(report: Report) -> list[str]:
    """The A4 pages of the PDF report, as SVG documents."""
    report = render_report(report)
    layout = _Layout()
    layout.paragraph(report.title, 16.0, bold=True, gap=2)
    layout.paragraph(
        f"Devices: {', '.join(report.device_names)}. Created {report.created_utc} "
        f"with PeLED Bench {report.version}; figures "
        f"{PRESETS[report.settings.preset].label}.",
        8.0,
        color="#444444",
    )
    if report.synthetic:
        layout.paragraph(
            f"Contains synthetic demo data ({', '.join(report.synthetic)}): not "
            "measurements.",
            9.0,
            bold=True,
            color="#0072B2",
        )
    for number, section in enumerate(report.sections, start=1):
        layout.heading(f"{number}. {section.title}")
        if section.status != "ok":
            layout.paragraph(section.message, 9.0, color="#B04000")
        for table in section.tables:
            layout.table(table)
        layout.figures(section.figures)
        for note in section.notes:
            layout.paragraph(f"• {note}", 7.0, color="#444444", gap=1)
    layout.heading(f"{len(report.sections) + 1}. Provenance")
    settings = pd.DataFrame(_settings_rows(report), columns=["setting", "value"])
    layout.table(ReportTable("settings", "Settings", settings))
    if report.inputs:
        inputs = pd.DataFrame(
            [
                {
                    "device": i.get("device", ""),
                    "input": i["name"],
                    "read as": i.get("role", ""),
                    "bytes": i.get("size_bytes", ""),
                    "SHA-256": i["sha256"],
                }
                for i in report.inputs
            ]
        )
        layout.table(ReportTable("inputs", "Inputs", inputs))
    layout.paragraph(
        "Every figure has a provenance sidecar (figures/<name>.provenance.json) "
        "with these inputs, the settings, the app and engine versions and the "
        "checksums of the spec and files. Methods: M. Anaya et al., Nat. "
        "Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.",
        7.5,
        color="#444444",
    )
    return layout.svgs(f"{report.title} · PeLED Bench {report.version}")


def report_pdf(report: Report) -> bytes:
    """
    The report as an A4 PDF: the same figures and tables as the HTML.

    Pages are laid out as SVG (text in Liberation Sans, figures at their
    exact size, side by side when they fit, scaled down only if wider than
    the text block), converted with vl-convert and joined into one document
    (:func:`core.figures.export.merge_pdfs`).
    """
    import vl_convert

    from core.figures.export import merge_pdfs

    pages = [vl_convert.svg_to_pdf(page) for page in report_page_svgs(report)]
    return merge_pdfs(pages)
