"""Show text that came from a user's file as text, never as Markdown."""

from __future__ import annotations

import re

__all__ = ["plain"]

# The characters that start Markdown formatting (emphasis, code, links,
# images, HTML, strikethrough, tables, headings) and Streamlit's extensions
# (:red[...] needs "[", $math$ needs "$"). Escaping just these leaves ordinary
# sentences (quotes, parentheses, colons) exactly as they are.
_MARKUP = re.compile(r"([\\`*_\[\]<>~$|#])")

# GitHub-flavoured Markdown turns bare URLs and e-mail addresses into links
# after escapes are resolved, so no backslash stops it; a code span does.
_AUTOLINK = re.compile(
    r"((?:https?|ftp)://[^\s'\"]+|www\.[^\s'\"]+|[\w.+-]+@[\w-]+\.[\w.-]+)",
    re.IGNORECASE,
)


def _code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def plain(text) -> str:
    """
    ``text`` made safe for ``st.error``/``st.caption``/...: shown as written.

    File names, cells and headers end up in reader messages; a file named
    ``**x**.csv`` or a cell ``[click](http://...)`` must not become bold text or
    a link in front of the user. Markup characters are backslash-escaped and
    URL- or address-like fragments are shown as code (unlinked).

    Examples
    --------
    >>> print(plain("**x**.csv: found '[fix](https://e.org/a)'"))
    \\*\\*x\\*\\*.csv: found '\\[fix\\](`https://e.org/a)`'
    """
    parts = _AUTOLINK.split(str(text))
    return "".join(
        _code_span(part) if index % 2 else _MARKUP.sub(r"\\\1", part)
        for index, part in enumerate(parts)
    )
