"""core.figures.photophysics: every chart exports at the exact preset size with
its axis titles, and the frames carry the numbers of the analyses."""

from __future__ import annotations

import numpy as np
import pytest
from figure_readers import assert_exact_export, public_chart_builders

from core.demo import photophysics as demo
from core.figures import photophysics as figures
from core.figures.theme import device_color_scale
from core.photophysics import (
    TAUC_CAVEAT,
    absorption_analysis,
    fit_decay,
    plqy_de_mello,
    tdpl_analysis,
)

NAMES = [
    "decay_chart",
    "arrhenius_chart",
    "linewidth_chart",
    "peak_energy_chart",
    "urbach_chart",
    "tauc_chart",
    "plqy_chart",
]


@pytest.fixture(scope="module")
def results():
    decays, tdpl, absorption = [], [], []
    for sample in demo.SAMPLES:
        curve, irf = demo.demo_decay(sample)
        decays.append((sample, curve, fit_decay(curve, irf=irf)))
        tdpl.append((sample, tdpl_analysis(demo.demo_tdpl(sample), phonon=True)))
        absorption.append(
            (sample, absorption_analysis(demo.demo_absorbance(sample), tauc=True))
        )
    sphere = demo.demo_sphere(demo.SAMPLES[1])
    return decays, tdpl, absorption, (sphere, plqy_de_mello(sphere))


@pytest.fixture(scope="module")
def charts(results) -> dict:
    decays, tdpl, absorption, (sphere, plqy) = results
    scale = device_color_scale(list(demo.SAMPLES))
    lines = figures.linewidth_frame(tdpl)
    return {
        "decay_chart": (
            figures.decay_chart(figures.decay_frame(decays), color_scale=scale),
            ["counts", "time [ns]", "residual [σ]"],
        ),
        "arrhenius_chart": (
            figures.arrhenius_chart(figures.arrhenius_frame(tdpl), color_scale=scale),
            ["1000/T [1/K]", "ln(integrated PL)"],
        ),
        "linewidth_chart": (
            figures.linewidth_chart(lines, color_scale=scale),
            ["temperature [K]", "FWHM [meV]"],
        ),
        "peak_energy_chart": (
            figures.peak_energy_chart(lines, color_scale=scale),
            ["temperature [K]", "PL peak [eV]"],
        ),
        "urbach_chart": (
            figures.urbach_chart(figures.urbach_frame(absorption), color_scale=scale),
            ["photon energy [eV]", "ln(absorbance)"],
        ),
        "tauc_chart": (
            figures.tauc_chart(absorption, color_scale=scale),
            ["photon energy [eV]", "(A·E)² [eV²]"],
        ),
        "plqy_chart": (
            figures.plqy_chart(figures.sphere_frame(sphere, plqy)),
            ["wavelength [nm]", "photon counts [a.u.]"],
        ),
    }


def test_the_list_covers_every_public_chart_builder(charts):
    assert public_chart_builders("photophysics") == set(NAMES) == set(charts)


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(charts, name):
    assert_exact_export(*charts[name])


def test_frames_carry_the_fitted_numbers(results):
    decays, tdpl, absorption, (sphere, plqy) = results
    frame = figures.decay_frame(decays, most=10**6)
    first = frame.loc[frame["sample"] == demo.SAMPLES[0]]
    fit = decays[0][2]
    in_fit = first.dropna(subset=["model_counts"])
    assert np.allclose(in_fit["model_counts"], fit.model_counts[fit.counts > 0])
    thinned = figures.decay_frame(decays)
    assert len(thinned) <= 2 * figures.MAX_DECAY_POINTS
    arrhenius = figures.arrhenius_frame(tdpl)
    measured = arrhenius.loc[arrhenius["kind"] == "measured"]
    table = tdpl[0][1].table
    assert np.allclose(
        measured["ln_intensity"].iloc[: len(table)],
        np.log(table["integrated_intensity"]),
    )
    urbach = figures.urbach_frame(absorption)
    u = absorption[0][1].urbach
    assert urbach["range_low_ev"].iloc[0] == u.energy_range_ev[0]
    sphere_frame = figures.sphere_frame(sphere, plqy)
    assert sphere_frame.attrs["ranges"]["laser"] == plqy.laser_range_nm


def test_the_tauc_chart_shows_the_caveat(results):
    chart = figures.tauc_chart(results[2])
    subtitle = " ".join(chart.title.subtitle)
    assert subtitle == TAUC_CAVEAT
