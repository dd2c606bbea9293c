"""
Physical limits as checks of the data: points no device can produce.

A point of the emitting range that breaks one of these limits says the data
(luminance calibration, device area, current reading, spectrum) is wrong, not
that the device is remarkable. It is named in a :class:`DataWarning`, marked
in the points table and left out of every maximum; it is never a result.

- EQE > 100 %: more than one photon out per electron in.
- PE > 683 lm/W: the luminous efficacy of radiation never exceeds Km, the
  efficacy of monochromatic 555 nm light.
- CE above 100 % EQE: at 100 % EQE a spectrum gives CE = 100 / (its spectral
  factor) cd/A (:func:`core.efficiency.formulas.eqe_percent_per_cd_a`); without
  a spectrum, the most any light gives (:data:`CE_MAX_ANY_LIGHT_CD_A`).
- J ≤ 0 at V > 0: an LED in forward bias that emits carries forward current.
"""

from __future__ import annotations

import numpy as np

from core.efficiency.formulas import LUMINOUS_EFFICACY_MAX_LM_W
from core.efficiency.result import DATA_CHECKS, DataWarning

__all__ = ["CE_MAX_ANY_LIGHT_CD_A", "ce_limit_cd_a", "point_problems", "data_warnings"]

#: Current efficiency of a 100 % EQE emitter of monochromatic 550 nm light,
#: where V(λ)/λ peaks: the most any spectrum allows. 100 / min over λ of
#: eqe_percent_per_cd_a (CIE 1924 V(λ), 1 nm table; tested). [cd/A]
CE_MAX_ANY_LIGHT_CD_A = 487.6


def point_problems(
    voltage: np.ndarray,
    current: np.ndarray,
    eqe: np.ndarray,
    efficiency: np.ndarray,
    power: np.ndarray,
    factors: np.ndarray,
    mask: np.ndarray,
) -> dict[str, np.ndarray]:
    """
    The points of the emitting range that break each physical limit.

    Parameters
    ----------
    voltage, current : numpy.ndarray
        (N,) V [V] and J [mA/cm²].
    eqe, efficiency, power : numpy.ndarray
        (N,) the EQE used [%], CE [cd/A] and PE [lm/W].
    factors : numpy.ndarray
        (N,) spectral factor of each point's spectrum, NaN without one.
        [% per cd/A]
    mask : numpy.ndarray
        (N,) bool, the emitting range; points outside it are not checked
        (they are noise, used for nothing).

    Returns
    -------
    dict of str to numpy.ndarray
        (N,) bool by key of :data:`core.efficiency.result.DATA_CHECKS`.
    """
    ce_limit = ce_limit_cd_a(factors)
    with np.errstate(invalid="ignore"):
        return {
            "eqe_above_100_percent": mask & (eqe > 100.0),
            "pe_above_683_lm_w": mask & (power > LUMINOUS_EFFICACY_MAX_LM_W),
            "ce_above_spectrum_limit": mask & (efficiency > ce_limit),
            "current_not_positive_in_forward_bias": mask
            & (voltage > 0)
            & (current <= 0),
        }


def ce_limit_cd_a(factors: np.ndarray) -> np.ndarray:
    """
    Current efficiency at 100 % EQE of each point's spectrum.

    ``100 / factor`` where the point has a spectral factor, else
    :data:`CE_MAX_ANY_LIGHT_CD_A` (the most any light gives). [cd/A]
    """
    factors = np.asarray(factors, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            np.isfinite(factors) & (factors > 0), 100.0 / factors, CE_MAX_ANY_LIGHT_CD_A
        )


def data_warnings(
    problems: dict[str, np.ndarray],
    voltage: np.ndarray,
    values: dict[str, np.ndarray],
) -> tuple[DataWarning, ...]:
    """
    One :class:`DataWarning` per broken limit, naming its points.

    Parameters
    ----------
    problems : dict of str to numpy.ndarray
        :func:`point_problems`.
    voltage : numpy.ndarray
        (N,) bias. [V]
    values : dict of str to numpy.ndarray
        ``eqe`` [%], ``efficiency`` [cd/A], ``power`` [lm/W], ``current``
        [mA/cm²] and ``ce_limit`` [cd/A] (:func:`ce_limit_cd_a`): the numbers
        quoted in the messages.
    """
    warnings = []
    for check, flagged in problems.items():
        points = np.flatnonzero(flagged)
        if not points.size:
            continue
        where = ", ".join(f"{voltage[i]:.3g}" for i in points[:8])
        if points.size > 8:
            where += f" and {points.size - 8} more"
        message = (
            f"Data error: {DATA_CHECKS[check]} at {points.size} point(s) of the "
            f"emitting range ({where} V){_worst(check, points, values)}. "
            f"{_why(check)} These points are left out of every maximum."
        )
        warnings.append(
            DataWarning(
                check,
                tuple(int(i) for i in points),
                tuple(float(voltage[i]) for i in points),
                message,
            )
        )
    return tuple(warnings)


def _worst(check: str, points: np.ndarray, values: dict[str, np.ndarray]) -> str:
    key, unit = {
        "eqe_above_100_percent": ("eqe", "%"),
        "pe_above_683_lm_w": ("power", "lm/W"),
        "ce_above_spectrum_limit": ("efficiency", "cd/A"),
        "current_not_positive_in_forward_bias": ("current", "mA/cm²"),
    }[check]
    quoted = values[key][points]
    quoted = quoted[np.isfinite(quoted)]
    if not quoted.size:
        return ""
    if check == "current_not_positive_in_forward_bias":
        return f", down to {quoted.min():.3g} {unit}"
    if check == "ce_above_spectrum_limit":
        limit = values["ce_limit"][points]
        return (
            f", up to {quoted.max():.4g} {unit} where 100 % EQE gives at most "
            f"{np.nanmax(limit):.4g} {unit}"
        )
    return f", up to {quoted.max():.4g} {unit}"


def _why(check: str) -> str:
    return {
        "eqe_above_100_percent": "No LED emits more than one photon per electron: "
        "the luminance calibration, the device area or the spectrum is wrong.",
        "pe_above_683_lm_w": "No light has a luminous efficacy above 683 lm/W: "
        "the luminance, the current or the area is wrong.",
        "ce_above_spectrum_limit": "Not even a perfect emitter with this "
        "spectrum (or, without one, of any light) gives that many candela per "
        "ampere: the luminance, the current or the area is wrong.",
        "current_not_positive_in_forward_bias": "A device that emits in forward "
        "bias carries forward current: the current reading is noise or its sign "
        "is wrong.",
    }[check]
