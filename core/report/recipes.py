"""
Figure recipes: how each report figure is drawn from the analyses.

A recipe picks the data of a figure from the devices' analyses and calls one
builder of :mod:`core.figures` (the same builders the pages draw with; no
chart encoding is defined here). :func:`build_figure` runs a recipe by name
and themes the chart with the report's preset, so that a figure's provenance
sidecar (recipe name and parameters) is enough to rebuild it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core import literature
from core.efficiency import points_table
from core.errors import InputError
from core.figures import cie as cie_figures
from core.figures import efficiency as efficiency_figures
from core.figures import lifetime as lifetime_figures
from core.figures import literature as literature_figures
from core.figures import spectra as spectra_figures
from core.figures.colors import assign_colors
from core.figures.theme import device_color_scale, themed
from core.report.analysis import rank_inputs
from core.report.photophysics import recipe_arrhenius, recipe_decay
from core.report.settings import DeviceAnalysis, ReportFigure, ReportSettings

__all__ = ["RECIPES", "build_figure", "drift_analyses"]


@dataclass(frozen=True)
class _Context:
    analyses: tuple[DeviceAnalysis, ...]
    settings: ReportSettings
    names: tuple[str, ...]
    literature_table: pd.DataFrame | None = None

    @property
    def colors(self) -> dict[str, str]:
        return assign_colors(self.names, dict(self.settings.colors))

    @property
    def scale(self):
        return device_color_scale(self.names, self.colors)

    def by_name(self, name: str) -> DeviceAnalysis:
        for analysis in self.analyses:
            if analysis.device.name == name:
                return analysis
        raise InputError(f"No device named '{name}' in the report.")


def drift_analyses(analyses) -> list[DeviceAnalysis]:
    """Devices whose drift can share one chart: a series (N ≥ 2) on the same
    axis as the first such device (time and bias never share an x axis)."""
    series = [a for a in analyses if a.stability is not None and a.series.n_spectra > 1]
    if not series:
        return []
    axis = series[0].series.axis_label
    return [a for a in series if a.series.axis_label == axis]


def _stability_frame(analyses) -> pd.DataFrame:
    frames = [a.stability.metrics.assign(device=a.device.name) for a in analyses]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _axis_title(analyses) -> str:
    return analyses[0].series.axis_label if analyses else "axis"


def _trend_recipe(ctx: _Context, kind: str, threshold: float | None):
    """A change from each device's reference with its smoothed trend and band."""
    drift = drift_analyses(ctx.analyses)
    frame = spectra_figures.trend_frame(_stability_frame(drift), kind)
    title = spectra_figures.TREND_CHARTS[kind][2]
    chart = spectra_figures.trend_chart(
        frame, title, _axis_title(drift), ctx.scale, threshold=threshold
    )
    return chart, frame, "core.figures.spectra.trend_chart"


def _recipe_peak_shift(ctx: _Context, params: Mapping):
    return _trend_recipe(ctx, "peak", ctx.settings.threshold_nm)


def _recipe_fwhm(ctx: _Context, params: Mapping):
    return _trend_recipe(ctx, "fwhm", None)


def _recipe_cie(ctx: _Context, params: Mapping):
    with_spectra = [a for a in ctx.analyses if a.stability is not None]
    frame = _stability_frame(with_spectra)
    data = frame.loc[frame["included"], ["device", "axis", "cie_x", "cie_y"]]
    chart = cie_figures.cie_chart(
        data,
        space="xy",
        zoom="data",
        color_scale=ctx.scale,
        gamuts=["BT.2020"],
        axis_title=_axis_title(with_spectra),
    )
    return chart, data, "core.figures.cie.cie_chart"


def _recipe_spectra(ctx: _Context, params: Mapping):
    analysis = ctx.by_name(params["device"])
    series, stability = analysis.series, analysis.stability
    if series is None or stability is None:
        raise InputError(
            f"Device '{analysis.device.name}' has no EL spectra analysed; the "
            "EL spectra figure needs them."
        )
    peak = float(stability.metrics["peak_nm"].median())
    fwhm = float(stability.metrics["fwhm_nm"].median())
    wl = series.wavelength_nm
    window = (
        (max(wl[0], peak - 3 * fwhm), min(wl[-1], peak + 3 * fwhm))
        if np.isfinite(peak) and np.isfinite(fwhm)
        else None
    )
    frame = spectra_figures.overlay_frame(series, most=12, wavelength_range=window)
    chart = spectra_figures.overlay_chart(frame, series.axis_label)
    return chart, frame, "core.figures.spectra.overlay_chart"


def _efficiency_points(ctx: _Context) -> pd.DataFrame:
    # Points carry the sweep's label (the file's stem): the charts colour by
    # device, so the device's name replaces it.
    return points_table(
        [
            replace(a.efficiency, label=a.device.name)
            for a in ctx.analyses
            if a.efficiency is not None
        ]
    )


