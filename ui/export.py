"""
Download buttons for charts and tables, and one ZIP of a page's figures.

How a page uses it::

    preset_selector("stability_preset")          # top: preset + dpi; starts
                                                  # the page's figure list
    st.altair_chart(chart)
    chart_downloads(chart, "peak_shift", "stability_dl_peak", data,
                    provenance={"settings": {...}, "inputs": [...]})
    table_download(table, "stability_table", key="stability_table_csv")
    ...
    zip_download("stability_zip", "spectral_stability")   # bottom of the page

Every ``chart_downloads`` and ``table_download`` call also registers its
figure or table, and ``zip_download`` offers them all as one ZIP (SVG, PDF,
PNG, CSV and a provenance sidecar per figure). Files are built only when a
button is clicked.

Tables download as CSV (labelled headers such as "EQE max [%]", every digit:
for Origin and scripts) and as Excel (the same numbers, each shown rounded
as on the page, header bold and frozen): :mod:`core.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.figures import MIME_TYPES, PRESETS
from core.figures.export import PPI_CHOICES, chart_data_csv
from core.figures.provenance import figure_files, zip_bytes
from core.tables import csv_bytes, xlsx_bytes
from ui.session import PRESET_KEY, current_preset

__all__ = [
    "FIGURES_KEY",
    "PPI_KEY",
    "preset_selector",
    "current_ppi",
    "start_figures",
    "register_figure",
    "register_table",
    "registered",
    "chart_downloads",
    "show_chart",
    "table_download",
    "zip_download",
]

#: Figures and tables registered by the page being run (cleared at its top).
FIGURES_KEY = "peled_page_figures"
#: PNG resolution chosen in the sidebar (shared by all pages). [dpi]
PPI_KEY = "peled_png_ppi"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What each table download holds (the button's help).
CSV_HELP = (
    "Labelled headers with units, every digit of every number (for Origin, "
    "Excel and scripts); UTF-8 with a byte-order mark. The page shows the same "
    "numbers rounded."
)
XLSX_HELP = (
    "Excel workbook: every digit kept, each number shown rounded as on the "
    "page (cell format), header bold and frozen."
)


def current_ppi() -> int:
    """PNG resolution chosen in the sidebar (300 dpi by default). [dpi]"""
    return int(st.session_state.get(PPI_KEY, PPI_CHOICES[0]))


def start_figures() -> None:
    """Start the page's list of figures for :func:`zip_download` afresh."""
    st.session_state[FIGURES_KEY] = {"figures": {}, "tables": {}}


def _registry() -> dict:
    if FIGURES_KEY not in st.session_state:
        start_figures()
    return st.session_state[FIGURES_KEY]


def preset_selector(key: str) -> str:
    """
    Sidebar choice of the figure size and PNG resolution, shared by every page.

    Call it at the top of a page: it also starts the page's figure list.
    """
    start_figures()
    names = list(PRESETS)
    chosen = st.sidebar.selectbox(
        "Figure size for downloads",
        names,
        index=names.index(current_preset()),
        format_func=lambda name: PRESETS[name].label,
        key=key,
        help="The exported figure is exactly this wide and high (axes and "
        "legend included): in pt in SVG and PDF, in pixels = cm / 2.54 × dpi "
        "in PNG.",
    )
    st.session_state[PRESET_KEY] = chosen
    ppi = st.sidebar.radio(
        "PNG resolution [dpi]",
        PPI_CHOICES,
        index=PPI_CHOICES.index(current_ppi()) if current_ppi() in PPI_CHOICES else 0,
        horizontal=True,
        key=f"{key}_ppi",
    )
    st.session_state[PPI_KEY] = int(ppi)
    return chosen


def register_figure(
    chart,
    basename: str,
    data: pd.DataFrame | None = None,
    provenance: Mapping | None = None,
) -> None:
    """
    Add a figure to the page's ZIP (see :func:`zip_download`).

    ``provenance`` may hold ``builder`` (dotted function name), ``inputs``
    (:func:`core.figures.provenance.file_record` dicts) and ``settings``.
    """
    _registry()["figures"][basename] = (chart, data, dict(provenance or {}))


def register_table(data: pd.DataFrame, basename: str) -> None:
    """Add a table to the page's ZIP as ``<basename>.csv``."""
    _registry()["tables"][basename] = data


def registered() -> tuple[list[str], list[str]]:
    """Base names of the figures and tables registered so far on this page."""
    registry = _registry()
    return list(registry["figures"]), list(registry["tables"])


def _figure_files(chart, basename, data, provenance, preset, ppi) -> dict:
    return figure_files(
        chart,
        basename,
        preset=preset,
        ppi=ppi,
        data=data,
        builder=provenance.get("builder", ""),
        inputs=provenance.get("inputs", ()),
        settings=provenance.get("settings"),
    )


