"""
The device report: side-by-side metrics, every section (or why it is
missing), the self-contained HTML, the PDF, the files with their provenance
sidecars and the rebuild of a figure from its sidecar.

Reference numbers come from the analysis functions called directly (the
report must show the same numbers the pages and the CLI show) and the
differences are recomputed here.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from core import report as report_module
from core.demo import demo_devices
from core.errors import InputError
from core.figures.export import chart_to_bytes, svg_size_pt
from core.figures.theme import PRESETS
from core.models import Device
from core.report import (
    ReportSettings,
    build_report,
    load_devices,
    metrics_table,
    rebuild_figure,
    report_files,
    report_html,
    report_page_svgs,
    report_pdf,
)
from tests.test_figures import base_fonts, pdf_text

STAMP = "2025-01-01T00:00:00+00:00"
CONTROL, TREATED = "Control (synthetic)", "Treated (synthetic)"


@pytest.fixture(scope="module")
def devices() -> list[Device]:
    return demo_devices()


@pytest.fixture(scope="module")
def report(devices):
    return build_report(devices, ReportSettings(), created_utc=STAMP)


@pytest.fixture(scope="module")
def html(report) -> str:
    return report_html(report)


def demo_files(device: Device, tag: str) -> tuple[dict[str, bytes], dict]:
    """A device's demo data as the text files a rig would write."""
    series = device.spectra_time
    pick = np.arange(0, series.n_spectra, 6)
    lines = ["Wavelength (nm)," + ",".join(f"{a:g}" for a in series.axis[pick])]
    lines += [
        f"{w:.3f}," + ",".join(f"{v:.6g}" for v in series.intensity[pick, i])
        for i, w in enumerate(series.wavelength_nm)
    ]
    sweep = device.jvl[0]
    jvl = ["Voltage (V)\tJ (mA/cm2)\tL (cd/m2)"] + [
        f"{v:.4f}\t{j:.6g}\t{lum:.6g}"
        for v, j, lum in zip(
            sweep.voltage_v,
            sweep.current_density_ma_cm2,
            sweep.luminance_cd_m2,
            strict=True,
        )
    ]
    log = device.lifetime[0]
    life = ["Time (h),Luminance (cd/m2)"] + [
        f"{t:.5f},{lum:.6g}"
        for t, lum in zip(log.time_h[::3], log.luminance_cd_m2[::3], strict=True)
    ]
    files = {
        f"{tag}_el.csv": "\n".join(lines).encode(),
        f"{tag}_jvl.txt": "\n".join(jvl).encode(),
        f"{tag}_life.csv": "\n".join(life).encode(),
    }
    group = {
        "name": tag,
        "files": [
            {"name": f"{tag}_el.csv", "role": "spectra"},
            {"name": f"{tag}_jvl.txt", "role": "auto"},
            {"name": f"{tag}_life.csv", "role": "auto"},
        ],
    }
    return files, group


SPECTRA_OPTIONS = {"axis_name": "time", "axis_unit": "h"}


# --------------------------------------------------------------------------
# Sections and the side-by-side table
# --------------------------------------------------------------------------


def test_every_section_is_there_and_complete_for_the_demo(report):
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


def test_side_by_side_numbers_are_the_analysis_modules_numbers(report, devices):
    from core.efficiency import efficiency_metrics
    from core.stability import series_stability
    from core.summary import efficiency_spectrum

    table = report.section("devices").tables[0].frame.set_index("metric")
    control, treated = devices
    for device in devices:
        sweep = device.jvl[0]
        expected = efficiency_metrics(sweep, efficiency_spectrum(device, sweep))
        assert table.loc["maximum EQE", device.name] == expected.eqe_max_percent
        drift = series_stability(device.spectra_time)
        shift = table.loc["peak shift, last − first", device.name]
        assert shift == drift.peak_shift_nm
    delta = f"Δ {TREATED} − {CONTROL}"
    eqe = table.loc["maximum EQE"]
    assert eqe[delta] == pytest.approx(eqe[TREATED] - eqe[CONTROL], abs=1e-12)
    # The demo's treated device is the better one (Ren et al. 2024 shape).
    assert eqe[delta] > 0 and table.loc["max |peak shift|", delta] < 0
    assert table.loc["T50 is", CONTROL] in ("measured", "extrapolated")
    assert np.isnan(table.loc["T50 is", delta])  # no difference of words
    assert table.loc["T50 at 100 cd/m² (n = 1.8)", "unit"] == "h"


def test_the_reference_device_sets_the_sign_of_the_differences(report):
    analyses = [
        report_module.analyse_device(d, ReportSettings()) for d in demo_devices()
    ]
    swapped = metrics_table(analyses, ReportSettings(reference_device=TREATED))
    row = swapped.set_index("metric").loc["maximum EQE"]
    assert row[f"Δ {CONTROL} − {TREATED}"] == pytest.approx(row[CONTROL] - row[TREATED])
    with pytest.raises(InputError, match="Reference device 'nobody' is not among"):
        metrics_table(analyses, ReportSettings(reference_device="nobody"))


