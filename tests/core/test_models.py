"""core.models: containers own read-only copies and check their shapes."""

from __future__ import annotations

import numpy as np
import pytest

from core.models import JVLSweep, LifetimeLog, SpectralSeries


def test_containers_copy_and_freeze_their_arrays():
    voltage = np.array([1.0, 2.0, 3.0])
    sweep = JVLSweep(voltage, [0.1, 1.0, 10.0], [1.0, 10.0, 100.0])
    voltage[0] = 99.0  # the caller's array changes, the sweep does not
    assert sweep.voltage_v[0] == 1.0
    with pytest.raises(ValueError):
        sweep.luminance_cd_m2[0] = 5.0
    assert sweep.eqe_percent is None and sweep.notes == ()


@pytest.mark.parametrize(
    "build",
    [
        lambda: JVLSweep([1.0, 2.0], [0.1], [1.0, 2.0]),
        lambda: LifetimeLog([0.0, 1.0, 2.0], [100.0, 90.0]),
        lambda: LifetimeLog([0.0, 1.0], [100.0, 90.0], voltage_v=[3.0]),
        lambda: SpectralSeries(np.arange(5.0), np.ones((2, 5)), [0.0]),
        lambda: SpectralSeries(np.arange(5.0), np.ones((2, 4)), [0.0, 1.0]),
    ],
)
def test_mismatched_lengths_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_one_spectrum_becomes_a_series_of_one():
    series = SpectralSeries(np.arange(5.0), np.ones(5), 0.0, "time", "h")
    assert series.n_spectra == 1 and series.axis_label == "time [h]"
    moved = series.with_axis([2.5], "voltage", "V")
    assert moved.axis_label == "voltage [V]" and series.axis[0] == 0.0
