"""
core/io/columns.py: the quantity, unit and factor of a column from its header.

The headers are those of the real files (SOURCES.md: the bsubpc J-V-L sweeps,
the LabVIEW DC_data.dat with its "Luminascence" [sic], the lifetime program)
and the layouts docs/formats.md lists; the factors are written out from the unit
definitions (1 s = 1/3600 h, 1 A = 1000 mA, 1 A/m² = 0.1 mA/cm²).
"""

from __future__ import annotations

import re

import pytest

from core.io.columns import (
    INTERNAL_UNITS,
    ColumnSpec,
    header_unit,
    identify_column,
    wavelength_factor,
)


@pytest.mark.parametrize(
    ("header", "quantity", "factor"),
    [
        # bsubpc-oled JVL: Voltage(V) Current(A) J(mA/cm2) PE(lm/W) EQE(%) L(cd/m2)
        ("Voltage(V)", "voltage", 1.0),
        ("Current(A)", "current", 1e3),
        ("J(mA/cm2)", "current_density", 1.0),
        ("PE(lm/W)", "power_efficiency", 1.0),
        ("EQE(%)", "eqe", 1.0),
        ("L(cd/m2)", "luminance", 1.0),
        # simone-peled DC_data.dat
        ("V (V)", "voltage", 1.0),
        ("J_source(mA/cm2)", "current_density", 1.0),
        ("I_PD (A)", "photodiode", 1.0),
        ("Luminascence (cd/m2)", "luminance", 1.0),
        ("EQE (%)", "eqe", 1.0),
        # the lifetime program
        ("Time (s)", "time", 1 / 3600),
        ("Current (mA)", "current", 1.0),
        ("V Det (V)", "photodiode", 1.0),
        # other layouts
        ("time_h", "time", 1.0),
        ("Time [min]", "time", 1 / 60),
        ("t (d)", "time", 24.0),
        ("J (mA cm-2)", "current_density", 1.0),
        ("J (A/m²)", "current_density", 0.1),
        ("Current density (µA/cm2)", "current_density", 1e-3),
        ("L (nits)", "luminance", 1.0),
        ("Luminance (kcd/m2)", "luminance", 1e3),
        ("L/L0", "relative_luminance", 1.0),
        ("Normalised luminance (%)", "relative_luminance", 1.0),
        ("Bias (mV)", "voltage", 1e-3),
        ("CE (cd/A)", "current_efficiency", 1.0),
        ("Wavelength (nm)", "wavelength", 1.0),
        ("Wavelength[nm]", "wavelength", 1.0),
        ("Wavelength (µm)", "wavelength", 1e3),
        ("Wavelength (A)", "wavelength", 0.1),  # Ångström
        ("λ (Å)", "wavelength", 0.1),
        # the unit alone names the quantity
        ("(cd/m2)", "luminance", 1.0),
        ("(mA/cm2)", "current_density", 1.0),
        ("(s)", "time", 1 / 3600),
    ],
)
def test_headers_of_real_and_documented_files(header, quantity, factor):
    spec = identify_column(header)
    assert spec.quantity == quantity
    assert spec.factor == pytest.approx(factor, rel=1e-15)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Time", ColumnSpec("time", "", None)),  # no unit: the reader asks
        ("Time (furlongs)", ColumnSpec("time", "furlongs", None)),
        ("J (mA)", ColumnSpec("current_density", "ma", None)),  # not a density
        ("Voltage", ColumnSpec("voltage", "", 1.0)),  # read as written, V
        ("EQE", ColumnSpec("eqe", "", 1.0)),
        ("EQE (a.u.)", ColumnSpec("eqe", "a.u.", None)),
        ("Temperature (C)", ColumnSpec(None, "c", None)),
        ("(nm)", ColumnSpec(None, "nm", None)),  # a wavelength needs its name
        ("(cm2)", ColumnSpec(None, "cm2", None)),
        ("", ColumnSpec(None, "", None)),
        ("Sample A", ColumnSpec(None, "", None)),
    ],
)
def test_unknown_units_and_unnamed_quantities(header, expected):
    assert identify_column(header) == expected


def test_the_unit_is_reported_normalised():
    assert identify_column("J (mA cm^-2)").unit == "macm-2"
    assert identify_column("L (cd/m²)").unit == "cd/m2"
    assert identify_column("I (μA)").unit == "µa"  # Greek mu -> micro sign
    assert identify_column("Irradiance[?Watt/cm?]").unit == "watt/cm"  # lost chars


def test_header_unit_in_brackets_or_after_an_underscore():
    assert header_unit("J (mA/cm2)") == "mA/cm2"
    assert header_unit("Wavelength[nm]") == "nm"
    assert header_unit("time_h") == "h"
    assert header_unit("time_h", suffix=False) == ""
    assert header_unit("Intensity") == ""


def test_wavelength_factor_and_its_note():
    assert wavelength_factor("Wavelength (nm)") == (1.0, None)
    assert wavelength_factor("Wavelength (µm)") == (
        1000.0,
        "wavelengths converted from µm to nm (header 'Wavelength (µm)').",
    )
    assert wavelength_factor("Counts") == (1.0, None)


def test_internal_units_cover_every_quantity_the_patterns_name():
    for header in ("EQE (%)", "PE (lm/W)", "CE (cd/A)", "L/L0", "PD (V)", "t (h)"):
        assert identify_column(header).quantity in INTERNAL_UNITS


def test_the_quantity_cache_keyed_without_digits_1_to_9_is_exact():
    # _named_quantity is cached on the header with its digits 1-9 made "1":
    # exact only while no pattern holds such a digit (or a digit class).
    from core.io import columns

    for _, pattern in columns._PATTERNS:
        assert not re.search(r"[1-9]|\\d|\\w|\\W|\[[^\]]*\d", pattern.pattern)
    headers = ["t = 10 s", "t = 29 s", "L/L0", "L/L1", "J (mA/cm2)", "V_3", "EQE2 (%)",
               "Luminance 2 (cd/m2)", "Wave 3", "T95 time", "I_pd 7"]  # fmt: skip
    for header in headers:
        loop = next((n for n, p in columns._PATTERNS if p.search(header)), None)
        assert identify_column(header).quantity == loop, header
    assert identify_column("L/L1").quantity != "relative_luminance"
