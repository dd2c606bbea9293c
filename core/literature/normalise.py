"""
T50 at one reference luminance: the one normalisation path of the package.

Literature rows (:func:`normalised_t50_h`) and a user's device
(:func:`device_t50_ref_h`) go through the same code: a T50 whose initial
luminance lies within :data:`MEASURED_TOLERANCE` of the reference
(:func:`at_reference_luminance`) is taken as measured there, any other is
converted with L0^n · T50 = const [1]_.

References
----------
.. [1] docs/methods.md §4 (project design notes): L0^n · T50 = const for lifetime
   normalisation, implemented in :mod:`core.lifetime`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.lifetime import lifetime_at_luminance_h
from core.literature.schema import _blank

__all__ = [
    "MEASURED_TOLERANCE",
    "at_reference_luminance",
    "device_t50_ref_h",
    "normalised_t50_h",
]

#: Relative band around the reference luminance inside which a T50 counts as
#: measured at the reference (102 cd/m² is "at 100 cd/m²") and is not converted.
MEASURED_TOLERANCE = 0.05


def at_reference_luminance(luminance_cd_m2, reference_luminance_cd_m2: float):
    """
    Whether an initial luminance counts as the reference luminance itself.

    The one tolerance rule of the package: ``|L0 − L_ref| ≤ MEASURED_TOLERANCE
    · L_ref``.

    Parameters
    ----------
    luminance_cd_m2 : array_like
        Initial luminance L0 of the lifetime tests. [cd/m²]
    reference_luminance_cd_m2 : float
        Reference luminance L_ref. [cd/m²]

    Returns
    -------
    numpy.ndarray of bool
        True where L0 lies within the tolerance of L_ref (False for NaN).

    Examples
    --------
    >>> at_reference_luminance([102.0, 106.0], 100.0).tolist()
    [True, False]
    """
    luminance = np.asarray(luminance_cd_m2, dtype=float)
    return (
        np.abs(luminance - reference_luminance_cd_m2)
        <= MEASURED_TOLERANCE * reference_luminance_cd_m2
    )


def normalised_t50_h(
    df: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    T50 of every row at one reference luminance, labelled by how it was got.

    A T50 whose initial luminance L0 lies within ``MEASURED_TOLERANCE`` (5 %)
    of the reference is taken as measured there; any other is converted with
    L0^n · T50 = const through
    :func:`core.lifetime.lifetime_at_luminance_h`. Rows with a T50 but no L0
    cannot be converted.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with ``t50_h`` [h] and ``t50_initial_luminance_cd_m2`` [cd/m²].
    reference_luminance_cd_m2 : float
        Luminance to express every T50 at. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``; columns ``t50_ref_h`` [h] (NaN when not
        available) and ``t50_ref_kind``: ``"measured"``, ``"normalised"``,
        ``"no-initial-luminance"`` or ``""`` (no T50 reported).

    Examples
    --------
    >>> table = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [1000.0]})
    >>> normalised_t50_h(table, 100.0, n=2.0)["t50_ref_h"].tolist()
    [100.0]
    """
    if reference_luminance_cd_m2 is None or not reference_luminance_cd_m2 > 0:
        raise InputError(
            "The reference luminance must be a positive number of cd/m², found "
            f"{reference_luminance_cd_m2!r}."
        )
    t50 = pd.to_numeric(df["t50_h"], errors="coerce").to_numpy(dtype=float)
    l0 = pd.to_numeric(df["t50_initial_luminance_cd_m2"], errors="coerce").to_numpy(
        dtype=float
    )
    has_t50 = np.isfinite(t50)
    has_l0 = np.isfinite(l0) & (l0 > 0)
    at_reference = has_l0 & at_reference_luminance(l0, reference_luminance_cd_m2)
    convert = has_t50 & has_l0 & ~at_reference
    ref_h = np.full(t50.shape, np.nan)
    ref_h[has_t50 & at_reference] = t50[has_t50 & at_reference]
    if convert.any():
        ref_h[convert] = lifetime_at_luminance_h(
            t50[convert], l0[convert], reference_luminance_cd_m2, n
        )
    kind = np.full(t50.shape, "", dtype=object)
    kind[has_t50 & at_reference] = "measured"
    kind[convert] = "normalised"
    kind[has_t50 & ~has_l0] = "no-initial-luminance"
    return pd.DataFrame({"t50_ref_h": ref_h, "t50_ref_kind": kind}, index=df.index)


def _user_value(metrics: Mapping, key: str) -> float:
    """A device metric as a float (NaN when blank); InputError when not a number."""
    value = metrics.get(key)
    if value is None or _blank(value):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"Device metric {key!r} must be a number, found {value!r}.", column=key
        ) from None
    if not math.isfinite(number):
        raise InputError(
            f"Device metric {key!r} must be a finite number, found {value!r}.",
            column=key,
        )
    return number


def device_t50_ref_h(
    metrics: Mapping,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> tuple[float, str]:
    """
    A device's T50 at the reference luminance, and how it was obtained.

    Parameters
    ----------
    metrics : mapping
        ``t50_ref_h`` or ``t50_at_reference_h`` [h] (taken as given), or
        ``t50_h`` [h] with ``t50_initial_luminance_cd_m2`` [cd/m²] (converted
        as in :func:`normalised_t50_h`).
    reference_luminance_cd_m2 : float
        Reference luminance. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    t50_ref_h : float
        T50 at the reference luminance, NaN when it cannot be had. [h]
    kind : str
        ``"as given"``, ``"measured"``, ``"normalised"`` or the reason it is
        missing (``"not given"``, ``"t50_h given without
        t50_initial_luminance_cd_m2"``).
    """
    for key in ("t50_ref_h", "t50_at_reference_h"):
        value = _user_value(metrics, key)
        if math.isfinite(value):
            return value, "as given"
    t50 = _user_value(metrics, "t50_h")
    if not math.isfinite(t50):
        return math.nan, "not given"
    l0 = _user_value(metrics, "t50_initial_luminance_cd_m2")
    if not math.isfinite(l0) or l0 <= 0:
        return math.nan, "t50_h given without t50_initial_luminance_cd_m2"
    frame = normalised_t50_h(
        pd.DataFrame({"t50_h": [t50], "t50_initial_luminance_cd_m2": [l0]}),
        reference_luminance_cd_m2,
        n,
    )
    return float(frame["t50_ref_h"].iloc[0]), str(frame["t50_ref_kind"].iloc[0])
