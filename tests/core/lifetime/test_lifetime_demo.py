"""core.demo.lifetime: the synthetic lifetime tests the demo session holds."""

from __future__ import annotations

import numpy as np
import pytest

from core.demo import CONTROL, TREATED
from core.demo.lifetime import DEMO_T50_H, demo_decay_fraction, demo_lifetime
from core.lifetime import fit_acceleration_exponent, lifetime_metrics


def test_demo_lifetime_is_deterministic_labelled_and_on_target():
    demo = demo_lifetime()
    again = demo_lifetime()
    assert set(demo) == {CONTROL, TREATED}
    assert len(demo[TREATED]) == 4
    for name, logs in demo.items():
        for log, twin in zip(logs, again[name], strict=True):
            np.testing.assert_array_equal(log.luminance_cd_m2, twin.luminance_cd_m2)
            assert log.source == "synthetic demo data" and "synthetic" in log.label
            assert log.voltage_v is not None
    control = lifetime_metrics(demo[CONTROL][0])
    treated = lifetime_metrics(demo[TREATED][0])
    # Targets: 43 min at 101 cd/m², 490 min at 102 cd/m² (Ren et al. 2024); 1 % /
    # 0.5 % noise moves the measured T50 by ~1 % (reported uncertainty).
    assert control.t50_h * 60 == pytest.approx(43.0, rel=0.03)
    assert control.initial_luminance_cd_m2 == pytest.approx(101.0, rel=0.03)
    assert treated.t50_h * 60 == pytest.approx(490.0, rel=0.02)
    assert treated.brightens and not control.brightens
    # The noise-free curve behind the demo crosses 0.5 exactly at the target.
    assert demo_decay_fraction(TREATED, DEMO_T50_H[TREATED]) == pytest.approx(0.5)
    results = [lifetime_metrics(log) for log in demo[TREATED]]
    assert [r.t50_kind for r in results].count("extrapolated") == 1
    fit = fit_acceleration_exponent(
        [r.initial_luminance_cd_m2 for r in results], [r.t50_h for r in results]
    )
    assert fit.n == pytest.approx(1.8, abs=0.05)
