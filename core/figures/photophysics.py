"""
Chart builders for the emitter's photophysics: PL decays with their fits and
residuals, the Arrhenius plot of integrated PL, peak and linewidth against
temperature, the Urbach plot, the Tauc plot (with its caveat) and the
integrating-sphere spectra with their integration ranges.

Each ``*_frame`` function builds the long table behind a chart (also its CSV
download); each ``*_chart`` turns it into an un-themed Altair chart (pages,
the CLI and the report apply :func:`core.figures.theme.themed`). Samples are
coloured with the session's colour scale when one is given.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.photophysics import (
    TAUC_CAVEAT,
    AbsorptionResult,
    DecayCurve,
    DecayFit,
    PLQYResult,
    SphereMeasurement,
    TDPLResult,
)
from core.photophysics.tdpl import phonon_broadening

__all__ = [
    "MAX_DECAY_POINTS",
    "decay_frame",
    "decay_chart",
    "arrhenius_frame",
    "arrhenius_chart",
    "linewidth_frame",
    "linewidth_chart",
    "peak_energy_chart",
    "urbach_frame",
    "urbach_chart",
    "tauc_chart",
    "sphere_frame",
    "plqy_chart",
]

_SAMPLE = "sample"


def _color(color_scale):
    return alt.Color(
        f"{_SAMPLE}:N",
        title=_SAMPLE,
        scale=color_scale if color_scale is not None else alt.Undefined,
        legend=alt.Legend(symbolOpacity=1),
    )


#: Channels per decay drawn (evenly picked); a 4096-channel histogram drawn in
#: full makes a 10 s export and no visible difference.
MAX_DECAY_POINTS = 600


def decay_frame(
    items: Sequence[tuple[str, DecayCurve, DecayFit]], *, most: int = MAX_DECAY_POINTS
) -> pd.DataFrame:
    """
    Rows for up to ``most`` evenly picked channels with counts > 0 of each
    decay: ``sample``, ``time_ns``, ``counts``, ``model_counts`` and
    ``residual`` ((y − μ)/√μ; NaN outside the fit window), and the window.
    """
    frames = []
    for name, curve, fit in items:
        time = np.asarray(curve.time_ns)
        model = np.full(time.size, np.nan)
        residual = np.full(time.size, np.nan)
        index = np.searchsorted(time, fit.time_ns)
        model[index] = fit.model_counts
        residual[index] = fit.residuals
        frame = pd.DataFrame(
            {
                _SAMPLE: name,
                "time_ns": time,
                "counts": np.asarray(curve.counts, dtype=float),
                "model_counts": model,
                "residual": residual,
                "fit_start_ns": fit.fit_start_ns,
                "fit_stop_ns": fit.fit_stop_ns,
            }
        )
        frame = frame.loc[frame["counts"] > 0]
        step = max(1, int(np.ceil(len(frame) / most)))
        frames.append(frame.iloc[::step])
    return pd.concat(frames, ignore_index=True)


def decay_chart(frame: pd.DataFrame, *, color_scale=None):
    """
    Counts (log scale) and the fitted model against time, the fit window
    marked by dashed rules; below, the weighted residuals.
    """
    color = _color(color_scale)
    x = alt.X("time_ns:Q", title="time [ns]", scale=alt.Scale(zero=False, nice=False))
    base = alt.Chart(frame)
    points = base.mark_circle(size=4, opacity=0.35).encode(
        x=x,
        y=alt.Y("counts:Q", title="counts", scale=alt.Scale(type="log")),
        color=color,
    )
    model = (
        base.transform_filter("isValid(datum.model_counts)")
        .mark_line(strokeWidth=1.4)
        .encode(x=x, y="model_counts:Q", color=color)
    )
    window = frame.groupby(_SAMPLE, as_index=False)[["fit_start_ns", "fit_stop_ns"]]
    bounds = window.first().melt(id_vars=_SAMPLE, value_name="time_ns")
    rules = (
        alt.Chart(bounds)
        .mark_rule(strokeDash=[3, 3], strokeWidth=0.8)
        .encode(x="time_ns:Q", color=color)
    )
    residuals = (
        base.transform_filter("isValid(datum.residual)")
        .mark_line(strokeWidth=0.6)
        .encode(
            x=x,
            y=alt.Y("residual:Q", title="residual [σ]"),
            color=color,
        )
    )
    return alt.vconcat(alt.layer(points, model, rules), residuals, spacing=4)


def arrhenius_frame(items: Sequence[tuple[str, TDPLResult]]) -> pd.DataFrame:
    """
    Measured points and fitted curve: ``sample``, ``kind`` ("measured"/"fit"),
    ``temperature_k``, ``inverse_t`` (1000/T [1/K]), ``ln_intensity`` and
    ``in_fit``.
    """
    frames = []
    for name, result in items:
        table = result.table
        measured = pd.DataFrame(
            {
                _SAMPLE: name,
                "kind": "measured",
                "temperature_k": table["temperature_k"],
                "ln_intensity": np.log(
                    table["integrated_intensity"].clip(lower=1e-300)
                ),
                "in_fit": table["in_fit"],
            }
        )
        fit = result.arrhenius
        grid = np.linspace(fit.temperature_min_k, fit.temperature_max_k, 80)
        curve = pd.DataFrame(
            {
                _SAMPLE: name,
                "kind": "fit",
                "temperature_k": grid,
                "ln_intensity": np.log(fit.curve(grid)),
                "in_fit": True,
            }
        )
        frames.extend([measured, curve])
    frame = pd.concat(frames, ignore_index=True)
    frame["inverse_t"] = 1000.0 / frame["temperature_k"]
    return frame


def arrhenius_chart(frame: pd.DataFrame, *, color_scale=None):
    """ln(integrated PL) against 1000/T: points (open outside the fit) and fit."""
    color = _color(color_scale)
    x = alt.X("inverse_t:Q", title="1000/T [1/K]", scale=alt.Scale(zero=False))
    y = alt.Y("ln_intensity:Q", title="ln(integrated PL)", scale=alt.Scale(zero=False))
    points = (
        alt.Chart(frame)
        .transform_filter("datum.kind == 'measured'")
        .mark_point(filled=True, size=24)
        .encode(
            x=x,
            y=y,
            color=color,
            fillOpacity=alt.condition("datum.in_fit", alt.value(1), alt.value(0)),
            tooltip=["sample:N", alt.Tooltip("temperature_k:Q", format=".0f")],
        )
    )
    line = (
        alt.Chart(frame)
        .transform_filter("datum.kind == 'fit'")
        .mark_line(strokeWidth=1.4)
        .encode(x=x, y=y, color=color)
    )
    return alt.layer(points, line)


def linewidth_frame(items: Sequence[tuple[str, TDPLResult]]) -> pd.DataFrame:
    """Per temperature: ``peak_ev``, ``fwhm_mev`` and the phonon fit (if any)."""
    frames = []
    for name, result in items:
        table = result.table
        frame = pd.DataFrame(
            {
                _SAMPLE: name,
                "temperature_k": table["temperature_k"],
                "peak_ev": table["peak_ev"],
                "fwhm_mev": table["fwhm_mev"],
                "fwhm_fit_mev": np.nan,
            }
        )
        if result.phonon is not None:
            p = result.phonon
            frame["fwhm_fit_mev"] = phonon_broadening(
                frame["temperature_k"], p.gamma0_mev, p.gamma_lo_mev, p.e_lo_mev
            )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def linewidth_chart(frame: pd.DataFrame, *, color_scale=None):
    """FWHM (in energy) against temperature, with the phonon-broadening fit."""
    color = _color(color_scale)
    x = alt.X("temperature_k:Q", title="temperature [K]", scale=alt.Scale(zero=False))
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=24)
        .encode(
            x=x,
            y=alt.Y("fwhm_mev:Q", title="FWHM [meV]", scale=alt.Scale(zero=False)),
            color=color,
        )
    )
    fit = (
        alt.Chart(frame)
        .transform_filter("isValid(datum.fwhm_fit_mev)")
        .mark_line(strokeWidth=1.4)
        .encode(x=x, y="fwhm_fit_mev:Q", color=color)
    )
    return alt.layer(points, fit)


def peak_energy_chart(frame: pd.DataFrame, *, color_scale=None):
    """PL peak energy against temperature."""
    return (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=1.2)
        .encode(
            x=alt.X(
                "temperature_k:Q", title="temperature [K]", scale=alt.Scale(zero=False)
            ),
            y=alt.Y("peak_ev:Q", title="PL peak [eV]", scale=alt.Scale(zero=False)),
            color=_color(color_scale),
        )
    )


def urbach_frame(items: Sequence[tuple[str, AbsorptionResult]]) -> pd.DataFrame:
    """
    ``sample``, ``energy_ev``, ``ln_absorbance`` (A > 0 only), the fitted line
    ``ln_fit`` inside the Urbach range and the range ends.
    """
    frames = []
    for name, result in items:
        energy = np.asarray(result.energy_ev)
        absorbance = np.asarray(result.absorbance)
        keep = absorbance > 0
        u = result.urbach
        low, high = u.energy_range_ev
        inside = (energy >= low) & (energy <= high)
        line = u.intercept + energy / (u.urbach_energy_mev / 1e3)
        frames.append(
            pd.DataFrame(
                {
                    _SAMPLE: name,
                    "energy_ev": energy[keep],
                    "ln_absorbance": np.log(absorbance[keep]),
                    "ln_fit": np.where(inside, line, np.nan)[keep],
                    "range_low_ev": low,
                    "range_high_ev": high,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def urbach_chart(frame: pd.DataFrame, *, color_scale=None):
    """ln A against photon energy, the fitted range shaded and the line drawn."""
    color = _color(color_scale)
    x = alt.X("energy_ev:Q", title="photon energy [eV]", scale=alt.Scale(zero=False))
    ranges = frame.groupby(_SAMPLE, as_index=False)[
        ["range_low_ev", "range_high_ev"]
    ].first()
    shade = (
        alt.Chart(ranges)
        .mark_rect(opacity=0.12)
        .encode(x="range_low_ev:Q", x2="range_high_ev:Q", color=color)
    )
    points = (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.0)
        .encode(
            x=x,
            y=alt.Y(
                "ln_absorbance:Q", title="ln(absorbance)", scale=alt.Scale(zero=False)
            ),
            color=color,
        )
    )
    line = (
        alt.Chart(frame)
        .transform_filter("isValid(datum.ln_fit)")
        .mark_line(strokeWidth=2.0, strokeDash=[4, 2])
        .encode(x=x, y="ln_fit:Q", color=color)
    )
    return alt.layer(shade, points, line)


def tauc_chart(items: Sequence[tuple[str, AbsorptionResult]], *, color_scale=None):
    """
    (A·E)² against E with the linear fit extrapolated to zero; the caveat for
    quantum dots (:data:`core.photophysics.TAUC_CAVEAT`) is the subtitle.
    """
    frames, lines = [], []
    for name, result in items:
        energy = np.asarray(result.energy_ev)
        y = np.clip(np.asarray(result.absorbance) * energy, 0, None) ** 2
        frames.append(pd.DataFrame({_SAMPLE: name, "energy_ev": energy, "tauc": y}))
        tauc = result.tauc
        if tauc is not None:
            keep = (energy >= tauc.energy_range_ev[0]) & (
                energy <= tauc.energy_range_ev[1]
            )
            slope, intercept = np.polyfit(energy[keep], y[keep], 1)
            grid = np.array([tauc.gap_ev, tauc.energy_range_ev[1]])
            lines.append(
                pd.DataFrame(
                    {_SAMPLE: name, "energy_ev": grid, "tauc": slope * grid + intercept}
                )
            )
    color = _color(color_scale)
    x = alt.X("energy_ev:Q", title="photon energy [eV]", scale=alt.Scale(zero=False))
    y = alt.Y("tauc:Q", title="(A·E)² [eV²]")
    curves = (
        alt.Chart(pd.concat(frames))
        .mark_line(strokeWidth=1.0)
        .encode(x=x, y=y, color=color)
    )
    layers = [curves]
    if lines:
        layers.append(
            alt.Chart(pd.concat(lines))
            .mark_line(strokeWidth=1.6, strokeDash=[4, 2])
            .encode(x=x, y=y, color=color)
        )
    words = TAUC_CAVEAT.split()
    subtitle = [" ".join(words[k : k + 9]) for k in range(0, len(words), 9)]
    return alt.layer(*layers).properties(
        title=alt.Title("Tauc plot", subtitle=subtitle)
    )


def sphere_frame(measurement: SphereMeasurement, result: PLQYResult) -> pd.DataFrame:
    """The sphere spectra in long form: ``wavelength_nm``, ``spectrum``, ``counts``."""
    spectra = {
        "A: empty sphere": measurement.empty,
        "C: sample in beam": measurement.in_beam,
    }
    if measurement.out_of_beam is not None:
        spectra["B: sample out of beam"] = measurement.out_of_beam
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "wavelength_nm": measurement.wavelength_nm,
                    "spectrum": label,
                    "counts": np.asarray(values, dtype=float),
                }
            )
            for label, values in spectra.items()
        ],
        ignore_index=True,
    )
    frame.attrs["ranges"] = {
        "laser": result.laser_range_nm,
        "emission": result.emission_range_nm,
    }
    return frame


def plqy_chart(frame: pd.DataFrame):
    """The sphere spectra (log scale) with the laser and emission ranges shaded."""
    ranges = frame.attrs.get("ranges", {})
    shaded = pd.DataFrame(
        [
            {"range": name, "low_nm": low, "high_nm": high}
            for name, (low, high) in ranges.items()
        ]
    )
    positive = frame.loc[frame["counts"] > 0]
    lines = (
        alt.Chart(positive)
        .mark_line(strokeWidth=1.0)
        .encode(
            x=alt.X(
                "wavelength_nm:Q", title="wavelength [nm]", scale=alt.Scale(zero=False)
            ),
            y=alt.Y(
                "counts:Q", title="photon counts [a.u.]", scale=alt.Scale(type="log")
            ),
            color=alt.Color("spectrum:N", title="spectrum"),
        )
    )
    if shaded.empty:
        return lines
    shade = (
        alt.Chart(shaded)
        .mark_rect(opacity=0.12, color="#E69F00")
        .encode(x="low_nm:Q", x2="high_nm:Q", tooltip=["range:N"])
    )
    return alt.layer(shade, lines)
