"""
The analysis in row blocks on threads gives the same numbers, row for row,
as one pass over the whole array (core/spectra/chunks.py): masks, bands and
every decision identical, floats to 1e-12 relative (BLAS may add up the
rows at a block's edge in another order: a 1e-16 difference).
"""

import threading

import numpy as np
import pandas as pd
import pytest

from core.spectra import analyse_spectra, chunks

WAVELENGTH = np.linspace(500.0, 800.0, 600)


def _series(n: int = 300, seed: int = 3) -> np.ndarray:
    """Synthetic: a drifting 640 nm line, a second band in every 7th
    spectrum, weak and dark spectra, SNR ~100."""
    rng = np.random.default_rng(seed)
    peak = np.linspace(636, 644, n)[:, None]
    line = 1000 * np.exp(-0.5 * ((WAVELENGTH - peak) / 14.0) ** 2)
    line[::7] += 300 * np.exp(-0.5 * ((WAVELENGTH - 560) / 8.0) ** 2)
    line[::13] *= 0.01
    line[5] = 0.0
    return line + rng.normal(0, 10, line.shape)


def _analysis(monkeypatch, threads: str, block_rows: int):
    monkeypatch.setenv("PELED_THREADS", threads)
    monkeypatch.setattr(chunks, "MIN_BLOCK_ROWS", block_rows)
    return analyse_spectra(WAVELENGTH, _series())


@pytest.mark.parametrize("threads", ["2", "3"])
def test_blocks_on_threads_equal_one_pass(monkeypatch, threads):
    whole = _analysis(monkeypatch, "1", 256)
    blocks = _analysis(monkeypatch, threads, 8)
    pd.testing.assert_frame_equal(blocks.frame, whole.frame, rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(blocks.bands.table, whole.bands.table,
                                  rtol=1e-12, atol=0)  # fmt: skip
    assert (whole.bands.table.kind == "resolved").sum() > 10  # bands were split
    for name in ("mask", "core", "sigma_smooth", "sigma_px"):
        np.testing.assert_array_equal(getattr(blocks.emission, name),
                                      getattr(whole.emission, name))  # fmt: skip
    np.testing.assert_array_equal(blocks.smoothed.smooth, whole.smoothed.smooth)
    assert blocks.frame.attrs["warnings"] == whole.frame.attrs["warnings"]


def test_blocks_run_on_several_threads_and_in_line_when_nested(monkeypatch):
    monkeypatch.setenv("PELED_THREADS", "2")
    monkeypatch.setattr(chunks, "MIN_BLOCK_ROWS", 1)
    seen, nested_seen = set(), set()

    def inner(start, stop):
        nested_seen.add(threading.current_thread().name)
        return stop - start

    def outer(start, stop):
        seen.add(threading.current_thread().name)
        # An analysis inside a block runs in the block's own thread.
        assert chunks.map_row_chunks(inner, 10) == [10]
        return (start, stop)

    assert chunks.map_row_chunks(outer, 10) == [(0, 5), (5, 10)]
    # The caller runs the first block, a worker of the pool the second; each
    # nested analysis stays in its block's thread.
    caller = threading.current_thread().name
    assert caller in seen and len(seen) == 2
    assert all(name == caller or name.startswith("peled-rows") for name in seen)
    assert nested_seen == seen


def test_a_busy_worker_holds_no_block_up(monkeypatch):
    """With one worker taken by a task run aside, the blocks still run at once:
    the caller takes one, the free worker the other."""
    monkeypatch.setenv("PELED_THREADS", "2")
    monkeypatch.setattr(chunks, "MIN_BLOCK_ROWS", 1)
    release = threading.Event()
    aside = chunks.run_aside(release.wait, 10)
    started = []
    both = threading.Barrier(2, timeout=5)

    def block(start, stop):
        started.append(start)
        both.wait()  # fails (BrokenBarrierError) unless both blocks run together
        return stop - start

    try:
        assert chunks.map_row_chunks(block, 10) == [5, 5]
    finally:
        release.set()
    assert aside.result() is True and sorted(started) == [0, 5]


def test_small_series_are_one_block(monkeypatch):
    monkeypatch.setenv("PELED_THREADS", "4")
    calls = []
    chunks.map_row_chunks(lambda a, b: calls.append((a, b)), chunks.MIN_BLOCK_ROWS)
    assert calls == [(0, chunks.MIN_BLOCK_ROWS)]


def test_thread_count_setting(monkeypatch):
    monkeypatch.setenv("PELED_THREADS", "3")
    assert chunks.thread_count() == 3
    monkeypatch.setenv("PELED_THREADS", "many")
    assert 1 <= chunks.thread_count() <= 4


@pytest.mark.parametrize("threads", ["1", "2"])
def test_run_aside_returns_the_result_or_raises_the_error(monkeypatch, threads):
    monkeypatch.setenv("PELED_THREADS", threads)
    names = []

    def work(x):
        names.append(threading.current_thread().name)
        if x < 0:
            raise ValueError("negative")
        return chunks.map_row_chunks(lambda a, b: b - a, x)  # in line inside

    assert chunks.run_aside(work, 5).result() == [5]
    with pytest.raises(ValueError, match="negative"):
        chunks.run_aside(work, -1).result()
    aside = threads == "2"
    assert all(name.startswith("peled-rows") == aside for name in names)


def test_stacking_blocks_that_wrote_into_one_array_copies_nothing():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Part:
        values: np.ndarray
        name: str

    whole = np.empty((10, 4))  # an array that owns its memory, as the analysis'
    whole[...] = np.arange(40.0).reshape(10, 4)
    parts = [Part(whole[0:4], "a"), Part(whole[4:7], "a"), Part(whole[7:10], "a")]
    assert chunks.stack_rows(parts).values is whole
    # Not all of it, out of order, or separate arrays: joined by a copy.
    for pieces in ([whole[0:4], whole[4:7]], [whole[4:7], whole[0:4], whole[7:10]],
                   [whole[0:4].copy(), whole[4:10].copy()]):  # fmt: skip
        joined = chunks.stack_rows([Part(p, "a") for p in pieces]).values
        assert joined is not whole
        np.testing.assert_array_equal(joined, np.concatenate(pieces))
