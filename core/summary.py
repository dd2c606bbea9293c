"""
One device's headline numbers, gathered from all of its measurements.

The Literature page ranks a session device with these numbers and the Report
puts devices side by side with them; both get them from
:func:`device_summary`, which only calls the analysis modules (nothing is
recomputed differently here).
"""

from __future__ import annotations

import math

import numpy as np

from core.efficiency import efficiency_metrics
from core.lifetime import (
    DEFAULT_ACCELERATION_N,
    lifetime_at_luminance_h,
    lifetime_metrics,
)
from core.models import Device, SpectralSeries
from core.spectra import spectral_metrics
from core.stability import series_stability

__all__ = [
    "SUMMARY_KEYS",
    "device_el_spectrum",
    "device_summary",
    "efficiency_spectrum",
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
    "t50_initial_luminance_cd_m2",
)


def _reference_spectrum(device: Device) -> SpectralSeries | None:
    """The spectrum that describes the device's colour: the first of the
    lifetime series (the fresh device), else the brightest of a bias series."""
    if device.spectra_time is not None:
        series = device.spectra_time
        return SpectralSeries(
            series.wavelength_nm,
            series.intensity[:1],
            series.axis[:1],
            series.axis_name,
            series.axis_unit,
            series.label,
            series.source,
        )
    if device.spectra_bias is not None:
        series = device.spectra_bias
        brightest = int(np.argmax(np.nansum(series.intensity, axis=1)))
        return SpectralSeries(
            series.wavelength_nm,
            series.intensity[brightest : brightest + 1],
            series.axis[brightest : brightest + 1],
            series.axis_name,
            series.axis_unit,
            series.label,
            series.source,
        )
    return None


def efficiency_spectrum(device: Device, sweep) -> SpectralSeries | None:
    """
    The EL spectrum a sweep's EQE is computed with.

    The sweep's own spectrum if it has one, else the device's series over bias
    (each point then uses the spectrum at the nearest voltage), else its series
    over time (the first spectrum is used).
    """
    if sweep.spectrum is not None:
        return sweep.spectrum
    return device_el_spectrum(device)


def device_el_spectrum(device: Device) -> SpectralSeries | None:
    """A device's EL spectra for EQE: the series over bias, else over time."""
    for series in (device.spectra_bias, device.spectra_time):
        if series is not None:
            return series
    return None


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def device_summary(
    device: Device,
    *,
    reference_luminance_cd_m2: float = 100.0,
    acceleration_n: float = DEFAULT_ACCELERATION_N,
    white_point: str = "E",
) -> dict:
    """
    Headline numbers of a device, with the literature table's column names.

    Parameters
    ----------
    device : Device
        Any combination of spectra, J-V-L sweeps and lifetime logs.
    reference_luminance_cd_m2 : float
        Luminance the lifetime is compared at. [cd/m²]
    acceleration_n : float
        Exponent of L0^n · T = const for that conversion.
    white_point : str
        For the dominant wavelength.

    Returns
    -------
    dict
        ``name``, ``synthetic`` and :data:`SUMMARY_KEYS` (EL peak/FWHM [nm] and
        CIE of the fresh device's spectrum; EQE max [%], L at EQE max and
        L max [cd/m²], turn-on [V] of the first sweep; T50 [h] of the lifetime
        test whose L0 is closest to the reference, with its kind and L0), plus
        ``dominant_nm``, ``peak_shift_nm`` and ``fwhm_change_nm`` over the
        time series, ``t50_at_reference_h`` and ``notes`` saying where each
        group came from or why it is missing. Missing values are None.
    """
    summary: dict = {"name": device.name, "synthetic": device.synthetic}
    summary.update(dict.fromkeys(SUMMARY_KEYS))
    notes: list[str] = []

    spectrum = _reference_spectrum(device)
    if spectrum is not None:
        row = spectral_metrics(
            spectrum.wavelength_nm, spectrum.intensity, white_point=white_point
        ).iloc[0]
        summary.update(
            el_peak_nm=_finite(row.peak_nm),
            el_fwhm_nm=_finite(row.fwhm_nm),
            cie_x=_finite(row.cie_x),
            cie_y=_finite(row.cie_y),
            dominant_nm=_finite(row.dominant_nm),
        )
    else:
        notes.append("no EL spectrum: peak, FWHM and CIE not determined.")
    if device.spectra_time is not None and device.spectra_time.n_spectra > 1:
        drift = series_stability(device.spectra_time, white_point=white_point)
        summary["peak_shift_nm"] = _finite(drift.peak_shift_nm)
        summary["fwhm_change_nm"] = _finite(drift.fwhm_change_nm)

    if device.jvl:
        sweep = device.jvl[0]
        result = efficiency_metrics(sweep, efficiency_spectrum(device, sweep))
        summary.update(
            eqe_max_percent=_finite(result.eqe_max_percent),
            luminance_at_eqe_max_cd_m2=_finite(result.luminance_at_eqe_max_cd_m2),
            luminance_max_cd_m2=_finite(result.luminance_max_cd_m2),
            turn_on_v=_finite(result.turn_on_v),
        )
        if len(device.jvl) > 1:
            notes.append(f"efficiency from the first of {len(device.jvl)} sweeps.")
    else:
        notes.append("no J-V-L sweep: EQE, luminance and turn-on not determined.")

    logs = list(device.lifetime)
    if logs:
        results = [lifetime_metrics(log) for log in logs]
        l0 = [r.initial_luminance_cd_m2 for r in results]
        known = [i for i, value in enumerate(l0) if value]
        chosen = (
            min(known, key=lambda i: abs(math.log(l0[i] / reference_luminance_cd_m2)))
            if known
            else 0
        )
        result = results[chosen]
        summary.update(
            t50_h=_finite(result.t50_h),
            t50_kind=result.t50_kind,
            t50_initial_luminance_cd_m2=_finite(result.initial_luminance_cd_m2),
        )
        if summary["t50_h"] is not None and result.initial_luminance_cd_m2:
            summary["t50_at_reference_h"] = _finite(
                lifetime_at_luminance_h(
                    result.t50_h,
                    result.initial_luminance_cd_m2,
                    reference_luminance_cd_m2,
                    acceleration_n,
                )
            )
        if len(logs) > 1:
            notes.append(
                f"lifetime from the test at L0 = {l0[chosen] or float('nan'):.0f} "
                f"cd/m², the closest of {len(logs)} to "
                f"{reference_luminance_cd_m2:g} cd/m²."
            )
    else:
        notes.append("no lifetime log: T50 not determined.")
    summary["notes"] = notes
    return summary
