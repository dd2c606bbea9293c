"""
The run-based morphology of the emission mask against scipy.ndimage's
binary morphology (an independent implementation of the same definitions).
"""

import numpy as np
import pytest
from scipy import ndimage

from core.spectra.runs import dilated_runs, find_runs, long_runs, painted


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
