"""
One Streamlit session of the Spectral stability page, in a fresh process.

Uploads the series file through AppTest (``streamlit.testing.v1``: the page
script runs as in a browser session, charts serialised to Vega-Lite), times
the first run (read, analysis, every chart) and a rerun after a widget change
(the "normalise" checkbox: cached read and analysis, charts rebuilt), and
samples the resident set size: before, at the peak, after the session object
is dropped, once the app released what the session left (``ui.memory``: at
most 60 s later; ``release_s`` says when), after ``st.cache_data`` is
cleared and after ``malloc_trim``.
Baseline from the same process: a one-line page (``st.write``) through AppTest.

    python -m benchmarks.suite.page_probe FILE.csv SCRATCH_DIR
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.suite.measure import collect_garbage
from tests.e2e.server import SERVER_ENV

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "pages" / "1_Spectral_stability.py"
TIMEOUT_S = 900
#: Longest wait for the release after the session ends. [s]
RELEASE_WAIT_S = 60


def _rss(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _trivial_page(folder: Path) -> float:
    from streamlit.testing.v1 import AppTest

    script = folder / "trivial_page.py"
    script.write_text("import streamlit as st\nst.write('baseline')\n")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        AppTest.from_file(str(script), default_timeout=TIMEOUT_S).run()
        best = min(best, time.perf_counter() - start)
    return best


_SCRIPT_RUNS: list[float] = []


def _time_script_runs() -> None:
    """
    Record how long each run of the page's script takes in Streamlit's
    script runner (the server's time; AppTest's own harness, ~0.1 s a run,
    left out). Wraps ``ScriptRunner._run_script`` of the pinned Streamlit;
    nothing is recorded if it is not there.
    """
    from streamlit.runtime.scriptrunner import script_runner

    runner = getattr(script_runner, "ScriptRunner", None)
    original = getattr(runner, "_run_script", None)
    if original is None or getattr(original, "_peled_timed", False):
        return

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _SCRIPT_RUNS.append(time.perf_counter() - start)

    timed._peled_timed = True  # type: ignore[attr-defined]
    runner._run_script = timed


def _last_script_run() -> float | None:
    return _SCRIPT_RUNS[-1] if _SCRIPT_RUNS else None


def _releases() -> int:
    from ui import memory

    return memory.releases()


def _after_session_end(released: int) -> tuple[float | None, int]:
    """
    Seconds until the app released what the ended session left (its caches
    emptied and the heap trimmed, :mod:`ui.memory`; None: not within
    ``RELEASE_WAIT_S``, or other sessions of this process still live), and
    the RSS then. ``released``: the count of releases before the session
    ended.
    """
    from ui import memory

    start = time.perf_counter()
    while time.perf_counter() - start < RELEASE_WAIT_S:
        if memory.releases() > released:
            return time.perf_counter() - start, _rss()
        if memory.live_sessions():
            break
        time.sleep(0.25)
    return None, _rss()


def measure(path: Path, scratch: Path) -> dict:
    """Times and RSS of one session (see the module docstring)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    data = path.read_bytes()
    _time_script_runs()
    trivial = _trivial_page(scratch)
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    app.run()  # imports the page's modules: not part of the session's memory
    app.radio(key="stability_source").set_value("Upload files").run()
    collect_garbage()
    before = _rss()
    Path("/proc/self/clear_refs").write_text("5")
    start = time.perf_counter()
    app.file_uploader(key="stability_files").set_value(
        (path.name, data, "text/csv")
    ).run()
    first = time.perf_counter() - start
    first_script = _last_script_run()
    errors = [e.value for e in app.error] + [str(e.value) for e in app.exception]
    start = time.perf_counter()
    app.checkbox(key="stability_normalise").uncheck().run()
    rerun = time.perf_counter() - start
    rerun_script = _last_script_run()
    errors += [e.value for e in app.error] + [str(e.value) for e in app.exception]
    peak = _rss("VmHWM")
    charts = len(app.get("vega_lite_chart"))
    released = _releases()
    del app
    collect_garbage()
    after = _rss()
    settled_s, after_end = _after_session_end(released)
    st.cache_data.clear()
    st.cache_resource.clear()
    collect_garbage()
    cleared = _rss()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return {
        "bytes": len(data),
        "first_run_s": first,
        "first_run_script_s": first_script,
        "rerun_s": rerun,
        "rerun_script_s": rerun_script,
        "trivial_page_s": trivial,
        "charts": charts,
        "errors": errors,
        "rss_before": before,
        "rss_peak": peak,
        "rss_after_session": after,
        "rss_after_session_end": after_end,
        "release_s": settled_s,
        "rss_after_cache_clear": cleared,
        "rss_after_trim": _rss(),
    }


def probe(path: Path, scratch: Path, in_process: bool = False) -> dict:
    """:func:`measure` in a fresh process (or this one: quick mode)."""
    if in_process:
        return measure(path, scratch) | {"in_process": True}
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.suite.page_probe", str(path), str(scratch)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env=os.environ | SERVER_ENV,
    ).stdout
    return json.loads(output.strip().splitlines()[-1]) | {"in_process": False}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
