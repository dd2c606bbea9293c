"""
Rows of metric cards that summarise one analysis, as the pages show them.

Names that come from users' files are shown as text (:func:`ui.text.plain`);
numbers go through :mod:`ui.format` ("—" when missing).
"""

from __future__ import annotations

import math

import streamlit as st

from ui.format import MISSING, is_finite, number_text, value_text
from ui.text import plain

__all__ = [
    "BATCH_METRICS",
    "stability_caption",
    "stability_cards",
    "efficiency_cards",
    "batch_cards",
]


class _Card:
    """One card of a row: as wide as its label and value, never cut off."""

    def __init__(self, row) -> None:
        self._row = row

    def metric(self, label: str, value: str, *args, **kwargs) -> None:
        self._row.metric(label, value, *args, width="content", **kwargs)


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


def _pm(value, sd, spec: str, unit: str = "") -> str:
    """
    ``value ± sd unit`` ("—" when the value is missing; no ± without σ; a σ
    that the value's decimals would round to 0 gets one significant digit).

    Examples
    --------
    >>> _pm(644.02, 0.041, ".1f", "nm"), _pm(0.71, 0.0002, ".4f")
    ('644.0 ± 0.04 nm', '0.7100 ± 0.0002')
    """
    if not is_finite(value):
        return MISSING
    if not is_finite(sd):
        return number_text(value, spec, unit)
    sd_spec = spec.lstrip("+")
    if float(format(sd, sd_spec)) == 0 and sd > 0:
        sd_spec = ".1g"
    return f"{format(value, spec)} ± {number_text(sd, sd_spec, unit)}"


def _sd(sd, spec: str, unit: str = "") -> str | None:
    """``± sd unit`` for a card's second line (None without a σ)."""
    if not is_finite(sd):
        return None
    text = _pm(0.0, sd, spec.lstrip("+"), unit).split(" ± ", 1)[1]
    return f"± {text}"


def _card(column, label: str, value: str, second: str | None, help: str) -> None:
    """A metric card: the value, and a grey second line without an arrow."""
    column.metric(label, value, second, delta_color="off", delta_arrow="off",
                  help=help)  # fmt: skip


def _change_lines(trend, spec: str, unit: str = "") -> tuple[str, str | None]:
    """A trend's change and "± SE" (with "within noise" when it is)."""
    second = _sd(trend.change_se, spec, unit)
    if trend.within_noise and second:
        second = f"{second} · within noise"
    return number_text(trend.change, spec, unit), second


def _crossing(result) -> tuple[str, str | None]:
    at, (early, late) = result.axis_at_threshold, result.axis_at_threshold_range
    if not is_finite(at):
        return "never", None
    unit = result.axis_unit
    band = f"{number_text(early, '.3g')}–{number_text(late, '.3g', unit)}"
    return number_text(at, ".3g", unit), band


def _colour_text(row) -> str:
    if row is None:
        return "CIE not determined (no spectrum with emission)"
    if row.colour_status:
        return f"CIE not defined ({row.colour_status})"
    return (
        f"CIE ({_pm(row.cie_x, row.cie_x_sd, '.4f')}, "
        f"{_pm(row.cie_y, row.cie_y_sd, '.4f')})"
    )


