"""
core.figures.provenance: checksums against published test vectors, the
sidecar's records, input checks and reproducible ZIPs.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import numpy as np
import pytest
from figure_readers import simple_chart

from core.demo import demo_devices
from core.errors import InputError
from core.figures.controls import FigureControls, apply_controls
from core.figures.export import chart_spec, spec_to_bytes
from core.figures.provenance import (
    SCHEMA,
    array_record,
    check_inputs,
    device_records,
    figure_files,
    figure_provenance,
    file_record,
    provenance_json,
    rebuild_svg,
    sha256_hex,
    spec_sha256,
    zip_bytes,
)
from core.figures.theme import themed


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
    chart = simple_chart()
    inputs = [file_record(b"1,2\n", "jvl.csv", "jvl")]
    files = figure_files(
        chart,
        "luminance",
        preset="acs-single",
        ppi=300,
        builder="figure_readers.simple_chart",
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
    # (the page's figure controls, none here, are applied before the theme).
    controls = FigureControls.from_dict(record["controls"])
    assert controls.is_default
    spec = chart_spec(
        themed(apply_controls(simple_chart(), controls), record["preset"]["name"])
    )
    assert spec_sha256(spec) == record["spec_sha256"]
    assert spec_to_bytes(spec, "svg") == files["luminance.svg"]
    # The sidecar alone rebuilds the same SVG bytes.
    assert rebuild_svg(record) == files["luminance.svg"]


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
