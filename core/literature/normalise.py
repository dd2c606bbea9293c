"""
T50 at one reference luminance: the one normalisation path of the project.

Literature rows (:func:`normalised_t50_h`) and a user's device
(:func:`device_t50_ref`) go through the same code, and the Lifetime page,
the summary and the report use the same rule
(:func:`core.lifetime.lifetime_at_reference_h`): a T50 whose initial
luminance lies within :data:`MEASURED_TOLERANCE` (5 %) of the reference
(:func:`at_reference_luminance`) is taken as measured there, any other is
converted with L0^n · T50 = const [1]_. What the source says travels along:
``t50_kind`` (measured or extrapolated by the authors) and ``t50_qualifier``
(``">"``: a lower bound, kept apart from the values).

References
----------
.. [1] docs/methods.md §4 (project design notes): L0^n · T50 = const for lifetime
   normalisation, implemented in :mod:`core.lifetime`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.lifetime import (
    REFERENCE_TOLERANCE,
    at_reference_stress,
    lifetime_at_reference_h,
)
from core.literature.precision import decimals_of, half_unit
from core.literature.schema import _blank

__all__ = [
    "MEASURED_TOLERANCE",
    "T50_REF_KINDS",
    "ReferenceT50",
    "at_reference_luminance",
    "device_t50_ref",
    "device_t50_ref_h",
    "normalised_t50_h",
]

#: Relative band around the reference luminance inside which a T50 counts as
#: measured at the reference (102 cd/m² is "at 100 cd/m²") and is not
#: converted: the project's one rule, :data:`core.lifetime.REFERENCE_TOLERANCE`.
MEASURED_TOLERANCE = REFERENCE_TOLERANCE

#: Values of ``t50_ref_kind``, the way a T50 at the reference was obtained.
T50_REF_KINDS = (
    "measured",
    "normalised",
    "extrapolated",
    "kind not stated",
    "lower bound",
    "no-initial-luminance",
    "",
)


def at_reference_luminance(luminance_cd_m2, reference_luminance_cd_m2: float):
    """
    Whether an initial luminance counts as the reference luminance itself.

    The one tolerance rule of the project (:func:`core.lifetime.at_reference_stress`):
    ``|L0 − L_ref| ≤ MEASURED_TOLERANCE · L_ref``.

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
    return at_reference_stress(luminance_cd_m2, reference_luminance_cd_m2)


def _text_column(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), "", dtype=object)
    return np.array(
        ["" if _blank(v) else str(v).strip() for v in df[name]], dtype=object
    )


