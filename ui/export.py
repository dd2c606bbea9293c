"""Download buttons for charts and tables (built lazily, on click)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.figures import MIME_TYPES, PRESETS, chart_data_csv, chart_to_bytes, themed
from ui.session import PRESET_KEY, current_preset

__all__ = ["preset_selector", "chart_downloads", "table_download"]


def preset_selector(key: str) -> str:
    """Sidebar choice of the export preset, shared by every page."""
    names = list(PRESETS)
    chosen = st.sidebar.selectbox(
        "Figure size for downloads",
        names,
        index=names.index(current_preset()),
        format_func=lambda name: PRESETS[name].label,
        key=key,
        help="Journal column widths are exact in SVG and PDF; PNG is rendered "
        "at the chosen dpi.",
    )
    st.session_state[PRESET_KEY] = chosen
    return chosen


def chart_downloads(
    chart,
    basename: str,
    key: str,
    data: pd.DataFrame | None = None,
    ppi: int = 300,
) -> None:
    """
    SVG, PDF, PNG (and CSV of the data) download buttons for a chart.

    ``chart`` is the un-themed chart: the export applies the session's preset.
    Files are rendered only when a button is clicked.
    """
    preset = current_preset()
    columns = st.columns(4 if data is not None else 3)
    for column, fmt in zip(columns[:3], ("svg", "pdf", "png"), strict=True):
        column.download_button(
            f"{fmt.upper()}",
            data=lambda fmt=fmt: chart_to_bytes(themed(chart, preset), fmt, ppi=ppi),
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


def table_download(data: pd.DataFrame, basename: str, key: str, label="Table (CSV)"):
    st.download_button(
        label,
        data=lambda: chart_data_csv(data),
        file_name=f"{basename}.csv",
        mime=MIME_TYPES["csv"],
        key=key,
    )
