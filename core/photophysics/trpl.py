"""
Time-resolved PL: 1–3 exponential fits of TCSPC decays by maximum likelihood.

Model on the histogram grid (docs/methods.md, "Photophysics"):

- **reconvolution** (an IRF is given): μ_k = b + Σᵢ aᵢ [IRF(t − s) ⊛ eᵢ]_k,
  with eᵢ the bin-averaged exp(−t/τᵢ), the IRF background-subtracted and
  normalised to unit sum and shifted by s (linear interpolation); the
  convolution is one FFT for all components.
- **tail fit** (no IRF): μ_k = b + Σᵢ aᵢ eᵢ(t_k − t₀) for t_k ≥ t₀, the fit
  start t₀ chosen after the peak (3 rise times after it) or given.

Counts are Poisson: the fit minimises the Poisson deviance
D = 2 Σ [μ − y + y ln(y/μ)] (maximum likelihood; ``least_squares`` on the
signed deviance residuals), exact at low counts where Neyman weights 1/y
bias the amplitudes. Uncertainties are the inverse of the Fisher information
Σ (∂μ/∂θ)(∂μ/∂θ)ᵀ/μ at the optimum. Average lifetimes: amplitude-weighted
τ_amp = Σaτ/Σa and intensity-weighted τ_int = Σaτ²/Σaτ with propagated errors.

References
----------
.. [1] T. A. Laurence, B. A. Chromy, "Efficient maximum likelihood estimator
   fitting of histograms," Nat. Methods 7, 338 (2010), doi:10.1038/nmeth0510-338.
.. [2] J. R. Lakowicz, Principles of Fluorescence Spectroscopy, 3rd ed.,
   Springer (2006), ch. 4, doi:10.1007/978-0-387-46312-4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft
from scipy.optimize import least_squares
from scipy.special import xlogy

from core.errors import InputError
from core.photophysics.models import DecayCurve
from core.photophysics.trpl_result import DecayFit, build_fit

__all__ = [
    "MAX_COMPONENTS",
    "DecayFit",
    "ComponentComparison",
    "compare_components",
    "fit_decay",
    "auto_tail_start_ns",
    "exponential_bins",
    "decay_model",
]

MAX_COMPONENTS = 3

# Starting lifetimes relative to a single-exponential estimate.
_TAU_SPREADS = {
    1: ((1.0,),),
    2: ((0.3, 1.3), (0.1, 1.1)),
    3: ((0.1, 0.5, 1.5), (0.05, 0.3, 1.2)),
}


def exponential_bins(time_rel_ns, step_ns: float, tau_ns) -> np.ndarray:
    """
    exp(−t/τ) averaged over each channel [t, t + Δ): (τ/Δ)(1 − e^(−Δ/τ)) e^(−t/τ).

    Returns
    -------
    numpy.ndarray
        (n, N) for n lifetimes and N times.
    """
    tau = np.asarray(tau_ns, dtype=float)[:, None]
    x = step_ns / tau
    return (-np.expm1(-x) / x) * np.exp(-np.asarray(time_rel_ns)[None, :] / tau)


class _Reconvolution:
    """IRF(t − s) ⊛ exp(−t/τᵢ) for all components in one FFT."""

    def __init__(self, time_ns: np.ndarray, irf: np.ndarray) -> None:
        self.t = time_ns - time_ns[0]
        self.step = float(np.median(np.diff(time_ns)))
        self.irf = irf
        self.n_fft = next_fast_len(2 * time_ns.size)

    def components(self, tau_ns, shift_ns: float) -> np.ndarray:
        shifted = np.interp(self.t - shift_ns, self.t, self.irf, left=0.0, right=0.0)
        kernels = exponential_bins(self.t, self.step, tau_ns)
        spectrum = rfft(shifted, self.n_fft) * rfft(kernels, self.n_fft, axis=1)
        return irfft(spectrum, self.n_fft, axis=1)[:, : self.t.size]


def decay_model(theta: np.ndarray, n: int, basis: Callable) -> np.ndarray:
    """μ = b + Σ aᵢ basisᵢ for θ = (a₁..aₙ, τ₁..τₙ, b[, s])."""
    amplitudes, taus, background = theta[:n], theta[n : 2 * n], theta[2 * n]
    shift = theta[2 * n + 1] if theta.size > 2 * n + 1 else 0.0
    return background + amplitudes @ basis(taus, shift)


def _deviance_residuals(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    mu = np.maximum(mu, 1e-12)
    deviance = 2.0 * (mu - y + xlogy(y, y) - xlogy(y, mu))
    return np.sign(y - mu) * np.sqrt(np.maximum(deviance, 0.0))


def _fisher_covariance(model, theta, scales, lower, upper):
    """Inverse Fisher information of Poisson counts at ``theta``."""
    mu = np.maximum(model(theta), 1e-12)
    jac = np.empty((mu.size, theta.size))
    for j in range(theta.size):
        h = 1e-5 * max(abs(theta[j]), scales[j])
        up, down = theta.copy(), theta.copy()
        up[j] = min(theta[j] + h, upper[j])
        down[j] = max(theta[j] - h, lower[j])
        width = up[j] - down[j]
        jac[:, j] = (model(up) - model(down)) / width if width > 0 else 0.0
    fisher = (jac / mu[:, None]).T @ jac
    try:
        return np.linalg.inv(fisher)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(fisher)


def _smooth(y: np.ndarray) -> np.ndarray:
    return np.convolve(y, np.ones(5) / 5.0, mode="same")


def _background_guess(y: np.ndarray, peak: int) -> float:
    tail = y[-max(5, y.size // 20) :]
    levels = [float(np.median(tail))]
    if peak > 20:
        levels.append(float(np.median(y[: peak // 2])))
    return max(0.0, min(levels))


def _tau_guess(time: np.ndarray, y: np.ndarray, peak: int, background: float) -> float:
    """Single lifetime from a weighted log-linear fit of the tail. [ns]"""
    window = float(time[-1] - time[0])
    net = y - background
    height = net[peak]
    keep = np.arange(y.size) > peak
    keep &= net > max(0.05 * height, 10.0)
    if keep.sum() < 3:
        return 0.2 * window
    weights = net[keep]
    slope = np.polyfit(time[keep], np.log(net[keep]), 1, w=np.sqrt(weights))[0]
    if not np.isfinite(slope) or slope >= 0:
        return 0.2 * window
    step = float(np.median(np.diff(time)))
    return float(np.clip(-1.0 / slope, 2 * step, 2 * window))


def auto_tail_start_ns(curve: DecayCurve) -> float:
    """
    The fit start of a tail fit: 3 rise times (10 % to peak) after the peak.

    The IRF's width shows in the rise of the decay; three rise times after the
    peak the convolution with it no longer bends the exponential tail. [ns]
    """
    time, y = curve.time_ns, curve.counts
    smooth = _smooth(y)
    peak = int(np.argmax(smooth))
    background = _background_guess(y, peak)
    level = background + 0.1 * (smooth[peak] - background)
    below = np.flatnonzero(smooth[: peak + 1] < level)
    rise_start = below[-1] + 1 if below.size else 0
    rise = max(time[peak] - time[rise_start], curve.step_ns)
    start = time[peak] + 3.0 * rise
    return float(time[min(np.searchsorted(time, start), time.size - 1)])


def _irf_peak(counts) -> np.ndarray:
    """
    The IRF without its background: the median level subtracted and every
    channel outside the peak (where the smoothed IRF falls below 0.1 % of its
    maximum or three noise levels) set to zero. Clipping the background noise
    at zero instead would leave a flat pedestal (≈ 0.5 count per channel at a
    background of 2) that the convolution turns into a slow fake component.
    """
    counts = np.asarray(counts, dtype=float)
    background = float(np.median(counts))
    net = counts - background
    smooth = _smooth(net)
    peak = int(np.argmax(smooth))
    level = max(1e-3 * smooth[peak], 3.0 * np.sqrt(max(background, 1.0) / 5.0))
    below = smooth < level
    left = np.flatnonzero(below[:peak])
    right = np.flatnonzero(below[peak:])
    first = left[-1] + 1 if left.size else 0
    last = peak + right[0] if right.size else counts.size
    values = np.zeros_like(counts)
    values[first:last] = np.clip(net[first:last], 0.0, None)
    return values


def _irf_on_grid(curve: DecayCurve, irf: DecayCurve) -> np.ndarray:
    """The IRF on the decay's grid, background removed, unit sum."""
    if abs(irf.step_ns - curve.step_ns) > 0.01 * curve.step_ns:
        raise InputError(
            f"{irf.source or irf.label}: the IRF has {irf.step_ns:g} ns channels, the "
            f"decay {curve.step_ns:g} ns; expected both on the same time grid.",
            source=irf.source or None,
        )
    values = np.interp(curve.time_ns, irf.time_ns, _irf_peak(irf.counts), 0.0, 0.0)
    total = values.sum()
    if total <= 0:
        raise InputError(
            f"{irf.source or irf.label}: the IRF has no counts above its background; "
            "expected a scatter (prompt) measurement with a peak.",
            source=irf.source or None,
        )
    return values / total


