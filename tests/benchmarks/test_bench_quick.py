"""
The benchmark suite's quick mode runs end to end (so ``make bench`` cannot rot).

Every section (CLI, readers, memory, analysis, figures, page) runs once on
tiny synthetic data in this process; the saved JSON must hold a finite figure
for each, and the table the Markdown the README quotes.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run_all  # noqa: E402


def test_quick_mode_measures_every_section(tmp_path, capsys):
    assert (
        run_all.main(["--quick", "--out", str(tmp_path), "--data", str(tmp_path)]) == 0
    )
    printed = capsys.readouterr().out
    assert "| what | figure | bare baseline (same run) | ratio |" in printed
    assert re_load(printed), "the table's title must give the machine's load"
    saved = json.loads((tmp_path / "bench_quick.json").read_text())
    sections = {row["section"] for row in saved["rows"]}
    assert sections == (set(run_all.SECTIONS) - {"cli"}) | {"CLI"}
    for row in saved["rows"]:
        assert math.isfinite(row["value"]), row
    cli = next(r for r in saved["rows"] if r["what"].startswith("`python -m core"))
    assert cli["baseline_value"] > 0 and cli["ratio"] > 0
    assert saved["meta"]["quick"] is True
    assert all(
        name.startswith("synthetic_") for name, _ in saved["meta"]["files"].values()
    )


def re_load(text: str) -> bool:
    return "load " in text.splitlines()[0] and "cores" in text.splitlines()[0]
