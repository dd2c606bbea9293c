"""AppTest smoke tests: Home and every page run without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import demo_devices
from ui.session import DEVICES_KEY

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "pages").glob("*.py"))


def run(path: Path, with_demo: bool) -> AppTest:
    at = AppTest.from_file(str(path), default_timeout=60)
    if with_demo:
        at.session_state[DEVICES_KEY] = {d.name: d for d in demo_devices()}
    return at.run()


def test_home_loads_the_demo_with_one_click():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    at.button(key="home_load_demo").click().run()
    assert not at.exception
    names = list(at.session_state[DEVICES_KEY])
    assert names == ["Control (synthetic)", "Treated (synthetic)"]
    assert any("synthetic demo data" in m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
@pytest.mark.parametrize("with_demo", [False, True], ids=["empty", "demo"])
def test_every_page_runs_without_exception(page, with_demo):
    at = run(page, with_demo)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
