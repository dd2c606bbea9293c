"""
Publication figures: every chart builder exports SVG, PDF and PNG at the exact
preset size, with Liberation Sans embedded and the axis titles in the text;
presets; the theme's log-axis labels and legends; joined PDFs; provenance.

File sizes are read back from the files themselves (SVG ``width``, PDF
``/MediaBox``, PNG ``IHDR``/``pHYs``) with parsers written here, independent
of :mod:`core.figures.export`'s own readers. PDF text is decoded from the
content streams through each font's ToUnicode map.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zipfile
import zlib

import altair as alt
import numpy as np
import pandas as pd
import pytest

from core.demo import demo_devices
from core.errors import InputError
from core.figures import cie as cie_figures
from core.figures import efficiency as efficiency_figures
from core.figures import lifetime as lifetime_figures
from core.figures import literature as literature_figures
from core.figures import spectra as spectra_figures
from core.figures.export import (
    chart_spec,
    chart_to_bytes,
    merge_pdfs,
    pdf_size_pt,
    png_ppi,
    png_size_px,
    spec_to_bytes,
    svg_size_pt,
)
from core.figures.provenance import (
    SCHEMA,
    array_record,
    check_inputs,
    device_records,
    figure_files,
    figure_provenance,
    file_record,
    provenance_json,
    sha256_hex,
    spec_sha256,
    zip_bytes,
)
from core.figures.theme import (
    FONT,
    LOG_LABEL_EXPR,
    PALETTE,
    PRESETS,
    device_color_scale,
    device_colors,
    target_size_pt,
    themed,
)

PT_PER_CM = 72 / 2.54
# vl-convert writes sizes with 5 decimals in the PDF; 1e-3 pt is 0.35 µm.
PT_TOLERANCE = 1e-3


# --------------------------------------------------------------------------
# Independent readers
# --------------------------------------------------------------------------


def svg_width_height(svg: bytes) -> tuple[float, float]:
    root = re.search(rb"<svg[^>]*>", svg).group(0)
    width = float(re.search(rb'\swidth="([\d.]+)"', root).group(1))
    height = float(re.search(rb'\sheight="([\d.]+)"', root).group(1))
    return width, height


def png_chunks(png: bytes) -> dict[bytes, bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        chunks[png[offset + 4 : offset + 8]] = png[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return chunks


def pdf_objects(pdf: bytes) -> dict[int, bytes]:
    return {
        int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)
    }


def pdf_stream(body: bytes) -> bytes:
    head, data = body.split(b"stream", 1)
    data = data[data.index(b"\n") + 1 : data.rindex(b"endstream")]
    return zlib.decompress(data) if b"FlateDecode" in head else data


def _literal_strings(text: bytes):
    """PDF literal strings ``(...)`` of a content stream, escapes decoded."""
    i = 0
    while i < len(text):
        if text[i : i + 1] != b"(":
            i += 1
            continue
        out, depth, i = bytearray(), 1, i + 1
        while depth:
            c = text[i : i + 1]
            if c == b"\\":
                nxt = text[i + 1 : i + 2]
                if nxt.isdigit():
                    digits = re.match(rb"[0-7]{1,3}", text[i + 1 : i + 4]).group(0)
                    out.append(int(digits, 8))
                    i += 1 + len(digits)
                    continue
                escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b"}
                out += (escapes | {b"f": b"\f"}).get(nxt, nxt)
                i += 2
                continue
            if c == b"(":
                depth += 1
            elif c == b")":
                depth -= 1
                if not depth:
                    i += 1
                    break
            out += c
            i += 1
        yield i, bytes(out)


def _to_unicode(objects, font_ref: int) -> dict[int, str]:
    font = objects[font_ref]
    ref = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", font)
    cmap = pdf_stream(objects[int(ref.group(1))]).decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    return table


def pdf_text(pdf: bytes) -> str:
    """The strings shown on every page, decoded with that page's fonts."""
    objects = pdf_objects(pdf)
    text = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page\b", body):
            continue
        fonts = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        maps = {
            name.decode(): _to_unicode(objects, int(ref))
            for name, ref in re.findall(
                rb"/(\w+)\s+(\d+)\s+0\s+R", fonts.group(1) if fonts else b""
            )
        }
        contents = re.search(rb"/Contents\s+(\d+)\s+0\s+R", body)
        content = pdf_stream(objects[int(contents.group(1))])
        selections = [
            (m.start(), m.group(1).decode())
            for m in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf", content)
        ]
        for end, raw in _literal_strings(content):
            current = [name for start, name in selections if start < end]
            table = maps.get(current[-1], {}) if current else {}
            codes = struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2])
            text.append("".join(table.get(code, "?") for code in codes))
    return "".join(text)


