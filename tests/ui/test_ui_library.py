"""
ui/library.py, ui/device.py and the file registry of ui/session.py, run in
Streamlit's AppTest against a library in a temporary folder:

- an upload goes to the current device, "Save to library" stores its bytes,
  and a new session from the same URL (a reload) reopens it with the same
  numbers on the page;
- demo data is refused with its sentence; a saved device saved again with
  another file gets a new analysis, the old one kept;
- with login configured (``[auth]`` in the secrets, ``st.user`` given to
  AppTest), Bob's Library page does not list Alice's private device and
  ``?open=<its id>`` gives the PermissionDenied sentence; the data layer
  refuses him too; nobody signed in sees "Sign in".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.library import DATA_DIR_ENV, DATABASE_URL_ENV, Library, PermissionDenied, User
from tests.core.library.library_support import demo_inputs, save_demo

ROOT = Path(__file__).resolve().parents[2]
STABILITY = str(ROOT / "pages" / "1_Spectral_stability.py")
LIFETIME = str(ROOT / "pages" / "3_Lifetime.py")
LIBRARY_PAGE = str(ROOT / "pages" / "7_Library.py")
SERIES = ROOT / "tests" / "data" / "synthetic_wide_time.csv"
TIMEOUT_S = 120
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-secret-only-a-test",
        "client_id": "peled",
        "client_secret": "test",
        "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
    }
}
ALICE = {"is_logged_in": True, "email": "alice@lab.example", "name": "Alice"}
BOB = {"is_logged_in": True, "email": "bob@lab.example", "name": "Bob"}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """The app's library in a folder of its own."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


def _sidebar_texts(at: AppTest) -> list[str]:
    kinds = (at.sidebar.success, at.sidebar.info, at.sidebar.warning, at.sidebar.error)
    return [x.value for kind in kinds for x in kind]


def _new_device(at: AppTest, name: str, batch: str = "") -> None:
    at.sidebar.text_input(key="device_bar_new_name").input(name)
    at.sidebar.text_input(key="device_bar_new_batch").input(batch)
    at.sidebar.button(key="FormSubmitter:device_bar_new-Create device").click().run()


def _upload_series(at: AppTest) -> dict[str, str]:
    at.radio(key="stability_source").set_value("Upload files").run()
    at.file_uploader(key="stability_files").set_value(
        (SERIES.name, SERIES.read_bytes(), "text/csv")
    ).run()
    at.button(key="stability_add").click().run()
    return {m.label: m.value for m in at.metric}


def test_save_reload_and_reopen_give_the_same_numbers(data_dir):
    at = AppTest.from_file(STABILITY, default_timeout=TIMEOUT_S)
    at.run()
    _new_device(at, "S1", "B-07")
    assert at.sidebar.selectbox(key="device_bar_choice").value == "S1"
    # The upload's default device name is the current device's.
    at.radio(key="stability_source").set_value("Upload files").run()
    at.file_uploader(key="stability_files").set_value(
        (SERIES.name, SERIES.read_bytes(), "text/csv")
    ).run()
    assert at.text_input(key="stability_device").value == "S1"
    at.button(key="stability_add").click().run()
    before = {m.label: m.value for m in at.metric}
    at.button(key="device_bar_save").click().run()
    assert not _errors(at)
    assert "Saved S1 to the library as device #1." in _sidebar_texts(at)
    key = at.query_params["session"]
    assert len(key) == 32
    with Library() as library:  # the bytes are the upload's, the record the bar's
        stored = library.open_device(1)
        assert stored.files[0].data == SERIES.read_bytes()
        assert stored.record.batch == "B-07" and stored.reproduced is True

    reloaded = AppTest.from_file(STABILITY, default_timeout=TIMEOUT_S)
    reloaded.query_params["session"] = key
    reloaded.run()
    assert not _errors(reloaded)
    assert any(t.startswith("Reopened 1 device(s)") for t in _sidebar_texts(reloaded))
    assert (
        "Uploads that were not saved are not restored." in _sidebar_texts(reloaded)[0]
    )
    assert reloaded.sidebar.selectbox(key="device_bar_choice").value == "S1"
    after = {m.label: m.value for m in reloaded.metric}
    assert after == before and after["Peak shift (trend)"] == "-4.00 nm"

    # Another session (no key in its URL) starts empty.
    fresh = AppTest.from_file(STABILITY, default_timeout=TIMEOUT_S)
    fresh.run()
    assert fresh.query_params["session"] != key
    assert "device_bar_choice" not in [w.key for w in fresh.sidebar.selectbox]
    assert "**Current device**: none yet" in [m.value for m in fresh.sidebar.markdown]


