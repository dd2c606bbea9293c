"""
The benchmark suite (issue 16): where the time and the memory go.

Generates synthetic series (3600 × 1024 as a wide CSV, ~30 MB; a long CSV;
J-V-L and lifetime tables of the same size; 36 000 × 1024 in memory) in a
temporary folder and measures, each beside a bare baseline from the same run:

- CLI: ``python -m core spectra`` against ``python -c "import pandas;
  pandas.read_csv(FILE)"``, with its parts (start, imports, read, analysis,
  JSON);
- readers: each reader against ``pandas.read_csv`` and ``numpy.loadtxt`` of
  the same file; memory per byte of file (tracemalloc peak; RSS peak and after
  the read, in a fresh process);
- analysis: ``spectral_metrics`` and ``series_stability`` on 3600 and 36 000
  spectra against one matrix product over the same array;
- figures: every report recipe on the demo devices, the stability charts on
  the long series (built and serialised), against a bare altair chart;
- page: one AppTest session of the Spectral stability page uploading the
  wide file (first run, rerun after a widget change, RSS peak and RSS after
  the session ends) against a one-line page.

Prints a Markdown table with the machine's load and writes the rows as JSON to
``test-output/bench/`` (``--out``). ``--quick`` runs every section once on tiny
data, with the memory and page probes in this process (a smoke test).

    .venv/bin/python benchmarks/run_all.py [--quick] [--repeat 3]
        [--only cli readers memory analysis figures page] [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.suite import cases  # noqa: E402
from benchmarks.suite.data import FULL, QUICK, write_files  # noqa: E402
from benchmarks.suite.measure import machine_load, quick_mode  # noqa: E402
from benchmarks.suite.report import environment, markdown, save_json  # noqa: E402

SECTIONS = {
    "cli": cases.cli,
    "readers": cases.readers,
    "memory": cases.memory,
    "analysis": cases.analysis,
    "figures": cases.figures,
    "page": cases.page,
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="tiny data, once each")
    parser.add_argument("--repeat", type=int, default=None, help="best of N (3)")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), default=None)
    parser.add_argument(
        "--data", type=Path, default=None, help="keep the generated files here"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "test-output" / "bench", help="JSON folder"
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace, folder: Path) -> tuple[list[cases.Row], dict]:
    sizes = QUICK if args.quick else FULL
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = machine_load()
    files = write_files(folder, sizes)
    ctx = cases.Context(
        files=files,
        sizes=sizes,
        repeat=args.repeat or (1 if args.quick else 3),
        in_process=args.quick,
        scratch=folder,
    )
    rows: list[cases.Row] = []
    for name in args.only or list(SECTIONS):
        rows += SECTIONS[name](ctx)
    meta = {
        "started": started,
        "load_before": load_before,
        "load_after": machine_load(),
        "quick": args.quick,
        "repeat": ctx.repeat,
        "files": {k: [p.name, p.stat().st_size] for k, p in files.items()},
    } | environment()
    return rows, meta


def main(argv=None) -> int:
    args = parse_args(argv)
    quick_mode(args.quick)
    if args.data is not None:
        rows, meta = run(args, args.data)
    else:
        with tempfile.TemporaryDirectory(prefix="peled-bench-") as folder:
            rows, meta = run(args, Path(folder))
    kind = "quick run (in one process: start-up and import times left out)"
    title = (
        f"PeLED Bench benchmarks, {meta['started']}, "
        f"{kind if args.quick else 'full run'}, best of {meta['repeat']} (the "
        f"analysis of the 10-hour series: of {max(meta['repeat'], 7)}); "
        f"{meta['load_before']} before, {meta['load_after']} after; Python "
        f"{meta['python']}, pandas {meta['pandas']}, numpy {meta['numpy']}. "
        "Data synthetic."
    )
    print(markdown(rows, title))
    name = "bench_quick.json" if args.quick else "bench.json"
    save_json(rows, meta, args.out / name)
    print(f"\nsaved {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
