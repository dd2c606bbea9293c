"""
Which spectra a stability analysis uses, and which one is the reference.

A bias series starts below turn-on: spectra that are pure noise became the
reference and gave "peak shift −62.8 nm" on a real OLED (docs/methods.md
§2b). Spectra without emission are left out automatically; a user can leave
out more (indices or an axis range) and pick the reference. By default the
reference is the first spectrum that is left in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.errors import InputError

__all__ = [
    "NO_EMISSION",
    "TOO_WEAK",
    "BY_USER",
    "IN_RANGE",
    "Selection",
    "select_spectra",
]

NO_EMISSION = "no emission above the noise"
TOO_WEAK = "too weak for peak and FWHM"
BY_USER = "excluded by the user"
IN_RANGE = "in the excluded axis range"


@dataclass(frozen=True)
class Selection:
    """
    The spectra used and the reference.

    Attributes
    ----------
    included : numpy.ndarray
        (N,) bool.
    reason : numpy.ndarray
        (N,) why each spectrum is left out ("" when it is used).
    reference : int
        Index of the reference spectrum (-1 when none is left in).
    """

    included: np.ndarray
    reason: np.ndarray
    reference: int


def _indices(exclude: Iterable[int], n: int) -> np.ndarray:
    values = np.asarray(list(exclude), dtype=int)
    bad = values[(values < 0) | (values >= n)]
    if bad.size:
        raise InputError(
            f"Spectrum index {int(bad[0])} cannot be excluded: the series holds "
            f"spectra 0 to {n - 1}."
        )
    return values


def _reference_index(reference, axis, included, reason, unit: str) -> int:
    """The reference's index from None, an index (int) or an axis value."""
    n = axis.size
    if reference is None:
        used = np.flatnonzero(included)
        return int(used[0]) if used.size else -1
    if isinstance(reference, (int, np.integer)) and not isinstance(reference, bool):
        index = int(reference)
        if not 0 <= index < n:
            raise InputError(
                f"Reference spectrum {index} does not exist: the series holds "
                f"spectra 0 to {n - 1}."
            )
    else:
        value = float(reference)
        distance = np.abs(axis - value)
        index = int(np.nanargmin(distance))
        spacing = np.nanmedian(np.abs(np.diff(axis))) if n > 1 else 0.0
        if distance[index] > max(0.5 * spacing, 1e-9 * max(abs(value), 1.0)):
            raise InputError(
                f"No spectrum at axis value {value:g} {unit}: the series runs "
                f"from {np.nanmin(axis):g} to {np.nanmax(axis):g} {unit}."
            )
    if not included[index]:
        raise InputError(
            f"Spectrum {index} (axis {axis[index]:g} {unit}) cannot be the "
            f"reference: it is {reason[index]}."
        )
    return index


def select_spectra(
    axis,
    has_emission,
    *,
    has_peak=None,
    reference=None,
    exclude: Iterable[int] = (),
    exclude_axis_range: tuple[float, float] | None = None,
    axis_unit: str = "",
) -> Selection:
    """
    Spectra left in and the reference.

    Parameters
    ----------
    axis : array_like
        (N,) axis value of each spectrum.
    has_emission : array_like
        (N,) bool, from :func:`core.spectra.spectral_metrics`.
    has_peak : array_like, optional
        (N,) bool, whether peak and FWHM are determined (weak spectra: not).
    reference : None, int or float
        None: the first spectrum left in; an int: that spectrum's index; a
        float: the spectrum at that axis value (within half a step).
    exclude : iterable of int
        Indices (0-based) to leave out.
    exclude_axis_range : (low, high), optional
        Leave out spectra with ``low ≤ axis ≤ high``.
    axis_unit : str
        For messages.

    Returns
    -------
    Selection

    Raises
    ------
    InputError
        An index outside the series, a reference that is left out or an
        axis value with no spectrum.
    """
    axis = np.asarray(axis, dtype=float)
    reason = np.full(axis.size, "", dtype=object)
    if exclude_axis_range is not None:
        low, high = sorted(float(v) for v in exclude_axis_range)
        reason[(axis >= low) & (axis <= high)] = IN_RANGE
    reason[_indices(exclude, axis.size)] = BY_USER
    if has_peak is not None:
        reason[~np.asarray(has_peak, dtype=bool)] = TOO_WEAK
    reason[~np.asarray(has_emission, dtype=bool)] = NO_EMISSION
    included = reason == ""
    index = _reference_index(reference, axis, included, reason, axis_unit)
    return Selection(included, reason, index)
