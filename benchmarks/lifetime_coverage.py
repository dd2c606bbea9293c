"""
Benchmark: does the reported T50 uncertainty cover the true T50 as often as 1σ
should (68 %)?

Repeat simulation of a lifetime test: a stretched-exponential decay
ℓ = exp(−(t/τ)^β) (τ = 100 h, β = 0.6 by default), 600 readings evenly spaced
up to the time the noise-free curve reaches the stop level, 1 % relative
Gaussian noise on every reading (the first one, L0, included). For each run
:func:`core.lifetime.lifetime_metrics` gives T50 and its 1σ; the run "covers"
when |T50 − T50_true| ≤ 1σ.

* extrapolated: stopped at ℓ uniform in 0.60–0.80 (T50 from the model;
  ``report_beyond_cap=True`` so that runs past 6x the test keep their value);
* measured: stopped at ℓ uniform in 0.30–0.45 (T50 read on the curve).

Prints one line per case and writes benchmarks/output/lifetime_coverage.json.

    .venv/bin/python benchmarks/lifetime_coverage.py [--runs 200] [--seed 12]
        [--tau 100] [--beta 0.6] [--l0-from-model]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.lifetime import (  # noqa: E402
    lifetime_metrics,
    stretched_exponential,
    stretched_exponential_time_h,
)
from core.models import LifetimeLog  # noqa: E402

OUTPUT = ROOT / "benchmarks" / "output"

#: Stop levels (ℓ at the end of the test) of each case.
STOPS = {"extrapolated": (0.60, 0.80), "measured": (0.30, 0.45)}


def simulate(
    case: str,
    runs: int,
    *,
    seed: int = 12,
    tau_h: float = 100.0,
    beta: float = 0.6,
    noise: float = 0.01,
    readings: int = 600,
    l0_from_model: bool = False,
) -> dict:
    """
    Coverage of the reported 1σ of T50 over ``runs`` simulated tests.

    Returns
    -------
    dict
        ``case``, ``runs``, ``coverage`` (fraction of runs within 1σ),
        ``kinds`` (T50 kinds seen), ``bias_h``, ``spread_h`` (SD of T50 over
        the runs), ``median_sigma_h``, ``z_sd`` (SD of (T50 − true)/σ) and the
        median of each uncertainty part.
    """
    rng = np.random.default_rng(seed)
    true = float(stretched_exponential_time_h(0.5, tau_h, beta))
    low, high = STOPS[case]
    values, sigmas, kinds, parts = [], [], [], []
    for _ in range(runs):
        stop = rng.uniform(low, high)
        end = float(stretched_exponential_time_h(stop, tau_h, beta))
        t = np.linspace(0.0, end, readings)
        clean = 100.0 * stretched_exponential(t, tau_h, beta)
        log = LifetimeLog(t, clean * (1 + noise * rng.standard_normal(t.size)))
        result = lifetime_metrics(
            log, l0_from_model=l0_from_model, report_beyond_cap=True
        )
        t50 = result.threshold(0.5)
        value = t50.time_h if np.isfinite(t50.time_h) else t50.beyond_cap_h
        values.append(value)
        sigmas.append(t50.uncertainty_h)
        kinds.append(t50.kind)
        parts.append(dict(t50.uncertainty_parts_h))
    v, s = np.array(values), np.array(sigmas)
    z = (v - true) / s
    names = sorted({k for p in parts for k in p})
    return {
        "case": case,
        "runs": runs,
        "stop_levels": [low, high],
        "tau_h": tau_h,
        "beta": beta,
        "noise": noise,
        "l0_from_model": l0_from_model,
        "true_t50_h": true,
        "coverage": float(np.mean(np.abs(v - true) <= s)),
        "kinds": {k: kinds.count(k) for k in sorted(set(kinds))},
        "bias_h": float(np.mean(v) - true),
        "spread_h": float(np.std(v, ddof=1)),
        "median_sigma_h": float(np.median(s)),
        "z_sd": float(np.std(z, ddof=1)),
        "median_parts_h": {
            k: float(np.median([p.get(k, np.nan) for p in parts])) for k in names
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--tau", type=float, default=100.0)
    parser.add_argument("--beta", type=float, default=0.6)
    parser.add_argument("--l0-from-model", action="store_true")
    args = parser.parse_args(argv)
    out = []
    for case in STOPS:
        start = time.perf_counter()
        row = simulate(
            case,
            args.runs,
            seed=args.seed,
            tau_h=args.tau,
            beta=args.beta,
            l0_from_model=args.l0_from_model,
        )
        row["seconds"] = round(time.perf_counter() - start, 1)
        out.append(row)
        parts = ", ".join(f"{k} {v:.3g}" for k, v in row["median_parts_h"].items())
        print(
            f"{case:>12}: coverage {row['coverage'] * 100:.1f} % of {row['runs']} "
            f"runs (T50 true {row['true_t50_h']:.2f} h, bias {row['bias_h']:+.3f} h, "
            f"spread {row['spread_h']:.3f} h, median 1σ {row['median_sigma_h']:.3f} "
            f"h [{parts}], SD of z {row['z_sd']:.2f}, kinds {row['kinds']}, "
            f"{row['seconds']} s)"
        )
    OUTPUT.mkdir(exist_ok=True)
    suffix = "_l0_model" if args.l0_from_model else ""
    path = OUTPUT / f"lifetime_coverage_beta{args.beta:g}{suffix}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
