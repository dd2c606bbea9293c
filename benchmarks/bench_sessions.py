"""
Benchmark: time to results for 1, 4 and 8 users at once, in real browsers.

Two scenarios, each user in its own browser context (its own Streamlit
session):

- ``demo``: open Home, click "Load demo data", follow the sidebar link to a
  page and wait until the page's result cards are drawn. One sample: seconds
  from the click to the last card.
- ``upload``: open the Spectral stability page, choose "Upload files" and
  upload a synthetic 10-hour series (3600 spectra x 1024 pixels, a ~29 MB wide
  CSV from :mod:`benchmarks.suite.data`), each user under its own file name so
  no session reuses another's cached read or analysis. One sample: seconds
  from the upload to the result cards drawn and the app idle. The server's
  resident set size is sampled every 0.2 s during each level (its peak).

For every concurrency level the users start together; the round is repeated
``--rounds`` times. Prints p50 and p95 per level and writes the samples to
benchmarks/output/bench_sessions.json (``demo``) or
benchmarks/output/bench_sessions_upload.json (``upload``).

Starts its own server (the repository's .streamlit/config.toml, the
environment of tests/e2e/server.py) unless ``--url`` points at a running one;
drives the system Chromium.

    .venv/bin/python benchmarks/bench_sessions.py [--scenario demo|upload]
        [--rounds 3] [--levels 1 4 8] [--page "Spectral stability"]
        [--url http://127.0.0.1:8501] [--data FOLDER]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.suite.data import FULL, QUICK, write_files  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

OUTPUT = ROOT / "benchmarks" / "output"
TIMEOUT_MS = 180_000
SCENARIOS = ("demo", "upload")

#: Result cards each page draws per device (ui.cards: six st.metric each).
CARDS_PER_DEVICE = {"Spectral stability": 6, "Efficiency": 6}
#: Devices "Load demo data" adds (core.demo).
DEMO_DEVICES = 2
#: Result cards each page draws for the two demo devices.
RESULT_CARDS = {page: n * DEMO_DEVICES for page, n in CARDS_PER_DEVICE.items()}
#: The upload scenario's page: its URL path (app.py's st.navigation infers it
#: from pages/1_Spectral_stability.py) and its widgets' keys.
UPLOAD_PAGE = "Spectral stability"
UPLOAD_PATH = "Spectral_stability"
SOURCE_KEY, FILES_KEY = "stability_source", "stability_files"
#: Only the wide series is uploaded: the other bench files stay small.
UPLOAD_SIZES = dataclasses.replace(
    FULL, long_spectra=QUICK.long_spectra, table_rows=QUICK.table_rows
)
RSS_INTERVAL_S = 0.2

CARDS = '[data-testid="stMetricValue"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
IDLE = (
    "() => { const app = document.querySelector('.stApp');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-stale=\"true\"]'); }"
)


def result_cards(page_title: str, devices: int) -> int:
    """How many result cards (``st.metric``) a page draws for ``devices`` devices."""
    return CARDS_PER_DEVICE[page_title] * devices


def _results_or_error(page, cards: int):
    """The page's last expected result card, or the first error, if sooner."""
    last = page.locator(CARDS).nth(cards - 1)
    return last.or_(page.locator(ERRORS)).first


async def _results_drawn(page, page_title: str, devices: int) -> float:
    """Wait for the page's result cards (or an error) and the app idle; the time."""
    cards = result_cards(page_title, devices)
    await _results_or_error(page, cards).wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    return time.perf_counter()


