"""Tests for core.efficiency.device: one EQE per device, from the chosen source."""

from __future__ import annotations

import math

import numpy as np
import pytest
from efficiency_sweeps import GRID_NM, gaussian, make_sweep

from core.efficiency import (
    available_eqe_spectra,
    device_efficiency,
    eqe_choice,
    eqe_percent_per_cd_a,
)
from core.models import Device, SpectralSeries

# 638/32 nm line: 1.1196 % EQE per cd/A (docs/methods.md §3); 660/30 nm: its own.
F638 = float(eqe_percent_per_cd_a(GRID_NM, gaussian(638.0, 32.0)))
F660 = float(eqe_percent_per_cd_a(GRID_NM, gaussian(660.0, 30.0)))
# 2 → 1000 cd/m²; CE 4 and 10 cd/A; the file's EQE column says 3 and 7 %.
VOLTAGE, CURRENT, LUMINANCE, FILE_EQE = [2.0, 3.0], [0.05, 10.0], [2.0, 1000.0], [3, 7]


def _series(peak_nm, fwhm_nm, label):
    return SpectralSeries(
        GRID_NM, gaussian(peak_nm, fwhm_nm)[None, :], [0.0], "time", "h", label=label
    )


def _device(**fields) -> Device:
    with_file = fields.pop("file_eqe", True)
    own = fields.pop("own", None)
    sweep = make_sweep(
        VOLTAGE, CURRENT, LUMINANCE, FILE_EQE if with_file else None, spectrum=own
    )
    return Device("d", jvl=(sweep,), **fields)


def test_default_is_the_files_eqe_column_then_the_sweeps_spectrum_then_the_series():
    series = _series(660.0, 30.0, "EL vs t")
    both = _device(spectra_time=series)
    assert eqe_choice(both, both.jvl[0]).kind == "file"
    result = device_efficiency(both)
    assert result.eqe_max_percent == 7.0
    assert result.eqe_spectrum == "file"
    assert result.eqe_basis == "EQE from the file's EQE column (default)"
    own = _series(638.0, 32.0, "EL")
    with_own = _device(file_eqe=False, own=own, spectra_time=series)
    assert eqe_choice(with_own, with_own.jvl[0]).spectrum is own
    assert device_efficiency(with_own).eqe_max_percent == pytest.approx(10 * F638)
    series_only = _device(file_eqe=False, spectra_time=series)
    result = device_efficiency(series_only)
    assert result.eqe_max_percent == pytest.approx(10 * F660, rel=1e-9)
    assert result.eqe_spectrum == "el_series"
    assert result.eqe_basis == (
        "EQE computed with the device's EL series 'EL vs t' at 660.0 nm (default)"
    )
    nothing = device_efficiency(_device(file_eqe=False))
    assert nothing.eqe_spectrum == "none" and math.isnan(nothing.eqe_max_percent)
    assert nothing.eqe_basis.startswith("no EQE (no EQE column, no spectrum")


def test_the_stored_choice_is_honoured():
    series = _series(660.0, 30.0, "EL vs t")
    chosen = _device(spectra_time=series, eqe_spectrum="el_series")
    assert available_eqe_spectra(chosen, chosen.jvl[0]) == ["file", "el_series"]
    result = device_efficiency(chosen)
    assert result.eqe_max_percent == pytest.approx(10 * F660, rel=1e-9)
    assert result.eqe_spectrum == "el_series"
    assert not result.eqe_basis.endswith("(default)")
    # The file's column stays beside it: computed / file = 10 F660 / 7.
    assert result.eqe_computed_to_file_ratio == pytest.approx(
        np.median([4 * F660 / 3, 10 * F660 / 7])
    )
    uploaded = _series(638.0, 32.0, "upload")
    result = device_efficiency(
        _device(
            spectra_time=series,
            eqe_spectrum="uploaded",
            eqe_uploaded_spectrum=uploaded,
        )
    )
    assert result.eqe_max_percent == pytest.approx(10 * F638, rel=1e-9)
    assert result.eqe_basis.startswith(
        "EQE computed with the spectrum given with the sweep 'upload' at 638.0 nm"
    )


def test_a_choice_whose_data_is_missing_gives_no_eqe_and_says_why():
    result = device_efficiency(_device(eqe_spectrum="el_series"))
    assert math.isnan(result.eqe_max_percent) and result.eqe_source == "none"
    assert result.eqe_basis == "no EQE (the device's EL series is missing)"
    assert result.warnings[-1] == (
        "EQE not determined: the device's EQE is set to come from the device's "
        "EL series, which it does not have; choose another source."
    )
    assert result.current_efficiency_max_cd_a == 10.0  # CE needs no spectrum


def test_device_choices_are_checked():
    with pytest.raises(ValueError, match="eqe_spectrum must be None or one of"):
        Device("d", eqe_spectrum="photodiode")
    with pytest.raises(ValueError, match="eqe_noisy_spectrum must be one of"):
        Device("d", eqe_noisy_spectrum="loudest")


def test_later_sweeps_and_the_threshold_are_passed_through():
    sweep = make_sweep(
        [2.0, 3.0, 4.0], [0.05, 1.0, 10.0], [2.0, 50.0, 1000.0], [1, 2, 3]
    )
    device = Device("d", jvl=(sweep, sweep))
    result = device_efficiency(device, sweep_index=1, turn_on_luminance_cd_m2=10.0)
    assert result.turn_on_v == 3.0 and result.turn_on_luminance_cd_m2 == 10.0
