"""Input widgets that several pages share."""

from __future__ import annotations

import streamlit as st

__all__ = ["wavelength_grid_inputs"]


def wavelength_grid_inputs(
    prefix: str, label: str
) -> tuple[float, float, float] | None:
    """
    A checkbox and three number inputs for the grid of a headerless matrix.

    Returns (first, last, step) in nm when the box is ticked, else None; the
    page turns it into wavelengths with ``core.io.wavelength_grid`` (inside its
    cached reader, so the tuple is the cache key).
    """
    use_grid = st.checkbox(label, key=f"{prefix}_grid_on")
    g1, g2, g3 = st.columns(3)
    grid = (
        g1.number_input(
            "First wavelength [nm]", value=380.0, key=f"{prefix}_grid_start"
        ),
        g2.number_input("Last wavelength [nm]", value=780.0, key=f"{prefix}_grid_stop"),
        g3.number_input(
            "Step [nm]", value=0.5, min_value=0.001, key=f"{prefix}_grid_step"
        ),
    )
    return grid if use_grid else None
