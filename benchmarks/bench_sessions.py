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
            results = {}
            for users in levels:
                samples = []
                for _ in range(rounds):
                    samples.extend(await one_round(browser, url, page_title, users))
                results[users] = samples
        finally:
            await browser.close()
    return results


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
        results = asyncio.run(run(url, args.levels, args.rounds, args.page))

    load = os.getloadavg()[0]
    print(
        f"Home -> 'Load demo data' -> {args.page}: seconds from the click to the "
        f"results ({args.rounds} rounds per level; {os.cpu_count()} CPUs, "
        f"{platform.machine()}; 1-min load average {load:.1f} at the end)"
    )
    print(f"{'users':>5} {'n':>3} {'p50':>7} {'p95':>7} {'max':>7}   page part p50")
    summary = {}
    for users, samples in results.items():
        totals = [s["total_s"] for s in samples]
        p50, p95 = percentiles(totals)
        page_p50, _ = percentiles([s["page_s"] for s in samples])
        errors = sum(s["errors"] for s in samples)
        print(
            f"{users:>5} {len(totals):>3} {p50:>7.2f} {p95:>7.2f} {max(totals):>7.2f}"
            f"   {page_p50:.2f}" + (f"   ({errors} error elements!)" if errors else "")
        )
        summary[users] = {
            "samples": len(totals),
            "p50_s": round(p50, 3),
            "p95_s": round(p95, 3),
            "max_s": round(max(totals), 3),
            "page_p50_s": round(page_p50, 3),
            "errors": errors,
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
