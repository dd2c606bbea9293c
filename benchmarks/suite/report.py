"""The suite's results as a Markdown table and as JSON."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from benchmarks.suite.cases import Row

__all__ = ["markdown", "save_json", "environment"]


def environment() -> dict[str, str]:
    """Python, pandas, numpy and pyarrow versions."""
    import numpy
    import pandas

    return {
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "machine": platform.machine(),
    }


def _value(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    return f"{value:.2f} {unit}"


def markdown(rows: Sequence[Row], title: str) -> str:
    """One table: figure, bare baseline from the same run, and their ratio."""
    lines = [
        title,
        "",
        "| what | figure | bare baseline (same run) | ratio |",
        "|---|---|---|---|",
    ]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"| **{section}** | | | |")
        baseline = ""
        if row.baseline_value is not None:
            baseline = f"{row.baseline}: {_value(row.baseline_value, row.unit)}"
        ratio = f"{row.ratio:.1f}×" if row.ratio is not None else ""
        lines.append(
            f"| {row.what} | {_value(row.value, row.unit)} | {baseline} | {ratio} |"
        )
    return "\n".join(lines)


def save_json(rows: Sequence[Row], meta: dict, path: Path) -> None:
    """Rows (with their ratios) and the run's metadata, for later comparison."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": meta,
        "rows": [asdict(row) | {"ratio": row.ratio} for row in rows],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
