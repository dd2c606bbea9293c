"""Tests for core.efficiency.metrics: efficiency_metrics on real and synthetic data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from efficiency_sweeps import (
    GRID_NM,
    gaussian,
    make_sweep,
    real_sweep,
    spectrum_series,
)
from support import REALDATA

from core.efficiency import efficiency_metrics, eqe_percent_per_cd_a, summary_record
from core.efficiency.result import POINT_COLUMNS
from core.io.text import read_numeric_table
from core.models import SpectralSeries


def test_simone_sweep_masks_sub_turn_on_noise():
    """SOURCES.md: EQEmax 10.28 % at 4.25 V (L ≥ 1); naive 22.7 % at 2.05 V."""
    result = efficiency_metrics(real_sweep("simone-peled_DC_data.dat"))
    assert result.eqe_source == "file"
    assert result.eqe_max_percent == pytest.approx(10.28, abs=5e-3)
    assert result.voltage_at_eqe_max_v == pytest.approx(4.25)
    assert result.luminance_at_eqe_max_cd_m2 == pytest.approx(7050.0)
    assert result.current_density_at_eqe_max_ma_cm2 == pytest.approx(19.34)
    assert result.luminance_max_cd_m2 == pytest.approx(6.74e4, rel=1e-3)
    assert result.turn_on_v == pytest.approx(2.6)
    noise = result.points[np.isclose(result.points.voltage_v, 2.05)].iloc[0]
    assert noise.eqe_file_percent == pytest.approx(22.73)
    assert not noise.above_turn_on
    assert (
        "EQE taken from the file's EQE column, not recomputed from J and L (no EL "
        "spectrum used)." in result.warnings
    )


def test_bsubpc_turn_on_and_eqe():
    """SOURCES.md: turn-on 3.4 V, EQEmax about 0.55 % at 6.4 V, Lmax 1601 cd/m²."""
    result = efficiency_metrics(real_sweep("bsubpc-oled_OLED-004_A1-1_JVL.txt"))
    assert result.turn_on_v == pytest.approx(3.4, abs=1e-3)
    assert result.eqe_max_percent == pytest.approx(0.548094)
    assert result.voltage_at_eqe_max_v == pytest.approx(6.4, abs=1e-3)
    assert result.luminance_max_cd_m2 == pytest.approx(1600.96)
    # Independent implementation: the rig's own PE column (π L / (J V)) agrees
    # with ours at every point above turn-on to its 6 printed digits.
    path = REALDATA / "bsubpc-oled_OLED-004_A1-1_JVL.txt"
    table = read_numeric_table(path.read_bytes(), path.name)
    rig_pe = table.values[:, table.header.index("PE(lm/W)")]
    above = result.points.above_turn_on.to_numpy()
    np.testing.assert_allclose(
        result.points.power_efficiency_lm_w[above], rig_pe[above], rtol=2e-5
    )


def test_user_threshold_moves_turn_on():
    result = efficiency_metrics(
        real_sweep("simone-peled_DC_data.dat"), turn_on_luminance_cd_m2=100.0
    )
    assert result.turn_on_v > 2.6
    assert result.turn_on_luminance_cd_m2 == 100.0


def test_sub_turn_on_spike_is_masked():
    # A 90 % "EQE" at 0.5 cd/m² (below turn-on) must not be the maximum.
    sweep = make_sweep(
        [1, 2, 3, 4], [1e-4, 0.01, 1, 10], [0.5, 2, 100, 800], [90, 3, 8, 6]
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_max_percent == 8
    assert result.voltage_at_eqe_max_v == 3
    assert result.turn_on_v == 2


def test_no_spectrum_no_eqe_column_gives_null_not_a_number():
    sweep = make_sweep([2, 3], [0.1, 10], [2, 1000])
    result = efficiency_metrics(sweep)
    assert result.eqe_source == "none"
    assert math.isnan(result.eqe_max_percent)
    assert result.current_efficiency_max_cd_a == pytest.approx(10.0)  # 1000/(10·10)
    assert (
        "EQE not determined: no EL spectrum was given and the file has no EQE "
        "column; give the EL spectrum to compute it from J and L." in result.warnings
    )
    assert summary_record(result)["eqe_max_percent"] is None


def test_computed_and_file_eqe_side_by_side():
    factor = float(eqe_percent_per_cd_a(GRID_NM, gaussian(638.0, 32.0)))
    luminance = np.array([2.0, 100.0, 1000.0])
    current = np.array([0.05, 1.0, 10.0])
    computed = factor * luminance / (10 * current)
    sweep = make_sweep(
        [2, 3, 4], current, luminance, eqe=computed * 1.25, spectrum=spectrum_series()
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_source == "spectrum"
    assert result.eqe_computed_to_file_ratio == pytest.approx(0.8, rel=1e-12)
    np.testing.assert_allclose(result.points.eqe_percent, computed, rtol=1e-12)
    np.testing.assert_allclose(result.points.eqe_file_percent, computed * 1.25)
    assert result.eqe_max_percent == pytest.approx(factor * 10.0)


def test_threshold_never_reached():
    result = efficiency_metrics(make_sweep([1, 2], [0.1, 1], [0.1, 0.5], [1, 2]))
    assert math.isnan(result.turn_on_v) and math.isnan(result.eqe_max_percent)
    assert result.luminance_max_cd_m2 == 0.5
    assert (
        "Turn-on not reached: the luminance never reaches 1 cd/m² (highest 0.5 "
        "cd/m²); efficiency maxima are not determined." in result.warnings
    )


def test_mismatch_with_the_files_eqe_is_flagged():
    factor = float(eqe_percent_per_cd_a(GRID_NM, gaussian(638.0, 32.0)))
    luminance = np.array([2.0, 100.0])
    current = np.array([0.05, 1.0])
    computed = factor * luminance / (10 * current)
    sweep = make_sweep(
        [2, 3], current, luminance, eqe=computed / 3, spectrum=spectrum_series()
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_computed_to_file_ratio == pytest.approx(3.0)
    assert (
        "The EQE computed from J, L and the spectrum is 3 times the file's EQE "
        "column (median above turn-on): check that the spectrum belongs to this "
        "device and that L and the area are right." in result.warnings
    )


def test_points_that_break_a_physical_limit_are_data_errors_not_results():
    # 638/32 nm line: 1.1196 % EQE per cd/A, so 100 % EQE is 89.3 cd/A.
    # 3 V: 1e5 cd/m² at 1 mA/cm² = 1e4 cd/A: EQE 11196 %, PE 10472 lm/W.
    # 5 V: J < 0 while emitting. 4 V and 6 V are plausible.
    sweep = make_sweep(
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        [0.01, 0.05, 1.0, 10.0, -2.0, 50.0],
        [0.01, 2.0, 1.0e5, 2000.0, 3000.0, 9000.0],
        spectrum=spectrum_series(),
    )
    result = efficiency_metrics(sweep)
    checks = {w.check: w for w in result.data_warnings}
    assert set(checks) == {
        "eqe_above_100_percent",
        "pe_above_683_lm_w",
        "ce_above_spectrum_limit",
        "current_not_positive_in_forward_bias",
    }
    assert checks["eqe_above_100_percent"].voltages_v == (3.0,)
    assert checks["pe_above_683_lm_w"].points == (2,)
    assert checks["current_not_positive_in_forward_bias"].voltages_v == (5.0,)
    assert checks["pe_above_683_lm_w"].message.startswith(
        "Data error: PE > 683 lm/W at 1 point(s) of the emitting range (3 V), up "
        "to 1.047e+04 lm/W."
    )
    assert all(w.message in result.warnings for w in result.data_warnings)
    # Left out of every maximum: the best plausible point is 4 V (2000 cd/m²
    # / 100 A/m² = 20 cd/A): EQE 22.39 %, CE 20 cd/A, PE π·20/4 lm/W.
    assert result.eqe_max_percent == pytest.approx(20 * 1.1196, rel=1e-4)
    assert result.voltage_at_eqe_max_v == 4.0
    assert result.current_efficiency_max_cd_a == pytest.approx(20.0)
    assert result.power_efficiency_max_lm_w == pytest.approx(5 * math.pi)
    problems = result.points.data_problem.tolist()
    assert problems[2] == "EQE > 100 %; PE > 683 lm/W; CE above 100 % EQE"
    assert problems[4] == "J ≤ 0 at V > 0"
    assert problems[0] == problems[1] == problems[3] == problems[5] == ""
    record = summary_record(result, include_points=False)
    assert record["data_warnings"][0] == {
        "check": "eqe_above_100_percent",
        "points": [2],
        "voltages_v": [3.0],
        "message": checks["eqe_above_100_percent"].message,
    }


def test_ce_bound_without_a_spectrum_is_that_of_any_light():
    # No spectrum, the file's EQE column: 600 cd/A is more than any light
    # gives at 100 % EQE (487.6 cd/A, monochromatic 550 nm).
    sweep = make_sweep([2.0, 3.0, 4.0], [0.1, 0.5, 1.0], [5, 3000, 400], [1, 2, 3])
    result = efficiency_metrics(sweep)
    assert [w.check for w in result.data_warnings] == ["ce_above_spectrum_limit"]
    assert result.data_warnings[0].voltages_v == (3.0,)
    assert result.current_efficiency_max_cd_a == pytest.approx(40.0)


def test_ce_max_of_any_light_is_the_monochromatic_550_nm_bound():
    from core.efficiency import CE_MAX_ANY_LIGHT_CD_A

    grid = np.arange(360.0, 830.0, 1.0)
    # One monochromatic line per wavelength: 100 / factor is its CE at 100 % EQE.
    lines = np.eye(grid.size)
    ce_at_100 = 100.0 / eqe_percent_per_cd_a(grid, lines)
    assert np.nanmax(ce_at_100) == pytest.approx(CE_MAX_ANY_LIGHT_CD_A, rel=2e-4)
    assert grid[np.nanargmax(ce_at_100)] == 550.0
    # docs/methods.md §3: monochromatic 555 nm, 20 % EQE ≙ 97.1 cd/A.
    assert 0.2 * ce_at_100[grid == 555.0][0] == pytest.approx(97.1, abs=0.05)


def test_ce_and_pe_maxima_are_taken_over_the_emitting_range_only():
    # Below turn-on 0.5 cd/m² at 1e-5 mA/cm² is a 5000 cd/A "CE" of noise.
    sweep = make_sweep([1.0, 3.0, 4.0], [1e-5, 1.0, 10.0], [0.5, 300.0, 2000.0])
    result = efficiency_metrics(sweep)
    # CE = L / (10 J) [cd/A]; PE = π CE / V [lm/W]: 30 cd/A at 3 V.
    assert result.current_efficiency_max_cd_a == pytest.approx(30.0)
    assert result.power_efficiency_max_lm_w == pytest.approx(math.pi * 30.0 / 3.0)
    assert result.points.current_efficiency_cd_a[0] == pytest.approx(5000.0)


def test_missing_file_eqe_above_turn_on_is_said():
    sweep = make_sweep(
        [1, 2, 3], [0.01, 0.1, 1], [0.5, 2, 100], [4, math.nan, math.nan]
    )
    result = efficiency_metrics(sweep)
    assert result.eqe_source == "file" and math.isnan(result.eqe_max_percent)
    assert (
        "EQE maximum not determined: no point of the emitting range has a finite "
        "EQE that passes the data checks." in result.warnings
    )


def test_spectral_factor_is_reported_at_the_eqe_peak():
    # Bias series: the EQE peak (3rd point) uses the 660 nm spectrum.
    series = SpectralSeries(
        GRID_NM,
        np.stack([gaussian(620.0, 30.0), gaussian(660.0, 30.0)]),
        axis=[3.0, 5.0],
        axis_name="voltage",
        label="EL vs V",
    )
    sweep = make_sweep([3.0, 4.0, 5.0], [0.1, 1.0, 2.0], [2.0, 10.0, 200.0])
    result = efficiency_metrics(sweep, series, baseline="none")
    at_660 = float(eqe_percent_per_cd_a(GRID_NM, gaussian(660.0, 30.0)))
    assert result.voltage_at_eqe_max_v == 5.0
    assert result.eqe_percent_per_cd_a == pytest.approx(at_660, rel=1e-12)


def test_points_have_the_documented_columns():
    result = efficiency_metrics(make_sweep([2, 3], [0.1, 10], [2, 1000]))
    assert tuple(result.points.columns) == POINT_COLUMNS


def test_turn_on_threshold_must_be_positive():
    with pytest.raises(ValueError, match="turn_on_luminance_cd_m2"):
        efficiency_metrics(
            make_sweep([2, 3], [0.1, 1], [2, 10]), None, turn_on_luminance_cd_m2=0.0
        )
