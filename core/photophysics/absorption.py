"""
Absorption edge: excitonic peak, Urbach energy and (with a caveat) Tauc plot.

Below the gap the absorption coefficient falls exponentially,
α(E) = α₀ exp((E − E₀)/E_U) (Urbach 1953), so ln α is a straight line of
slope 1/E_U. Absorbance A = αd/ln 10 is proportional to α for a film or
solution of fixed thickness, so E_U follows from ln A without knowing d.

The fit range is the widest window below the excitonic peak in which ln A is
a straight line within the noise: every window of ≥ ``min_points`` points
is fitted by weighted least squares (σ(ln A) = σ_A/A, σ_A the DER_SNR noise
of the spectrum) in one vectorised pass over cumulative sums, windows whose
χ²ᵣ exceeds the 99 % point of χ² are rejected, and the widest remaining one
is used (the user may give the range instead).

References
----------
.. [1] F. Urbach, "The long-wavelength edge of photographic sensitivity and
   of the electronic absorption of solids," Phys. Rev. 92, 1324 (1953),
   doi:10.1103/PhysRev.92.1324.
.. [2] J. Tauc, R. Grigorovici, A. Vancu, "Optical properties and electronic
   structure of amorphous germanium," Phys. Status Solidi B 15, 627 (1966),
   doi:10.1002/pssb.19660150224.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks, savgol_filter
from scipy.stats import chi2 as chi2_distribution

from core.errors import InputError
from core.noise import noise_sigma
from core.photophysics.models import AbsorbanceSpectrum, read_only
from core.photophysics.tdpl import HC_EV_NM

__all__ = [
    "TAUC_CAVEAT",
    "ExcitonicPeak",
    "UrbachFit",
    "TaucFit",
    "AbsorptionResult",
    "excitonic_peak",
    "urbach_fit",
    "tauc_fit",
    "absorption_analysis",
]

#: Shown with every Tauc result (page, CLI, report).
TAUC_CAVEAT = (
    "Tauc analysis assumes parabolic bands and a continuum absorption edge. The "
    "onset of quantum dots is set by discrete excitonic transitions: the Tauc "
    "intercept is not the band gap of the dots; report the excitonic peak."
)


@dataclass(frozen=True)
class ExcitonicPeak:
    """The lowest-energy excitonic absorption feature."""

    energy_ev: float
    wavelength_nm: float
    absorbance: float
    method: str  # "maximum" or "second derivative"


@dataclass(frozen=True)
class UrbachFit:
    """
    E_U from ln A = ln A₀ + (E − E₀)/E_U over ``energy_range_ev``.

    ``chi2_reduced`` compares the scatter with the spectrum's noise; the
    statistical stderr is scaled by √χ²ᵣ when that exceeds 1.
    ``range_sensitivity_mev`` is the largest change of E_U when 15 % of the
    points are left out at either end of the range; for an automatic range it
    is added in quadrature to the statistical stderr in
    ``urbach_energy_stderr_mev`` (the range itself depends on the noise).
    """

    urbach_energy_mev: float
    urbach_energy_stderr_mev: float
    energy_range_ev: tuple[float, float]
    range_auto: bool
    n_points: int
    chi2_reduced: float
    intercept: float
    range_sensitivity_mev: float = float("nan")
    statistical_stderr_mev: float = float("nan")
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaucFit:
    """Linear extrapolation of (A·E)^(1/r) to zero: an optical gap [eV]."""

    gap_ev: float
    gap_stderr_ev: float
    exponent: float
    energy_range_ev: tuple[float, float]
    caveat: str = TAUC_CAVEAT


@dataclass(frozen=True)
class AbsorptionResult:
    """An absorbance spectrum analysed (energies ascending)."""

    label: str
    source: str
    energy_ev: np.ndarray
    absorbance: np.ndarray
    peak: ExcitonicPeak | None
    urbach: UrbachFit
    tauc: TaucFit | None
    noise: float
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict:
        """The CLI's JSON object (keys in docs/architecture.md)."""
        u, peak, tauc = self.urbach, self.peak, self.tauc
        return {
            "label": self.label,
            "source": self.source,
            "urbach_energy_mev": u.urbach_energy_mev,
            "urbach_energy_stderr_mev": u.urbach_energy_stderr_mev,
            "urbach_range_ev": list(u.energy_range_ev),
            "urbach_range_auto": u.range_auto,
            "urbach_n_points": u.n_points,
            "urbach_chi2_reduced": u.chi2_reduced,
            "urbach_statistical_stderr_mev": u.statistical_stderr_mev,
            "urbach_range_sensitivity_mev": u.range_sensitivity_mev,
            "excitonic_peak_ev": peak.energy_ev if peak else None,
            "excitonic_peak_nm": peak.wavelength_nm if peak else None,
            "excitonic_peak_method": peak.method if peak else None,
            "tauc_gap_ev": tauc.gap_ev if tauc else None,
            "tauc_gap_stderr_ev": tauc.gap_stderr_ev if tauc else None,
            "tauc_range_ev": list(tauc.energy_range_ev) if tauc else None,
            "tauc_caveat": tauc.caveat if tauc else None,
            "noise_absorbance": self.noise,
            "notes": list(self.notes),
            "warnings": list(self.warnings) + list(u.warnings),
        }


