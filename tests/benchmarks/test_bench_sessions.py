"""
The pure parts of benchmarks/bench_sessions.py (the browser run itself is
``make bench-sessions``): card counts, option parsing, per-user upload files,
the RSS sampler and the per-level summary.
"""

from __future__ import annotations

import inspect
import math
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sessions  # noqa: E402


def test_card_counts_follow_the_cards_the_pages_draw():
    from ui import cards

    # One st.metric per _card or .metric call of the helper drawing a device.
    for page, helper in (
        ("Spectral stability", cards.stability_cards),
        ("Efficiency", cards.efficiency_cards),
    ):
        drawn = len(re.findall(r"\b_card\(|\.metric\(", inspect.getsource(helper)))
        assert bench_sessions.result_cards(page, 1) == drawn, page
        assert bench_sessions.RESULT_CARDS[page] == 2 * drawn


def test_options_default_to_the_demo_and_upload_runs_on_its_page():
    args = bench_sessions.parse_args([])
    assert (args.scenario, args.levels, args.rounds) == ("demo", [1, 4, 8], 3)
    upload = bench_sessions.parse_args(["--scenario", "upload", "--levels", "1", "2"])
    assert upload.page == bench_sessions.UPLOAD_PAGE and upload.levels == [1, 2]
    with pytest.raises(SystemExit):
        bench_sessions.parse_args(["--scenario", "upload", "--page", "Efficiency"])
    with pytest.raises(SystemExit):
        bench_sessions.parse_args(["--levels", "0"])


def test_each_scenario_writes_its_own_file():
    assert bench_sessions.output_name("demo") == "bench_sessions.json"
    assert bench_sessions.output_name("upload") == "bench_sessions_upload.json"


def test_every_user_uploads_the_same_bytes_under_a_name_of_its_own(tmp_path):
    source = tmp_path / "synthetic_wide_4x8.csv"
    source.write_bytes(b"Wavelength (nm),t = 0 s\n600,1\n")
    with bench_sessions.upload_copies(source, "L3r0", 3) as files:
        assert len({f.name for f in files}) == 3
        assert all(f.name.startswith("synthetic_wide_4x8_L3r0_") for f in files)
        assert all(f.read_bytes() == source.read_bytes() for f in files)
    assert sorted(tmp_path.iterdir()) == [source]  # the copies are gone
    with bench_sessions.upload_copies(None, "L2r0", 2) as files:
        assert files == [None, None]


def test_status_field_is_read_in_kb():
    text = "Name:\tpython\nVmHWM:\t  812345 kB\nVmRSS:\t  654321 kB\nThreads:\t9\n"
    assert bench_sessions.status_kb(text) == 654321
    assert bench_sessions.status_kb(text, "VmHWM") == 812345
    assert bench_sessions.status_kb(text, "VmSwap") is None


def test_peak_rss_sees_a_short_lived_allocation():
    with bench_sessions.PeakRSS(os.getpid(), interval_s=0.01) as rss:
        time.sleep(0.05)
        block = np.ones(80 * 2**20 // 8)  # 80 MB, written, so resident
        time.sleep(0.2)
        del block
    assert rss.start_mb > 0
    assert rss.peak_mb - rss.start_mb > 60
    with bench_sessions.PeakRSS(None) as nothing:
        pass
    assert math.isnan(nothing.start_mb) and math.isnan(nothing.peak_mb)


def test_percentiles_leave_out_missing_samples():
    assert bench_sessions.percentiles([1.0, 2.0, 3.0, 4.0, float("nan")]) == (
        2.5,
        pytest.approx(3.85),  # numpy's linear interpolation: 1 + 0.95 * 3
    )
    assert all(math.isnan(v) for v in bench_sessions.percentiles([float("nan")]))


def test_summary_of_a_level():
    samples = [
        {"total_s": 2.0, "upload_s": 0.1, "sent_s": float("nan"), "errors": 0},
        {"total_s": 4.0, "upload_s": 0.3, "sent_s": 0.5, "errors": 1},
    ]
    row = bench_sessions.summarise(samples, (3.0, 7.04), (500.0, float("nan")))
    assert (row["samples"], row["p50_s"], row["max_s"]) == (2, 3.0, 4.0)
    assert row["p95_s"] == pytest.approx(3.9)
    assert row["upload_p50_s"] == 0.2 and row["sent_p50_s"] == 0.5
    assert row["sent_s"] == [None, 0.5]  # JSON null, not NaN
    assert (row["errors"], row["server_cpu_s"], row["other_cpu_s"]) == (1, 3.0, 7.0)
    assert (row["server_rss_start_mb"], row["server_rss_peak_mb"]) == (500.0, None)
    assert row["total_s"] == [2.0, 4.0]
