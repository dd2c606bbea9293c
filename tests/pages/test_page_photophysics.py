"""
pages/6_Photophysics.py (AppTest): the demo samples load; each tab shows the
numbers of the core functions run on the demo containers and of the CLI's
JSON on the same demo (the Done-when "same numbers" test); an uploaded decay
is fitted with a tail start that is shown and settable; a bad file is an
st.error and the page keeps working; a sample attached to a device reaches
the report with the page's numbers; a chart's provenance sidecar names the
input files with their SHA-256 and the fit settings.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.cli import main
from core.demo.photophysics import (
    SAMPLES,
    demo_absorbance,
    demo_decay,
    demo_sphere,
    demo_tdpl,
    simulate_decay,
)
from core.figures import photophysics as figures
from core.figures.provenance import figure_files, sha256_hex
from core.photophysics import (
    TAUC_CAVEAT,
    absorption_analysis,
    analyse_input,
    decay_file_bytes,
    fit_decay,
    kind_settings,
    plqy_de_mello,
    read_decay,
    tdpl_analysis,
)
from core.report import build_report
from ui.format import number_text
from ui.photophysics import demo_records, pm_text, provenance
from ui.session import DEVICES_KEY

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "6_Photophysics.py")
TABS = ("trpl", "tdpl", "edge", "plqy")


def cli_json(kind: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["photophysics", kind, "--demo"]) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def cli_demo() -> dict[str, list[dict]]:
    """The CLI's JSON on its own demo (the containers, not files)."""
    return {kind: cli_json(kind) for kind in ("trpl", "tdpl", "urbach", "plqy")}


@pytest.fixture(scope="module")
def demo_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.button(key="photophysics_demo").click().run()
    return at


def tables(at: AppTest) -> dict:
    return {
        tab: frame.value.set_index("sample")
        for tab, frame in zip(TABS, at.dataframe, strict=True)
    }


def test_the_empty_page_asks_for_data_in_every_tab():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Photophysics"
    assert len(at.tabs) == 4 and len(at.info) == 4


def test_trpl_tab_shows_the_numbers_of_core_and_of_the_cli(demo_page, cli_demo):
    at = demo_page
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = tables(at)["trpl"]
    assert list(table.index) == list(SAMPLES)  # labelled synthetic
    cards = {m.label: m.value for m in at.metric}
    for sample, cli in zip(SAMPLES, cli_demo["trpl"], strict=True):
        decay, irf = demo_decay(sample)
        fit = fit_decay(decay, irf=irf)
        # The CLI's JSON holds the very floats of the core function ...
        assert cli["tau_ns"] == list(fit.tau_ns)
        assert cli["tau_intensity_weighted_ns"] == fit.tau_intensity_weighted_ns
        assert cli["aic"] == fit.aic and cli["chi2_reduced"] == fit.chi2_reduced
        # ... and the page shows them (± 1σ to 2 significant digits of σ).
        row = table.loc[sample]
        tau = pm_text(cli["tau_ns"][0], cli["tau_stderr_ns"][0], "ns")
        assert row["τ1"] == tau == pm_text(fit.tau_ns[0], fit.tau_stderr_ns[0], "ns")
        tau_int = pm_text(
            cli["tau_intensity_weighted_ns"],
            cli["tau_intensity_weighted_stderr_ns"],
            "ns",
        )
        assert row["τ_int"] == tau_int == cards[f"τ_int · {sample}"]
        assert row["τ_amp"] == pm_text(
            cli["tau_amplitude_weighted_ns"],
            cli["tau_amplitude_weighted_stderr_ns"],
            "ns",
        )
        assert row["χ²ᵣ"] == number_text(fit.chi2_reduced, ".3f")
        assert row["AIC"] == number_text(cli["aic"], ".1f")
        assert row["method"] == cli["method"] == "reconvolution"
    assert table.loc[SAMPLES[1], "τ1"] == "15.290 ± 0.010 ns"  # demo: 15.3 ns


