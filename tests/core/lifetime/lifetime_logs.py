"""Synthetic lifetime logs shared by the tests of core.lifetime."""

from __future__ import annotations

import numpy as np

from core.lifetime import STANDARD_FRACTIONS, stretched_exponential
from core.models import LifetimeLog

#: Closed forms recovered by the model fit from noise-free data: curve_fit runs
#: with ftol = xtol = 1e-14, so parameters agree to ~1e-9; 1e-6 leaves margin.
CLOSED_FORM_RTOL = 1e-6

#: T95...T50 as an array.
FRACTIONS = np.array(STANDARD_FRACTIONS)


def clean_log(tau_h, beta, t_end_h, n=3001, l0=100.0, **kwargs) -> LifetimeLog:
    """A noise-free stretched-exponential decay from ``l0`` [cd/m²]."""
    t = np.linspace(0.0, t_end_h, n)
    return LifetimeLog(t, l0 * stretched_exponential(t, tau_h, beta), **kwargs)


def noisy_log(tau_h, beta, t, noise, rng, l0=100.0) -> LifetimeLog:
    """The same decay on the times ``t`` with relative Gaussian noise."""
    luminance = l0 * stretched_exponential(t, tau_h, beta)
    return LifetimeLog(t, luminance * (1 + noise * rng.standard_normal(t.size)))
