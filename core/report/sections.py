"""
The report's sections, and :func:`build_report` that assembles them.

Each section shows the figures and tables of one analysis for every device
that has its data; a section no device has data for says so (``"missing"``),
one whose analysis failed says why (``"error"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd

import core
from core import literature
from core.constants import ACCELERATION_BAND_N
from core.efficiency import batch_table
from core.errors import InputError
from core.figures.export import chart_spec, spec_to_bytes
from core.figures.provenance import device_records
from core.lifetime import lifetime_table
from core.models import Device
from core.report.analysis import analyse_device
from core.report.photophysics import (
    PHOTOPHYSICS_KEY,
    PHOTOPHYSICS_TITLE,
    photophysics_file_records,
    photophysics_results,
    photophysics_table,
)
from core.report.recipes import build_figure, drift_analyses
from core.report.settings import (
    DEFAULT_SETTINGS,
    MAX_LITERATURE_CHARTS,
    SECTIONS,
    Report,
    ReportFigure,
    ReportSection,
    ReportSettings,
    ReportTable,
)
from core.report.table import metrics_table
from core.stability import NOISE_K as DEFAULT_NOISE_K

__all__ = ["build_report", "render_report", "literature_table_or_reason"]


def literature_table_or_reason(
    literature_table: pd.DataFrame | None,
) -> tuple[pd.DataFrame | None, str]:
    """The given literature table, else the curated one, else why there is none."""
    if literature_table is not None:
        return literature_table, ""
    try:
        return literature.load_table(), ""
    except InputError as error:
        return None, str(error)


def _figures(keys, analyses, settings, names, notes, table=None) -> list[ReportFigure]:
    figures = []
    for key, params in keys:
        try:
            figures.append(build_figure(key, analyses, settings, params, names, table))
        except (InputError, ValueError, KeyError) as error:
            notes.append(f"Figure '{key}' could not be drawn: {error}")
    return figures


def _not_there(key: str, title: str, missing: str, errors: list) -> ReportSection:
    """A section without results: no data ("missing") or failed ("error")."""
    if errors:
        return ReportSection(
            key, title, "error", "Could not be analysed: " + "; ".join(errors)
        )
    return ReportSection(key, title, "missing", missing)


def _stability_row(a) -> dict:
    """One device's stability summary as a flat table row."""
    summary = a.stability.summary()
    trends = summary.pop("trends")
    excluded = summary.pop("excluded")
    early, late = summary.pop("axis_at_threshold_range")
    summary |= {"axis_at_threshold_early": early, "axis_at_threshold_late": late}
    flat = {
        f"{name}_trend_{key}": value
        for name, trend in trends.items()
        for key, value in trend.items()
    }
    return (
        {"device": a.device.name, "series": a.series.axis_label}
        | summary
        | flat
        | {"n_excluded": len(excluded)}
    )


