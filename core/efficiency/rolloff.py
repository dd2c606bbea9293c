"""
EQE at fixed luminances and the roll-off of the EQE past its peak.

Both are read on the emitting range (:mod:`core.efficiency.turn_on`): the EQE
at 100 and 1000 cd/m² on its rising branch (turn-on to the luminance peak),
interpolated in log L; the roll-off where the EQE, after its peak, first falls
to half of it, interpolated in log L and log J.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["FIXED_LUMINANCES_CD_M2", "eqe_at_fixed_luminances", "roll_off"]

#: Luminances of the fixed-luminance EQE figures, by result field. [cd/m²]
FIXED_LUMINANCES_CD_M2: dict[str, float] = {
    "eqe_at_100_cd_m2_percent": 100.0,
    "eqe_at_1000_cd_m2_percent": 1000.0,
}


def eqe_at_fixed_luminances(
    eqe: np.ndarray, luminance: np.ndarray, mask: np.ndarray
) -> tuple[dict[str, float], list[str]]:
    """
    EQE at :data:`FIXED_LUMINANCES_CD_M2`, on the rising branch.

    The rising branch is the emitting range from turn-on up to the point of
    highest luminance; the EQE is interpolated linearly in log10 L between
    the first pair of its points that brackets the target.

    Parameters
    ----------
    eqe, luminance : numpy.ndarray
        (N,) EQE [%] and L [cd/m²] of every point.
    mask : numpy.ndarray
        (N,) bool, the emitting range.

    Returns
    -------
    values : dict of str to float
        EQE by result field; NaN where not determined. [%]
    warnings : list of str
        Why a value is NaN (none when the emitting range is empty).
    """
    values = dict.fromkeys(FIXED_LUMINANCES_CD_M2, math.nan)
    warnings: list[str] = []
    branch = np.flatnonzero(mask)
    if not branch.size:
        return values, warnings
    top = branch[np.argmax(luminance[branch])]
    branch = branch[branch <= top]
    for key, target in FIXED_LUMINANCES_CD_M2.items():
        values[key] = _interpolate_at_luminance(luminance[branch], eqe[branch], target)
        if not np.isfinite(values[key]):
            why = _why_not_at(luminance[branch], target)
            warnings.append(f"EQE at {target:g} cd/m² not determined: {why}.")
    return values, warnings


def _why_not_at(branch_luminance: np.ndarray, target: float) -> str:
    """Why the rising branch gives no EQE at ``target`` [cd/m²]."""
    if branch_luminance[-1] < target:
        return (
            f"the luminance never reaches {target:g} cd/m² "
            f"(highest {branch_luminance[-1]:.3g} cd/m²)"
        )
    if branch_luminance[0] > target:
        return (
            f"the first point above turn-on is already at "
            f"{branch_luminance[0]:.3g} cd/m²"
        )
    return "the EQE is missing around that luminance"


def roll_off(
    eqe: np.ndarray,
    luminance: np.ndarray,
    current: np.ndarray,
    mask: np.ndarray,
    peak: int | None,
) -> tuple[dict[str, float], list[str]]:
    """
    L and J at which the EQE, after its peak, has fallen to half of it.

    Parameters
    ----------
    eqe, luminance, current : numpy.ndarray
        (N,) EQE [%], L [cd/m²] and J [mA/cm²] of every point.
    mask : numpy.ndarray
        (N,) bool, the emitting range; points outside it are skipped.
    peak : int or None
        Index of the EQE maximum (in the emitting range); None when there is
        none, and then both values are NaN.

    Returns
    -------
    values : dict of str to float
        ``luminance_at_half_eqe_max_cd_m2`` [cd/m²] and
        ``current_density_at_half_eqe_max_ma_cm2`` [mA/cm²]; NaN when the EQE
        does not fall to half its peak.
    warnings : list of str
        Why they are NaN, when there is a peak.
    """
    half_l = half_j = math.nan
    warnings: list[str] = []
    if peak is not None:
        kept = np.flatnonzero(mask)
        local_peak = int(np.searchsorted(kept, peak))
        half_l, half_j = _half_maximum_crossing(
            eqe[kept], luminance[kept], current[kept], local_peak
        )
        if not np.isfinite(half_l):
            warnings.append(
                "Roll-off to half the EQE maximum not determined: the EQE stays "
                f"above {float(eqe[peak]) / 2:.3g} % up to the highest current "
                "measured."
            )
    values = {
        "luminance_at_half_eqe_max_cd_m2": half_l,
        "current_density_at_half_eqe_max_ma_cm2": half_j,
    }
    return values, warnings


def _interpolate_at_luminance(
    luminance: np.ndarray, values: np.ndarray, target: float
) -> float:
    """Linear in log10 L between the first pair of points bracketing target."""
    for i in range(luminance.size - 1):
        low, high = luminance[i], luminance[i + 1]
        if low <= target <= high and high > low:
            if not (np.isfinite(values[i]) and np.isfinite(values[i + 1])):
                return math.nan
            fraction = (math.log10(target) - math.log10(low)) / (
                math.log10(high) - math.log10(low)
            )
            return float(values[i] + fraction * (values[i + 1] - values[i]))
        if low == target:
            return float(values[i])
    if luminance.size and luminance[-1] == target:
        return float(values[-1])
    return math.nan


def _half_maximum_crossing(
    eqe: np.ndarray, luminance: np.ndarray, current: np.ndarray, peak: int
) -> tuple[float, float]:
    """L and J where the EQE first drops to half its peak after the peak."""
    half = eqe[peak] / 2.0
    for j in range(peak + 1, eqe.size):
        if np.isfinite(eqe[j]) and eqe[j] <= half:
            i = j - 1
            while i > peak and not np.isfinite(eqe[i]):
                i -= 1
            fraction = (eqe[i] - half) / (eqe[i] - eqe[j]) if eqe[i] != eqe[j] else 0
            out = []
            for axis in (luminance, current):
                a, b = axis[i], axis[j]
                if a > 0 and b > 0:  # interpolate in log L and log J
                    out.append(float(10 ** (np.log10(a) + fraction * np.log10(b / a))))
                else:
                    out.append(float(a + fraction * (b - a)))
            return out[0], out[1]
    return math.nan, math.nan