def _recipe_eqe(ctx: _Context, params: Mapping):
    points = _efficiency_points(ctx)
    chart = efficiency_figures.eqe_luminance_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.eqe_luminance_chart"


def _recipe_jv(ctx: _Context, params: Mapping):
    points = _efficiency_points(ctx)
    chart = efficiency_figures.jv_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.jv_chart"


def _recipe_lv(ctx: _Context, params: Mapping):
    points = _efficiency_points(ctx)
    chart = efficiency_figures.lv_chart(points, color_scale=ctx.scale)
    return chart, points, "core.figures.efficiency.lv_chart"


def _lifetime_items(ctx: _Context) -> list:
    return [
        (a.device.name, log, result) for a in ctx.analyses for log, result in a.lifetime
    ]


def _recipe_decay(ctx: _Context, params: Mapping):
    items = _lifetime_items(ctx)
    readings = lifetime_figures.readings_frame(items)
    chart = lifetime_figures.decay_chart(
        lifetime_figures.readings_frame(items, max_points=400),
        lifetime_figures.binned_frame(items),
        lifetime_figures.model_frame(items),
        lifetime_figures.thresholds_frame(items),
        log_time=bool(params.get("log_time", True)),
        color_scale=ctx.scale,
    )
    return chart, readings, "core.figures.lifetime.decay_chart"


def _recipe_literature(ctx: _Context, params: Mapping):
    analysis = ctx.by_name(params["device"])
    table = ctx.literature_table
    if table is None:
        table = literature.load_table()
    frame = literature_figures.literature_chart_frame(
        table,
        rank_inputs(analysis),
        ctx.settings.reference_luminance_cd_m2,
        ctx.settings.acceleration_n,
    )
    # The device in its own colour, as on every other chart of the report.
    color = ctx.colors[analysis.device.name]
    chart = literature_figures.eqe_vs_peak_chart(frame, device_color=color)
    return chart, frame, "core.figures.literature.eqe_vs_peak_chart"


#: Recipe key -> (section, title, function(context, params) -> (chart, data,
#: builder)).
RECIPES: dict[str, tuple[str, str, Callable]] = {
    "stability_peak_shift": ("stability", "EL peak shift", _recipe_peak_shift),
    "stability_fwhm": ("stability", "FWHM change", _recipe_fwhm),
    "stability_cie": ("stability", "CIE 1931 trajectory", _recipe_cie),
    "stability_spectra": ("stability", "EL spectra", _recipe_spectra),
    "efficiency_eqe_luminance": ("efficiency", "EQE against luminance", _recipe_eqe),
    "efficiency_jv": ("efficiency", "Current density against voltage", _recipe_jv),
    "efficiency_lv": ("efficiency", "Luminance against voltage", _recipe_lv),
    "lifetime_decay": ("lifetime", "L/L0 against time", _recipe_decay),
    "literature_eqe_vs_peak": (
        "literature",
        "Maximum EQE against EL peak among published devices",
        _recipe_literature,
    ),
    "photophysics_decay": (
        "photophysics",
        "PL decays with their fits and residuals",
        recipe_decay,
    ),
    "photophysics_arrhenius": (
        "photophysics",
        "Integrated PL against 1000/T (Arrhenius)",
        recipe_arrhenius,
    ),
}


def _safe(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
    return "_".join(part for part in keep.split("_") if part)


def build_figure(
    key: str,
    analyses: Sequence[DeviceAnalysis],
    settings: ReportSettings,
    params: Mapping | None = None,
    names: Sequence[str] | None = None,
    literature_table: pd.DataFrame | None = None,
) -> ReportFigure:
    """
    One report figure from its recipe, themed with the settings' preset.

    Parameters
    ----------
    key : str
        A key of :data:`RECIPES`.
    analyses : sequence of DeviceAnalysis
    settings : ReportSettings
    params : mapping, optional
        Recipe parameters (``device`` for per-device figures).
    names : sequence of str, optional
        Every device in colour order (default: the analysed ones).
    literature_table : pandas.DataFrame, optional
        The table the devices were ranked in (default: the curated one).

    Returns
    -------
    ReportFigure
    """
    if key not in RECIPES:
        raise InputError(f"Unknown figure '{key}': expected one of {list(RECIPES)}.")
    section, title, function = RECIPES[key]
    params = dict(params or {})
    ctx = _Context(
        tuple(analyses),
        settings,
        tuple(names or [a.device.name for a in analyses]),
        literature_table,
    )
    chart, data, builder = function(ctx, params)
    basename = key if "device" not in params else f"{key}__{_safe(params['device'])}"
    if "device" in params:
        title = f"{title}: {params['device']}"
    return ReportFigure(
        key=basename,
        title=title,
        caption="",
        chart=themed(chart, settings.preset),
        data=data,
        builder=builder,
        recipe={"name": key, "params": params},
        source_chart=chart,
    )
