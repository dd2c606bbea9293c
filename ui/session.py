"""
Session state shared between pages: the one place its keys are declared.

The session holds devices (``core.models.Device``) by name, in the order they
were added, and one colour per name (:func:`colors`): a device gets the first
free colour when it is first seen and keeps it on every page, in every tab
and in the report.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.demo import demo_devices
from core.figures.colors import assign_colors
from core.models import Device

__all__ = [
    "DEVICES_KEY",
    "PRESET_KEY",
    "EFFICIENCY_THRESHOLD_KEY",
    "COLORS_KEY",
    "get_devices",
    "get_device",
    "upsert_device",
    "add_to_device",
    "remove_device",
    "load_demo",
    "color_scale",
    "colors",
    "current_preset",
    "efficiency_threshold",
    "set_efficiency_threshold",
]

#: dict[str, Device] of the session's devices, insertion-ordered.
DEVICES_KEY = "peled_devices"
#: The figure preset chosen on any page (shared so all pages export alike).
PRESET_KEY = "peled_preset"
#: The turn-on luminance last set on the Efficiency page [cd/m²]: Literature
#: and Report compute each device's one EQE with it too.
EFFICIENCY_THRESHOLD_KEY = "peled_efficiency_threshold"
#: dict[str, str]: the colour given to each device (and other drawn name).
COLORS_KEY = "peled_colors"


def _store() -> dict[str, Device]:
    if DEVICES_KEY not in st.session_state:
        st.session_state[DEVICES_KEY] = {}
    return st.session_state[DEVICES_KEY]


def get_devices() -> list[Device]:
    """The session's devices in the order they were added."""
    return list(_store().values())


def get_device(name: str) -> Device | None:
    return _store().get(name)


def upsert_device(device: Device) -> None:
    """Add a device, or replace the one with the same name (keeps its colour)."""
    _store()[device.name] = device


def add_to_device(name: str, **data) -> Device:
    """
    Give the session device ``name`` this data, creating the device if needed.

    The device's other data and its place in the session (its colour) stay.

    Parameters
    ----------
    name : str
        Device name.
    **data
        :class:`~core.models.Device` fields, e.g. ``spectra_time=series`` or
        ``jvl=(sweep,)``.

    Returns
    -------
    Device
        The device now in the session.
    """
    existing = get_device(name)
    device = (
        Device(name=name, **data) if existing is None else replace(existing, **data)
    )
    upsert_device(device)
    return device


def remove_device(name: str) -> None:
    _store().pop(name, None)


def load_demo() -> None:
    """Put the two synthetic demo devices into the session."""
    for device in demo_devices():
        upsert_device(device)


def colors(extra=()) -> dict[str, str]:
    """
    Name -> colour of the session's devices and any ``extra`` names.

    Colours once given are kept for the whole session
    (:func:`core.figures.colors.assign_colors`): the session's devices first,
    in order, then new names (uploads not added, demo batch devices) get the
    first colour nobody has.
    """
    book = assign_colors(
        [d.name for d in get_devices()] + list(extra),
        st.session_state.get(COLORS_KEY, {}),
    )
    st.session_state[COLORS_KEY] = book
    return dict(book)


def color_scale(extra=()):
    """
    Altair scale of the colours of ``extra`` (the names a chart draws), or
    of every session device when none are given (see :func:`colors`): a
    legend then lists only what the chart shows, each in its session colour.
    """
    from core.figures import device_color_scale

    names = list(extra) or [d.name for d in get_devices()]
    return device_color_scale(names, colors(extra))


def current_preset() -> str:
    from core.figures import DEFAULT_PRESET

    return st.session_state.get(PRESET_KEY, DEFAULT_PRESET)


def efficiency_threshold() -> float:
    """The turn-on luminance of the session's efficiency results [cd/m²]."""
    return float(st.session_state.get(EFFICIENCY_THRESHOLD_KEY, 1.0))


def set_efficiency_threshold(value: float) -> None:
    """Store the Efficiency page's turn-on luminance for the other pages."""
    st.session_state[EFFICIENCY_THRESHOLD_KEY] = float(value)
