"""
T-values read on the log-time-binned ℓ(t) of one test, honestly labelled.

T_x is the first crossing of x, linearly interpolated between bins; its
uncertainty comes from the noise of the reference level and of the curve. A
threshold the test never reached comes from the decay model, labelled
``"extrapolated"``, with a warning; its uncertainty adds the noise of L0 and
the model choice to the fit covariance (:mod:`core.lifetime.uncertainty`).
Beyond :data:`EXTRAPOLATION_LIMIT` (6) times the test duration, past the IES
TM-21 limit [4]_, the value is ``"beyond cap"`` and not reported unless asked
for. Devices that brighten first also get T-values counted from their
smoothed maximum L_max; L0 may be the model's start value instead of the
first reading (``l0_from_model``).

References
----------
.. [4] Illuminating Engineering Society, "IES TM-21-11: Projecting long term
   lumen maintenance of LED light sources" (2011): projections are limited to
   6x the test duration.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError
from core.lifetime.fit import DecayFit
from core.lifetime.reduction import first_crossing_h, log_time_bins, noise_fraction
from core.lifetime.uncertainty import (
    ModelCandidate,
    Reference,
    compare_models,
    extrapolated_uncertainty_h,
    measured_uncertainty_h,
    model_l0_noise,
)

__all__ = ["STANDARD_FRACTIONS", "EXTRAPOLATION_LIMIT", "T_KINDS", "ThresholdTime"]

#: T95, T90, T80, T70, T50 as fractions of the initial luminance.
STANDARD_FRACTIONS = (0.95, 0.90, 0.80, 0.70, 0.50)
#: IES TM-21: do not project beyond this multiple of the test duration.
EXTRAPOLATION_LIMIT = 6.0

# A device "brightens first" when its smoothed maximum exceeds L0 by more than
# this many noise standard deviations (and by at least 0.5 %).
_BRIGHTENING_SIGMAS = 3.0
_BRIGHTENING_MIN = 0.005


#: The kinds a T-value can have (``ThresholdTime.kind``, JSON ``t50_kind``).
T_KINDS = ("measured", "extrapolated", "beyond cap", "not determined")


@dataclass(frozen=True)
class ThresholdTime:
    """
    One T-value.

    Attributes
    ----------
    fraction : float
        x in T_x (0.5 for T50). [-]
    time_h : float
        Time from the start of the test. [h] NaN when not determined or
        beyond the extrapolation cap.
    kind : str
        ``"measured"`` (the data crossed), ``"extrapolated"`` (from the
        model: the test stopped first), ``"beyond cap"`` (the model puts it
        beyond :data:`EXTRAPOLATION_LIMIT` times the test duration: not
        reported) or ``"not determined"``.
    uncertainty_h : float
        One standard deviation [h] (:mod:`core.lifetime.uncertainty`): the
        reference-level and curve noise for measured values; the fit
        covariance, the L0 noise and the model choice for extrapolated ones.
    counted_from : str
        ``"initial"`` (x · L(0)) or ``"maximum"`` (x · L_max).
    model : str
        The model that produced an extrapolated value ("" otherwise).
    level : float
        ℓ = L/L(first reading) at which the value is read (x, x · L_max/L0,
        or x · m(0) with L0 from the model). [-]
    uncertainty_parts_h : dict
        The parts of ``uncertainty_h``: ``l0`` and ``curve`` (measured),
        ``fit``, ``l0`` and ``model_choice`` (extrapolated). [h]
    beyond_cap_h : float
        The model's value of a ``"beyond cap"`` T-value, kept only when it was
        asked for (``report_beyond_cap``); NaN otherwise. [h]
    """

    fraction: float
    time_h: float
    kind: str
    uncertainty_h: float = math.nan
    counted_from: str = "initial"
    model: str = ""
    level: float = math.nan
    uncertainty_parts_h: Mapping[str, float] = field(default_factory=dict)
    beyond_cap_h: float = math.nan

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


class Models:
    """
    The chosen decay model and, fitted only when a value is extrapolated, the
    other models for the model-choice spread.

    Parameters
    ----------
    curve : _Curve
        The test.
    fit : DecayFit or None
        The chosen model's fit.
    method : str
        The model asked for.
    report_beyond_cap : bool
        Keep the model's value of a T-value beyond the extrapolation cap.
    """

    def __init__(
        self, curve: _Curve, fit: DecayFit | None, method: str, report_beyond_cap: bool
    ) -> None:
        self.curve = curve
        self.fit = fit
        self.method = method
        self.report_beyond_cap = report_beyond_cap
        self._candidates: tuple[ModelCandidate, ...] | None = None

    @property
    def compared(self) -> bool:
        """True once the other models were fitted."""
        return self._candidates is not None

    def candidates(self) -> tuple[ModelCandidate, ...]:
        """Every model fitted from the chosen one's start, with its AIC."""
        if self.fit is None:
            return ()
        if self._candidates is None:
            self._candidates = compare_models(
                self.curve.time_h, self.curve.fraction, self.fit
            )
        return self._candidates

    def alternatives(self) -> tuple[DecayFit, ...]:
        """The other models whose fit is acceptable (ΔAIC within the limit)."""
        return tuple(
            c.fit
            for c in self.candidates()
            if c.acceptable and c.fit is not None and c.method != self.method
        )


