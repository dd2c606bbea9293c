"""core.colorimetry against colour-science's own implementation and test values."""

from __future__ import annotations

import colour
import numpy as np
import pytest
from support import XY_TOLERANCE, gaussian

from core import colorimetry

OBSERVER = "CIE 1931 2 Degree Standard Observer"


def colour_xy(wavelength_nm, values):
    """xy through colour-science's sd_to_XYZ (illuminant E by default)."""
    sd = colour.SpectralDistribution(dict(zip(wavelength_nm, values, strict=True)))
    XYZ = colour.sd_to_XYZ(sd, colour.MSDS_CMFS[OBSERVER])
    return colour.XYZ_to_xy(XYZ)


@pytest.mark.parametrize("peak, fwhm", [(520, 30), (630, 32), (638, 20), (650, 40)])
def test_xy_matches_colour_sd_to_XYZ(peak, fwhm):
    wavelength = np.arange(360.0, 831.0, 1.0)
    line = gaussian(wavelength, peak, fwhm)
    mine = colorimetry.xy_from_XYZ(colorimetry.tristimulus(wavelength, line))[0]
    np.testing.assert_allclose(mine, colour_xy(wavelength, line), atol=XY_TOLERANCE)


def test_xy_on_non_uniform_ccd_grid_matches_colour_on_uniform_grid():
    # A CCD grid with a quadratic dispersion (0.3 to 0.5 nm per pixel).
    pixel = np.arange(1200)
    ccd = 380 + 0.3 * pixel + 0.2 * pixel**2 / 1200
    uniform = np.arange(380.0, 781.0, 1.0)
    mine = colorimetry.xy_from_XYZ(
        colorimetry.tristimulus(ccd, gaussian(ccd, 638, 32))
    )[0]
    ref = colour_xy(uniform, gaussian(uniform, 638, 32))
    np.testing.assert_allclose(mine, ref, atol=XY_TOLERANCE)


@pytest.mark.parametrize(
    "peak, fwhm, xy",
    # docs/methods.md §1 reference table (Gaussian in wavelength, illuminant E).
    [
        (630, 32, (0.6939, 0.3060)),
        (635, 32, (0.7015, 0.2984)),
        (638, 32, (0.7054, 0.2945)),
        (638, 20, (0.7127, 0.2872)),
        (650, 32, (0.7174, 0.2825)),
    ],
)
def test_reference_table_of_red_gaussians(peak, fwhm, xy):
    wavelength = np.arange(380.0, 781.0, 0.5)
    XYZ = colorimetry.tristimulus(wavelength, gaussian(wavelength, peak, fwhm))
    np.testing.assert_allclose(colorimetry.xy_from_XYZ(XYZ)[0], xy, atol=6e-5)


def test_uv_prime_matches_colour():
    wavelength = np.arange(380.0, 781.0, 1.0)
    XYZ = colorimetry.tristimulus(wavelength, gaussian(wavelength, 638, 32))
    uv = colorimetry.uv_prime_from_XYZ(XYZ)[0]
    np.testing.assert_allclose(uv, (0.5508, 0.5174), atol=6e-5)  # docs/methods.md §1
    np.testing.assert_allclose(
        uv, colour.xy_to_Luv_uv(colorimetry.xy_from_XYZ(XYZ)[0]), atol=1e-12
    )


def test_dominant_wavelength_and_purity_colour_test_values():
    # colour-science's own test values (D65 white): λd 616 nm on its 1 nm grid,
    # excitation purity 0.622885671878446.
    xy = np.array([0.54369557, 0.32107944])
    assert colorimetry.dominant_wavelength_nm(xy, "D65") == pytest.approx(616, abs=0.5)
    assert colorimetry.excitation_purity(xy, "D65") == pytest.approx(
        0.622885671878446, abs=1e-5
    )


