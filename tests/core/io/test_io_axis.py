"""
core/io/axis.py: the series axis from column headers and from the caller.

The synthetic wide table (tests/data/synthetic_wide_time.csv) with other
headers; expected axes are the header numbers converted by hand (30 min =
0.5 h, 500 mV = 0.5 V).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.io import read_spectral_series
from tests.core.io.spectra_support import (
    has_note,
    raises,
    reference_series,
    wide_text,
)


def test_axis_from_first_header_with_unit_conversion():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm) / time (min),0,30,60"
    series = read_spectral_series("\n".join(text).encode(), "minutes.csv")
    assert series.axis_name == "time" and series.axis_unit == "h"
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert has_note(series, "axis converted from min to h")


def test_voltage_headers_with_mixed_units():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),3 V,3.5 V,4000 mV"
    series = read_spectral_series("\n".join(text).encode(), "bias.csv")
    assert series.axis_name == "voltage" and series.axis_unit == "V"
    assert series.axis.tolist() == [3.0, 3.5, 4.0]
    assert has_note(series, "different units (V, mV); all were converted to V")


@pytest.mark.parametrize(
    ("headers", "axis_name", "axis_unit", "axis"),
    [
        ("EL_3.0V,EL_3.5V,EL_4V", "voltage", "V", [3.0, 3.5, 4.0]),
        ("T = 25 °C,T = 50 °C,T = 75 °C", "temperature", "°C", [25.0, 50.0, 75.0]),
        (
            "J = 1 mA/cm2,J = 10 mA/cm2,J = 100 mA/cm2",
            "current_density",
            "mA/cm²",
            [1.0, 10.0, 100.0],
        ),
        ("0 s,1800 s,3600 s", "time", "h", [0.0, 0.5, 1.0]),
        # Units found by core.units anywhere in a header (30 min = 0.5 h).
        ("EL_0min,EL_30 minutes,EL_1hours", "time", "h", [0.0, 0.5, 1.0]),
        ("run1 @ 2 kV,run2 @ 2.5 kV,run3 @ 3 kV", "voltage", "V", [2e3, 2.5e3, 3e3]),
        ("day 1 (1 d),day 2 (2 d),day 3 (3 d)", "time", "h", [24.0, 48.0, 72.0]),
    ],
)
def test_series_headers(headers, axis_name, axis_unit, axis):
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm)," + headers
    series = read_spectral_series("\n".join(text).encode("utf-8"), "h.csv")
    assert (series.axis_name, series.axis_unit) == (axis_name, axis_unit)
    np.testing.assert_allclose(series.axis, axis)


def test_clock_time_headers_become_hours():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),23:30:00,00:00:00,00:30:00"
    series = read_spectral_series("\n".join(text).encode(), "clock.csv")
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    np.testing.assert_allclose(series.axis, [0.0, 0.5, 1.0])
    assert has_note(series, "clock passes midnight 1 time(s)")


def test_axis_named_in_first_header_only():
    text = wide_text().splitlines()
    text[0] = "time (h),0,0.5,1"
    series = read_spectral_series("\n".join(text).encode(), "first.csv")
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    np.testing.assert_allclose(series.wavelength_nm, reference_series().wavelength_nm)


def test_plain_number_headers_take_axis_name_and_unit_from_arguments():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),0,30,60"
    series = read_spectral_series(
        "\n".join(text).encode(), "n.csv", axis_name="time", axis_unit="s"
    )
    assert series.axis.tolist() == [0.0, 30.0, 60.0]
    assert (series.axis_name, series.axis_unit) == ("time", "s")
    plain = read_spectral_series("\n".join(text).encode(), "n.csv")
    assert plain.axis_name == "index" and plain.axis.tolist() == [0.0, 30.0, 60.0]
    assert has_note(plain, "numbers without a quantity or unit")


def test_non_numeric_headers_give_index_axis_with_note():
    text = wide_text().splitlines()
    text[0] = "Wavelength (nm),pixel A,pixel B,pixel C"
    series = read_spectral_series("\n".join(text).encode(), "names.csv")
    assert series.axis_name == "index" and series.axis.tolist() == [0.0, 1.0, 2.0]
    assert has_note(series, "not numbers (e.g. 'pixel A')")


def test_unknown_axis_name():
    message = raises(wide_text().encode(), axis_name="pressure")
    assert "axis name 'pressure' is not known; expected one of time, voltage" in message
