"""Chart builders for the spectral-stability view."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.models import SpectralSeries
from core.stability import StabilityResult

__all__ = [
    "MAX_OVERLAY_LINES",
    "overlay_frame",
    "overlay_chart",
    "heatmap_frame",
    "heatmap_chart",
    "metric_chart",
    "difference_chart",
]

#: At most this many spectra are drawn in an overlay (evenly picked).
MAX_OVERLAY_LINES = 25
_WAVELENGTH_TITLE = "wavelength [nm]"


def _pick(n: int, most: int) -> np.ndarray:
    return np.unique(np.round(np.linspace(0, n - 1, min(n, most))).astype(int))


def _range(series: SpectralSeries, wavelength_range):
    wl = series.wavelength_nm
    if wavelength_range is None:
        return np.ones(wl.size, dtype=bool)
    return (wl >= wavelength_range[0]) & (wl <= wavelength_range[1])


def overlay_frame(
    series: SpectralSeries,
    *,
    normalise: bool = True,
    most: int = MAX_OVERLAY_LINES,
    wavelength_range=None,
    intensity: np.ndarray | None = None,
) -> pd.DataFrame:
    """
    Long frame (wavelength_nm, intensity, axis) of evenly picked spectra.

    ``intensity`` replaces the series' data (e.g. baseline-corrected spectra).
    """
    data = series.intensity if intensity is None else np.atleast_2d(intensity)
    picked = _pick(series.n_spectra, most)
    keep = _range(series, wavelength_range)
    wl = series.wavelength_nm[keep]
    block = data[picked][:, keep]
    if normalise:
        maxima = np.nanmax(block, axis=1, keepdims=True)
        block = block / np.where(maxima > 0, maxima, 1.0)
    return pd.DataFrame(
        {
            "wavelength_nm": np.tile(wl, picked.size),
            "intensity": block.ravel(),
            "axis": np.repeat(series.axis[picked], wl.size),
            "spectrum": np.repeat(picked, wl.size),
        }
    )


def overlay_chart(frame: pd.DataFrame, axis_title: str, normalised: bool = True):
    """Spectra overlaid, coloured by the series axis (legend = axis)."""
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.2, clip=True)
        .encode(
            x=alt.X(
                "wavelength_nm:Q",
                title=_WAVELENGTH_TITLE,
                scale=alt.Scale(zero=False, nice=False),
            ),
            y=alt.Y(
                "intensity:Q",
                title="normalised EL intensity [-]"
                if normalised
                else "EL intensity [counts]",
            ),
            color=alt.Color(
                "axis:Q", title=axis_title, scale=alt.Scale(scheme="viridis")
            ),
            detail="spectrum:N",
            tooltip=[
                alt.Tooltip("axis:Q", title=axis_title, format=".3g"),
                alt.Tooltip("wavelength_nm:Q", title="λ [nm]", format=".1f"),
            ],
        )
    )


def heatmap_frame(
    series: SpectralSeries,
    *,
    intensity: np.ndarray | None = None,
    max_rows: int = 150,
    max_columns: int = 250,
    wavelength_range=None,
    normalise: bool = True,
) -> pd.DataFrame:
    """
    Binned (wavelength × axis) intensity for a heatmap, ≤ rows × columns.

    ``normalise``: True scales by the overall maximum (decay stays visible),
    ``"each"`` scales every spectrum to its own maximum (colour drift shows),
    False keeps the data as they are.
    """
    data = series.intensity if intensity is None else np.atleast_2d(intensity)
    keep = _range(series, wavelength_range)
    wl = series.wavelength_nm[keep]
    block = data[:, keep]
    rows = _pick(series.n_spectra, max_rows)
    block = block[rows]
    if normalise == "each":
        maxima = np.nanmax(block, axis=1, keepdims=True)
        block = block / np.where(maxima > 0, maxima, 1.0)
    elif normalise:
        block = block / np.nanmax(block)
    step = max(1, int(np.ceil(wl.size / max_columns)))
    usable = (wl.size // step) * step
    binned = block[:, :usable].reshape(block.shape[0], -1, step).mean(axis=2)
    wl_binned = wl[:usable].reshape(-1, step).mean(axis=1)
    width = np.median(np.diff(wl_binned)) if wl_binned.size > 1 else 1.0
    axis = series.axis[rows]
    edges = np.r_[axis, axis[-1] + (np.diff(axis)[-1] if axis.size > 1 else 1.0)]
    # Cells overlap by 2 % so antialiasing leaves no white seams in PNG.
    overlap = 0.02 * np.r_[np.diff(edges), np.diff(edges)[-1:]][: axis.size]
    return pd.DataFrame(
        {
            "wavelength_nm": np.tile(wl_binned - 0.52 * width, rows.size),
            "wavelength_end_nm": np.tile(wl_binned + 0.52 * width, rows.size),
            "axis": np.repeat(axis, wl_binned.size),
            "axis_end": np.repeat(edges[1:] + overlap, wl_binned.size),
            "intensity": binned.ravel(),
        }
    )


def heatmap_chart(frame: pd.DataFrame, axis_title: str):
    """EL intensity map: wavelength across, series axis up."""
    scale = alt.Scale(scheme="inferno")
    base = alt.Chart(frame).encode(
        x=alt.X(
            "wavelength_nm:Q",
            title=_WAVELENGTH_TITLE,
            scale=alt.Scale(zero=False, nice=False),
        ),
        x2="wavelength_end_nm:Q",
        y=alt.Y("axis:Q", title=axis_title, scale=alt.Scale(zero=False, nice=False)),
        y2="axis_end:Q",
    )
    # Cells are often narrower than a pixel: outlining each in its own colour
    # removes the antialiasing seams; a transparent copy carries the gradient
    # legend (a stroke channel would turn it into a symbol legend).
    cells = base.mark_rect(strokeWidth=0.6).encode(
        color=alt.Color("intensity:Q", scale=scale, legend=None),
        stroke=alt.Color("intensity:Q", scale=scale, legend=None),
    )
    legend = base.mark_rect(opacity=0).encode(
        color=alt.Color("intensity:Q", scale=scale, title="norm. intensity [-]")
    )
    return alt.layer(legend, cells).resolve_legend(color="independent")


def metric_chart(
    frame: pd.DataFrame,
    column: str,
    title: str,
    axis_title: str,
    color_scale: alt.Scale | None = None,
    threshold: float | None = None,
):
    """
    A metric against the series axis, one line per device.

    ``frame`` holds ``device``, ``axis`` and ``column``; ``threshold`` draws
    dashed ± lines (e.g. the ±1 nm peak-shift threshold).
    """
    color = alt.Color(
        "device:N",
        title="device",
        scale=color_scale if color_scale is not None else alt.Undefined,
    )
    base = alt.Chart(frame).encode(
        x=alt.X("axis:Q", title=axis_title, scale=alt.Scale(zero=False)),
        y=alt.Y(f"{column}:Q", title=title, scale=alt.Scale(zero=False)),
        color=color,
        tooltip=[
            alt.Tooltip("device:N"),
            alt.Tooltip("axis:Q", title=axis_title, format=".3g"),
            alt.Tooltip(f"{column}:Q", title=title, format=".3f"),
        ],
    )
    chart = base.mark_line(point=alt.OverlayMarkDef(size=14), clip=True)
    if threshold is not None:
        rules = (
            alt.Chart(pd.DataFrame({"y": [-threshold, threshold]}))
            .mark_rule(strokeDash=[4, 3], color="#777777")
            .encode(y="y:Q")
        )
        chart = alt.layer(chart, rules)
    return chart


def difference_chart(
    series: SpectralSeries,
    result: StabilityResult,
    most: int = MAX_OVERLAY_LINES,
    wavelength_range=None,
):
    """Normalised spectra minus the first one: shoulders and new peaks show here."""
    frame = overlay_frame(
        series,
        normalise=False,
        most=most,
        wavelength_range=wavelength_range,
        intensity=result.difference_spectra,
    )
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1, clip=True)
        .encode(
            x=alt.X(
                "wavelength_nm:Q",
                title=_WAVELENGTH_TITLE,
                scale=alt.Scale(zero=False, nice=False),
            ),
            y=alt.Y("intensity:Q", title="Δ normalised intensity vs first [-]"),
            color=alt.Color(
                "axis:Q", title=series.axis_label, scale=alt.Scale(scheme="viridis")
            ),
            detail="spectrum:N",
        )
    )
