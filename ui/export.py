"""
Download buttons for charts and tables, and one ZIP of a page's figures.

How a page uses it::

    preset_selector("stability_preset")          # top: preset + dpi; starts
                                                  # the page's figure list
    set_page_context(files=uploads, data=series.items(), settings=settings)
    show_chart(chart, "peak_shift", "stability_dl_peak", data)
    table_download(table, "stability_table", key="stability_table_csv")
    ...
    zip_download("stability_zip", "spectral_stability")   # bottom of the page

:func:`show_chart` draws the chart with its figure controls (an expander
under it, :mod:`ui.figure_controls`) and its download buttons; the files and
the provenance sidecar use the same controls, and the sidecar names the
page's inputs (SHA-256) and settings registered once by
:func:`set_page_context` (a chart's own ``provenance`` overrides them).
Every ``chart_downloads`` and ``table_download`` call also registers its
figure or table, and ``zip_download`` offers them all as one ZIP (SVG, PDF,
PNG, CSV and a provenance sidecar per figure). Files are built only when a
button is clicked.

Tables download as CSV (labelled headers such as "EQE max [%]", every digit:
for Origin and scripts) and as Excel (the same numbers, each shown rounded
as on the page, header bold and frozen): :mod:`core.tables`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.figures import MIME_TYPES, PRESETS
from core.figures.controls import FigureControls
from core.figures.export import PPI_CHOICES, chart_data_csv
from core.figures.provenance import data_records, figure_files, file_record, zip_bytes
from core.tables import csv_bytes, xlsx_bytes
from ui.memo import by_identity
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
    "download_files",
    "show_chart",
    "screen_vega_lite",
    "set_page_context",
    "page_context",
    "curated_table_file",
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
    """Start the page's list of figures (and its context) afresh."""
    st.session_state[FIGURES_KEY] = {
        "figures": {},
        "tables": {},
        "context": {"inputs": [], "settings": {}},
    }


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


def _upload_record(upload) -> dict:
    """:func:`file_record` of an uploaded file, once per upload (its id)."""
    from ui.memo import STORE

    file_id = getattr(upload, "file_id", None)
    if not file_id:
        return file_record(upload.getvalue(), upload.name)
    key = ("upload", file_id, upload.name, upload.size)
    return dict(STORE.get(key, lambda: file_record(upload.getvalue(), upload.name)))


def _records(files) -> list[dict]:
    records = []
    for item in files or ():
        if item is None:
            continue
        if hasattr(item, "getvalue"):
            records.append(_upload_record(item))
        else:
            name, content = item
            record = by_identity(
                content, "record", lambda c=content: file_record(c, "")
            )
            records.append(dict(record, name=str(name)))
    return records


def set_page_context(
    *, files=(), data=(), inputs=(), settings=None, literature: bool = False
) -> None:
    """
    What this page's figures are made from, for every figure's sidecar.

    Call it once per run, after the inputs are known (before the charts'
    downloads are used; it may come after them in the page).

    Parameters
    ----------
    files : iterable
        Uploaded files: ``UploadedFile`` objects or ``(name, bytes)`` pairs
        (None entries are skipped); recorded with their SHA-256.
    data : iterable
        Session devices (``Device``) or ``(name, container)`` pairs (what was
        not read from ``files`` here), recorded by a checksum of their arrays
        (:func:`core.figures.provenance.data_records`).
    inputs : iterable of dict
        Records made already (``file_record``/``array_record``).
    settings : mapping, optional
        The page's settings (sidebar and choices).
    literature : bool
        The figures also use the curated literature table (its file is
        recorded).
    """
    files = [*files, curated_table_file()] if literature else files
    records = _records(files) + [r for item in data for r in data_records(item)]
    context = _registry().setdefault("context", {"inputs": [], "settings": {}})
    context["inputs"] = [*records, *(dict(r) for r in inputs)]
    context["settings"] = dict(settings or {})


def curated_table_file() -> tuple[str, bytes]:
    """``(name, bytes)`` of the curated literature table, for the sidecars."""
    from core.literature.paths import DEFAULT_TABLE_PATH

    return DEFAULT_TABLE_PATH.name, DEFAULT_TABLE_PATH.read_bytes()


def page_context() -> dict:
    """The inputs and settings :func:`set_page_context` registered."""
    return _registry().setdefault("context", {"inputs": [], "settings": {}})


def _provenance(provenance: Mapping | None, context: dict) -> dict:
    """A chart's own provenance, completed with the page's context."""
    info = dict(provenance or {})
    info["inputs"] = list(info.get("inputs") or context.get("inputs") or [])
    info["settings"] = dict(info.get("settings") or context.get("settings") or {})
    return info


def register_figure(
    chart,
    basename: str,
    data: pd.DataFrame | None = None,
    provenance: Mapping | None = None,
    controls: FigureControls | None = None,
) -> None:
    """
    Add a figure to the page's ZIP (see :func:`zip_download`).

    ``provenance`` may hold ``builder`` (dotted function name), ``inputs``
    (:func:`core.figures.provenance.file_record` dicts) and ``settings``;
    what it lacks comes from :func:`set_page_context`.
    """
    _registry()["figures"][basename] = (
        chart,
        data,
        dict(provenance or {}),
        controls or FigureControls(),
    )


def register_table(data: pd.DataFrame, basename: str) -> None:
    """Add a table to the page's ZIP as ``<basename>.csv``."""
    _registry()["tables"][basename] = data