def test_dominant_wavelength_matches_colour_on_a_0_1_nm_grid():
    cmfs = colour.MSDS_CMFS[OBSERVER].copy().align(colour.SpectralShape(360, 830, 0.1))
    rng = np.random.default_rng(7)
    xy = np.column_stack([rng.uniform(0.1, 0.72, 400), rng.uniform(0.05, 0.8, 400)])
    for white in ("E", "D65"):
        mine = colorimetry.dominant_wavelength_nm(xy, white)
        ref = colour.dominant_wavelength(xy, colorimetry.WHITE_POINTS[white], cmfs)[0]
        spectral = ref > 0  # colour gives negative complementary λ for purples
        assert np.isnan(mine[~spectral]).all()
        # colour snaps to its 0.1 nm grid; ours interpolates between grid points.
        assert np.nanmax(np.abs(mine[spectral] - ref[spectral])) < 0.1
        purity = colorimetry.excitation_purity(xy[spectral], white)
        ref_purity = colour.excitation_purity(
            xy[spectral], colorimetry.WHITE_POINTS[white], cmfs
        )
        np.testing.assert_allclose(purity, ref_purity, atol=1e-3)


def test_dominant_wavelength_of_638_nm_line():
    # docs/methods.md §1: a 638/32 nm Gaussian has λd 628.2 nm on a 0.1 nm grid.
    wavelength = np.arange(380.0, 781.0, 0.5)
    XYZ = colorimetry.tristimulus(wavelength, gaussian(wavelength, 638, 32))
    xy = colorimetry.xy_from_XYZ(XYZ)
    assert colorimetry.dominant_wavelength_nm(xy)[0] == pytest.approx(628.2, abs=0.05)
    # Excitation purity is ≈ 1 for every red line: it says nothing for red.
    assert colorimetry.excitation_purity(xy)[0] == pytest.approx(1.0, abs=1e-3)


def test_bt2020_red_is_the_630_nm_locus_point():
    assert colorimetry.BT2020_RED_XY == pytest.approx((0.708, 0.292))
    assert colorimetry.gamut_primaries_xy("NTSC (1953)")[0] == pytest.approx(
        (0.67, 0.33)
    )


def test_photopic_peak_and_cmf_weights_integrate_y_bar():
    assert colorimetry.photopic_on_grid([555.0])[0] == pytest.approx(1.0)
    wavelength = np.arange(360.0, 831.0, 1.0)
    weights = colorimetry.cmf_weights(wavelength)
    # ∫ ȳ dλ of the CIE 1931 observer is 106.86 nm (colour-science's table).
    y_bar = colour.MSDS_CMFS[OBSERVER].values[:, 1]
    assert weights[:, 1].sum() == pytest.approx(np.trapezoid(y_bar, dx=1.0))


def test_propagated_xy_and_uv_sigma_match_monte_carlo():
    # Independent pixel noise through the CMF weights (and a common offset)
    # to σ of x, y, u', v': against 4000 noisy copies of a 638/32 nm line.
    rng = np.random.default_rng(1)
    wavelength = np.linspace(560.0, 720.0, 400)
    weights = colorimetry.cmf_weights(wavelength)
    line = gaussian(wavelength, 638.0, 32.0)
    sigma = 0.01 + 0.02 * line  # shot-noise-like: larger at the top
    common = 0.003
    noise = rng.normal(0, 1, (4000, wavelength.size)) * sigma
    noisy = line + noise + rng.normal(0, common, (4000, 1))
    XYZ = noisy @ weights
    xy = colorimetry.xy_from_XYZ(XYZ)
    uv = colorimetry.uv_prime_from_XYZ(XYZ)
    cov = colorimetry.tristimulus_covariance(
        (sigma**2)[None, :], weights, np.array([common**2]), weights.sum(0)[None, :]
    )
    sd = colorimetry.chromaticity_sd((line @ weights)[None, :], cov)[0]
    scatter = [xy[:, 0].std(), xy[:, 1].std(), uv[:, 0].std(), uv[:, 1].std()]
    np.testing.assert_allclose(sd, scatter, rtol=0.06)


def test_locus_hull_and_projection():
    # White is inside; the NIR point (0.795, 0.205) is outside; every
    # monochromatic point is on the hull.
    assert colorimetry.inside_spectral_locus([[1 / 3, 1 / 3]]).tolist() == [True]
    assert colorimetry.locus_distance([[0.795, 0.205]])[0] > 0.05
    _, locus = colorimetry.spectral_locus_xy(5.0)
    assert colorimetry.inside_spectral_locus(locus, 1e-6).all()
    # A point just outside the straight red edge lands on it.
    outside = np.array([[0.70, 0.30 + 0.001]])
    moved = colorimetry.onto_spectral_locus(outside)
    assert abs(colorimetry.locus_distance(moved)[0]) < 1e-9
    assert np.hypot(*(moved - outside)[0]) < 1e-3
