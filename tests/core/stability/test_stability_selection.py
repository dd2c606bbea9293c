"""core.stability.selection and .shoulders: spectra used, reference, bands
found against the reference."""

from __future__ import annotations

import numpy as np
import pytest
from support import gaussian

from core.errors import InputError
from core.models import SpectralSeries
from core.stability import select_spectra, series_stability
from core.stability.shoulders import persistent_from

GRID = np.linspace(380.0, 780.0, 1024)


def test_reasons_and_reference():
    axis = np.arange(8.0)
    emission = np.array([0, 0, 1, 1, 1, 1, 1, 1], dtype=bool)
    peak = np.array([0, 0, 0, 1, 1, 1, 1, 1], dtype=bool)
    chosen = select_spectra(axis, emission, has_peak=peak, exclude=[5],
                            exclude_axis_range=(6.5, 9.0))  # fmt: skip
    assert list(chosen.included) == [False] * 3 + [True, True, False, True, False]
    assert chosen.reason[0] == "no emission above the noise"
    assert chosen.reason[2] == "too weak for peak and FWHM"
    assert chosen.reason[5] == "excluded by the user"
    assert chosen.reason[7] == "in the excluded axis range"
    assert chosen.reference == 3
    assert select_spectra(axis, emission, reference=6.0).reference == 6
    with pytest.raises(InputError, match="it is no emission"):
        select_spectra(axis, emission, reference=1)
    with pytest.raises(InputError, match="does not exist"):
        select_spectra(axis, emission, reference=9)


def test_persistence_of_a_flag():
    included = np.ones(10, dtype=bool)
    flags = np.array([0, 1, 0, 0, 0, 1, 1, 1, 1, 1], dtype=bool)
    assert persistent_from(flags, included) == 5
    assert persistent_from(np.zeros(10, dtype=bool), included) == -1


def test_an_unresolved_shoulder_is_found_against_the_reference():
    # A shoulder 25 nm from a 32 nm line forms no maximum of its own; growing
    # to 15 % of the emission it stands out against the reference.
    main = gaussian(GRID, 638.0, 32.0)
    shoulder = gaussian(GRID, 663.0, 28.0)
    amplitudes = np.linspace(0.0, 0.2, 6)
    lines = np.stack([main + a * shoulder for a in amplitudes])
    rng = np.random.default_rng(7)
    series = SpectralSeries(GRID, lines + rng.normal(0, 0.002, lines.shape),
                            np.arange(6.0), axis_name="time")  # fmt: skip
    result = series_stability(series)
    assert not result.secondary_peak_detected  # no resolved maximum
    shoulders = result.bands[result.bands.kind == "shoulder"]
    assert not shoulders.empty and set(shoulders.spectrum) >= {4, 5}
    assert shoulders.peak_nm.median() == pytest.approx(663.0, abs=12.0)
    assert np.isfinite(result.second_band_axis)