def normalised_t50_h(
    df: pd.DataFrame,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> pd.DataFrame:
    """
    T50 of every row at one reference luminance, labelled by how it was got.

    A T50 whose initial luminance L0 lies within ``MEASURED_TOLERANCE`` (5 %)
    of the reference is taken as it is; any other is converted with
    L0^n · T50 = const (:func:`core.lifetime.lifetime_at_reference_h`). Rows
    with a T50 but no L0 cannot be converted. A ``">"`` T50 (``t50_qualifier``)
    stays a bound: it goes to ``t50_ref_bound_h``, never to ``t50_ref_h``.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with ``t50_h`` [h] and ``t50_initial_luminance_cd_m2`` [cd/m²];
        ``t50_kind`` and ``t50_qualifier`` are used when present.
    reference_luminance_cd_m2 : float
        Luminance to express every T50 at. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``; columns ``t50_ref_h`` [h] (NaN when not
        available or a bound), ``t50_ref_bound_h`` [h] (the lower bound at the
        reference, NaN unless ``">"``), ``t50_ref_kind`` (one of
        :data:`T50_REF_KINDS`: the bound first, then the source's
        "extrapolated", then "normalised" when converted, else "measured" or
        "kind not stated"), ``t50_ref_converted`` (bool) and
        ``t50_ref_resolution_h`` [h] (half a unit of the stated decimals of
        ``t50_h``, times the conversion factor: values closer than this are
        equal).

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
    usable = has_t50 & np.isfinite(l0) & (l0 > 0)
    at_reference = usable & at_reference_luminance(l0, reference_luminance_cd_m2)
    value = np.full(t50.shape, np.nan)
    if usable.any():
        value[usable] = lifetime_at_reference_h(
            t50[usable], l0[usable], reference_luminance_cd_m2, n
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(usable, value / t50, np.nan)
    bound = usable & (_text_column(df, "t50_qualifier") == ">")
    kind = _kinds(has_t50, usable, at_reference, bound, _text_column(df, "t50_kind"))
    return pd.DataFrame(
        {
            "t50_ref_h": np.where(bound, np.nan, value),
            "t50_ref_bound_h": np.where(bound, value, np.nan),
            "t50_ref_kind": kind,
            "t50_ref_converted": usable & ~at_reference,
            "t50_ref_resolution_h": half_unit(decimals_of(df, "t50_h")) * factor,
        },
        index=df.index,
    )


def _kinds(has_t50, usable, at_reference, bound, source_kind) -> np.ndarray:
    """``t50_ref_kind`` of every row (see :func:`normalised_t50_h`)."""
    kind = np.full(has_t50.shape, "", dtype=object)
    kind[has_t50 & ~usable] = "no-initial-luminance"
    kind[usable & (source_kind == "measured")] = "measured"
    kind[usable & (source_kind != "measured")] = "kind not stated"
    kind[usable & ~at_reference] = "normalised"
    kind[usable & (source_kind == "extrapolated")] = "extrapolated"
    kind[bound] = "lower bound"
    return kind


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


@dataclass(frozen=True)
class ReferenceT50:
    """
    A device's T50 at the reference luminance (see :func:`device_t50_ref`).

    Attributes
    ----------
    value_h : float
        T50 at the reference [h]; NaN when missing or a bound.
    bound_h : float
        Lower bound at the reference (``t50_qualifier = ">"``) [h]; else NaN.
    kind : str
        One of :data:`T50_REF_KINDS`, or ``"as given"`` (a value already at
        the reference).
    converted : bool
        Whether L0^n · T50 = const was applied.
    note : str
        How it was obtained, or why it is missing.
    """

    value_h: float
    bound_h: float = math.nan
    kind: str = ""
    converted: bool = False
    note: str = ""


def device_t50_ref(
    metrics: Mapping,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> ReferenceT50:
    """
    A device's T50 at the reference luminance, by the path of the table's rows.

    Parameters
    ----------
    metrics : mapping
        ``t50_h`` [h] with ``t50_initial_luminance_cd_m2`` [cd/m²] (and
        optionally ``t50_kind``, ``t50_qualifier``), converted exactly as
        :func:`normalised_t50_h` converts a row; else ``t50_ref_h`` or
        ``t50_at_reference_h`` [h], taken as given.
    reference_luminance_cd_m2 : float
        Reference luminance. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    ReferenceT50
    """
    t50 = _user_value(metrics, "t50_h")
    l0 = _user_value(metrics, "t50_initial_luminance_cd_m2")
    if math.isfinite(t50) and math.isfinite(l0) and l0 > 0:
        row = {
            "t50_h": [t50],
            "t50_initial_luminance_cd_m2": [l0],
            "t50_kind": [str(metrics.get("t50_kind") or "")],
            "t50_qualifier": [str(metrics.get("t50_qualifier") or "")],
        }
        frame = normalised_t50_h(pd.DataFrame(row), reference_luminance_cd_m2, n)
        first = frame.iloc[0]
        converted = bool(first["t50_ref_converted"])
        how = (
            f"converted from {l0:g} cd/m² with n = {n:g}"
            if converted
            else f"at {l0:g} cd/m², within 5 % of {reference_luminance_cd_m2:g}: "
            "not converted"
        )
        return ReferenceT50(
            float(first["t50_ref_h"]),
            float(first["t50_ref_bound_h"]),
            str(first["t50_ref_kind"]),
            converted,
            f"{first['t50_ref_kind']}; {how}",
        )
    for key in ("t50_ref_h", "t50_at_reference_h"):
        value = _user_value(metrics, key)
        if math.isfinite(value):
            kind = "extrapolated" if metrics.get("t50_kind") == "extrapolated" else ""
            return ReferenceT50(value, kind=kind or "as given", note="as given")
    if math.isfinite(t50):
        return ReferenceT50(
            math.nan, note="t50_h given without t50_initial_luminance_cd_m2"
        )
    return ReferenceT50(math.nan, note="not given")


def device_t50_ref_h(
    metrics: Mapping,
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> tuple[float, str]:
    """
    A device's T50 at the reference luminance [h] and how it was obtained.

    :func:`device_t50_ref` as a pair: the value (NaN for a lower bound or
    when missing) and its kind (``"as given"``, ``"measured"``,
    ``"normalised"``, ``"extrapolated"``, ``"lower bound"``...) or the reason
    it is missing (``"not given"``, ``"t50_h given without
    t50_initial_luminance_cd_m2"``).
    """
    result = device_t50_ref(metrics, reference_luminance_cd_m2, n)
    return result.value_h, result.kind or result.note
