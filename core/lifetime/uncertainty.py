"""
The uncertainty of a T-value: what it is read against, and what moves it.

A T-value is read where ℓ(t) = L(t)/L_ref falls to x. Its one-standard-
deviation uncertainty combines, in quadrature:

* for a **measured** crossing, the noise of the reference level (the first
  reading L0; the binned L_max; or the model's L0) and of the binned curve at
  the crossing, divided by the slope there;
* for an **extrapolated** value, (a) the fit covariance propagated to T_x
  (delta method), (b) the noise of the first reading L0, which divides every
  reading: a relative error δ in L0 scales the fitted readings by 1/(1 + δ)
  (linearised through the fit, :attr:`DecayFit.scale_sensitivity`), i.e.
  moves the target level x → x(1 + δ); and (c) the model choice: half the
  range of T_x over the chosen model and every model of
  :data:`~core.lifetime.models.DECAY_MODELS` whose fit is acceptable, i.e.
  whose AIC lies within :data:`MODEL_CHOICE_DELTA_AIC` (2) of the best one
  [5]_.

References
----------
.. [5] K. P. Burnham and D. R. Anderson, "Model Selection and Multimodel
   Inference", 2nd ed., Springer (2002), doi:10.1007/b97636: models within
   ΔAIC ≤ 2 of the best have substantial support.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.lifetime.fit import DecayFit, fit_decay
from core.lifetime.models import DECAY_MODELS

__all__ = [
    "MODEL_CHOICE_DELTA_AIC",
    "MODEL_CHOICE_MAX_READINGS",
    "ModelCandidate",
    "compare_models",
]

#: A model takes part in the model-choice spread when its AIC is within this
#: of the best model's (Burnham & Anderson 2002).
MODEL_CHOICE_DELTA_AIC = 2.0
#: Most readings the models are compared on: longer logs are thinned evenly
#: (first and last kept), since a biexponential fit of 10⁵ readings takes
#: ~25 s and 5000 readings still tell the models apart.
MODEL_CHOICE_MAX_READINGS = 5000

# Relative step of the level for dT/dx (central differences).
_LEVEL_STEP = 1e-4


@dataclass(frozen=True)
class ModelCandidate:
    """
    One decay model fitted to the same readings, for the model-choice spread.

    Attributes
    ----------
    method : str
        Key of :data:`DECAY_MODELS`.
    fit : DecayFit or None
        None when the model could not be fitted (``reason`` says why).
    aic : float
        n·ln(SSE/n) + 2k on the fitted readings. [-]
    delta_aic : float
        AIC minus the lowest AIC of the candidates. [-]
    acceptable : bool
        ``delta_aic <= MODEL_CHOICE_DELTA_AIC``.
    reason : str
        Why the model has no fit ("" when it has one).
    n_readings : int
        Readings the AIC was computed on (at most
        :data:`MODEL_CHOICE_MAX_READINGS`).
    """

    method: str
    fit: DecayFit | None
    aic: float
    delta_aic: float
    acceptable: bool
    reason: str = ""
    n_readings: int = 0


def _thinned(time_h, fraction) -> tuple[np.ndarray, np.ndarray]:
    """At most :data:`MODEL_CHOICE_MAX_READINGS` readings, evenly strided."""
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    if t.size <= MODEL_CHOICE_MAX_READINGS:
        return t, f
    keep = np.unique(np.linspace(0, t.size - 1, MODEL_CHOICE_MAX_READINGS).round())
    index = keep.astype(int)
    return t[index], f[index]


def compare_models(time_h, fraction, fit: DecayFit) -> tuple[ModelCandidate, ...]:
    """
    Every decay model fitted from the same start as ``fit``, ranked by AIC.

    All models are compared on the same readings: all of them, or, for a
    long log, :data:`MODEL_CHOICE_MAX_READINGS` evenly strided ones (the
    chosen model is then refitted on those for its AIC; its candidate keeps
    ``fit``).

    Parameters
    ----------
    time_h, fraction : array_like
        (K,) the readings ``fit`` was fitted to. [h], [-]
    fit : DecayFit
        The chosen model's fit.

    Returns
    -------
    tuple of ModelCandidate
        In the order of :data:`DECAY_MODELS`.
    """
    t, f = _thinned(time_h, fraction)
    thinned = t.size < np.asarray(time_h).size
    fits: dict[str, DecayFit] = {}
    reasons: dict[str, str] = {}
    for method in DECAY_MODELS:
        if method == fit.method and not thinned:
            fits[method] = fit
            continue
        try:
            fits[method] = fit_decay(t, f, method=method, start_h=fit.start_h)
        except InputError as error:
            reasons[method] = str(error)
    aics = {method: item.aic for method, item in fits.items()}
    finite = [value for value in aics.values() if not math.isnan(value)]
    best = min(finite) if finite else math.nan
    out = []
    for method in DECAY_MODELS:
        aic = aics.get(method, math.nan)
        delta = aic - best if math.isfinite(aic) else math.nan
        if math.isinf(aic) and aic < 0:  # a noise-free exact fit
            delta = 0.0
        chosen = method == fit.method
        out.append(
            ModelCandidate(
                method=method,
                fit=fit if chosen else fits.get(method),
                aic=aic,
                delta_aic=delta,
                acceptable=bool(delta <= MODEL_CHOICE_DELTA_AIC),
                reason=reasons.get(method, ""),
                n_readings=fits[method].n_points if method in fits else 0,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Reference:
    """
    The level T-values are counted from, and its noise.

    Attributes
    ----------
    counted_from : str
        ``"initial"`` (L(0)) or ``"maximum"`` (L_max).
    origin : str
        How the reference is named in messages.
    scale : float
        ℓ of the reference (1 for the first reading, L_max/L0, or m(0)). [-]
    start_index : int
        First bin searched for a measured crossing.
    from_model : bool
        True when L0 is the model's start value m(0): the level follows the
        model's parameters.
    first_noise : float
        Relative noise of the first reading, δ. [-]
    own_noise : float
        Relative noise of the reference itself besides δ (σ/√n of the L_max
        bin; the model's m(0) from the covariance; 0 for the first reading). [-]
    moves_with_l0 : bool
        True when the reference is a reading divided by L0 (L_max), so that δ
        cancels between the reference and the curve.
    """

    counted_from: str
    origin: str
    scale: float
    start_index: int
    from_model: bool
    first_noise: float
    own_noise: float
    moves_with_l0: bool

    def level(self, fraction: float) -> float:
        """ℓ at which T_x is read."""
        return fraction * self.scale

    def measured_noise(self) -> float:
        """Relative noise of the reference level for a measured crossing."""
        if self.counted_from == "initial" and not self.from_model:
            return self.first_noise
        return self.own_noise


def model_l0_noise(fit: DecayFit, first_noise: float) -> float:
    """
    Relative standard deviation of the model's start value m(0) against the
    readings it normalises. [-]

    The fit covariance, and the part of the first reading's noise δ that the
    fit does not pass on to m(0): the readings scale by 1/(1 + δ), m(0) by
    1 + (dm(0)/dδ)/m(0) · δ; only the difference moves a crossing.
    """
    names = DECAY_MODELS[fit.method].parameter_names
    gradient = np.array([1.0 if k.startswith("amplitude") else 0.0 for k in names])
    cov = np.asarray(fit.covariance, dtype=float)
    sensitivity = np.asarray(fit.scale_sensitivity, dtype=float)
    if cov.shape != (gradient.size, gradient.size) or not np.all(np.isfinite(cov)):
        return math.nan
    variance = float(gradient @ cov @ gradient)
    start = fit.initial_fraction
    if variance < 0 or not start > 0 or sensitivity.shape != gradient.shape:
        return math.nan
    unshared = (float(gradient @ sensitivity) / start + 1.0) * first_noise
    return math.hypot(math.sqrt(variance) / start, unshared)


def measured_uncertainty_h(
    reference: Reference, level: float, slope: float, curve_noise: float
) -> tuple[float, dict[str, float]]:
    """
    One standard deviation of a measured crossing, and its parts.

    Parameters
    ----------
    reference : Reference
    level : float
        ℓ of the crossing. [-]
    slope : float
        dℓ/dt of the binned curve there. [1/h]
    curve_noise : float
        Relative noise of the binned ℓ at the crossing, σ/√n. [-]

    Returns
    -------
    total : float
        [h]; NaN when the noise or the slope is unknown.
    parts : dict
        ``{"l0": ..., "curve": ...}`` [h].
    """
    if not slope or not np.isfinite(slope):
        return math.nan, {}
    parts = {
        "l0": level * reference.measured_noise() / abs(slope),
        "curve": level * curve_noise / abs(slope),
    }
    return _quadrature(parts), parts


def extrapolated_uncertainty_h(
    fit: DecayFit,
    fraction: float,
    reference: Reference,
    alternatives: tuple[DecayFit, ...] = (),
) -> tuple[float, float, dict[str, float]]:
    """
    An extrapolated T_x and its uncertainty: fit, L0 noise and model choice.

    Parameters
    ----------
    fit : DecayFit
        The chosen model.
    fraction : float
        x. [-]
    reference : Reference
        What x is relative to.
    alternatives : tuple of DecayFit
        The other models whose fit is acceptable (:func:`compare_models`).

    Returns
    -------
    time_h : float
        T_x from the chosen model. [h]
    uncertainty_h : float
        One standard deviation, the parts in quadrature; NaN when a part is
        unknown. [h]
    parts : dict
        ``{"fit": ..., "l0": ..., "model_choice": ...}`` [h].
    """
    relative = reference.from_model
    x = fraction if relative else reference.level(fraction)
    time, gradient = fit.time_gradient(x, relative)
    if not np.isfinite(time):
        return math.nan, math.nan, {}
    parts = {
        "fit": fit.time_uncertainty_h(x, relative),
        "l0": _l0_part(fit, x, reference, gradient),
        "model_choice": _model_choice_part(time, x, relative, alternatives),
    }
    return time, _quadrature(parts), parts


def _l0_part(fit: DecayFit, x: float, reference: Reference, gradient) -> float:
    """How far the noise of L0 (and of the reference itself) moves T_x. [h]"""
    relative = reference.from_model
    up = fit.time_to_fraction_h(x * (1 + _LEVEL_STEP), relative)
    down = fit.time_to_fraction_h(x * (1 - _LEVEL_STEP), relative)
    elasticity = (up - down) / (2 * _LEVEL_STEP)  # level · dT/dlevel [h]
    sensitivity = np.asarray(fit.scale_sensitivity, dtype=float)
    if sensitivity.shape != gradient.shape:
        return math.nan
    per_delta = float(gradient @ sensitivity)  # dT/dδ through the fit
    if reference.moves_with_l0:
        per_delta -= elasticity  # the reference scales by 1/(1 + δ) too
    first = per_delta * reference.first_noise
    own = 0.0 if reference.from_model else elasticity * reference.own_noise
    return math.hypot(first, own)


def _model_choice_part(time, x, relative, alternatives) -> float:
    """Half the range of T_x over the chosen and the acceptable models. [h]"""
    values = [time]
    for other in alternatives:
        value = other.time_to_fraction_h(x, relative)
        if np.isfinite(value):
            values.append(value)
    return (max(values) - min(values)) / 2


def _quadrature(parts: dict[str, float]) -> float:
    values = list(parts.values())
    if not values or not all(np.isfinite(v) for v in values):
        return math.nan
    return math.sqrt(sum(v * v for v in values))
