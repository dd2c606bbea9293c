"""
Decay models of ℓ(t) = L(t)/L0: the functions, their inverses and Jacobians.

:data:`DECAY_MODELS` is the registry behind ``fit_decay(..., method=...)``
(colour-science style): each entry names its parameters, start values,
bounds, the time to a fraction and its reference.

References
----------
.. [2] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation
   behaviour arising from a simple empirical decay function," Trans. Faraday
   Soc. 66, 80–85 (1970), doi:10.1039/TF9706600080.
.. [3] C. Féry, B. Racine, D. Vaufrey, H. Doyeux and S. Cinà, "Physical
   mechanism responsible for the stretched exponential decay behavior of aging
   organic light-emitting diodes," Appl. Phys. Lett. 87, 213502 (2005),
   doi:10.1063/1.2133922.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from core.errors import InputError

__all__ = [
    "DECAY_MODELS",
    "DECAY_METHODS",
    "stretched_exponential",
    "stretched_exponential_time_h",
    "biexponential",
    "exponential",
]


def stretched_exponential(time_h, tau_h, beta, amplitude=1.0):
    """
    Stretched-exponential (Kohlrausch–Williams–Watts) luminance decay.

    ℓ(t) = A · exp(−(t/τ)^β), the usual description of OLED and PeLED ageing
    [2]_, [3]_. β = 1 is a pure exponential; β < 1 a fast start and a slow tail.

    Parameters
    ----------
    time_h : array_like
        Time since the start of the decay. [h]
    tau_h : float
        Characteristic time τ. [h]
    beta : float
        Stretching exponent β. [-]
    amplitude : float
        ℓ at t = 0, A. [-]

    Returns
    -------
    numpy.ndarray
        Relative luminance ℓ. [-]

    References
    ----------
    .. [2] G. Williams and D. C. Watts, Trans. Faraday Soc. 66, 80 (1970),
       doi:10.1039/TF9706600080.
    .. [3] C. Féry et al., Appl. Phys. Lett. 87, 213502 (2005),
       doi:10.1063/1.2133922.

    Examples
    --------
    >>> round(float(stretched_exponential(100.0, 100.0, 0.6)), 6)
    0.367879
    """
    t = np.clip(np.asarray(time_h, dtype=float), 0.0, None)
    return amplitude * np.exp(-((t / tau_h) ** beta))


def stretched_exponential_time_h(fraction, tau_h, beta, amplitude=1.0):
    """
    Closed-form time at which a stretched exponential reaches ``fraction``.

    T_x = τ · (−ln(x/A))^(1/β); 0 when x ≥ A (already below at t = 0).

    Parameters
    ----------
    fraction : array_like
        Threshold x (0.5 for T50). [-]
    tau_h, beta, amplitude : float
        As in :func:`stretched_exponential`. [h], [-], [-]

    Returns
    -------
    numpy.ndarray
        T_x. [h]

    Examples
    --------
    >>> round(float(stretched_exponential_time_h(0.5, 100.0, 1.0)), 4)  # τ ln 2
    69.3147
    """
    ratio = np.asarray(fraction, dtype=float) / amplitude
    with np.errstate(divide="ignore", invalid="ignore"):
        value = tau_h * (-np.log(ratio)) ** (1.0 / beta)
    return np.where(ratio >= 1.0, 0.0, value)


def biexponential(time_h, amplitude_1, tau_1_h, amplitude_2, tau_2_h):
    """
    Sum of two exponential decays: ℓ = A1 exp(−t/τ1) + A2 exp(−t/τ2).

    Two independent loss channels, a fast one (τ1) and a slow one (τ2); the
    alternative to the stretched exponential discussed for ageing OLEDs in
    [3]_.

    Parameters
    ----------
    time_h : array_like
        Time since the start of the decay. [h]
    amplitude_1, amplitude_2 : float
        Weights of the two channels. [-]
    tau_1_h, tau_2_h : float
        Their time constants. [h]

    Returns
    -------
    numpy.ndarray
        Relative luminance ℓ. [-]

    References
    ----------
    .. [3] C. Féry et al., Appl. Phys. Lett. 87, 213502 (2005),
       doi:10.1063/1.2133922.

    Examples
    --------
    >>> round(float(biexponential(0.0, 0.3, 1.0, 0.7, 10.0)), 6)
    1.0
    """
    t = np.clip(np.asarray(time_h, dtype=float), 0.0, None)
    return amplitude_1 * np.exp(-t / tau_1_h) + amplitude_2 * np.exp(-t / tau_2_h)


def exponential(time_h, tau_h, amplitude=1.0):
    """
    Single exponential decay ℓ = A exp(−t/τ); T50 = τ ln 2 when A = 1.

    The β = 1 case of :func:`stretched_exponential` [2]_.

    Parameters
    ----------
    time_h : array_like
        Time since the start of the decay. [h]
    tau_h : float
        Time constant. [h]
    amplitude : float
        ℓ at t = 0. [-]

    Returns
    -------
    numpy.ndarray
        Relative luminance ℓ. [-]

    References
    ----------
    .. [2] G. Williams and D. C. Watts, Trans. Faraday Soc. 66, 80 (1970),
       doi:10.1039/TF9706600080.
    """
    t = np.clip(np.asarray(time_h, dtype=float), 0.0, None)
    return amplitude * np.exp(-t / tau_h)


def _stretched_model(t, amplitude, tau_h, beta):
    return stretched_exponential(t, tau_h, beta, amplitude)


def _exponential_model(t, amplitude, tau_h):
    return exponential(t, tau_h, amplitude)


# Analytic Jacobians (K, P): curve_fit then needs one model evaluation per
# step instead of P + 1, which matters for logs of 10⁵ readings.
def _stretched_jacobian(t, amplitude, tau_h, beta):
    t = np.clip(np.asarray(t, dtype=float), 0.0, None)
    ratio = t / tau_h
    power = ratio**beta
    decay = np.exp(-power)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(ratio > 0, np.log(ratio), 0.0)
    return np.column_stack(
        (
            decay,
            amplitude * decay * power * beta / tau_h,
            -amplitude * decay * power * log_ratio,
        )
    )


def _exponential_jacobian(t, amplitude, tau_h):
    t = np.clip(np.asarray(t, dtype=float), 0.0, None)
    decay = np.exp(-t / tau_h)
    return np.column_stack((decay, amplitude * decay * t / tau_h**2))


def _biexponential_jacobian(t, amplitude_1, tau_1_h, amplitude_2, tau_2_h):
    t = np.clip(np.asarray(t, dtype=float), 0.0, None)
    first = np.exp(-t / tau_1_h)
    second = np.exp(-t / tau_2_h)
    return np.column_stack(
        (
            first,
            amplitude_1 * first * t / tau_1_h**2,
            second,
            amplitude_2 * second * t / tau_2_h**2,
        )
    )


def _weibull_line(time_h, fraction):
    """Slope, intercept, R² and n of ln(−ln ℓ) against ln t (0 < ℓ < 0.99)."""
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    keep = (t > 0) & (f > 0.0) & (f < 0.99) & np.isfinite(f)
    if keep.sum() < 3:
        return math.nan, math.nan, math.nan, int(keep.sum())
    x = np.log(t[keep])
    y = np.log(-np.log(f[keep]))
    if np.ptp(x) == 0:
        return math.nan, math.nan, math.nan, int(keep.sum())
    fit = stats.linregress(x, y)
    return float(fit.slope), float(fit.intercept), float(fit.rvalue**2), int(keep.sum())


def _stretched_guesses(t, f, duration_h):
    amplitude = float(np.clip(f[0], 0.05, 2.0)) if f.size else 1.0
    slope, intercept, _, _ = _weibull_line(t, f / amplitude)
    if np.isfinite(slope) and 0.05 < slope < 5.0:
        beta = slope
        tau = float(np.exp(-intercept / slope))
    else:
        beta, tau = 0.8, duration_h
    tau = float(np.clip(tau, duration_h * 1e-6, duration_h * 1e6))
    return [(amplitude, tau, beta), (amplitude, duration_h, 0.7)]


def _exponential_guesses(t, f, duration_h):
    amplitude = float(np.clip(f[0], 0.05, 2.0)) if f.size else 1.0
    guesses = [(amplitude, duration_h)]
    keep = (t > 0) & (f > 0)
    if keep.sum() >= 2:
        slope = np.polyfit(t[keep], np.log(f[keep]), 1)[0]
        if slope < 0:
            guesses.insert(0, (amplitude, -1.0 / slope))
    return guesses


def _biexponential_guesses(t, f, duration_h):
    (amplitude, tau, _), _ = _stretched_guesses(t, f, duration_h)
    return [
        (amplitude * w, tau * a, amplitude * (1 - w), tau * b)
        for w, a, b in ((0.5, 0.25, 4.0), (0.3, 0.1, 2.0), (0.2, 0.05, 1.5))
    ]


def _monotone_time_h(function, fraction, params, scale_h):
    """Time at which a decreasing model first reaches ``fraction`` (brentq)."""
    start = float(function(0.0, *params))
    if fraction >= start:
        return 0.0
    high = max(scale_h, 1e-12)
    for _ in range(200):
        if float(function(high, *params)) <= fraction:
            break
        high *= 2.0
    else:
        return math.nan
    return float(
        optimize.brentq(
            lambda t: float(function(t, *params)) - fraction, 0.0, high, xtol=1e-14
        )
    )


@dataclass(frozen=True)
class _DecayModel:
    """One entry of :data:`DECAY_MODELS`."""

    parameter_names: tuple[str, ...]
    function: Callable
    initial_guesses: Callable
    lower_bounds: tuple[float, ...]
    upper_bounds: tuple[float, ...]
    time_to_fraction: Callable
    reference: str
    jacobian: Callable | None = None


def _stretched_time(fraction, params, scale_h):
    amplitude, tau, beta = params
    return float(stretched_exponential_time_h(fraction, tau, beta, amplitude))


def _exponential_time(fraction, params, scale_h):
    amplitude, tau = params
    return float(stretched_exponential_time_h(fraction, tau, 1.0, amplitude))


def _biexponential_time(fraction, params, scale_h):
    return _monotone_time_h(biexponential, fraction, params, scale_h)


#: Decay models behind ``fit_decay(..., method=...)`` (colour-science style).
#: Time parameters are in hours; bounds on times are scaled by the duration.
DECAY_MODELS: types.MappingProxyType = types.MappingProxyType(
    {
        "stretched-exponential": _DecayModel(
            parameter_names=("amplitude", "tau_h", "beta"),
            function=_stretched_model,
            initial_guesses=_stretched_guesses,
            lower_bounds=(0.0, 1e-9, 0.05),
            upper_bounds=(10.0, 1e9, 5.0),
            time_to_fraction=_stretched_time,
            reference="Williams & Watts 1970, doi:10.1039/TF9706600080",
            jacobian=_stretched_jacobian,
        ),
        "biexponential": _DecayModel(
            parameter_names=("amplitude_1", "tau_1_h", "amplitude_2", "tau_2_h"),
            function=biexponential,
            initial_guesses=_biexponential_guesses,
            lower_bounds=(0.0, 1e-9, 0.0, 1e-9),
            upper_bounds=(10.0, 1e9, 10.0, 1e9),
            time_to_fraction=_biexponential_time,
            jacobian=_biexponential_jacobian,
            reference="sum of two exponentials (Féry et al. 2005, "
            "doi:10.1063/1.2133922)",
        ),
        "exponential": _DecayModel(
            parameter_names=("amplitude", "tau_h"),
            function=_exponential_model,
            initial_guesses=_exponential_guesses,
            lower_bounds=(0.0, 1e-9),
            upper_bounds=(10.0, 1e9),
            time_to_fraction=_exponential_time,
            jacobian=_exponential_jacobian,
            reference="single exponential (β = 1 stretched exponential)",
        ),
    }
)
#: Names accepted by ``method=``.
DECAY_METHODS: tuple[str, ...] = tuple(DECAY_MODELS)


def _check_method(method: str) -> _DecayModel:
    try:
        return DECAY_MODELS[method]
    except KeyError:
        raise InputError(
            f"Unknown decay model '{method}': expected one of "
            f"{', '.join(DECAY_METHODS)}."
        ) from None