def registered() -> tuple[list[str], list[str]]:
    """Base names of the figures and tables registered so far on this page."""
    registry = _registry()
    return list(registry["figures"]), list(registry["tables"])


def _figure_files(chart, basename, data, provenance, preset, ppi, controls) -> dict:
    return figure_files(
        chart,
        basename,
        preset=preset,
        ppi=ppi,
        data=data,
        builder=provenance.get("builder", ""),
        inputs=provenance.get("inputs", ()),
        settings=provenance.get("settings"),
        controls=controls,
    )


def download_files(
    basename: str, entry: tuple, context: Mapping, preset: str, ppi: int
) -> dict[str, bytes]:
    """
    The files of one registered figure exactly as its download buttons and
    the page's ZIP build them.

    Parameters
    ----------
    basename : str
        The figure's file name without extension.
    entry : tuple
        Its registry entry ``(chart, data, provenance[, controls])``.
    context : mapping
        The page's inputs and settings (:func:`page_context`).
    preset : str
        Figure preset.
    ppi : int
        PNG resolution. [dpi]
    """
    chart, data, provenance = entry[:3]
    controls = entry[3] if len(entry) > 3 else None
    info = _provenance(provenance, context)
    return _figure_files(chart, basename, data, info, preset, ppi, controls)


def chart_downloads(
    chart,
    basename: str,
    key: str,
    data: pd.DataFrame | None = None,
    ppi: int | None = None,
    provenance: Mapping | None = None,
    controls: FigureControls | None = None,
) -> None:
    """
    SVG, PDF, PNG, CSV (of the data) and provenance download buttons.

    ``chart`` is the builder's chart: the export applies ``controls`` (by
    default the session's device colours), the session's preset and (unless
    ``ppi`` is given) the session's PNG resolution. Files are rendered only
    when a button is clicked, all from one render; the figure is also
    registered for the page's ZIP.
    """
    from ui.figure_controls import default_controls

    preset = current_preset()
    ppi = int(ppi) if ppi else current_ppi()
    controls = controls or default_controls(chart)
    context = page_context()
    register_figure(chart, basename, data, provenance, controls)
    built: dict[str, bytes] = {}

    def build(fmt: str) -> bytes:
        if not built:
            entry = (chart, data, provenance, controls)
            built.update(download_files(basename, entry, context, preset, ppi))
        return built[f"{basename}.{fmt}"]

    columns = st.columns(5 if data is not None else 4)
    for column, fmt in zip(columns[:3], ("svg", "pdf", "png"), strict=True):
        column.download_button(
            fmt.upper(),
            data=lambda fmt=fmt: build(fmt),
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
        help="Provenance sidecar: input files and SHA-256, settings, figure "
        "controls, preset, app and engine versions, checksums of the spec and "
        "of the files, and the chart itself (to rebuild the same SVG).",
    )


def screen_vega_lite(
    chart, controls: FigureControls, fingerprint: str | None = None
) -> dict:
    """
    What ``st.altair_chart(screen_chart(chart, controls))`` sends, built
    once: the screen spec (:func:`core.figures.controls.screen_spec`) with
    its datasets already as Arrow, as Streamlit would convert them, without
    Altair validating the chart twice more (:mod:`ui.memo`).
    """
    from streamlit import dataframe_util

    from core.figures.controls import screen_spec
    from ui.memo import base_spec

    source = base_spec(chart, fingerprint, take=True) if fingerprint else chart
    spec = screen_spec(source, controls)
    spec["datasets"] = {
        name: dataframe_util.convert_anything_to_arrow_bytes(values)
        for name, values in (spec.get("datasets") or {}).items()
    }
    return spec


def show_chart(
    chart,
    basename: str,
    key: str,
    data: pd.DataFrame | None = None,
    provenance: Mapping | None = None,
) -> None:
    """
    The chart, full width, with its figure controls (an expander under it)
    and its download buttons (:func:`chart_downloads`), all with the same
    controls.
    """
    from ui.figure_controls import figure_controls
    from ui.memo import STORE, by_identity, chart_fingerprint, drop_base

    slot = st.empty()
    # Once per chart object: a chart kept by ui.memo.built is the same object.
    fingerprint = by_identity(chart, "fingerprint", lambda: chart_fingerprint(chart))
    controls = figure_controls(chart, key, fingerprint)
    chosen = json.dumps(controls.to_dict(), sort_keys=True)
    spec = STORE.get(
        ("screen", fingerprint, chosen),
        lambda: screen_vega_lite(chart, controls, fingerprint),
    )
    drop_base()  # a spec made for the legend entries only goes now
    slot.vega_lite_chart(dict(spec), width="stretch")
    chart_downloads(
        chart, basename, key, data, provenance=provenance, controls=controls
    )


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
    """
    The ZIP of registered figures and tables (built on click).

    ``figures`` maps a basename to ``(chart, data, provenance[, controls])``.
    """
    files: dict[str, bytes] = {}
    for basename, entry in figures.items():
        chart, data, provenance = entry[:3]
        controls = entry[3] if len(entry) > 3 else None
        files |= {
            f"figures/{name}": content
            for name, content in _figure_files(
                chart, basename, data, provenance, preset, ppi, controls
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
    context = page_context()
    figures = {
        name: (chart, data, _provenance(info, context), controls)
        for name, (chart, data, info, controls) in registry["figures"].items()
    }
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