def references(
    curve: _Curve, fit: DecayFit | None, l0_from_model: bool, warnings: list[str]
) -> tuple[Reference, Reference]:
    """
    What T-values are counted from: L(0) (the first reading, or the model's
    start value when ``l0_from_model``) and, for a device that brightens
    first, L_max; in that order.
    """
    initial = Reference("initial", "L(0)", 1.0, 0, False, curve.noise, 0.0, False)
    if l0_from_model:
        if fit is None:
            warnings.append(
                "L0 from the model was asked for, but no model could be fitted: "
                "T-values are counted from the first reading."
            )
        elif curve.brightens:
            warnings.append(
                "L0 from the model was asked for, but the device brightens first "
                "and the model starts at L_max: T-values from L(0) are counted "
                "from the first reading."
            )
        else:
            initial = Reference(
                "initial",
                "L0 of the model",
                fit.initial_fraction,
                0,
                True,
                curve.noise,
                model_l0_noise(fit, curve.noise),
                False,
            )
    n_max = int(curve.bin_n[curve.i_max]) if curve.bin_n.size else 1
    maximum = Reference(
        "maximum",
        "L_max",
        curve.l_max,
        curve.i_max,
        False,
        curve.noise,
        curve.noise / math.sqrt(max(n_max, 1)),
        True,
    )
    return initial, maximum


def _measured(curve: _Curve, x: float, time: float, reference: Reference):
    """The ThresholdTime of a crossing the data show, with its uncertainty."""
    bin_t, bin_f, bin_n = curve.bin_t, curve.bin_f, curve.bin_n
    level = reference.level(x)
    start = reference.start_index
    i = int(np.nonzero(bin_f[start:] <= level)[0][0]) + start
    uncertainty, parts = math.nan, dict[str, float]()
    if i > start and np.isfinite(curve.noise):
        with np.errstate(over="ignore"):  # an inf slope gives a zero spread
            slope = (bin_f[i] - bin_f[i - 1]) / (bin_t[i] - bin_t[i - 1])
        n_eff = 0.5 * (bin_n[i] + bin_n[i - 1])
        # The reference's noise scales the whole level (x · σ_ref); the
        # binned curve carries x · σ/√n at the crossing.
        uncertainty, parts = measured_uncertainty_h(
            reference, level, slope, curve.noise / math.sqrt(n_eff)
        )
    return ThresholdTime(
        x,
        time,
        "measured",
        uncertainty,
        reference.counted_from,
        level=level,
        uncertainty_parts_h=parts,
    )


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
            f"the {EXTRAPOLATION_LIMIT:g}x limit of IES TM-21 practice: reported "
            "only because it was asked for; treat it as an order of magnitude."
        )
    elif time < duration_h:
        message += (
            " The model crosses before the end of the test although the data "
            "do not: the model does not describe this decay well."
        )
    return message


def _cap_message(name: str, method: str, duration_h: float, stopped_at: str) -> str:
    limit = EXTRAPOLATION_LIMIT * duration_h
    return (
        f"{name} is not reported: the {method} model puts it beyond "
        f"{EXTRAPOLATION_LIMIT:g}x the test duration (> {_format_h(limit)}; the "
        f"test stopped after {_format_h(duration_h)} at {stopped_at}), past the "
        f"{EXTRAPOLATION_LIMIT:g}x limit of IES TM-21 practice. It is shown only "
        "on request (report beyond the cap)."
    )


def _unreached(
    x: float, models: Models, reference: Reference, stopped_at: str, warnings
) -> ThresholdTime:
    """A T-value the data never reached: extrapolated, beyond the cap, or not."""
    counted_from, origin = reference.counted_from, reference.origin
    name = f"T{x * 100:g}" + ("" if counted_from == "initial" else " (from L_max)")
    fit, method, duration = models.fit, models.method, models.curve.duration_h
    level = reference.level(x)
    not_determined = ThresholdTime(
        x, math.nan, "not determined", math.nan, counted_from, level=level
    )
    if fit is None:
        warnings.append(
            f"{name} was not reached (the test stopped at {stopped_at}) and no "
            "model is available to extrapolate it."
        )
        return not_determined
    relative = reference.from_model
    time = fit.time_to_fraction_h(x if relative else level, relative)
    if not np.isfinite(time):
        warnings.append(f"{name}: the {method} model never reaches {x:g} · {origin}.")
        return not_determined
    beyond = time > EXTRAPOLATION_LIMIT * duration
    if beyond and not models.report_beyond_cap:
        warnings.append(_cap_message(name, method, duration, stopped_at))
        return ThresholdTime(
            x, math.nan, "beyond cap", math.nan, counted_from, method, level
        )
    warnings.append(_extrapolation_message(name, time, method, duration, stopped_at))
    time, uncertainty, parts = extrapolated_uncertainty_h(
        fit, x, reference, models.alternatives()
    )
    if beyond:
        return ThresholdTime(
            x, math.nan, "beyond cap", uncertainty, counted_from, method, level,
            parts, beyond_cap_h=time,
        )  # fmt: skip
    return ThresholdTime(
        x, time, "extrapolated", uncertainty, counted_from, method, level, parts
    )


def _thresholds(
    fractions: Sequence[float],
    models: Models,
    reference: Reference,
    *,
    warnings: list[str],
) -> tuple[ThresholdTime, ...]:
    """T-values counted from ``reference``: measured, extrapolated or neither."""
    curve = models.curve
    final_fraction = float(curve.bin_f[-1]) / reference.scale
    stopped_at = f"{final_fraction * 100:.1f} % of {reference.origin}"
    out = []
    for x in fractions:
        time = first_crossing_h(
            curve.bin_t, curve.bin_f, reference.level(x), reference.start_index
        )
        if np.isfinite(time):
            out.append(_measured(curve, x, time, reference))
        else:
            out.append(_unreached(x, models, reference, stopped_at, warnings))
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
