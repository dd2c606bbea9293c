"""
core.figures.presets: the journals' column widths, cm <-> pt, and that the
presets and formats load without Altair (``report --help`` lists them).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import core.figures
from core.figures import export, presets, theme
from core.figures.presets import FORMATS, PRESETS, cm_to_px, px_to_cm

ROOT = Path(__file__).resolve().parents[3]


def test_presets_cover_the_journals_with_their_column_widths():
    # ACS: 3.25 in and 7 in; RSC: 8.3 and 17.1 cm; Nature: 89 and 183 mm
    # (publishers' author guides); Wiley ≈ 8.5 and ≈ 17.8 cm; slide 16:9.
    widths = {name: p.width_cm for name, p in PRESETS.items()}
    assert widths["acs-single"] == pytest.approx(3.25 * 2.54, abs=0.01)
    assert widths["acs-double"] == pytest.approx(7 * 2.54, abs=0.01)
    assert (widths["rsc-single"], widths["rsc-double"]) == (8.3, 17.1)
    assert (widths["nature-single"], widths["nature-double"]) == (8.9, 18.3)
    assert (widths["wiley-single"], widths["wiley-double"]) == (8.5, 17.8)
    slide = PRESETS["slide"]
    assert slide.width_cm / slide.height_cm == pytest.approx(16 / 9, rel=1e-3)
    assert PRESETS["nature-double"].height_cm <= 17.0  # Nature: at most 170 mm
    assert all(p.font_pt <= 7 for n, p in PRESETS.items() if n.startswith("nature"))


def test_cm_to_pt_is_72_per_inch():
    # 1 in = 2.54 cm = 72 pt (PostScript point), which Vega draws as 1 px.
    assert cm_to_px(2.54) == pytest.approx(72.0)
    assert PRESETS["acs-single"].width_pt == pytest.approx(233.86, abs=0.005)
    assert px_to_cm(cm_to_px(8.3)) == pytest.approx(8.3)


def test_theme_export_and_the_package_give_the_same_objects():
    for name in ("Preset", "PRESETS", "DEFAULT_PRESET", "cm_to_px", "px_to_cm"):
        assert getattr(theme, name) is getattr(presets, name), name
    for name in ("FORMATS", "PPI_CHOICES", "MIME_TYPES"):
        assert getattr(export, name) is getattr(presets, name), name
    for name in core.figures.__all__:
        home = presets if hasattr(presets, name) else None
        home = home or (theme if hasattr(theme, name) else export)
        assert getattr(core.figures, name) is getattr(home, name), name
    assert FORMATS == ("svg", "pdf", "png")


def test_an_unknown_name_of_the_package_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        core.figures.nothing  # noqa: B018


def test_presets_and_formats_load_without_altair():
    code = (
        "import sys\n"
        "from core.figures import DEFAULT_PRESET, FORMATS, MIME_TYPES, PRESETS\n"
        "from core.figures.presets import PPI_CHOICES\n"
        "heavy = ('altair', 'vl_convert', 'pandas', 'numpy')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "from core.figures import themed\n"
        "print('altair' in sys.modules)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = process.stdout.strip().splitlines()
    assert ast.literal_eval(before) == []
    assert after == "True"
