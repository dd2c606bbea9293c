"""ui.memory: what a session left goes when the last session ends."""

from __future__ import annotations

import gc
import sys
import time
import types

from streamlit.testing.v1 import AppTest

from ui import memo, memory


def test_trim_heap_runs_on_linux_and_is_a_no_op_elsewhere(monkeypatch):
    if sys.platform.startswith("linux"):
        assert memory.trim_heap() is True
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memory.trim_heap() is False
    monkeypatch.setattr(sys, "platform", "win32")
    assert memory.trim_heap() is False


def test_only_an_app_page_main_module_is_let_go(monkeypatch):
    page = types.ModuleType("__main__")
    page.__file__ = str(memory.APP_ROOT / "pages" / "1_Spectral_stability.py")
    page.series = object()
    monkeypatch.setitem(sys.modules, "__main__", page)
    assert memory.drop_last_page_globals() is True
    assert sys.modules["__main__"] is not page
    assert not hasattr(sys.modules["__main__"], "series")

    other = types.ModuleType("__main__")
    other.__file__ = "/somewhere/else/script.py"
    monkeypatch.setitem(sys.modules, "__main__", other)
    assert memory.drop_last_page_globals() is False
    assert sys.modules["__main__"] is other


def _session():
    from ui import memo
    from ui.memory import track_session

    track_session()
    memo.STORE.get("left-by-the-session", lambda: bytes(1000))


def _wait_for(condition, seconds=10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_caches_are_emptied_when_the_last_session_ends(monkeypatch):
    monkeypatch.setattr(memory, "RELEASE_DELAY_S", 0.05)
    released = memory.releases()
    one = AppTest.from_function(_session).run()
    two = AppTest.from_function(_session).run()
    assert memory.live_sessions() >= 2
    assert memo.STORE.get("left-by-the-session", lambda: None) is not None

    del one
    gc.collect()
    time.sleep(0.5)  # another session still runs: nothing is released
    assert memory.releases() == released
    assert memo.STORE.get("left-by-the-session", lambda: None) is not None

    del two
    gc.collect()
    assert _wait_for(lambda: memory.releases() > released)
    assert memory.live_sessions() == 0
    assert len(memo.STORE) == 0
