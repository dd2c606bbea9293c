"""
One EQE per device: the spectrum its user chose, and the one function that
computes the device's efficiency with it.

A device can carry a sweep whose file has an EQE column, a spectrum uploaded
for that sweep and an EL series (over bias or time); each gives a different
EQE (a real device: 10.28 % from the file's column, 32.07 % recomputed from
its EL series). :attr:`core.models.Device.eqe_spectrum` stores which one the
user chose and :func:`device_efficiency` is the only place a device's EQE is
computed: the Efficiency, Literature and Report pages, the report file and
the CLI all call it, and show :attr:`EfficiencyResult.eqe_basis` with the
number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core.efficiency.metrics import efficiency_metrics
from core.efficiency.result import EfficiencyResult
from core.models import EQE_SPECTRUM_CHOICES, Device, JVLSweep, SpectralSeries

__all__ = [
    "EQE_SPECTRUM_LABELS",
    "EqeChoice",
    "available_eqe_spectra",
    "device_el_spectrum",
    "eqe_choice",
    "device_efficiency",
]

#: How each EQE choice is named to the user.
EQE_SPECTRUM_LABELS: dict[str, str] = {
    "file": "the file's EQE column",
    "uploaded": "the spectrum given with the sweep (uploaded)",
    "el_series": "the device's EL series",
}


@dataclass(frozen=True)
class EqeChoice:
    """
    Where a sweep's EQE comes from.

    Attributes
    ----------
    kind : str
        One of :data:`core.models.EQE_SPECTRUM_CHOICES`, or ``"none"``.
    spectrum : SpectralSeries or None
        The spectrum the EQE is computed with (None for the file's column).
    chosen : bool
        True when the user chose it, False for the default.
    why : str
        Why the choice could not be honoured, "" when it was.
    """

    kind: str
    spectrum: SpectralSeries | None
    chosen: bool
    why: str = ""


def device_el_spectrum(device: Device) -> SpectralSeries | None:
    """A device's EL spectra for EQE: the series over bias, else over time."""
    for series in (device.spectra_bias, device.spectra_time):
        if series is not None:
            return series
    return None


def _uploaded(device: Device, sweep: JVLSweep) -> SpectralSeries | None:
    if device.eqe_uploaded_spectrum is not None:
        return device.eqe_uploaded_spectrum
    return sweep.spectrum


def _has_file_eqe(sweep: JVLSweep) -> bool:
    return sweep.eqe_percent is not None and bool(
        np.isfinite(np.asarray(sweep.eqe_percent, dtype=float)).any()
    )


def available_eqe_spectra(device: Device, sweep: JVLSweep) -> list[str]:
    """The choices of :data:`core.models.EQE_SPECTRUM_CHOICES` this sweep has."""
    present = {
        "file": _has_file_eqe(sweep),
        "uploaded": _uploaded(device, sweep) is not None,
        "el_series": device_el_spectrum(device) is not None,
    }
    return [kind for kind in EQE_SPECTRUM_CHOICES if present[kind]]


def eqe_choice(device: Device, sweep: JVLSweep) -> EqeChoice:
    """
    The source of a sweep's EQE: the device's stored choice, else the default.

    The default, when the user has not chosen: the file's own EQE column if it
    has one, else a spectrum given with the sweep (uploaded with it, or the
    demo's), else the device's EL series (over bias, else over time), else no
    EQE. A choice whose data is missing gives no EQE, with the reason.

    Parameters
    ----------
    device : Device
    sweep : JVLSweep
        One of ``device.jvl``.

    Returns
    -------
    EqeChoice
    """
    spectra = {
        "uploaded": _uploaded(device, sweep),
        "el_series": device_el_spectrum(device),
    }
    if device.eqe_spectrum is not None:
        kind = device.eqe_spectrum
        present = kind in available_eqe_spectra(device, sweep)
        why = "" if present else f"{EQE_SPECTRUM_LABELS[kind]} is missing"
        return EqeChoice(kind if present else "none", spectra.get(kind), True, why)
    for kind in available_eqe_spectra(device, sweep):
        return EqeChoice(kind, spectra.get(kind), False)
    return EqeChoice("none", None, False)


def device_efficiency(
    device: Device,
    *,
    sweep_index: int = 0,
    turn_on_luminance_cd_m2: float = 1.0,
    baseline: str = "edges",
) -> EfficiencyResult:
    """
    The efficiency of a device's sweep, with the EQE spectrum its user chose.

    The one function every page, the report and the CLI get a device's EQE
    from (:func:`eqe_choice` picks the spectrum, :func:`efficiency_metrics`
    computes). ``eqe_spectrum`` and ``eqe_basis`` of the result say which
    source served, in words shown wherever the number appears.

    Parameters
    ----------
    device : Device
    sweep_index : int
        Which of ``device.jvl`` (the first by default: the one the Literature
        page and the report summarise).
    turn_on_luminance_cd_m2 : float
        Luminance that defines turn-on. [cd/m²]
    baseline : {"edges", "none"}
        Baseline subtracted from the spectra first.

    Returns
    -------
    EfficiencyResult

    Raises
    ------
    IndexError
        When the device has no sweep ``sweep_index``.
    """
    sweep = device.jvl[sweep_index]
    choice = eqe_choice(device, sweep)
    names = {
        "uploaded": "the spectrum given with the sweep",
        "el_series": "the device's EL series",
    }

    def compute(what: JVLSweep, spectrum: SpectralSeries | None) -> EfficiencyResult:
        return efficiency_metrics(
            what,
            spectrum,
            turn_on_luminance_cd_m2=turn_on_luminance_cd_m2,
            baseline=baseline,
            noisy_spectrum=device.eqe_noisy_spectrum,
            spectrum_name=names.get(choice.kind),
        )

    if choice.kind == "none":  # nothing to compute an EQE from: say why
        result = compute(replace(sweep, spectrum=None, eqe_percent=None), None)
        why = choice.why or "no EQE column, no spectrum with the sweep, no EL series"
        warnings = result.warnings
        if choice.why:
            warnings = tuple(w for w in warnings if not w.startswith("EQE not det"))
            source = EQE_SPECTRUM_LABELS[str(device.eqe_spectrum)]
            warnings += (
                f"EQE not determined: the device's EQE is set to come from "
                f"{source}, which it does not have; choose another source.",
            )
        return replace(result, eqe_basis=f"no EQE ({why})", warnings=warnings)
    result = compute(replace(sweep, spectrum=None), choice.spectrum)
    kind = "file" if result.eqe_source == "file" else choice.kind
    basis = result.eqe_basis + ("" if choice.chosen else " (default)")
    return replace(result, eqe_spectrum=kind, eqe_basis=basis)
