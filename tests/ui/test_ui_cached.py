"""ui.cached: series keyed on a digest of all their content, bounded caches."""

from __future__ import annotations

import dataclasses

import numpy as np

from core.models import SpectralSeries
from ui import cached


def series(intensity) -> SpectralSeries:
    intensity = np.asarray(intensity, dtype=float)
    return SpectralSeries(
        wavelength_nm=np.linspace(400.0, 800.0, intensity.shape[1]),
        intensity=intensity,
        axis=np.arange(intensity.shape[0], dtype=float),
        axis_name="time",
        axis_unit="h",
    )


def test_digest_follows_every_value_and_field():
    rng = np.random.default_rng(0)
    values = rng.normal(100.0, 1.0, (600, 1024))  # > Streamlit's sampling size
    first = series(values)
    assert cached.series_digest(first) == cached.series_digest(series(values.copy()))
    for row, column in [(0, 0), (321, 777), (599, 1023)]:
        changed = values.copy()
        changed[row, column] += 1e-9
        assert cached.series_digest(series(changed)) != cached.series_digest(first)
    renamed = dataclasses.replace(first, axis_unit="s")
    assert cached.series_digest(renamed) != cached.series_digest(first)


def test_digest_is_computed_once_per_series_and_forgotten_with_it():
    one = series(np.ones((3, 8)))
    digest = cached.series_digest(one)
    assert cached._DIGESTS[id(one)][1] == digest
    key = id(one)
    del one
    assert key not in cached._DIGESTS


def test_series_caches_are_bounded_and_expire():
    for function in (
        cached.read_spectra,
        cached.read_spectrum,
        cached.series_stability,
    ):
        assert function._info.max_entries == cached.SERIES_ENTRIES
        assert function._info.ttl == cached.TTL
    assert cached.series_stability._info.hash_funcs == {
        SpectralSeries: cached.series_digest
    }
