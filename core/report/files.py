"""
Every file of a report, and the rebuild of a figure from its sidecar.

:func:`report_files` writes each figure (SVG, PDF, PNG, CSV of its data, a
provenance sidecar), each table (CSV) and the HTML and PDF reports;
:func:`rebuild_figure` draws a figure again from its sidecar and the same
input files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.errors import InputError
from core.figures.export import chart_data_csv, chart_spec, spec_to_bytes
from core.figures.provenance import (
    check_inputs,
    figure_provenance,
    provenance_json,
    spec_sha256,
)
from core.report.analysis import analyse_device
from core.report.html import report_html
from core.report.inputs import load_devices
from core.report.pdf import report_pdf
from core.report.recipes import RECIPES, build_figure
from core.report.sections import literature_table_or_reason, render_report
from core.report.settings import Report, ReportFigure, ReportSettings

__all__ = ["report_files", "rebuild_figure"]


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
        figure_pdfs = {
            figure.key: files[f"figures/{figure.key}.pdf"]
            for figure in report.figures
            if f"figures/{figure.key}.pdf" in files
        }
        files["report.pdf"] = report_pdf(report, figure_pdfs=figure_pdfs)
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
    table, _ = literature_table_or_reason(None)
    analyses = [analyse_device(d, settings, table) for d in devices]
    figure = build_figure(
        recipe["name"],
        analyses,
        settings,
        recipe.get("params"),
        recipe["devices"],
        table,
    )
    spec = chart_spec(figure.chart)
    expected = record.get("spec_sha256")
    if expected and spec_sha256(spec) != expected:
        raise InputError(
            f"{record.get('figure')}: the rebuilt figure differs from the original "
            "(different app or engine version?)."
        )
    return figure.chart