def test_settings_and_devices_are_checked_with_sentences():
    with pytest.raises(InputError, match="Unknown figure preset 'a4'"):
        ReportSettings(preset="a4")
    with pytest.raises(InputError, match="must be 'time' or 'bias', found 'voltage'"):
        ReportSettings(series="voltage")
    with pytest.raises(InputError, match="between 50 and 2400, found 30"):
        ReportSettings(ppi=30)
    with pytest.raises(InputError, match="needs at least one device"):
        build_report([])


# --------------------------------------------------------------------------
# Degrading gracefully
# --------------------------------------------------------------------------


def test_sections_without_data_say_so(devices):
    only_spectra = Device(name="spectra only", spectra_time=devices[0].spectra_time)
    result = build_report([only_spectra], render=False)
    status = {s.key: (s.status, s.message) for s in result.sections}
    assert status["stability"] == ("ok", "")
    assert status["efficiency"] == ("missing", "No device has a J-V-L sweep.")
    assert status["lifetime"] == ("missing", "No device has a lifetime log.")
    html = report_html(result)
    assert "No device has a J-V-L sweep." in html
    assert 'id="section-lifetime"' in html


def test_a_missing_module_is_reported_not_raised(devices, monkeypatch):
    real = report_module._module

    def without(name):
        return None if name in ("core.lifetime", "core.literature") else real(name)

    monkeypatch.setattr(report_module, "_module", without)
    result = build_report(devices[:1], render=False)
    lifetime = result.section("lifetime")
    assert lifetime.status == "error"
    assert "the lifetime module is not installed" in lifetime.message
    literature = result.section("literature")
    assert literature.status == "missing"
    assert "the literature module is not installed" in literature.message
    assert result.section("efficiency").status == "ok"
    assert any("Operational lifetime" in w for w in result.warnings)


def test_a_failing_figure_becomes_a_note(devices, monkeypatch):
    def broken(ctx, params):
        raise InputError("test: this recipe fails")

    recipes = dict(report_module.RECIPES)
    recipes["efficiency_jv"] = ("efficiency", "J-V", broken)
    monkeypatch.setattr(report_module, "RECIPES", recipes)
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


# --------------------------------------------------------------------------
# HTML and PDF
# --------------------------------------------------------------------------


def test_html_is_self_contained_and_has_every_section(report, html):
    for key in (*report_module.SECTIONS, "provenance"):
        assert f'id="section-{key}"' in html
    assert html.count("<svg") == len(report.figures)
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<iframe", "<img", "@import", "src="):
        assert forbidden not in lowered
    # Only DOI links leave the page; the SVG namespace is a name, not a fetch.
    targets = re.findall(r'(?:href|src)\s*=\s*"([^"]+)"', html)
    assert all(t.startswith("#") or t.startswith("https://doi.org/") for t in targets)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    allowed = ("http://www.w3.org/", "https://doi.org/")
    assert all(url.startswith(allowed) for url in urls), urls
    assert "synthetic demo data" in html


def test_html_figure_ids_are_unique_and_resolve(html):
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    references = set(re.findall(r"url\(#([^)]+)\)", html))
    assert references and references <= set(ids)


def test_pdf_pages_hold_every_section_in_liberation_sans(report):
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF-1.7")
    pages = report_page_svgs(report)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(pages) >= 3
    assert all(font.startswith("LiberationSans") for font in base_fonts(pdf))
    text = pdf_text(pdf).replace(" ", "")
    for section in report.sections:
        assert section.title.replace(" ", "") in text
    assert "peakshiftfromfirst[nm]" in text  # an axis title of a figure


def test_pdf_layout_keeps_everything_on_the_page(report):
    for page in report_page_svgs(report):
        ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', page)]
        assert max(ys) <= 841.89 - 36 / 2 + 1  # footer sits in the margin
        for match in re.finditer(r'<svg x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
                                 r'height="([\d.]+)"', page):  # fmt: skip
            x, y, width, height = (float(v) for v in match.groups())
            assert x >= 36 - 1e-6 and x + width <= 595.276 - 36 + 1e-6
            assert y + height <= 841.89 - 36 + 1e-6


@pytest.mark.parametrize(
    "value, text",
    [
        (18493.46, "18493"),
        (-0.004605, "−0.004605"),
        (2.2e-5, "2.200e−5"),
        (1.5e7, "1.500e7"),
        (643.837, "643.8"),
        (float("nan"), "—"),
        (True, "yes"),
        (None, "—"),
    ],
)
def test_table_cells_have_four_significant_digits_and_a_true_minus(value, text):
    assert report_module._format(value) == text


