"""
core/io/series.py: several single-spectrum files combined into one series.

Synthetic files hold a Gaussian (FWHM 20 nm) on a 2 nm grid whose peak is a
grid point, so the argmax is exact; the real SpectraSuite files carry their
recording times (17:21:38 and 17:23:29, SOURCES.md).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InputError
from core.io import read_spectra_files, read_spectral_series
from tests.core.io.spectra_support import (
    DARK,
    GREEN,
    fixture,
    has_note,
    peak_nm,
    real,
)


def single_spectrum_text(peak, shift_nm=0.0):
    w = np.arange(560, 681, 2.0) + shift_nm
    y = 1000 * np.exp(-0.5 * ((w - peak) / 8.5) ** 2)
    return "".join(f"{a:.2f}\t{b:.4f}\n" for a, b in zip(w, y, strict=True)).encode()


def test_files_ordered_by_number_in_name_as_axis():
    files = [
        ("EL_10V.txt", single_spectrum_text(610)),
        ("EL_2V.txt", single_spectrum_text(630)),
        ("EL_5.5V.txt", single_spectrum_text(620)),
    ]
    series = read_spectra_files(files, axis_name="voltage")
    assert series.axis.tolist() == [2.0, 5.5, 10.0]
    assert (series.axis_name, series.axis_unit) == ("voltage", "V")
    assert [peak_nm(series, i) for i in range(3)] == [630.0, 620.0, 610.0]
    assert series.label == "EL"
    plain = read_spectra_files(files)
    assert plain.axis.tolist() == [0.0, 1.0, 2.0]
    assert plain.source.split(", ")[0] == "EL_2V.txt"


def test_files_given_order_and_axis_values():
    files = [("b.txt", single_spectrum_text(610)), ("a.txt", single_spectrum_text(630))]
    series = read_spectra_files(
        files, order="given", axis_name="current_density", axis_values=[5.0, 1.0]
    )
    assert peak_nm(series, 0) == 610.0
    assert series.axis.tolist() == [5.0, 1.0]
    assert series.axis_unit == "mA/cm²"
    with pytest.raises(InputError) as error:
        read_spectra_files(files, axis_values=[1.0])
    assert "1 axis values were given for 2 spectra" in str(error.value)


def test_files_on_different_grids_are_interpolated():
    files = [
        ("s1.txt", single_spectrum_text(620)),
        ("s2.txt", single_spectrum_text(620, shift_nm=1.0)),
    ]
    series = read_spectra_files(files)
    assert has_note(series, "s2.txt interpolated linearly onto the grid of s1.txt")
    assert has_note(series, "grid cut to 562-680 nm")
    assert series.wavelength_nm[0] == 562.0


def test_files_errors_name_the_file():
    files = [("good_1.txt", single_spectrum_text(620)), ("bad_2.txt", b"\x00\x01")]
    with pytest.raises(InputError) as error:
        read_spectra_files(files)
    assert str(error.value).startswith("bad_2.txt is a binary file")
    with pytest.raises(InputError) as error:
        read_spectra_files([("x.txt", single_spectrum_text(620))], order="timestamp")
    assert "x.txt: no time stamp was found in the file" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectra_files([("wide.csv", fixture("synthetic_wide_time.csv"))])
    assert "wide.csv holds 3 spectra; expected one spectrum per file" in str(
        error.value
    )
    with pytest.raises(InputError) as error:
        read_spectra_files(
            [
                ("a1.txt", single_spectrum_text(620)),
                ("b.txt", single_spectrum_text(621)),
            ],
            axis_name="time",
        )
    assert "b.txt: the file name has no number" in str(error.value)
    with pytest.raises(InputError) as error:
        read_spectra_files([])
    assert "no spectrum files were given" in str(error.value)


def test_real_files_combined_by_timestamp():
    files = [(DARK, real(DARK)), (GREEN, real(GREEN))]  # given in reverse time
    series = read_spectra_files(files, order="timestamp")
    assert series.source.startswith(GREEN)  # 17:21:38 before 17:23:29
    assert series.axis_name == "time" and series.axis_unit == "h"
    np.testing.assert_allclose(series.axis, [0.0, (111) / 3600])
    assert series.label == "photobiologyLEDs_Norlux_Green"


def test_files_with_a_dark_each():
    light = single_spectrum_text(620)
    dark = "".join(f"{w:.2f}\t100\n" for w in np.arange(560, 681, 2.0)).encode()
    files = [("s_1.txt", light), ("s_2.txt", light)]
    series = read_spectra_files(files, dark=dark, dark_name="dark.txt")
    single = read_spectral_series(light, "s_1.txt")
    np.testing.assert_allclose(series.intensity[1], single.intensity[0] - 100)
    assert has_note(series, "all 2 files: dark spectrum dark.txt subtracted.")
