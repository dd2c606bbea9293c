"""
The run-based morphology of the emission mask against scipy.ndimage's
binary morphology (an independent implementation of the same definitions).
"""

import numpy as np
import pytest
from scipy import ndimage

from core.spectra.runs import (
    dilated_runs,
    find_runs,
    long_runs,
    painted,
    row_extent,
    run_around,
)


def _masks(seed: int):
    rng = np.random.default_rng(seed)
    for n, width, density in [(40, 64, 0.5), (25, 200, 0.2), (30, 33, 0.8),
                              (5, 7, 0.5), (3, 1, 0.5)]:  # fmt: skip
        # Runs of every length: a smoothed random field cut at a level.
        field = ndimage.uniform_filter1d(rng.random((n, width)), 3, axis=1)
        yield field > np.quantile(field, 1 - density)
    yield np.ones((4, 50), dtype=bool)
    yield np.zeros((4, 50), dtype=bool)


def _structure(radius: int) -> np.ndarray:
    return np.ones((1, 2 * radius + 1), dtype=bool)


@pytest.mark.parametrize("seed", range(5))
def test_runs_paint_back_to_the_mask(seed):
    for mask in _masks(seed):
        n, width = mask.shape
        assert np.array_equal(painted(*find_runs(mask), n, width), mask)
        assert np.array_equal(painted(*find_runs(mask), n, width, inside=False), ~mask)


@pytest.mark.parametrize("radius", [1, 2, 5, 40])
@pytest.mark.parametrize("seed", range(5))
def test_dilation_equals_binary_dilation(seed, radius):
    for mask in _masks(seed):
        n, width = mask.shape
        expected = ndimage.binary_dilation(mask, _structure(radius))
        got = painted(*dilated_runs(*find_runs(mask), width, radius), n, width)
        assert np.array_equal(got, expected)


@pytest.mark.parametrize("radius", [1, 2, 3, 10])
@pytest.mark.parametrize("seed", range(5))
def test_long_runs_equal_binary_opening(seed, radius):
    """Erosion with the pixels beyond the row counted as True (a run at the
    end of the range is not cut by the end), then dilation."""
    for mask in _masks(seed):
        n, width = mask.shape
        eroded = ndimage.binary_erosion(mask, _structure(radius), border_value=1)
        expected = ndimage.binary_dilation(eroded, _structure(radius)) & mask
        starts, ends = find_runs(mask)
        keep = long_runs(starts, ends, width, radius)
        assert np.array_equal(painted(starts[keep], ends[keep], n, width), expected)


def test_radius_zero_keeps_runs_of_two_pixels():
    mask = np.array([[1, 0, 1, 1, 0, 1, 1, 1, 0, 1]], dtype=bool)
    starts, ends = find_runs(mask)
    keep = long_runs(starts, ends, mask.shape[1], 0)
    assert painted(starts[keep], ends[keep], 1, 10).astype(int).tolist() == [
        [0, 0, 1, 1, 0, 1, 1, 1, 0, 0]
    ]


@pytest.mark.parametrize("radius", [0, 1, 3])
@pytest.mark.parametrize("seed", range(5))
def test_run_around_and_row_extent_match_a_pixel_walk(seed, radius):
    """The run holding a pixel and each row's first and last run pixel,
    against walking the painted mask pixel by pixel."""
    rng = np.random.default_rng(seed)
    for mask in _masks(seed):
        n, width = mask.shape
        starts, ends = dilated_runs(*find_runs(mask), width, radius)
        grown = painted(starts, ends, n, width)
        rows = rng.integers(0, n, 50)
        columns = rng.integers(-1, width + 1, 50)  # the pads on either side too
        flat = rows * (width + 1) + columns
        start, end = run_around(starts, ends, flat)
        for r, c, s, e in zip(rows, columns, start - rows * (width + 1),
                              end - rows * (width + 1), strict=True):  # fmt: skip
            if 0 <= c < width and grown[r, c]:
                left = c
                while left > 0 and grown[r, left - 1]:
                    left -= 1
                right = c
                while right < width and grown[r, right]:
                    right += 1
                assert (s, e) == (left, right)
            else:
                assert s == e == c
        first, after = row_extent(starts, ends, n, width)
        for r in range(n):
            lit = np.flatnonzero(grown[r])
            expected = (lit[0], lit[-1] + 1) if lit.size else (width, 0)
            assert (first[r], after[r]) == expected
