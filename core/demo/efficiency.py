"""
Synthetic J-V-L sweeps for the demo: two pure-red PeLEDs and a batch of 50.

The numbers are shaped on the control and treated devices of Ren et al.,
"Pure-red perovskite light-emitting diodes," ACS Materials Lett. (2024),
doi:10.1021/acsmaterialslett.4c00912 (treated: 26.0 % champion EQE, 22.0 %
mean over 50 devices) [numbers as given in the project brief; the paper's
text was not re-read]. They are *synthetic demo data*, generated, not
measured, and every sweep says so in its label and source.

How a sweep is made: an EQE-versus-current-density curve (a peak that is
Gaussian in log J, with separate widths for the rise and the roll-off), a
diode current with series resistance (Shockley equation solved with the
Lambert W function), and a Gaussian EL spectrum. The luminance follows from
``L = 10 J · EQE / k`` with ``k = eqe_percent_per_cd_a(spectrum)``, so
:func:`core.efficiency.efficiency_metrics` recovers the design values from
J, L and the spectrum. Seeded noise (a luminance-meter floor and a
proportional term) makes the points below turn-on look like a real meter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from core.demo.spectra import CONTROL, SYNTHETIC, TREATED
from core.efficiency import eqe_percent_per_cd_a
from core.models import JVLSweep, SpectralSeries

__all__ = [
    "DemoDevice",
    "CONTROL_DEVICE",
    "TREATED_DEVICE",
    "gaussian_spectrum",
    "synthetic_sweep",
    "demo_jvl",
    "demo_batch",
]

_FWHM_TO_SIGMA = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))
_THERMAL_VOLTAGE_V = 0.025852  # k T / q at 300 K
_WAVELENGTH_NM = np.arange(380.0, 800.0 + 0.25, 0.5)


@dataclass(frozen=True)
class DemoDevice:
    """
    Design targets of one synthetic device.

    Attributes
    ----------
    name : str
        Label (ends in "(synthetic)").
    peak_nm, fwhm_nm : float
        Gaussian EL spectrum. [nm]
    eqe_max_percent : float
        Peak EQE. [%]
    luminance_at_eqe_max_cd_m2 : float
        Luminance at the EQE peak. [cd/m²]
    eqe_rise_decades : float
        Width (1/e, in decades of J) of the rise of EQE below its peak.
    eqe_rolloff_decades : float
        Width (1/e, in decades of J) of the roll-off above the peak.
    turn_on_v : float
        Voltage at which L first exceeds 1 cd/m² (a point of the grid). [V]
    luminance_max_cd_m2 : float
        Luminance at the last point of the sweep. [cd/m²]
    voltage_max_v : float
        Last voltage of the sweep. [V]
    seed : int
        Seed of the noise generator.
    """

    name: str
    peak_nm: float
    fwhm_nm: float
    eqe_max_percent: float
    luminance_at_eqe_max_cd_m2: float
    eqe_rise_decades: float
    eqe_rolloff_decades: float
    turn_on_v: float
    luminance_max_cd_m2: float
    voltage_max_v: float
    seed: int


#: Control device: ≈14.5 % EQE, ≈5000 cd/m², turn-on ≈2.3 V, 644/35 nm.
CONTROL_DEVICE = DemoDevice(
    name=CONTROL,
    peak_nm=644.0,
    fwhm_nm=35.0,
    eqe_max_percent=14.5,
    luminance_at_eqe_max_cd_m2=150.0,
    eqe_rise_decades=1.3,
    eqe_rolloff_decades=2.1,
    turn_on_v=2.3,
    luminance_max_cd_m2=5000.0,
    voltage_max_v=5.5,
    seed=20240101,
)

#: Treated device: ≈26 % EQE near 280 cd/m², ≈21 % at 10 000 cd/m²,
#: ≈18 500 cd/m², turn-on ≈2.0 V, 638/32 nm.
TREATED_DEVICE = DemoDevice(
    name=TREATED,
    peak_nm=638.0,
    fwhm_nm=32.0,
    eqe_max_percent=26.0,
    luminance_at_eqe_max_cd_m2=280.0,
    eqe_rise_decades=1.2,
    eqe_rolloff_decades=3.55,
    turn_on_v=2.0,
    luminance_max_cd_m2=18500.0,
    voltage_max_v=5.0,
    seed=20240102,
)

_VOLTAGE_STEP_V = 0.05
_LUMINANCE_AT_TURN_ON_CD_M2 = 1.6  # design L at the turn-on point (meter: ±1 %)
_IDEALITY = 2.5
_SHUNT_OHM_CM2 = 2.0e6


def gaussian_spectrum(peak_nm: float, fwhm_nm: float, label: str) -> SpectralSeries:
    """
    A Gaussian EL spectrum (in wavelength) on 380-800 nm, 0.5 nm steps.

    Parameters
    ----------
    peak_nm, fwhm_nm : float
        Peak wavelength and full width at half maximum. [nm]
    label : str
        Legend label.

    Returns
    -------
    SpectralSeries
        One spectrum, peak 1, ``source`` = "synthetic demo data".
    """
    sigma = fwhm_nm * _FWHM_TO_SIGMA
    intensity = np.exp(-0.5 * ((_WAVELENGTH_NM - peak_nm) / sigma) ** 2)
    return SpectralSeries(
        wavelength_nm=_WAVELENGTH_NM,
        intensity=intensity,
        axis=np.array([0.0]),
        label=label,
        source=SYNTHETIC,
    )


def _eqe_of_j(current_ma_cm2, device: DemoDevice, peak_j: float) -> np.ndarray:
    """EQE [%]: a Gaussian in log10 J with separate rise and roll-off widths."""
    x = np.log10(np.asarray(current_ma_cm2, dtype=float) / peak_j)
    width = np.where(x < 0, device.eqe_rise_decades, device.eqe_rolloff_decades)
    return device.eqe_max_percent * np.exp(-((x / width) ** 2))


def _luminance_of_j(current, device: DemoDevice, peak_j: float, factor: float):
    # L = CE · J[A/m²] = EQE / (EQE per cd/A) · 10 · J[mA/cm²]
    return _eqe_of_j(current, device, peak_j) / factor * 10.0 * current


def _diode_ma_cm2(voltage, saturation: float, series: float) -> np.ndarray:
    """Shockley diode with series resistance, J(V) by Lambert W. [mA/cm²]"""
    n_vt = _IDEALITY * _THERMAL_VOLTAGE_V
    j0 = saturation * 1e-3  # A/cm²
    v = np.asarray(voltage, dtype=float)
    argument = np.log(j0 * series / n_vt) + (v + j0 * series) / n_vt
    # W(exp(a)) without overflow: scipy.special.wrightomega(a) = W(e^a).
    current = n_vt / series * np.real(special.wrightomega(argument)) - j0
    return current * 1e3 + v / _SHUNT_OHM_CM2 * 1e3


def _design(device: DemoDevice) -> tuple[float, float, float, float]:
    """Spectral factor, J at the EQE peak, diode J0 and series resistance."""
    spectrum = gaussian_spectrum(device.peak_nm, device.fwhm_nm, device.name)
    factor = float(eqe_percent_per_cd_a(spectrum.wavelength_nm, spectrum.intensity[0]))
    peak_j = (
        device.luminance_at_eqe_max_cd_m2 * factor / (10.0 * device.eqe_max_percent)
    )

    def j_at(luminance: float) -> float:
        def gap(log_j):
            return math.log10(
                _luminance_of_j(10.0**log_j, device, peak_j, factor)
            ) - math.log10(luminance)

        return (
            10.0 ** optimize.brentq(gap, math.log10(peak_j), 4.0)
            if (luminance > device.luminance_at_eqe_max_cd_m2)
            else 10.0 ** optimize.brentq(gap, -8.0, math.log10(peak_j))
        )

    j_on = j_at(_LUMINANCE_AT_TURN_ON_CD_M2)
    j_max = j_at(device.luminance_max_cd_m2)
    n_vt = _IDEALITY * _THERMAL_VOLTAGE_V
    # Below 1 mA/cm² the series resistance does not matter: J0 from turn-on.
    saturation = j_on * math.exp(-device.turn_on_v / n_vt)

    def gap_series(log_r):
        top = _diode_ma_cm2(device.voltage_max_v, saturation, 10.0**log_r)
        return math.log(top) - math.log(j_max)

    series = 10.0 ** optimize.brentq(gap_series, -3.0, 4.0)
    return factor, peak_j, saturation, series


def synthetic_sweep(device: DemoDevice, *, label: str | None = None) -> JVLSweep:
    """
    A noisy synthetic J-V-L sweep that meets a :class:`DemoDevice`'s targets.

    Parameters
    ----------
    device : DemoDevice
        Design targets and seed.
    label : str, optional
        Label of the sweep (default ``device.name``).

    Returns
    -------
    JVLSweep
        0 V to ``device.voltage_max_v`` in 0.05 V steps, with the Gaussian EL
        spectrum attached; ``source`` = "synthetic demo data".
    """
    factor, peak_j, saturation, series = _design(device)
    steps = int(round(device.voltage_max_v / _VOLTAGE_STEP_V))
    voltage = np.round(np.arange(steps + 1) * _VOLTAGE_STEP_V, 10)
    current = _diode_ma_cm2(voltage, saturation, series)
    luminance = np.where(
        current > 0,
        _luminance_of_j(np.maximum(current, 1e-30), device, peak_j, factor),
        0.0,
    )
    rng = np.random.default_rng(device.seed)
    current_noisy = current * (1 + 0.003 * rng.standard_normal(voltage.size))
    current_noisy += 2e-5 * rng.standard_normal(voltage.size)
    luminance_noisy = luminance * (1 + 0.004 * rng.standard_normal(voltage.size))
    luminance_noisy += 0.01 * rng.standard_normal(voltage.size)
    name = label or device.name
    return JVLSweep(
        voltage_v=voltage,
        current_density_ma_cm2=current_noisy,
        luminance_cd_m2=luminance_noisy,
        spectrum=gaussian_spectrum(device.peak_nm, device.fwhm_nm, f"{name} EL"),
        label=name,
        source=SYNTHETIC,
        notes=(
            "synthetic demo data: generated from an EQE(J) model, a diode J(V) "
            f"and a {device.peak_nm:g}/{device.fwhm_nm:g} nm Gaussian EL spectrum",
        ),
    )


def demo_jvl() -> dict[str, JVLSweep]:
    """
    J-V-L sweeps of the two demo devices.

    Returns
    -------
    dict of str to JVLSweep
        ``"Control (synthetic)"`` (≈14.5 % EQE max, ≈5000 cd/m², turn-on
        2.3 V, 644/35 nm) and ``"Treated (synthetic)"`` (≈26 % near
        280 cd/m², ≈21 % at 10 000 cd/m², ≈18 500 cd/m², 2.0 V, 638/32 nm),
        each with its EL spectrum attached.
    """
    return {
        device.name: synthetic_sweep(device)
        for device in (CONTROL_DEVICE, TREATED_DEVICE)
    }


def _rescaled_normal(rng: np.random.Generator, n: int, mean: float, top: float):
    """n normal draws shifted and scaled to an exact mean and maximum."""
    z = rng.standard_normal(n)
    if n == 1:
        return np.array([mean])
    return mean + (z - z.mean()) * (top - mean) / (z.max() - z.mean())


def demo_batch(n: int = 50, *, seed: int = 2024) -> list[JVLSweep]:
    """
    A batch of ``n`` synthetic treated devices for the statistics view.

    Design EQE maxima are normal draws rescaled to a 22.0 % mean and a
    26.0 % champion (the spread the demo paper reports for 50 devices);
    turn-on, peak and maximum luminance vary around the treated device.
    Computed maxima differ from the design by the meter noise (≈0.2 %).

    Parameters
    ----------
    n : int
        Number of devices (≥ 1).
    seed : int
        Seed of the generator.

    Returns
    -------
    list of JVLSweep
        Labelled ``"Batch 01 (synthetic)"``..., ``source`` = "synthetic demo
        data".
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(seed)
    eqe = _rescaled_normal(rng, n, 22.0, 26.0)
    turn_on = 2.0 + _VOLTAGE_STEP_V * rng.integers(-1, 3, n)
    peak_luminance = 280.0 * np.exp(0.25 * rng.standard_normal(n))
    luminance_max = 18500.0 * np.exp(0.2 * rng.standard_normal(n))
    rolloff = TREATED_DEVICE.eqe_rolloff_decades * np.exp(0.1 * rng.standard_normal(n))
    seeds = rng.integers(0, 2**31, n)
    width = len(str(n))
    sweeps = []
    for i in range(n):
        device = DemoDevice(
            name=f"Batch {i + 1:0{width}d} (synthetic)",
            peak_nm=TREATED_DEVICE.peak_nm,
            fwhm_nm=TREATED_DEVICE.fwhm_nm,
            eqe_max_percent=float(eqe[i]),
            luminance_at_eqe_max_cd_m2=float(peak_luminance[i]),
            eqe_rise_decades=TREATED_DEVICE.eqe_rise_decades,
            eqe_rolloff_decades=float(rolloff[i]),
            turn_on_v=float(np.round(turn_on[i], 2)),
            luminance_max_cd_m2=float(luminance_max[i]),
            voltage_max_v=TREATED_DEVICE.voltage_max_v,
            seed=int(seeds[i]),
        )
        sweeps.append(synthetic_sweep(device))
    return sweeps
