"""
Wording shared by the readers' messages and notes.

One place for the small phrases every reader writes ("3 spectra", "lines 4,
9 and 12 more", "3-5, 9") so that notes read the same whatever the reader.
"""

from __future__ import annotations

__all__ = ["MAX_LISTED", "plural", "listing", "format_line_numbers"]

#: Items a listing shows before "and N more".
MAX_LISTED = 8


def plural(count: int, word: str) -> str:
    """
    ``count`` and ``word``, in the plural when ``count`` is not 1.

    Examples
    --------
    >>> plural(1, "row"), plural(3, "spectrum")
    ('1 row', '3 spectra')
    """
    if count == 1:
        return f"{count} {word}"
    return f"{count} {'spectra' if word == 'spectrum' else word + 's'}"


def listing(values, limit: int = MAX_LISTED) -> str:
    """
    Items joined by commas, the ones after ``limit`` counted, not shown.

    Examples
    --------
    >>> listing(range(1, 12), 3)
    '1, 2, 3 and 8 more'
    """
    items = [str(v) for v in values]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return ", ".join(items)


def format_line_numbers(lines, limit: int = 12) -> str:
    """
    Compact, human-readable list of 1-based line numbers.

    Examples
    --------
    >>> format_line_numbers([3, 4, 5, 9])
    '3-5, 9'
    """
    numbers = sorted(int(n) for n in lines)
    if not numbers:
        return ""
    runs: list[tuple[int, int]] = []
    start = previous = numbers[0]
    for number in numbers[1:]:
        if number == previous + 1:
            previous = number
            continue
        runs.append((start, previous))
        start = previous = number
    runs.append((start, previous))
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return listing(parts, limit)
