"""
Every public chart builder of ``core.figures`` drawn on the demo data, the way
the pages call them (used by the figure-text test; import it to export the
whole gallery at a preset and look at it).

:func:`gallery` returns ``{name: chart}`` with one entry per builder and view
(``cie.cie_chart[xy full]``, ``lifetime.decay_chart[log time]``...): the
builder's module and name are the part before ``[``.
"""

from __future__ import annotations

from dataclasses import replace

from core import efficiency, lifetime, literature, stability
from core.demo import demo_devices
from core.demo import photophysics as demo_photophysics
from core.demo.efficiency import demo_batch
from core.figures import cie as cie_figures
from core.figures import efficiency as efficiency_figures
from core.figures import lifetime as lifetime_figures
from core.figures import literature as literature_figures
from core.figures import photophysics as photophysics_figures
from core.figures import spectra as spectra_figures
from core.figures.theme import device_color_scale
from core.photophysics import (
    absorption_analysis,
    fit_decay,
    plqy_de_mello,
    tdpl_analysis,
)

MODULES = ("spectra", "cie", "efficiency", "lifetime", "literature", "photophysics")


def _thinned(series, step: int = 3):
    """Every ``step``-th spectrum: the same figure text, a third of the data."""
    return replace(series, intensity=series.intensity[::step], axis=series.axis[::step])


def _spectra(devices, scale) -> dict:
    devices = [replace(d, spectra_time=_thinned(d.spectra_time)) for d in devices]
    series = devices[0].spectra_time
    results = {d.name: stability.series_stability(d.spectra_time) for d in devices}
    combined = stability.combined_metrics(results)
    window = stability.peak_window_nm(series, results[devices[0].name])
    overlay = spectra_figures.overlay_frame(series, wavelength_range=window)
    heat = spectra_figures.heatmap_frame(
        series, wavelength_range=window, normalise="each"
    )
    axis = series.axis_label
    drawn = combined.assign(outside_percent=100 * combined.outside_fraction)
    charts = {
        "overlay_chart": spectra_figures.overlay_chart(overlay, axis),
        "heatmap_chart": spectra_figures.heatmap_chart(heat, axis),
        "difference_chart": spectra_figures.difference_chart(
            series, results[devices[0].name], wavelength_range=window
        ),
        "metric_chart": spectra_figures.metric_chart(
            drawn, "peak_nm", "EL peak [nm]", axis, scale
        ),
    }
    for kind, (_, _, title, _) in spectra_figures.TREND_CHARTS.items():
        frame = spectra_figures.trend_frame(combined, kind, 2.0)
        charts[f"trend_chart[{kind}]"] = spectra_figures.trend_chart(
            frame, title, axis, scale, 1.0 if kind == "peak" else None
        )
    points = combined.loc[combined["included"]]
    for space in ("xy", "uv"):
        for zoom in ("data", "red corner", "full"):
            charts[f"cie_chart[{space} {zoom}]"] = cie_figures.cie_chart(
                points, space=space, zoom=zoom, color_scale=scale, axis_title=axis
            )
    return charts


def _efficiency(devices, scale) -> dict:
    points = efficiency.points_table(
        [efficiency.efficiency_metrics(d.jvl[0]) for d in devices]
    )
    batch = efficiency.batch_table(
        [efficiency.efficiency_metrics(s) for s in demo_batch(12)]
    )
    f = efficiency_figures
    return {
        "jv_chart": f.jv_chart(points, color_scale=scale),
        "lv_chart": f.lv_chart(points, color_scale=scale),
        "eqe_luminance_chart": f.eqe_luminance_chart(points, color_scale=scale),
        "eqe_current_density_chart": f.eqe_current_density_chart(
            points, color_scale=scale
        ),
        "current_efficiency_chart": f.current_efficiency_chart(
            points, color_scale=scale
        ),
        "power_efficiency_chart": f.power_efficiency_chart(points, color_scale=scale),
        "batch_histogram": f.batch_histogram(batch),
    }


