"""Write the stored CLI results: ``python tests/regression/make_snapshots.py``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from cases import CASES  # noqa: E402
from run import SNAPSHOTS, run_case  # noqa: E402


def main(names: list[str]) -> int:
    SNAPSHOTS.mkdir(exist_ok=True)
    for name in names or list(CASES):
        result = run_case(CASES[name])
        path = SNAPSHOTS / f"{name}.json"
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: exit {result['exit_code']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