def test_tdpl_edge_and_plqy_tabs_show_the_numbers_of_core_and_cli(demo_page, cli_demo):
    shown = tables(demo_page)
    cards = {m.label: m.value for m in demo_page.metric}
    for index, sample in enumerate(SAMPLES):
        fit = tdpl_analysis(demo_tdpl(sample)).arrhenius
        cli = cli_demo["tdpl"][index]
        assert cli["binding_energy_mev"] == fit.binding_energy_mev
        e_b = pm_text(
            cli["binding_energy_mev"], cli["binding_energy_stderr_mev"], "meV"
        )
        assert shown["tdpl"].loc[sample, "E_B"] == e_b == cards[f"E_B · {sample}"]
        assert e_b == pm_text(
            fit.binding_energy_mev, fit.binding_energy_stderr_mev, "meV"
        )
        assert shown["tdpl"].loc[sample, "T fitted"] == "80–300 K"
        urbach = absorption_analysis(demo_absorbance(sample)).urbach
        cli = cli_demo["urbach"][index]
        assert cli["urbach_energy_mev"] == urbach.urbach_energy_mev
        e_u = pm_text(cli["urbach_energy_mev"], cli["urbach_energy_stderr_mev"], "meV")
        assert shown["edge"].loc[sample, "E_U"] == e_u == cards[f"E_U · {sample}"]
        low, high = cli["urbach_range_ev"]
        assert shown["edge"].loc[sample, "Urbach range"] == (
            f"{low:.3f}–{high:.3f} eV (auto)"
        )
        assert (
            shown["edge"]
            .loc[sample, "excitonic peak"]
            .startswith(
                f"{cli['excitonic_peak_ev']:.3f} eV ({cli['excitonic_peak_nm']:.1f} nm"
            )
        )
        plqy = plqy_de_mello(demo_sphere(sample))
        cli = cli_demo["plqy"][index]
        assert cli["plqy_percent"] == plqy.plqy_percent
        text = pm_text(cli["plqy_percent"], cli["plqy_stderr_percent"], "%")
        assert shown["plqy"].loc[sample, "PLQY"] == text == cards[f"PLQY · {sample}"]
    # Decay and residuals (drawn apart, exported as one figure), Arrhenius,
    # peak, FWHM, Urbach, two sphere charts.
    assert len(demo_page.get("vega_lite_chart")) == 8
    assert "synthetic" in " ".join(c.value for c in demo_page.caption)


def test_an_uploaded_decay_with_its_tail_start_and_a_bad_file():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    curve = simulate_decay(np.random.default_rng(3), tau_ns=(7.5,), n_channels=800)
    data = decay_file_bytes([curve])
    at.file_uploader(key="photophysics_trpl_files").set_value(
        ("film_7ns.csv", data, "text/csv")
    )
    at.run()
    assert not at.exception and not at.error
    row = at.dataframe[0].value.iloc[0]
    read = read_decay(data, "film_7ns.csv")
    auto = fit_decay(read)
    assert (row["sample"], row["method"]) == ("film_7ns", "tail")
    assert row["τ1"] == pm_text(auto.tau_ns[0], auto.tau_stderr_ns[0], "ns")
    assert row["fit window"].endswith("(start auto)")
    assert row["fit window"].startswith(f"{auto.fit_start_ns:.4g}–")
    # The tail start is settable.
    at.number_input(key="photophysics_trpl_tail").set_value(10.0).run()
    given = fit_decay(read, tail_start_ns=10.0)
    row = at.dataframe[0].value.iloc[0]
    assert row["τ1"] == pm_text(given.tau_ns[0], given.tau_stderr_ns[0], "ns")
    assert row["fit window"].startswith(f"{given.fit_start_ns:.4g}–")
    assert row["fit window"].endswith("(start given)")
    assert given.tau_ns[0] == pytest.approx(7.5, rel=0.02)
    # A file no reader takes: a sentence naming it; the other tab still works.
    at.file_uploader(key="photophysics_edge_files").set_value(
        ("junk.csv", b"measured on Tuesday\n", "text/csv")
    )
    at.text_input(key="photophysics_tdpl_range").set_value("700:600")
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("junk.csv" in e for e in errors), errors
    assert any("Integration range" in e and "e.g. 600:700" in e for e in errors)
    assert at.dataframe[0].value.iloc[0]["sample"] == "film_7ns"
    assert "nan" not in at.dataframe[0].value.to_string().lower()


