"""
Operational lifetime: T95...T50, decay models and the acceleration factor.

A lifetime log is reduced to ℓ(t) = L(t)/L0 (L0: the first reading). T_x is the
first time ℓ ≤ x, read on log-time-binned data and linearly interpolated
between bins, which removes most of the early bias a raw first crossing has on
noisy data (METHODS.md §4). Thresholds the test never reached come from a
decay model and are labelled ``"extrapolated"``; a warning is added when they
lie beyond 6x the test duration (IES TM-21 practice). Lifetimes are converted
to a reference luminance with L0^n · T = const.

References
----------
.. [1] METHODS.md §4 (project design notes): L0^n · T50 = const, n ≈ 1.5–2 for
   OLED/QLED/PeLED devices; noise, binning and extrapolation pitfalls.
.. [2] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation
   behaviour arising from a simple empirical decay function," Trans. Faraday
   Soc. 66, 80–85 (1970), doi:10.1039/TF9706600080.
.. [3] C. Féry, B. Racine, D. Vaufrey, H. Doyeux and S. Cinà, "Physical
   mechanism responsible for the stretched exponential decay behavior of aging
   organic light-emitting diodes," Appl. Phys. Lett. 87, 213502 (2005),
   doi:10.1063/1.2133922.
.. [4] Illuminating Engineering Society, "IES TM-21-11: Projecting long term
   lumen maintenance of LED light sources" (2011): projections are limited to
   6x the test duration.
"""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from core.errors import InputError
from core.models import LifetimeLog

__all__ = [
    "DEFAULT_ACCELERATION_N",
    "ACCELERATION_BAND_N",
    "STANDARD_FRACTIONS",
    "EXTRAPOLATION_LIMIT",
    "DECAY_MODELS",
    "DECAY_METHODS",
    "STRESS_UNITS",
    "acceleration_factor",
    "lifetime_at_luminance_h",
    "stretched_exponential",
    "stretched_exponential_time_h",
    "biexponential",
    "exponential",
    "relative_luminance",
    "noise_fraction",
    "log_time_bins",
    "first_crossing_h",
    "DecayFit",
    "fit_decay",
    "ThresholdTime",
    "ReferenceLifetime",
    "convert_lifetime",
    "AccelerationFit",
    "fit_acceleration_exponent",
    "LifetimeResult",
    "lifetime_metrics",
    "lifetime_summary",
    "lifetime_table",
]

#: Default acceleration exponent n in L0^n · T = const.
DEFAULT_ACCELERATION_N = 1.8
#: The exponents that bound the usual range (METHODS.md §4); shown as a band.
ACCELERATION_BAND_N = (1.5, 2.0)
#: T95, T90, T80, T70, T50 as fractions of the initial luminance.
STANDARD_FRACTIONS = (0.95, 0.90, 0.80, 0.70, 0.50)
#: IES TM-21: do not project beyond this multiple of the test duration.
EXTRAPOLATION_LIMIT = 6.0
#: Units of the stresses accepted by the acceleration law.
STRESS_UNITS = types.MappingProxyType(
    {"luminance": "cd/m²", "radiance": "W/(sr·m²)", "current_density": "mA/cm²"}
)

# A device "brightens first" when its smoothed maximum exceeds L0 by more than
# this many noise standard deviations (and by at least 0.5 %).
_BRIGHTENING_SIGMAS = 3.0
_BRIGHTENING_MIN = 0.005


def acceleration_factor(initial_luminance_cd_m2, reference_luminance_cd_m2, n=1.8):
    """
    Factor by which a lifetime grows when the stress drops from L0 to L_ref.

    From L0^n · T = const: T(L_ref) = T(L0) · (L0 / L_ref)^n. The stress may be
    luminance, radiance or current density, as long as both arguments use the
    same one.

    Parameters
    ----------
    initial_luminance_cd_m2 : array_like
        Stress of the measured test, L0. [cd/m²] (or any stress unit)
    reference_luminance_cd_m2 : array_like
        Stress to convert to, L_ref, same unit as L0.
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    numpy.ndarray
        (L0 / L_ref)^n. [-]

    Examples
    --------
    >>> float(acceleration_factor(1000.0, 100.0, n=2.0))
    100.0
    """
    l0 = np.asarray(initial_luminance_cd_m2, dtype=float)
    ref = np.asarray(reference_luminance_cd_m2, dtype=float)
    return (l0 / ref) ** float(n)


def lifetime_at_luminance_h(
    lifetime_h, initial_luminance_cd_m2, reference_luminance_cd_m2, n=1.8
):
    """
    Convert a lifetime measured at L0 to the one expected at L_ref.

    Parameters
    ----------
    lifetime_h : array_like
        Lifetime (T50, T90...) measured at ``initial_luminance_cd_m2``. [h]
    initial_luminance_cd_m2 : array_like
        L0 of the measurement. [cd/m²]
    reference_luminance_cd_m2 : array_like
        Luminance to convert to. [cd/m²]
    n : float
        Acceleration exponent (default 1.8; 1.5 and 2.0 bound the usual range).

    Returns
    -------
    numpy.ndarray
        T(L_ref) = T(L0) · (L0 / L_ref)^n. [h]

    Examples
    --------
    >>> round(float(lifetime_at_luminance_h(1.0, 1000.0, 100.0, n=1.5)), 2)
    31.62
    """
    factor = acceleration_factor(initial_luminance_cd_m2, reference_luminance_cd_m2, n)
    return np.asarray(lifetime_h, dtype=float) * factor


# --------------------------------------------------------------------------
# Decay models
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Data reduction
# --------------------------------------------------------------------------


def relative_luminance(log: LifetimeLog) -> tuple[np.ndarray, np.ndarray, float]:
    """
    ℓ(t) = L(t)/L0 of a lifetime log, with L0 the first reading.

    The first reading is what a lifetime tester calls L0. It is unbiased but
    carries the reading noise; that noise is propagated into the T-value
    uncertainties by :func:`lifetime_metrics`. Relative logs and photodiode
    signals are normalised the same way, so ``L/L0`` in percent works too.

    Parameters
    ----------
    log : LifetimeLog
        The test.

    Returns
    -------
    time_h : numpy.ndarray
        (K,) time. [h]
    fraction : numpy.ndarray
        (K,) ℓ = L/L0. [-]
    first_reading : float
        L0 in the log's unit ([cd/m²] for absolute logs).

    Raises
    ------
    InputError
        When the log has fewer than 3 readings or the first reading is not
        positive.
    """
    time = np.asarray(log.time_h, dtype=float)
    luminance = np.asarray(log.luminance_cd_m2, dtype=float)
    name = log.label or log.source or "the lifetime log"
    if time.size < 3:
        raise InputError(
            f"{name} has {time.size} readings: expected at least 3 to compute a "
            "lifetime."
        )
    first = float(luminance[0])
    if not np.isfinite(first) or first <= 0:
        raise InputError(
            f"{name}: the first luminance reading is {first:g}; expected a positive "
            "L0 to normalise the decay. Remove the leading rows recorded before the "
            "device was switched on."
        )
    return time, luminance / first, first


