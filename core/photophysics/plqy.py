"""
PL quantum yield from an integrating-sphere measurement (de Mello method).

With L the integrated laser and P the integrated emission of the spectra of
(A) the empty sphere, (B) the sample in the sphere out of the beam and (C)
the sample in the beam, all in photons per wavelength interval:

- absorptance  A_abs = 1 − L_C / L_B
- three-measurement PLQY  η = (P_C − (1 − A_abs) P_B) / (L_A · A_abs)
- two-measurement PLQY (no B)  η = P_C / (L_A − L_C)

P_B and P_C have the empty sphere's signal in the emission range (stray
light, dark) subtracted first. Ranges are chosen from the spectra (the laser
line of A, the strongest emission band of C outside it, each out to where
the smoothed signal falls to 1 % of its peak and then half as far again) or
given. The uncertainty propagates the DER_SNR noise of each spectrum
(:func:`core.noise.noise_sigma`) through the integrals; ``range_sensitivity``
is the largest change of η when either range is narrowed by 10 % of its width
on each side (a systematic, not part of the stderr).

References
----------
.. [1] J. C. de Mello, H. F. Wittmann, R. H. Friend, "An improved experimental
   determination of external photoluminescence quantum efficiency," Adv.
   Mater. 9, 230 (1997), doi:10.1002/adma.19970090308.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import savgol_filter

from core.errors import InputError
from core.noise import noise_sigma
from core.photophysics.models import SphereMeasurement

__all__ = [
    "PLQYResult",
    "plqy_de_mello",
    "plqy_entered",
    "auto_ranges",
]

METHODS = {
    "three": "three-measurement (de Mello et al. 1997)",
    "two": "two-measurement",
    "entered": "entered by hand",
}


@dataclass(frozen=True)
class PLQYResult:
    """
    A PLQY with how it was obtained.

    ``plqy`` is a fraction and ``plqy_percent`` the same in %; ``absorptance``
    [-]; integrals in spectrum units × nm; ranges in nm.
    """

    label: str
    method: str
    plqy: float
    plqy_stderr: float
    absorptance: float
    absorptance_stderr: float
    laser_range_nm: tuple[float, float]
    emission_range_nm: tuple[float, float]
    ranges_auto: bool
    integrals: dict
    range_sensitivity: float
    source: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def plqy_percent(self) -> float:
        return 100.0 * self.plqy

    def summary(self) -> dict:
        """The CLI's JSON object (keys in docs/architecture.md)."""
        return {
            "label": self.label,
            "source": self.source,
            "method": self.method,
            "plqy_percent": self.plqy_percent,
            "plqy_stderr_percent": 100.0 * self.plqy_stderr,
            "absorptance": self.absorptance,
            "absorptance_stderr": self.absorptance_stderr,
            "laser_range_nm": list(self.laser_range_nm),
            "emission_range_nm": list(self.emission_range_nm),
            "ranges_auto": self.ranges_auto,
            "range_sensitivity_percent": 100.0 * self.range_sensitivity,
            "integrals": dict(self.integrals),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def plqy_entered(
    value_percent: float, stderr_percent: float = float("nan"), *, label: str = ""
) -> PLQYResult:
    """
    A PLQY entered by hand (e.g. read from an instrument's own software).

    Raises
    ------
    InputError
        A value outside 0–100 %.
    """
    if not (np.isfinite(value_percent) and 0.0 <= value_percent <= 100.0):
        raise InputError(
            f"PLQY {value_percent:g} %: expected a value between 0 and 100 %."
        )
    nan = float("nan")
    warnings = [
        "entered by hand: absorptance, ranges, integrals and the range "
        "sensitivity are null (no sphere spectra)."
    ]
    if not np.isfinite(stderr_percent):
        warnings.append("plqy_stderr_percent is null: no uncertainty was entered.")
    return PLQYResult(
        label=label,
        method=METHODS["entered"],
        plqy=value_percent / 100.0,
        plqy_stderr=stderr_percent / 100.0,
        absorptance=nan,
        absorptance_stderr=nan,
        laser_range_nm=(nan, nan),
        emission_range_nm=(nan, nan),
        ranges_auto=False,
        integrals={},
        range_sensitivity=nan,
        warnings=tuple(warnings),
    )


def _band(wavelength, values, peak: int, stop: tuple[int, int]) -> tuple[float, float]:
    """Range around ``peak``: 1 % crossing on each side, extended by half."""
    smooth = savgol_filter(values, min(11, values.size // 2 * 2 - 1), 2, mode="interp")
    level = 0.01 * smooth[peak]
    left = peak
    while left > stop[0] and smooth[left] > level:
        left -= 1
    right = peak
    while right < stop[1] and smooth[right] > level:
        right += 1
    low = wavelength[peak] - 1.5 * (wavelength[peak] - wavelength[left])
    high = wavelength[peak] + 1.5 * (wavelength[right] - wavelength[peak])
    return (
        float(max(low, wavelength[stop[0]])),
        float(min(high, wavelength[stop[1]])),
    )


def auto_ranges(
    measurement: SphereMeasurement,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(laser_range_nm, emission_range_nm) chosen from the spectra."""
    wl = measurement.wavelength_nm
    empty = np.asarray(measurement.empty, float)
    laser_peak = int(np.argmax(empty))
    laser = _band(wl, empty, laser_peak, (0, wl.size - 1))
    emission = np.asarray(measurement.in_beam, float) - empty * _ratio(measurement)
    outside = (wl < laser[0]) | (wl > laser[1])
    if not outside.any():
        raise InputError(
            f"{measurement.source}: the laser line covers the whole spectrum; expected "
            "emission outside it. Give the ranges (--laser, --emission)."
        )
    candidates = np.where(outside, emission, -np.inf)
    peak = int(np.argmax(candidates))
    if peak > laser_peak:
        stop = (int(np.searchsorted(wl, laser[1])), wl.size - 1)
    else:
        stop = (0, int(np.searchsorted(wl, laser[0])) - 1)
    return laser, _band(wl, emission, peak, stop)


def _ratio(measurement: SphereMeasurement) -> float:
    """L_C / L_A at the laser peak (the laser left in spectrum C)."""
    empty = np.asarray(measurement.empty, float)
    peak = int(np.argmax(empty))
    return float(measurement.in_beam[peak] / empty[peak]) if empty[peak] > 0 else 0.0


def _integral(wavelength, values, window, sigma) -> tuple[float, float]:
    """Trapezoid integral over ``window`` and its noise (σ per pixel)."""
    keep = (wavelength >= window[0]) & (wavelength <= window[1])
    if keep.sum() < 3:
        raise InputError(
            f"the range {window[0]:g}–{window[1]:g} nm holds fewer than 3 points of "
            "the sphere spectra."
        )
    grid = wavelength[keep]
    weights = np.zeros(grid.size)
    steps = np.diff(grid)
    weights[:-1] += steps / 2
    weights[1:] += steps / 2
    return float(values[keep] @ weights), float(sigma * np.sqrt(weights @ weights))


def _eta(values: dict, three: bool) -> tuple[float, float]:
    """(PLQY, absorptance) from the integrals ``L_A``... ``P_C``."""
    la, lc, pa, pc = values["L_A"], values["L_C"], values["P_A"], values["P_C"]
    if three:
        lb, pb = values["L_B"], values["P_B"]
        absorptance = 1.0 - lc / lb
        eta = ((pc - pa) - (1.0 - absorptance) * (pb - pa)) / (la * absorptance)
        return eta, absorptance
    return (pc - pa) / (la - lc), 1.0 - lc / la


def _integrals(measurement, laser, emission) -> tuple[dict, dict]:
    wl = measurement.wavelength_nm
    spectra = {"A": measurement.empty, "C": measurement.in_beam}
    if measurement.out_of_beam is not None:
        spectra["B"] = measurement.out_of_beam
    values, errors = {}, {}
    for key, spectrum in spectra.items():
        spectrum = np.asarray(spectrum, float)
        sigma = float(noise_sigma(spectrum))
        for prefix, window in (("L", laser), ("P", emission)):
            values[f"{prefix}_{key}"], errors[f"{prefix}_{key}"] = _integral(
                wl, spectrum, window, sigma
            )
    return values, errors


def _propagate(values: dict, errors: dict, three: bool) -> tuple[float, float]:
    """Standard errors of (PLQY, absorptance) by first-order propagation."""
    base = np.array(_eta(values, three))
    variance = np.zeros(2)
    for key, error in errors.items():
        h = 1e-6 * max(abs(values[key]), 1e-12)
        moved = dict(values)
        moved[key] += h
        variance += ((np.array(_eta(moved, three)) - base) / h * error) ** 2
    return float(np.sqrt(variance[0])), float(np.sqrt(variance[1]))


def _narrowed(window: tuple[float, float]) -> tuple[float, float]:
    width = window[1] - window[0]
    return (window[0] + 0.1 * width, window[1] - 0.1 * width)


def plqy_de_mello(
    measurement: SphereMeasurement,
    *,
    laser_range_nm: tuple[float, float] | None = None,
    emission_range_nm: tuple[float, float] | None = None,
) -> PLQYResult:
    """
    PLQY and absorptance from sphere spectra (three- or two-measurement).

    Parameters
    ----------
    measurement : SphereMeasurement
        Spectra A, C and (three-measurement method) B, photon-proportional
        and response-corrected.
    laser_range_nm, emission_range_nm : (float, float), optional
        Integration ranges; chosen from the spectra when not given. [nm]

    Raises
    ------
    InputError
        Overlapping ranges, a range with fewer than 3 points, no absorption
        (L_C ≥ L_B), or a laser integral that is not positive.
    """
    auto = laser_range_nm is None or emission_range_nm is None
    if auto:
        laser_auto, emission_auto = auto_ranges(measurement)
        laser_range_nm = laser_range_nm or laser_auto
        emission_range_nm = emission_range_nm or emission_auto
    assert laser_range_nm is not None and emission_range_nm is not None
    if max(laser_range_nm[0], emission_range_nm[0]) < min(
        laser_range_nm[1], emission_range_nm[1]
    ):
        raise InputError(
            f"the laser range {laser_range_nm[0]:g}–{laser_range_nm[1]:g} nm and the "
            f"emission range {emission_range_nm[0]:g}–{emission_range_nm[1]:g} nm "
            "overlap; expected separate ranges."
        )
    three = measurement.out_of_beam is not None
    values, errors = _integrals(measurement, laser_range_nm, emission_range_nm)
    reference = values["L_B"] if three else values["L_A"]
    if values["L_A"] <= 0 or values["L_C"] >= reference:
        raise InputError(
            f"{measurement.source}: the laser is not absorbed (L_C = "
            f"{values['L_C']:.4g} ≥ {reference:.4g}); expected less laser light "
            "with the sample in the beam. Check the files' roles and the laser range."
        )
    eta, absorptance = _eta(values, three)
    eta_err, abs_err = _propagate(values, errors, three)
    sensitivity = 0.0
    for laser, emission in (
        (_narrowed(laser_range_nm), emission_range_nm),
        (laser_range_nm, _narrowed(emission_range_nm)),
    ):
        moved, _ = _integrals(measurement, laser, emission)
        sensitivity = max(sensitivity, abs(_eta(moved, three)[0] - eta))
    return PLQYResult(
        label=measurement.label,
        method=METHODS["three" if three else "two"],
        plqy=float(eta),
        plqy_stderr=eta_err,
        absorptance=float(absorptance),
        absorptance_stderr=abs_err,
        laser_range_nm=tuple(float(v) for v in laser_range_nm),  # type: ignore[arg-type]
        emission_range_nm=tuple(float(v) for v in emission_range_nm),  # type: ignore[arg-type]
        ranges_auto=auto,
        integrals=values,
        range_sensitivity=float(sensitivity),
        source=measurement.source,
        notes=tuple(measurement.notes),
        warnings=tuple(_plqy_warnings(eta, absorptance)),
    )


def _plqy_warnings(eta: float, absorptance: float) -> list[str]:
    warnings = []
    if eta > 1.0:
        warnings.append(
            f"PLQY {100 * eta:.1f} % > 100 %: check the spectral correction, the "
            "ranges and the roles of the files."
        )
    if absorptance < 0.05:
        warnings.append(
            f"absorptance {absorptance:.3f} < 5 %: the PLQY is dominated by the "
            "noise of a small laser difference."
        )
    return warnings
