"""Chart builders for the spectral-stability view."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from core.figures.decimate import decimate_for_screen
from core.models import SpectralSeries
from core.stability import StabilityResult

__all__ = [
    "MAX_OVERLAY_LINES",
    "overlay_frame",
    "overlay_chart",
    "heatmap_frame",
    "heatmap_chart",
    "metric_chart",
    "TREND_CHARTS",
    "trend_frame",
    "trend_chart",
    "difference_chart",
    "overlay_figure",
    "heatmap_figure",
    "trend_figure",
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
    rows_of: Callable[[np.ndarray], np.ndarray] | None = None,
) -> pd.DataFrame:
    """
    Long frame (wavelength_nm, intensity, axis) of evenly picked spectra.

    ``rows_of(picked)`` gives the rows drawn in place of the series' own
    (e.g. :meth:`StabilityResult.difference_rows`: only those rows made).
    """
    picked = _pick(series.n_spectra, most)
    data = series.intensity[picked] if rows_of is None else rows_of(picked)
    keep = _range(series, wavelength_range)
    wl = series.wavelength_nm[keep]
    block = data[:, keep]
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
    """
    Spectra overlaid, coloured by the series axis (legend = axis).

    Thin lines (many overlap; the export thins them further for a single
    column); normalised spectra get 5 % of headroom above 1, so the peaks
    are not cut by the frame.
    """
    y_scale = alt.Scale(domainMax=1.05, nice=False) if normalised else alt.Undefined
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.0, clip=True)
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
                scale=y_scale,
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
    normalise: bool | str = True,
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
    base = alt.Chart(decimate_for_screen(frame, [column])).encode(
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


#: Trend charts: measured column, its smoothed trend, axis title, file name.
TREND_CHARTS = {
    "peak": ("delta_peak_nm", "peak_trend_nm", "peak shift from reference [nm]",
             "peak_shift"),
    "fwhm": ("delta_fwhm_nm", "fwhm_trend_nm", "FWHM change from reference [nm]",
             "fwhm_change"),
    "uv": ("delta_u_prime_v_prime", "delta_uv_trend", "Δu'v' from reference [-]",
           "delta_uv"),
}  # fmt: skip


def trend_frame(combined: pd.DataFrame, kind: str, k: float = 2.0) -> pd.DataFrame:
    """
    The columns a trend chart draws: measured change, smoothed trend and its
    ±k·SE band, and whether each spectrum is used (``included``).

    Parameters
    ----------
    combined : pandas.DataFrame
        :func:`core.stability.combined_metrics`.
    kind : {"peak", "fwhm", "uv"}
        A key of :data:`TREND_CHARTS`.
    k : float
        Half-width of the band in standard errors.
    """
    measured, trend, _, _ = TREND_CHARTS[kind]
    se = combined[f"{trend}_se"]
    return pd.DataFrame(
        {
            "device": combined["device"],
            "axis": combined["axis"],
            "measured": combined[measured],
            "trend": combined[trend],
            "low": combined[trend] - k * se,
            "high": combined[trend] + k * se,
            "included": combined["included"],
        }
    )


def trend_chart(
    frame: pd.DataFrame,
    title: str,
    axis_title: str,
    color_scale: alt.Scale | None = None,
    threshold: float | None = None,
):
    """
    A change against the series axis: measured points, the smoothed trend
    and its confidence band per device; spectra left out of the analysis as
    grey crosses (where they have a value).

    ``frame`` is :func:`trend_frame`; ``threshold`` draws dashed ± lines.
    """
    color = alt.Color(
        "device:N",
        title="device",
        scale=color_scale if color_scale is not None else alt.Undefined,
    )
    x = alt.X("axis:Q", title=axis_title, scale=alt.Scale(zero=False))
    frame = decimate_for_screen(frame)  # long series: min/max per pixel column
    used = frame[frame["included"]]
    base = alt.Chart(used).encode(x=x, color=color)
    band = base.mark_area(opacity=0.2, clip=True).encode(
        y=alt.Y("low:Q", title=title, scale=alt.Scale(zero=False)), y2="high:Q"
    )
    line = base.mark_line(strokeWidth=1.5, clip=True).encode(y="trend:Q")
    points = base.mark_circle(size=14, opacity=0.5, clip=True).encode(
        y="measured:Q",
        tooltip=[
            alt.Tooltip("device:N"),
            alt.Tooltip("axis:Q", title=axis_title, format=".3g"),
            alt.Tooltip("measured:Q", title="measured", format=".4g"),
            alt.Tooltip("trend:Q", title="trend", format=".4g"),
            alt.Tooltip("low:Q", title="band low", format=".4g"),
            alt.Tooltip("high:Q", title="band high", format=".4g"),
        ],
    )
    left_out = (
        alt.Chart(frame[~frame["included"]].dropna(subset=["measured"]))
        .mark_point(shape="cross", color="#999999", size=30, clip=True)
        .encode(x=x, y="measured:Q", tooltip=[alt.Tooltip("axis:Q", format=".3g")])
    )
    layers = [band, line, points, left_out]
    if threshold is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"y": [-threshold, threshold]}))
            .mark_rule(strokeDash=[4, 3], color="#777777")
            .encode(y="y:Q")
        )
    return alt.layer(*layers)


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
        rows_of=result.difference_rows,
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


def overlay_figure(series: SpectralSeries, *, normalise: bool = True,
                   wavelength_range=None):  # fmt: skip
    """(frame, chart) of the Spectral stability page's overlay."""
    frame = overlay_frame(
        series, normalise=normalise, wavelength_range=wavelength_range
    )
    return frame, overlay_chart(frame, series.axis_label, normalise)


def heatmap_figure(series: SpectralSeries, *, normalise: bool = True,
                   wavelength_range=None):  # fmt: skip
    """(frame, chart) of the page's heatmap (each spectrum normalised, or all
    to the series' maximum)."""
    frame = heatmap_frame(series, wavelength_range=wavelength_range,
                          normalise="each" if normalise else True)  # fmt: skip
    return frame, heatmap_chart(frame, series.axis_label)


def trend_figure(combined: pd.DataFrame, kind: str, k: float, title: str,
                 axis_title: str, color_scale=None, threshold=None):  # fmt: skip
    """(frame, chart) of one trend (:func:`trend_frame`, :func:`trend_chart`)."""
    frame = trend_frame(combined, kind, k)
    return frame, trend_chart(frame, title, axis_title, color_scale, threshold)
