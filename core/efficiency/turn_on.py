"""
Turn-on and the emitting range of a J-V-L sweep.

Turn-on is the first voltage from which the luminance *stays* at or above a
level: the threshold (1 cd/m² by convention, user-set), raised to the dark
level plus :data:`NOISE_K` σ when the meter's noise is larger. σ is the noise
of the dark readings (those outside the emitting range, and every reading at
V ≤ 0, where an LED cannot emit), estimated robustly from their median
absolute deviation.

A single reading is not turn-on: on a real OLED sweep whose photometer reads
±1 cd/m² in the dark, one 1.12 cd/m² reading at −0.6 V set "turn-on" at
−0.6 V under the old first-reading rule, and everything after it counted as
emission (EQE 95 %, PE 866 lm/W reported). The emitting range is the run of
consecutive readings at or above the level that holds the brightest reading;
every maximum of :func:`core.efficiency.efficiency_metrics` is taken over it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "NOISE_K",
    "MIN_NOISE_READINGS",
    "EmittingRange",
    "turn_on_voltage_v",
    "emitting_range",
]

#: A reading is light when it stands NOISE_K σ above the dark level: for
#: Gaussian meter noise 0.13 % of dark readings do (one-sided 3 σ).
NOISE_K = 3.0
#: Fewest readings outside the emitting range from which their noise is
#: estimated; with fewer, the threshold alone decides.
MIN_NOISE_READINGS = 5
#: σ of Gaussian readings from their median absolute deviation, 1 / Φ⁻¹(3/4).
_MAD_TO_SIGMA = 1.482602218505602


@dataclass(frozen=True, eq=False)
class EmittingRange:
    """
    Where a sweep emits: turn-on, the points from it on, the noise used.

    Attributes
    ----------
    start : int or None
        Index of the turn-on point; None when the level is never reached.
    turn_on_v : float
        Voltage of the turn-on point, NaN when not reached. [V]
    mask : numpy.ndarray
        (N,) bool, True for the emitting range (the points maxima are taken
        over, before the data checks).
    level_cd_m2 : float
        The luminance the range stays at or above: the threshold, or the dark
        level + :data:`NOISE_K` σ when that is higher. [cd/m²]
    dark_cd_m2, noise_cd_m2 : float
        Median and robust σ (MAD) of the dark readings (outside the emitting
        range, or at V ≤ 0); NaN when fewer than :data:`MIN_NOISE_READINGS`.
        [cd/m²]
    n_noise : int
        Number of readings the noise was estimated from.
    warnings : tuple of str
        How turn-on was found when it was not simple, why there is none.
    """

    start: int | None
    turn_on_v: float
    mask: np.ndarray
    level_cd_m2: float = math.nan
    dark_cd_m2: float = math.nan
    noise_cd_m2: float = math.nan
    n_noise: int = 0
    warnings: tuple[str, ...] = ()


def turn_on_voltage_v(voltage_v, luminance_cd_m2, threshold_cd_m2: float = 1.0):
    """
    Turn-on voltage: the first voltage from which L stays at or above the level.

    The level is the threshold, raised to the dark level + 3 σ of the readings
    outside the emitting range when the meter is noisier (see
    :func:`emitting_range`, which applies the same rule). No interpolation
    between points: the reported value is a voltage that was applied.

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
        Turn-on voltage, NaN when the level is never reached. [V]

    Examples
    --------
    >>> turn_on_voltage_v([2.0, 2.5, 3.0], [0.2, 1.5, 40.0])
    2.5
    >>> turn_on_voltage_v([1.0, 1.5, 2.0, 2.5, 3.0], [0.1, 1.2, 0.3, 2.0, 40.0])
    2.5
    """
    voltage = np.asarray(voltage_v, dtype=float)
    luminance = np.asarray(luminance_cd_m2, dtype=float)
    current = np.ones_like(voltage)
    return emitting_range(voltage, current, luminance, threshold_cd_m2).turn_on_v


def _bright_run(luminance: np.ndarray, level: float) -> tuple[int, int, int] | None:
    """First index, last index and peak of the run of consecutive readings
    ≥ ``level`` that holds the brightest reading; None if it is below."""
    finite = np.isfinite(luminance)
    if not finite.any():
        return None
    peak = int(np.nanargmax(luminance))
    if luminance[peak] < level:
        return None
    above = finite & (luminance >= level)
    low = peak
    while low > 0 and above[low - 1]:
        low -= 1
    high = peak
    while high < luminance.size - 1 and above[high + 1]:
        high += 1
    return low, high, peak


def _noise(readings: np.ndarray) -> tuple[float, float, int]:
    """Median and MAD σ of the finite readings, and how many there were."""
    readings = readings[np.isfinite(readings)]
    if readings.size < MIN_NOISE_READINGS:
        return math.nan, math.nan, int(readings.size)
    dark = float(np.median(readings))
    sigma = _MAD_TO_SIGMA * float(np.median(np.abs(readings - dark)))
    return dark, sigma, int(readings.size)


def _dark(voltage: np.ndarray, luminance: np.ndarray, low: int, high: int):
    """The readings that are not light: outside the run, and at V ≤ 0 (an LED
    emits nothing in reverse bias: there a reading is the meter's offset)."""
    dark = voltage <= 0
    dark[:low] = True
    dark[high + 1 :] = True
    return luminance[dark]


def emitting_range(
    voltage: np.ndarray,
    current: np.ndarray,
    luminance: np.ndarray,
    threshold: float,
) -> EmittingRange:
    """
    Turn-on, the emitting range and the luminance noise of one sweep.

    The emitting range is the run of consecutive readings (in the order
    measured) at or above the level that holds the brightest reading; the
    level starts at ``threshold`` and is raised to dark + :data:`NOISE_K` σ
    of the dark readings (outside the run, or at V ≤ 0) until it stands
    above their noise: a meter offset above the threshold (ambient light)
    is then not emission.
    Turn-on is the run's first point, or its last for a sweep measured from
    high to low bias (the bias falls as the sweep enters the run). Points
    with J ≤ 0 stay in the range: the data checks name them.

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
    del current  # J ≤ 0 inside the range is a data error, not a reason to cut it
    mask = np.zeros(voltage.size, dtype=bool)
    level = float(threshold)
    run = _bright_run(luminance, level)
    dark = sigma = math.nan
    n_noise = 0
    while run is not None:
        dark, sigma, n_noise = _noise(_dark(voltage, luminance, run[0], run[1]))
        needed = dark + NOISE_K * sigma
        if not needed > level:
            break
        level = needed
        run = _bright_run(luminance, level)
    if run is None:
        return EmittingRange(
            None,
            math.nan,
            mask,
            level,
            dark,
            sigma,
            n_noise,
            (_not_reached(luminance, threshold, level, dark, sigma),),
        )
    low, high, peak = run
    mask[low : high + 1] = True
    start = high if _falling_into(voltage, low, high) else low
    notes = _notes(voltage, luminance, mask, threshold, level, dark, sigma, n_noise)
    return EmittingRange(
        start, float(voltage[start]), mask, level, dark, sigma, n_noise, notes
    )


def _falling_into(voltage: np.ndarray, low: int, high: int) -> bool:
    """True when the sweep enters the run at ``low`` with a falling bias (a
    sweep measured from high to low bias): turn-on is then the run's end."""
    step = voltage[low] - voltage[low - 1] if low > 0 else voltage[high] - voltage[low]
    return bool(step < 0)


def _not_reached(luminance, threshold, level, dark, sigma) -> str:
    finite = luminance[np.isfinite(luminance)]
    top = f"{finite.max():.3g}" if finite.size else "none"
    if level > threshold:
        return (
            f"Turn-on not reached: no reading stands above the meter's noise "
            f"(highest {top} cd/m², dark level {dark:.3g} + {NOISE_K:g} × "
            f"{sigma:.3g} cd/m²); efficiency maxima are not determined."
        )
    return (
        f"Turn-on not reached: the luminance never reaches {threshold:g} cd/m² "
        f"(highest {top} cd/m²); efficiency maxima are not determined."
    )


def _notes(
    voltage, luminance, mask, threshold, level, dark, sigma, n_noise
) -> tuple[str, ...]:
    """What the user must know about how turn-on was found, in one warning."""
    notes = []
    if not np.isfinite(sigma):
        notes.append(
            f"Luminance noise not estimated: {n_noise} dark reading(s) (outside "
            f"the emitting range or at V ≤ 0; {MIN_NOISE_READINGS} needed); "
            f"turn-on uses the {threshold:g} cd/m² threshold alone."
        )
    elif level > threshold:
        notes.append(
            f"Turn-on level raised from {threshold:g} to {level:.3g} cd/m²: the "
            f"{n_noise} dark readings (outside the emitting range or at V ≤ 0) "
            f"have a median of {dark:.3g} cd/m² and a noise of {sigma:.3g} cd/m² "
            f"(MAD), and L must stand {NOISE_K:g} σ above it."
        )
    stray = np.flatnonzero(~mask & (luminance >= threshold))
    if stray.size:
        shown = ", ".join(f"{voltage[i]:.3g}" for i in stray[:5])
        more = f" and {stray.size - 5} more" if stray.size > 5 else ""
        notes.append(
            f"{stray.size} reading(s) ≥ {threshold:g} cd/m² outside the emitting "
            f"range (at {shown}{more} V) are meter noise, not turn-on: turn-on is "
            f"the first voltage from which L stays ≥ {level:.3g} cd/m²."
        )
    return (" ".join(notes),) if notes else ()