def _window(curve: DecayCurve, start: float, stop: float) -> np.ndarray:
    """Channels of the fit window, leading/trailing all-zero runs left out."""
    time, y = curve.time_ns, curve.counts
    keep = (time >= start - 1e-9) & (time <= stop + 1e-9)
    nonzero = np.flatnonzero(y > 0)
    if nonzero.size:
        first, last = nonzero[0], nonzero[-1]
        if first >= 5:
            keep[:first] = False
        if y.size - 1 - last >= 5:
            keep[last + 1 :] = False
    return keep


def _fit_channels(curve, tail, tail_start_ns, fit_range_ns, n_components):
    """(channels fitted, tail-fit start or None), checked for enough channels."""
    time = curve.time_ns
    start, stop = fit_range_ns if fit_range_ns is not None else (time[0], time[-1])
    tail_start = None
    if tail:
        tail_start = (
            auto_tail_start_ns(curve) if tail_start_ns is None else float(tail_start_ns)
        )
        start = max(start, tail_start)
    keep = _window(curve, start, stop)
    if keep.sum() < 2 * n_components + 4:
        raise InputError(
            f"{curve.source or curve.label}: {int(keep.sum())} channels in the fit "
            f"window {start:g}–{stop:g} ns; expected at least {2 * n_components + 4} "
            f"for {n_components} exponential(s). Choose an earlier fit start.",
            source=curve.source or None,
        )
    return keep, tail_start


