"""Tests for core.efficiency.formulas: EQE, spectral factor, CE, PE (closed forms)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from efficiency_sweeps import GRID_NM, gaussian
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import constants

from core.colorimetry import photopic_on_grid
from core.efficiency import (
    LUMINOUS_EFFICACY_MAX_LM_W,
    current_efficiency_cd_a,
    eqe_percent,
    eqe_percent_per_cd_a,
    power_efficiency_lm_w,
)


def test_worked_example_638_32_nm():
    """docs/methods.md §3 (measured): 638/32 nm, 1000 cd/m², 10 mA/cm², 3.0 V."""
    spectrum = gaussian(638.0, 32.0)
    assert float(current_efficiency_cd_a(1000.0, 10.0)) == pytest.approx(
        10.00, abs=5e-3
    )
    assert float(power_efficiency_lm_w(1000.0, 10.0, 3.0)) == pytest.approx(
        10.47, abs=5e-3
    )
    # Stated to 3 decimals: 11.196 %; tolerance half a unit of the last digit.
    assert float(eqe_percent(GRID_NM, spectrum, 1000.0, 10.0)) == pytest.approx(
        11.196, abs=5e-4
    )
    assert float(eqe_percent_per_cd_a(GRID_NM, spectrum)) == pytest.approx(
        1.1196, abs=5e-5
    )


def test_monochromatic_555_nm_closed_form():
    """At 555 nm V = 1: EQE = 100 π q λ CE / (Km h c); 20 % ≙ 97.1 cd/A."""
    grid = np.arange(554.0, 556.0, 0.001)
    line = gaussian(555.0, 0.05, grid)
    factor = float(eqe_percent_per_cd_a(grid, line))
    closed = 100 * math.pi * constants.e * 555e-9 / (683 * constants.h * constants.c)
    # V(λ) is linearly interpolated from the 1 nm table and peaks at 555 nm:
    # across the ±0.05 nm line its mean is 3e-5 below 1, hence rel=1e-4.
    assert factor == pytest.approx(closed, rel=1e-4)
    assert 20.0 / factor == pytest.approx(97.1, abs=0.05)


def test_peak_v_lambda_overstates_red_eqe_by_10_6_percent():
    """docs/methods.md §3 (measured): V(λ_peak) instead of ∫ gives +10.6 % at 638/32."""
    integrated = float(eqe_percent_per_cd_a(GRID_NM, gaussian(638.0, 32.0)))
    at_peak = (
        100
        * math.pi
        * constants.e
        * 638e-9
        / (683 * constants.h * constants.c * float(photopic_on_grid([638.0])[0]))
    )
    assert at_peak / integrated - 1 == pytest.approx(0.106, abs=5e-4)


def test_eqe_vectorised_over_spectra_and_points():
    spectra = np.stack([gaussian(638.0, 32.0), 5.0 * gaussian(638.0, 32.0)])
    eqe = eqe_percent(GRID_NM, spectra, [1000.0, 500.0], [10.0, 5.0])
    np.testing.assert_allclose(eqe, [11.196, 11.196], atol=5e-4)  # scale-free
    one = eqe_percent(GRID_NM, gaussian(638.0, 32.0), [100.0, 1.0, 5.0], [1, 0, -1])
    assert one[0] == pytest.approx(11.196, abs=5e-4)
    assert np.isnan(one[1]) and np.isnan(one[2])  # J ≤ 0: not defined


def test_spectrum_outside_v_lambda_gives_nan():
    grid = np.arange(900.0, 1000.0, 1.0)
    assert np.isnan(eqe_percent_per_cd_a(grid, gaussian(950.0, 20.0, grid)))


@settings(max_examples=30, deadline=None)
@given(
    peak=st.floats(600.0, 680.0),
    fwhm=st.floats(10.0, 60.0),
    scale=st.floats(1e-3, 1e6),
    luminance=st.floats(1.0, 1e5),
    current=st.floats(1e-3, 1e3),
)
def test_eqe_linear_in_l_over_j_and_scale_free(peak, fwhm, scale, luminance, current):
    spectrum = gaussian(peak, fwhm)
    base = float(eqe_percent(GRID_NM, spectrum, luminance, current))
    scaled = float(eqe_percent(GRID_NM, scale * spectrum, 2 * luminance, current))
    assert scaled == pytest.approx(2 * base, rel=1e-9)


def test_km_is_colour_sciences_maximum_luminous_efficacy():
    from colour.constants import CONSTANT_K_M

    assert LUMINOUS_EFFICACY_MAX_LM_W == CONSTANT_K_M == 683


def test_efficiencies_are_nan_where_not_defined():
    # CE = L / J with J in A/m² (1 mA/cm² = 10 A/m²); PE = π CE / V.
    ce = current_efficiency_cd_a([500.0, 500.0, 500.0], [2.0, 0.0, -1.0])
    assert ce[0] == 25.0 and np.isnan(ce[1:]).all()
    pe = power_efficiency_lm_w([500.0, 500.0], [2.0, 2.0], [2.5, 0.0])
    assert pe[0] == pytest.approx(math.pi * 25.0 / 2.5, rel=1e-15)
    assert np.isnan(pe[1])
