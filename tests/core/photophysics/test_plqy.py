"""
core.photophysics.plqy: de Mello's three-measurement and the two-measurement
PLQY on synthetic sphere spectra (core.demo.photophysics.simulate_sphere, built
from the definitions L_B = (1 − μ)L_A, P_B = ημL_A, L_C = (1 − A)L_B,
P_C = (1 − A)P_B + ηAL_A), the closed forms, and the errors.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.demo.photophysics import simulate_sphere
from core.errors import InputError
from core.photophysics import SphereMeasurement, plqy_de_mello, plqy_entered
from core.photophysics.plqy import auto_ranges


@pytest.mark.parametrize("plqy", [0.3, 0.78, 0.99])
def test_three_measurement_plqy_within_1_percent_absolute(plqy):
    # The Done-when case.
    for seed in range(5):
        sphere = simulate_sphere(np.random.default_rng(seed), plqy=plqy)
        result = plqy_de_mello(sphere)
        assert abs(result.plqy - plqy) < 0.01
        assert abs(result.plqy - plqy) < 4 * result.plqy_stderr
        assert result.absorptance == pytest.approx(0.35, abs=0.005)
        assert result.method.startswith("three-measurement")


def test_noise_free_spectra_give_the_exact_values():
    sphere = simulate_sphere(
        np.random.default_rng(0), plqy=0.6, absorptance=0.4, indirect=0.2, noise=0.0
    )
    result = plqy_de_mello(sphere)
    assert result.plqy == pytest.approx(0.6, abs=2e-4)  # ranges hold ≥ 99.98 %
    assert result.absorptance == pytest.approx(0.4, abs=1e-6)
    assert result.ranges_auto


def test_two_measurement_form_without_the_out_of_beam_spectrum():
    # Without indirect excitation (μ = 0), η = P_C / (L_A − L_C) exactly.
    sphere = simulate_sphere(np.random.default_rng(1), plqy=0.78, indirect=0.0)
    two = SphereMeasurement(sphere.wavelength_nm, sphere.empty, sphere.in_beam)
    result = plqy_de_mello(two)
    assert result.method == "two-measurement"
    assert abs(result.plqy - 0.78) < 0.01


def test_coverage_of_the_stderr_fast_version():
    z = []
    for seed in range(60):
        rng = np.random.default_rng(100 + seed)
        truth = rng.uniform(0.5, 1.0)
        result = plqy_de_mello(simulate_sphere(rng, plqy=truth))
        z.append((result.plqy - truth) / result.plqy_stderr)
    assert 0.5 <= np.mean(np.abs(z) < 1) <= 0.86


def test_ranges_are_chosen_around_laser_and_emission_and_can_be_given():
    sphere = simulate_sphere(np.random.default_rng(2), peak_nm=640.0, fwhm_nm=33.0)
    laser, emission = auto_ranges(sphere)
    assert laser[0] < 405.0 < laser[1] and laser[1] - laser[0] < 15
    assert emission[0] < 640 - 33 and emission[1] > 640 + 33
    given = plqy_de_mello(
        sphere, laser_range_nm=(395, 415), emission_range_nm=(560, 720)
    )
    assert not given.ranges_auto
    assert given.laser_range_nm == (395.0, 415.0)
    assert abs(given.plqy - 0.9) < 0.01
    assert given.range_sensitivity < 0.01


def test_entered_by_hand():
    result = plqy_entered(99.0, 1.0, label="SQDs-T")
    assert result.plqy == 0.99 and result.plqy_percent == 99.0
    assert result.method == "entered by hand"
    assert result.summary()["plqy_stderr_percent"] == 1.0
    with pytest.raises(InputError, match="between 0 and 100"):
        plqy_entered(130.0)


def test_errors():
    sphere = simulate_sphere(np.random.default_rng(3))
    with pytest.raises(InputError, match="overlap"):
        plqy_de_mello(sphere, laser_range_nm=(395, 650), emission_range_nm=(600, 700))
    swapped = SphereMeasurement(
        sphere.wavelength_nm, sphere.in_beam, sphere.empty, sphere.out_of_beam
    )
    with pytest.raises(InputError, match="the laser is not absorbed"):
        plqy_de_mello(swapped)
