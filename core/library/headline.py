"""
A device's headline numbers with their uncertainties, for the library's list.

The stored summary (:func:`core.summary.device_summary`) holds the values;
their uncertainties are in the full results (the stability's standard
deviations, the lifetime thresholds' uncertainties and reference bands),
which the list does not load. :func:`headline` picks them out once, when an
analysis is written, into the ``analyses.headline`` column, with the colour
distance to the BT.2020 red primary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["HEADLINE_KEYS", "headline"]

#: What :func:`headline` returns (None where the device has no such data).
HEADLINE_KEYS = (
    "peak_shift_sd_nm",
    "fwhm_change_sd_nm",
    "t50_uncertainty_h",
    "t50_at_reference_low_h",
    "t50_at_reference_high_h",
    "peak_shift_at_t50_nm",
    "distance_bt2020_uv",
)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _main_lifetime(results: Mapping) -> Mapping | None:
    """The lifetime test the summary's T50 comes from (same T50 and L0)."""
    summary = results.get("summary") or {}
    tests = [t for t in results.get("lifetime") or [] if isinstance(t, Mapping)]
    wanted = _number(summary.get("t50_initial_luminance_cd_m2"))
    for test in tests:
        if (
            wanted is not None
            and _number(test.get("initial_luminance_cd_m2")) == wanted
        ):
            return test
    return tests[0] if len(tests) == 1 else None


def _t50(test: Mapping) -> Mapping:
    return next(
        (
            t
            for t in test.get("thresholds") or []
            if isinstance(t, Mapping) and t.get("fraction") == 0.5
        ),
        {},
    )


def distance_bt2020_uv(cie_x, cie_y) -> float | None:
    """Δu'v' from the CIE 1931 chromaticity (x, y) to the BT.2020 red primary."""
    x, y = _number(cie_x), _number(cie_y)
    if x is None or y is None:
        return None
    from core.colorimetry import BT2020_RED_XY, uv_prime_from_xy

    uv = uv_prime_from_xy([x, y])
    red = uv_prime_from_xy(BT2020_RED_XY)
    return float(math.hypot(uv[0] - red[0], uv[1] - red[1]))


def headline(results: Mapping) -> dict:
    """
    The uncertainties of a device's headline numbers, from its results.

    Parameters
    ----------
    results : mapping
        As :func:`core.library.analysis.analyse_files` returns them.

    Returns
    -------
    dict
        :data:`HEADLINE_KEYS`: σ of the peak shift and of the FWHM change
        [nm], the uncertainty of the measured or extrapolated T50 [h], the
        band of T50 at the reference luminance [h], the peak shift at T50
        [nm] and Δu'v' to the BT.2020 red primary [-].
    """
    summary = results.get("summary") or {}
    stability = results.get("stability") or {}
    test = _main_lifetime(results) or {}
    reference = test.get("reference") or {}
    band = reference.get("band_h") or [None, None]
    return {
        "peak_shift_sd_nm": _number(stability.get("peak_shift_sd_nm")),
        "fwhm_change_sd_nm": _number(stability.get("fwhm_change_sd_nm")),
        "t50_uncertainty_h": _number(_t50(test).get("uncertainty_h")),
        "t50_at_reference_low_h": _number(band[0]),
        "t50_at_reference_high_h": _number(band[-1]),
        "peak_shift_at_t50_nm": _number(test.get("peak_shift_at_t50_nm")),
        "distance_bt2020_uv": distance_bt2020_uv(
            summary.get("cie_x"), summary.get("cie_y")
        ),
    }
