"""
Row blocks: the per-spectrum steps of an (N, W) analysis on a few threads.

Every step after the series-wide choices (the smoothing window from the
series' typical FWHM) treats each spectrum on its own, so the rows can be
cut into one block per thread; numpy and scipy.ndimage release the GIL
inside their loops, so the blocks use every core. The results are the same
row for row as one pass over the whole array (``tests/core/spectra/
test_spectra_chunks.py``). Blocks smaller than one per thread were measured
slower (3600 × 1024: 250 ms in 256-row blocks against 190 ms whole, one
thread): every block pays its own allocations and its own band table.

``PELED_THREADS`` sets the number of threads (default: the processor count,
at most 4); ``PELED_THREADS=1`` runs the analysis in one block. While blocks
run on threads, BLAS (OpenBLAS under numpy) is held to one thread
(threadpoolctl): its products here are skinny, (rows × W) by (W × 6), and
its own threads would compete with the row threads for the same cores.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from typing import Any, TypeVar

import numpy as np

__all__ = ["MIN_BLOCK_ROWS", "thread_count", "map_row_chunks", "stack_rows"]

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


def _marked(func: Callable[[int, int], T]) -> Callable[[tuple[int, int]], T]:
    def run(bounds: tuple[int, int]) -> T:
        _inside.active = True
        try:
            return func(*bounds)
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
    if len(bounds) == 1:
        return [func(start, stop) for start, stop in bounds]
    with _one_blas_thread():
        return list(_executor(threads).map(_marked(func), bounds))


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
        joined[field.name] = np.concatenate([getattr(p, field.name) for p in parts])
    return replace(first, **joined)
