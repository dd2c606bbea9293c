"""
core.report.analysis and core.report.table: each device analysed once with
the report's settings, its summary read from those results, and the
side-by-side table.

Reference numbers come from the analysis functions called directly (the
report must show the same numbers the pages and the CLI show) and the
differences are recomputed here.
"""

from __future__ import annotations

import numpy as np
import pytest
from report_support import CONTROL, TREATED, demo_report

import core.summary
from core.demo import demo_devices
from core.efficiency import device_efficiency
from core.errors import InputError
from core.lifetime import lifetime_metrics
from core.report import ReportSettings, analyse_device, metrics_table
from core.stability import series_stability
from core.summary import device_summary


@pytest.fixture(scope="module")
def devices():
    return demo_devices()


def test_side_by_side_numbers_are_the_analysis_modules_numbers(devices):
    table = demo_report().section("devices").tables[0].frame.set_index("metric")
    for device in devices:
        expected = device_efficiency(device)
        assert table.loc["maximum EQE", device.name] == expected.eqe_max_percent
        drift = series_stability(device.spectra_time)
        shift = table.loc["peak shift, last − reference", device.name]
        assert shift == drift.peak_shift_nm
    delta = f"Δ {TREATED} − {CONTROL}"
    eqe = table.loc["maximum EQE"]
    assert eqe[delta] == pytest.approx(eqe[TREATED] - eqe[CONTROL], abs=1e-12)
    # The demo's treated device is the better one (Ren et al. 2024 shape).
    assert eqe[delta] > 0 and table.loc["max |peak shift|", delta] < 0
    assert table.loc["T50 is", CONTROL] in ("measured", "extrapolated")
    assert np.isnan(table.loc["T50 is", delta])  # no difference of words
    assert table.loc["T50 at 100 cd/m² (n = 1.8)", "unit"] == "h"


def test_the_reference_device_sets_the_sign_of_the_differences(devices):
    analyses = [analyse_device(d, ReportSettings()) for d in devices]
    swapped = metrics_table(analyses, ReportSettings(reference_device=TREATED))
    row = swapped.set_index("metric").loc["maximum EQE"]
    assert row[f"Δ {CONTROL} − {TREATED}"] == pytest.approx(row[CONTROL] - row[TREATED])
    with pytest.raises(InputError, match="Reference device 'nobody' is not among"):
        metrics_table(analyses, ReportSettings(reference_device="nobody"))


def test_settings_are_checked_with_sentences():
    with pytest.raises(InputError, match="Unknown figure preset 'a4'"):
        ReportSettings(preset="a4")
    with pytest.raises(InputError, match="must be 'time' or 'bias', found 'voltage'"):
        ReportSettings(series="voltage")
    with pytest.raises(InputError, match="between 50 and 2400, found 30"):
        ReportSettings(ppi=30)


def test_the_summary_is_read_from_the_reports_own_results(devices, monkeypatch):
    # The user's choices: turn-on at 100 cd/m², a single-exponential decay.
    settings = ReportSettings(turn_on_luminance_cd_m2=100.0, decay_model="exponential")
    calls = []
    for name in ("device_efficiency", "lifetime_metrics", "series_stability"):
        real = getattr(core.summary, name)
        monkeypatch.setattr(
            core.summary,
            name,
            lambda *a, _real=real, _name=name, **k: (
                calls.append(_name) or _real(*a, **k)
            ),
        )
    device = devices[0]
    analysis = analyse_device(device, settings)
    assert calls == []  # nothing is fitted twice
    summary = analysis.summary
    assert summary["turn_on_v"] == analysis.efficiency.turn_on_v
    assert summary["eqe_max_percent"] == analysis.efficiency.eqe_max_percent
    assert summary["t50_h"] == analysis.lifetime_main.t50_h
    assert summary["peak_shift_nm"] == analysis.stability.peak_shift_nm
    assert summary["cie_x"] == analysis.stability.metrics["cie_x"].iloc[0]
    # ... and they are the user's, not the defaults the Literature page uses.
    own = device_efficiency(device, turn_on_luminance_cd_m2=100.0)
    assert summary["turn_on_v"] == own.turn_on_v
    assert summary["turn_on_v"] != device_summary(device)["turn_on_v"]
    fit = lifetime_metrics(device.lifetime[0], method="exponential")
    assert summary["t50_h"] == fit.t50_h