def _section_stability(analyses, settings, names) -> ReportSection:
    title = SECTIONS["stability"]
    with_data = [a for a in analyses if a.stability is not None]
    notes = [f"{a.device.name}: {a.errors['stability']}" for a in analyses
             if "stability" in a.errors]  # fmt: skip
    if not with_data:
        return _not_there("stability", title, "No device has EL spectra.", notes)
    keys: list[tuple[str, dict[str, str]]] = [
        ("stability_peak_shift", {}),
        ("stability_fwhm", {}),
        ("stability_cie", {}),
    ]
    drift = drift_analyses(with_data)
    if not drift:
        keys = [("stability_cie", {})]  # one spectrum each: nothing drifts
        notes.append(
            "Every device has a single spectrum: peak and FWHM drift need a "
            "series (over time or bias)."
        )
    left_out = [a.device.name for a in with_data if a not in drift]
    # drift_analyses keeps only devices with a series: drift[0].series is set.
    drift_series = drift[0].series if drift else None
    if drift_series is not None and left_out:
        notes.append(
            f"Drift charts show the series over {drift_series.axis_label}; "
            f"left out (single spectrum or another axis): {', '.join(left_out)}."
        )
    keys += [("stability_spectra", {"device": a.device.name}) for a in with_data]
    figures = _figures(keys, analyses, settings, names, notes)
    rows = [_stability_row(a) for a in with_data]
    for a in with_data:
        notes += [f"{a.device.name}: {w}" for w in a.stability.warnings]
    table = ReportTable(
        "stability_summary",
        "Spectral stability of each device",
        pd.DataFrame(rows),
        "Relative to each device's reference spectrum (the first with emission); "
        f"trends ± standard errors, 'within noise' below {DEFAULT_NOISE_K:g} of "
        f"them; threshold {settings.threshold_nm:g} nm, window peak ± "
        f"{settings.window_k:g}·FWHM, colour from all the emission, baseline "
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
    keys: list[tuple[str, dict[str, str]]] = [
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
    figures = _figures([("lifetime_decay", {})], analyses, settings, names, notes)
    rows = []
    for a in with_data:
        frame = lifetime_table([result for _, result in a.lifetime])
        frame.insert(1, "device", a.device.name)
        rows.append(frame)
        for _, result in a.lifetime:
            notes += [f"{a.device.name}: {w}" for w in result.warnings]
    low_n, high_n = ACCELERATION_BAND_N
    caption = (
        f"T-values counted from L(0); extrapolated values come from the "
        f"{settings.decay_model} model and are labelled. T50 converted to "
        f"{settings.reference_luminance_cd_m2:g} cd/m² with L0^n·T50 = const, "
        f"n = {settings.acceleration_n:g} (band n = {low_n:.1f}–{high_n:.1f})."
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


# The ranking columns a report shows (the rank frame has the counts and the
# record lists too; "shown" says the rank with its n, or lists the rows).
_RANK_COLUMNS = (
    "metric",
    "label",
    "value",
    "value_bound",
    "shown",
    "n_compared",
    "percentile",
    "best_value",
    "best_qualifier",
    "best_record_id",
    "note",
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
        frame = a.rank[list(_RANK_COLUMNS)].copy()
        frame.insert(0, "device", a.device.name)
        frames.append(frame)
    rank_table = pd.concat(frames, ignore_index=True)
    keys = [
        ("literature_eqe_vs_peak", {"device": a.device.name})
        for a in ranked[:MAX_LITERATURE_CHARTS]
    ]
    figures = _figures(keys, analyses, settings, names, notes, table)
    rankable = int(table["rankable"].astype(bool).sum())
    caption = (
        f"Rank among the {rankable} rankable published pure-red devices of the "
        f"curated table ({len(table)} rows). Values equal within the table's "
        "stated decimals rank equal (1224 ranking); a '>' T50 ranks only where "
        "its bound decides; with fewer than 5 devices compared there is no rank "
        "and no percentile ('too few to rank', the devices are listed). "
        "Percentile = share of compared devices the device equals or beats. T50 "
        f"compared at {settings.reference_luminance_cd_m2:g} cd/m² (n = "
        f"{settings.acceleration_n:g}; within 5 % of it not converted)."
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


def _section_photophysics(analyses, settings, names) -> ReportSection | None:
    """The emitter's photophysics; None when no device has such data."""
    if not any(a.device.photophysics for a in analyses):
        return None
    title = PHOTOPHYSICS_TITLE
    pairs, notes = photophysics_results(a.device for a in analyses)
    if not pairs:
        return _not_there(PHOTOPHYSICS_KEY, title, "", notes)
    kinds = {result.kind for _, result in pairs}
    keys: list[tuple[str, dict[str, str]]] = []
    if "trpl" in kinds:
        keys.append(("photophysics_decay", {}))
    if "tdpl" in kinds:
        keys.append(("photophysics_arrhenius", {}))
    figures = _figures(keys, analyses, settings, names, notes)
    for device, result in pairs:
        for label, summary in zip(result.labels, result.summaries(), strict=True):
            notes += [f"{device}, {label}: {w}" for w in summary.get("warnings", [])]
    synthetic = sorted({r.sample for _, r in pairs if r.synthetic})
    caption = (
        "Each measurement analysed with the settings stored when it was attached "
        "(the Photophysics page's numbers); ± 1σ columns. τ_amp = Σaτ/Σa, "
        "τ_int = Σaτ²/Σaτ; E_B from integrated PL against temperature; E_U from "
        "the absorption edge; PLQY from sphere spectra (de Mello) or as entered."
        + (f" Synthetic demo samples: {', '.join(synthetic)}." if synthetic else "")
    )
    table = ReportTable(
        "photophysics_summary",
        "Photophysics of each sample",
        photophysics_table(pairs),
        caption,
    )
    return ReportSection(
        PHOTOPHYSICS_KEY, title, "ok", "", tuple(figures), (table,), tuple(notes)
    )


def _section_devices(devices, analyses, settings) -> ReportSection:
    reference = settings.reference_device or devices[0].name
    table = ReportTable(
        "metrics_side_by_side",
        "Key figures of every device",
        metrics_table(analyses, settings),
        f"Δ columns: device minus the reference device ({reference}).",
    )
    notes = tuple(
        f"{d.name}: synthetic demo data, not a measurement."
        for d in devices
        if d.synthetic
    )
    return ReportSection("devices", SECTIONS["devices"], "ok", "", (), (table,), notes)


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


def _report_inputs(inputs, devices) -> tuple[dict, ...]:
    """The given provenance records, else the devices' (their measurements'
    :func:`~core.figures.provenance.device_records` and photophysics files)."""
    if inputs is None:
        inputs = [record for d in devices for record in device_records(d)]
        inputs += photophysics_file_records(devices)
    return tuple(dict(item) for item in inputs)


def build_report(
    devices: Sequence[Device],
    settings: ReportSettings = DEFAULT_SETTINGS,
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
    table, reason = literature_table_or_reason(literature_table)
    analyses = [analyse_device(d, settings, table) for d in devices]
    candidates = [
        _section_devices(devices, analyses, settings),
        _section_stability(analyses, settings, names),
        _section_efficiency(analyses, settings, names),
        _section_lifetime(analyses, settings, names),
        _section_photophysics(analyses, settings, names),
        _section_literature(analyses, settings, names, table, reason),
    ]
    sections = [section for section in candidates if section is not None]
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
        inputs=_report_inputs(inputs, devices),
        groups=tuple(dict(group) for group in groups),
        reader_options=dict(reader_options or {}),
        warnings=tuple(warnings),
    )
    return render_report(report) if render else report
