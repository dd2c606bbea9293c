"""
What a session leaves behind goes when the last session ends (issue 16).

Streamlit 1.x has no public hook for the end of a session, but a session's
``st.session_state`` is dropped with it: :func:`track_session` puts a marker
object there, and when no marker is left alive (every session ended) the
caches of whole series (:mod:`ui.cached`) and of screen charts and tables
(:mod:`ui.memo`) are emptied, the globals of the page that ran last dropped
(Streamlit leaves them in ``sys.modules["__main__"]``), the garbage
collected and the freed heap handed back to the operating system
(:func:`trim_heap`; Arrow allocates from the C heap too, see
:func:`track_session`), :data:`RELEASE_DELAY_S` after the last session
ended. While other sessions live, entries leave by
the caches' own bounds (entries, bytes, ``TTL``).

A browser tab that closes ends its session when Streamlit drops it: at once
for a session that never connected again, after Streamlit keeps it for a
reconnection otherwise (``server.disconnectedSessionTTL``, 2 min by default).
"""

from __future__ import annotations

import gc
import sys
import threading
import types
import weakref
from pathlib import Path

import streamlit as st

from core import heap

__all__ = [
    "APP_ROOT",
    "MARKER_KEY",
    "RELEASE_DELAY_S",
    "drop_last_page_globals",
    "live_sessions",
    "release_caches",
    "releases",
    "track_session",
    "trim_heap",
]

#: The app's folder (app.py; its pages are in pages/).
APP_ROOT = Path(__file__).resolve().parents[1]
#: Session-state key of the marker object.
MARKER_KEY = "peled_session_marker"
#: Seconds between the last session's end and the release (a page reload
#: ends one session and starts another within this).
RELEASE_DELAY_S = 2.0

_LIVE: weakref.WeakSet = weakref.WeakSet()
_LOCK = threading.Lock()
_STATE = {"releases": 0, "timer": None}


class _SessionMarker:
    """Lives exactly as long as its session's state."""


def trim_heap() -> bool:
    """
    Hand the C heap's free memory back to the operating system
    (glibc's ``malloc_trim(0)``, :func:`core.heap.trim_heap`); True when it
    was called, False where there is no glibc (macOS, Windows, musl): a
    no-op there.
    """
    return heap.trim_heap()


def _release_arrow() -> None:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit
        return
    pa.default_memory_pool().release_unused()


def drop_last_page_globals() -> bool:
    """
    Let go of the globals of the page script that ran last, if it is one of
    the app's: Streamlit runs a page as a fresh ``__main__`` module and
    leaves it in ``sys.modules`` after the run, so the last page's variables
    (a series, its analysis, the uploaded bytes: ~90 MB for a 30 MB file)
    outlive its session until some script runs again. An empty module takes
    its place; a script still running keeps its own globals.
    """
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None)
    if main is None or not script:
        return False
    if Path(script).resolve().parent not in (APP_ROOT, APP_ROOT / "pages"):
        return False
    sys.modules["__main__"] = types.ModuleType("__main__")
    return True


def release_caches() -> None:
    """
    Empty the series, chart and table caches and the last page's globals;
    collect; trim the heap.
    """
    from ui import cached, memo

    for function in (cached.read_spectra, cached.read_series_file,
                     cached.read_spectrum, cached.series_stability):  # fmt: skip
        function.clear()
    memo.clear()
    drop_last_page_globals()
    gc.collect()
    _release_arrow()
    trim_heap()
    with _LOCK:
        _STATE["releases"] += 1


def _release_if_idle() -> None:
    with _LOCK:
        _STATE["timer"] = None
    if not live_sessions():
        release_caches()


def _session_ended() -> None:
    with _LOCK:
        if _STATE["timer"] is not None:
            _STATE["timer"].cancel()
        timer = threading.Timer(RELEASE_DELAY_S, _release_if_idle)
        timer.daemon = True
        _STATE["timer"] = timer
        timer.start()


def _system_arrow_pool() -> None:
    """
    Arrow's buffers from the C heap (:func:`trim_heap` returns them) rather
    than mimalloc, which kept ~17 MB of a 10-hour series' charts after they
    were freed.
    """
    if _STATE.get("arrow_pool"):
        return
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit
        return
    pa.set_memory_pool(pa.system_memory_pool())
    _STATE["arrow_pool"] = True


def track_session() -> None:
    """
    Mark the running session (once); call it at the top of every page. The
    first call also points Arrow at the C heap (:func:`_system_arrow_pool`).
    """
    if MARKER_KEY in st.session_state:
        return
    _system_arrow_pool()
    marker = _SessionMarker()
    st.session_state[MARKER_KEY] = marker
    _LIVE.add(marker)
    weakref.finalize(marker, _session_ended)


def live_sessions() -> int:
    """Sessions marked by :func:`track_session` whose state still exists."""
    return len(_LIVE)


def releases() -> int:
    """How many times :func:`release_caches` ran in this process."""
    return _STATE["releases"]