async def demo_user(browser, url: str, page_title: str, start, _file=None) -> dict:
    """Home -> Load demo data -> page; seconds from the click to the results."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="domcontentloaded")
        await page.locator("h1", has_text="PeLED Bench").wait_for(timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        await start.wait()  # every user is on Home: click together
        began = time.perf_counter()
        await page.locator(".st-key-home_load_demo button").click()
        await page.get_by_text("Loaded two synthetic demo devices").wait_for(
            timeout=TIMEOUT_MS
        )
        demo_loaded = time.perf_counter()
        await page.locator(
            '[data-testid="stSidebarNav"] a', has_text=page_title
        ).click()
        done = await _results_drawn(page, page_title, DEMO_DEVICES)
        return {
            "total_s": done - began,
            "demo_s": demo_loaded - began,
            "page_s": done - demo_loaded,
            "errors": await page.locator(ERRORS).count(),
        }
    except BaseException:
        await start.abort()  # the others stop waiting for this user
        raise
    finally:
        await context.close()


async def upload_user(browser, url: str, page_title: str, start, file: Path) -> dict:
    """
    Spectral stability -> Upload files -> ``file``; seconds from the upload to
    the results (``upload_s``: until the file input took it; ``sent_s``: until
    the browser finished sending it to the server).
    """
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await page.goto(f"{url}/{UPLOAD_PATH}", wait_until="domcontentloaded")
        await page.locator("h1", has_text=page_title).wait_for(timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        source = page.locator(f".st-key-{SOURCE_KEY}")
        await source.get_by_text("Upload files", exact=True).click()
        file_input = page.locator(f".st-key-{FILES_KEY} input[type=file]")
        await file_input.wait_for(state="attached", timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        sent: list[float] = []
        page.on(
            "requestfinished",
            lambda r: (
                sent.append(time.perf_counter())
                if "/_stcore/upload_file/" in r.url
                else None
            ),
        )
        await start.wait()  # every user has the uploader open: upload together
        began = time.perf_counter()
        await file_input.set_input_files(file, timeout=TIMEOUT_MS)
        handed = time.perf_counter()
        done = await _results_drawn(page, page_title, 1)
        return {
            "total_s": done - began,
            "upload_s": handed - began,
            "sent_s": (sent[0] - began) if sent else float("nan"),
            "page_s": done - handed,
            "errors": await page.locator(ERRORS).count(),
        }
    except BaseException:
        await start.abort()
        raise
    finally:
        await context.close()


USERS = {"demo": demo_user, "upload": upload_user}


async def one_round(browser, url, scenario, page_title, files: list) -> list[dict]:
    """One user per entry of ``files`` (None for the demo), started together."""
    start = asyncio.Barrier(len(files))
    user = USERS[scenario]
    return list(
        await asyncio.gather(
            *(user(browser, url, page_title, start, file) for file in files)
        )
    )


@contextlib.contextmanager
def upload_copies(source: Path | None, tag: str, users: int):
    """
    One file per user: ``source`` under a name of its own (a hard link, or a
    copy where links fail), so no session hits another's cached read or
    analysis (ui.cached keys them on the file name). Removed on exit.
    Without ``source`` (the demo): ``users`` times None.
    """
    if source is None:
        yield [None] * users
        return
    copies = [
        source.with_name(f"{source.stem}_{tag}_u{k}{source.suffix}")
        for k in range(users)
    ]
    try:
        for copy in copies:
            copy.unlink(missing_ok=True)
            try:
                os.link(source, copy)
            except OSError:
                shutil.copyfile(source, copy)
        yield copies
    finally:
        for copy in copies:
            copy.unlink(missing_ok=True)


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has been busy (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def server_pid(url: str) -> int | None:
    """The Streamlit server listening on ``url``'s port (None if not found)."""
    port = url.rsplit(":", 1)[-1].strip("/")
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(argv) and port.encode() in argv:
            return int(proc.name)
    return None


def _process_cpu_s(pid: int | None) -> float:
    """CPU seconds of a process and its threads (0 without /proc)."""
    if pid is None:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def status_kb(text: str, field: str = "VmRSS") -> int | None:
    """A ``kB`` field of a ``/proc/<pid>/status`` text (None when absent)."""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


class PeakRSS:
    """
    The resident set size of a process, sampled in a thread every
    ``interval_s`` while the ``with`` block runs: at the start and its
    largest value. [MB] (NaN without the process.)
    """

    def __init__(self, pid: int | None, interval_s: float = RSS_INTERVAL_S):
        self.pid, self.interval_s = pid, interval_s
        self.start_mb = self.peak_mb = float("nan")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _read_mb(self) -> float | None:
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        kb = status_kb(text)
        return None if kb is None else kb / 1024

    def _sample(self) -> None:
        while True:
            mb = self._read_mb()
            if mb is not None and not mb <= self.peak_mb:  # also replaces NaN
                self.peak_mb = mb
            if self._stop.wait(self.interval_s):
                return

    def __enter__(self) -> PeakRSS:
        if self.pid is not None:
            self.start_mb = self._read_mb() or float("nan")
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of the finite samples (NaN, NaN when there are none)."""
    finite = [s for s in samples if np.isfinite(s)]
    if not finite:
        return float("nan"), float("nan")
    return float(np.percentile(finite, 50)), float(np.percentile(finite, 95))


def _round(value: float, digits: int) -> float | None:
    """``value`` rounded; None (JSON null) when it is not finite."""
    return round(value, digits) if np.isfinite(value) else None


def summarise(samples: list[dict], cpu: tuple, memory: tuple) -> dict:
    """
    One level's figures: p50/p95/max of ``total_s``, p50 of every other part
    (``*_s`` keys of the samples), error elements, CPU seconds (server, the
    rest) and the server's RSS (at the start, peak) [MB].
    """
    totals = [s["total_s"] for s in samples]
    p50, p95 = percentiles(totals)
    parts = [k for k in samples[0] if k.endswith("_s") and k != "total_s"]
    summary = {
        "samples": len(totals),
        "p50_s": _round(p50, 3),
        "p95_s": _round(p95, 3),
        "max_s": _round(max(totals), 3),
    }
    for part in parts:
        summary[f"{part[:-2]}_p50_s"] = _round(
            percentiles([s[part] for s in samples])[0], 3
        )
    summary |= {
        "errors": sum(s["errors"] for s in samples),
        "server_cpu_s": _round(cpu[0], 1),
        "other_cpu_s": _round(cpu[1], 1),
        "server_rss_start_mb": _round(memory[0], 1),
        "server_rss_peak_mb": _round(memory[1], 1),
        "total_s": [_round(t, 3) for t in totals],
    }
    for part in parts:
        summary[part] = [_round(s[part], 3) for s in samples]
    return summary


def output_name(scenario: str) -> str:
    """The JSON file of a scenario (the demo keeps the name it always had)."""
    return (
        "bench_sessions.json"
        if scenario == "demo"
        else f"bench_sessions_{scenario}.json"
    )


async def run(
    url: str, scenario: str, levels: list[int], rounds: int, page_title: str,
    source: Path | None,
) -> dict:  # fmt: skip
    """Every level's summary (:func:`summarise`), after a one-user warm-up."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            # Warm-up: the first run of each page imports and caches modules.
            with upload_copies(source, "warmup", 1) as files:
                await one_round(browser, url, scenario, page_title, files)
            summary = {}
            pid = server_pid(url)
            for users in levels:
                samples = []
                machine, server = _busy_cpu_s(), _process_cpu_s(pid)
                with PeakRSS(pid) as rss:
                    for round_ in range(rounds):
                        tag = f"L{users}r{round_}"
                        with upload_copies(source, tag, users) as files:
                            samples += await one_round(
                                browser, url, scenario, page_title, files
                            )
                server = _process_cpu_s(pid) - server
                cpu = (server, _busy_cpu_s() - machine - server)
                summary[users] = summarise(samples, cpu, (rss.start_mb, rss.peak_mb))
        finally:
            await browser.close()
    return summary