@dataclass(frozen=True)
class _Problem:
    """What the optimiser sees: data, model basis, bounds and scales."""

    y: np.ndarray
    n: int
    basis: Callable
    lower: np.ndarray
    upper: np.ndarray
    scales: np.ndarray

    def model(self, theta: np.ndarray) -> np.ndarray:
        return decay_model(theta, self.n, self.basis)


def _problem(curve, keep, n, irf_values, tail_start):
    time, y = curve.time_ns[keep], np.asarray(curve.counts, float)[keep]
    step = curve.step_ns
    window = float(curve.time_ns[-1] - curve.time_ns[0])
    tau_low, tau_high = step / 10.0, 20.0 * window
    lower = [0.0] * n + [tau_low] * n + [0.0]
    upper = [np.inf] * n + [tau_high] * n + [np.inf]
    scales = [max(float(y.max()), 1.0)] * n + [step] * n + [1.0]
    if irf_values is None:
        rel = time - tail_start

        def basis(taus, shift):
            return exponential_bins(rel, step, taus)

    else:
        conv = _Reconvolution(curve.time_ns, irf_values)
        index = np.flatnonzero(keep)

        def basis(taus, shift):
            return conv.components(taus, shift)[:, index]

        limit = max(0.1 * window, 20 * step)
        lower.append(-limit)
        upper.append(limit)
        scales.append(step)
    return _Problem(
        y, n, basis, np.array(lower), np.array(upper), np.array(scales, dtype=float)
    )


def _starts(problem: _Problem, curve: DecayCurve, keep: np.ndarray, reconvolution):
    """Starting points: single-lifetime estimate spread over the components."""
    y_all = np.asarray(curve.counts, float)
    peak = int(np.argmax(_smooth(y_all)))
    background = _background_guess(y_all, peak)
    tau0 = _tau_guess(curve.time_ns, y_all, peak, background)
    shift0 = 0.0
    starts = []
    for spread in _TAU_SPREADS[problem.n]:
        taus = np.clip(np.array(spread) * tau0, problem.lower[problem.n], None)
        if reconvolution:
            shift0 = _shift_guess(problem, taus, background)
        theta = np.concatenate([np.ones(problem.n), taus, [background]])
        if reconvolution:
            theta = np.append(theta, shift0)
        unit = problem.model(np.concatenate([np.ones(problem.n), theta[problem.n :]]))
        height = max(problem.y.max() - background, 1.0)
        scale = height / max(float((unit - background).max()), 1e-12)
        theta[: problem.n] = scale
        starts.append(np.clip(theta, problem.lower, problem.upper))
    return starts


def _shift_guess(problem: _Problem, taus, background: float) -> float:
    """IRF shift that aligns the half-height rise of model and data. [ns]"""
    theta = np.concatenate([np.ones(problem.n), taus, [0.0, 0.0]])
    model = problem.model(theta)
    data = _smooth(problem.y) - background

    def rise(values):
        top = int(np.argmax(values))
        below = np.flatnonzero(values[: top + 1] < 0.5 * values[top])
        return below[-1] + 1 if below.size else 0

    step = float(problem.scales[-1])
    guess = (rise(data) - rise(model)) * step
    return float(np.clip(guess, problem.lower[-1], problem.upper[-1]))


def _optimise(problem: _Problem, starts) -> tuple[np.ndarray, bool, float]:
    """The lowest-deviance optimum over the starting points."""
    best = None
    for x0 in starts:
        result = least_squares(
            lambda th: _deviance_residuals(problem.y, problem.model(th)),
            x0,
            bounds=(problem.lower, problem.upper),
            x_scale=problem.scales,
            method="trf",
            max_nfev=2000,
        )
        deviance = float(np.sum(result.fun**2))
        if best is None or deviance < best[2]:
            best = (result.x, bool(result.success), deviance)
    assert best is not None
    return best


