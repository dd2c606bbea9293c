"""
Turn-on and the emitting range of a J-V-L sweep.

Turn-on is the first point, in the order measured, at which the luminance
reaches a threshold (1 cd/m² by convention). The emitting range is every
point from turn-on on with L ≥ the threshold and J > 0: points before it are
meter noise (a real sweep shows a 22.7 % "EQE" at 2.05 V, below turn-on) and
every maximum of :func:`core.efficiency.efficiency_metrics` is taken over it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["EmittingRange", "turn_on_voltage_v", "emitting_range"]


@dataclass(frozen=True, eq=False)
class EmittingRange:
    """
    Where a sweep emits: turn-on and the points from it on.

    Attributes
    ----------
    start : int or None
        Index of the turn-on point; None when the threshold is never reached.
    turn_on_v : float
        Voltage of the turn-on point, NaN when not reached. [V]
    mask : numpy.ndarray
        (N,) bool, True for the points over which maxima are taken.
    warnings : tuple of str
        Why there is no emitting range, when there is none.
    """

    start: int | None
    turn_on_v: float
    mask: np.ndarray
    warnings: tuple[str, ...] = ()


def turn_on_voltage_v(voltage_v, luminance_cd_m2, threshold_cd_m2: float = 1.0):
    """
    Turn-on voltage: the first measured voltage at which L ≥ the threshold.

    "First" is in the order measured, so a reverse branch after the forward
    sweep does not count. No interpolation between points: the reported
    value is a voltage that was applied.

    Parameters
    ----------
    voltage_v : array_like
        Applied bias, in the order measured. [V]
    luminance_cd_m2 : array_like
        Luminance. [cd/m²]
    threshold_cd_m2 : float
        Luminance that defines turn-on (1 cd/m² by convention). [cd/m²]

    Returns
    -------
    float
        Turn-on voltage, NaN when the threshold is never reached. [V]

    Examples
    --------
    >>> turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0])
    2.5
    """
    index = _turn_on_index(np.asarray(luminance_cd_m2, float), threshold_cd_m2)
    return math.nan if index is None else float(np.asarray(voltage_v, float)[index])


def _turn_on_index(luminance: np.ndarray, threshold: float) -> int | None:
    """The turn-on rule, the one place it is written: the index of the first
    point, in the order measured, with L ≥ ``threshold``; None if none."""
    above = np.flatnonzero(luminance >= threshold)
    return int(above[0]) if above.size else None


def emitting_range(
    voltage: np.ndarray,
    current: np.ndarray,
    luminance: np.ndarray,
    threshold: float,
) -> EmittingRange:
    """
    Turn-on and the points from it on with L ≥ ``threshold`` and J > 0.

    Parameters
    ----------
    voltage, current, luminance : numpy.ndarray
        (N,) V [V], J [mA/cm²] and L [cd/m²], in the order measured.
    threshold : float
        Luminance that defines turn-on. [cd/m²]

    Returns
    -------
    EmittingRange
    """
    start = _turn_on_index(luminance, threshold)
    mask = np.zeros(voltage.size, dtype=bool)
    if start is None:
        finite_l = luminance[np.isfinite(luminance)]
        top = f"{finite_l.max():.3g}" if finite_l.size else "none"
        warning = (
            f"Turn-on not reached: the luminance never reaches {threshold:g} cd/m² "
            f"(highest {top} cd/m²); efficiency maxima are not determined."
        )
        return EmittingRange(None, math.nan, mask, (warning,))
    mask[start:] = True
    mask &= (luminance >= threshold) & (current > 0)
    return EmittingRange(start, float(voltage[start]), mask)
