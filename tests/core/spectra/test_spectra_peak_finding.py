"""core.spectra.peak_finding against scipy.signal's own find_peaks,
peak_prominences and peak_widths, bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import signal

from core.spectra.peak import savgol_smooth
from core.spectra.peak_finding import (
    find_peaks,
    local_maxima,
    peak_prominences,
    peak_widths,
)


def rows(seed: int, count: int = 40):
    """Smoothed noisy lines with bumps, plus quantised rows (flat tops)."""
    rng = np.random.default_rng(seed)
    pixel = np.arange(600)
    for k in range(count):
        line = 1000 * np.exp(-0.5 * ((pixel - rng.uniform(100, 500)) / 30) ** 2)
        line += 80 * np.exp(-0.5 * ((pixel - rng.uniform(50, 550)) / 8) ** 2)
        noisy = line + rng.normal(0, 10, pixel.size)
        row = savgol_smooth(noisy.astype(np.float32), 2 * (k % 10) + 5)
        yield row
        yield np.round(row / 7.0)  # plateaus of equal values


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_find_peaks_is_scipys(seed):
    for row in rows(seed):
        for min_width in (1.5, 2.0, 7.5):
            expected, props = signal.find_peaks(row, prominence=0.0, width=min_width)
            peaks, prominences = find_peaks(row, min_width)
            assert np.array_equal(peaks, expected)
            assert np.array_equal(prominences, props["prominences"])
            # Restricting the maxima first = filtering scipy's answer after.
            where = row > np.median(row) + 20
            kept = where[expected]
            peaks, prominences = find_peaks(row, min_width, where)
            assert np.array_equal(peaks, expected[kept])
            assert np.array_equal(prominences, props["prominences"][kept])


@pytest.mark.parametrize("seed", [3, 4])
def test_prominences_and_widths_are_scipys(seed):
    for row in rows(seed):
        peaks = local_maxima(row)
        assert np.array_equal(peaks, signal.find_peaks(row)[0])
        # Also points that are not maxima (the main band's pixel may not be).
        extra = np.array([0, 3, row.size // 2, row.size - 1])
        chosen = np.union1d(peaks, extra)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = signal.peak_prominences(row, chosen)
            expected_widths = signal.peak_widths(row, chosen, rel_height=0.5)
        for ours, theirs in zip(peak_prominences(row, chosen), expected, strict=True):
            assert np.array_equal(ours, theirs)
        for ours, theirs in zip(
            peak_widths(row, chosen, 0.5), expected_widths, strict=True
        ):
            assert np.array_equal(ours, theirs)


def test_edges_and_short_rows():
    assert local_maxima([1.0, 2.0]).size == 0
    # A maximum at either end is not a peak; a flat top's middle (rounded down) is.
    assert local_maxima([3.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0, 5.0]).tolist() == [3]
    # A plateau running to the end is not a peak.
    assert local_maxima([0.0, 1.0, 2.0, 2.0]).size == 0


def test_peaks_walked_in_blocks_give_the_same_answer(monkeypatch):
    """Many peaks on a long row are walked a block of peaks at a time (the
    (peaks × row) masks stay small): the same as scipy with blocks of one."""
    import core.spectra.peak_finding as peak_finding

    monkeypatch.setattr(peak_finding, "_BLOCK_ELEMENTS", 1)
    for row in rows(5, count=6):
        chosen = np.union1d(local_maxima(row), [0, row.size - 1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = signal.peak_widths(row, chosen, rel_height=0.5)
        for ours, theirs in zip(peak_widths(row, chosen, 0.5), expected, strict=True):
            assert np.array_equal(ours, theirs)