def base_fonts(pdf: bytes) -> set[str]:
    return {
        name.split(b"+")[-1].decode()
        for name in re.findall(rb"/BaseFont\s*/([\w+-]+)", pdf)
    }


# --------------------------------------------------------------------------
# Every chart builder, drawn from the demo devices
# --------------------------------------------------------------------------


def _builders() -> dict:
    from core import efficiency, lifetime, literature, stability
    from core.demo.efficiency import demo_batch

    devices = demo_devices()
    names = [d.name for d in devices]
    scale = device_color_scale(names)
    series = devices[0].spectra_time
    results = {d.name: stability.series_stability(d.spectra_time) for d in devices}
    combined = pd.concat(
        [r.metrics.assign(device=n) for n, r in results.items()], ignore_index=True
    )
    window = (590, 700)
    overlay = spectra_figures.overlay_frame(series, most=5, wavelength_range=window)
    heat = spectra_figures.heatmap_frame(
        series, max_rows=12, max_columns=30, wavelength_range=window
    )
    sweeps = [efficiency.efficiency_metrics(d.jvl[0]) for d in devices]
    points = efficiency.points_table(sweeps)
    batch = efficiency.batch_table(
        [efficiency.efficiency_metrics(s) for s in demo_batch(12)]
    )
    items = [
        (d.name, log, lifetime.lifetime_metrics(log))
        for d in devices
        for log in d.lifetime
    ]
    readings = lifetime_figures.readings_frame(items, max_points=60)
    binned = lifetime_figures.binned_frame(items)
    frame = literature_figures.literature_chart_frame(
        literature.load_table(),
        {"eqe_max_percent": 20.0, "el_peak_nm": 640.0, "cie_x": 0.70, "cie_y": 0.29},
    )
    return {
        "spectra.overlay_chart": (
            spectra_figures.overlay_chart(overlay, series.axis_label),
            ["wavelength [nm]", "normalised EL intensity [-]"],
        ),
        "spectra.heatmap_chart": (
            spectra_figures.heatmap_chart(heat, series.axis_label),
            ["wavelength [nm]", "time [h]"],
        ),
        "spectra.difference_chart": (
            spectra_figures.difference_chart(
                series, results[names[0]], most=4, wavelength_range=window
            ),
            ["wavelength [nm]"],
        ),
        "spectra.metric_chart": (
            spectra_figures.metric_chart(
                combined, "delta_peak_nm", "peak shift [nm]", "time [h]", scale, 1.0
            ),
            ["peak shift [nm]", "time [h]"],
        ),
        "cie.cie_chart": (
            cie_figures.cie_chart(
                combined[["device", "axis", "cie_x", "cie_y"]],
                zoom="red corner",
                color_scale=scale,
            ),
            ["CIE x", "CIE y"],
        ),
        "efficiency.jv_chart": (
            efficiency_figures.jv_chart(points, color_scale=scale),
            ["voltage [V]", "current density [mA/cm²]"],
        ),
        "efficiency.lv_chart": (
            efficiency_figures.lv_chart(points, color_scale=scale),
            ["luminance [cd/m²]"],
        ),
        "efficiency.eqe_luminance_chart": (
            efficiency_figures.eqe_luminance_chart(points, color_scale=scale),
            ["EQE [%]", "luminance [cd/m²]"],
        ),
        "efficiency.eqe_current_density_chart": (
            efficiency_figures.eqe_current_density_chart(points, color_scale=scale),
            ["EQE [%]"],
        ),
        "efficiency.current_efficiency_chart": (
            efficiency_figures.current_efficiency_chart(points, color_scale=scale),
            ["current efficiency [cd/A]"],
        ),
        "efficiency.power_efficiency_chart": (
            efficiency_figures.power_efficiency_chart(points, color_scale=scale),
            ["power efficiency [lm/W]"],
        ),
        "efficiency.batch_histogram": (
            efficiency_figures.batch_histogram(batch),
            ["peak EQE [%]"],
        ),
        "lifetime.decay_chart": (
            lifetime_figures.decay_chart(
                readings,
                binned,
                lifetime_figures.model_frame(items, n_points=40),
                lifetime_figures.thresholds_frame(items),
                color_scale=scale,
            ),
            ["L/L0 [-]", "time [h]"],
        ),
        "lifetime.residuals_chart": (
            lifetime_figures.residuals_chart(readings, color_scale=scale),
            ["time [h]"],
        ),
        "lifetime.voltage_chart": (
            lifetime_figures.voltage_chart(readings, color_scale=scale),
            ["voltage [V]", "time [h]"],
        ),
        "lifetime.weibull_chart": (
            lifetime_figures.weibull_chart(binned, color_scale=scale),
            ["ln(time [h])"],
        ),
        "lifetime.acceleration_chart": (
            lifetime_figures.acceleration_chart(
                lifetime_figures.acceleration_frame(items), color_scale=scale
            ),
            ["T50 [h]", "initial luminance L0 [cd/m²]"],
        ),
        "literature.eqe_vs_peak_chart": (
            literature_figures.eqe_vs_peak_chart(frame),
            ["EL peak [nm]", "maximum EQE [%]"],
        ),
        "literature.t50_vs_eqe_chart": (
            literature_figures.t50_vs_eqe_chart(frame),
            ["maximum EQE [%]"],
        ),
        "literature.lmax_vs_eqe_chart": (
            literature_figures.lmax_vs_eqe_chart(frame),
            ["maximum luminance [cd/m²]"],
        ),
        "literature.cie_red_corner_chart": (
            literature_figures.cie_red_corner_chart(frame),
            ["CIE x", "CIE y"],
        ),
    }


