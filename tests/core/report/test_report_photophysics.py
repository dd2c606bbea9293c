"""
core/report/photophysics.py and its section: a report gains "Photophysics of
the emitter" only when a device has such data; its table holds the numbers of
the analyses run directly on the demo containers (τ_amp, τ_int, E_B, E_U,
PLQY with σ), with the settings stored in each measurement; its figures are
the decays and the Arrhenius plot; a file that cannot be read is a sentence.
"""

from __future__ import annotations

import functools

import pytest

from core import report as report_module
from core.demo import demo_devices
from core.demo.photophysics import (
    SAMPLES,
    demo_absorbance,
    demo_decay,
    demo_sphere,
    demo_tdpl,
)
from core.errors import InputError
from core.figures.provenance import sha256_hex
from core.models import Device, PhotophysicsInput
from core.photophysics import (
    absorbance_file_bytes,
    absorption_analysis,
    decay_file_bytes,
    fit_decay,
    plqy_de_mello,
    series_file_bytes,
    spectrum_file_bytes,
    tdpl_analysis,
)
from core.report import build_report, report_html
from core.report.photophysics import photophysics_inputs

STAMP = "2025-01-01T00:00:00+00:00"


def demo_records(sample: str) -> tuple[PhotophysicsInput, ...]:
    """A demo sample's four measurements, written as files."""
    decay, irf = demo_decay(sample)
    sphere = demo_sphere(sample)
    spheres = tuple(
        (f"{role}.csv", role, spectrum_file_bytes(sphere.wavelength_nm, values))
        for role, values in (
            ("plqy_empty", sphere.empty),
            ("plqy_out", sphere.out_of_beam),
            ("plqy_in", sphere.in_beam),
        )
    )
    absorbance = absorbance_file_bytes(demo_absorbance(sample))
    return (
        PhotophysicsInput(
            "trpl", sample, (("d.csv", "trpl", decay_file_bytes([decay, irf])),)
        ),
        PhotophysicsInput(
            "tdpl", sample, (("t.csv", "tdpl", series_file_bytes(demo_tdpl(sample))),)
        ),
        PhotophysicsInput("absorption", sample, (("a.csv", "absorbance", absorbance),)),
        PhotophysicsInput("plqy", sample, spheres, synthetic=True),
    )


@functools.cache
def photo_report():
    devices = [
        Device("Control (synthetic)", photophysics=demo_records(SAMPLES[0])),
        Device("Treated (synthetic)", photophysics=demo_records(SAMPLES[1])),
    ]
    return build_report(devices, created_utc=STAMP)


def test_no_photophysics_data_no_section():
    devices = demo_devices()[:1]
    report = build_report(devices, created_utc=STAMP, render=False)
    assert [s.key for s in report.sections] == list(report_module.SECTIONS)


def test_the_section_holds_the_numbers_of_the_demo_containers():
    report = photo_report()
    keys = [s.key for s in report.sections]
    assert keys == [
        "devices",
        "stability",
        "efficiency",
        "lifetime",
        "photophysics",
        "literature",
    ]
    section = report.section("photophysics")
    assert section.status == "ok" and section.title == "Photophysics of the emitter"
    table = section.tables[0].frame.set_index("sample")
    for sample in SAMPLES:
        row = table.loc[sample]
        decay, irf = demo_decay(sample)
        fit = fit_decay(decay, irf=irf)
        assert row["τ_amp [ns]"] == fit.tau_amplitude_weighted_ns
        assert row["σ(τ_amp) [ns]"] == fit.tau_amplitude_weighted_stderr_ns
        assert row["τ_int [ns]"] == fit.tau_intensity_weighted_ns
        arrhenius = tdpl_analysis(demo_tdpl(sample)).arrhenius
        assert row["E_B [meV]"] == arrhenius.binding_energy_mev
        assert row["σ(E_B) [meV]"] == arrhenius.binding_energy_stderr_mev
        urbach = absorption_analysis(demo_absorbance(sample)).urbach
        assert row["E_U [meV]"] == urbach.urbach_energy_mev
        assert row["σ(E_U) [meV]"] == urbach.urbach_energy_stderr_mev
        plqy = plqy_de_mello(demo_sphere(sample))
        assert row["PLQY [%]"] == plqy.plqy_percent
        assert row["σ(PLQY) [%]"] == pytest.approx(100 * plqy.plqy_stderr, rel=1e-12)
    # The values the demo is shaped on (Ren et al. 2024): τ 12.6/15.3 ns,
    # E_B 151/108 meV, PLQY 78/99 %.
    assert table["τ_int [ns]"].tolist() == pytest.approx([12.6, 15.3], abs=0.05)
    assert table["E_B [meV]"].tolist() == pytest.approx([151, 108], abs=5)
    assert table["PLQY [%]"].tolist() == pytest.approx([78, 99], abs=0.5)
    assert "Synthetic demo samples" in section.tables[0].caption