def chart_downloads(
    chart,
    basename: str,
    key: str,
    data: pd.DataFrame | None = None,
    ppi: int | None = None,
    provenance: Mapping | None = None,
) -> None:
    """
    SVG, PDF, PNG, CSV (of the data) and provenance download buttons.

    ``chart`` is the un-themed chart: the export applies the session's preset
    and (unless ``ppi`` is given) the session's PNG resolution. Files are
    rendered only when a button is clicked; the figure is also registered for
    the page's ZIP.
    """
    preset = current_preset()
    ppi = int(ppi) if ppi else current_ppi()
    info = dict(provenance or {})
    register_figure(chart, basename, data, info)

    def build(fmt: str) -> bytes:
        files = _figure_files(chart, basename, data, info, preset, ppi)
        return files[f"{basename}.{fmt}"]

    def build_image(fmt: str) -> bytes:
        from core.figures import chart_to_bytes, themed

        return chart_to_bytes(themed(chart, preset), fmt, ppi=ppi)

    columns = st.columns(5 if data is not None else 4)
    for column, fmt in zip(columns[:3], ("svg", "pdf", "png"), strict=True):
        column.download_button(
            fmt.upper(),
            data=lambda fmt=fmt: build_image(fmt),
            file_name=f"{basename}.{fmt}",
            mime=MIME_TYPES[fmt],
            key=f"{key}_{fmt}",
            on_click="ignore",
            help=f"{PRESETS[preset].label}" + (f", {ppi} dpi" if fmt == "png" else ""),
        )
    if data is not None:
        columns[3].download_button(
            "CSV data",
            data=lambda: chart_data_csv(data),
            file_name=f"{basename}.csv",
            mime=MIME_TYPES["csv"],
            key=f"{key}_csv",
            on_click="ignore",
        )
    columns[-1].download_button(
        "JSON",
        data=lambda: build("provenance.json"),
        file_name=f"{basename}.provenance.json",
        mime=MIME_TYPES["json"],
        key=f"{key}_provenance",
        on_click="ignore",
        help="Provenance sidecar: input files and SHA-256, settings, preset, app "
        "and engine versions, checksums of the spec and of the files.",
    )


def show_chart(
    chart,
    basename: str,
    key: str,
    data: pd.DataFrame | None = None,
    provenance: Mapping | None = None,
) -> None:
    """The chart, full width, with its download buttons (:func:`chart_downloads`)."""
    st.altair_chart(chart, width="stretch")
    chart_downloads(chart, basename, key, data, provenance=provenance)


def table_download(data: pd.DataFrame, basename: str, key: str, label="Table (CSV)"):
    """
    CSV and Excel download buttons side by side for a table (also registered
    for the page's ZIP).

    ``data`` has machine names and full precision; both files get labelled
    headers (:func:`core.tables.csv_bytes`, :func:`core.tables.xlsx_bytes`).
    The Excel button is ``label`` with "Excel" for "CSV" (key ``<key>_xlsx``).
    """
    register_table(data, basename)
    excel = label.replace("CSV", "Excel") if "CSV" in label else f"{label} (Excel)"
    with st.container(horizontal=True):
        st.download_button(
            label,
            data=lambda: csv_bytes(data),
            file_name=f"{basename}.csv",
            mime=MIME_TYPES["csv"],
            key=key,
            on_click="ignore",
            help=CSV_HELP,
        )
        st.download_button(
            excel,
            data=lambda: xlsx_bytes(data, sheet=basename),
            file_name=f"{basename}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            help=XLSX_HELP,
        )


def page_zip(figures: Mapping, tables: Mapping, preset: str, ppi: int) -> bytes:
    """The ZIP of registered figures and tables (built on click)."""
    files: dict[str, bytes] = {}
    for basename, (chart, data, provenance) in figures.items():
        files |= {
            f"figures/{name}": content
            for name, content in _figure_files(
                chart, basename, data, provenance, preset, ppi
            ).items()
        }
    for basename, data in tables.items():
        files[f"tables/{basename}.csv"] = csv_bytes(data)
    return zip_bytes(files)


def zip_download(
    key: str, basename: str = "figures", label: str = "Download all figures (ZIP)"
) -> None:
    """
    One button for every figure and table of the page as a ZIP.

    Call it at the bottom of the page, after every :func:`chart_downloads`.
    """
    registry = _registry()
    figures = dict(registry["figures"])
    tables = dict(registry["tables"])
    if not figures and not tables:
        return
    preset = current_preset()
    ppi = current_ppi()
    st.download_button(
        label,
        data=lambda: page_zip(figures, tables, preset, ppi),
        file_name=f"{basename}.zip",
        mime=MIME_TYPES["zip"],
        key=key,
        on_click="ignore",
        help=f"{len(figures)} figure(s) as SVG, PDF, PNG ({ppi} dpi), CSV and "
        f"provenance JSON, {len(tables)} table(s) as CSV; "
        f"{PRESETS[preset].label}.",
    )
