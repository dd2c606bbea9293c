"""The one exception a user of PeLED Bench ever sees."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """
    Something is wrong with what a user gave us (a file, a column, a setting).

    The message is a sentence a lab user understands: which file, which line or
    column, what was expected, what was found and, where it helps, what to do.
    Pages show it with ``st.error``; the CLI prints it to stderr and exits 2.

    Parameters
    ----------
    message : str
        The full sentence shown to the user.
    source : str, optional
        File name (or other origin) the problem was found in.
    line : int, optional
        1-based line number in that file, when known.
    column : str, optional
        Column name or 1-based column number, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: str | int | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.column = column
