"""
A device has one colour on every page, in every chart and in the report.

The session's colour book is started as a user's session might have it
(Treated got the reddish purple first, say because it was uploaded before the
control was loaded), so a page that fell back to colours by position would
draw it in vermillion and fail. Each page runs with the demo devices; the
colour of every device is read from the colour scales of every chart spec the
page sends to the browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import demo_devices
from core.figures.colors import PALETTE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 180
CONTROL, TREATED = (d.name for d in demo_devices())
#: The session's book: Treated first got Okabe & Ito's reddish purple.
BOOK = {TREATED: PALETTE[3]}
#: What every page must draw: Treated keeps its colour, Control gets the
#: first colour nobody has.
EXPECTED = {TREATED: PALETTE[3], CONTROL: PALETTE[0]}
PAGES = {
    "1_Spectral_stability.py": {},
    "2_Efficiency.py": {},
    "3_Lifetime.py": {},
    "4_Literature.py": {"literature_device_choice": TREATED},
    "5_Report.py": {},
}


def _scales(node, found: dict) -> None:
    """Name -> colours of every categorical colour scale in a Vega-Lite spec."""
    if isinstance(node, list):
        for item in node:
            _scales(item, found)
        return
    if not isinstance(node, dict):
        return
    encoding = node.get("encoding")
    if isinstance(encoding, dict):
        for channel in ("color", "fill", "stroke"):
            definition = encoding.get(channel)
            if not isinstance(definition, dict):
                continue
            for candidate in (definition, definition.get("condition")):
                scale = candidate.get("scale") if isinstance(candidate, dict) else None
                if not isinstance(scale, dict):
                    continue
                domain, colors = scale.get("domain"), scale.get("range")
                if isinstance(domain, list) and isinstance(colors, list):
                    for name, color in zip(domain, colors, strict=False):
                        found.setdefault(str(name), set()).add(str(color).upper())
    for value in node.values():
        _scales(value, found)


def page_colours(page: str, widgets: dict) -> dict[str, set[str]]:
    app = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT_S)
    app.session_state["peled_devices"] = {d.name: d for d in demo_devices()}
    app.session_state["peled_colors"] = dict(BOOK)
    app.run()
    for key, value in widgets.items():
        app.radio(key=key).set_value(value)
        app.run()
    assert not app.exception, app.exception
    found: dict[str, set[str]] = {}
    for chart in app.get("arrow_vega_lite_chart") + app.get("vega_lite_chart"):
        _scales(json.loads(chart.proto.spec), found)
    return found


@pytest.mark.parametrize("page", list(PAGES))
def test_each_device_has_its_session_colour_on_every_page(page):
    found = page_colours(page, PAGES[page])
    drawn = {name for name in EXPECTED if name in found}
    # Every page but Literature draws both demo devices; Literature the one
    # chosen to rank.
    assert drawn == ({TREATED} if page.startswith("4_") else set(EXPECTED))
    for name in drawn:
        assert found[name] == {EXPECTED[name]}, (page, name, found[name])
    # Tests of one device (lifetime) start from the device's colour.
    tests = {n: c for n, c in found.items() if n.startswith(TREATED + " · ")}
    if tests:
        assert EXPECTED[TREATED] in set().union(*tests.values())
    # No two entries of the page share a colour unless they are one device.
    owners: dict[str, set[str]] = {}
    for name, colors in found.items():
        for color in colors:
            owners.setdefault(color, set()).add(name.split(" · ")[0])
    shared = {c: n for c, n in owners.items() if len(n) > 1}
    assert not shared, (page, shared)
