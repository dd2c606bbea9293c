"""
T-values read on the log-time-binned ℓ(t) of one test, honestly labelled.

T_x is the first crossing of x, linearly interpolated between bins; its
uncertainty comes from the reading noise. A threshold the test never reached
comes from the decay model, labelled ``"extrapolated"``, with a warning; beyond
6x the test duration it is past the IES TM-21 limit [4]_. Devices that brighten
first also get T-values counted from their smoothed maximum L_max.

References
----------
.. [4] Illuminating Engineering Society, "IES TM-21-11: Projecting long term
   lumen maintenance of LED light sources" (2011): projections are limited to
   6x the test duration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.lifetime.fit import DecayFit
from core.lifetime.reduction import first_crossing_h, log_time_bins, noise_fraction

__all__ = ["STANDARD_FRACTIONS", "EXTRAPOLATION_LIMIT", "ThresholdTime"]

#: T95, T90, T80, T70, T50 as fractions of the initial luminance.
STANDARD_FRACTIONS = (0.95, 0.90, 0.80, 0.70, 0.50)
#: IES TM-21: do not project beyond this multiple of the test duration.
EXTRAPOLATION_LIMIT = 6.0

# A device "brightens first" when its smoothed maximum exceeds L0 by more than
# this many noise standard deviations (and by at least 0.5 %).
_BRIGHTENING_SIGMAS = 3.0
_BRIGHTENING_MIN = 0.005


@dataclass(frozen=True)
class ThresholdTime:
    """
    One T-value.

    Attributes
    ----------
    fraction : float
        x in T_x (0.5 for T50). [-]
    time_h : float
        Time from the start of the test. [h] NaN when not determined.
    kind : str
        ``"measured"`` (the data crossed), ``"extrapolated"`` (from the
        model: the test stopped first) or ``"not determined"``.
    uncertainty_h : float
        One standard deviation [h]: reading noise (on L0 and on the binned
        curve) for measured values, the model covariance for extrapolated ones.
    counted_from : str
        ``"initial"`` (x · L(0)) or ``"maximum"`` (x · L_max).
    model : str
        The model that produced an extrapolated value ("" otherwise).
    """

    fraction: float
    time_h: float
    kind: str
    uncertainty_h: float = math.nan
    counted_from: str = "initial"
    model: str = ""

    @property
    def name(self) -> str:
        """``"T50"``, ``"T95"``, ``"T97.5"``..."""
        return f"T{self.fraction * 100:g}"


def _format_h(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if value < 1:
        return f"{value * 60:.3g} min"
    return f"{value:.3g} h"


@dataclass(frozen=True)
class _Curve:
    """ℓ(t) of one test, its log-time bins, noise and smoothed maximum."""

    time_h: np.ndarray
    fraction: np.ndarray
    duration_h: float
    noise: float
    bin_t: np.ndarray
    bin_f: np.ndarray
    bin_n: np.ndarray
    brightens: bool
    i_max: int
    t_max_h: float
    l_max: float


def _curve(time, fraction, bins_per_decade: int, min_points: int) -> _Curve:
    """Bin ℓ(t) and decide whether the device brightens first."""
    noise = noise_fraction(time, fraction)
    bin_t, bin_f, bin_n = log_time_bins(
        time, fraction, bins_per_decade=bins_per_decade, min_points=min_points
    )
    # Brightening: the smoothed maximum beyond the noise of L0 and of a bin.
    i_max = int(np.argmax(bin_f))
    l_max = float(bin_f[i_max])
    threshold = max(_BRIGHTENING_MIN, _BRIGHTENING_SIGMAS * (noise if noise > 0 else 0))
    brightens = i_max > 0 and l_max - 1.0 > threshold
    t_max = float(bin_t[i_max]) if brightens else float(bin_t[0])
    if not brightens:
        i_max, l_max = 0, 1.0
    return _Curve(
        time_h=time,
        fraction=fraction,
        duration_h=float(time[-1] - time[0]),
        noise=noise,
        bin_t=bin_t,
        bin_f=bin_f,
        bin_n=bin_n,
        brightens=bool(brightens),
        i_max=i_max,
        t_max_h=t_max,
        l_max=l_max,
    )


def _measured_uncertainty_h(curve: _Curve, level: float, start_index: int) -> float:
    """One standard deviation of a measured crossing from the reading noise."""
    bin_t, bin_f, bin_n = curve.bin_t, curve.bin_f, curve.bin_n
    i = int(np.nonzero(bin_f[start_index:] <= level)[0][0]) + start_index
    if i <= start_index or not np.isfinite(curve.noise):
        return math.nan
    slope = (bin_f[i] - bin_f[i - 1]) / (bin_t[i] - bin_t[i - 1])
    n_eff = 0.5 * (bin_n[i] + bin_n[i - 1])
    # The first reading's noise scales the whole curve (x · σ);
    # the binned curve carries x · σ/√n at the crossing.
    spread = curve.noise * level * math.sqrt(1.0 + 1.0 / n_eff)
    return spread / abs(slope) if slope != 0 else math.nan


def _extrapolation_message(
    name: str, time: float, method: str, duration_h: float, stopped_at: str
) -> str:
    message = (
        f"{name} = {_format_h(time)} is extrapolated with the {method} model: "
        f"the test stopped after {_format_h(duration_h)} at {stopped_at}."
    )
    if time > EXTRAPOLATION_LIMIT * duration_h:
        message += (
            f" It lies {time / duration_h:.1f}x beyond the test duration, past "
            f"the {EXTRAPOLATION_LIMIT:g}x limit of IES TM-21 practice: treat it "
            "as an order of magnitude."
        )
    elif time < duration_h:
        message += (
            " The model crosses before the end of the test although the data "
            "do not: the model does not describe this decay well."
        )
    return message


def _thresholds(
    fractions: Sequence[float],
    curve: _Curve,
    fit: DecayFit | None,
    method: str,
    *,
    counted_from: str,
    warnings: list[str],
) -> tuple[ThresholdTime, ...]:
    """T-values counted from L(0) (``"initial"``) or from L_max (``"maximum"``)."""
    initial = counted_from == "initial"
    level_scale = 1.0 if initial else curve.l_max
    start_index = 0 if initial else curve.i_max
    origin = "L(0)" if initial else "L_max"
    final_fraction = float(curve.bin_f[-1]) / level_scale
    stopped_at = f"{final_fraction * 100:.1f} % of {origin}"
    out = []
    for x in fractions:
        level = x * level_scale
        name = f"T{x * 100:g}" + ("" if initial else " (from L_max)")
        time = first_crossing_h(curve.bin_t, curve.bin_f, level, start_index)
        if np.isfinite(time):
            uncertainty = _measured_uncertainty_h(curve, level, start_index)
            out.append(ThresholdTime(x, time, "measured", uncertainty, counted_from))
            continue
        if fit is None:
            warnings.append(
                f"{name} was not reached (the test stopped at {stopped_at}) and no "
                "model is available to extrapolate it."
            )
        else:
            time = fit.time_to_fraction_h(level)
            if not np.isfinite(time):
                warnings.append(
                    f"{name}: the {method} model never reaches {x:g} · {origin}."
                )
        if fit is None or not np.isfinite(time):
            out.append(
                ThresholdTime(x, math.nan, "not determined", math.nan, counted_from)
            )
            continue
        warnings.append(
            _extrapolation_message(name, time, method, curve.duration_h, stopped_at)
        )
        uncertainty = fit.time_uncertainty_h(level)
        out.append(
            ThresholdTime(x, time, "extrapolated", uncertainty, counted_from, method)
        )
    return tuple(out)


def _wanted_fractions(fractions: Sequence[float]) -> list[float]:
    """T95...T50 plus the user's fractions, checked, unique, largest first."""
    wanted: list[float] = []
    for x in list(STANDARD_FRACTIONS) + [float(v) for v in fractions]:
        if not 0.0 < x < 1.0:
            raise InputError(
                f"A lifetime threshold of {x:g} was asked for: expected a fraction "
                "between 0 and 1 (0.5 for T50)."
            )
        if all(abs(x - w) > 1e-12 for w in wanted):
            wanted.append(x)
    wanted.sort(reverse=True)
    return wanted