def test_tauc_caveat_plqy_by_hand_and_attaching_to_a_device(demo_page):
    at = demo_page
    at.checkbox(key="photophysics_edge_tauc").check()
    at.radio(key="photophysics_plqy_how").set_value("a value entered by hand").run()
    at.number_input(key="photophysics_plqy_value").set_value(80.0)
    at.text_input(key="photophysics_plqy_sample").set_value("film by hand")
    at.run()
    assert not at.exception and not at.error
    assert TAUC_CAVEAT in [w.value for w in at.warning]
    assert "Tauc intercept" in tables(at)["edge"].columns
    assert tables(at)["plqy"].loc["film by hand", "PLQY"] == "80 %"
    # Attach the TRPL demo sample SQDs-T to a new session device.
    at.selectbox(key="photophysics_trpl_attach_sample").set_value(SAMPLES[1])
    at.selectbox(key="photophysics_trpl_attach_device").set_value("new device…")
    at.run()
    at.text_input(key="photophysics_trpl_attach_new").set_value("Treated LED")
    at.run()
    at.button(key="photophysics_trpl_attach_attach").click().run()
    assert not at.exception and not at.error
    device = at.session_state[DEVICES_KEY]["Treated LED"]
    (record,) = device.photophysics
    assert (record.kind, record.sample, record.synthetic) == ("trpl", SAMPLES[1], True)
    assert tables(at)["trpl"].loc[SAMPLES[1], "device"] == "Treated LED"
    # The report shows the page's number.
    report = build_report([device], render=False)
    row = report.section("photophysics").tables[0].frame.iloc[0]
    decay, irf = demo_decay(SAMPLES[1])
    fit = fit_decay(decay, irf=irf)
    assert row["τ_int [ns]"] == fit.tau_intensity_weighted_ns
    shown = tables(at)["trpl"].loc[SAMPLES[1], "τ_int"]
    assert shown == pm_text(row["τ_int [ns]"], row["σ(τ_int) [ns]"], "ns")


def test_a_chart_download_records_the_input_files_and_the_fit_settings():
    # What the page hands to ui.export.show_chart for the decay chart.
    records = [r for r in demo_records() if r.kind == "trpl"]
    settings = {"components": 2, "tail_start_ns": None, "fit_range_ns": None}
    records = [replace(r, settings=kind_settings("trpl", settings)) for r in records]
    items = [(r, analyse_input(r), []) for r in records]
    info = provenance(items, "decay_chart")
    files = figure_files(
        figures.decay_chart(
            figures.decay_frame(
                [(r.labels[0], r.data[0], r.results[0]) for _, r, _ in items]
            )
        ),
        "trpl_decay",
        preset="acs-single",
        builder=info["builder"],
        inputs=info["inputs"],
        settings=info["settings"],
        formats=("svg",),
    )
    sidecar = json.loads(files["trpl_decay.provenance.json"])
    assert sidecar["builder"] == "core.figures.photophysics.decay_chart"
    expected = {(name, sha256_hex(data)) for r in records for name, _, data in r.files}
    assert {(i["name"], i["sha256"]) for i in sidecar["inputs"]} == expected
    assert all(i["role"] == "trpl" for i in sidecar["inputs"])
    for sample in SAMPLES:
        assert sidecar["settings"][sample]["components"] == 2
