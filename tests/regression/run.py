"""Run one CLI case in-process and capture what it printed."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "snapshots"
REALDATA = HERE.parents[2] / "shared" / "realdata"


def run_case(arguments: list[str]) -> dict:
    """Exit code, stdout JSON and stderr of ``python -m core ARGUMENTS``.

    A ``report`` case writes into a temporary folder; its tables (CSV text)
    are the result, since the figures' bytes are checked elsewhere.
    """
    from core.cli import main

    argv = [a.replace("{R}", str(REALDATA)) for a in arguments]
    with tempfile.TemporaryDirectory() as folder:
        if argv[0] == "report":
            argv += ["--out", folder, "--formats", "svg", "--no-pdf"]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        text = out.getvalue()
        try:
            payload = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            payload = text
        if argv[0] == "report":
            payload = {
                path.name: path.read_text(encoding="utf-8")
                for path in sorted((Path(folder) / "tables").glob("*.csv"))
            }
    error = err.getvalue().replace(str(REALDATA), "{R}").strip()
    return {"exit_code": code, "stdout": payload, "stderr": error}