def _text(value: float | None, spec: str) -> str:
    """A figure of the summary as text ("-" for a missing one)."""
    return "-" if value is None else format(value, spec)


def print_table(args, summary: dict, load: float) -> None:
    """The levels' figures (:func:`summarise`) as a table."""
    what = (
        f"{args.page}: upload of a 3600 x 1024 wide CSV (one per user)"
        " -> result cards; seconds from the upload"
        if args.scenario == "upload"
        else f"Home -> 'Load demo data' -> {args.page}: seconds from the click"
    )
    print(
        f"[{args.scenario}] {what} to the results ({args.rounds} rounds per level;"
        f" {os.cpu_count()} CPUs, {platform.machine()};"
        f" 1-min load average {load:.1f} at the end)"
    )
    parts = ("sent", "page") if args.scenario == "upload" else ("page",)
    print(
        f"{'users':>5} {'n':>3} {'p50':>7} {'p95':>7} {'max':>7}"
        + "".join(f" {part + ' p50':>9}" for part in parts)
        + "   CPU s: server / the rest   server RSS MB: start / peak"
    )
    for users, row in summary.items():
        print(
            f"{users:>5} {row['samples']:>3}"
            + "".join(
                f" {_text(row[k], '7.2f'):>7}" for k in ("p50_s", "p95_s", "max_s")
            )
            + "".join(f" {_text(row[f'{part}_p50_s'], '9.2f'):>9}" for part in parts)
            + f"   {_text(row['server_cpu_s'], '7.1f')} / "
            + f"{_text(row['other_cpu_s'], '<8.1f')}"
            + f"   {_text(row['server_rss_start_mb'], '6.0f')} / "
            + _text(row["server_rss_peak_mb"], ".0f")
            + (f"   ({row['errors']} error elements!)" if row["errors"] else "")
        )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=SCENARIOS, default="demo")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", default="Spectral stability", choices=RESULT_CARDS)
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "peled-bench-sessions",
        help="folder of the generated upload file (kept between runs)",
    )
    args = parser.parse_args(argv)
    if args.scenario == "upload" and args.page != UPLOAD_PAGE:
        parser.error(f"the upload scenario runs on the {UPLOAD_PAGE} page only")
    if min(args.levels) < 1 or args.rounds < 1:
        parser.error("--levels and --rounds must be 1 or more")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}; set PELED_CHROMIUM.", file=sys.stderr)
        return 2
    source = None
    if args.scenario == "upload":
        source = write_files(args.data, UPLOAD_SIZES)["wide"]

    with (
        contextlib.nullcontext(args.url)
        if args.url
        else streamlit_server(name="bench_sessions_server", log_dir=OUTPUT)
    ) as url:
        summary = asyncio.run(
            run(url, args.scenario, args.levels, args.rounds, args.page, source)
        )

    load = os.getloadavg()[0]
    print_table(args, summary, load)
    meta = {"scenario": args.scenario, "page": args.page, "rounds": args.rounds}
    if source is not None:
        meta["file"] = {"name": source.name, "bytes": source.stat().st_size}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / output_name(args.scenario)).write_text(
        json.dumps(
            meta
            | {
                "cpus": os.cpu_count(),
                "load_average_1min": round(load, 2),
                "levels": summary,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