def noise_fraction(time_h, fraction) -> float:
    """
    Relative reading noise of ℓ, from the median absolute second difference.

    For a smooth curve sampled densely the second difference is noise only,
    with variance 6σ²; dividing by the local ℓ gives the noise relative to the
    signal (a luminance meter's noise scales with the reading), which is also
    the relative noise of the first reading, L0. The MAD makes the estimate
    robust to the few steep points at the start of a decay.

    Parameters
    ----------
    time_h : array_like
        (K,) time, increasing. [h]
    fraction : array_like
        (K,) ℓ. [-]

    Returns
    -------
    float
        Relative standard deviation of one reading. [-]

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.linspace(0.0, 10.0, 5000)
    >>> f = np.exp(-t / 5.0) * (1 + 0.01 * rng.standard_normal(t.size))
    >>> round(noise_fraction(t, f), 3)
    0.01
    """
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    good = np.isfinite(f) & np.isfinite(t)
    f = f[good]
    if f.size < 5:
        return math.nan
    d2 = f[:-2] - 2.0 * f[1:-1] + f[2:]
    middle = f[1:-1]
    positive = middle > 0
    if positive.sum() < 3:
        return math.nan
    relative = d2[positive] / middle[positive]
    mad = np.median(np.abs(relative - np.median(relative)))
    return float(1.4826 * mad / math.sqrt(6.0))


