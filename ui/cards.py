"""
Rows of metric cards that summarise one analysis, as the pages show them.

Names that come from users' files are shown as text (:func:`ui.text.plain`);
numbers go through :mod:`ui.format` ("—" when missing).
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from ui.format import number_text, signed_nm, value_text
from ui.text import plain

__all__ = ["BATCH_METRICS", "stability_cards", "efficiency_cards", "batch_cards"]


class _Card:
    """One card of a row: as wide as its label and value, never cut off."""

    def __init__(self, row) -> None:
        self._row = row

    def metric(self, label: str, value: str, **kwargs) -> None:
        self._row.metric(label, value, width="content", **kwargs)


def _cards(count: int) -> list[_Card]:
    """
    A row of metric cards that wraps onto a second line when the page is
    narrow (fixed columns cut "5,025 cd/m²" to "5,0…" at 1000 px).
    """
    row = st.container(horizontal=True, gap="small")
    return [_Card(row)] * count


#: Figures of merit of a batch (rows of core.efficiency.batch_statistics):
#: shown name and unit.
BATCH_METRICS = {
    "eqe_max_percent": ("EQE max", "%"),
    "luminance_max_cd_m2": ("L max", "cd/m²"),
    "turn_on_v": ("Turn-on", "V"),
}


def stability_cards(name: str, result, white_point: str) -> None:
    """
    A device's drift in six metric cards and a caption (Spectral stability).

    Parameters
    ----------
    name : str
        Device name (shown as text, never as Markdown).
    result : core.stability.StabilityResult
    white_point : str
        The white point λd and purity were computed with.
    """
    unit = result.axis_unit
    first = result.metrics.iloc[0]
    st.markdown(f"**{plain(name)}**")
    cols = _cards(6)
    cols[0].metric(
        "First peak",
        f"{first.peak_nm:.1f} nm",
        help=f"FWHM {first.fwhm_nm:.1f} nm",
    )
    cols[1].metric(
        "Peak shift",
        signed_nm(result.peak_shift_nm),
        help="Last − first spectrum; max |Δpeak| "
        f"{result.max_abs_peak_shift_nm:.2f} nm",
    )
    cols[2].metric(
        "FWHM change",
        signed_nm(result.fwhm_change_nm),
        help=f"max |ΔFWHM| {result.max_abs_fwhm_change_nm:.2f} nm",
    )
    cols[3].metric("max Δu'v'", f"{result.max_delta_u_prime_v_prime:.4f}")
    rate = result.drift_rate_nm_per_unit
    cols[4].metric(
        "Drift rate",
        number_text(rate, "+.3g", f"nm/{unit or 'step'}"),
        help="Slope of a least-squares line of peak against the axis "
        f"(± {result.drift_rate_stderr:.2g}).",
    )
    at = result.axis_at_threshold
    cols[5].metric(
        f"|Δpeak| > {result.threshold_nm:g} nm at",
        "never" if not np.isfinite(at) else number_text(at, ".3g", unit),
    )
    st.caption(
        f"CIE ({first.cie_x:.4f}, {first.cie_y:.4f}) → "
        f"({result.metrics.cie_x.iloc[-1]:.4f}, {result.metrics.cie_y.iloc[-1]:.4f}); "
        f"λd {first.dominant_nm:.1f} nm (white point {white_point}); "
        f"distance to BT.2020 red {first.distance_bt2020_xy:.4f} in xy; "
        "max emission outside the first window "
        f"{100 * result.max_outside_fraction:.2f} %; "
        + (
            "second emission peak first at "
            f"{result.first_secondary_peak_axis:.3g} {unit}"
            if result.secondary_peak_detected
            else "no second emission peak"
        )
    )


def efficiency_cards(name: str, result) -> None:
    """
    A sweep's headline numbers in six metric cards under its name, and a
    caption saying where the EQE comes from, how turn-on was found and the
    roll-off. Labels stay short ("EQE max"); units are in the values.

    Parameters
    ----------
    name : str
        Device or sweep name (shown as text, never as Markdown).
    result : core.efficiency.EfficiencyResult
    """
    st.markdown(f"**{plain(name)}**")
    cols = _cards(6)
    cols[0].metric(
        "EQE max",
        value_text(result.eqe_max_percent, "%"),
        help=f"at {value_text(result.voltage_at_eqe_max_v, 'V')}, "
        f"{value_text(result.luminance_at_eqe_max_cd_m2, 'cd/m²', 1)}, "
        f"{value_text(result.current_density_at_eqe_max_ma_cm2, 'mA/cm²', 3)}; "
        f"{result.eqe_basis}",
    )
    cols[1].metric("L max", value_text(result.luminance_max_cd_m2, "cd/m²", 1))
    cols[2].metric(
        "Turn-on",
        value_text(result.turn_on_v, "V"),
        help=f"First voltage from which L stays ≥ {result.turn_on_luminance_cd_m2:g} "
        "cd/m² and ≥ "
        f"{number_text(result.turn_on_level_cd_m2, '.3g', 'cd/m²')} (the "
        "threshold, or the dark level + 3 σ of the readings outside the "
        "emitting range if higher); luminance noise σ = "
        f"{number_text(result.luminance_noise_cd_m2, '.3g', 'cd/m²')} (MAD).",
    )
    cols[3].metric(
        "EQE, 1000 cd/m²",
        value_text(result.eqe_at_1000_cd_m2_percent, "%"),
        help="EQE at 1000 cd/m²; at 100 cd/m²: "
        f"{value_text(result.eqe_at_100_cd_m2_percent, '%')}",
    )
    cols[4].metric("CE max", value_text(result.current_efficiency_max_cd_a, "cd/A"))
    cols[5].metric(
        "PE max",
        value_text(result.power_efficiency_max_lm_w, "lm/W"),
        help="π L / (J V): assumes a Lambertian emitter.",
    )
    st.caption(plain(f"{name}: {_efficiency_caption(result)}."))


def _efficiency_caption(result) -> str:
    """Where the EQE comes from, the turn-on level, roll-off, file ratio."""
    rolloff = (
        f"EQE falls to half its maximum at "
        f"{value_text(result.current_density_at_half_eqe_max_ma_cm2, 'mA/cm²', 1)} "
        f"({value_text(result.luminance_at_half_eqe_max_cd_m2, 'cd/m²', 0)})"
        if math.isfinite(result.current_density_at_half_eqe_max_ma_cm2)
        else "EQE stays above half its maximum over the sweep"
    )
    noise = (
        f"turn-on where L stays ≥ {result.turn_on_level_cd_m2:.3g} cd/m² "
        f"(luminance noise {result.luminance_noise_cd_m2:.3g} cd/m²)"
        if math.isfinite(result.luminance_noise_cd_m2)
        else f"turn-on where L stays ≥ {result.turn_on_level_cd_m2:.3g} cd/m²"
    )
    ratio = result.eqe_computed_to_file_ratio
    comparison = (
        f"; EQE computed from J, L and the spectrum = {ratio:.3f} × the file's EQE "
        "column (median above turn-on; both are in the points table)"
        if math.isfinite(ratio)
        else ""
    )
    problems = sum(len(w.points) for w in result.data_warnings)
    excluded = (
        f"; {problems} point(s) breaking a physical limit left out" if problems else ""
    )
    return f"{result.eqe_basis}; {noise}; roll-off: {rolloff}{comparison}{excluded}"


def batch_cards(stats, metric: str) -> None:
    """
    Mean ± s.d., median, champion and range of one figure of merit (a batch).

    Parameters
    ----------
    stats : pandas.DataFrame
        :func:`core.efficiency.batch_statistics`.
    metric : str
        A key of :data:`BATCH_METRICS`.
    """
    label, unit = BATCH_METRICS[metric]
    row = stats.loc[metric]
    cols = _cards(4)
    cols[0].metric(
        f"{label} mean ± s.d.",
        f"{value_text(row['mean'], '')} ± {value_text(row['std'], unit)}",
        help=f"n = {row['n']} devices ({row['n_missing']} without a value)",
    )
    cols[1].metric("Median", value_text(row["median"], unit))
    cols[2].metric(
        "Champion",
        value_text(row["champion"], unit),
        help=f"{row['champion_device']} (lowest for turn-on)",
    )
    cols[3].metric(
        "Range", f"{value_text(row['min'], '')} – {value_text(row['max'], unit)}"
    )
