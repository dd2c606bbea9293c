"""
Temperature-dependent PL: exciton binding energy and linewidth from a series
of PL spectra at temperatures.

Integrated intensity (baseline-subtracted, over a chosen range) against
temperature is fitted with the Arrhenius quenching form

    I(T) = I₀ / (1 + A exp(−E_B / k_B T))

(or the two-channel form I₀ / (1 + A₁ e^(−E₁/k_BT) + A₂ e^(−E₂/k_BT))); peak and
FWHM come from :func:`core.spectra.spectral_metrics`, and the FWHM in energy
optionally from the phonon-broadening form

    Γ(T) = Γ₀ + Γ_LO / (exp(E_LO / k_B T) − 1).

k_B is from ``scipy.constants`` (in meV/K). Intensities are fitted with
weights σᵢ² = (r Iᵢ)² + σ_noise,ᵢ²: the scatter of TDPL intensities is mostly
a fraction r of themselves (alignment, laser power) on top of the spectra's
noise σ_noise (DER_SNR); r is estimated from the residuals (χ²ᵣ = 1) and
reported as ``relative_scatter``.

References
----------
.. [1] J. Bardeen, F. J. Blatt, L. H. Hall, "Indirect transitions from the
   valence to the conduction bands," in Photoconductivity Conference (1956);
   the quenching form as used for perovskites e.g. in
.. [2] A. D. Wright et al., "Electron–phonon coupling in hybrid lead halide
   perovskites," Nat. Commun. 7, 11755 (2016), doi:10.1038/ncomms11755
   (the Γ(T) form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.constants
from scipy.optimize import brentq, curve_fit

from core.errors import InputError
from core.models import SpectralSeries
from core.noise import noise_sigma
from core.spectra import baseline_corrected, spectral_metrics

__all__ = [
    "K_B_MEV_PER_K",
    "HC_EV_NM",
    "ArrheniusFit",
    "PhononFit",
    "TDPLResult",
    "arrhenius",
    "arrhenius_two",
    "phonon_broadening",
    "integrated_intensity",
    "fit_arrhenius",
    "fit_phonon_broadening",
    "tdpl_analysis",
]

#: Boltzmann constant in meV/K (CODATA, scipy.constants).
K_B_MEV_PER_K = scipy.constants.k / scipy.constants.e * 1e3
#: h c / e in eV·nm.
HC_EV_NM = scipy.constants.h * scipy.constants.c / scipy.constants.e * 1e9

MODELS = ("one", "two")


def arrhenius(temperature_k, i0, log_a, e_b_mev):
    """I₀ / (1 + e^(ln A) exp(−E_B / k_B T))."""
    t = np.asarray(temperature_k, dtype=float)
    return i0 / (1.0 + np.exp(log_a - e_b_mev / (K_B_MEV_PER_K * t)))


def arrhenius_two(temperature_k, i0, log_a1, e1_mev, log_a2, e2_mev):
    """I₀ / (1 + A₁ e^(−E₁/k_BT) + A₂ e^(−E₂/k_BT)) with ln A as parameters."""
    kt = K_B_MEV_PER_K * np.asarray(temperature_k, dtype=float)
    return i0 / (1.0 + np.exp(log_a1 - e1_mev / kt) + np.exp(log_a2 - e2_mev / kt))


def phonon_broadening(temperature_k, gamma0_mev, gamma_lo_mev, e_lo_mev):
    """Γ₀ + Γ_LO / (exp(E_LO / k_B T) − 1). [meV]"""
    kt = K_B_MEV_PER_K * np.asarray(temperature_k, dtype=float)
    return gamma0_mev + gamma_lo_mev / np.expm1(e_lo_mev / kt)


@dataclass(frozen=True)
class ArrheniusFit:
    """
    Quenching of the integrated PL with temperature.

    ``binding_energy_mev`` is E_B (one channel) or the larger activation
    energy E₂ (two channels, ``second_energy_mev`` is then E₁); ``prefactor``
    is A (A₂). Energies in meV, 1σ ``*_stderr``; NaN when not determined.
    """

    model: str
    binding_energy_mev: float
    binding_energy_stderr_mev: float
    prefactor: float
    prefactor_stderr: float
    i0: float
    i0_stderr: float
    second_energy_mev: float
    second_energy_stderr_mev: float
    second_prefactor: float
    temperature_min_k: float
    temperature_max_k: float
    n_points: int
    chi2_reduced: float
    relative_scatter: float = float("nan")
    parameters: tuple[float, ...] = ()
    warnings: tuple[str, ...] = ()

    def curve(self, temperature_k) -> np.ndarray:
        """The fitted I(T) at ``temperature_k``."""
        if self.model == "two":
            return arrhenius_two(temperature_k, *self.parameters)
        return arrhenius(temperature_k, *self.parameters)


@dataclass(frozen=True)
class PhononFit:
    """Γ(T) = Γ₀ + Γ_LO/(exp(E_LO/k_BT) − 1) of the FWHM in energy [meV]."""

    gamma0_mev: float
    gamma0_stderr_mev: float
    gamma_lo_mev: float
    gamma_lo_stderr_mev: float
    e_lo_mev: float
    e_lo_stderr_mev: float
    n_points: int
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {
            "warnings": list(self.warnings)
        }


def _fit(function, x, y, sigma, p0, bounds, absolute: bool = False):
    """curve_fit; (params, stderr, chi2_reduced). Scaled covariance by default."""
    params, covariance = curve_fit(
        function,
        x,
        y,
        p0=p0,
        sigma=sigma,
        absolute_sigma=absolute,
        bounds=bounds,
        maxfev=20000,
    )
    dof = max(len(x) - len(params), 1)
    chi2 = float(np.sum(((y - function(x, *params)) / sigma) ** 2) / dof)
    with np.errstate(invalid="ignore"):
        stderr = np.sqrt(np.diag(covariance))
    return params, stderr, chi2


def _arrhenius_start(t: np.ndarray, intensity: np.ndarray) -> tuple[float, ...]:
    """I₀, ln A, E_B from the coldest points and a linearised fit."""
    coldest = np.argsort(t)[: min(3, t.size)]
    i0 = float(np.max(intensity[coldest]))
    ratio = intensity / i0
    usable = (ratio > 0.05) & (ratio < 0.95)
    if usable.sum() >= 2:
        x = 1.0 / (K_B_MEV_PER_K * t[usable])
        slope, intercept = np.polyfit(x, np.log(1.0 / ratio[usable] - 1.0), 1)
        if slope < 0:
            return i0, float(intercept), float(-slope)
    hottest = int(np.argmax(t))
    e_b = 50.0
    log_a = np.log(max(1.0 / max(ratio[hottest], 1e-6) - 1.0, 1e-6))
    return i0, float(log_a + e_b / (K_B_MEV_PER_K * t[hottest])), e_b


def _two_channel_start(one):
    """Start and bounds of the two-channel fit from the one-channel result."""
    i0, log_a, e_b = one
    starts = (i0, log_a / 4.0, e_b / 5.0, log_a, e_b)
    bounds = ([0, -50, 0, -50, 0], [np.inf, 100, 2000, 100, 2000])
    return starts, bounds


def fit_arrhenius(
    temperature_k,
    intensity,
    *,
    model: str = "one",
    temperature_range_k: tuple[float, float] | None = None,
    noise=None,
) -> ArrheniusFit:
    """
    Fit the Arrhenius quenching of the integrated PL.

    Parameters
    ----------
    temperature_k, intensity : array_like
        (N,) temperatures [K] and integrated intensities.
    model : {"one", "two"}
        One or two non-radiative channels.
    temperature_range_k : (float, float), optional
        Fit only these temperatures (e.g. 80–220 K as in Ren et al. 2024).
    noise : array_like, optional
        (N,) noise of each intensity (from the spectra), added in quadrature
        to the relative scatter estimated from the residuals.

    Raises
    ------
    InputError
        An unknown model, fewer points than parameters + 2 in the range.
    """
    if model not in MODELS:
        raise InputError(f"--model {model}: expected one of {', '.join(MODELS)}.")
    t = np.asarray(temperature_k, dtype=float)
    y = np.asarray(intensity, dtype=float)
    keep = np.isfinite(t) & np.isfinite(y) & (y > 0)
    if temperature_range_k is not None:
        keep &= (t >= temperature_range_k[0]) & (t <= temperature_range_k[1])
    needed = 5 if model == "one" else 7
    if keep.sum() < needed:
        raise InputError(
            f"{int(keep.sum())} temperatures with a positive intensity in the fit "
            f"range; the {model}-channel Arrhenius fit needs at least {needed}."
        )
    t, y = t[keep], y[keep]
    extra = np.zeros_like(y) if noise is None else np.asarray(noise, float)[keep]
    extra = np.maximum(np.nan_to_num(extra), 1e-6 * y.max())
    start = _arrhenius_start(t, y)
    bounds = ([0, -50, 0], [np.inf, 100, 2000])
    function: Callable[..., np.ndarray] = arrhenius
    if model == "two":
        params = _fit(arrhenius, t, y, np.hypot(0.02 * y, extra), start, bounds)[0]
        function = arrhenius_two
        start, bounds = _two_channel_start(params)
    scatter = _relative_scatter(function, t, y, extra, start, bounds)
    sigma = np.hypot(scatter * y, extra)
    params, stderr, chi2 = _fit(function, t, y, sigma, start, bounds, absolute=True)
    if model == "two" and params[2] > params[4]:  # E_B is the larger energy
        order = [0, 3, 4, 1, 2]
        params, stderr = params[order], stderr[order]
    return _arrhenius_result(model, params, stderr, chi2, t, scatter)


def _relative_scatter(function, t, y, noise, start, bounds) -> float:
    """
    The relative scatter r with χ²ᵣ = 1 for σᵢ² = (r Iᵢ)² + σ_noise,ᵢ².

    TDPL intensities scatter by a fraction of themselves (alignment, laser
    power) on top of the spectra's own noise; r is estimated from the fit
    residuals (a variance component), so bright and dim points get the right
    relative weights. Fixed 2 % weights with a scaled covariance gave 52 %
    coverage of the 1σ in the benchmark; this gives 60-70 % (docs/methods.md).
    0 when the spectral noise alone explains the scatter.
    """

    def excess(r: float) -> float:
        sigma = np.hypot(r * y, noise)
        return _fit(function, t, y, sigma, start, bounds)[2] - 1.0

    if excess(0.0) <= 0:
        return 0.0
    if excess(1.0) > 0:
        return 1.0
    return float(brentq(excess, 0.0, 1.0, xtol=1e-4))


def _arrhenius_result(model, params, stderr, chi2, t, scatter) -> ArrheniusFit:
    n_par = 3 if model == "one" else 5
    e_index, a_index = (2, 1) if model == "one" else (4, 3)
    warnings = []
    if not np.isfinite(stderr[e_index]) or stderr[e_index] > 0.5 * params[e_index]:
        warnings.append(
            "E_B is poorly determined (uncertainty above half its value): the PL "
            "barely quenches in the range, or the range is too narrow."
        )
    if t.size - n_par < 3:
        warnings.append(f"only {t.size - n_par} degrees of freedom in the fit.")
    prefactor = float(np.exp(params[a_index]))
    second = (np.nan, np.nan, np.nan)
    if model == "two":
        second = (float(params[2]), float(stderr[2]), float(np.exp(params[1])))
    return ArrheniusFit(
        model=model,
        binding_energy_mev=float(params[e_index]),
        binding_energy_stderr_mev=float(stderr[e_index]),
        prefactor=prefactor,
        prefactor_stderr=float(prefactor * stderr[a_index]),
        i0=float(params[0]),
        i0_stderr=float(stderr[0]),
        second_energy_mev=second[0],
        second_energy_stderr_mev=second[1],
        second_prefactor=second[2],
        temperature_min_k=float(t.min()),
        temperature_max_k=float(t.max()),
        n_points=int(t.size),
        chi2_reduced=chi2,
        relative_scatter=float(scatter),
        parameters=tuple(float(p) for p in params),
        warnings=tuple(warnings),
    )


def fit_phonon_broadening(temperature_k, fwhm_mev) -> PhononFit:
    """
    Fit Γ(T) = Γ₀ + Γ_LO/(exp(E_LO/k_BT) − 1) to the FWHM in energy.

    Unweighted, covariance scaled by the residual scatter.

    Raises
    ------
    InputError
        Fewer than 5 finite widths.
    """
    t = np.asarray(temperature_k, dtype=float)
    g = np.asarray(fwhm_mev, dtype=float)
    keep = np.isfinite(t) & np.isfinite(g)
    if keep.sum() < 5:
        raise InputError(
            f"{int(keep.sum())} temperatures with a FWHM; the phonon-broadening fit "
            "needs at least 5."
        )
    t, g = t[keep], g[keep]
    e_lo = 20.0
    hottest = int(np.argmax(t))
    g0 = float(g.min())
    g_lo = max(g[hottest] - g0, 1e-3) * np.expm1(e_lo / (K_B_MEV_PER_K * t[hottest]))
    bounds = ([0, 0, 0.5], [np.inf, np.inf, 300])
    params, stderr, _ = _fit(
        phonon_broadening, t, g, np.ones_like(g), (g0, g_lo, e_lo), bounds
    )
    warnings = []
    if not np.isfinite(stderr[2]) or stderr[2] > 0.5 * params[2]:
        warnings.append("E_LO is poorly determined: the FWHM changes little with T.")
    return PhononFit(
        gamma0_mev=float(params[0]),
        gamma0_stderr_mev=float(stderr[0]),
        gamma_lo_mev=float(params[1]),
        gamma_lo_stderr_mev=float(stderr[1]),
        e_lo_mev=float(params[2]),
        e_lo_stderr_mev=float(stderr[2]),
        n_points=int(t.size),
        warnings=tuple(warnings),
    )


def integrated_intensity(wavelength_nm, intensity, wavelength_range_nm=None):
    """
    Baseline-subtracted integrated intensity of each spectrum and its noise.

    The baseline is :func:`core.spectra.baseline_corrected` ("edges"); the
    integral is the trapezoid rule over ``wavelength_range_nm`` (default the
    whole grid); its noise is the DER_SNR noise of the spectrum
    (:func:`core.noise.noise_sigma`) propagated through the trapezoid weights,
    with the error of the subtracted baseline.

    Returns
    -------
    integral, noise : numpy.ndarray
        (N,) each, in intensity × nm.
    """
    wavelength = np.asarray(wavelength_nm, dtype=float)
    spectra, _ = baseline_corrected(wavelength, intensity, "edges")
    keep = np.ones(wavelength.size, dtype=bool)
    if wavelength_range_nm is not None:
        low, high = wavelength_range_nm
        keep = (wavelength >= low) & (wavelength <= high)
    if keep.sum() < 3:
        raise InputError(
            f"the integration range {wavelength_range_nm} nm holds fewer than 3 "
            f"points of the spectra ({wavelength[0]:g}–{wavelength[-1]:g} nm)."
        )
    grid = wavelength[keep]
    weights = np.zeros(grid.size)
    steps = np.diff(grid)
    weights[:-1] += steps / 2
    weights[1:] += steps / 2
    integral = spectra[:, keep] @ weights
    sigma = np.atleast_1d(noise_sigma(spectra))
    # The baseline is the median of 5 % of the pixels at each end
    # (core.spectra.baseline_corrected); its error, √(π/2) σ/√n, enters every
    # pixel of the integral alike, and outweighs the pixel noise on a wide range.
    n_edge = 2 * max(3, int(round(wavelength.size * 0.05)))
    baseline = np.sqrt(np.pi / 2) * sigma / np.sqrt(n_edge) * weights.sum()
    noise = np.hypot(sigma * np.sqrt(np.sum(weights**2)), baseline)
    return integral, noise


@dataclass(frozen=True)
class TDPLResult:
    """
    A temperature series analysed: one table row per spectrum and the fits.

    ``table`` columns: ``temperature_k``, ``integrated_intensity``,
    ``integrated_intensity_noise``, ``peak_nm``, ``fwhm_nm``, ``peak_ev``,
    ``fwhm_mev`` (FWHM in energy, hc·Δλ/λ², within (Δλ/2λ)² ≈ 0.1 % of the
    exact value for a 35 nm line at 640 nm) and ``in_fit``.
    """

    label: str
    source: str
    table: pd.DataFrame
    arrhenius: ArrheniusFit
    phonon: PhononFit | None
    wavelength_range_nm: tuple[float, float]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict:
        """The CLI's JSON object (keys in docs/architecture.md)."""
        fit = self.arrhenius
        rows = self.table.to_dict(orient="records")
        return {
            "label": self.label,
            "source": self.source,
            "n_spectra": int(len(self.table)),
            "wavelength_range_nm": list(self.wavelength_range_nm),
            "temperature_range_k": [fit.temperature_min_k, fit.temperature_max_k],
            "model": fit.model,
            "binding_energy_mev": fit.binding_energy_mev,
            "binding_energy_stderr_mev": fit.binding_energy_stderr_mev,
            "prefactor": fit.prefactor,
            "prefactor_stderr": fit.prefactor_stderr,
            "i0": fit.i0,
            "i0_stderr": fit.i0_stderr,
            "second_energy_mev": fit.second_energy_mev,
            "second_energy_stderr_mev": fit.second_energy_stderr_mev,
            "n_points": fit.n_points,
            "chi2_reduced": fit.chi2_reduced,
            "relative_scatter": fit.relative_scatter,
            "phonon": self.phonon.summary() if self.phonon is not None else None,
            "temperatures": rows,
            "notes": list(self.notes),
            "warnings": list(self.warnings) + list(fit.warnings),
        }


