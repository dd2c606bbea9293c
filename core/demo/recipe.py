"""
The recipe of the two synthetic demo devices: their names and the luminance
decay ℓ(t) = L/L0 that their lifetime logs and their EL spectra over time share.

Shaped on the pure-red CsPbI3 quantum-dot LEDs of Ren et al., "Strongly-
Confined CsPbI3 Quantum Dots by Surface Cleaning-Induced Ligand Exchange for
Spectrally Stable Pure-Red Light-Emitting Diodes with Efficiency Exceeding
26%", ACS Materials Lett. 6, 4115 (2024), doi:10.1021/acsmaterialslett.4c00912:
a control with T50 ≈ 43 min at 101 cd/m² and a treated device with
T50 ≈ 490 min at 102 cd/m². The decay shapes and the slight initial
brightening of the treated device are invented for the demo. Both
:mod:`core.demo.spectra` and :mod:`core.demo.lifetime` build on this module,
which imports neither.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
from scipy import optimize

from core.lifetime import stretched_exponential

__all__ = [
    "SYNTHETIC",
    "CONTROL",
    "TREATED",
    "DEMO_ACCELERATION_N",
    "DEMO_T50_H",
    "REFERENCE_TESTS",
    "demo_decay_fraction",
    "decay_shape",
    "decay_tau_h",
]

SYNTHETIC = "synthetic demo data"
CONTROL = "Control (synthetic)"
TREATED = "Treated (synthetic)"

#: Exponent n the treated device's tests at several L0 were built with. [-]
DEMO_ACCELERATION_N = 1.8
#: Target T50 of the two ≈100 cd/m² tests (counted from L(0)). [h]
DEMO_T50_H = {CONTROL: 43.0 / 60.0, TREATED: 490.0 / 60.0}


class _ReferenceTest(TypedDict):
    """The parameters of one demo lifetime test (see REFERENCE_TESTS)."""

    l0: float
    duration: float
    n: int
    noise: float
    beta: float
    bright: float
    bright_h: float
    v0: float
    dv: float
    ce: float


# Reference test of each device: L0 [cd/m²], duration [h], readings, noise
# (relative sd), stretching β, brightening amplitude and time [h], V0 [V],
# voltage rise at full decay [V], current efficiency [cd/A].
REFERENCE_TESTS: dict[str, _ReferenceTest] = {
    CONTROL: _ReferenceTest(l0=101.0, duration=1.5, n=541, noise=0.010, beta=0.75,
                            bright=0.0, bright_h=1.0, v0=2.60, dv=0.40, ce=3.2),
    TREATED: _ReferenceTest(l0=102.0, duration=12.0, n=721, noise=0.005, beta=1.5,
                            bright=0.04, bright_h=0.25, v0=2.45, dv=0.25, ce=4.6),
}  # fmt: skip


def decay_shape(time_h, tau_h, p) -> np.ndarray:
    """ℓ(t): a brightening factor times a stretched exponential."""
    t = np.asarray(time_h, dtype=float)
    brightening = 1.0 + p["bright"] * (1.0 - np.exp(-t / p["bright_h"]))
    return brightening * stretched_exponential(t, tau_h, p["beta"])


def decay_tau_h(device: str) -> float:
    """τ that puts the first ℓ = 0.5 crossing at the target T50."""
    p = REFERENCE_TESTS[device]
    target = DEMO_T50_H[device]
    return float(
        optimize.brentq(
            lambda tau: decay_shape(target, tau, p) - 0.5, 0.1, 100.0, xtol=1e-12
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
    p = REFERENCE_TESTS[device]
    l0 = p["l0"] if initial_luminance_cd_m2 is None else initial_luminance_cd_m2
    factor = (l0 / p["l0"]) ** DEMO_ACCELERATION_N
    return decay_shape(np.asarray(time_h, dtype=float) * factor, decay_tau_h(device), p)
