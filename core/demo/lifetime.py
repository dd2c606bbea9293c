"""
Synthetic lifetime tests of the two demo devices.

Shaped on the pure-red CsPbI3 quantum-dot LEDs of Ren et al., "Strongly-
Confined CsPbI3 Quantum Dots by Surface Cleaning-Induced Ligand Exchange for
Spectrally Stable Pure-Red Light-Emitting Diodes with Efficiency Exceeding
26%", ACS Materials Lett. 6, 4115 (2024), doi:10.1021/acsmaterialslett.4c00912:
a control with T50 ≈ 43 min at 101 cd/m² and a treated device with
T50 ≈ 490 min at 102 cd/m². The decay shapes, the slight initial brightening of
the treated device, its tests at 250, 500 and 1000 cd/m² (built with an
acceleration exponent n = 1.8), the voltages and the noise are invented for
the demo. Everything here is synthetic demo data and is labelled so.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from core.demo.spectra import CONTROL, SYNTHETIC, TREATED, demo_spectra_time
from core.lifetime import stretched_exponential
from core.models import LifetimeLog

__all__ = [
    "DEMO_ACCELERATION_N",
    "DEMO_T50_H",
    "demo_lifetime",
    "demo_decay_fraction",
]

_SEED = 20240912

#: Exponent n the treated device's tests at several L0 were built with. [-]
DEMO_ACCELERATION_N = 1.8
#: Target T50 of the two ≈100 cd/m² tests (counted from L(0)). [h]
DEMO_T50_H = {CONTROL: 43.0 / 60.0, TREATED: 490.0 / 60.0}

# Reference test of each device: L0 [cd/m²], duration [h], readings, noise
# (relative sd), stretching β, brightening amplitude and time [h], V0 [V],
# voltage rise at full decay [V], current efficiency [cd/A].
_REFERENCE = {
    CONTROL: dict(l0=101.0, duration=1.5, n=541, noise=0.010, beta=0.75,
                  bright=0.0, bright_h=1.0, v0=2.60, dv=0.40, ce=3.2),
    TREATED: dict(l0=102.0, duration=12.0, n=721, noise=0.005, beta=1.5,
                  bright=0.04, bright_h=0.25, v0=2.45, dv=0.25, ce=4.6),
}  # fmt: skip
# Further tests of the treated device: L0 [cd/m²], V0 [V], CE [cd/A], and the
# fraction of its T50 after which the test was stopped (None: run to 0.3 L0).
_TREATED_STRESS = (
    (250.0, 2.62, 4.5, 0.75),
    (500.0, 2.78, 4.3, None),
    (1000.0, 2.97, 4.0, None),
)


def _shape(time_h, tau_h, p) -> np.ndarray:
    """ℓ(t): a brightening factor times a stretched exponential."""
    t = np.asarray(time_h, dtype=float)
    brightening = 1.0 + p["bright"] * (1.0 - np.exp(-t / p["bright_h"]))
    return brightening * stretched_exponential(t, tau_h, p["beta"])


def _tau_h(device: str) -> float:
    """τ that puts the first ℓ = 0.5 crossing at the target T50."""
    p = _REFERENCE[device]
    target = DEMO_T50_H[device]
    return float(
        optimize.brentq(
            lambda tau: _shape(target, tau, p) - 0.5, 0.1, 100.0, xtol=1e-12
        )
    )


def demo_decay_fraction(device: str, time_h, initial_luminance_cd_m2=None):
    """
    The noise-free ℓ(t) = L/L0 behind a demo test (for tests and overlays).

    Parameters
    ----------
    device : {CONTROL, TREATED}
        Demo device.
    time_h : array_like
        Time. [h]
    initial_luminance_cd_m2 : float, optional
        L0 of the test; time is scaled by (L0/L_ref)^1.8. Default: the
        reference test (101 or 102 cd/m²). [cd/m²]

    Returns
    -------
    numpy.ndarray
        ℓ. [-]
    """
    p = _REFERENCE[device]
    l0 = p["l0"] if initial_luminance_cd_m2 is None else initial_luminance_cd_m2
    factor = (l0 / p["l0"]) ** DEMO_ACCELERATION_N
    return _shape(np.asarray(time_h, dtype=float) * factor, _tau_h(device), p)


def _test(device: str, l0: float, v0: float, ce: float, stop, index: int):
    p = _REFERENCE[device]
    rng = np.random.default_rng([_SEED, 4, list(_REFERENCE).index(device), index])
    factor = (l0 / p["l0"]) ** DEMO_ACCELERATION_N
    duration = p["duration"] / factor
    if stop is not None:
        duration = stop * DEMO_T50_H[device] / factor
    time_h = np.linspace(0.0, duration, p["n"])
    tau = _tau_h(device)
    fraction = _shape(time_h * factor, tau, p)
    luminance = l0 * fraction * (1.0 + p["noise"] * rng.standard_normal(time_h.size))
    decay = stretched_exponential(time_h * factor, tau, p["beta"])
    voltage = v0 + p["dv"] * (1.0 - decay) + rng.normal(0.0, 0.002, time_h.size)
    current = l0 / ce / 10.0  # cd/m² / (cd/A) = A/m²; /10 -> mA/cm²
    current_density = current * (1.0 + rng.normal(0.0, 0.002, time_h.size))
    notes = [
        f"{SYNTHETIC}: shaped on Ren et al., ACS Materials Lett. 2024, "
        "doi:10.1021/acsmaterialslett.4c00912; constant-current test with "
        f"{p['noise'] * 100:g} % luminance noise.",
    ]
    if stop is not None:
        notes.append(f"Test stopped at {stop:g} x T50, before T50 was reached.")
    spectra = None
    if index == 0:  # the reference test recorded EL spectra
        spectra = demo_spectra_time(device)
    return LifetimeLog(
        time_h=time_h,
        luminance_cd_m2=luminance,
        relative=False,
        voltage_v=voltage,
        current_density_ma_cm2=current_density,
        spectra=spectra,
        label=f"{device} · {l0:g} cd/m²",
        source=SYNTHETIC,
        notes=tuple(notes),
    )


def demo_lifetime() -> dict[str, tuple[LifetimeLog, ...]]:
    """
    Lifetime tests of the two demo devices (synthetic demo data).

    "Control (synthetic)": one test at 101 cd/m² (T50 ≈ 43 min, 1 % noise).
    "Treated (synthetic)": a test at 102 cd/m² (T50 ≈ 490 min, brightening by
    ≈ 3 % during the first hour, 0.5 % noise), and tests at 250 (stopped at
    0.75 x T50, so its T50 is extrapolated), 500 and 1000 cd/m², built with
    n = 1.8. Every test has voltage and current density; the two ≈100 cd/m²
    tests carry the EL spectra of :func:`core.demo.spectra.demo_spectra_time`.
    Deterministic (seeded).

    Returns
    -------
    dict
        Device name -> tuple of LifetimeLog, ordered by L0.
    """
    control_p = _REFERENCE[CONTROL]
    treated_p = _REFERENCE[TREATED]
    control = _test(
        CONTROL, control_p["l0"], control_p["v0"], control_p["ce"], None, index=0
    )
    treated = [
        _test(TREATED, treated_p["l0"], treated_p["v0"], treated_p["ce"], None, 0)
    ]
    for k, (l0, v0, ce, stop) in enumerate(_TREATED_STRESS, start=1):
        treated.append(_test(TREATED, l0, v0, ce, stop, index=k))
    return {CONTROL: (control,), TREATED: tuple(treated)}