def test_the_section_draws_the_decays_and_the_arrhenius_plot():
    report = photo_report()
    section = report.section("photophysics")
    assert [f.key for f in section.figures] == [
        "photophysics_decay",
        "photophysics_arrhenius",
    ]
    titles = ("time [ns]", "1000/T [1/K]")
    for figure, title in zip(section.figures, titles, strict=True):
        assert figure.svg.startswith("<svg") and title in figure.svg
        assert figure.builder.startswith("core.figures.photophysics.")
    decay = section.figures[0].data
    assert set(decay["sample"]) == set(SAMPLES)
    # Provenance: every photophysics file, by SHA-256.
    shas = {item["sha256"] for item in report.inputs}
    for record in demo_records(SAMPLES[0]):
        for _, _, data in record.files:
            assert sha256_hex(data) in shas
    html = report_html(report)
    assert "Photophysics of the emitter" in html and "σ(E_B) [meV]" in html


def test_stored_settings_are_used_and_same_names_are_told_apart():
    decay, _ = demo_decay(SAMPLES[1])
    data = decay_file_bytes([decay])
    tail = PhotophysicsInput(
        "trpl", "film", (("d.csv", "trpl", data),), {"tail_start_ns": 20.0}
    )
    default = PhotophysicsInput("trpl", "film", (("d.csv", "trpl", data),))
    report = build_report(
        [Device("A", photophysics=(tail,)), Device("B", photophysics=(default,))],
        created_utc=STAMP,
        render=False,
    )
    section = report.section("photophysics")
    table = section.tables[0].frame.set_index("device")
    assert list(table["sample"]) == ["film", "film"]
    given = fit_decay(decay, tail_start_ns=20.0)
    assert table.loc["A", "τ_amp [ns]"] == given.tau_amplitude_weighted_ns
    assert table.loc["B", "τ_amp [ns]"] == fit_decay(decay).tau_amplitude_weighted_ns
    # The decay figure tells the two films apart by their devices.
    assert set(section.figures[0].data["sample"]) == {"A: film", "B: film"}
    assert given.fit_start_ns == pytest.approx(20.0, abs=decay.step_ns)
    assert "E_B [meV]" not in table.columns  # no sample has one


def test_a_file_that_cannot_be_read_is_a_sentence():
    bad = PhotophysicsInput("trpl", "film", (("bad.csv", "trpl", b"no numbers\n"),))
    report = build_report(
        [Device("A", photophysics=(bad,))], created_utc=STAMP, render=False
    )
    section = report.section("photophysics")
    assert section.status == "error"
    assert "bad.csv" in section.message and "A, film" in section.message
    assert any(w.startswith("Photophysics of the emitter") for w in report.warnings)


def test_library_files_are_grouped_by_role_or_as_stored():
    decay, irf = demo_decay(SAMPLES[0])
    files = [
        ("a.csv", "trpl", decay_file_bytes([decay])),
        ("b.csv", "trpl", decay_file_bytes([decay])),
        ("irf.csv", "trpl_irf", decay_file_bytes([irf])),
        ("el.csv", "spectra", b"ignored"),
    ]
    records = photophysics_inputs(files)
    assert [(r.sample, [n for n, _, _ in r.files]) for r in records] == [
        ("a", ["a.csv", "irf.csv"]),
        ("b", ["b.csv", "irf.csv"]),
    ]
    spec = [
        {
            "kind": "trpl",
            "sample": "S",
            "files": ["a.csv"],
            "settings": {"components": 2},
        }
    ]
    records = photophysics_inputs(files, spec)
    assert records[0].settings["components"] == 2
    assert [r.sample for r in records] == ["S", "b"]
    with pytest.raises(InputError, match="no file 'c.csv'"):
        photophysics_inputs(files, [{"kind": "trpl", "files": ["c.csv"]}])
    with pytest.raises(InputError, match="a 'trpl_irf' file in a tdpl measurement"):
        photophysics_inputs(files, [{"kind": "tdpl", "files": ["irf.csv"]}])
    two_irfs = [*files, ("irf2.csv", "trpl_irf", decay_file_bytes([irf]))]
    with pytest.raises(InputError, match="2 IRF files"):
        photophysics_inputs(two_irfs)
