"""core.report.html: one self-contained page with every section."""

from __future__ import annotations

import re

import pytest
from report_support import demo_report

from core import report as report_module
from core.demo import demo_devices
from core.models import Device
from core.report import build_report, report_html


@pytest.fixture(scope="module")
def html() -> str:
    return report_html(demo_report())


def test_html_is_self_contained_and_has_every_section(html):
    for key in (*report_module.SECTIONS, "provenance"):
        assert f'id="section-{key}"' in html
    assert html.count("<svg") == len(demo_report().figures)
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


def test_html_headers_are_labels_with_the_csv_name_beside(html):
    assert '<th title="eqe_max_percent">EQE max [%]</th>' in html
    assert '<th title="metric">metric</th>' in html


def test_a_section_without_data_says_so_in_the_page():
    spectra = demo_devices()[0].spectra_time
    page = report_html(
        build_report([Device(name="spectra only", spectra_time=spectra)], render=False)
    )
    assert "No device has a J-V-L sweep." in page
    assert 'id="section-lifetime"' in page