def _table(temperature, integral, noise, metrics, fit) -> pd.DataFrame:
    """One row per spectrum (the columns of :class:`TDPLResult`)."""
    peak_nm = metrics["peak_nm"].to_numpy()
    fwhm_nm = metrics["fwhm_nm"].to_numpy()
    in_fit = (temperature >= fit.temperature_min_k) & (
        temperature <= fit.temperature_max_k
    )
    return pd.DataFrame(
        {
            "temperature_k": temperature,
            "integrated_intensity": integral,
            "integrated_intensity_noise": noise,
            "peak_nm": peak_nm,
            "fwhm_nm": fwhm_nm,
            "peak_ev": HC_EV_NM / peak_nm,
            "fwhm_mev": 1e3 * HC_EV_NM * fwhm_nm / peak_nm**2,
            "in_fit": in_fit,
        }
    )


def tdpl_analysis(
    series: SpectralSeries,
    *,
    wavelength_range_nm: tuple[float, float] | None = None,
    temperature_range_k: tuple[float, float] | None = None,
    model: str = "one",
    phonon: bool = False,
) -> TDPLResult:
    """
    E_B from the integrated PL of a temperature series; peak and FWHM vs T.

    Parameters
    ----------
    series : SpectralSeries
        Spectra with ``axis_name == "temperature"`` in K (see
        :func:`core.photophysics.io.in_kelvin`).
    wavelength_range_nm : (float, float), optional
        Integration range; default the whole grid. [nm]
    temperature_range_k : (float, float), optional
        Temperatures used in the Arrhenius fit; default all. [K]
    model : {"one", "two"}
        Arrhenius model.
    phonon : bool
        Also fit Γ(T) to the FWHM in energy.

    Raises
    ------
    InputError
        A series without a temperature axis in K; see :func:`fit_arrhenius`.
    """
    if series.axis_name != "temperature" or series.axis_unit != "K":
        raise InputError(
            f"{series.source or 'the series'}: expected spectra on a temperature "
            f"axis in K, found {series.axis_label}."
        )
    temperature = np.asarray(series.axis, dtype=float)
    wavelength = series.wavelength_nm
    integral, noise = integrated_intensity(
        wavelength, series.intensity, wavelength_range_nm
    )
    metrics = spectral_metrics(wavelength, series.intensity)
    fit = fit_arrhenius(
        temperature,
        integral,
        model=model,
        temperature_range_k=temperature_range_k,
        noise=noise,
    )
    table = _table(temperature, integral, noise, metrics, fit)
    phonon_fit = (
        fit_phonon_broadening(temperature, table["fwhm_mev"]) if phonon else None
    )
    warnings = list(metrics.attrs.get("warnings", []))
    if phonon_fit is not None:
        warnings.extend(phonon_fit.warnings)
    span = (
        wavelength_range_nm
        if wavelength_range_nm is not None
        else (float(wavelength[0]), float(wavelength[-1]))
    )
    return TDPLResult(
        label=series.label,
        source=series.source,
        table=table,
        arrhenius=fit,
        phonon=phonon_fit,
        wavelength_range_nm=(float(span[0]), float(span[1])),
        notes=tuple(series.notes),
        warnings=tuple(warnings),
    )
