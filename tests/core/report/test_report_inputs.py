"""core.report.inputs: files read into devices, their kind found by content."""

from __future__ import annotations

import pytest
from report_support import SPECTRA_OPTIONS, demo_files

from core.demo import demo_devices
from core.errors import InputError
from core.report import load_devices


def test_files_are_read_into_devices_and_their_kind_is_found():
    files, group = demo_files(demo_devices()[0], "control")
    (device,), inputs = load_devices([group], files, SPECTRA_OPTIONS)
    roles = [(i["name"], i["role"], i["device"]) for i in inputs]
    assert roles == [
        ("control_el.csv", "spectra", "control"),
        ("control_jvl.txt", "jvl", "control"),
        ("control_life.csv", "lifetime", "control"),
    ]
    assert device.name == "control"
    assert device.spectra_time.n_spectra == len(range(0, 61, 6))
    assert len(device.jvl) == 1 and len(device.lifetime) == 1
    assert all(len(i["sha256"]) == 64 for i in inputs)


def test_reading_files_reports_bad_inputs():
    files, group = demo_files(demo_devices()[0], "c")
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
