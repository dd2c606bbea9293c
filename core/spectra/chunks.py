"""
Row blocks: the per-spectrum steps of an (N, W) analysis on a few threads.

Every step after the series-wide choices (the smoothing window from the
series' typical FWHM) treats each spectrum on its own, so the rows can be
cut into one block per thread; numpy and BLAS release the GIL
inside their loops, so the blocks use every core. The results are the same
row for row as one pass over the whole array (``tests/core/spectra/
test_spectra_chunks.py``). Blocks smaller than one per thread were measured
slower (3600 × 1024: 250 ms in 256-row blocks against 190 ms whole, one
thread): every block pays its own allocations and its own band table.

``PELED_THREADS`` sets the number of threads (default: the processor count,
at most 4); ``PELED_THREADS=1`` runs the analysis in one block. While a
series of at least :data:`MIN_BLOCK_ROWS` spectra is analysed, BLAS
(OpenBLAS under numpy) is held to one thread (threadpoolctl): its products
here are small, (128 × W) by (W × 6), its threads cost more than they give
(255 ms against 166 ms on 3600 × 1024 with another busy process on the
machine) and would compete with the row threads for the same cores.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import fields, replace
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "MIN_BLOCK_ROWS",
    "PRODUCT_ROWS",
    "thread_count",
    "map_row_chunks",
    "run_aside",
    "stack_rows",
    "masked_products",
]

#: Fewer spectra than this are analysed in one block (threads cost more
#: than they give on small series).
MIN_BLOCK_ROWS = 256

T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
_blas: Any = None  # threadpoolctl.ThreadpoolController, made on first use
_pool_lock = threading.Lock()
_inside = threading.local()


def thread_count() -> int:
    """Threads for row blocks: ``PELED_THREADS`` or the processors (≤ 4)."""
    setting = os.environ.get("PELED_THREADS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return max(1, min(os.cpu_count() or 1, 4))


def _executor(threads: int) -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers != threads:
            _pool = ThreadPoolExecutor(threads, thread_name_prefix="peled-rows")
        return _pool


def _in_block(func: Callable[..., T]) -> Callable[..., T]:
    """``func`` marked as running on the pool (its own blocks run in line)."""

    def run(*args: Any) -> T:
        _inside.active = True
        try:
            return func(*args)
        finally:
            _inside.active = False

    return run


def map_row_chunks(func: Callable[[int, int], T], n_rows: int) -> list[T]:
    """
    ``func(start, stop)`` for consecutive blocks of rows, in order: one block
    per thread (blocks of at least :data:`MIN_BLOCK_ROWS`).

    The blocks run on the shared thread pool; a call made from inside a
    block (an analysis within an analysis) runs in line, so the pool never
    waits on itself.
    """
    threads = thread_count()
    if getattr(_inside, "active", False):
        threads = 1
    size = max(MIN_BLOCK_ROWS, -(-n_rows // threads))
    bounds = [
        (start, min(start + size, n_rows)) for start in range(0, max(n_rows, 1), size)
    ]
    if n_rows < MIN_BLOCK_ROWS:
        return [func(start, stop) for start, stop in bounds]
    with _one_blas_thread():
        if len(bounds) == 1:
            return [func(start, stop) for start, stop in bounds]
        # The caller runs the first block itself: the pool's workers take the
        # others, so a worker busy with a task run aside (the shoulder search
        # beside the stability pass) holds nobody up (measured: the
        # outside-window sums waited ~8 ms for it).
        block = _in_block(func)
        pool = _executor(threads)
        others = [pool.submit(block, start, stop) for start, stop in bounds[1:]]
        try:
            first = block(*bounds[0])
        finally:
            wait(others)
        return [first, *(future.result() for future in others)]


def run_aside(func: Callable[..., T], *args: Any) -> Future[T]:
    """
    ``func(*args)`` on the thread pool while the caller goes on (its own
    row blocks run in line); in line at once with one thread or inside a
    block.
    """
    threads = thread_count()
    if threads == 1 or getattr(_inside, "active", False):
        done: Future[T] = Future()
        try:
            done.set_result(func(*args))
        except BaseException as error:  # re-raised by .result(), as a thread's
            done.set_exception(error)
        return done
    return _executor(threads).submit(_in_block(func), *args)


def _one_blas_thread():
    global _blas
    with _pool_lock:
        if _blas is None:
            from threadpoolctl import ThreadpoolController  # ~15 ms, only here

            _blas = ThreadpoolController()
        return _blas.limit(limits=1, user_api="blas")


def stack_rows(parts: Sequence[Any], shared: Sequence[str] = ()) -> Any:
    """
    One dataclass from blocks of rows: array fields joined along the rows,
    the fields named in ``shared`` and every non-array field from the first
    block (they are the same in every block).
    """
    first = parts[0]
    if len(parts) == 1:
        return first
    joined = {}
    for field in fields(first):
        value = getattr(first, field.name)
        if field.name in shared or not isinstance(value, np.ndarray):
            continue
        arrays = [getattr(p, field.name) for p in parts]
        whole = _whole_of(arrays)
        joined[field.name] = np.concatenate(arrays) if whole is None else whole
    return replace(first, **joined)


def _whole_of(arrays: Sequence[np.ndarray]) -> np.ndarray | None:
    """The array whose consecutive rows ``arrays`` are, all of them (blocks
    that wrote into one array's rows), or None."""
    whole = arrays[0].base
    if not (isinstance(whole, np.ndarray) and whole.flags.c_contiguous):
        return None
    address = whole.__array_interface__["data"][0]
    for part in arrays:
        if (
            part.base is not whole
            or part.dtype != whole.dtype
            or part.shape[1:] != whole.shape[1:]
            or not part.flags.c_contiguous
            or part.__array_interface__["data"][0] != address
        ):
            return None
        address += part.nbytes
    if address != whole.__array_interface__["data"][0] + whole.nbytes:
        return None
    return whole


#: Rows per block of :func:`masked_products`: 128 × W float64 stays in the
#: cache (3600 × 1024: 8 ms against 25 ms for the whole array at once).
PRODUCT_ROWS = 128


def masked_products(values, mask, right, *, square: bool = False) -> np.ndarray:
    """
    Σ over each row's pixels in ``mask`` of ``values`` × each column of
    ``right``, summed in float64, :data:`PRODUCT_ROWS` rows at a time, on
    the row threads.

    Parameters
    ----------
    values : numpy.ndarray or None
        (N, W); None: Σ of ``right`` over the mask.
    mask : numpy.ndarray or None
        (N, W) bool; None: every pixel.
    right : numpy.ndarray
        (W, K) float64.
    square : bool
        Use ``values``² (in float32).

    Returns
    -------
    numpy.ndarray
        (N, K) float64. A float32 sum would differ in its 7th digit between
        BLAS builds (the stored results compare to 1e-9).
    """
    n = (mask if values is None else values).shape[0]
    out = np.empty((n, right.shape[1]))

    def products(first: int, stop: int) -> None:
        for start in range(first, stop, PRODUCT_ROWS):
            rows = slice(start, min(start + PRODUCT_ROWS, stop))
            if values is None:
                left = mask[rows].astype(float)
            else:
                block = values[rows]
                if square:
                    block = np.square(block, dtype=np.float32)
                if mask is not None:
                    block = block * mask[rows].astype(np.float32)
                left = block.astype(float)
            out[rows] = left @ right

    map_row_chunks(products, n)
    return out
