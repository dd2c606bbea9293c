"""Entry point for ``python -m core``."""

import sys

if __name__ == "__main__":
    from core.heap import keep_freed_memory

    keep_freed_memory()  # before any thread allocates (core/heap.py)

    from core.cli import main

    sys.exit(main())
