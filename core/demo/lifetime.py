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

from core.demo.recipe import (
    CONTROL,
    DEMO_ACCELERATION_N,
    DEMO_T50_H,
    REFERENCE_TESTS,
    SYNTHETIC,
    TREATED,
    decay_shape,
    decay_tau_h,
    demo_decay_fraction,
)
from core.demo.spectra import demo_spectra_time
from core.lifetime import stretched_exponential
from core.models import LifetimeLog

__all__ = [
    "DEMO_ACCELERATION_N",
    "DEMO_T50_H",
    "demo_lifetime",
    "demo_decay_fraction",
]

_SEED = 20240912

# Further tests of the treated device: L0 [cd/m²], V0 [V], CE [cd/A], and the
# fraction of its T50 after which the test was stopped (None: run to 0.3 L0).
_TREATED_STRESS = (
    (250.0, 2.62, 4.5, 0.75),
    (500.0, 2.78, 4.3, None),
    (1000.0, 2.97, 4.0, None),
)


def _test(device: str, l0: float, v0: float, ce: float, stop, index: int):
    p = REFERENCE_TESTS[device]
    rng = np.random.default_rng([_SEED, 4, list(REFERENCE_TESTS).index(device), index])
    factor = (l0 / p["l0"]) ** DEMO_ACCELERATION_N
    duration = p["duration"] / factor
    if stop is not None:
        duration = stop * DEMO_T50_H[device] / factor
    time_h = np.linspace(0.0, duration, p["n"])
    tau = decay_tau_h(device)
    fraction = decay_shape(time_h * factor, tau, p)
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
    control_p = REFERENCE_TESTS[CONTROL]
    treated_p = REFERENCE_TESTS[TREATED]
    control = _test(
        CONTROL, control_p["l0"], control_p["v0"], control_p["ce"], None, index=0
    )
    treated = [
        _test(TREATED, treated_p["l0"], treated_p["v0"], treated_p["ce"], None, 0)
    ]
    for k, (l0, v0, ce, stop) in enumerate(_TREATED_STRESS, start=1):
        treated.append(_test(TREATED, l0, v0, ce, stop, index=k))
    return {CONTROL: (control,), TREATED: tuple(treated)}
