"""
Benchmark: time to results for 1, 4 and 8 users at once, in real browsers.

Each simulated user opens Home in its own browser context (its own Streamlit
session), clicks "Load demo data", follows the sidebar link to a page and
waits until the page's result cards are drawn. The time from the click to the
last card is one sample. For every concurrency level the users start
together; the round is repeated ``--rounds`` times. Prints p50 and p95 per
level and writes the samples to benchmarks/output/bench_sessions.json.

Starts its own server (the repository's .streamlit/config.toml) unless
``--url`` points at a running one; drives the system Chromium.

    .venv/bin/python benchmarks/bench_sessions.py [--rounds 3] [--levels 1 4 8]
        [--page "Spectral stability"] [--url http://127.0.0.1:8501]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

OUTPUT = ROOT / "benchmarks" / "output"
TIMEOUT_MS = 180_000

#: Result cards each page draws for the two demo devices.
RESULT_CARDS = {"Spectral stability": 12, "Efficiency": 12}

IDLE = (
    "() => { const app = document.querySelector('.stApp');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-stale=\"true\"]'); }"
)


async def one_user(browser, url: str, page_title: str, start: asyncio.Barrier) -> dict:
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
        cards = page.locator('[data-testid="stMetricValue"]')
        await cards.nth(RESULT_CARDS[page_title] - 1).wait_for(timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        done = time.perf_counter()
        errors = await page.locator(
            '[data-testid="stException"], [data-testid="stAlertContentError"]'
        ).count()
        return {
            "total_s": done - began,
            "demo_s": demo_loaded - began,
            "page_s": done - demo_loaded,
            "errors": errors,
        }
    except BaseException:
        await start.abort()  # the others stop waiting for this user
        raise
    finally:
        await context.close()


async def one_round(browser, url: str, page_title: str, users: int) -> list[dict]:
    start = asyncio.Barrier(users)
    return list(
        await asyncio.gather(
            *(one_user(browser, url, page_title, start) for _ in range(users))
        )
    )


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


def percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 95))


async def run(url: str, levels: list[int], rounds: int, page_title: str) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            # Warm-up: the first run of each page imports and caches modules.
            await one_round(browser, url, page_title, 1)
            results, cpu = {}, {}
            pid = server_pid(url)
            for users in levels:
                samples = []
                machine, server = _busy_cpu_s(), _process_cpu_s(pid)
                for _ in range(rounds):
                    samples.extend(await one_round(browser, url, page_title, users))
                results[users] = samples
                server = _process_cpu_s(pid) - server
                cpu[users] = (server, _busy_cpu_s() - machine - server)
        finally:
            await browser.close()
    return results, cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", default="Spectral stability", choices=RESULT_CARDS)
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}; set PELED_CHROMIUM.", file=sys.stderr)
        return 2

    with (
        contextlib.nullcontext(args.url)
        if args.url
        else streamlit_server(name="bench_sessions_server", log_dir=OUTPUT)
    ) as url:
        results, cpu = asyncio.run(run(url, args.levels, args.rounds, args.page))

    load = os.getloadavg()[0]
    print(
        f"Home -> 'Load demo data' -> {args.page}: seconds from the click to the "
        f"results ({args.rounds} rounds per level; {os.cpu_count()} CPUs, "
        f"{platform.machine()}; 1-min load average {load:.1f} at the end)"
    )
    print(
        f"{'users':>5} {'n':>3} {'p50':>7} {'p95':>7} {'max':>7}   page part p50"
        "   CPU s: server / browsers and the rest"
    )
    summary = {}
    for users, samples in results.items():
        totals = [s["total_s"] for s in samples]
        p50, p95 = percentiles(totals)
        page_p50, _ = percentiles([s["page_s"] for s in samples])
        errors = sum(s["errors"] for s in samples)
        server_s, other_s = cpu[users]
        print(
            f"{users:>5} {len(totals):>3} {p50:>7.2f} {p95:>7.2f} {max(totals):>7.2f}"
            f"   {page_p50:13.2f}   {server_s:7.1f} / {other_s:.1f}"
            + (f"   ({errors} error elements!)" if errors else "")
        )
        summary[users] = {
            "samples": len(totals),
            "p50_s": round(p50, 3),
            "p95_s": round(p95, 3),
            "max_s": round(max(totals), 3),
            "page_p50_s": round(page_p50, 3),
            "errors": errors,
            "server_cpu_s": round(server_s, 1),
            "other_cpu_s": round(other_s, 1),
            "total_s": [round(t, 3) for t in totals],
        }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "bench_sessions.json").write_text(
        json.dumps(
            {
                "page": args.page,
                "rounds": args.rounds,
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
