"""
Acceleration law L0^n · T = const: conversion to a reference stress and n.

A lifetime measured at L0 is converted to L_ref with T(L_ref) = T(L0) ·
(L0/L_ref)^n, with the usual n = 1.5–2.0 band [1]_. With tests of one device
at 3 or more distinct stresses, n itself is fitted by log-log regression;
:func:`acceleration_fits` is the one place that decides when (the page and the
CLI both call it).

References
----------
.. [1] docs/methods.md §4 (project design notes): L0^n · T50 = const, n ≈ 1.5–2 for
   OLED/QLED/PeLED devices.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from core.constants import ACCELERATION_BAND_N, DEFAULT_ACCELERATION_N
from core.errors import InputError

if TYPE_CHECKING:
    from core.lifetime.metrics import LifetimeResult

__all__ = [
    "DEFAULT_ACCELERATION_N",
    "ACCELERATION_BAND_N",
    "STRESS_UNITS",
    "MIN_ACCELERATION_STRESSES",
    "REFERENCE_TOLERANCE",
    "acceleration_factor",
    "at_reference_stress",
    "lifetime_at_reference_h",
    "lifetime_at_luminance_h",
    "ReferenceLifetime",
    "convert_lifetime",
    "AccelerationFit",
    "fit_acceleration_exponent",
    "DeviceAcceleration",
    "acceleration_fits",
]

#: Units of the stresses accepted by the acceleration law.
STRESS_UNITS = types.MappingProxyType(
    {"luminance": "cd/m²", "radiance": "W/(sr·m²)", "current_density": "mA/cm²"}
)
#: Fewest distinct stresses of one device for which n is fitted.
MIN_ACCELERATION_STRESSES = 3
#: Relative band around the reference stress inside which a lifetime counts as
#: measured at the reference and is not converted (102 cd/m² is "at 100
#: cd/m²"): the one tolerance rule of the project (also
#: ``core.literature.MEASURED_TOLERANCE``).
REFERENCE_TOLERANCE = 0.05


def at_reference_stress(stress, reference_stress):
    """
    Whether a test's stress counts as the reference stress itself.

    The one tolerance rule: ``|S − S_ref| ≤ REFERENCE_TOLERANCE · S_ref``.

    Parameters
    ----------
    stress : array_like
        Stress of the tests (L0 [cd/m²], or another stress unit).
    reference_stress : array_like
        The reference, same unit.

    Returns
    -------
    numpy.ndarray of bool
        False for NaN.

    Examples
    --------
    >>> at_reference_stress([102.0, 106.0], 100.0).tolist()
    [True, False]
    """
    s = np.asarray(stress, dtype=float)
    ref = np.asarray(reference_stress, dtype=float)
    return np.abs(s - ref) <= REFERENCE_TOLERANCE * ref


def lifetime_at_reference_h(
    lifetime_h, initial_stress, reference_stress, n=DEFAULT_ACCELERATION_N
):
    """
    A lifetime at the reference stress, by the one rule of the project.

    Within :data:`REFERENCE_TOLERANCE` of the reference the lifetime is taken
    as it is (measured there); otherwise it is converted with L0^n · T =
    const (:func:`lifetime_at_luminance_h`).

    Parameters
    ----------
    lifetime_h : array_like
        Lifetime at ``initial_stress``. [h]
    initial_stress, reference_stress : array_like
        L0 of the test and the reference (or another stress, same unit).
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    numpy.ndarray
        [h]

    Examples
    --------
    >>> lifetime_at_reference_h([8.0, 1.0], [102.0, 1000.0], 100.0, n=2.0).tolist()
    [8.0, 100.0]
    """
    life = np.asarray(lifetime_h, dtype=float)
    converted = lifetime_at_luminance_h(life, initial_stress, reference_stress, n)
    return np.where(
        at_reference_stress(initial_stress, reference_stress), life, converted
    )


def acceleration_factor(
    initial_luminance_cd_m2, reference_luminance_cd_m2, n=DEFAULT_ACCELERATION_N
):
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
    lifetime_h,
    initial_luminance_cd_m2,
    reference_luminance_cd_m2,
    n=DEFAULT_ACCELERATION_N,
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
    converted : bool
        False when the test's stress lies within :data:`REFERENCE_TOLERANCE`
        of the reference: the lifetime is then taken as it is (and the band
        collapses onto it).
    """

    lifetime_h: float
    initial_stress: float
    reference_stress: float
    n: float
    value_h: float
    band_h: tuple[float, float]
    kind: str = "measured"
    stress: str = "luminance"
    converted: bool = True

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

    Within :data:`REFERENCE_TOLERANCE` of the reference the lifetime is not
    converted (:func:`lifetime_at_reference_h`, the project's one rule).

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
        lifetime_at_reference_h(lifetime_h, initial_stress, reference_stress, n)
    )
    band = tuple(
        float(lifetime_at_reference_h(lifetime_h, initial_stress, reference_stress, m))
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
        converted=not bool(at_reference_stress(initial_stress, reference_stress)),
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


@dataclass(frozen=True)
class DeviceAcceleration:
    """
    Whether n was fitted for one device, and why not (see :func:`acceleration_fits`).

    Attributes
    ----------
    device : str
        Device name (the grouping key).
    stress : str
        ``"luminance"`` (L0) or ``"current_density"`` (median J of the test).
    fit : AccelerationFit or None
        The fitted exponent; None when the device has too few stresses.
    n_tests : int
        Tests of the device.
    n_stresses : int
        Distinct stresses among its usable tests (positive stress, finite
        positive T50).
    extrapolated_t50_used : int
        Usable tests whose T50 is extrapolated (0 when not fitted).
    reason : str
        Why n was not fitted ("" when it was).
    """

    device: str
    stress: str
    fit: AccelerationFit | None
    n_tests: int
    n_stresses: int
    extrapolated_t50_used: int = 0
    reason: str = ""


def _stress_value(result: LifetimeResult, stress: str) -> float:
    """L0 [cd/m²] or median J [mA/cm²] of a LifetimeResult; NaN when unknown."""
    if stress == "luminance":
        value = result.initial_luminance_cd_m2
    else:
        value = result.current_density_ma_cm2
    return np.nan if value is None else float(value)


def _device_acceleration(
    device: str, results: Sequence[LifetimeResult], stress: str
) -> DeviceAcceleration:
    values = np.array([_stress_value(r, stress) for r in results], dtype=float)
    t50 = np.array([r.t50_h for r in results], dtype=float)
    usable = np.isfinite(values) & np.isfinite(t50) & (values > 0) & (t50 > 0)
    distinct = int(np.unique(values[usable]).size)
    if distinct < MIN_ACCELERATION_STRESSES:
        reason = (
            f"The acceleration exponent was not fitted: it needs tests at "
            f"{MIN_ACCELERATION_STRESSES} or more initial "
            f"{stress.replace('_', ' ')} values with a T50; found {distinct}."
        )
        return DeviceAcceleration(
            device, stress, None, len(results), distinct, reason=reason
        )
    fit = fit_acceleration_exponent(values[usable], t50[usable], stress_name=stress)
    extrapolated = sum(
        r.t50_kind == "extrapolated"
        for r, used in zip(results, usable, strict=True)
        if used
    )
    return DeviceAcceleration(
        device, stress, fit, len(results), distinct, int(extrapolated)
    )


def acceleration_fits(
    tests: Sequence[tuple[str, LifetimeResult]], *, stress: str = "luminance"
) -> dict[str, DeviceAcceleration]:
    """
    The acceleration exponent of every device: the one rule for page and CLI.

    Tests are grouped by device name (in order of first appearance). n is
    fitted (:func:`fit_acceleration_exponent`) only for a device whose tests
    with a positive stress and a finite, positive T50 span at least
    :data:`MIN_ACCELERATION_STRESSES` distinct stresses; otherwise the entry
    says why.

    Parameters
    ----------
    tests : sequence of (str, LifetimeResult)
        Device name and the result of one of its tests.
    stress : str
        ``"luminance"`` (the test's L0) or ``"current_density"`` (its median
        J).

    Returns
    -------
    dict of str to DeviceAcceleration
        Keyed by device name.

    Raises
    ------
    InputError
        For any other stress.
    """
    if stress not in ("luminance", "current_density"):
        raise InputError(
            f"Unknown stress '{stress}' for the acceleration exponent of lifetime "
            "tests: expected luminance or current_density."
        )
    groups: dict[str, list[LifetimeResult]] = {}
    for device, result in tests:
        groups.setdefault(device, []).append(result)
    return {
        device: _device_acceleration(device, results, stress)
        for device, results in groups.items()
    }
