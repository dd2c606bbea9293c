"""
Synthetic photophysics of the demo emitter: PL decays with an IRF, PL spectra
from 80 to 300 K, an absorbance edge and an integrating-sphere measurement.

Two samples, "SQDs (synthetic)" and "SQDs-T (synthetic)", shaped on the
values reported for CsPbI3 quantum dots before and after surface cleaning and
ligand exchange by Ren et al., "Strongly-Confined CsPbI3 Quantum Dots by
Surface Cleaning-Induced Ligand Exchange for Spectrally Stable Pure-Red
Light-Emitting Diodes with Efficiency Exceeding 26%", ACS Materials Lett. 6,
4115 (2024), doi:10.1021/acsmaterialslett.4c00912. Where each value was read
is in :data:`WHERE_READ`; shapes, noise and the values marked illustrative
are invented for the demo. Everything here is synthetic and labelled so.

The simulators are also the forward models of the recovery tests: the decay
is the closed-form convolution of a Gaussian IRF with exponentials (the
exponentially modified Gaussian, integrated over each channel), which shares
no code with the fit in :mod:`core.photophysics.trpl`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfc, erfcx

from core.models import SpectralSeries
from core.photophysics.models import AbsorbanceSpectrum, DecayCurve, SphereMeasurement
from core.photophysics.tdpl import HC_EV_NM, K_B_MEV_PER_K

__all__ = [
    "DOI",
    "SOURCE",
    "SAMPLES",
    "SEED_VALUES",
    "DEMO_TEMPERATURES_K",
    "WHERE_READ",
    "exponential_gaussian",
    "simulate_decay",
    "simulate_irf",
    "simulate_tdpl",
    "simulate_absorbance",
    "simulate_sphere",
    "demo_decay",
    "demo_tdpl",
    "demo_absorbance",
    "demo_sphere",
]

DOI = "10.1021/acsmaterialslett.4c00912"
SOURCE = f"synthetic demo data shaped on Ren et al., ACS Mater. Lett. 2024, doi:{DOI}"
SAMPLES = ("SQDs (synthetic)", "SQDs-T (synthetic)")

#: Values the demo is shaped on, per sample.
SEED_VALUES: dict[str, dict[str, float]] = {
    SAMPLES[0]: {
        "tau_ns": 12.6,
        "binding_energy_mev": 151.0,
        "plqy": 0.78,
        "peak_nm": 644.0,
        "fwhm_nm": 35.0,
        "exciton_nm": 631.0,
        "urbach_energy_mev": 30.0,
    },
    SAMPLES[1]: {
        "tau_ns": 15.3,
        "binding_energy_mev": 108.0,
        "plqy": 0.99,
        "peak_nm": 635.0,
        "fwhm_nm": 31.0,
        "exciton_nm": 627.0,
        "urbach_energy_mev": 24.0,
    },
}

#: Where in Ren et al. (2024) each value was read.
WHERE_READ = {
    "tau_ns": "main text and Table S2 (nearly single-exponential TRPL, Figure 2c)",
    "binding_energy_mev": "main text and Figure 3j–l (I(T) from 80 to 220 K)",
    "plqy": "main text (Figure 1e and 1i)",
    "peak_nm": "main text (PL peaks, Figure 1e and 1i)",
    "fwhm_nm": "main text (PL FWHM, Figure 1e and 1i)",
    "exciton_nm": "main text: bleach and absorption peak at 627 nm for SQDs-H "
    "and SQDs-T; 631 nm for SQDs is illustrative (a slight red shift)",
    "urbach_energy_mev": "illustrative: the values of Figure S12 are not given in "
    "the text",
}

_SEED = 20241017
#: Temperatures of the demo series: 80 to 300 K every 10 K. [K]
DEMO_TEMPERATURES_K = np.arange(80.0, 301.0, 10.0)
_LASER_NM = 405.0


def exponential_gaussian(time_ns, tau_ns: float, center_ns: float, fwhm_ns: float):
    """
    A unit-area Gaussian IRF convolved with exp(−t/τ) (closed form, stable).

    ½ exp(σ²/2τ² − u/τ) erfc((σ/τ − u/σ)/√2), u = t − t₀, written with erfcx
    where the exponential would overflow.
    """
    sigma = fwhm_ns / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    u = np.asarray(time_ns, dtype=float) - center_ns
    z = (sigma / tau_ns - u / sigma) / np.sqrt(2.0)
    out = np.empty_like(u)
    positive = z >= 0
    out[positive] = (
        0.5 * np.exp(-(u[positive] ** 2) / (2 * sigma**2)) * erfcx(z[positive])
    )
    negative = ~positive
    out[negative] = (
        0.5
        * np.exp(sigma**2 / (2 * tau_ns**2) - u[negative] / tau_ns)
        * erfc(z[negative])
    )
    return out


def _channel_mean(function, time_ns: np.ndarray, step_ns: float, sub: int = 16):
    """The mean of ``function`` over each channel [t, t + Δ)."""
    offsets = (np.arange(sub) + 0.5) / sub * step_ns
    return function(time_ns[:, None] + offsets[None, :]).mean(axis=1)


def simulate_decay(
    rng,
    *,
    tau_ns=(15.0,),
    fractions=(1.0,),
    irf_fwhm_ns: float = 0.5,
    center_ns: float = 5.0,
    step_ns: float = 0.05,
    n_channels: int = 2048,
    peak_counts: float = 1e4,
    background: float = 5.0,
    label: str = "synthetic decay",
) -> DecayCurve:
    """
    A TCSPC decay: Poisson counts of Σ fᵢ exp(−t/τᵢ) ⊛ Gaussian IRF + background.

    ``fractions`` are amplitude fractions; the noise-free peak above the
    background is ``peak_counts``.
    """
    time = np.arange(n_channels) * step_ns
    shape = sum(
        f
        * _channel_mean(
            lambda t, tau=tau: exponential_gaussian(t, tau, center_ns, irf_fwhm_ns),
            time,
            step_ns,
        )
        for tau, f in zip(tau_ns, fractions, strict=True)
    )
    mean = peak_counts * shape / np.max(shape) + background
    return DecayCurve(time, rng.poisson(mean), label=label, source=SOURCE)


def simulate_irf(
    rng,
    *,
    irf_fwhm_ns: float = 0.5,
    center_ns: float = 5.0,
    step_ns: float = 0.05,
    n_channels: int = 2048,
    peak_counts: float = 1e4,
    background: float = 2.0,
    label: str = "IRF (synthetic)",
) -> DecayCurve:
    """A Gaussian instrument response with Poisson counts."""
    time = np.arange(n_channels) * step_ns
    sigma = irf_fwhm_ns / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    shape = _channel_mean(
        lambda t: np.exp(-0.5 * ((t - center_ns) / sigma) ** 2), time, step_ns
    )
    mean = peak_counts * shape / shape.max() + background
    return DecayCurve(time, rng.poisson(mean), label=label, source=SOURCE)


def simulate_tdpl(
    rng,
    *,
    temperatures_k=None,
    binding_energy_mev: float = 120.0,
    quenched_fraction_300k: float = 0.15,
    peak_nm_300k: float = 640.0,
    fwhm_nm_300k: float = 33.0,
    scatter: float = 0.01,
    pixel_noise: float = 2e-3,
    label: str = "temperature series (synthetic)",
) -> SpectralSeries:
    """
    PL spectra whose areas follow I₀/(1 + A e^(−E_B/k_BT)) with a relative
    ``scatter``; the prefactor A makes I(300 K)/I₀ = ``quenched_fraction_300k``.
    Peaks shift 0.03 nm/K to the red on cooling and widths follow
    Γ₀ + Γ_LO/(e^(E_LO/k_BT) − 1) with E_LO = 18 meV.
    """
    if temperatures_k is None:
        temperatures_k = DEMO_TEMPERATURES_K
    t = np.asarray(temperatures_k, dtype=float)
    prefactor = (1.0 / quenched_fraction_300k - 1.0) * np.exp(
        binding_energy_mev / (K_B_MEV_PER_K * 300.0)
    )
    area = 1.0 / (1.0 + prefactor * np.exp(-binding_energy_mev / (K_B_MEV_PER_K * t)))
    area *= 1.0 + scatter * rng.standard_normal(t.size)
    peak = peak_nm_300k + 0.03 * (300.0 - t)
    gamma_300 = 1e3 * HC_EV_NM * fwhm_nm_300k / peak_nm_300k**2
    occupation = 1.0 / np.expm1(18.0 / (K_B_MEV_PER_K * t))
    occupation_300 = 1.0 / np.expm1(18.0 / (K_B_MEV_PER_K * 300.0))
    gamma = 0.6 * gamma_300 + 0.4 * gamma_300 * occupation / occupation_300
    fwhm_nm = gamma * 1e-3 * peak**2 / HC_EV_NM
    wavelength = np.linspace(520.0, 780.0, 521)
    sigma = fwhm_nm / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    lines = np.exp(-0.5 * ((wavelength[None, :] - peak[:, None]) / sigma[:, None]) ** 2)
    lines *= (area / (sigma * np.sqrt(2 * np.pi)))[:, None]
    noise = pixel_noise * lines.max() * rng.standard_normal(lines.shape)
    return SpectralSeries(
        wavelength_nm=wavelength,
        intensity=1e5 * (lines + noise),
        axis=t,
        axis_name="temperature",
        axis_unit="K",
        label=label,
        source=SOURCE,
    )


def simulate_absorbance(
    rng,
    *,
    exciton_nm: float = 627.0,
    urbach_energy_mev: float = 25.0,
    exciton_width_ev: float = 0.04,
    peak_absorbance: float = 0.5,
    noise: float = 1e-3,
    label: str = "absorbance (synthetic)",
) -> AbsorbanceSpectrum:
    """
    An excitonic Gaussian whose low-energy side turns, where its log-slope
    equals 1/E_U, into an exact Urbach tail A ∝ exp(E/E_U) (value and slope
    continuous), plus a broadened continuum 0.2 eV above the exciton.
    """
    wavelength = np.arange(450.0, 800.01, 0.5)
    e = HC_EV_NM / wavelength
    e_x = HC_EV_NM / exciton_nm
    e_u = urbach_energy_mev / 1e3
    joint = e_x - exciton_width_ev**2 / e_u
    gauss = np.exp(-((e - e_x) ** 2) / (2 * exciton_width_ev**2))
    at_joint = np.exp(-((joint - e_x) ** 2) / (2 * exciton_width_ev**2))
    tail = at_joint * np.exp((e - joint) / e_u)
    exciton = np.where(e >= joint, gauss, tail)
    continuum = 0.8 * 0.5 * erfc(-(e - e_x - 0.2) / (0.05 * np.sqrt(2)))
    absorbance = peak_absorbance * (exciton + continuum)
    absorbance = absorbance + noise * rng.standard_normal(e.size)
    return AbsorbanceSpectrum(wavelength, absorbance, label=label, source=SOURCE)


def simulate_sphere(
    rng,
    *,
    plqy: float = 0.9,
    absorptance: float = 0.35,
    indirect: float = 0.1,
    peak_nm: float = 640.0,
    fwhm_nm: float = 33.0,
    laser_counts: float = 1e6,
    noise: float = 30.0,
    label: str = "sphere (synthetic)",
) -> SphereMeasurement:
    """
    Spectra A, B, C of de Mello's method: L_B = (1 − μ) L_A, P_B = η μ L_A,
    L_C = (1 − A) L_B, P_C = (1 − A) P_B + η A L_A (μ = ``indirect``), with
    Gaussian noise of ``noise`` counts per pixel.
    """
    wavelength = np.arange(350.0, 800.01, 0.5)
    laser = np.exp(-0.5 * ((wavelength - _LASER_NM) / (2.0 / 2.3548)) ** 2)
    laser *= laser_counts / np.trapezoid(laser, wavelength)
    emission = np.exp(-0.5 * ((wavelength - peak_nm) / (fwhm_nm / 2.3548)) ** 2)
    emission /= np.trapezoid(emission, wavelength)
    total = laser_counts
    empty = laser
    out_of_beam = (1 - indirect) * laser + plqy * indirect * total * emission
    in_beam = (1 - absorptance) * out_of_beam + plqy * absorptance * total * emission

    def noisy(values):
        return values + noise * rng.standard_normal(values.size)

    return SphereMeasurement(
        wavelength_nm=wavelength,
        empty=noisy(empty),
        in_beam=noisy(in_beam),
        out_of_beam=noisy(out_of_beam),
        label=label,
        source=SOURCE,
    )


def _rng(sample: str, offset: int) -> np.random.Generator:
    return np.random.default_rng(_SEED + 100 * SAMPLES.index(sample) + offset)


def _check(sample: str) -> dict[str, float]:
    if sample not in SEED_VALUES:
        raise KeyError(f"unknown demo sample {sample!r}; choose one of {SAMPLES}")
    return SEED_VALUES[sample]


def demo_decay(sample: str) -> tuple[DecayCurve, DecayCurve]:
    """(decay, IRF) of a demo sample: τ as reported, 10⁴ peak counts, 0.5 ns IRF."""
    values = _check(sample)
    rng = _rng(sample, 1)
    decay = simulate_decay(rng, tau_ns=(values["tau_ns"],), label=sample)
    irf = simulate_irf(rng, label=f"IRF of {sample}")
    return decay, irf


def demo_tdpl(sample: str) -> SpectralSeries:
    """PL spectra of a demo sample from 80 to 300 K every 10 K."""
    values = _check(sample)
    return simulate_tdpl(
        _rng(sample, 2),
        binding_energy_mev=values["binding_energy_mev"],
        peak_nm_300k=values["peak_nm"],
        fwhm_nm_300k=values["fwhm_nm"],
        label=sample,
    )


def demo_absorbance(sample: str) -> AbsorbanceSpectrum:
    """Absorbance edge of a demo sample."""
    values = _check(sample)
    return simulate_absorbance(
        _rng(sample, 3),
        exciton_nm=values["exciton_nm"],
        urbach_energy_mev=values["urbach_energy_mev"],
        label=sample,
    )


def demo_sphere(sample: str) -> SphereMeasurement:
    """Integrating-sphere spectra of a demo sample (405 nm excitation)."""
    values = _check(sample)
    return simulate_sphere(
        _rng(sample, 4),
        plqy=values["plqy"],
        peak_nm=values["peak_nm"],
        fwhm_nm=values["fwhm_nm"],
        label=sample,
    )
