"""
A Streamlit server for browser tests and benchmarks, and the Chromium to drive.

Shared by tests/e2e/conftest.py and benchmarks/bench_sessions.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["ROOT", "OUTPUT", "CHROMIUM", "CHROMIUM_ARGS", "streamlit_server"]

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "e2e"

CHROMIUM = Path(os.environ.get("PELED_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return reply.status == 200 and reply.read().strip() == b"ok"
    except OSError:
        return False


#: The environment ``make run`` gives the app's server (Makefile): the memory
#: the analysis's row threads free goes back to the system (docs/deploying.md).
SERVER_ENV = {"MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "1")}


@contextlib.contextmanager
def streamlit_server(*options: str, name: str = "server", log_dir: Path = OUTPUT):
    """
    Run ``streamlit run app.py`` on a free port; yield its base URL.

    ``options`` are extra command-line options (``--server.maxUploadSize 1``);
    the server's output goes to ``<log_dir>/<name>.log``. The server is
    stopped (SIGTERM, then SIGKILL after 15 s) when the context exits.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        *options,
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ | SERVER_ENV,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(url):
                if process.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited with {process.returncode}: "
                        f"{log_path.read_text()[-3000:]}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"streamlit did not answer /_stcore/health within "
                        f"{SERVER_START_TIMEOUT_S} s: {log_path.read_text()[-3000:]}"
                    )
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
