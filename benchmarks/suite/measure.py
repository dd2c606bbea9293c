"""
Timing and memory helpers: best of N, subprocess wall time, tracemalloc peak,
and the resident set size (RSS) of a read measured in a fresh process.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "ROOT",
    "READERS",
    "best_of",
    "process_seconds",
    "traced_peak",
    "rss_probe",
    "machine_load",
    "collect_garbage",
    "quick_mode",
]


def _read_spectra(data: bytes, name: str):
    from core.io import read_spectral_series

    return read_spectral_series(data, name)


def _read_jvl(data: bytes, name: str):
    from core.io.jvl import read_jvl

    return read_jvl(data, name)


def _read_lifetime(data: bytes, name: str):
    from core.io.lifetime_log import read_lifetime_logs

    return read_lifetime_logs(data, name)


#: The app's reader for each generated file (the long CSV is a spectra file).
READERS: dict[str, Callable] = {
    "wide": _read_spectra,
    "long": _read_spectra,
    "jvl": _read_jvl,
    "lifetime": _read_lifetime,
}


#: gc.collect() before each measurement; off in quick mode, where a collection
#: of this process's heap (Streamlit, Altair loaded) takes ~0.1 s each time.
_COLLECT = {"enabled": True}


def collect_garbage() -> None:
    """``gc.collect()``, unless :func:`quick_mode` turned it off."""
    if _COLLECT["enabled"]:
        gc.collect()


def quick_mode(enabled: bool) -> None:
    """Quick mode: no garbage collections before measurements."""
    _COLLECT["enabled"] = not enabled


def best_of(function: Callable, repeat: int) -> tuple[float, object]:
    """The shortest of ``repeat`` wall times of ``function()`` [s], and its result."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def _in_this_process(argv: Sequence[str]) -> None:
    """Run ``python -m core ...`` or ``python -c CODE`` here (quick mode)."""
    import contextlib
    import io

    if argv[1:3] == ["-m", "core"]:
        from core.cli import main

        with contextlib.redirect_stdout(io.StringIO()):
            main(list(argv[3:]))
    elif argv[1] == "-c":
        exec(compile(argv[2], "<bench>", "exec"), {})  # noqa: S102 - our own code
    else:
        raise ValueError(f"cannot run {argv} in this process")


def process_seconds(
    argv: Sequence[str], repeat: int, in_process: bool = False
) -> float:
    """
    Best wall time of a fresh process running ``argv`` (output discarded) [s].

    ``in_process`` runs the command in this process instead (quick mode: the
    code path is exercised, the time leaves out start-up and imports).
    """
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        if in_process:
            _in_this_process(argv)
        else:
            subprocess.run(
                list(argv),
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        best = min(best, time.perf_counter() - start)
    return best


def traced_peak(function: Callable) -> int:
    """Python-level peak (tracemalloc) of one call, after a warm-up call [bytes]."""
    function()
    collect_garbage()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _probe(kind: str, path: str) -> dict:
    """RSS before, at the peak of and after one read (run in a fresh process)."""
    import ctypes

    import pandas  # noqa: F401 - loaded in the app and the CLI before any read

    reader = READERS[kind]
    data = Path(path).read_bytes()
    # Warm-up on the first lines (imports, caches), as in a running app.
    head = data[: data.index(b"\n", min(len(data) - 1, 200_000)) + 1]
    try:
        reader(head, Path(path).name)
    except Exception:  # noqa: BLE001 - a long table cut mid-spectrum: imports done
        pass
    collect_garbage()
    before = _status_kb("VmRSS")
    try:  # reset the high-water mark (Linux >= 4.0), else it holds the imports'
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    result = reader(data, Path(path).name)
    peak = _status_kb("VmHWM")
    del result
    collect_garbage()
    after = _status_kb("VmRSS")
    trimmed = after
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        trimmed = _status_kb("VmRSS")
    except OSError:
        pass
    kb = 1024
    return {
        "bytes": len(data),
        "rss_before": before * kb,
        "rss_peak": max(peak, after) * kb,
        "rss_after": after * kb,
        "rss_after_trim": trimmed * kb,
    }


def rss_probe(kind: str, path: Path, in_process: bool = False) -> dict:
    """
    RSS of one read, in a fresh process unless ``in_process`` (quick mode:
    the figures then include whatever this process already holds). Growth
    figures are per byte of file.
    """
    if in_process:
        probe = _probe(kind, str(path))
    else:
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.suite.measure", kind, str(path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        probe = json.loads(output.strip().splitlines()[-1])
    size = probe["bytes"]
    return probe | {
        "in_process": in_process,
        "peak_per_byte": (probe["rss_peak"] - probe["rss_before"]) / size,
        "after_per_byte": (probe["rss_after"] - probe["rss_before"]) / size,
        "after_trim_per_byte": (probe["rss_after_trim"] - probe["rss_before"]) / size,
    }


def machine_load() -> str:
    """``load 3.1/4.2/4.6 on 2 cores`` (1, 5, 15 min averages)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(_probe(sys.argv[1], sys.argv[2])))
