"""
The figure controls under each chart (see :mod:`core.figures.controls`).

A "Figure controls" toggle shows them; its widgets exist only while shown:
Streamlit scans the whole session state for every widget a page registers,
and nine charts' ~100 hidden controls cost the Spectral stability page
~0.1 s on every rerun. Choices are remembered in the session per chart and
per set of legend entries (devices, tests...) and stay applied when the
controls are hidden; switching to other devices and back finds them again.
Session devices start with their session colour (:func:`ui.session.colors`),
so a device has one colour on every page.
"""

from __future__ import annotations

import hashlib
import math

import streamlit as st

from core.errors import InputError
from core.figures.controls import (
    SCALES,
    TICK_FORMATS,
    FigureControls,
    axis_kinds,
    legend_entries,
)
from ui.memo import STORE, base_spec, chart_fingerprint
from ui.session import colors, get_devices

__all__ = [
    "CONTROLS_STATE_KEY",
    "MAX_ENTRIES",
    "chart_facts",
    "default_controls",
    "figure_controls",
]

#: Session key: {chart key + entries signature: FigureControls.to_dict()}.
CONTROLS_STATE_KEY = "peled_figure_controls"
#: Colour pickers and label boxes offered at most (the first entries).
MAX_ENTRIES = 12


def _signature(entries) -> str:
    text = "\x1f".join(sorted(entries))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def chart_facts(chart, fingerprint: str | None = None) -> tuple[dict, dict]:
    """
    ``(legend_entries, axis_kinds)`` of a chart, kept in :data:`ui.memo.STORE`
    under its fingerprint (:func:`ui.memo.chart_fingerprint`): a rerun with
    the same chart does not serialise it again.
    """
    fingerprint = fingerprint or chart_fingerprint(chart)

    def build() -> tuple[dict, dict]:
        spec = base_spec(chart, fingerprint)
        return legend_entries(spec), axis_kinds(spec)

    return STORE.get(("facts", fingerprint), build)


def default_controls(chart, entries: dict | None = None) -> FigureControls:
    """
    The controls a chart starts with: its session devices in their session
    colours (the other entries keep the builder's). ``entries``: its legend
    entries when known (:func:`chart_facts`).
    """
    devices = {d.name for d in get_devices()}
    entries = legend_entries(chart) if entries is None else entries
    shown = [name for name in entries if name in devices]
    book = colors(shown) if shown else {}
    return FigureControls(colors={name: book[name] for name in shown})


def _stored(key: str) -> dict:
    store = st.session_state.setdefault(CONTROLS_STATE_KEY, {})
    return dict(store.get(key) or {})


def _range_inputs(column, axis: str, stored, key: str):
    low_high = stored.get(f"{axis}_range") or (None, None)
    low = column.number_input(
        f"{axis} from", value=low_high[0], format="%g", key=f"{key}_{axis}0"
    )
    high = column.number_input(
        f"{axis} to", value=low_high[1], format="%g", key=f"{key}_{axis}1"
    )
    if low is None or high is None:
        return None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        column.caption(f"The {axis} range needs 'from' below 'to'.")
        return None
    return (low, high)


def _entry_inputs(entries: dict, stored: dict, defaults: FigureControls, key):
    """Colour and legend label of each entry (the first MAX_ENTRIES)."""
    chosen_colors, chosen_labels = {}, {}
    start_colors = dict(defaults.colors) | dict(stored.get("colors") or {})
    start_labels = dict(stored.get("labels") or {})
    shown = list(entries.items())[:MAX_ENTRIES]
    for i, (name, color) in enumerate(shown):
        c1, c2 = st.columns([1, 4])
        chosen_colors[name] = c1.color_picker(
            "Colour",
            value=start_colors.get(name, color),
            key=f"{key}_color{i}",
            label_visibility="collapsed" if i else "visible",
        )
        label = c2.text_input(
            "Legend label",
            value=start_labels.get(name, name),
            key=f"{key}_label{i}",
            label_visibility="collapsed" if i else "visible",
        )
        if label and label != name:
            chosen_labels[name] = label
    if len(entries) > MAX_ENTRIES:
        st.caption(f"The first {MAX_ENTRIES} of {len(entries)} entries.")
    changed = {
        name: color.upper()
        for name, color in chosen_colors.items()
        if color.upper() != entries[name].upper() or name in start_colors
    }
    return changed, chosen_labels


def _axis_inputs(kinds: dict, stored: dict, key: str) -> dict:
    out = {}
    columns = st.columns(2)
    for column, axis in zip(columns, ("x", "y"), strict=True):
        if not kinds[axis]:
            continue
        current = stored.get(f"{axis}_scale", "auto")
        out[f"{axis}_scale"] = column.selectbox(
            f"{axis} axis",
            SCALES,
            index=SCALES.index(current),
            format_func=lambda s, k=kinds[axis]: (
                f"as built ({k})" if s == "auto" else s
            ),
            key=f"{key}_{axis}scale",
        )
        out[f"{axis}_range"] = _range_inputs(column, axis, stored, key)
    return out


def figure_controls(chart, key: str, fingerprint: str | None = None) -> FigureControls:
    """
    The controls under a chart (shown by a toggle); returns the controls
    chosen (remembered for this chart and these entries in the session, and
    applied while hidden).

    Parameters
    ----------
    chart : altair chart
        The builder's chart.
    key : str
        The chart's download key (unique on the page).
    fingerprint : str, optional
        Its :func:`ui.memo.chart_fingerprint`, when known.
    """
    entries, kinds = chart_facts(chart, fingerprint)
    defaults = default_controls(chart, entries)
    state = f"{key}__{_signature(entries)}"
    stored = _stored(state)
    if not st.toggle("Figure controls", key=f"{state}_shown"):
        try:
            return FigureControls.from_dict(stored) if stored else defaults
        except InputError:  # stored by an older version of the controls
            return defaults
    with st.container(border=True):
        colors_, labels = _entry_inputs(entries, stored, defaults, state)
        c1, c2, c3 = st.columns(3)
        line = c1.slider(
            "Line width ×", 0.25, 4.0, float(stored.get("line_width", 1.0)), 0.25,
            key=f"{state}_line",
        )  # fmt: skip
        marker = c2.slider(
            "Marker size ×", 0.25, 4.0, float(stored.get("marker_size", 1.0)), 0.25,
            key=f"{state}_marker",
        )  # fmt: skip
        formats = list(TICK_FORMATS)
        tick = c3.selectbox(
            "Tick labels (linear axes)",
            formats,
            index=formats.index(stored.get("tick_format", "")),
            format_func=TICK_FORMATS.get,
            key=f"{state}_ticks",
        )
        axes = _axis_inputs(kinds, stored, state)
        title = st.checkbox(
            "Title", bool(stored.get("title", True)), key=f"{state}_title"
        )
    try:
        controls = FigureControls(
            colors=colors_ or dict(defaults.colors),
            labels=labels,
            line_width=line,
            marker_size=marker,
            tick_format=tick,
            title=title,
            **axes,
        )
    except InputError as error:
        st.caption(str(error))
        controls = defaults
    st.session_state.setdefault(CONTROLS_STATE_KEY, {})[state] = controls.to_dict()
    return controls
