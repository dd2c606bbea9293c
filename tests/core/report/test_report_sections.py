"""
core.report.sections: every section of the demo report (or why it is
missing or failed), and the figures each section draws.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from report_support import CONTROL, TREATED, demo_report

import core.report.recipes
from core import report as report_module
from core.demo import demo_devices
from core.errors import InputError
from core.figures.export import svg_size_pt
from core.figures.theme import PRESETS
from core.literature import load_table
from core.models import Device
from core.report import build_report


@pytest.fixture(scope="module")
def devices() -> list[Device]:
    return demo_devices()


def test_every_section_is_there_and_complete_for_the_demo():
    report = demo_report()
    assert [s.key for s in report.sections] == list(report_module.SECTIONS)
    assert all(s.status == "ok" for s in report.sections), [
        (s.key, s.message) for s in report.sections
    ]
    keys = {f.key for f in report.figures}
    assert {
        "stability_peak_shift",
        "stability_fwhm",
        "stability_cie",
        "efficiency_eqe_luminance",
        "efficiency_jv",
        "lifetime_decay",
        "literature_eqe_vs_peak__Control_synthetic",
    } <= keys
    assert report.synthetic == (CONTROL, TREATED)
    assert all(f.svg.startswith("<svg") for f in report.figures)
    width = PRESETS["acs-single"].width_cm * 72 / 2.54
    assert all(svg_size_pt(f.svg)[0] == pytest.approx(width) for f in report.figures)


def test_every_figure_comes_from_a_builder_of_core_figures():
    for figure in demo_report().figures:
        module, name = figure.builder.rsplit(".", 1)
        assert module.startswith("core.figures.")
        assert callable(getattr(__import__(module, fromlist=[name]), name))


def test_without_devices_there_is_no_report():
    with pytest.raises(InputError, match="needs at least one device"):
        build_report([])


def test_sections_without_data_say_so(devices):
    only_spectra = Device(name="spectra only", spectra_time=devices[0].spectra_time)
    result = build_report([only_spectra], render=False)
    status = {s.key: (s.status, s.message) for s in result.sections}
    assert status["stability"] == ("ok", "")
    assert status["efficiency"] == ("missing", "No device has a J-V-L sweep.")
    assert status["lifetime"] == ("missing", "No device has a lifetime log.")


def test_a_failing_analysis_is_an_error_section_not_an_exception(devices, monkeypatch):
    def failing(log, **settings):
        raise InputError("test: this log cannot be fitted")

    monkeypatch.setattr(core.report.analysis, "lifetime_metrics", failing)
    result = build_report(devices[:1], render=False)
    lifetime = result.section("lifetime")
    assert lifetime.status == "error"
    assert "test: this log cannot be fitted" in lifetime.message
    assert result.section("efficiency").status == "ok"
    assert any(w.startswith("Operational lifetime: Could not") for w in result.warnings)


def test_an_unreadable_literature_table_is_reported(devices, monkeypatch):
    def broken():
        raise InputError("literature.csv: line 3: expected a year, found 'soon'.")

    monkeypatch.setattr(core.report.sections.literature, "load_table", broken)
    literature = build_report(devices[:1], render=False).section("literature")
    assert literature.status == "missing"
    assert literature.message == (
        "No literature table: literature.csv: line 3: expected a year, found 'soon'."
    )


def test_a_failing_figure_becomes_a_note(devices, monkeypatch):
    def broken(ctx, params):
        raise InputError("test: this recipe fails")

    recipes = dict(core.report.recipes.RECIPES)
    recipes["efficiency_jv"] = ("efficiency", "J-V", broken)
    monkeypatch.setattr(core.report.recipes, "RECIPES", recipes)
    result = build_report(devices, render=False)
    section = result.section("efficiency")
    assert section.status == "ok"
    assert "efficiency_jv" not in [f.key for f in section.figures]
    assert "Figure 'efficiency_jv' could not be drawn: test: this recipe fails" in (
        section.notes
    )


def test_a_single_spectrum_has_no_drift_charts(devices):
    series = devices[0].spectra_time
    single = replace(series, intensity=series.intensity[:1], axis=series.axis[:1])
    result = build_report([Device(name="one", spectra_time=single)], render=False)
    keys = [f.key for f in result.section("stability").figures]
    assert keys == ["stability_cie", "stability_spectra__one"]
    assert any("single spectrum" in note for note in result.section("stability").notes)


def test_the_literature_chart_draws_the_table_the_devices_were_ranked_in(devices):
    table = load_table()
    table = table.loc[table["rankable"].astype(bool)].head(5)
    result = build_report(devices[:1], literature_table=table, render=False)
    (figure,) = result.section("literature").figures
    drawn = set(figure.data.loc[figure.data["source"] == "literature", "record_id"])
    assert drawn == set(table["record_id"])
    rank = result.section("literature").tables[0].frame
    assert rank["n_compared"].max() <= 5
