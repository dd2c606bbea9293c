"""
The C heap of the process (glibc's malloc): keep freed memory for a short
command, hand it back for a long-lived server.

On the machines PeLED Bench is measured on (virtual machines), memory a
process touches for the first time costs ~1 ms per MB: the host backs it
page by page. By default glibc gives every freed block of ≥ 128 kB (up to
32 MB once it has seen one) back to the system, so the analysis of a
3600 × 1024 series, whose temporaries peak at ~120 MB, touches fresh memory
on every step even though the reader freed as much just before.
:func:`keep_freed_memory` makes the command line keep it (measured: the
``python -m core spectra`` run of a 30 MB series 1.22–1.39 s → 1.00–1.05 s;
docs/architecture.md, "Dependencies and why"). The Streamlit server does
the opposite when its last session ends: :func:`trim_heap` (``ui.memory``).

Both are no-ops where the C library is not glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["keep_freed_memory", "trim_heap"]

# mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
#: Blocks up to this size come from the heap (glibc's largest allowed value
#: on 64-bit systems: a 3600 × 1024 float64 array, 29.5 MB, fits). [bytes]
MMAP_THRESHOLD = 32 * 2**20
#: Free memory at the top of the heap kept up to this size. [bytes]
TRIM_THRESHOLD = 2**30


def _glibc():
    """glibc, or None ("libc.so.6" directly: ctypes.util.find_library runs a
    subprocess, ~20 ms)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - musl has no malloc_trim
    except (OSError, AttributeError):
        return None
    return libc


def keep_freed_memory() -> bool:
    """
    Keep freed memory in the process for reuse: blocks up to
    :data:`MMAP_THRESHOLD` from the heap, at most :data:`TRIM_THRESHOLD`
    trimmed, one arena for every thread (the analysis's row threads reuse
    what the reader freed). Call it before any thread starts. True when set.
    """
    libc = _glibc()
    if libc is None:
        return False
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return all(
        libc.mallopt(parameter, value) == 1
        for parameter, value in (
            (_M_ARENA_MAX, 1),
            (_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
            (_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        )
    )


def trim_heap() -> bool:
    """
    Hand the C heap's free memory back to the operating system
    (glibc's ``malloc_trim(0)``); True when it was called.
    """
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim(0)
    return True
