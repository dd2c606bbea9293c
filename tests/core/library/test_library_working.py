"""
core/library/working.py, devices.py and headline.py: a browser session's
working set survives a reload for its user only; a stored device comes back
as the containers the readers give; a saved device gets new files as a new
analysis; the list's headline uncertainties are those of the results and the
colour distance is colour-science's.
"""

from __future__ import annotations

import datetime as dt

import colour
import numpy as np
import pytest
import sqlalchemy as sa

from core.errors import InputError
from core.io.jvl import read_jvl
from core.io.spectra import read_spectral_series
from core.library import (
    HEADLINE_KEYS,
    LOCAL_USER,
    PermissionDenied,
    User,
    device_of,
)
from core.library.headline import distance_bt2020_uv
from core.library.schema import WorkingSetRow
from core.library.working import KEEP_DAYS
from tests.core.library.library_support import (
    SPECTRA_OPTIONS,
    demo_inputs,
    save_demo,
)

ALICE = User.from_email("alice@lab.example")
BOB = User.from_email("bob@lab.example")
KEY = "0123456789abcdef0123456789abcdef"


def test_a_working_set_comes_back_for_its_user_only(library):
    library.save_working_set(KEY, [3, 1, 3, "2", None], 1, ALICE)
    assert library.working_set(KEY, ALICE) == ([3, 1, 2], 1)
    # Another user neither reads nor overwrites it.
    assert library.working_set(KEY, BOB) == ([], None)
    library.save_working_set(KEY, [9], 9, BOB)
    assert library.working_set(KEY, ALICE) == ([3, 1, 2], 1)
    # A current id outside the set is dropped; an unknown key is empty.
    library.save_working_set(KEY, [5], 7, ALICE)
    assert library.working_set(KEY, ALICE) == ([5], None)
    assert library.working_set("f" * 32, ALICE) == ([], None)


@pytest.mark.parametrize("key", ["short", "x" * 65, "../../etc/passwd" * 2, ""])
def test_a_malformed_session_key_is_refused(library, key):
    with pytest.raises(InputError, match="Session key"):
        library.working_set(key)


def test_old_working_sets_are_removed(library):
    library.save_working_set("a" * 32, [1])
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=KEEP_DAYS + 1)
    with library.session(write=True) as session, session.begin():
        session.execute(sa.update(WorkingSetRow).values(updated_at=old))
    library.save_working_set("b" * 32, [2])
    assert library.working_set("a" * 32) == ([], None)
    assert library.working_set("b" * 32) == ([2], None)


def test_a_stored_device_comes_back_as_the_readers_read_its_files(library):
    device_id = save_demo(library, "A1")
    stored = library.open_device(device_id)
    device = device_of(stored, name="A1 (reopened)")
    assert device.name == "A1 (reopened)"
    files = {f.name: f for f in demo_inputs()}
    jvl, spectra = files["control_jvl.txt"], files["control_el.csv"]
    direct_sweep = read_jvl(jvl.data, jvl.name)
    direct_series = read_spectral_series(spectra.data, spectra.name, **SPECTRA_OPTIONS)
    assert np.array_equal(device.jvl[0].luminance_cd_m2, direct_sweep.luminance_cd_m2)
    assert np.array_equal(device.spectra_time.intensity, direct_series.intensity)
    assert np.array_equal(device.spectra_time.axis, direct_series.axis)
    assert len(device.lifetime) == 1


def test_new_files_for_a_saved_device_are_a_new_analysis(library):
    inputs = demo_inputs()
    without_log = [f for f in inputs if f.name != "control_life.csv"]
    device_id = library.save_device(
        {"name": "A1"}, without_log, reader_options=SPECTRA_OPTIONS, user=ALICE
    )
    assert library.open_device(device_id, ALICE).current.summary["t50_h"] is None
    with pytest.raises(PermissionDenied):
        library.replace_files(device_id, inputs, BOB, reader_options=SPECTRA_OPTIONS)
    library.replace_files(device_id, inputs, ALICE, reader_options=SPECTRA_OPTIONS)
    stored = library.open_device(device_id, ALICE)
    assert [f.name for f in stored.files] == [f.name for f in inputs]
    assert [f.data for f in stored.files] == [f.data for f in inputs]
    assert stored.current.summary["t50_h"] > 0
    assert [a.current for a in stored.analyses] == [True, False]
    assert stored.reproduced is True


def test_the_list_holds_the_uncertainties_of_the_results(library):
    device_id = save_demo(library, "A1")
    results = library.open_device(device_id).current.results
    (entry,) = library.list_devices()
    assert set(entry.headline) == set(HEADLINE_KEYS)
    assert (
        entry.headline["peak_shift_sd_nm"] == results["stability"]["peak_shift_sd_nm"]
    )
    (test,) = results["lifetime"]
    t50 = next(t for t in test["thresholds"] if t["fraction"] == 0.5)
    assert entry.headline["t50_uncertainty_h"] == t50["uncertainty_h"] > 0
    assert entry.headline["t50_at_reference_low_h"] == test["reference"]["band_h"][0]
    assert entry.headline["peak_shift_at_t50_nm"] == test["peak_shift_at_t50_nm"]
    assert "headline" not in entry.to_dict()  # the CLI's answer is unchanged
    assert LOCAL_USER.is_local


def test_the_colour_distance_is_colour_sciences():
    red = colour.RGB_COLOURSPACES["ITU-R BT.2020"].primaries[0]
    assert distance_bt2020_uv(*red) == pytest.approx(0.0, abs=1e-12)
    xy = (0.690, 0.305)
    uv = colour.xy_to_Luv_uv(np.array(xy))
    red_uv = colour.xy_to_Luv_uv(np.asarray(red))
    expected = float(np.hypot(*(uv - red_uv)))
    assert distance_bt2020_uv(*xy) == pytest.approx(expected, rel=1e-12)
    assert distance_bt2020_uv(None, 0.3) is None