def fit_decay(
    curve: DecayCurve,
    *,
    irf: DecayCurve | None = None,
    n_components: int = 1,
    tail_start_ns: float | None = None,
    fit_range_ns: tuple[float, float] | None = None,
) -> DecayFit:
    """
    Fit 1–3 exponentials to a decay histogram (reconvolution or tail fit).

    Parameters
    ----------
    curve : DecayCurve
        The decay (raw photon counts).
    irf : DecayCurve, optional
        Instrument response on the same channel width: reconvolution fit.
        Without it, a tail fit from ``tail_start_ns``.
    n_components : {1, 2, 3}
        Number of exponentials (compare with :func:`compare_components`).
    tail_start_ns : float, optional
        Start of a tail fit; default :func:`auto_tail_start_ns`. [ns]
    fit_range_ns : (float, float), optional
        Channels fitted (default: all, all-zero edges left out). [ns]

    Returns
    -------
    DecayFit
        Lifetimes, amplitudes, average lifetimes with their standard errors,
        background, IRF shift, χ²ᵣ, deviance, AIC, the fit window and the
        model and residuals on it.

    Raises
    ------
    InputError
        ``n_components`` outside 1–3, a fit window with fewer than
        ``2n + 4`` channels, an IRF on another channel width.
    """
    if n_components not in _TAU_SPREADS:
        raise InputError(
            f"--components {n_components}: expected 1, 2 or 3 exponentials."
        )
    time = curve.time_ns
    auto = irf is None and tail_start_ns is None
    keep, tail_start = _fit_channels(
        curve, irf is None, tail_start_ns, fit_range_ns, n_components
    )
    irf_values = _irf_on_grid(curve, irf) if irf is not None else None
    problem = _problem(curve, keep, n_components, irf_values, tail_start)
    starts = _starts(problem, curve, keep, irf is not None)
    theta, converged, deviance = _optimise(problem, starts)
    covariance = _fisher_covariance(
        problem.model, theta, problem.scales, problem.lower, problem.upper
    )
    return build_fit(
        curve,
        problem.y,
        problem.model(theta),
        theta,
        covariance,
        n_components=n_components,
        method="tail" if irf is None else "reconvolution",
        window=(float(time[keep][0]), float(time[keep][-1])),
        keep=keep,
        auto_start=auto,
        converged=converged,
        deviance=deviance,
        at_bound=_at_bounds(theta, problem),
    )


def _at_bounds(theta: np.ndarray, problem: _Problem) -> list[int]:
    span = np.where(np.isfinite(problem.upper), problem.upper - problem.lower, 1.0)
    near = (theta - problem.lower < 1e-6 * span) | (problem.upper - theta < 1e-6 * span)
    return [int(i) for i in np.flatnonzero(near)]


@dataclass(frozen=True)
class ComponentComparison:
    """Fits with 1..3 exponentials of one decay and the suggested number."""

    fits: tuple[DecayFit, ...]
    suggested_components: int
    reason: str


def compare_components(
    curve: DecayCurve,
    *,
    irf: DecayCurve | None = None,
    components=(1, 2, 3),
    tail_start_ns: float | None = None,
    fit_range_ns: tuple[float, float] | None = None,
) -> ComponentComparison:
    """
    Fit 1, 2 and 3 exponentials and suggest the number from the AIC.

    The suggestion is the lowest AIC, unless fewer components come within
    2 of it (Burnham & Anderson's "substantial support"), or the extra
    components are not determined (an amplitude at zero or a lifetime with an
    uncertainty above its value). The user chooses; this is a hint.
    """
    fits = tuple(
        fit_decay(
            curve,
            irf=irf,
            n_components=n,
            tail_start_ns=tail_start_ns,
            fit_range_ns=fit_range_ns,
        )
        for n in components
    )
    usable = [f for f in fits if not any("try fewer" in w for w in f.warnings)]
    usable = usable or [fits[0]]
    best = min(usable, key=lambda f: f.aic)
    simpler = [f for f in usable if f.n_components < best.n_components]
    chosen = min(
        (f for f in simpler if f.aic - best.aic <= 2.0),
        key=lambda f: f.aic,
        default=best,
    )
    reason = (
        f"AIC {', '.join(f'{f.n_components}: {f.aic:.1f}' for f in fits)}; "
        f"χ²ᵣ {', '.join(f'{f.n_components}: {f.chi2_reduced:.3f}' for f in fits)}."
    )
    return ComponentComparison(fits, chosen.n_components, reason)