BUILDER_NAMES = (
    "spectra.overlay_chart spectra.heatmap_chart spectra.difference_chart "
    "spectra.metric_chart cie.cie_chart efficiency.jv_chart efficiency.lv_chart "
    "efficiency.eqe_luminance_chart efficiency.eqe_current_density_chart "
    "efficiency.current_efficiency_chart efficiency.power_efficiency_chart "
    "efficiency.batch_histogram lifetime.decay_chart lifetime.residuals_chart "
    "lifetime.voltage_chart lifetime.weibull_chart lifetime.acceleration_chart "
    "literature.eqe_vs_peak_chart literature.t50_vs_eqe_chart "
    "literature.lmax_vs_eqe_chart literature.cie_red_corner_chart"
).split()


@pytest.fixture(scope="module")
def builders() -> dict:
    return _builders()


def test_the_list_covers_every_public_chart_builder(builders):
    # A new *_chart function in core/figures must join this test.
    import importlib

    found = set()
    for module in ("spectra", "cie", "efficiency", "lifetime", "literature"):
        mod = importlib.import_module(f"core.figures.{module}")
        found |= {
            f"{module}.{name}"
            for name in mod.__all__
            if name.endswith("_chart") or name.endswith("_histogram")
        }
    found.discard("efficiency.curve_chart")  # the generic one behind the others
    assert found == set(BUILDER_NAMES) == set(builders)


