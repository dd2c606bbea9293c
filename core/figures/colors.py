"""
Colours: one per device for the whole session, shades for the tests of a
device, and categorical colours that never reuse a device's.

Devices take Okabe & Ito's colour-blind-safe set first (the one Nature's
figure guide points to: B. Wong, "Points of view: Color blindness," Nat.
Methods 8, 441 (2011), doi:10.1038/nmeth.1618), then Paul Tol's "muted" set
(P. Tol, "Colour schemes", SRON/EPS/TN/09-002, 2021) beyond eight devices.
:func:`assign_colors` keeps the colours already given and gives a new name the
first colour nobody has, so a device keeps its colour on every page, in every
tab and in the report whatever else is shown beside it.

Pure functions of plain data (no Altair): the session keeps the mapping, the
charts receive it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "PALETTE",
    "EXTRA_PALETTE",
    "DEVICE_PALETTE",
    "CATEGORY_PALETTE",
    "assign_colors",
    "device_colors",
    "distinct_colors",
    "shades",
    "is_color",
]

#: Okabe & Ito (2008), "Color Universal Design", colour-blind safe.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)
#: Paul Tol's "muted" scheme: devices nine and on.
EXTRA_PALETTE = (
    "#332288",  # indigo
    "#117733",  # green
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
    "#CC6677",  # rose
    "#88CCEE",  # cyan
    "#DDCC77",  # sand
)
#: Every device colour, in the order they are given out.
DEVICE_PALETTE = PALETTE + EXTRA_PALETTE
#: Categories that are not devices (emitter classes of the literature...):
#: none of Okabe & Ito's eight, so they never look like the first devices.
CATEGORY_PALETTE = (
    "#332288",  # indigo
    "#44AA99",  # teal
    "#999933",  # olive
    "#CC6677",  # rose
    "#882255",  # wine
    "#888888",  # grey
    "#117733",  # green
    "#AA4499",  # purple
    "#88CCEE",  # cyan
    "#DDCC77",  # sand
)


def is_color(text: object) -> bool:
    """True for a ``#RRGGBB`` hex colour."""
    if not isinstance(text, str) or len(text) != 7 or text[0] != "#":
        return False
    try:
        int(text[1:], 16)
    except ValueError:
        return False
    return True


def assign_colors(
    names: Iterable[str], existing: Mapping[str, str] | None = None
) -> dict[str, str]:
    """
    Colours of ``names``, keeping those already given in ``existing``.

    A name not in ``existing`` gets the first colour of
    :data:`DEVICE_PALETTE` that no name has yet (neither in ``existing`` nor
    given earlier in this call); when all are taken, the first one not used
    by the other ``names`` (so the names of one chart never share a colour
    while there are colours left).

    Parameters
    ----------
    names : iterable of str
        The names to colour, in order.
    existing : mapping of str to str, optional
        Colours already given (the session's), kept as they are.

    Returns
    -------
    dict of str to str
        ``existing`` extended with every new name of ``names``.

    Examples
    --------
    >>> assign_colors(["b"], {"a": "#0072B2"})
    {'a': '#0072B2', 'b': '#D55E00'}
    """
    book = dict(existing or {})
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        if name in book:
            continue
        taken = set(book.values())
        free = [c for c in DEVICE_PALETTE if c not in taken]
        if not free:
            here = {book[n] for n in wanted if n in book}
            free = [c for c in DEVICE_PALETTE if c not in here] or list(DEVICE_PALETTE)
        book[name] = free[0]
    return book


def device_colors(names) -> dict[str, str]:
    """
    Colour of each device, by its position in the device list.

    Pass the full, ordered list of devices (not the subset a chart shows) so
    that a device keeps its colour on every chart; the app keeps one mapping
    per session (:func:`assign_colors`).

    Examples
    --------
    >>> device_colors(["control", "treated", "control"])
    {'control': '#0072B2', 'treated': '#D55E00'}
    """
    return assign_colors(names)


def distinct_colors(
    names: Iterable[str],
    palette: Iterable[str] = CATEGORY_PALETTE,
    avoid: Iterable[str] = (),
) -> dict[str, str]:
    """
    One colour per name from ``palette``, none of them in ``avoid``.

    Names beyond the palette's length start it again (so keep categories
    fewer than its colours).
    """
    banned = {c.upper() for c in avoid}
    usable = [c for c in palette if c.upper() not in banned] or list(palette)
    unique = list(dict.fromkeys(names))
    return {name: usable[i % len(usable)] for i, name in enumerate(unique)}


def _mix(color: str, target: float, amount: float) -> str:
    """``color`` moved ``amount`` (0..1) of the way to grey level ``target``."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 * target - c) * amount) for c in rgb]
    return "#" + "".join(f"{max(0, min(255, c)):02X}" for c in mixed)


def shades(color: str, n: int, spread: float = 0.55) -> list[str]:
    """
    ``n`` shades of one colour for the tests of one device: the colour itself
    first, then darker ones (towards black by up to ``spread``); light
    colours (yellow, sky blue) darken, dark ones (black, indigo) lighten.

    Examples
    --------
    >>> shades("#0072B2", 1)
    ['#0072B2']
    >>> len(set(shades("#D55E00", 4)))
    4
    """
    if n <= 1:
        return [color.upper()] * n
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
    target = 1.0 if luminance < 0.15 else 0.0
    return [color.upper()] + [
        _mix(color, target, spread * i / (n - 1)) for i in range(1, n)
    ]