def test_demo_data_is_not_saved(data_dir):
    at = AppTest.from_file(STABILITY, default_timeout=TIMEOUT_S)
    at.session_state["peled_devices"] = {}
    at.run()
    from core.demo import demo_devices

    at.session_state["peled_devices"] = {d.name: d for d in demo_devices()}
    at.session_state["peled_current_device"] = demo_devices()[0].name
    at.run()
    at.button(key="device_bar_save").click().run()
    (text,) = _sidebar_texts(at)
    assert "demo data is synthetic and not saved" in text
    with Library() as library:
        assert library.list_devices() == []


def test_a_new_file_for_a_saved_device_is_a_new_version(data_dir, tmp_path):
    inputs = {f.name: f for f in demo_inputs()}
    with Library() as library:
        device_id = library.save_device(
            {"name": "A1"},
            [inputs["control_el.csv"], inputs["control_jvl.txt"]],
            reader_options={"axis_name": "time", "axis_unit": "h"},
        )
    at = AppTest.from_file(LIFETIME, default_timeout=TIMEOUT_S)
    at.query_params["open"] = str(device_id)
    at.run()
    assert f"Opened A1 (device #{device_id})." in _sidebar_texts(at)
    at.radio(key="lifetime_source").set_value("Upload files").run()
    log = inputs["control_life.csv"]
    at.file_uploader(key="lifetime_files").set_value((log.name, log.data, "text/csv"))
    at.run()
    assert at.text_input(key="lifetime_device_name").value == "A1"
    at.button(key="lifetime_add").click().run()
    at.button(key="device_bar_save").click().run()
    (text,) = _sidebar_texts(at)
    assert text.startswith(f"Saved A1 (device #{device_id}). The results changed (")
    assert "lifetime" in text and "is kept" in text
    with Library() as library:
        stored = library.open_device(device_id)
        assert [f.name for f in stored.files] == [
            "control_el.csv",
            "control_jvl.txt",
            "control_life.csv",
        ]
        assert len(stored.analyses) == 2 and stored.current.summary["t50_h"] > 0


def _login_app(page: str, user: dict) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT_S)
    at.secrets = dict(AUTH)
    at.user = dict(user)
    return at


def test_another_users_private_device_is_neither_listed_nor_opened(data_dir):
    alice, bob = User.from_login(ALICE), User.from_login(BOB)
    with Library() as library:
        private = save_demo(library, "Alice private", user=alice)
        shared = save_demo(library, "Alice shared", user=alice, visibility="lab")
    at = _login_app(LIBRARY_PAGE, ALICE)
    at.run()
    assert not _errors(at)
    assert "Signed in as **Alice**." in [c.value for c in at.sidebar.caption]
    assert sorted(at.session_state["library_shown_ids"]) == [private, shared]

    at = _login_app(LIBRARY_PAGE, BOB)
    at.run()
    assert not _errors(at)
    assert at.session_state["library_shown_ids"] == [shared]
    at = _login_app(LIBRARY_PAGE, BOB)
    at.query_params["open"] = str(private)
    at.run()
    assert _sidebar_texts(at) == [
        f"Device {private} is a private record of another user: you cannot open, "
        "change or delete it."
    ]
    assert not at.session_state["peled_devices"]
    with Library() as library, pytest.raises(PermissionDenied):
        library.open_device(private, bob)


def test_with_login_and_nobody_signed_in_the_library_is_closed(data_dir):
    at = _login_app(LIBRARY_PAGE, {"is_logged_in": False})
    at.run()
    assert not at.exception
    assert "Sign in (sidebar) to see the device library." in [i.value for i in at.info]
    assert at.sidebar.button(key="device_bar_login").label == "Sign in"
    assert "library_shown_ids" not in at.session_state


def test_without_login_the_app_says_it_is_single_user(data_dir):
    at = AppTest.from_file(LIBRARY_PAGE, default_timeout=TIMEOUT_S)
    at.run()
    captions = [c.value for c in at.sidebar.caption]
    assert (
        "Single-user mode: no login configured — everyone who opens this app sees "
        "the same library." in captions
    )