@pytest.mark.parametrize("name", BUILDER_NAMES)
def test_every_builder_exports_svg_pdf_png_at_the_exact_size(builders, name):
    chart, titles = builders[name]
    preset = PRESETS["acs-single"]
    width_pt, height_pt = preset.width_cm * PT_PER_CM, preset.height_cm * PT_PER_CM
    spec = chart_spec(themed(chart, "acs-single"))
    svg = spec_to_bytes(spec, "svg")
    pdf = spec_to_bytes(spec, "pdf")
    png = spec_to_bytes(spec, "png", ppi=72)

    assert svg_width_height(svg) == pytest.approx((width_pt, height_pt), abs=1e-6)
    box = re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()
    assert float(box[2]) - float(box[0]) == pytest.approx(width_pt, abs=PT_TOLERANCE)
    assert float(box[3]) - float(box[1]) == pytest.approx(height_pt, abs=PT_TOLERANCE)
    chunks = png_chunks(png)
    px = struct.unpack(">II", chunks[b"IHDR"][:8])
    expected = (preset.width_cm / 2.54 * 72, preset.height_cm / 2.54 * 72)
    assert abs(px[0] - expected[0]) <= 1 and abs(px[1] - expected[1]) <= 1

    # Liberation Sans is embedded and no label fell back to another font (a
    # glyph Liberation Sans lacks makes the renderer swap the whole label).
    assert base_fonts(pdf) == {"LiberationSans"}, base_fonts(pdf)
    text = pdf_text(pdf)
    svg_text = svg.decode()
    for title in titles:
        assert title.replace(" ", "") in text.replace(" ", ""), (title, text[:300])
        assert f">{title}</text>" in svg_text.replace("&#39;", "'")


# --------------------------------------------------------------------------
# Presets: exact sizes for every kind of chart
# --------------------------------------------------------------------------


def _simple() -> alt.Chart:
    frame = pd.DataFrame(
        {"x": np.arange(20.0), "y": np.arange(20.0) ** 2, "d": ["a", "b"] * 10}
    )
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("x:Q", title="voltage [V]"),
            y=alt.Y("y:Q", title="luminance [cd/m²]"),
            color=alt.Color("d:N", title="device"),
        )
    )


def test_presets_cover_the_journals_with_their_column_widths():
    # ACS: 3.25 in and 7 in; RSC: 8.3 and 17.1 cm; Nature: 89 and 183 mm
    # (publishers' author guides); Wiley ≈ 8.5 and ≈ 17.8 cm; slide 16:9.
    widths = {name: p.width_cm for name, p in PRESETS.items()}
    assert widths["acs-single"] == pytest.approx(3.25 * 2.54, abs=0.01)
    assert widths["acs-double"] == pytest.approx(7 * 2.54, abs=0.01)
    assert (widths["rsc-single"], widths["rsc-double"]) == (8.3, 17.1)
    assert (widths["nature-single"], widths["nature-double"]) == (8.9, 18.3)
    assert (widths["wiley-single"], widths["wiley-double"]) == (8.5, 17.8)
    slide = PRESETS["slide"]
    assert slide.width_cm / slide.height_cm == pytest.approx(16 / 9, rel=1e-3)
    assert PRESETS["nature-double"].height_cm <= 17.0  # Nature: at most 170 mm
    assert all(p.font_pt <= 7 for n, p in PRESETS.items() if n.startswith("nature"))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_single_and_layered_charts_are_exactly_the_preset_size(preset):
    p = PRESETS[preset]
    target = (p.width_cm * PT_PER_CM, p.height_cm * PT_PER_CM)
    rule = alt.Chart(pd.DataFrame({"y": [50.0]})).mark_rule().encode(y="y:Q")
    for chart in (_simple(), alt.layer(_simple(), rule)):
        svg = chart_to_bytes(themed(chart, preset), "svg")
        assert svg_width_height(svg) == pytest.approx(target, abs=1e-6)


@pytest.mark.parametrize(
    "kind", ["hconcat", "vconcat", "facet", "grid"], ids=lambda k: k
)
def test_compound_charts_are_exactly_the_preset_size(kind):
    base = _simple()
    chart = {
        "hconcat": lambda: alt.hconcat(base, base.mark_point()),
        "vconcat": lambda: alt.vconcat(base, base),
        "facet": lambda: base.facet(column=alt.Column("d:N", title="device")),
        "grid": lambda: alt.vconcat(alt.hconcat(base, base), alt.hconcat(base, base)),
    }[kind]()
    for preset in ("acs-double", "nature-single"):
        p = PRESETS[preset]
        target = (p.width_cm * PT_PER_CM, p.height_cm * PT_PER_CM)
        spec = chart_spec(themed(chart, preset))
        svg = spec_to_bytes(spec, "svg")
        assert svg_width_height(svg) == pytest.approx(target, abs=0.01)
        if preset == "acs-double":
            assert pdf_size_pt(spec_to_bytes(spec, "pdf")) == pytest.approx(
                target, abs=0.01
            )