def _lifetime(devices, scale) -> dict:
    items = [
        (d.name, log, lifetime.lifetime_metrics(log))
        for d in devices
        for log in d.lifetime
    ]
    f = lifetime_figures
    readings = f.readings_frame(items, max_points=600)
    binned = f.binned_frame(items)
    frames = (readings, binned, f.model_frame(items), f.thresholds_frame(items))
    pairs = [(device, result) for device, _, result in items]
    fits = {
        device: outcome.fit
        for device, outcome in lifetime.acceleration_fits(pairs).items()
        if outcome.fit is not None
    }
    return {
        "decay_chart[linear time]": f.decay_chart(*frames, color_scale=scale),
        "decay_chart[log time]": f.decay_chart(
            *frames, log_time=True, color_scale=scale
        ),
        "residuals_chart": f.residuals_chart(readings, color_scale=scale),
        "voltage_chart": f.voltage_chart(readings, color_scale=scale),
        "weibull_chart": f.weibull_chart(binned, color_scale=scale),
        "acceleration_chart": f.acceleration_chart(
            f.acceleration_frame(items), fits, color_scale=scale
        ),
    }


def _literature(devices) -> dict:
    device = {
        "name": devices[1].name,
        "eqe_max_percent": 21.0,
        "el_peak_nm": 640.0,
        "luminance_max_cd_m2": 3000.0,
        "cie_x": 0.705,
        "cie_y": 0.293,
        "t50_h": 40.0,
        "t50_initial_luminance_cd_m2": 100.0,
        "t50_kind": "measured",
        "t50_qualifier": "",
    }
    frame = literature_figures.literature_chart_frame(literature.load_table(), device)
    f = literature_figures
    return {
        "eqe_vs_peak_chart": f.eqe_vs_peak_chart(frame),
        "t50_vs_eqe_chart": f.t50_vs_eqe_chart(frame),
        "lmax_vs_eqe_chart": f.lmax_vs_eqe_chart(frame),
        "cie_red_corner_chart": f.cie_red_corner_chart(frame),
    }


def _photophysics() -> dict:
    demo = demo_photophysics
    decays, tdpl, absorption = [], [], []
    for sample in demo.SAMPLES:
        curve, irf = demo.demo_decay(sample)
        decays.append((sample, curve, fit_decay(curve, irf=irf)))
        tdpl.append((sample, tdpl_analysis(demo.demo_tdpl(sample), phonon=True)))
        absorption.append(
            (sample, absorption_analysis(demo.demo_absorbance(sample), tauc=True))
        )
    sphere = demo.demo_sphere(demo.SAMPLES[1])
    scale = device_color_scale(list(demo.SAMPLES))
    f = photophysics_figures
    lines = f.linewidth_frame(tdpl)
    return {
        "decay_chart": f.decay_chart(f.decay_frame(decays), color_scale=scale),
        "arrhenius_chart": f.arrhenius_chart(
            f.arrhenius_frame(tdpl), color_scale=scale
        ),
        "linewidth_chart": f.linewidth_chart(lines, color_scale=scale),
        "peak_energy_chart": f.peak_energy_chart(lines, color_scale=scale),
        "urbach_chart": f.urbach_chart(f.urbach_frame(absorption), color_scale=scale),
        "tauc_chart": f.tauc_chart(absorption, color_scale=scale),
        "plqy_chart": f.plqy_chart(f.sphere_frame(sphere, plqy_de_mello(sphere))),
    }


def gallery() -> dict:
    """Every builder's chart on the demo data: ``{name[view]: chart}``."""
    devices = demo_devices()
    scale = device_color_scale([d.name for d in devices])
    parts = {
        "spectra": _spectra(devices, scale),
        "efficiency": _efficiency(devices, scale),
        "lifetime": _lifetime(devices, scale),
        "literature": _literature(devices),
        "photophysics": _photophysics(),
    }
    charts = {}
    for module, built in parts.items():
        for key, chart in built.items():
            owner = "cie" if key.startswith("cie_chart") else module
            charts[f"{owner}.{key}"] = chart
    return charts


def builder_name(key: str) -> str:
    """``"cie.cie_chart[xy full]"`` -> ``"cie.cie_chart"``."""
    return key.split("[")[0]


__all__ = ["MODULES", "gallery", "builder_name"]
