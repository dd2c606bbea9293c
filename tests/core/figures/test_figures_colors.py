"""
core.figures.colors: a device keeps its colour, colours of one chart never
collide, shades of one device stay apart, categories avoid device colours.
"""

from __future__ import annotations

from core.figures.colors import (
    CATEGORY_PALETTE,
    DEVICE_PALETTE,
    PALETTE,
    assign_colors,
    distinct_colors,
    shades,
)


def test_okabe_ito_first_then_tol_muted_all_distinct():
    # Wong (2011), Nat. Methods 8, 441: blue (0, 114, 178), vermillion
    # (213, 94, 0), bluish green (0, 158, 115).
    assert PALETTE[:3] == ("#0072B2", "#D55E00", "#009E73")
    assert len(set(DEVICE_PALETTE)) == len(DEVICE_PALETTE) == 17


def test_a_name_keeps_its_colour_and_new_names_take_free_ones():
    book = assign_colors(["treated"], {"control": PALETTE[0]})
    assert book == {"control": PALETTE[0], "treated": PALETTE[1]}
    # Batch 07 arrives after Control was removed from a chart: it must not
    # take Control's blue while Control still has it.
    book = assign_colors(["batch 07"], book)
    assert book["batch 07"] == PALETTE[2]
    assert assign_colors(["treated", "control"], book) == book


def test_a_full_palette_still_keeps_one_charts_colours_apart():
    book = {f"old {i}": c for i, c in enumerate(DEVICE_PALETTE)}
    chart = assign_colors(["a", "b", "old 0"], book)
    shown = [chart[n] for n in ("a", "b", "old 0")]
    assert len(set(shown)) == 3


def test_shades_of_one_device_differ_and_start_from_its_colour():
    for color in (PALETTE[0], "#000000", "#F0E442"):
        four = shades(color, 4)
        assert four[0] == color.upper() and len(set(four)) == 4


def test_categories_avoid_the_device_colours_they_are_drawn_with():
    colors = distinct_colors(
        ["qd", "2d"], CATEGORY_PALETTE, avoid=[CATEGORY_PALETTE[0]]
    )
    assert CATEGORY_PALETTE[0] not in colors.values()
    assert not set(CATEGORY_PALETTE) & set(PALETTE)