@pytest.mark.parametrize("ppi", [300, 600])
def test_png_has_the_requested_dpi_and_pixels(ppi):
    png = chart_to_bytes(themed(_simple(), "acs-single"), "png", ppi=ppi)
    x, y, unit = struct.unpack(">IIB", png_chunks(png)[b"pHYs"][:9])
    assert unit == 1  # pixels per metre
    assert x == y == pytest.approx(ppi / 0.0254, abs=1)  # pHYs is rounded to 1/m
    width, height = struct.unpack(">II", png_chunks(png)[b"IHDR"][:8])
    assert abs(width - 8.25 / 2.54 * ppi) <= 1
    assert abs(height - 6.6 / 2.54 * ppi) <= 1
    assert png_ppi(png) == pytest.approx((ppi, ppi), abs=0.01)
    assert png_size_px(png) == (width, height)


def test_size_readers_agree_with_the_independent_parsers():
    spec = chart_spec(themed(_simple(), "rsc-double"))
    svg, pdf = spec_to_bytes(spec, "svg"), spec_to_bytes(spec, "pdf")
    assert svg_size_pt(svg) == svg_width_height(svg)
    assert pdf_size_pt(pdf) == pytest.approx(svg_width_height(svg), abs=PT_TOLERANCE)
    assert target_size_pt(spec) == pytest.approx(svg_width_height(svg))


def test_custom_size_overrides_the_preset():
    svg = chart_to_bytes(themed(_simple(), "acs-single", height_cm=4.0), "svg")
    assert svg_width_height(svg) == pytest.approx(
        (8.25 * PT_PER_CM, 4.0 * PT_PER_CM), abs=1e-6
    )


# --------------------------------------------------------------------------
# Theme
# --------------------------------------------------------------------------


def test_theme_font_and_colour_blind_palette():
    spec = chart_spec(themed(_simple(), "screen"))
    config = spec["config"]
    assert FONT == "Liberation Sans"
    assert config["font"] == config["axis"]["labelFont"] == FONT
    assert config["legend"]["titleFont"] == config["title"]["font"] == FONT
    assert config["range"]["category"] == list(PALETTE)
    assert config["axis"]["grid"] is False  # no chart junk
    # Okabe & Ito (2008): the first two are blue (0, 114, 178), vermillion.
    assert PALETTE[:2] == ("#0072B2", "#D55E00")


def test_a_device_keeps_its_colour_whatever_else_is_shown():
    session = ["control", "treated", "batch 2"]
    everything = device_colors(session)
    assert device_colors(session)["treated"] == everything["treated"] == PALETTE[1]
    scale = device_color_scale(session).to_dict()
    assert scale["domain"] == session and scale["range"] == list(PALETTE[:3])
    many = device_colors([f"d{i}" for i in range(10)])
    assert many["d8"] == PALETTE[0]  # wraps after the palette


def test_themed_leaves_the_builders_chart_unchanged():
    chart = _simple()
    before = chart.to_dict()
    themed(chart, "slide")
    assert chart.to_dict() == before


def test_unknown_preset_is_refused_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown preset 'acs'.*acs-single"):
        themed(_simple(), "acs")


def test_export_refuses_an_unknown_format_and_a_bad_dpi():
    with pytest.raises(
        ValueError, match=r"format must be one of \('svg', 'pdf', 'png'\)"
    ):
        chart_to_bytes(_simple(), "jpg")
    with pytest.raises(ValueError, match="ppi must be a positive number, got 0"):
        chart_to_bytes(_simple(), "png", ppi=0)


