"""
Reduction of a lifetime log: ℓ = L/L0, reading noise, log-time bins, crossings.

T_x is the first time ℓ ≤ x, read on log-time-binned data and linearly
interpolated between bins, which removes most of the early bias a raw first
crossing has on noisy data (docs/methods.md §4).
"""

from __future__ import annotations

import math

import numpy as np

from core.errors import InputError
from core.models import LifetimeLog

__all__ = [
    "relative_luminance",
    "noise_fraction",
    "log_time_bins",
    "first_crossing_h",
]


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
    # Readings near the float limit (hostile files) overflow to inf here; the
    # binning and the fits drop non-finite readings, so that is not an error.
    with np.errstate(over="ignore"):
        fraction = luminance / first
    return time, fraction, first


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
    middle = f[1:-1]
    positive = middle > 0
    if positive.sum() < 3:
        return math.nan
    # Readings near the float limits (hostile files) overflow to ±inf here; the
    # medians below then give inf or NaN, which every caller treats as
    # "noise unknown" (np.isfinite checks), so the overflow is not an error.
    with np.errstate(over="ignore", invalid="ignore"):
        d2 = f[:-2] - 2.0 * f[1:-1] + f[2:]
        relative = d2[positive] / middle[positive]
        mad = np.median(np.abs(relative - np.median(relative)))
    return float(1.4826 * mad / math.sqrt(6.0))


# Readings near the float limit (hostile files) overflow to inf in the bin
# sums; an inf bin is a non-finite reading to every caller, not an error.
@np.errstate(over="ignore", invalid="ignore")
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
    crossing on noisy data (docs/methods.md §4: T50 −1.8 h raw, +0.04 h binned on
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
