"""
core/io/preamble.py: the device area (and detector background) of a preamble,
asserted through BOTH readers that use it.

Every spelling either reader accepted before the two area parsers were
merged is here. Collected from the old parsers:

- J-V-L (``core/io/jvl.py``): a key containing "area"; the number at the
  start of the value (decimal point or comma); the unit ``cm|mm|µm|um|m``
  + ``2``/``^2``/``²`` searched in the key, then in the value; no unit:
  refused with a note.
- Lifetime (``core/io/lifetime_log.py``): a key containing "area"; the unit
  only in brackets in the key (``cm2``, ``cm^2``, ``mm2``, ``mm^2``, ``m2``,
  spaces and ``²`` allowed); NO bracket: cm² assumed, so ``Area: 4 mm2`` was
  4 cm² and the current density 100x too low; the first word of the value
  as the number.

Expected areas are the values converted by hand (1 mm² = 0.01 cm²,
1 m² = 1e4 cm², 1 µm² = 1e-8 cm²). Every case is a 4 mm² (0.04 cm²) pixel
carrying 0.4 mA, i.e. 10 mA/cm², except the first two (the real files'
spellings: 10 mm² and 0.1 cm², i.e. 4 mA/cm²).
"""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.io.jvl import read_jvl
from core.io.lifetime_log import read_lifetime_log
from core.io.preamble import area_from_preamble_cm2, background_from_preamble

SPELLINGS = [
    # (preamble line, area [cm²])
    ("Area (mm2) : 10.00", 0.1),  # simone-peled_DC_data.dat (J-V-L)
    ("Device Area (cm^2):   1.000000E-1", 0.1),  # the lifetime program
    ("Area: 4 mm2", 0.04),  # the bug: the lifetime reader gave 4 cm²
    ("area = 0.04 cm²", 0.04),
    ("Area: 4 mm²", 0.04),
    ("Area: 4mm2", 0.04),
    ("Area: 4 mm2 (pixel 3)", 0.04),
    ("Active area: 4 mm^2", 0.04),
    ("Area mm2: 4", 0.04),
    ("Area (cm2): 0.04", 0.04),
    ("Area (cm²): 0,04", 0.04),  # decimal comma
    ("Area (cm 2): 0.04", 0.04),
    ("Area [mm2]: 4", 0.04),
    ("Area (mm^2): 4.0", 0.04),
    ("Area (mm²) = 4", 0.04),
    ("Pixel Area (cm^2) = 4.0E-2", 0.04),
    ("Area (m2): 4e-6", 0.04),
    ("Area (µm2): 4e6", 0.04),
    ("Area (um^2): 4000000", 0.04),
    ("Area (μm²): 4e6", 0.04),  # Greek mu
]


def jvl_text(preamble: str, current_ma: float) -> bytes:
    return (
        f"{preamble}\n\nV (V)\tI (mA)\tL (cd/m2)\n"
        f"2.0\t{current_ma}\t1.0\n3.0\t{current_ma}\t100.0\n"
    ).encode()


def lifetime_text(preamble: str, current_ma: float) -> bytes:
    return (
        f"{preamble}\n\nTime (s)\tL (cd/m2)\tI (mA)\n"
        f"0\t100\t{current_ma}\n60\t99\t{current_ma}\n120\t98\t{current_ma}\n"
    ).encode()


@pytest.mark.parametrize(("line", "area_cm2"), SPELLINGS, ids=[s for s, _ in SPELLINGS])
def test_every_spelling_gives_the_same_area_in_both_readers(line, area_cm2):
    current_ma = 0.4
    density = current_ma / area_cm2  # [mA/cm²]
    sweep = read_jvl(jvl_text(line, current_ma), "sweep.txt")
    assert sweep.area_cm2 == pytest.approx(area_cm2, rel=1e-12)
    assert sweep.current_density_ma_cm2 == pytest.approx([density] * 2, rel=1e-12)
    log = read_lifetime_log(lifetime_text(line, current_ma), "log.txt")
    assert log.current_density_ma_cm2 == pytest.approx([density] * 3, rel=1e-12)
    assert any(f"device area {area_cm2:g} cm²" in note for note in log.notes)


def test_the_bug_area_4_mm2_is_0_04_cm2_in_the_lifetime_log():
    log = read_lifetime_log(lifetime_text("Area: 4 mm2", 0.4), "log.txt")
    assert log.current_density_ma_cm2[0] == pytest.approx(10.0)  # was 0.1


def test_an_area_without_a_unit_is_used_by_neither_reader():
    # "Area: 0.04" was 0.04 cm² to the lifetime reader and refused by the
    # J-V-L reader; 4 could as well be mm², so neither guesses now.
    line = "Area: 0.04"
    with pytest.raises(InputError) as error:
        read_jvl(jvl_text(line, 0.4), "sweep.txt")
    assert "(The preamble entry 'Area: 0.04' has no unit (mm², cm²)" in str(error.value)
    sweep = read_jvl(jvl_text(line, 0.4), "sweep.txt", area_cm2=0.05)
    assert sweep.area_cm2 == 0.05
    log = read_lifetime_log(lifetime_text(line, 0.4), "log.txt")
    assert log.current_density_ma_cm2 is None
    assert (
        "The preamble entry 'Area: 0.04' has no unit (mm², cm²); it was not used "
        "as the device area." in log.notes
    )


@pytest.mark.parametrize(
    ("preamble", "area", "note"),
    [
        ({"Area (a.u.)": "3"}, None, "gives the unit 'a.u.', not an area"),
        ({"Active area": "n/a"}, None, "expected a positive number"),
        ({"Area (mm2)": "-4"}, None, "expected a positive number"),
        ({"Notes": "x", "Area": "n/a", "Area (mm2)": "4"}, 0.04, "('Area (mm2)')"),
        ({"Notes": "area of interest"}, None, None),  # not a key about area
        ({}, None, None),
    ],
)
def test_unusable_entries_and_the_first_usable_one(preamble, area, note):
    found, message = area_from_preamble_cm2(preamble)
    assert found == (pytest.approx(area) if area is not None else None)
    assert (message is None) if note is None else (note in message)


def test_detector_background():
    assert background_from_preamble({"Detector Background (V)": "9,9E-14 V"}) == (
        "Detector Background (V)",
        9.9e-14,
    )
    assert background_from_preamble({"Dark": "none", "Background": "2"}) == (
        "Background",
        2.0,
    )
    assert background_from_preamble({"Area": "1"}) is None
