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
        cached.read_series_file,
        cached.read_spectrum,
        cached.series_stability,
    ):
        assert function._info.max_entries == cached.SERIES_ENTRIES
        assert function._info.ttl == cached.TTL
    assert cached.series_stability._info.hash_funcs == {
        SpectralSeries: cached.series_digest
    }


def test_the_upload_preview_and_the_page_read_a_series_file_once(monkeypatch):
    """The preview's read (ui.uploads) is the page's (ui.cached.read_spectra)
    when no dark, axis values, sheet or cells are given."""
    from ui import uploads

    data = ("wavelength,a,b\n" + "\n".join(
        f"{w},{1 + (w == 600)},{2 + (w == 601)}" for w in range(550, 650)
    )).encode()  # fmt: skip
    calls = []
    real = cached.read_spectral_series

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(cached, "read_spectral_series", counting)
    cached.read_series_file.clear()
    cached.read_spectra.clear()
    options = (("axis_name", "time"), ("axis_unit", "h"), ("wavelength_grid", None))
    role, detail = uploads._read_as.__wrapped__(data, "s.csv", "spectra", options)
    assert role == "spectra" and detail.startswith("2 spectra")
    series = cached.read_spectra((("s.csv", data),), None, "time", "h", None)
    assert series.n_spectra == 2 and calls == ["s.csv"]
    cached.read_spectra((("s.csv", data),), None, "time", "h", None, (1.0, 2.0))
    assert calls == ["s.csv", "s.csv"]  # axis values: read with them