def _smoothed(values: np.ndarray, deriv: int = 0, step: float = 1.0) -> np.ndarray:
    window = max(7, (values.size // 50) | 1)
    window = min(window, values.size - (1 - values.size % 2))
    return savgol_filter(values, window, 3, deriv=deriv, delta=step, mode="interp")


def excitonic_peak(energy_ev, absorbance, noise: float) -> ExcitonicPeak | None:
    """
    The lowest-energy excitonic feature: a local maximum of the (smoothed)
    absorbance above 10 % of its maximum, else the lowest-energy minimum of
    d²A/dE² (a shoulder). None when there is neither.
    """
    e = np.asarray(energy_ev, dtype=float)
    a = np.asarray(absorbance, dtype=float)
    smooth = _smoothed(a)
    prominence = max(5 * noise, 0.01 * float(np.ptp(smooth)))
    peaks, _ = find_peaks(smooth, prominence=prominence)
    peaks = peaks[smooth[peaks] > 0.1 * smooth.max()]
    method = "maximum"
    if peaks.size == 0:
        step = float(np.median(np.diff(e)))
        curvature = -_smoothed(a, deriv=2, step=step)
        peaks, _ = find_peaks(curvature, prominence=0.05 * float(np.ptp(curvature)))
        peaks = peaks[smooth[peaks] > 0.1 * smooth.max()]
        method = "second derivative"
    if peaks.size == 0:
        return None
    index = int(peaks[0])
    return ExcitonicPeak(
        energy_ev=float(e[index]),
        wavelength_nm=float(HC_EV_NM / e[index]),
        absorbance=float(smooth[index]),
        method=method,
    )


def _cumulative(x, y, w) -> list[np.ndarray]:
    """Cumulative weighted sums (w, wx, wy, wx², wxy, wy²) with a leading 0."""
    zero = np.zeros(1)
    return [
        np.concatenate([zero, np.cumsum(v)])
        for v in (w, w * x, w * y, w * x * x, w * x * y, w * y * y)
    ]


def _line(sums, i, j):
    """
    Weighted line fits of the points [i, j) (index arrays, broadcast):
    (slope, intercept, covariance terms (sxx, sx, s)/det, chi2, dof).
    """
    s, sx, sy, sxx, sxy, syy = (c[j] - c[i] for c in sums)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = s * sxx - sx * sx
        slope = (s * sxy - sx * sy) / det
        intercept = (sy - slope * sx) / s
        chi2 = syy - 2 * slope * sxy - 2 * intercept * sy
        chi2 += slope**2 * sxx + 2 * slope * intercept * sx + intercept**2 * s
        covariance = (sxx / det, sx / det, s / det)
    return slope, intercept, covariance, np.maximum(chi2, 0), j - i - 2


def _window_fits(x, y, w):
    """Line fits of every window [i, j] (inclusive): slope, intercept, var, χ², dof."""
    i = np.arange(x.size)[:, None]
    j = np.arange(x.size)[None, :] + 1
    slope, intercept, cov, chi2, dof = _line(_cumulative(x, y, w), i, j)
    return slope, intercept, cov[2], chi2, dof


def _end_deviation(x, y, w, k: int) -> np.ndarray:
    """
    Largest |z| of the first and last ``k`` points of every window against the
    line fitted to the rest of it: the weighted mean of those points minus the
    line's prediction at their mean energy, over its standard error. A bend
    at either end (towards the exciton, or onto a baseline at the foot) shows
    here long before it shows in the χ² of the whole window.
    """
    sums = _cumulative(x, y, w)
    n = x.size
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :] + 1
    z = np.zeros((n, n))
    for rest, end in (((i, j - k), (j - k, j)), ((i + k, j), (i, i + k))):
        lo, hi = np.clip(rest[0], 0, n), np.clip(rest[1], 0, n)
        slope, intercept, (vxx, vx, v1), _, _ = _line(sums, lo, hi)
        e_lo, e_hi = np.clip(end[0], 0, n), np.clip(end[1], 0, n)
        s_end, sx_end, sy_end = (sums[m][e_hi] - sums[m][e_lo] for m in (0, 1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            x_mean, y_mean = sx_end / s_end, sy_end / s_end
            variance = 1.0 / s_end + vxx - 2 * x_mean * vx + x_mean**2 * v1
            z = np.fmax(
                z, np.abs(y_mean - intercept - slope * x_mean) / np.sqrt(variance)
            )
    return np.where(j - i >= 2 * k + 3, z, np.inf)


def _auto_range(e, log_a, weights, min_points: int):
    """
    (i, j) of the widest window where ln A is a straight line within the noise:
    χ²ᵣ of the line below the 99 % point of χ², and its first and last few
    points within 1σ of the line through the others (a bend at an end, where
    the weights are largest, biases E_U long before χ² notices). Also
    whether any window passed.
    """
    slope, _, _, chi2, dof = _window_fits(e, log_a, weights)
    n = e.size
    valid = (dof >= min_points - 2) & (slope > 0)
    limit = chi2_distribution.ppf(0.99, np.maximum(dof, 1)) / np.maximum(dof, 1)
    with np.errstate(invalid="ignore"):
        reduced = chi2 / np.maximum(dof, 1)
        accepted = valid & (reduced <= limit)
        accepted &= _end_deviation(e, log_a, weights, max(3, min_points // 2)) <= 1.0
    pool = accepted if accepted.any() else valid
    if not pool.any():
        return None, False
    ends = e[np.arange(n)][None, :]
    span = np.where(pool, ends - e[:, None], -np.inf)
    best = np.flatnonzero(span == span.max())
    flat = best[np.argmin(reduced.ravel()[best])]
    i, j = divmod(int(flat), n)
    return (i, j), bool(accepted.any())


def urbach_fit(
    energy_ev,
    absorbance,
    *,
    noise: float,
    peak_ev: float | None = None,
    energy_range_ev: tuple[float, float] | None = None,
    min_points: int = 8,
) -> UrbachFit:
    """
    The Urbach energy from the exponential absorption tail.

    Parameters
    ----------
    energy_ev, absorbance : array_like
        (W,) ascending photon energies [eV] and absorbance.
    noise : float
        Absorbance noise σ_A (e.g. :func:`core.noise.noise_sigma`).
    peak_ev : float, optional
        Excitonic peak; the automatic window stays below it.
    energy_range_ev : (float, float), optional
        Fit range chosen by the user (overrides the automatic one).
    min_points : int
        Fewest points of an automatic window.

    Raises
    ------
    InputError
        Fewer than 3 points with A > 0 in the given range, or no usable tail.
    """
    e = np.asarray(energy_ev, dtype=float)
    a = np.asarray(absorbance, dtype=float)
    sigma = max(float(noise), 1e-4 * float(np.nanmax(a)))
    # Weights and the cut from the smoothed edge: weights from the noisy A
    # favour upward fluctuations and bend ln A at the foot of the tail.
    smooth = _smoothed(np.nan_to_num(a))
    usable = np.isfinite(a) & (smooth > 5 * sigma) & (a > 0)
    auto = energy_range_ev is None
    if energy_range_ev is None:
        top = peak_ev if peak_ev is not None else e[int(np.nanargmax(a))]
        usable &= e < top
    else:
        usable &= (e >= energy_range_ev[0]) & (e <= energy_range_ev[1])
    index = np.flatnonzero(usable)
    if index.size < (min_points if auto else 3):
        raise InputError(
            f"{index.size} points of the absorption edge with A > 5σ "
            f"({5 * sigma:.2g}) in the fit range; expected at least "
            f"{min_points if auto else 3}. Give the range (--range EV:EV)."
        )
    e_fit, log_a = e[index], np.log(a[index])
    weights = (smooth[index] / sigma) ** 2
    warnings = []
    if auto:
        found, linear = _auto_range(e_fit, log_a, weights, min_points)
        if found is None:
            raise InputError("no rising exponential tail below the excitonic peak.")
        i, j = found
        e_fit, log_a, weights = e_fit[i : j + 1], log_a[i : j + 1], weights[i : j + 1]
        if not linear:
            warnings.append(
                "no window of the edge is a straight line in ln A within the noise; "
                "the most linear one is used: check the range on the Urbach plot."
            )
    return _urbach_result(e_fit, log_a, weights, auto, warnings)


def _slope_fit(e, log_a, weights) -> tuple[float, float, float, float]:
    """(slope, its stderr scaled by √max(χ²ᵣ, 1), intercept, χ²ᵣ) of one window."""
    slope, intercept, var_slope, chi2, dof = (
        v[0, -1] for v in _window_fits(e, log_a, weights)
    )
    reduced = float(chi2 / max(dof, 1))
    return (
        float(slope),
        float(np.sqrt(var_slope * max(reduced, 1.0))),
        float(intercept),
        reduced,
    )


def _range_sensitivity(e, log_a, weights, e_u: float) -> float:
    """Largest change of E_U when 15 % of the window's points go at either end."""
    cut = max(1, int(round(0.15 * e.size)))
    if e.size - cut < 4:
        return float("nan")
    changes = [
        abs(1.0 / _slope_fit(e[part], log_a[part], weights[part])[0] - e_u)
        for part in (slice(cut, None), slice(None, -cut))
    ]
    return float(max(changes))


def _urbach_result(e, log_a, weights, auto, warnings) -> UrbachFit:
    slope, slope_stderr, intercept, reduced = _slope_fit(e, log_a, weights)
    if not slope > 0:
        raise InputError(
            "the absorbance does not rise with energy over the fit range; expected "
            "the low-energy side of the absorption edge."
        )
    e_u = 1.0 / slope
    statistical = slope_stderr / slope**2
    sensitivity = _range_sensitivity(e, log_a, weights, e_u)
    # A range chosen from the data varies with the noise: that adds variance
    # the single-window stderr does not see (measured, docs/methods.md).
    total = np.hypot(statistical, sensitivity) if auto else statistical
    return UrbachFit(
        urbach_energy_mev=float(1e3 * e_u),
        urbach_energy_stderr_mev=float(1e3 * total),
        energy_range_ev=(float(e[0]), float(e[-1])),
        range_auto=auto,
        n_points=int(e.size),
        chi2_reduced=reduced,
        intercept=intercept,
        range_sensitivity_mev=float(1e3 * sensitivity),
        statistical_stderr_mev=float(1e3 * statistical),
        warnings=tuple(warnings),
    )


def tauc_fit(
    energy_ev,
    absorbance,
    *,
    exponent: float = 0.5,
    peak_ev: float | None = None,
    energy_range_ev: tuple[float, float] | None = None,
) -> TaucFit | None:
    """
    Tauc plot (A·E)^(1/r) against E (r = 1/2: direct allowed) and its zero.

    The default range is where (A·E)^(1/r) lies between 20 % and 70 % of its
    value at the excitonic peak, below the peak. Comes with
    :data:`TAUC_CAVEAT`; None when fewer than 3 points are in range.
    """
    e = np.asarray(energy_ev, dtype=float)
    y = np.clip(np.asarray(absorbance, dtype=float) * e, 0.0, None) ** (1.0 / exponent)
    if energy_range_ev is None:
        top = peak_ev if peak_ev is not None else e[int(np.nanargmax(y))]
        reference = float(np.interp(top, e, y))
        keep = (e <= top) & (y >= 0.2 * reference) & (y <= 0.7 * reference)
    else:
        keep = (e >= energy_range_ev[0]) & (e <= energy_range_ev[1])
    if keep.sum() < 3:
        return None
    (slope, intercept), covariance = np.polyfit(e[keep], y[keep], 1, cov=True)
    gap = -intercept / slope
    gradient = np.array([intercept / slope**2, -1.0 / slope])
    return TaucFit(
        gap_ev=float(gap),
        gap_stderr_ev=float(np.sqrt(max(gradient @ covariance @ gradient, 0.0))),
        exponent=float(exponent),
        energy_range_ev=(float(e[keep][0]), float(e[keep][-1])),
    )


def absorption_analysis(
    spectrum: AbsorbanceSpectrum,
    *,
    energy_range_ev: tuple[float, float] | None = None,
    tauc: bool = False,
    tauc_range_ev: tuple[float, float] | None = None,
) -> AbsorptionResult:
    """
    Excitonic peak, Urbach energy and (optionally) Tauc gap of a spectrum.

    Parameters
    ----------
    spectrum : AbsorbanceSpectrum
    energy_range_ev : (float, float), optional
        Urbach fit range (default automatic, see the module docstring). [eV]
    tauc : bool
        Also the Tauc plot (direct allowed), with :data:`TAUC_CAVEAT`.
    tauc_range_ev : (float, float), optional
        Linear range of the Tauc plot. [eV]
    """
    energy = HC_EV_NM / spectrum.wavelength_nm[::-1]
    absorbance = np.asarray(spectrum.absorbance, dtype=float)[::-1]
    noise = float(noise_sigma(absorbance))
    peak = excitonic_peak(energy, absorbance, noise)
    warnings = []
    if peak is None:
        warnings.append(
            "no excitonic peak or shoulder found: the automatic Urbach range ends "
            "at the absorbance maximum."
        )
    urbach = urbach_fit(
        energy,
        absorbance,
        noise=noise,
        peak_ev=peak.energy_ev if peak else None,
        energy_range_ev=energy_range_ev,
    )
    tauc_result = None
    if tauc:
        tauc_result = tauc_fit(
            energy,
            absorbance,
            peak_ev=peak.energy_ev if peak else None,
            energy_range_ev=tauc_range_ev,
        )
        if tauc_result is None:
            warnings.append("the Tauc range holds fewer than 3 points: no Tauc gap.")
    return AbsorptionResult(
        label=spectrum.label,
        source=spectrum.source,
        energy_ev=read_only(energy),
        absorbance=read_only(absorbance),
        peak=peak,
        urbach=urbach,
        tauc=tauc_result,
        noise=noise,
        notes=tuple(spectrum.notes),
        warnings=tuple(warnings),
    )