def stability_caption(result, white_point: str) -> str:
    """The line under a device's stability cards: colour, bands, exclusions."""
    metrics = result.metrics
    used = metrics[metrics["included"]]
    reference = used[used["reference"]].iloc[0] if len(used) else None
    last = used.iloc[-1] if len(used) else None
    parts = [f"{_colour_text(reference)} → {_colour_text(last)}".replace(
        " → CIE", " →")]  # fmt: skip
    if reference is not None:
        parts.append(
            f"λd {number_text(reference.dominant_nm, '.1f', 'nm')} (white point "
            f"{white_point}); distance to BT.2020 red "
            f"{number_text(reference.distance_bt2020_xy, '.4f')} in xy"
        )
    if result.colour_window_fwhm is not None:
        parts.append(f"colour from peak ± {result.colour_window_fwhm:g}·FWHM only")
    outside = number_text(100 * result.max_outside_fraction, ".2f", "%")
    parts.append(
        f"max emission outside the reference's peak ± {result.window_k:g}·FWHM "
        f"{outside}"
    )
    if is_finite(result.second_band_axis):
        at = number_text(result.second_band_axis, ".3g", result.axis_unit)
        parts.append(
            f"second band ({number_text(result.second_band_nm, '.0f', 'nm')}) "
            f"appears at {at}"
        )
    else:
        parts.append("no second band")
    excluded = metrics[~metrics["included"]]
    if len(excluded):
        reasons = excluded["exclusion"].value_counts()
        parts.append("left out: " + ", ".join(f"{n} {r}" for r, n in reasons.items()))
    return "; ".join(parts)


def stability_cards(name: str, result, white_point: str) -> None:
    """
    A device's drift in six metric cards and a caption (Spectral stability).

    Changes are the smoothed trend's, from the reference spectrum to the last
    one, with their standard errors ("within noise" when smaller than
    ``noise_k`` of them); the measured values are in each card's help.

    Parameters
    ----------
    name : str
        Device name (shown as text, never as Markdown).
    result : core.stability.StabilityResult
    white_point : str
        The white point λd and purity were computed with.
    """
    unit = result.axis_unit
    metrics = result.metrics
    reference = metrics[metrics["reference"]]
    row = reference.iloc[0] if len(reference) else None
    where = "" if row is None else f"#{int(row.spectrum)}, {row.axis:g} {unit}".strip()
    st.markdown(f"**{plain(name)}**")
    cols = _cards(6)
    fwhm = MISSING if row is None else _pm(row.fwhm_nm, row.fwhm_nm_sd, ".1f", "nm")
    _card(cols[0], "Reference peak",
          MISSING if row is None else number_text(row.peak_nm, ".1f", "nm"),
          None if row is None else _sd(row.peak_nm_sd, ".1f", "nm"),
          f"Spectrum {where}; FWHM {fwhm}")  # fmt: skip
    shift = _pm(result.peak_shift_nm, result.peak_shift_sd_nm, "+.2f", "nm")
    largest = number_text(result.max_abs_peak_shift_nm, ".2f", "nm")
    _card(cols[1], "Peak shift (trend)", *_change_lines(result.peak, "+.2f", "nm"),
          f"Measured last − reference {shift}; max |Δpeak| {largest}")  # fmt: skip
    width = _pm(result.fwhm_change_nm, result.fwhm_change_sd_nm, "+.2f", "nm")
    _card(cols[2], "FWHM change (trend)", *_change_lines(result.fwhm, "+.2f", "nm"),
          f"Measured last − reference {width}")  # fmt: skip
    _card(cols[3], "Δu'v' (trend)", *_change_lines(result.delta_uv, ".4f"),
          f"max Δu'v' {number_text(result.max_delta_u_prime_v_prime, '.4f')}; noise "
          f"alone would give up to "
          f"{number_text(result.max_delta_u_prime_v_prime_noise, '.4f')}")  # fmt: skip
    _card(cols[4], f"Drift rate [nm/{unit or 'step'}]",
          number_text(result.drift_rate_nm_per_unit, "+.3g"),
          _sd(result.drift_rate_stderr, ".2g"),
          "Weighted linear trend of the peak, ± its standard error from the "
          "residuals.")  # fmt: skip
    _card(cols[5], f"|Δpeak| > {result.threshold_nm:g} nm from", *_crossing(result),
          "Where the smoothed shift crosses the threshold and stays beyond it to "
          f"the end; second line: its ±{result.noise_k:g} SE band.")  # fmt: skip
    st.caption(plain(stability_caption(result, white_point)))


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
