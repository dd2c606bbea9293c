"""core.lifetime.models: decay functions, their inverses and Jacobians."""

from __future__ import annotations

import numpy as np
import pytest

from core.lifetime import (
    DECAY_MODELS,
    exponential,
    stretched_exponential,
    stretched_exponential_time_h,
)


@pytest.mark.parametrize(
    "method", ["stretched-exponential", "biexponential", "exponential"]
)
def test_analytic_jacobians_match_finite_differences(method):
    model = DECAY_MODELS[method]
    params = {
        "stretched-exponential": (0.98, 7.0, 0.7),
        "biexponential": (0.3, 1.2, 0.7, 15.0),
        "exponential": (1.01, 4.0),
    }[method]
    t = np.linspace(0.0, 30.0, 301)
    analytic = model.jacobian(t, *params)
    numeric = np.empty_like(analytic)
    for k in range(len(params)):
        step = 1e-6 * params[k]
        up = list(params)
        down = list(params)
        up[k] += step
        down[k] -= step
        numeric[:, k] = (model.function(t, *up) - model.function(t, *down)) / (2 * step)
    # Central differences: error O(step²) ≈ 1e-10 of the values.
    np.testing.assert_allclose(analytic, numeric, atol=1e-7)


@pytest.mark.parametrize(
    ("tau", "beta", "amplitude"), [(100.0, 0.6, 1.0), (3.0, 1.4, 0.9)]
)
def test_stretched_exponential_time_is_the_inverse_of_the_decay(tau, beta, amplitude):
    # T_x = τ (−ln(x/A))^(1/β) (Williams & Watts 1970), evaluated back.
    fractions = np.array([0.85, 0.8, 0.5, 0.1])  # below A
    times = stretched_exponential_time_h(fractions, tau, beta, amplitude)
    back = stretched_exponential(times, tau, beta, amplitude)
    np.testing.assert_allclose(back, fractions, rtol=1e-12)
    # Already below at t = 0: zero time, not NaN.
    assert stretched_exponential_time_h(0.95, tau, beta, 0.9) == 0.0  # x ≥ A


def test_exponential_is_the_beta_one_stretched_exponential():
    t = np.linspace(0.0, 50.0, 11)
    np.testing.assert_allclose(
        exponential(t, 7.0, 0.8), 0.8 * np.exp(-t / 7.0), rtol=1e-15
    )
    np.testing.assert_array_equal(
        exponential(t, 7.0), stretched_exponential(t, 7.0, 1.0)
    )