# --------------------------------------------------------------------------
# Files, provenance and the rebuild
# --------------------------------------------------------------------------


def test_report_files_have_every_figure_table_and_sidecar(report):
    files = report_files(report, formats=("svg",), pdf_report=False)
    for figure in report.figures:
        assert f"figures/{figure.key}.svg" in files
        assert f"figures/{figure.key}.csv" in files
        sidecar = json.loads(files[f"figures/{figure.key}.provenance.json"])
        assert sidecar["figure"] == figure.key
        assert sidecar["recipe"]["name"] in report_module.RECIPES
        assert sidecar["settings"]["preset"] == "acs-single"
        assert sidecar["created_utc"] == STAMP
        # Session devices: their parsed data are identified, not files.
        assert {i["kind"] for i in sidecar["inputs"]} == {"parsed data"}
        assert sidecar["recipe"]["rebuildable"] is False
    for table in report.tables:
        assert f"tables/{table.key}.csv" in files
    assert "report.html" in files and "report.pdf" not in files
    with pytest.raises(InputError, match="made from session data without files"):
        rebuild_figure(sidecar, {})


@pytest.fixture(scope="module")
def from_files(devices):
    files, groups = {}, []
    for device, tag in zip(devices, ("control", "treated"), strict=True):
        more, group = demo_files(device, tag)
        files |= more
        groups.append(group)
    loaded, inputs = load_devices(groups, files, SPECTRA_OPTIONS)
    built = build_report(
        loaded,
        ReportSettings(preset="rsc-single"),
        inputs=inputs,
        groups=[
            {
                "name": g["name"],
                "files": [
                    {"name": i["name"], "role": i["role"]}
                    for i in inputs
                    if i["device"] == g["name"]
                ],
            }
            for g in groups
        ],  # fmt: skip
        reader_options=SPECTRA_OPTIONS,
        created_utc=STAMP,
    )
    written = report_files(built, formats=("svg",), pdf_report=False)
    return files, built, written


def test_files_are_read_into_devices_and_sniffed(from_files):
    files, built, _ = from_files
    roles = [(i["name"], i["role"]) for i in built.inputs]
    assert roles[:3] == [
        ("control_el.csv", "spectra"),
        ("control_jvl.txt", "jvl"),
        ("control_life.csv", "lifetime"),
    ]
    assert built.device_names == ("control", "treated")
    assert all(s.status == "ok" for s in built.sections)


@pytest.mark.parametrize(
    "key", ["stability_peak_shift", "efficiency_eqe_luminance", "lifetime_decay"]
)
def test_a_sidecar_rebuilds_the_same_svg_bytes(from_files, key):
    files, _, written = from_files
    sidecar = json.loads(written[f"figures/{key}.provenance.json"])
    assert sidecar["recipe"]["rebuildable"] is True
    assert {i["name"] for i in sidecar["inputs"]} == set(files)
    chart = rebuild_figure(sidecar, files)
    assert chart_to_bytes(chart, "svg") == written[f"figures/{key}.svg"]


def test_a_rebuild_refuses_a_changed_file(from_files):
    files, _, written = from_files
    sidecar = json.loads(written["figures/efficiency_jv.provenance.json"])
    changed = dict(files, **{"control_jvl.txt": files["control_jvl.txt"] + b"\n"})
    with pytest.raises(
        InputError, match=r"control_jvl.txt: SHA-256 .* the file changed"
    ):
        rebuild_figure(sidecar, changed)
    with pytest.raises(InputError, match="names no report recipe"):
        rebuild_figure({"figure": "x"}, files)


def test_reading_files_reports_bad_inputs(devices):
    files, group = demo_files(devices[0], "c")
    with pytest.raises(InputError, match="missing.csv: no such file was given"):
        load_devices([{"name": "a", "files": [{"name": "missing.csv"}]}], files)
    with pytest.raises(InputError, match="c_el.csv: unknown file kind 'photo'"):
        load_devices(
            [{"name": "a", "files": [{"name": "c_el.csv", "role": "photo"}]}], files
        )
    junk = {"junk.txt": b"hello\nworld\n"}
    with pytest.raises(
        InputError, match="junk.txt: not recognised as a lifetime log, a J-V-L sweep"
    ):
        load_devices([{"name": "a", "files": [{"name": "junk.txt"}]}], junk)
    twice = {"name": "a", "files": [group["files"][0], group["files"][0]]}
    with pytest.raises(InputError, match="already has a spectral series over time"):
        load_devices([twice], files, SPECTRA_OPTIONS)
    with pytest.raises(InputError, match="Device names must differ"):
        load_devices([group, group], files, SPECTRA_OPTIONS)