def log_time_bins(
    time_h, values, *, bins_per_decade: int = 20, min_points: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Average readings in bins equally spaced in log time.

    The first reading (t0) stays alone: it defines L0. The others are grouped
    by log10(t − t0) in ``bins_per_decade`` bins per decade, and neighbouring
    bins are merged until each holds ``min_points`` readings. Averaging over
    windows that widen with time keeps the fast start resolved while the slow
    tail is averaged strongly, which removes most of the bias of a raw first
    crossing on noisy data (METHODS.md §4: T50 −1.8 h raw, +0.04 h binned on
    a τ = 100 h, β = 0.6 curve with 1 % noise).

    Parameters
    ----------
    time_h : array_like
        (K,) non-decreasing time. [h]
    values : array_like
        (K,) readings (ℓ, voltage...). NaN readings are ignored.
    bins_per_decade : int
        Bins per decade of time.
    min_points : int
        Fewest readings averaged into one bin.

    Returns
    -------
    time_h : numpy.ndarray
        (B,) mean time of each bin. [h]
    values : numpy.ndarray
        (B,) mean reading of each bin.
    counts : numpy.ndarray
        (B,) readings in each bin.
    """
    t = np.asarray(time_h, dtype=float)
    v = np.asarray(values, dtype=float)
    good = np.isfinite(t) & np.isfinite(v)
    t, v = t[good], v[good]
    if t.size == 0:
        return np.array([]), np.array([]), np.array([], dtype=int)
    t0 = t[0]
    rest_t, rest_v = t[1:] - t0, v[1:]
    out_t, out_v, out_n = [t0], [v[0]], [1]
    positive = rest_t > 0
    if (~positive).any():  # readings repeated at t0 join the first bin
        out_v[0] = float(np.mean(np.r_[v[0], rest_v[~positive]]))
        out_n[0] = 1 + int((~positive).sum())
        rest_t, rest_v = rest_t[positive], rest_v[positive]
    if rest_t.size:
        index = np.floor(np.log10(rest_t / rest_t[0]) * bins_per_decade).astype(int)
        starts = np.r_[0, np.nonzero(np.diff(index))[0] + 1]
        sums_t = np.add.reduceat(rest_t, starts)
        sums_v = np.add.reduceat(rest_v, starts)
        counts = np.diff(np.r_[starts, rest_t.size])
        acc_t = acc_v = 0.0
        acc_n = 0
        for st, sv, n in zip(sums_t, sums_v, counts, strict=True):
            acc_t, acc_v, acc_n = acc_t + st, acc_v + sv, acc_n + int(n)
            if acc_n >= min_points:
                out_t.append(t0 + acc_t / acc_n)
                out_v.append(acc_v / acc_n)
                out_n.append(acc_n)
                acc_t = acc_v = 0.0
                acc_n = 0
        if acc_n:
            if len(out_n) > 1:  # a short tail joins the last full bin
                n_last = out_n[-1]
                total = n_last + acc_n
                out_t[-1] = ((out_t[-1] - t0) * n_last + acc_t) / total + t0
                out_v[-1] = (out_v[-1] * n_last + acc_v) / total
                out_n[-1] = total
            else:
                out_t.append(t0 + acc_t / acc_n)
                out_v.append(acc_v / acc_n)
                out_n.append(acc_n)
    return np.array(out_t), np.array(out_v), np.array(out_n, dtype=int)


def first_crossing_h(time_h, fraction, level: float, start_index: int = 0) -> float:
    """
    First time ``fraction`` falls to ``level``, linearly interpolated.

    Parameters
    ----------
    time_h : array_like
        (B,) time. [h]
    fraction : array_like
        (B,) ℓ (usually log-time binned). [-]
    level : float
        Threshold. [-]
    start_index : int
        Search from this index on (e.g. the maximum of a brightening device).

    Returns
    -------
    float
        Crossing time [h]; NaN when ``fraction`` never reaches ``level``.

    Examples
    --------
    >>> first_crossing_h([0.0, 1.0, 2.0], [1.0, 0.8, 0.4], 0.5)
    1.75
    """
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    below = np.nonzero(f[start_index:] <= level)[0]
    if below.size == 0:
        return math.nan
    i = int(below[0]) + start_index
    if i == start_index:
        return float(t[i])
    f0, f1 = f[i - 1], f[i]
    return float(t[i - 1] + (level - f0) * (t[i] - t[i - 1]) / (f1 - f0))


# --------------------------------------------------------------------------
# Model fit
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecayFit:
    """
    A decay model fitted to ℓ(t) with scipy.optimize.curve_fit.

    The model describes ℓ(t) = m(t − start_h) for t ≥ ``start_h`` (the
    maximum of a device that brightens first, else the start of the test).

    Attributes
    ----------
    method : str
        Key of :data:`DECAY_MODELS`.
    parameters : dict
        Fitted parameters (times in [h], amplitudes and β in [-]).
    uncertainties : dict
        One standard deviation of each parameter, from the covariance.
    start_h : float
        Time origin of the model. [h]
    r_squared : float
        Coefficient of determination on the fitted readings. [-]
    rmse_fraction : float
        Root-mean-square residual in ℓ. [-]
    weibull_r_squared : float
        R² of ln(−ln ℓ) against ln t on the binned data: near 1 when a
        stretched exponential holds. [-]
    weibull_slope : float
        Slope of that line (the model-free β). [-]
    n_points : int
        Readings used.
    covariance : numpy.ndarray
        Parameter covariance matrix.
    warnings : tuple of str
        What the user should know about this fit.
    """

    method: str
    parameters: dict
    uncertainties: dict
    start_h: float
    r_squared: float
    rmse_fraction: float
    weibull_r_squared: float
    weibull_slope: float
    n_points: int
    covariance: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    warnings: tuple[str, ...] = ()

    @property
    def _values(self) -> tuple[float, ...]:
        names = DECAY_MODELS[self.method].parameter_names
        return tuple(float(self.parameters[k]) for k in names)

    def fraction_at(self, time_h) -> np.ndarray:
        """Model ℓ at ``time_h`` [h]; NaN before ``start_h``."""
        t = np.asarray(time_h, dtype=float)
        model = DECAY_MODELS[self.method]
        values = model.function(t - self.start_h, *self._values)
        return np.where(t >= self.start_h, values, np.nan)

    def time_to_fraction_h(self, fraction: float) -> float:
        """Time [h] since the start of the test at which the model reaches x."""
        model = DECAY_MODELS[self.method]
        scale = max(float(v) for k, v in self.parameters.items() if k.endswith("_h"))
        delay = model.time_to_fraction(float(fraction), self._values, scale)
        return self.start_h + delay

    def time_uncertainty_h(self, fraction: float) -> float:
        """One standard deviation of :meth:`time_to_fraction_h` (delta method)."""
        model = DECAY_MODELS[self.method]
        values = np.array(self._values)
        cov = np.asarray(self.covariance, dtype=float)
        if cov.shape != (values.size, values.size) or not np.all(np.isfinite(cov)):
            return math.nan
        scale = max(float(v) for k, v in self.parameters.items() if k.endswith("_h"))
        base = model.time_to_fraction(float(fraction), tuple(values), scale)
        if not np.isfinite(base):
            return math.nan
        gradient = np.zeros(values.size)
        for i in range(values.size):
            step = 1e-6 * max(abs(values[i]), 1e-12)
            shifted = values.copy()
            shifted[i] += step
            gradient[i] = (
                model.time_to_fraction(float(fraction), tuple(shifted), scale) - base
            ) / step
        variance = float(gradient @ cov @ gradient)
        return math.sqrt(variance) if variance >= 0 else math.nan


def fit_decay(
    time_h,
    fraction,
    *,
    method: str = "stretched-exponential",
    start_h: float | None = None,
) -> DecayFit:
    """
    Fit a decay model to ℓ(t).

    Parameters
    ----------
    time_h : array_like
        (K,) time. [h]
    fraction : array_like
        (K,) ℓ = L/L0. [-]
    method : str
        ``"stretched-exponential"`` (default), ``"biexponential"`` or
        ``"exponential"``; see :data:`DECAY_MODELS`.
    start_h : float, optional
        Fit only t ≥ ``start_h`` and count the model's time from there
        (the maximum of a device that brightens first). Default: first time.

    Returns
    -------
    DecayFit

    Raises
    ------
    InputError
        Unknown method, too few readings, or a fit that does not converge.

    Examples
    --------
    >>> t = np.linspace(0, 300, 301)
    >>> fit = fit_decay(t, stretched_exponential(t, 100.0, 0.6))
    >>> round(fit.parameters["tau_h"], 6), round(fit.parameters["beta"], 6)
    (100.0, 0.6)
    """
    model = _check_method(method)
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    good = np.isfinite(t) & np.isfinite(f)
    t, f = t[good], f[good]
    start = float(t[0]) if start_h is None else float(start_h)
    keep = t >= start
    t_fit, f_fit = t[keep] - start, f[keep]
    n_params = len(model.parameter_names)
    if t_fit.size < n_params + 2:
        raise InputError(
            f"The {method} model needs at least {n_params + 2} readings after "
            f"{start:g} h; the log has {t_fit.size}."
        )
    duration = float(t_fit[-1]) if t_fit[-1] > 0 else 1.0
    bin_t, bin_f, _ = log_time_bins(t_fit, f_fit)
    best = None
    errors = []
    for guess in model.initial_guesses(bin_t, bin_f, duration):
        lower = np.array(model.lower_bounds, dtype=float)
        upper = np.array(model.upper_bounds, dtype=float)
        for k, name in enumerate(model.parameter_names):
            if name.endswith("_h"):
                lower[k] = duration * 1e-9
                upper[k] = duration * 1e9
        p0 = np.clip(np.asarray(guess, dtype=float), lower * 1.0001, upper * 0.9999)
        try:
            with warnings.catch_warnings():
                # An undetermined covariance is reported below, as a warning
                # on the fit, not as a Python warning.
                warnings.simplefilter("ignore", optimize.OptimizeWarning)
                params, cov = optimize.curve_fit(
                    model.function,
                    t_fit,
                    f_fit,
                    p0=p0,
                    jac=model.jacobian,
                    bounds=(lower, upper),
                    method="trf",
                    ftol=1e-14,
                    xtol=1e-14,
                    gtol=1e-14,
                    max_nfev=20000,
                )
        except (RuntimeError, ValueError) as error:
            errors.append(str(error))
            continue
        sse = float(np.sum((model.function(t_fit, *params) - f_fit) ** 2))
        if best is None or sse < best[2]:
            best = (params, cov, sse)
        if method != "biexponential":
            # The Weibull-line start is close; later guesses are fallbacks.
            break
    if best is None:
        raise InputError(
            f"The {method} model could not be fitted to this decay "
            f"({errors[-1] if errors else 'no start values'}); try another model."
        )
    params, cov, sse = best
    messages: list[str] = []
    if method == "biexponential":
        if params[1] > params[3]:  # report the fast channel first
            params = params[[2, 3, 0, 1]]
            cov = cov[np.ix_([2, 3, 0, 1], [2, 3, 0, 1])]
        total = params[0] + params[2]
        if min(params[0], params[2]) < 0.01 * total or params[3] < 1.05 * params[1]:
            messages.append(
                "The two biexponential channels collapse into one (an amplitude "
                "below 1 % or equal time constants): the data hold a single decay; "
                "use the exponential or stretched-exponential model."
            )
    sst = float(np.sum((f_fit - f_fit.mean()) ** 2))
    r_squared = 1.0 - sse / sst if sst > 0 else math.nan
    rmse = math.sqrt(sse / t_fit.size)
    errors_1sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    if not np.all(np.isfinite(cov)):
        messages.append(
            f"The {method} parameters are not all determined by these data "
            "(infinite covariance): their uncertainties are unknown."
        )
    level = bin_f[0] if bin_f.size else 1.0
    slope, _, weibull_r2, _ = _weibull_line(bin_t, bin_f / level)
    names = model.parameter_names
    return DecayFit(
        method=method,
        parameters={k: float(v) for k, v in zip(names, params, strict=True)},
        uncertainties={k: float(v) for k, v in zip(names, errors_1sd, strict=True)},
        start_h=start,
        r_squared=float(r_squared),
        rmse_fraction=float(rmse),
        weibull_r_squared=weibull_r2,
        weibull_slope=slope,
        n_points=int(t_fit.size),
        covariance=np.array(cov, dtype=float),
        warnings=tuple(messages),
    )


# --------------------------------------------------------------------------
# Conversion to a reference luminance and the acceleration exponent
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceLifetime:
    """
    A lifetime converted to a reference stress with L0^n · T = const.

    Attributes
    ----------
    lifetime_h : float
        The lifetime at the test's stress. [h]
    initial_stress : float
        Stress of the test (L0). [cd/m²] or the unit of ``stress``
    reference_stress : float
        Stress converted to. Same unit.
    n : float
        Exponent used. [-]
    value_h : float
        T at the reference stress with ``n``. [h]
    band_h : tuple of float
        (T with n = 1.5, T with n = 2.0): the usual range. [h]
    kind : str
        ``"measured"`` or ``"extrapolated"``, inherited from ``lifetime_h``.
    stress : str
        ``"luminance"``, ``"radiance"`` or ``"current_density"``.
    """

    lifetime_h: float
    initial_stress: float
    reference_stress: float
    n: float
    value_h: float
    band_h: tuple[float, float]
    kind: str = "measured"
    stress: str = "luminance"

    @property
    def band_n(self) -> tuple[float, float]:
        """Exponents of ``band_h``."""
        return ACCELERATION_BAND_N


def convert_lifetime(
    lifetime_h: float,
    initial_stress: float,
    reference_stress: float,
    *,
    n: float = DEFAULT_ACCELERATION_N,
    kind: str = "measured",
    stress: str = "luminance",
) -> ReferenceLifetime:
    """
    T(L_ref) = T(L0) · (L0/L_ref)^n, with the n = 1.5 and n = 2.0 band.

    Parameters
    ----------
    lifetime_h : float
        Lifetime at ``initial_stress``. [h]
    initial_stress : float
        L0 (or radiance, or current density) of the test. [cd/m²]
    reference_stress : float
        The stress to convert to, same unit. [cd/m²]
    n : float
        Acceleration exponent. [-]
    kind : str
        Whether ``lifetime_h`` was measured or extrapolated (carried along).
    stress : str
        A key of :data:`STRESS_UNITS`.

    Returns
    -------
    ReferenceLifetime

    Raises
    ------
    InputError
        When a stress is not positive or the stress name is unknown.

    Examples
    --------
    >>> r = convert_lifetime(1.0, 1000.0, 100.0, n=2.0)
    >>> round(r.value_h, 6), [round(v, 2) for v in r.band_h]
    (100.0, [31.62, 100.0])
    """
    if stress not in STRESS_UNITS:
        raise InputError(
            f"Unknown stress '{stress}': expected one of {', '.join(STRESS_UNITS)}."
        )
    unit = STRESS_UNITS[stress]
    for label, value in (("initial", initial_stress), ("reference", reference_stress)):
        if value is None or not np.isfinite(value) or value <= 0:
            shown = "missing" if value is None else f"{value:g}"
            raise InputError(
                f"The {label} {stress.replace('_', ' ')} is {shown}; expected a "
                f"positive value in {unit} to convert a lifetime."
            )
    value = float(
        lifetime_at_luminance_h(lifetime_h, initial_stress, reference_stress, n)
    )
    band = tuple(
        float(lifetime_at_luminance_h(lifetime_h, initial_stress, reference_stress, m))
        for m in ACCELERATION_BAND_N
    )
    return ReferenceLifetime(
        lifetime_h=float(lifetime_h),
        initial_stress=float(initial_stress),
        reference_stress=float(reference_stress),
        n=float(n),
        value_h=value,
        band_h=band,  # type: ignore[arg-type]
        kind=kind,
        stress=stress,
    )


@dataclass(frozen=True)
class AccelerationFit:
    """
    The acceleration exponent from tests at several stresses.

    ln T = c − n ln S, fitted with scipy.stats.linregress.

    Attributes
    ----------
    n : float
        Acceleration exponent. [-]
    n_stderr : float
        Its standard error (from linregress). [-]
    intercept : float
        c, so that T = exp(c) · S^(−n). [ln h]
    r_squared : float
        Of the log-log line. [-]
    n_points : int
        Tests used.
    stress : str
        A key of :data:`STRESS_UNITS`.
    """

    n: float
    n_stderr: float
    intercept: float
    r_squared: float
    n_points: int
    stress: str = "luminance"

    def lifetime_h(self, stress_value) -> np.ndarray:
        """Lifetime predicted by the fitted line at ``stress_value``. [h]"""
        s = np.asarray(stress_value, dtype=float)
        return np.exp(self.intercept) * s ** (-self.n)


def fit_acceleration_exponent(
    stress: Sequence[float], lifetime_h: Sequence[float], *, stress_name="luminance"
) -> AccelerationFit:
    """
    Fit n in S^n · T = const by log-log regression.

    Parameters
    ----------
    stress : sequence of float
        Initial luminance (or radiance, or current density) of each test.
    lifetime_h : sequence of float
        The lifetime (usually T50) of each test. [h]
    stress_name : str
        A key of :data:`STRESS_UNITS`.

    Returns
    -------
    AccelerationFit

    Raises
    ------
    InputError
        With fewer than 3 tests at distinct stresses having a positive
        lifetime.

    Examples
    --------
    >>> fit = fit_acceleration_exponent([100, 300, 1000], [100, 100 / 3**1.8,
    ...                                  100 / 10**1.8])
    >>> round(fit.n, 6)
    1.8
    """
    if stress_name not in STRESS_UNITS:
        raise InputError(
            f"Unknown stress '{stress_name}': expected one of "
            f"{', '.join(STRESS_UNITS)}."
        )
    s = np.asarray(stress, dtype=float)
    life = np.asarray(lifetime_h, dtype=float)
    if s.shape != life.shape:
        raise InputError(
            f"{s.size} stresses were given for {life.size} lifetimes; expected one "
            "stress per test."
        )
    keep = np.isfinite(s) & np.isfinite(life) & (s > 0) & (life > 0)
    distinct = np.unique(s[keep]).size
    if distinct < 3:
        raise InputError(
            f"Fitting the acceleration exponent needs tests at 3 or more initial "
            f"{stress_name.replace('_', ' ')} values with a determined lifetime; "
            f"found {distinct}. Use a fixed n (1.8 by default) instead."
        )
    result = stats.linregress(np.log(s[keep]), np.log(life[keep]))
    return AccelerationFit(
        n=float(-result.slope),
        n_stderr=float(result.stderr),
        intercept=float(result.intercept),
        r_squared=float(result.rvalue**2),
        n_points=int(keep.sum()),
        stress=stress_name,
    )


# --------------------------------------------------------------------------
# Everything about one test
# --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class LifetimeResult:
    """
    Lifetime figures of one test (see :func:`lifetime_metrics`).

    Attributes
    ----------
    label, source : str
        From the log.
    relative : bool
        True when the log holds L/L0 or a photodiode signal.
    initial_luminance_cd_m2 : float or None
        L0 used for conversions [cd/m²]: the user's value if given, else the
        first reading of an absolute log, else None.
    first_reading : float
        The first reading in the log's unit (the L0 that normalises ℓ).
    duration_h : float
        Length of the test. [h]
    final_fraction : float
        ℓ at the end of the test (binned). [-]
    noise_fraction : float
        Reading noise on ℓ (one standard deviation). [-]
    thresholds : tuple of ThresholdTime
        T-values counted from L(0).
    thresholds_from_max : tuple of ThresholdTime
        T-values counted from L_max (time still from the start of the test);
        empty unless the device brightens first.
    brightens : bool
        True when the smoothed maximum exceeds L(0) beyond the noise.
    t_max_h : float
        Time of the smoothed maximum. [h]
    l_max_fraction : float
        L_max/L0. [-]
    l_max_cd_m2 : float or None
        L_max when L0 is known. [cd/m²]
    fit : DecayFit or None
        The decay model (None if it could not be fitted).
    method : str
        The model asked for.
    reference : ReferenceLifetime or None
        T50 at the reference luminance (None without L0 or T50).
    voltage_initial_v, voltage_final_v, voltage_rise_v : float
        Drive voltage at the start, at the end and its rise. [V]
    voltage_rise_at_t50_v : float
        V(T50) − V(0) when T50 was measured. [V]
    current_density_ma_cm2 : float
        Median current density of the test (the stress of a constant-current
        test). [mA/cm²]
    peak_shift_at_t50_nm : float
        EL peak at T50 minus the initial peak, from ``log.spectra``. [nm]
    binned_time_h, binned_fraction : numpy.ndarray
        The log-time-binned ℓ(t) the T-values were read on. [h], [-]
    warnings : tuple of str
        Everything the user must know (extrapolations, missing L0...).
    """

    label: str
    source: str
    relative: bool
    initial_luminance_cd_m2: float | None
    first_reading: float
    duration_h: float
    final_fraction: float
    noise_fraction: float
    thresholds: tuple[ThresholdTime, ...]
    thresholds_from_max: tuple[ThresholdTime, ...]
    brightens: bool
    t_max_h: float
    l_max_fraction: float
    l_max_cd_m2: float | None
    fit: DecayFit | None
    method: str
    reference: ReferenceLifetime | None
    voltage_initial_v: float = math.nan
    voltage_final_v: float = math.nan
    voltage_rise_v: float = math.nan
    voltage_rise_at_t50_v: float = math.nan
    current_density_ma_cm2: float = math.nan
    peak_shift_at_t50_nm: float = math.nan
    binned_time_h: np.ndarray = field(repr=False, default_factory=lambda: np.array([]))
    binned_fraction: np.ndarray = field(
        repr=False, default_factory=lambda: np.array([])
    )
    warnings: tuple[str, ...] = ()

    def threshold(
        self, fraction: float, counted_from: str = "initial"
    ) -> ThresholdTime:
        """The T-value for ``fraction`` (raises KeyError if not computed)."""
        pool = (
            self.thresholds if counted_from == "initial" else self.thresholds_from_max
        )
        for item in pool:
            if abs(item.fraction - fraction) < 1e-12:
                return item
        raise KeyError(f"T{fraction * 100:g} ({counted_from}) was not computed")

    def _time(self, fraction: float) -> float:
        try:
            return self.threshold(fraction).time_h
        except KeyError:
            return math.nan

    @property
    def t95_h(self) -> float:
        """T95 from L(0). [h]"""
        return self._time(0.95)

    @property
    def t90_h(self) -> float:
        """T90 from L(0). [h]"""
        return self._time(0.90)

    @property
    def t80_h(self) -> float:
        """T80 from L(0). [h]"""
        return self._time(0.80)

    @property
    def t70_h(self) -> float:
        """T70 from L(0). [h]"""
        return self._time(0.70)

    @property
    def t50_h(self) -> float:
        """T50 from L(0). [h]"""
        return self._time(0.50)

    @property
    def t50_kind(self) -> str:
        """``"measured"``, ``"extrapolated"`` or ``"not determined"``."""
        return self.threshold(0.5).kind

    @property
    def kinds(self) -> dict[str, str]:
        """Kind of every T-value from L(0), keyed ``"T50"``..."""
        return {item.name: item.kind for item in self.thresholds}


def _format_h(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if value < 1:
        return f"{value * 60:.3g} min"
    return f"{value:.3g} h"


def _thresholds(
    fractions: Sequence[float],
    bin_t: np.ndarray,
    bin_f: np.ndarray,
    bin_n: np.ndarray,
    *,
    level_scale: float,
    start_index: int,
    noise: float,
    fit: DecayFit | None,
    method: str,
    duration_h: float,
    final_fraction: float,
    counted_from: str,
    warnings: list[str],
) -> tuple[ThresholdTime, ...]:
    out = []
    origin = "L(0)" if counted_from == "initial" else "L_max"
    for x in fractions:
        level = x * level_scale
        name = f"T{x * 100:g}" + ("" if counted_from == "initial" else " (from L_max)")
        time = first_crossing_h(bin_t, bin_f, level, start_index)
        if np.isfinite(time):
            i = int(np.nonzero(bin_f[start_index:] <= level)[0][0]) + start_index
            uncertainty = math.nan
            if i > start_index and np.isfinite(noise):
                slope = (bin_f[i] - bin_f[i - 1]) / (bin_t[i] - bin_t[i - 1])
                n_eff = 0.5 * (bin_n[i] + bin_n[i - 1])
                # The first reading's noise scales the whole curve (x · σ);
                # the binned curve carries x · σ/√n at the crossing.
                spread = noise * level * math.sqrt(1.0 + 1.0 / n_eff)
                uncertainty = spread / abs(slope) if slope != 0 else math.nan
            out.append(ThresholdTime(x, time, "measured", uncertainty, counted_from))
            continue
        if fit is None:
            warnings.append(
                f"{name} was not reached (the test stopped at "
                f"{final_fraction * 100:.1f} % of {origin}) and no model is "
                "available to extrapolate it."
            )
            out.append(
                ThresholdTime(x, math.nan, "not determined", math.nan, counted_from)
            )
            continue
        time = fit.time_to_fraction_h(level)
        uncertainty = fit.time_uncertainty_h(level)
        if not np.isfinite(time):
            warnings.append(
                f"{name}: the {method} model never reaches {x:g} · {origin}."
            )
            out.append(
                ThresholdTime(x, math.nan, "not determined", math.nan, counted_from)
            )
            continue
        message = (
            f"{name} = {_format_h(time)} is extrapolated with the {method} model: "
            f"the test stopped after {_format_h(duration_h)} at "
            f"{final_fraction * 100:.1f} % of {origin}."
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
        warnings.append(message)
        out.append(
            ThresholdTime(x, time, "extrapolated", uncertainty, counted_from, method)
        )
    return tuple(out)


def _edge_median(values: np.ndarray, *, first: bool, count: int = 5) -> float:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return math.nan
    part = finite[:count] if first else finite[-count:]
    return float(np.median(part))


def _peak_shift_at(log: LifetimeLog, time_h: float, warnings: list[str]) -> float:
    series = log.spectra
    if series is None:
        return math.nan
    if not np.isfinite(time_h):
        warnings.append(
            "The EL peak shift at T50 is not given: T50 was not determined."
        )
        return math.nan
    try:
        from core.spectra import spectral_metrics
    except ImportError:  # pragma: no cover - the module ships with the app
        warnings.append("Spectral metrics are not available in this installation.")
        return math.nan
    factor = {"h": 1.0, "min": 1 / 60, "s": 1 / 3600}.get(series.axis_unit)
    if series.axis_name != "time" or factor is None:
        warnings.append(
            "The EL spectra taken during the test are not on a time axis in s, min "
            "or h; the peak shift at T50 is not given."
        )
        return math.nan
    axis_h = np.asarray(series.axis, dtype=float) * factor
    if time_h > axis_h.max() or time_h < axis_h.min():
        warnings.append(
            f"The EL spectra cover {axis_h.min():.3g}–{axis_h.max():.3g} h; T50 = "
            f"{time_h:.3g} h lies outside, so the peak shift at T50 is not given."
        )
        return math.nan
    peaks = np.asarray(
        spectral_metrics(series.wavelength_nm, series.intensity)["peak_nm"]
    )
    order = np.argsort(axis_h)
    good = np.isfinite(peaks[order])
    if good.sum() < 2:
        return math.nan
    peak = np.interp(time_h, axis_h[order][good], peaks[order][good])
    return float(peak - peaks[order][good][0])


def lifetime_metrics(
    log: LifetimeLog,
    *,
    method: str = "stretched-exponential",
    fractions: Sequence[float] = STANDARD_FRACTIONS,
    reference_luminance_cd_m2: float = 100.0,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    bins_per_decade: int = 20,
    min_points: int = 3,
) -> LifetimeResult:
    """
    T95...T50 (and any fraction) of one lifetime test, honestly labelled.

    ℓ = L/L0 (first reading) is binned in log time; each T_x is the first
    crossing of x, linearly interpolated. When the device brightens first,
    T-values counted from L_max are added, with t_max and L_max. A threshold
    the test never reached comes from the decay model (``method``), marked
    ``"extrapolated"``, with a warning naming the model and, beyond 6x the
    test duration, the IES TM-21 limit. T50 is converted to the reference
    luminance with L0^n · T = const when L0 is known.

    Parameters
    ----------
    log : LifetimeLog
        The test.
    method : str
        Decay model, a key of :data:`DECAY_MODELS`.
    fractions : sequence of float
        Thresholds x in (0, 1); T95...T50 are always included.
    reference_luminance_cd_m2 : float
        Luminance to convert T50 to. [cd/m²]
    acceleration_n : float
        Exponent n for that conversion. [-]
    bins_per_decade, min_points : int
        Log-time binning (see :func:`log_time_bins`).

    Returns
    -------
    LifetimeResult

    Raises
    ------
    InputError
        Unknown method, a fraction outside (0, 1), too few readings, or a
        non-positive first reading.

    Examples
    --------
    >>> t = np.linspace(0.0, 400.0, 2001)
    >>> log = LifetimeLog(t, 100.0 * stretched_exponential(t, 100.0, 1.0))
    >>> result = lifetime_metrics(log)
    >>> result.t50_kind, round(result.fit.time_to_fraction_h(0.5), 3)  # τ ln 2
    ('measured', 69.315)
    """
    _check_method(method)
    wanted = []
    for x in list(STANDARD_FRACTIONS) + [float(v) for v in fractions]:
        if not 0.0 < x < 1.0:
            raise InputError(
                f"A lifetime threshold of {x:g} was asked for: expected a fraction "
                "between 0 and 1 (0.5 for T50)."
            )
        if all(abs(x - w) > 1e-12 for w in wanted):
            wanted.append(x)
    wanted.sort(reverse=True)
    name = log.label or log.source or "lifetime log"
    time, fraction, first = relative_luminance(log)
    warnings: list[str] = []
    duration = float(time[-1] - time[0])
    noise = noise_fraction(time, fraction)
    bin_t, bin_f, bin_n = log_time_bins(
        time, fraction, bins_per_decade=bins_per_decade, min_points=min_points
    )
    final_fraction = float(bin_f[-1])

    # Brightening: the smoothed maximum beyond the noise of L0 and of a bin.
    i_max = int(np.argmax(bin_f))
    l_max = float(bin_f[i_max])
    threshold = max(_BRIGHTENING_MIN, _BRIGHTENING_SIGMAS * (noise if noise > 0 else 0))
    brightens = i_max > 0 and l_max - 1.0 > threshold
    t_max = float(bin_t[i_max]) if brightens else float(bin_t[0])
    if not brightens:
        i_max, l_max = 0, 1.0

    fit = None
    try:
        fit = fit_decay(time, fraction, method=method, start_h=t_max)
    except InputError as error:
        warnings.append(str(error))
    if fit is not None:
        warnings.extend(fit.warnings)

    common = dict(
        noise=noise,
        fit=fit,
        method=method,
        duration_h=duration,
        warnings=warnings,
    )
    thresholds = _thresholds(
        wanted,
        bin_t,
        bin_f,
        bin_n,
        level_scale=1.0,
        start_index=0,
        final_fraction=final_fraction,
        counted_from="initial",
        **common,
    )
    from_max: tuple[ThresholdTime, ...] = ()
    if brightens:
        warnings.append(
            f"{name} brightens first: L rises to {l_max * 100:.1f} % of L(0) at "
            f"t_max = {_format_h(t_max)}. T-values are given from L(0) and from "
            "L_max (times from the start of the test)."
        )
        from_max = _thresholds(
            wanted,
            bin_t,
            bin_f,
            bin_n,
            level_scale=l_max,
            start_index=i_max,
            final_fraction=final_fraction / l_max,
            counted_from="maximum",
            **common,
        )

    if log.relative:
        l0 = log.initial_luminance_cd_m2
    else:
        l0 = (
            float(log.initial_luminance_cd_m2)
            if log.initial_luminance_cd_m2 is not None
            else first
        )
    if l0 is not None and (not np.isfinite(l0) or l0 <= 0):
        warnings.append(f"The initial luminance {l0} is not positive; it is ignored.")
        l0 = None

    t50 = next(item for item in thresholds if abs(item.fraction - 0.5) < 1e-12)
    reference = None
    if l0 is None:
        warnings.append(
            "The log holds relative luminance (or a photodiode signal) and no "
            "initial luminance L0 was given: T-values are fine, but converting T50 "
            f"to {reference_luminance_cd_m2:g} cd/m² needs L0 in cd/m²."
        )
    elif np.isfinite(t50.time_h):
        reference = convert_lifetime(
            t50.time_h,
            l0,
            reference_luminance_cd_m2,
            n=acceleration_n,
            kind=t50.kind,
        )

    voltage = log.voltage_v
    v_initial = v_final = v_rise = v_rise_t50 = math.nan
    if voltage is not None and np.isfinite(voltage).any():
        v = np.asarray(voltage, dtype=float)
        # The first reading (the voltage changes slowly at first, and any
        # average over a rising curve is biased); the end of a test is slow,
        # so the last readings are averaged.
        v_initial = float(v[np.isfinite(v)][0])
        v_final = _edge_median(v, first=False)
        v_rise = v_final - v_initial
        if t50.kind == "measured":
            vt, vv, _ = log_time_bins(time, v, bins_per_decade=bins_per_decade)
            v_rise_t50 = float(np.interp(t50.time_h, vt, vv)) - v_initial
    current = log.current_density_ma_cm2
    j_median = math.nan
    if current is not None and np.isfinite(current).any():
        j_median = float(np.nanmedian(current))

    peak_shift = _peak_shift_at(log, t50.time_h, warnings)

    return LifetimeResult(
        label=log.label,
        source=log.source,
        relative=bool(log.relative),
        initial_luminance_cd_m2=None if l0 is None else float(l0),
        first_reading=first,
        duration_h=duration,
        final_fraction=final_fraction,
        noise_fraction=noise,
        thresholds=thresholds,
        thresholds_from_max=from_max,
        brightens=bool(brightens),
        t_max_h=t_max,
        l_max_fraction=l_max,
        l_max_cd_m2=None if l0 is None else float(l_max * l0),
        fit=fit,
        method=method,
        reference=reference,
        voltage_initial_v=v_initial,
        voltage_final_v=v_final,
        voltage_rise_v=v_rise,
        voltage_rise_at_t50_v=v_rise_t50,
        current_density_ma_cm2=j_median,
        peak_shift_at_t50_nm=peak_shift,
        binned_time_h=bin_t,
        binned_fraction=bin_f,
        warnings=tuple(dict.fromkeys(warnings)),
    )


# --------------------------------------------------------------------------
# Summaries shared by the page and the CLI
# --------------------------------------------------------------------------


def _json_number(value, key: str, reasons: dict[str, str], warnings: list[str]):
    if value is None or not np.isfinite(value):
        if key in reasons:
            warnings.append(f"{key} is null: {reasons[key]}")
        return None
    return float(value)


def lifetime_summary(result: LifetimeResult) -> dict:
    """
    The JSON-ready summary of one test (the CLI contract, also used by the page).

    Keys: ``initial_luminance_cd_m2``, ``t95_h``, ``t90_h``, ``t80_h``,
    ``t70_h``, ``t50_h``, ``t50_kind``, ``kinds``, ``uncertainties_h``,
    ``model``, ``t50_at_reference_h`` (with ``reference_luminance_cd_m2``,
    ``acceleration_n``, ``t50_at_reference_band_h``), the brightening figures,
    the voltage rise, the peak shift and ``warnings``. A value that cannot be
    determined is None with its reason in ``warnings``.

    Parameters
    ----------
    result : LifetimeResult

    Returns
    -------
    dict
    """
    warnings = list(result.warnings)
    reasons: dict[str, str] = {}
    for item in result.thresholds:
        if item.kind == "not determined":
            reasons[f"t{item.fraction * 100:g}_h"] = (
                f"{item.name} was not reached and could not be extrapolated."
            )
    if result.initial_luminance_cd_m2 is None:
        reasons["initial_luminance_cd_m2"] = (
            "the log is relative; give the initial luminance (--initial-luminance)."
        )
        reasons["t50_at_reference_h"] = "converting T50 needs the initial luminance."
    elif result.reference is None:
        reasons["t50_at_reference_h"] = "T50 was not determined."
    summary: dict = {}
    summary["initial_luminance_cd_m2"] = _json_number(
        result.initial_luminance_cd_m2, "initial_luminance_cd_m2", reasons, warnings
    )
    for x in STANDARD_FRACTIONS:
        key = f"t{x * 100:g}_h"
        summary[key] = _json_number(result._time(x), key, reasons, warnings)
    summary["t50_kind"] = result.t50_kind
    summary["kinds"] = {
        f"t{item.fraction * 100:g}_h": item.kind for item in result.thresholds
    }
    summary["uncertainties_h"] = {
        f"t{item.fraction * 100:g}_h": (
            float(item.uncertainty_h) if np.isfinite(item.uncertainty_h) else None
        )
        for item in result.thresholds
    }
    fit = result.fit
    if fit is None:
        summary["model"] = {"method": result.method, "fitted": False}
    else:
        summary["model"] = {
            "method": fit.method,
            "fitted": True,
            "parameters": fit.parameters,
            "uncertainties": {
                k: (v if np.isfinite(v) else None) for k, v in fit.uncertainties.items()
            },
            "start_h": fit.start_h,
            "r_squared": fit.r_squared,
            "rmse_fraction": fit.rmse_fraction,
            "weibull_r_squared": (
                fit.weibull_r_squared if np.isfinite(fit.weibull_r_squared) else None
            ),
            "n_points": fit.n_points,
            **{
                f"t{x * 100:g}_h": (
                    float(fit.time_to_fraction_h(x))
                    if np.isfinite(fit.time_to_fraction_h(x))
                    else None
                )
                for x in STANDARD_FRACTIONS
            },
        }
    reference = result.reference
    summary["t50_at_reference_h"] = _json_number(
        None if reference is None else reference.value_h,
        "t50_at_reference_h",
        reasons,
        warnings,
    )
    if reference is not None:
        summary["reference_luminance_cd_m2"] = reference.reference_stress
        summary["acceleration_n"] = reference.n
        summary["t50_at_reference_band_h"] = {
            f"n={n:.1f}": v
            for n, v in zip(ACCELERATION_BAND_N, reference.band_h, strict=True)
        }
        summary["t50_at_reference_kind"] = reference.kind
    summary["duration_h"] = result.duration_h
    summary["final_fraction"] = result.final_fraction
    summary["noise_fraction"] = (
        result.noise_fraction if np.isfinite(result.noise_fraction) else None
    )
    summary["brightens"] = result.brightens
    summary["t_max_h"] = result.t_max_h
    summary["l_max_fraction"] = result.l_max_fraction
    summary["l_max_cd_m2"] = result.l_max_cd_m2
    if result.thresholds_from_max:
        summary["from_max"] = {
            f"t{item.fraction * 100:g}_h": (
                float(item.time_h) if np.isfinite(item.time_h) else None
            )
            for item in result.thresholds_from_max
        }
        summary["from_max_kinds"] = {
            f"t{item.fraction * 100:g}_h": item.kind
            for item in result.thresholds_from_max
        }
    for key in (
        "voltage_initial_v",
        "voltage_rise_v",
        "voltage_rise_at_t50_v",
        "current_density_ma_cm2",
        "peak_shift_at_t50_nm",
    ):
        value = getattr(result, key)
        summary[key] = float(value) if np.isfinite(value) else None
    summary["warnings"] = list(dict.fromkeys(warnings))
    return summary


def lifetime_table(results: Sequence[LifetimeResult]) -> pd.DataFrame:
    """
    One row per test: the comparison table of the page and its CSV download.

    Columns carry their unit: ``L0_cd_m2``, ``T95_h``...``T50_h``,
    ``T50_kind``, ``T50_uncertainty_h``, ``t_max_h``, ``L_max_over_L0``,
    ``T50_at_<ref>_h`` with its n band, the model and its R², the voltage rise
    and the peak shift at T50.

    Parameters
    ----------
    results : sequence of LifetimeResult

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for result in results:
        row: dict = {
            "test": result.label or result.source,
            "L0_cd_m2": result.initial_luminance_cd_m2,
            "relative": result.relative,
            "duration_h": result.duration_h,
        }
        for item in result.thresholds:
            row[f"{item.name}_h"] = item.time_h
        t50 = result.threshold(0.5)
        row["T50_kind"] = t50.kind
        row["T50_uncertainty_h"] = t50.uncertainty_h
        row["brightens"] = result.brightens
        row["t_max_h"] = result.t_max_h
        row["L_max_over_L0"] = result.l_max_fraction
        if result.thresholds_from_max:
            row["T50_from_Lmax_h"] = result.threshold(0.5, "maximum").time_h
        ref = result.reference
        if ref is not None:
            tag = f"{ref.reference_stress:g}"
            row[f"T50_at_{tag}_cd_m2_h"] = ref.value_h
            row["n"] = ref.n
            row[f"T50_at_{tag}_n1.5_h"] = ref.band_h[0]
            row[f"T50_at_{tag}_n2.0_h"] = ref.band_h[1]
        row["model"] = result.method
        row["model_r_squared"] = (
            math.nan if result.fit is None else result.fit.r_squared
        )
        row["weibull_r_squared"] = (
            math.nan if result.fit is None else result.fit.weibull_r_squared
        )
        row["voltage_rise_v"] = result.voltage_rise_v
        row["peak_shift_at_T50_nm"] = result.peak_shift_at_t50_nm
        rows.append(row)
    return pd.DataFrame(rows)
