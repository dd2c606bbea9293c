"""
core/photophysics/runs.py and writers.py: a measurement kept as files and
settings gives, value for value, the numbers of the containers it was written
from (the demo samples as files = the CLI's --demo numbers); settings are
checked; wrong roles, missing or repeated files are sentences.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.demo.photophysics import (
    SAMPLES,
    demo_absorbance,
    demo_decay,
    demo_sphere,
    demo_tdpl,
    simulate_decay,
)
from core.errors import InputError
from core.models import PhotophysicsInput
from core.photophysics import (
    absorbance_file_bytes,
    absorption_analysis,
    analyse_input,
    decay_file_bytes,
    fit_decay,
    kind_settings,
    plqy_de_mello,
    read_absorbance,
    read_decays,
    read_temperature_series,
    series_file_bytes,
    spectrum_file_bytes,
    split_irf,
    tdpl_analysis,
)
from core.photophysics.runs import DEFAULT_SETTINGS, ROLES, read_input

SAMPLE = SAMPLES[1]


def sphere_files(sphere):
    return tuple(
        (f"{role}.csv", role, spectrum_file_bytes(sphere.wavelength_nm, values))
        for role, values in (
            ("plqy_empty", sphere.empty),
            ("plqy_out", sphere.out_of_beam),
            ("plqy_in", sphere.in_beam),
        )
    )


def test_writers_round_trip_value_for_value():
    decay, irf = demo_decay(SAMPLE)
    curves = read_decays(decay_file_bytes([decay, irf]), "d.csv")
    decays, found = split_irf(curves)
    assert np.array_equal(decays[0].time_ns, decay.time_ns)
    assert np.array_equal(decays[0].counts, decay.counts)
    assert np.array_equal(found.counts, irf.counts) and found.label == irf.label
    series = demo_tdpl(SAMPLE)
    back = read_temperature_series([("t.csv", series_file_bytes(series))])
    assert back.axis_unit == "K" and np.array_equal(back.axis, series.axis)
    assert np.array_equal(back.wavelength_nm, series.wavelength_nm)
    assert np.array_equal(back.intensity, series.intensity)
    spectrum = demo_absorbance(SAMPLE)
    again = read_absorbance(absorbance_file_bytes(spectrum), "a.csv")
    assert np.array_equal(again.wavelength_nm, spectrum.wavelength_nm)
    assert np.array_equal(again.absorbance, spectrum.absorbance)


def test_decay_writer_refuses_curves_on_different_grids():
    decay, _ = demo_decay(SAMPLE)
    short = simulate_decay(np.random.default_rng(1), n_channels=100)
    with pytest.raises(ValueError, match="time grid"):
        decay_file_bytes([decay, short])


def test_demo_samples_as_files_give_the_numbers_of_the_containers():
    decay, irf = demo_decay(SAMPLE)
    trpl = analyse_input(
        PhotophysicsInput(
            "trpl", SAMPLE, (("d.csv", "trpl", decay_file_bytes([decay, irf])),)
        )
    )
    direct = fit_decay(decay, irf=irf).summary()
    assert trpl.results[0].summary() | {"source": ""} == direct | {"source": ""}
    assert trpl.labels == (SAMPLE,) and trpl.results[0].method == "reconvolution"
    series = demo_tdpl(SAMPLE)
    tdpl = analyse_input(
        PhotophysicsInput(
            "tdpl",
            SAMPLE,
            (("t.csv", "tdpl", series_file_bytes(series)),),
            {"phonon": True},
        )
    )
    expected = tdpl_analysis(series, phonon=True)
    assert tdpl.results[0].arrhenius == expected.arrhenius
    assert tdpl.results[0].phonon == expected.phonon
    spectrum = demo_absorbance(SAMPLE)
    edge = analyse_input(
        PhotophysicsInput(
            "absorption",
            SAMPLE,
            (("a.csv", "absorbance", absorbance_file_bytes(spectrum)),),
            {"tauc": True},
        )
    )
    assert edge.results[0].urbach == absorption_analysis(spectrum, tauc=True).urbach
    sphere = demo_sphere(SAMPLE)
    plqy = analyse_input(PhotophysicsInput("plqy", SAMPLE, sphere_files(sphere)))
    assert plqy.results[0].plqy == plqy_de_mello(sphere).plqy
    assert plqy.results[0].plqy_stderr == plqy_de_mello(sphere).plqy_stderr


def test_a_separate_irf_file_and_several_decays_in_one_file():
    decay, irf = demo_decay(SAMPLE)
    other = simulate_decay(np.random.default_rng(5), tau_ns=(8.0,), label="film B")
    both = decay_file_bytes(
        [decay.__class__(decay.time_ns, decay.counts, "film A"), other]
    )
    record = PhotophysicsInput(
        "trpl",
        "batch 7",
        (("two.csv", "trpl", both), ("irf.csv", "trpl_irf", decay_file_bytes([irf]))),
    )
    result = analyse_input(record)
    assert result.labels == ("batch 7: film A", "batch 7: film B")
    assert [fit.label for fit in result.results] == list(result.labels)
    # The IRF file is used for both: the first is the demo fit exactly.
    assert result.results[0].tau_ns == fit_decay(decay, irf=irf).tau_ns
    assert result.results[1].tau_ns[0] == pytest.approx(8.0, rel=0.01)


def test_settings_are_checked_and_given_in_json_form():
    assert kind_settings("trpl") == DEFAULT_SETTINGS["trpl"]
    given = kind_settings("absorption", {"energy_range_ev": (1.8, 1.9), "tauc": 1})
    assert given == {"energy_range_ev": [1.8, 1.9], "tauc": True, "tauc_range_ev": None}
    assert kind_settings("trpl", {"components": 2.0})["components"] == 2
    for kind, settings, words in (
        ("trpl", {"components": 4}, "expected one of 1, 2, 3, found 4"),
        ("trpl", {"colour": "red"}, "Unknown trpl setting(s) colour"),
        ("tdpl", {"wavelength_range_nm": [700, 600]}, "LOW < HIGH in nm"),
        ("tdpl", {"model": "three"}, "expected one of one, two"),
        ("plqy", {"value_percent": "much"}, "expected a number, found 'much'"),
        ("spin", {}, "Unknown photophysics kind 'spin'"),
    ):
        with pytest.raises(
            InputError, match=words.replace("(", r"\(").replace(")", r"\)")
        ):
            kind_settings(kind, settings)
    assert "colour" not in kind_settings("trpl", {"colour": "red"}, strict=False)


def test_wrong_roles_missing_and_repeated_files_are_sentences():
    spectrum = absorbance_file_bytes(demo_absorbance(SAMPLE))
    cases = [
        (
            PhotophysicsInput("absorption", "S", (("a.csv", "trpl", spectrum),)),
            "a.csv: a 'trpl' file cannot be part of the absorption measurement 'S'",
        ),
        (
            PhotophysicsInput(
                "absorption",
                "S",
                (("a.csv", "absorbance", spectrum), ("b.csv", "absorbance", spectrum)),
            ),
            "2 'absorbance' files",
        ),
        (PhotophysicsInput("plqy", "S", ()), "found neither"),
        (PhotophysicsInput("trpl", "S", ()), "expected a decay file"),
        (
            PhotophysicsInput("plqy", "S", (("c.csv", "plqy_in", spectrum),)),
            "expected a 'plqy_empty' file",
        ),
    ]
    for record, words in cases:
        with pytest.raises(InputError, match=words):
            read_input(record)


def test_a_plqy_entered_by_hand():
    record = PhotophysicsInput(
        "plqy", "film", (), {"value_percent": 81.5, "value_stderr_percent": 1.5}
    )
    result = analyse_input(record).results[0]
    assert result.plqy_percent == pytest.approx(81.5)
    assert 100 * result.plqy_stderr == pytest.approx(1.5)
    assert result.method == "entered by hand"
    assert set(ROLES) >= {"trpl", "trpl_irf", "tdpl", "absorbance", "plqy_in"}
