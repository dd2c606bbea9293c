"""
core/io/long_table.py: long (axis, wavelength, intensity) tables.

tests/data/synthetic_long_time.csv holds the same three spectra as the wide
fixture, so the pivot must give its numbers (rtol 1e-12).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InputError
from core.io import read_spectral_series
from tests.core.io.spectra_support import (
    fixture,
    has_note,
    raises,
    reference_series,
)


def test_long_table_pivot_and_minutes_to_hours():
    series = read_spectral_series(fixture("synthetic_long_time.csv"), "long.csv")
    reference = reference_series()
    np.testing.assert_allclose(series.intensity, reference.intensity, rtol=1e-12)
    assert series.axis.tolist() == [0.0, 0.5, 1.0]
    assert (series.axis_name, series.axis_unit) == ("time", "h")
    assert has_note(series, "long table")


def test_long_table_rows_in_any_order():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    body = lines[1:]
    rng = np.random.default_rng(7)
    shuffled = [body[i] for i in rng.permutation(len(body))]
    text = "\n".join([lines[0], *shuffled])
    series = read_spectral_series(text.encode(), "shuffled.csv")
    # Axis values keep their first appearance order; compare after sorting.
    order = np.argsort(series.axis)
    np.testing.assert_allclose(
        series.intensity[order], reference_series().intensity, rtol=1e-12
    )


def test_long_table_slightly_different_grid_is_interpolated():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        t, w, y = line.split(",")
        if t == "60":
            w = f"{float(w) + 0.2:.1f}"  # spectrometer recalibrated by 0.2 nm
        out.append(",".join((t, w, y)))
    series = read_spectral_series("\n".join(out).encode(), "shift.csv")
    assert series.n_spectra == 3
    assert has_note(series, "interpolated linearly onto the grid of the first")
    assert has_note(series, "time (min) = 60")


def test_long_table_grids_that_cannot_be_pivoted():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    out = [lines[0]] + [
        ln
        for ln in lines[1:]
        if not (ln.startswith("30,") and float(ln.split(",")[1]) > 600)
    ]
    with pytest.raises(InputError) as error:
        read_spectral_series("\n".join(out).encode(), "cut.csv")
    message = str(error.value)
    assert "cut.csv: the spectrum at time (min) = 30 covers 500-600 nm" in message
    assert "one wavelength grid for all spectra" in message


def test_long_table_duplicate_wavelength_names_line():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()
    lines.insert(5, lines[4])  # repeat "0,506.0,..." at line 6
    with pytest.raises(InputError) as error:
        read_spectral_series("\n".join(lines).encode(), "dup.csv")
    assert "line 6: wavelength 506 nm appears twice for time (min) = 0" in str(
        error.value
    )


def test_headerless_long_table():
    lines = fixture("synthetic_long_time.csv").decode().splitlines()[1:]
    series = read_spectral_series("\n".join(lines).encode(), "bare_long.csv")
    assert series.n_spectra == 3
    assert series.axis.tolist() == [0.0, 30.0, 60.0]
    assert has_note(series, "no header; it was read as a long table")


def test_long_table_with_only_blank_rows():
    # Found by fuzzing: a header that splits into a long-table header, no data.
    text = "Wavelength (nm)\tt = 0 h\tt = 1 h\n300\t300\tNaN\n300\n300\n300\n300"
    message = raises(text.encode())
    assert "bad.csv: found 0 wavelengths with a value" in message