def test_single_column_legends_stack_above_the_plot():
    spec = chart_spec(themed(_simple(), "acs-single"))
    legend = spec["config"]["legend"]
    assert legend["orient"] == "top"
    assert legend["layout"]["top"]["direction"] == "vertical"
    double = chart_spec(themed(_simple(), "acs-double"))["config"]["legend"]
    assert double["orient"] == "right" and "layout" not in double


def test_log_axis_labels_use_glyphs_liberation_sans_has():
    frame = pd.DataFrame({"j": np.logspace(-6, 5, 12), "v": np.linspace(0, 5, 12)})
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("v:Q", title="voltage [V]"),
            y=alt.Y("j:Q", title="J [mA/cm²]", scale=alt.Scale(type="log")),
        )
    )
    spec = chart_spec(themed(chart, "acs-double"))
    assert spec["encoding"]["y"]["axis"]["labelExpr"] == LOG_LABEL_EXPR
    assert "labelExpr" not in spec["encoding"]["x"].get("axis", {})
    svg = spec_to_bytes(spec, "svg").decode()
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert "1e−6" in labels and "0.001" in labels and "10000" in labels
    assert "1e5" in labels
    assert not any("," in label for label in labels)  # no "10,000"
    assert base_fonts(spec_to_bytes(spec, "pdf")) == {"LiberationSans"}


def test_more_than_5000_rows_export():
    # Altair's default refuses data frames above 5000 rows at to_dict().
    frame = pd.DataFrame({"x": np.arange(6000.0), "y": np.sin(np.arange(6000.0))})
    chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
    with pytest.raises(alt.MaxRowsError):
        chart.to_dict()
    assert chart_to_bytes(themed(chart, "acs-single"), "svg").startswith(b"<svg")


# --------------------------------------------------------------------------
# Joined PDFs
# --------------------------------------------------------------------------


