"""
One device's headline numbers, gathered from all of its measurements.

The Literature page ranks a session device with these numbers and the Report
puts devices side by side with them. :func:`device_summary` only reads
results that were already computed (:class:`DeviceResults`: the Report passes
the analyses it ran with the user's settings, so each fit runs once and the
ranking follows the user's choices); a caller with only a :class:`Device`
gets the analyses run once with their defaults (:func:`device_results`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.efficiency import (
    EfficiencyResult,
    device_efficiency,
    device_el_spectrum,
    eqe_choice,
)
from core.lifetime import (
    DEFAULT_ACCELERATION_N,
    LifetimeResult,
    lifetime_metrics,
)
from core.literature import device_t50_ref
from core.models import Device, SpectralSeries
from core.stability import StabilityResult, series_stability

__all__ = [
    "SUMMARY_KEYS",
    "DeviceResults",
    "device_el_spectrum",
    "device_results",
    "device_summary",
    "efficiency_spectrum",
    "main_lifetime",
]

#: Keys of :func:`device_summary` shared with the literature table's columns.
SUMMARY_KEYS = (
    "el_peak_nm",
    "el_fwhm_nm",
    "cie_x",
    "cie_y",
    "eqe_max_percent",
    "luminance_at_eqe_max_cd_m2",
    "luminance_max_cd_m2",
    "turn_on_v",
    "t50_h",
    "t50_kind",
    "t50_qualifier",
    "t50_initial_luminance_cd_m2",
)


def efficiency_spectrum(device: Device, sweep) -> SpectralSeries | None:
    """
    The EL spectrum a sweep's EQE is computed with, None for the file's column.

    The device's stored choice (:attr:`core.models.Device.eqe_spectrum`), else
    the default of :func:`core.efficiency.eqe_choice`: the file's EQE column if
    it has one, else the sweep's own spectrum, else the device's EL series.
    """
    return eqe_choice(device, sweep).spectrum


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class DeviceResults:
    """
    The analyses of one device a summary is read from, computed once.

    Attributes
    ----------
    series : SpectralSeries or None
        The spectral series ``stability`` describes.
    stability : StabilityResult or None
        :func:`core.stability.series_stability` of ``series``.
    efficiency : EfficiencyResult or None
        :func:`core.efficiency.device_efficiency` of the first J-V-L sweep.
    lifetime : tuple of LifetimeResult
        :func:`core.lifetime.lifetime_metrics` of every lifetime test that
        could be analysed.
    """

    series: SpectralSeries | None = None
    stability: StabilityResult | None = None
    efficiency: EfficiencyResult | None = None
    lifetime: tuple[LifetimeResult, ...] = ()


def device_results(
    device: Device,
    *,
    reference_luminance_cd_m2: float = 100.0,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    white_point: str = "E",
    turn_on_luminance_cd_m2: float = 1.0,
) -> DeviceResults:
    """
    Run each analysis of a device once, with the analyses' default settings.

    The spectral series is the one over time, else the one over bias; the
    efficiency is the device's one EQE result
    (:func:`core.efficiency.device_efficiency` of its first sweep).

    Parameters
    ----------
    device : Device
    reference_luminance_cd_m2 : float
        Luminance T50 is converted to. [cd/m²]
    acceleration_n : float
        Exponent of L0^n · T = const for that conversion. [-]
    white_point : str
        For the dominant wavelength.
    turn_on_luminance_cd_m2 : float
        Luminance that defines turn-on (the Efficiency page's setting). [cd/m²]

    Returns
    -------
    DeviceResults
    """
    series = device.spectra_time
    if series is None:
        series = device.spectra_bias
    stability = (
        None if series is None else series_stability(series, white_point=white_point)
    )
    efficiency = None
    if device.jvl:
        efficiency = device_efficiency(
            device, turn_on_luminance_cd_m2=turn_on_luminance_cd_m2
        )
    lifetime = tuple(
        lifetime_metrics(
            log,
            reference_luminance_cd_m2=reference_luminance_cd_m2,
            acceleration_n=acceleration_n,
        )
        for log in device.lifetime
    )
    return DeviceResults(series, stability, efficiency, lifetime)


def main_lifetime(
    results: Sequence[LifetimeResult], reference_luminance_cd_m2: float
) -> LifetimeResult | None:
    """
    The lifetime test whose L0 is closest (in log) to the reference luminance.

    Tests without a known, positive L0 come last; of equally close tests the
    first one wins. None without tests.
    """
    if not results:
        return None

    def distance(result: LifetimeResult) -> float:
        l0 = result.initial_luminance_cd_m2
        if l0 is None or not l0 > 0:
            return math.inf
        return abs(math.log(l0 / reference_luminance_cd_m2))

    return min(results, key=distance)


def device_summary(
    device: Device,
    results: DeviceResults | None = None,
    *,
    reference_luminance_cd_m2: float = 100.0,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    white_point: str = "E",
    turn_on_luminance_cd_m2: float = 1.0,
) -> dict:
    """
    Headline numbers of a device, with the literature table's column names.

    Parameters
    ----------
    device : Device
        Any combination of spectra, J-V-L sweeps and lifetime logs.
    results : DeviceResults, optional
        The device's analyses, already computed (the Report's, with the
        user's settings): nothing is recomputed. Default: run once with the
        analyses' defaults (:func:`device_results`).
    reference_luminance_cd_m2 : float
        Luminance the lifetime is compared at. [cd/m²]
    acceleration_n : float
        Exponent of L0^n · T = const for that conversion.
    white_point : str
        For the dominant wavelength (used only when ``results`` is not given).
    turn_on_luminance_cd_m2 : float
        Turn-on threshold (used only when ``results`` is not given). [cd/m²]

    Returns
    -------
    dict
        ``name``, ``synthetic`` and :data:`SUMMARY_KEYS` (EL peak/FWHM [nm] and
        CIE of the fresh device's spectrum: the first of a series over time,
        the brightest of one over bias; EQE max [%], L at EQE max and L max
        [cd/m²], turn-on [V] of the first sweep; T50 [h] of the lifetime test
        whose L0 is closest to the reference, with its kind, its qualifier
        (">" with the test's length when the test stopped above 50 %) and
        L0), plus ``eqe_basis`` (where the EQE comes from, shown with it),
        ``dominant_nm``, ``peak_shift_nm`` and ``fwhm_change_nm`` over the
        time series, ``t50_at_reference_h`` (by
        :func:`core.literature.device_t50_ref`, the table's path) and
        ``notes`` saying where each
        group came from or why it is missing. Missing values are None.
    """
    if results is None:
        results = device_results(
            device,
            reference_luminance_cd_m2=reference_luminance_cd_m2,
            acceleration_n=acceleration_n,
            white_point=white_point,
            turn_on_luminance_cd_m2=turn_on_luminance_cd_m2,
        )
    summary: dict = {"name": device.name, "synthetic": device.synthetic}
    summary.update(dict.fromkeys(SUMMARY_KEYS))
    notes: list[str] = []
    summary.update(_spectral_numbers(device, results, notes))
    summary.update(_efficiency_numbers(device, results.efficiency, notes))
    summary.update(
        _lifetime_numbers(
            device, results.lifetime, reference_luminance_cd_m2, acceleration_n, notes
        )
    )
    summary["notes"] = notes
    return summary


def _reference_row(
    device: Device, series: SpectralSeries, stability: StabilityResult
) -> int:
    """The fresh device's spectrum: the reference of a series over time (its
    first spectrum with emission), else the brightest of the series over bias."""
    if series is device.spectra_bias:
        return int(np.argmax(np.nansum(series.intensity, axis=1)))
    return max(stability.reference_index, 0)


def _spectral_numbers(device: Device, results: DeviceResults, notes: list) -> dict:
    stability, series = results.stability, results.series
    if stability is None or series is None:
        has_spectra = device.spectra_time is not None or device.spectra_bias is not None
        what = "EL spectra not analysed" if has_spectra else "no EL spectrum"
        notes.append(f"{what}: peak, FWHM and CIE not determined.")
        return {}
    row = stability.metrics.iloc[_reference_row(device, series, stability)]
    if row.colour_status:
        notes.append(f"CIE not defined: {row.colour_status}.")
    numbers = {
        "el_peak_nm": _finite(row.peak_nm),
        "el_fwhm_nm": _finite(row.fwhm_nm),
        "cie_x": _finite(row.cie_x),
        "cie_y": _finite(row.cie_y),
        "dominant_nm": _finite(row.dominant_nm),
    }
    if series is device.spectra_time and series.n_spectra > 1:
        numbers["peak_shift_nm"] = _finite(stability.peak_shift_nm)
        numbers["fwhm_change_nm"] = _finite(stability.fwhm_change_nm)
    return numbers


def _efficiency_numbers(device: Device, result, notes: list) -> dict:
    if result is None:
        notes.append(
            ("J-V-L sweep not analysed" if device.jvl else "no J-V-L sweep")
            + ": EQE, luminance and turn-on not determined."
        )
        return {}
    if len(device.jvl) > 1:
        notes.append(f"efficiency from the first of {len(device.jvl)} sweeps.")
    return {
        "eqe_basis": result.eqe_basis,
        "eqe_max_percent": _finite(result.eqe_max_percent),
        "luminance_at_eqe_max_cd_m2": _finite(result.luminance_at_eqe_max_cd_m2),
        "luminance_max_cd_m2": _finite(result.luminance_max_cd_m2),
        "turn_on_v": _finite(result.turn_on_v),
    }


def _lifetime_numbers(
    device: Device,
    results: Sequence[LifetimeResult],
    reference_luminance_cd_m2: float,
    acceleration_n: float,
    notes: list,
) -> dict:
    result = main_lifetime(results, reference_luminance_cd_m2)
    if result is None:
        what = "lifetime logs not analysed" if device.lifetime else "no lifetime log"
        notes.append(f"{what}: T50 not determined.")
        return {}
    numbers = {
        "t50_h": _finite(result.t50_h),
        "t50_kind": result.t50_kind,
        "t50_qualifier": "",
        "t50_initial_luminance_cd_m2": _finite(result.initial_luminance_cd_m2),
    }
    if numbers["t50_h"] is None and result.final_fraction > 0.5:
        # The test stopped above 50 %: T50 is longer than the test, a bound
        # the data show (as the table's ">" rows).
        numbers["t50_h"] = _finite(result.duration_h)
        numbers["t50_qualifier"] = ">"
        notes.append(
            f"T50 is {result.t50_kind}: given as a lower bound, longer than the "
            f"{numbers['t50_h']:.3g} h test."
        )
    # The literature's one normalisation path (5 % tolerance, L0^n · T).
    reference = device_t50_ref(numbers, reference_luminance_cd_m2, acceleration_n)
    numbers["t50_at_reference_h"] = _finite(reference.value_h)
    if len(results) > 1:
        l0 = result.initial_luminance_cd_m2
        notes.append(
            f"lifetime from the test at L0 = {l0 or float('nan'):.0f} cd/m², the "
            f"closest of {len(results)} to {reference_luminance_cd_m2:g} cd/m²."
        )
    return numbers
