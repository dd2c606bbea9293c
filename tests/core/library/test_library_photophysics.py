"""
Photophysics files in the device library (SQLite and PostgreSQL): a device
with a decay file is saved, re-opened byte-exact and gives the same τ as the
fit of the demo container; the measurements' grouping and settings are
stored and kept by a re-analysis and an archive; a file its reader refuses
writes nothing. The role column is free text: no migration was needed.
"""

from __future__ import annotations

import pytest

from core.demo.photophysics import SAMPLES, demo_absorbance, demo_decay
from core.errors import InputError
from core.library import ROLES, DeviceRecord, FileInput, Library
from core.library.analysis import analyse_files, comparable, settings_payload
from core.library.records import PHOTOPHYSICS_ROLES
from core.models import PhotophysicsInput
from core.photophysics import (
    absorbance_file_bytes,
    analyse_input,
    decay_file_bytes,
    fit_decay,
    runs,
)
from core.report import ReportSettings, photophysics_spec
from tests.core.library.library_support import SPECTRA_OPTIONS, demo_inputs

SAMPLE = SAMPLES[1]  # SQDs-T (synthetic): τ = 15.3 ns in Ren et al. 2024


def decay_file() -> bytes:
    decay, irf = demo_decay(SAMPLE)
    return decay_file_bytes([decay, irf])


def measurements() -> tuple[PhotophysicsInput, ...]:
    """A tail fit from a given start, an absorbance edge, a PLQY by hand."""
    decay, _ = demo_decay(SAMPLE)
    return (
        PhotophysicsInput(
            "trpl",
            "film",
            (("film_decay.csv", "trpl", decay_file_bytes([decay])),),
            {"tail_start_ns": 20.0},
        ),
        PhotophysicsInput(
            "absorption",
            "film",
            (
                (
                    "film_abs.csv",
                    "absorbance",
                    absorbance_file_bytes(demo_absorbance(SAMPLE)),
                ),
            ),
        ),
        PhotophysicsInput("plqy", "film", (), {"value_percent": 91.0}),
    )


def test_photophysics_roles_are_the_library_vocabulary():
    assert PHOTOPHYSICS_ROLES == runs.ROLES
    assert set(PHOTOPHYSICS_ROLES) <= set(ROLES)
    with pytest.raises(InputError, match="plqy_empty, plqy_out, plqy_in"):
        FileInput("x.csv", b"1,2\n", "decay")


def test_a_device_with_a_decay_file_round_trips_with_the_same_tau(library):
    data = decay_file()
    device_id = library.save_device(
        DeviceRecord(name="QD film"), [FileInput("qd_decay.csv", data, "trpl")]
    )
    with Library(library.url) as reopened:  # a new connection, as another process
        device = reopened.open_device(device_id)
    assert device.reproduced is True
    assert [(f.name, f.role, f.data) for f in device.files] == [
        ("qd_decay.csv", "trpl", data)
    ]
    (entry,) = device.current.results["photophysics"]
    assert (entry["kind"], entry["sample"], entry["files"]) == (
        "trpl",
        "qd_decay",
        ["qd_decay.csv"],
    )
    decay, irf = demo_decay(SAMPLE)
    fit = fit_decay(decay, irf=irf)
    (stored,) = entry["results"]
    assert stored["tau_ns"] == list(fit.tau_ns)
    assert stored["tau_stderr_ns"] == list(fit.tau_stderr_ns)
    assert stored["method"] == "reconvolution"
    assert stored["tau_ns"][0] == pytest.approx(15.3, abs=0.05)
    assert device.current.results["inputs"][0]["sha256"] == device.files[0].sha256


def test_measurements_and_their_settings_are_stored_beside_the_device(library):
    records = measurements()
    files = demo_inputs(0) + [
        FileInput(name, data, role) for r in records for name, role, data in r.files
    ]
    device_id = library.save_device(
        DeviceRecord(name="A1"),
        files,
        {"photophysics": photophysics_spec(records)},
        reader_options=SPECTRA_OPTIONS,
    )
    device = library.open_device(device_id)
    assert device.reproduced is True
    stored = device.current.results["photophysics"]
    assert [e["kind"] for e in stored] == ["trpl", "absorption", "plqy"]
    for entry, record in zip(stored, records, strict=True):
        # The numbers of the page's analysis of the same files and settings.
        assert entry["results"] == comparable(analyse_input(record).summaries())
    assert stored[0]["settings"]["tail_start_ns"] == 20.0
    assert stored[0]["results"][0]["fit_start_ns"] == pytest.approx(20.0, abs=0.05)
    # The EL, J-V-L and lifetime results are those of the same files alone.
    _, alone = analyse_files(
        "A1",
        [(f.name, f.role, f.data) for f in demo_inputs(0)],
        settings_payload(None, SPECTRA_OPTIONS),
    )
    assert device.current.summary == alone["summary"]
    # A re-analysis with other report settings keeps the measurements.
    again = library.reanalyse(device_id, settings=ReportSettings(threshold_nm=2.0))
    assert again.settings["photophysics"] == device.current.settings["photophysics"]
    assert again.results["photophysics"] == stored


def test_an_archive_keeps_photophysics_files_and_numbers(library, other_url, tmp_path):
    device_id = library.save_device(
        DeviceRecord(name="QD film"), [FileInput("qd_decay.csv", decay_file(), "trpl")]
    )
    library.export_archive(tmp_path / "lab.zip")
    with Library(other_url) as other:
        (imported,) = other.import_archive(tmp_path / "lab.zip")["imported"]
        copy = other.open_device(imported["id"])
    original = library.open_device(device_id)
    assert copy.reproduced is True
    assert copy.files[0].role == "trpl"
    assert copy.current.results == original.current.results


def test_a_decay_file_its_reader_refuses_writes_nothing(library):
    before = library.table_counts()
    bad = FileInput("notes.csv", b"measured on Tuesday\nno numbers here\n", "trpl")
    with pytest.raises(InputError, match="notes.csv"):
        library.save_device(DeviceRecord(name="X"), [bad])
    with pytest.raises(InputError, match="Unknown photophysics kind 'spin'"):
        library.save_device(
            DeviceRecord(name="X"),
            [FileInput("d.csv", decay_file(), "trpl")],
            {"photophysics": [{"kind": "spin", "sample": "s", "files": ["d.csv"]}]},
        )
    assert library.table_counts() == before