def _page_tree_pages(pdf: bytes) -> list[bytes]:
    objects = pdf_objects(pdf)
    root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", pdf.rsplit(b"trailer", 1)[1])[1])
    pages = []

    def walk(number: int) -> None:
        body = objects[number]
        if b"/Type /Pages" in body:
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body).group(1)
            for kid in re.findall(rb"(\d+)\s+0\s+R", kids):
                walk(int(kid))
        else:
            pages.append(body)

    walk(int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", objects[root]).group(1)))
    return pages


def test_merged_pdf_has_every_page_in_order_and_a_valid_xref():
    one = chart_to_bytes(themed(_simple(), "acs-single"), "pdf")
    two = chart_to_bytes(themed(_simple(), "slide"), "pdf")
    merged = merge_pdfs([one, two, one])
    pages = _page_tree_pages(merged)
    assert len(pages) == 3
    boxes = [re.search(rb"/MediaBox\s*\[([^\]]+)\]", p).group(1).split() for p in pages]
    widths = [float(box[2]) for box in boxes]
    assert widths == pytest.approx(
        [8.25 * PT_PER_CM, 25.4 * PT_PER_CM, 8.25 * PT_PER_CM], abs=PT_TOLERANCE
    )
    # Every xref offset points at "N 0 obj" of that number.
    start = int(re.search(rb"startxref\s+(\d+)", merged).group(1))
    table = merged[start:].split(b"trailer")[0].split(b"\n")
    count = int(table[1].split()[1])
    for number, line in enumerate(table[2 : 2 + count]):
        offset, _, kind = line.split()
        if kind == b"n":
            assert merged[int(offset) :].startswith(b"%d 0 obj" % number)
    assert pdf_text(merged).count("voltage") == 3


def test_merge_refuses_what_it_cannot_join():
    with pytest.raises(ValueError, match="classic xref table"):
        merge_pdfs([b"%PDF-1.5\n1 0 obj<</Type/ObjStm>>endobj\n%%EOF"])
    with pytest.raises(ValueError, match="no PDF to join"):
        merge_pdfs([])


# --------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------


def test_checksums_match_published_sha256_test_vectors():
    # FIPS 180-2 example: SHA-256("abc").
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    record = file_record(b"abc", "a.txt", "spectra")
    assert record == {
        "name": "a.txt",
        "role": "spectra",
        "kind": "file",
        "size_bytes": 3,
        "sha256": sha256_hex(b"abc"),
    }


def test_parsed_data_checksum_tells_datasets_apart():
    a = array_record([np.arange(3.0), None, np.ones(2)], "x", "jvl")
    b = array_record([np.arange(3.0), np.ones(2)], "x", "jvl")
    c = array_record([np.arange(3.0), np.ones(2) * 2], "x", "jvl")
    assert a["sha256"] == b["sha256"] != c["sha256"]
    assert a["kind"] == "parsed data" and a["size_bytes"] == 40
    demo = demo_devices()[0]
    roles = [r["role"] for r in device_records(demo)]
    assert roles[:2] == ["spectra_time", "spectra_bias"] and "jvl" in roles
    stored = [file_record(b"x", "el.csv", "spectra")]
    uploaded = demo.__class__(name="u", metadata={"files": stored})
    assert device_records(uploaded) == [dict(stored[0], device="u")]


def test_sidecar_records_inputs_settings_versions_and_checksums():
    chart = _simple()
    inputs = [file_record(b"1,2\n", "jvl.csv", "jvl")]
    files = figure_files(
        chart,
        "luminance",
        preset="acs-single",
        ppi=300,
        builder="tests.test_figures._simple",
        inputs=inputs,
        settings={"threshold_nm": 1.0, "nan": float("nan")},
        created_utc="2025-01-01T00:00:00+00:00",
    )
    assert sorted(files) == [
        "luminance.csv",
        "luminance.pdf",
        "luminance.png",
        "luminance.provenance.json",
        "luminance.svg",
    ]
    record = json.loads(files["luminance.provenance.json"])
    import core

    assert record["schema"] == SCHEMA
    assert record["app"] == {"name": "PeLED Bench", "version": core.__version__}
    assert record["inputs"] == inputs
    assert record["settings"] == {"threshold_nm": 1.0, "nan": None}
    assert record["preset"]["name"] == "acs-single" and record["png_ppi"] == 300
    assert set(record["engine"]) == {"altair", "vl_convert", "vega", "vega_lite"}
    for fmt in ("svg", "pdf", "png", "csv"):
        digest = hashlib.sha256(files[f"luminance.{fmt}"]).hexdigest()
        assert record["outputs"][fmt]["sha256"] == digest
    # The spec checksum identifies the exact figure: same builder, same
    # settings -> same spec -> same SVG bytes.
    spec = chart_spec(themed(_simple(), record["preset"]["name"]))
    assert spec_sha256(spec) == record["spec_sha256"]
    assert spec_to_bytes(spec, "svg") == files["luminance.svg"]


def test_check_inputs_names_a_missing_or_changed_file():
    record = figure_provenance("f", inputs=[file_record(b"abc", "el.txt")])
    check_inputs(record, {"el.txt": b"abc"})
    with pytest.raises(InputError, match="el.txt: the figure was made from this file"):
        check_inputs(record, {})
    with pytest.raises(InputError, match=r"el.txt: SHA-256 .* differs .*changed"):
        check_inputs(record, {"el.txt": b"abd"})


def test_zip_is_reproducible_and_holds_every_file():
    files = {"figures/a.svg": b"<svg/>", "tables/t.csv": b"x\n1\n"}
    first, second = zip_bytes(files), zip_bytes(dict(files))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == list(files)
        assert archive.read("tables/t.csv") == b"x\n1\n"


def test_provenance_json_is_utf8_with_nulls_for_nan():
    text = provenance_json({"a": float("inf"), "unit": "cd/m²"}).decode("utf-8")
    assert json.loads(text) == {"a": None, "unit": "cd/m²"}


def test_svg_bytes_do_not_depend_on_what_was_drawn_before():
    # Vega numbers clip paths with a process-wide counter; export renumbers.
    clipped = _simple().mark_line(clip=True)
    spec = chart_spec(themed(clipped, "acs-single"))
    first = spec_to_bytes(spec, "svg")
    chart_to_bytes(themed(clipped, "slide"), "svg")
    assert spec_to_bytes(spec, "svg") == first
    assert b'id="clip1"' in first and b"url(#clip1)" in first
