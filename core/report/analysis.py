"""
The analyses of one device, each run once with the report's settings.

:func:`analyse_device` runs the spectral stability, efficiency and lifetime
analyses its data allow, summarises them with
:func:`core.summary.device_summary` (nothing is recomputed there) and ranks
that summary among the published devices. An analysis that fails leaves its
reason in ``errors`` instead of raising.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from core import literature
from core.efficiency import device_efficiency
from core.errors import InputError
from core.lifetime import lifetime_metrics
from core.models import Device, SpectralSeries
from core.report.settings import DEFAULT_SETTINGS, DeviceAnalysis, ReportSettings
from core.stability import series_stability
from core.summary import DeviceResults, device_summary, main_lifetime

__all__ = ["analyse_device", "rank_inputs"]


def _main_series(device: Device, settings: ReportSettings) -> SpectralSeries | None:
    order = (
        (device.spectra_time, device.spectra_bias)
        if settings.series == "time"
        else (device.spectra_bias, device.spectra_time)
    )
    return next((series for series in order if series is not None), None)


def _stability(series, settings: ReportSettings, errors: dict):
    if series is None:
        return None
    try:
        return series_stability(
            series,
            threshold_nm=settings.threshold_nm,
            window_k=settings.window_k,
            baseline=settings.baseline,
            white_point=settings.white_point,
        )
    except (InputError, ValueError) as error:
        errors["stability"] = str(error)
        return None


def _efficiency(device: Device, settings: ReportSettings, errors: dict):
    if not device.jvl:
        return None
    try:  # the device's one EQE, with the spectrum its user chose
        return device_efficiency(
            device, turn_on_luminance_cd_m2=settings.turn_on_luminance_cd_m2
        )
    except (InputError, ValueError) as error:
        errors["efficiency"] = str(error)
        return None


def _lifetime(device: Device, settings: ReportSettings, errors: dict) -> tuple:
    pairs = []
    for log in device.lifetime:
        try:
            result = lifetime_metrics(
                log,
                method=settings.decay_model,
                reference_luminance_cd_m2=settings.reference_luminance_cd_m2,
                acceleration_n=settings.acceleration_n,
            )
        except (InputError, ValueError) as error:
            errors["lifetime"] = f"{log.label or log.source}: {error}"
        else:
            pairs.append((log, result))
    return tuple(pairs)


def rank_inputs(analysis: DeviceAnalysis) -> dict:
    """The device's numbers for the literature ranking (its summary's values)."""
    return {k: v for k, v in (analysis.summary or {}).items() if v is not None}


def analyse_device(
    device: Device,
    settings: ReportSettings = DEFAULT_SETTINGS,
    literature_table: pd.DataFrame | None = None,
) -> DeviceAnalysis:
    """
    Every analysis of one device that its data allow.

    Parameters
    ----------
    device : Device
    settings : ReportSettings
    literature_table : pandas.DataFrame, optional
        Typed literature table for the ranking (none: no ranking).

    Returns
    -------
    DeviceAnalysis
        A section the device has no data for is None; an analysis that raised
        is None with the reason in ``errors``.
    """
    errors: dict[str, str] = {}
    series = _main_series(device, settings)
    stability = _stability(series, settings, errors)
    efficiency = _efficiency(device, settings, errors)
    pairs = _lifetime(device, settings, errors)
    results = tuple(result for _, result in pairs)
    # The Literature page ranks a device with these same numbers.
    summary = device_summary(
        device,
        DeviceResults(series, stability, efficiency, results),
        reference_luminance_cd_m2=settings.reference_luminance_cd_m2,
        acceleration_n=settings.acceleration_n,
    )
    analysis = DeviceAnalysis(
        device=device,
        series=series,
        stability=stability,
        efficiency=efficiency,
        lifetime=pairs,
        lifetime_main=main_lifetime(results, settings.reference_luminance_cd_m2),
        summary=summary,
        errors=errors,
    )
    metrics = rank_inputs(analysis)
    if literature_table is None or not metrics:
        return analysis
    try:
        rank = literature.rank_device(
            metrics,
            literature_table,
            settings.reference_luminance_cd_m2,
            settings.acceleration_n,
        )
    except (InputError, ValueError) as error:
        errors["literature"] = str(error)
        return analysis
    return replace(analysis, rank=rank)
