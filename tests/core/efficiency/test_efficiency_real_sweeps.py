"""core.efficiency on every real J-V-L sweep of ../shared/realdata (issue 12).

Independent values from SOURCES.md: OLED-009 turns on at 3.2 V (first voltage
from which L stays ≥ 1 cd/m², dark noise ±1 cd/m²) and its EQE maximum is
≈ 0.37 % at 3.2 V when the noise-dominated spectra near turn-on are replaced
by a clean one; simone's EQE maximum is 10.28 % at 4.25 V.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from efficiency_sweeps import real_sweep
from support import REALDATA

from core.efficiency import (
    CE_MAX_ANY_LIGHT_CD_A,
    LUMINOUS_EFFICACY_MAX_LM_W,
    efficiency_metrics,
    eqe_percent_per_cd_a,
)
from core.io import read_spectral_series
from core.spectra import baseline_corrected

OLED009 = "bsubpc_OLED-009_D5-1"
OLED004 = "bsubpc-oled_OLED-004_A1-1"
GRID_NM = np.arange(380.0, 780.25, 0.5)  # SOURCES.md: not in the count files


def _counts(stem: str, sweep):
    """The EL counts over bias of a bsubpc sweep, one spectrum per voltage."""
    path = REALDATA / f"{stem}_counts_EL-vs-V.txt"
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    return read_spectral_series(
        path.read_bytes(),
        path.name,
        wavelength_nm=GRID_NM,
        axis_values=sweep.voltage_v,
        axis_name="voltage",
        axis_unit="V",
    )


def _irr():
    path = REALDATA / "simone-peled_spectrum1_SpectraWiz.IRR"
    if not path.exists():
        pytest.skip(f"real-data sample {path} is absent (not shipped: no licence)")
    return read_spectral_series(path.read_bytes(), path.name)


def test_oled009_with_its_spectra_meets_the_independent_values():
    sweep = real_sweep(f"{OLED009}_JVL.txt")
    result = efficiency_metrics(sweep, _counts(OLED009, sweep))
    assert result.turn_on_v == pytest.approx(3.2, abs=1e-3)
    assert result.eqe_max_percent == pytest.approx(0.37, rel=0.05)
    assert result.voltage_at_eqe_max_v == pytest.approx(3.2, abs=1e-3)
    assert result.luminance_noise_cd_m2 == pytest.approx(0.221, abs=1e-3)
    assert result.data_warnings == ()
    # The spectra at 3.2-4.8 V are noise: the brightest (11.2 V) served them.
    points = result.points
    emitting = points.above_turn_on.to_numpy()
    replaced = points.spectrum_replaced.to_numpy()
    assert points.voltage_v[emitting & replaced].round(1).tolist() == [
        3.2, 3.4, 3.6, 3.8, 4.0, 4.2, 4.4, 4.6, 4.8,
    ]  # fmt: skip
    assert set(points.spectrum_voltage_v[replaced].round(1)) == {11.2}
    assert any("served -1 to 4.8 V" in w for w in result.warnings)


def test_oled009_nearest_clean_spectrum_by_setting():
    """With the nearest clean spectrum (5.0 V, peak SNR 12) the EQE at 3.2 V is
    its CE times that spectrum's factor, computed here from the raw file."""
    sweep = real_sweep(f"{OLED009}_JVL.txt")
    series = _counts(OLED009, sweep)
    result = efficiency_metrics(sweep, series, noisy_spectrum="nearest")
    corrected, _ = baseline_corrected(GRID_NM, series.intensity, "edges")
    at_5v = int(np.argmin(np.abs(sweep.voltage_v - 5.0)))
    factor = float(eqe_percent_per_cd_a(GRID_NM, corrected[at_5v]))
    ce_at_3v2 = 1.30808 / (10 * 0.123909)  # the file's L / J at 3.20034 V
    assert result.eqe_max_percent == pytest.approx(factor * ce_at_3v2, rel=1e-6)
    assert result.eqe_max_percent == pytest.approx(0.337, abs=0.001)


def _every_real_case():
    cases = []
    for name in (
        f"{OLED009}_JVL.txt",
        f"{OLED004}_JVL.txt",
        "simone-peled_DC_data.dat",
    ):
        cases.append((name, None))
    cases += [(f"{OLED009}_JVL.txt", OLED009), (f"{OLED004}_JVL.txt", OLED004)]
    cases.append(("simone-peled_DC_data.dat", "irr"))
    return cases


@pytest.mark.parametrize(("name", "spectrum"), _every_real_case())
def test_no_reported_maximum_breaks_a_physical_limit(name, spectrum):
    sweep = real_sweep(name)
    series = None
    if spectrum == "irr":
        series = _irr()
    elif spectrum is not None:
        series = _counts(spectrum, sweep)
    result = efficiency_metrics(sweep, series)
    assert result.eqe_max_percent <= 100.0
    assert result.power_efficiency_max_lm_w <= LUMINOUS_EFFICACY_MAX_LM_W
    assert result.current_efficiency_max_cd_a <= CE_MAX_ANY_LIGHT_CD_A
    assert np.isfinite(result.turn_on_v)


def test_a_miscalibrated_luminance_is_a_data_error_never_a_result():
    # The OLED-009 sweep with its luminance read 1000 × too high (a wrong
    # photometer factor): PE and CE exceed what any light allows.
    sweep = real_sweep(f"{OLED009}_JVL.txt")
    wrong = replace(sweep, luminance_cd_m2=sweep.luminance_cd_m2 * 1000.0)
    result = efficiency_metrics(wrong)
    checks = {w.check: w for w in result.data_warnings}
    assert {"pe_above_683_lm_w", "ce_above_spectrum_limit"} <= set(checks)
    assert checks["pe_above_683_lm_w"].voltages_v[0] == pytest.approx(3.2, abs=1e-3)
    assert not result.power_efficiency_max_lm_w > LUMINOUS_EFFICACY_MAX_LM_W
    assert not result.current_efficiency_max_cd_a > CE_MAX_ANY_LIGHT_CD_A
    flagged = result.points.data_problem.str.len() > 0
    assert flagged.sum() == len(checks["ce_above_spectrum_limit"].points)


def test_near_infrared_led_says_ce_and_pe_need_care():
    result = efficiency_metrics(real_sweep("simone-peled_DC_data.dat"), _irr())
    # SOURCES.md: EQEmax 10.28 % at 4.25 V when L ≥ 1 cd/m² (the file's column:
    # the 754 nm spectrum gives no usable spectral factor).
    assert result.eqe_source == "file"
    assert result.eqe_max_percent == pytest.approx(10.28)
    assert result.voltage_at_eqe_max_v == pytest.approx(4.25)
    assert result.eqe_basis.startswith("EQE from the file's EQE column (the EL")
    assert any(
        "peaks at 754 nm" in w and "meaningful only with care" in w
        for w in result.warnings
    )
