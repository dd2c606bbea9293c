"""
The device report: every analysis of the session's devices in one file.

:func:`build_report` analyses each device once with the report's settings
(spectral stability, efficiency, lifetime, literature position), builds a
side-by-side metrics table with the differences from a reference device (the
control), and the report's figures through named *recipes*.
:func:`report_html` writes one self-contained HTML file (figures inline as
SVG, tables, no script and no network reference), :func:`report_pdf` an A4
PDF of the same content, and :func:`report_files` every figure (SVG, PDF,
PNG, CSV, provenance sidecar) and table beside them. A section whose data is
missing or whose analysis failed says so instead of failing.

Figures of a report built from files can be rebuilt from their provenance
sidecar and the same files (:func:`rebuild_figure`): same inputs, same
settings, same SVG bytes.

Modules: :mod:`~core.report.settings` (settings and records),
:mod:`~core.report.inputs` (files into devices), :mod:`~core.report.analysis`
(one device), :mod:`~core.report.table` (the side-by-side table, cell and
column text), :mod:`~core.report.recipes` (figures),
:mod:`~core.report.sections` (assembling the report),
:mod:`~core.report.photophysics` (the emitter's photophysics, added when a
device has such data; also the library's photophysics results),
:mod:`~core.report.html`,
:mod:`~core.report.pdf` and :mod:`~core.report.files`.

References
----------
M. Anaya et al., "Best practices for measuring emerging light-emitting diode
technologies," Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.
"""

from core.report.analysis import analyse_device
from core.report.files import rebuild_figure, report_files
from core.report.html import report_html
from core.report.inputs import load_devices
from core.report.pdf import report_pdf
from core.report.photophysics import (
    PHOTOPHYSICS_ROLES,
    analyse_photophysics,
    photophysics_inputs,
    photophysics_spec,
)
from core.report.recipes import RECIPES, build_figure
from core.report.sections import build_report, render_report
from core.report.settings import (
    FILE_ROLES,
    MAX_LITERATURE_CHARTS,
    SECTIONS,
    DeviceAnalysis,
    Report,
    ReportFigure,
    ReportSection,
    ReportSettings,
    ReportTable,
)
from core.report.table import format_cell, metrics_table

__all__ = [
    "SECTIONS",
    "FILE_ROLES",
    "MAX_LITERATURE_CHARTS",
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
    "format_cell",
    "build_figure",
    "build_report",
    "report_html",
    "report_pdf",
    "render_report",
    "report_files",
    "rebuild_figure",
    "PHOTOPHYSICS_ROLES",
    "analyse_photophysics",
    "photophysics_inputs",
    "photophysics_spec",
]
