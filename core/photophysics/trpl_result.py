"""
The result of a decay fit (:class:`DecayFit`), its derived lifetimes with
propagated errors, its JSON summary and the side-by-side table of samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.photophysics.models import DecayCurve, read_only

__all__ = [
    "DecayFit",
    "DECAY_KEYS",
    "build_fit",
    "average_lifetimes",
    "decay_table",
]

#: Keys of :meth:`DecayFit.summary` (the CLI's JSON object for one decay).
DECAY_KEYS = (
    "label",
    "source",
    "method",
    "n_components",
    "tau_ns",
    "tau_stderr_ns",
    "amplitude_counts",
    "amplitude_stderr_counts",
    "fraction_amplitude",
    "fraction_intensity",
    "tau_amplitude_weighted_ns",
    "tau_amplitude_weighted_stderr_ns",
    "tau_intensity_weighted_ns",
    "tau_intensity_weighted_stderr_ns",
    "background_counts",
    "background_stderr_counts",
    "irf_shift_ns",
    "irf_shift_stderr_ns",
    "fit_start_ns",
    "fit_stop_ns",
    "fit_start_auto",
    "n_channels",
    "n_parameters",
    "peak_counts",
    "chi2_reduced",
    "deviance",
    "aic",
    "converged",
    "notes",
    "warnings",
)


@dataclass(frozen=True)
class DecayFit:
    """
    A 1–3 exponential fit of a decay histogram.

    Lifetimes are in ns, amplitudes in counts per channel (at t = 0 of the
    decay for reconvolution, at the fit start for a tail fit); ``*_stderr``
    are 1σ from the Fisher information. Arrays cover the fit window.

    Attributes
    ----------
    label, source : str
        Of the decay.
    method : {"reconvolution", "tail"}
    n_components : int
    tau_ns, tau_stderr_ns, amplitude_counts, amplitude_stderr_counts : tuple
        Per component, sorted by lifetime.
    fraction_amplitude, fraction_intensity : tuple
        aᵢ/Σa and aᵢτᵢ/Σaτ [-].
    tau_amplitude_weighted_ns, tau_intensity_weighted_ns : float
        Σaτ/Σa and Σaτ²/Σaτ. [ns]
    background_counts, irf_shift_ns : float
        Constant background per channel and IRF shift (NaN for a tail fit).
    fit_start_ns, fit_stop_ns : float
        The fitted window. [ns]
    fit_start_auto : bool
        True when the tail-fit start was chosen automatically.
    chi2_reduced : float
        Pearson Σ (y − μ)²/μ / (N − p) [-]; ≈ 1 for a good fit of raw counts.
    deviance, aic : float
        Poisson deviance and AIC = deviance + 2p (compare models on one decay).
    time_ns, counts, model_counts, residuals : numpy.ndarray
        The fit window: data, model and Pearson residuals (y − μ)/√μ.
    warnings : tuple of str
    """

    label: str
    source: str
    method: str
    n_components: int
    tau_ns: tuple[float, ...]
    tau_stderr_ns: tuple[float, ...]
    amplitude_counts: tuple[float, ...]
    amplitude_stderr_counts: tuple[float, ...]
    fraction_amplitude: tuple[float, ...]
    fraction_intensity: tuple[float, ...]
    tau_amplitude_weighted_ns: float
    tau_amplitude_weighted_stderr_ns: float
    tau_intensity_weighted_ns: float
    tau_intensity_weighted_stderr_ns: float
    background_counts: float
    background_stderr_counts: float
    irf_shift_ns: float
    irf_shift_stderr_ns: float
    fit_start_ns: float
    fit_stop_ns: float
    fit_start_auto: bool
    n_channels: int
    n_parameters: int
    peak_counts: float
    chi2_reduced: float
    deviance: float
    aic: float
    converged: bool
    time_ns: np.ndarray
    counts: np.ndarray
    model_counts: np.ndarray
    residuals: np.ndarray
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict:
        """The JSON object of the CLI (keys :data:`DECAY_KEYS`)."""
        out = {}
        for key in DECAY_KEYS:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


def average_lifetimes(amplitudes, taus, covariance) -> tuple[float, ...]:
    """
    τ_amp = Σaτ/Σa and τ_int = Σaτ²/Σaτ with their standard errors.

    Parameters
    ----------
    amplitudes, taus : array_like
        (n,) each.
    covariance : array_like
        (2n, 2n) covariance of (a₁..aₙ, τ₁..τₙ).

    Returns
    -------
    (tau_amp, tau_amp_stderr, tau_int, tau_int_stderr) [ns]
    """
    a = np.asarray(amplitudes, float)
    t = np.asarray(taus, float)
    cov = np.asarray(covariance, float)
    sum_a, sum_at = a.sum(), (a * t).sum()
    if sum_a <= 0 or sum_at <= 0:
        return (np.nan,) * 4
    tau_amp = sum_at / sum_a
    tau_int = (a * t * t).sum() / sum_at
    grad_amp = np.concatenate([(t - tau_amp) / sum_a, a / sum_a])
    grad_int = np.concatenate(
        [(t * t - tau_int * t) / sum_at, (2 * a * t - tau_int * a) / sum_at]
    )
    var_amp = float(grad_amp @ cov @ grad_amp)
    var_int = float(grad_int @ cov @ grad_int)
    return (
        float(tau_amp),
        float(np.sqrt(var_amp)) if var_amp >= 0 else np.nan,
        float(tau_int),
        float(np.sqrt(var_int)) if var_int >= 0 else np.nan,
    )


def _stderr(covariance: np.ndarray) -> np.ndarray:
    diagonal = np.diag(covariance)
    return np.where(diagonal >= 0, np.sqrt(np.abs(diagonal)), np.nan)


def _fit_warnings(n, theta, stderr, at_bound, chi2, converged) -> list[str]:
    warnings = []
    if not converged:
        warnings.append("the optimiser did not report convergence; check the fit.")
    names = [f"a{i + 1}" for i in range(n)] + [f"tau{i + 1}" for i in range(n)]
    for index in at_bound:
        if index < 2 * n:
            warnings.append(
                f"{names[index]} sits at its bound ({theta[index]:.4g}): the data do "
                f"not support {n} components; try fewer."
            )
    for i in range(n):
        if np.isfinite(stderr[n + i]) and stderr[n + i] > theta[n + i]:
            warnings.append(
                f"tau{i + 1} is not determined (uncertainty larger than the value); "
                "try fewer components."
            )
    if np.isfinite(chi2) and chi2 > 1.5:
        warnings.append(
            f"χ²ᵣ = {chi2:.2f} > 1.5: the model misses structure in the decay (more "
            "components, a wrong IRF, or counts that are not raw photon counts)."
        )
    return warnings


def build_fit(
    curve: DecayCurve,
    y,
    mu,
    theta,
    covariance,
    *,
    n_components,
    method,
    window,
    keep,
    auto_start,
    converged,
    deviance,
    at_bound,
) -> DecayFit:
    """Assemble a :class:`DecayFit` from the optimum (components sorted by τ)."""
    n = n_components
    order = np.argsort(theta[n : 2 * n])
    index = np.concatenate([order, n + order, np.arange(2 * n, theta.size)])
    theta = theta[index]
    covariance = covariance[np.ix_(index, index)]
    stderr = _stderr(covariance)
    a, tau = theta[:n], theta[n : 2 * n]
    averages = average_lifetimes(a, tau, covariance[: 2 * n, : 2 * n])
    mu = np.maximum(np.asarray(mu, float), 1e-12)
    y = np.asarray(y, float)
    p = theta.size
    dof = max(y.size - p, 1)
    chi2 = float(np.sum((y - mu) ** 2 / mu) / dof)
    intensity = a * tau
    reconvolution = method == "reconvolution"
    return DecayFit(
        label=curve.label,
        source=curve.source,
        method=method,
        n_components=n,
        tau_ns=tuple(float(v) for v in tau),
        tau_stderr_ns=tuple(float(v) for v in stderr[n : 2 * n]),
        amplitude_counts=tuple(float(v) for v in a),
        amplitude_stderr_counts=tuple(float(v) for v in stderr[:n]),
        fraction_amplitude=tuple(float(v) for v in a / a.sum())
        if a.sum() > 0
        else (np.nan,) * n,
        fraction_intensity=tuple(float(v) for v in intensity / intensity.sum())
        if intensity.sum() > 0
        else (np.nan,) * n,
        tau_amplitude_weighted_ns=averages[0],
        tau_amplitude_weighted_stderr_ns=averages[1],
        tau_intensity_weighted_ns=averages[2],
        tau_intensity_weighted_stderr_ns=averages[3],
        background_counts=float(theta[2 * n]),
        background_stderr_counts=float(stderr[2 * n]),
        irf_shift_ns=float(theta[2 * n + 1]) if reconvolution else np.nan,
        irf_shift_stderr_ns=float(stderr[2 * n + 1]) if reconvolution else np.nan,
        fit_start_ns=window[0],
        fit_stop_ns=window[1],
        fit_start_auto=bool(auto_start),
        n_channels=int(y.size),
        n_parameters=int(p),
        peak_counts=curve.peak_counts,
        chi2_reduced=chi2,
        deviance=float(deviance),
        aic=float(deviance + 2 * p),
        converged=converged,
        time_ns=read_only(curve.time_ns[keep]),
        counts=read_only(y),
        model_counts=read_only(mu),
        residuals=read_only((y - mu) / np.sqrt(mu)),
        notes=tuple(curve.notes),
        warnings=tuple(_fit_warnings(n, theta, stderr, at_bound, chi2, converged)),
    )


def decay_table(fits) -> pd.DataFrame:
    """
    Samples side by side: one row per fit, one column per number.

    Columns: ``label``, ``method``, ``n_components``, ``tau1_ns``,
    ``tau1_stderr_ns``, ``fraction1_intensity`` ... (up to 3),
    ``tau_amplitude_weighted_ns`` (and stderr), ``tau_intensity_weighted_ns``
    (and stderr), ``chi2_reduced``, ``aic``, ``fit_start_ns``, ``fit_stop_ns``.
    """
    rows = []
    for fit in fits:
        row = {
            "label": fit.label,
            "method": fit.method,
            "n_components": fit.n_components,
        }
        for i in range(3):
            present = i < fit.n_components
            row[f"tau{i + 1}_ns"] = fit.tau_ns[i] if present else np.nan
            row[f"tau{i + 1}_stderr_ns"] = fit.tau_stderr_ns[i] if present else np.nan
            row[f"fraction{i + 1}_intensity"] = (
                fit.fraction_intensity[i] if present else np.nan
            )
        for key in (
            "tau_amplitude_weighted_ns",
            "tau_amplitude_weighted_stderr_ns",
            "tau_intensity_weighted_ns",
            "tau_intensity_weighted_stderr_ns",
            "chi2_reduced",
            "aic",
            "fit_start_ns",
            "fit_stop_ns",
        ):
            row[key] = getattr(fit, key)
        rows.append(row)
    return pd.DataFrame(rows)
