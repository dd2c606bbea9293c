"""
Tables as the pages show them: labelled headers, rounded values, downloads.

Every table on a page goes through :func:`show_table`, so a machine name
(``eqe_max_percent``) never reaches the screen: the page passes the frame
with machine names and full precision, the screen shows
:func:`core.tables.human_table` ("EQE max [%]", 14.5), and the downloads
beside it hold the labelled table with every digit (CSV) or shown as on the
page (Excel).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.tables import column_label, human_table
from ui.export import table_download
from ui.format import MISSING
from ui.memo import STORE, frame_digest

__all__ = ["show_table", "shown_config", "shown_text"]


def shown_text(value):
    """
    A cell of a column that mixes text and numbers, as text (Arrow, behind
    ``st.dataframe``, takes one type per column); other cells as they are.

    Examples
    --------
    >>> shown_text(5025.0), shown_text(2.93), shown_text(float("nan")), shown_text("h")
    ('5025', '2.93', '—', 'h')
    """
    if isinstance(value, float):
        if value != value:
            return MISSING
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return value


def _missing(value) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and value != value)
    )


def _one_type_per_column(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns mixing text and numbers become text (:func:`shown_text`)."""
    out = frame.copy()
    for j, column in enumerate(frame.columns):
        values = frame.iloc[:, j]
        if values.dtype != object:
            continue
        kinds = {type(v) for v in values if not _missing(v)}
        if str in kinds and len(kinds) > 1:
            out[column] = [shown_text(v) for v in values]
    return out


def shown_config(column_config: Mapping | None) -> dict:
    """``st.dataframe`` column settings keyed by machine name -> by label."""
    return {column_label(name): value for name, value in (column_config or {}).items()}


def _shown_table(frame: pd.DataFrame, rounded: bool, hidden: set) -> pd.DataFrame:
    """The frame as shown: labelled, rounded, ``hidden`` columns dropped."""
    shown = human_table(frame, rounded=rounded)
    plain_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    names = [*([] if plain_index else frame.index.names), *frame.columns]
    labels = dict(zip(names, shown.columns, strict=True))  # machine -> shown
    shown = shown.drop(columns=[labels[c] for c in hidden if c in labels])
    return _one_type_per_column(shown)


def show_table(
    frame: pd.DataFrame,
    key: str,
    basename: str | None = None,
    *,
    column_config: Mapping | None = None,
    hide: tuple[str, ...] = (),
    rounded: bool = True,
    label: str = "Table (CSV)",
) -> None:
    """
    A table with labelled headers and rounded values, and its downloads.

    Parameters
    ----------
    frame : pandas.DataFrame
        Machine names, full precision; a named index becomes the first column.
    key : str
        Widget key of the CSV button (the Excel one is ``<key>_xlsx``).
    basename : str, optional
        File name of the downloads (without extension); None: no downloads.
    column_config : mapping, optional
        ``st.dataframe`` column settings keyed by machine name.
    hide : tuple of str
        Machine names of columns shown in the downloads only. A ``metric``
        column of machine names beside its ``label`` is always hidden.
    rounded : bool
        Round to :data:`core.tables.SIGNIFICANT_DIGITS` (False: values as
        they are, e.g. published values at the precision of their source).
    label : str
        Label of the CSV button.
    """
    hidden = set(hide) | (
        {"metric"} if {"metric", "label"} <= set(frame.columns) else set()
    )
    key_ = ("table", frame_digest(frame), rounded, tuple(sorted(hidden)))
    st.dataframe(
        STORE.get(key_, lambda: _shown_table(frame, rounded, hidden)),
        hide_index=True,
        width="stretch",
        column_config=shown_config(column_config),
    )
    if basename is not None:
        table_download(frame, basename, key=key, label=label)
