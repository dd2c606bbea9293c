"""
Recovery and coverage of the photophysics fits over many synthetic datasets
(issue 17's Done-when figures; quoted in docs/methods.md, "Photophysics").

For each quantity: the worst |error| over the runs, the mean error (bias), the
spread of the estimates against the mean reported 1σ, the coverage (the
fraction of runs whose |estimate − truth| ≤ reported 1σ, nominal 68.3 %) and
the fraction of runs within the Done-when tolerance (τ 2 %, E_B 5 meV, E_U
1 meV, PLQY 1 % absolute).

- TRPL: one exponential, τ = 15 ns, 10⁴ peak counts, Gaussian IRF of 0.5 ns
  FWHM measured with 10⁴ peak counts, 0.05 ns channels, 2048 channels,
  background 5 counts/channel; reconvolution fit (and the tail fit).
- E_B: PL spectra at 80–300 K every 10 K, E_B drawn in 100–150 meV, areas
  with 1 % scatter and pixel noise (simulate_tdpl).
- Urbach: E_U drawn in 20–40 meV, absorbance noise 1e-3 on a 0.5 peak.
- PLQY: η drawn in 0.5–1.0, absorptance 0.35, 30 counts of noise per pixel on
  a 10⁶-count laser (simulate_sphere).

    .venv/bin/python benchmarks/bench_photophysics_recovery.py [--runs 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.demo.photophysics import (  # noqa: E402
    simulate_absorbance,
    simulate_decay,
    simulate_irf,
    simulate_sphere,
    simulate_tdpl,
)
from core.photophysics import (  # noqa: E402
    absorption_analysis,
    fit_decay,
    plqy_de_mello,
    tdpl_analysis,
)


def trpl_run(rng, tail: bool = False):
    decay = simulate_decay(rng, tau_ns=(15.0,))
    irf = simulate_irf(rng)
    fit = fit_decay(decay) if tail else fit_decay(decay, irf=irf)
    return 15.0, fit.tau_ns[0], fit.tau_stderr_ns[0]


def tdpl_run(rng):
    truth = rng.uniform(100.0, 150.0)
    fit = tdpl_analysis(simulate_tdpl(rng, binding_energy_mev=truth)).arrhenius
    return truth, fit.binding_energy_mev, fit.binding_energy_stderr_mev


def urbach_run(rng):
    truth = rng.uniform(20.0, 40.0)
    urbach = absorption_analysis(
        simulate_absorbance(rng, urbach_energy_mev=truth)
    ).urbach
    return truth, urbach.urbach_energy_mev, urbach.urbach_energy_stderr_mev


def plqy_run(rng):
    truth = rng.uniform(0.5, 1.0)
    result = plqy_de_mello(simulate_sphere(rng, plqy=truth))
    return truth, result.plqy, result.plqy_stderr


# Case -> (one run, scale to the unit shown, Done-when tolerance in that unit
# or, for τ, as a fraction of the truth).
CASES = {
    "tau, reconvolution [ns]": (trpl_run, 1.0, 0.02),
    "tau, tail fit [ns]": (lambda rng: trpl_run(rng, tail=True), 1.0, 0.02),
    "E_B [meV]": (tdpl_run, 1.0, 5.0),
    "E_U [meV]": (urbach_run, 1.0, 1.0),
    "PLQY [% absolute]": (plqy_run, 100.0, 1.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    print(f"{args.runs} runs per case, seed {args.seed}")
    header = (
        "case",
        "max|err|",
        "bias",
        "sd",
        "mean 1σ",
        "coverage",
        "in tol",
        "s/run",
    )
    print("{:<26}{:>10}{:>10}{:>10}{:>10}{:>10}{:>8}{:>8}".format(*header))
    for name, (run, scale, tolerance) in CASES.items():
        rng = np.random.default_rng(args.seed)
        start = time.perf_counter()
        rows = np.array([run(rng) for _ in range(args.runs)])
        seconds = (time.perf_counter() - start) / args.runs
        truth, value, sigma = rows.T
        error = (value - truth) * scale
        coverage = np.mean(np.abs(value - truth) <= sigma)
        relative = np.abs(value - truth) / truth
        within = (
            relative <= tolerance
            if name.startswith("tau")
            else (np.abs(error) <= tolerance)
        )
        print(
            f"{name:<26}{np.abs(error).max():>10.4f}{error.mean():>10.4f}"
            f"{error.std():>10.4f}{sigma.mean() * scale:>10.4f}"
            f"{100 * coverage:>9.1f}%{100 * within.mean():>7.1f}%{seconds:>8.3f}"
        )
        if name.startswith("tau"):
            print(f"{'':<26}max relative error {100 * relative.max():.3f} %")


if __name__ == "__main__":
    main()
