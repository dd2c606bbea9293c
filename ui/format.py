"""
Numbers as the pages show them: one formatter per kind of value.

A value that is missing or not finite (None, NaN, ±inf) is shown as
:data:`MISSING` ("—") everywhere, never as "nan".
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = [
    "MISSING",
    "is_finite",
    "number_text",
    "signed_nm",
    "value_text",
    "hours_text",
    "significant",
    "device_contents",
]

MISSING = "—"


def is_finite(value) -> bool:
    """True for a real number that is neither NaN nor ±inf (bools excluded)."""
    return (
        isinstance(value, Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def number_text(value, spec: str = ".4g", unit: str = "") -> str:
    """
    ``format(value, spec)`` followed by the unit, or "—".

    Examples
    --------
    >>> number_text(638.04, ".1f", "nm"), number_text(float("nan"), ".1f", "nm")
    ('638.0 nm', '—')
    >>> number_text(12345.6, ",.0f", "cd/m²"), number_text(None)
    ('12,346 cd/m²', '—')
    """
    if not is_finite(value):
        return MISSING
    return f"{format(value, spec)} {unit}".strip()


def signed_nm(value) -> str:
    """
    A shift short enough for a metric card.

    Examples
    --------
    >>> signed_nm(0.2213), signed_nm(4.567), signed_nm(77.81), signed_nm(-0.004)
    ('+0.22 nm', '+4.57 nm', '+77.8 nm', '-0.00 nm')
    """
    if not is_finite(value):
        return MISSING
    return number_text(value, "+.2f" if abs(value) < 10 else "+.1f", "nm")


def value_text(value, unit: str, digits: int = 2) -> str:
    """
    A card value: fixed decimals, thousands separated from 1000 on.

    Examples
    --------
    >>> value_text(21.456, "%"), value_text(45210.3, "cd/m²"), value_text(2.5, "", 1)
    ('21.46 %', '45,210 cd/m²', '2.5')
    """
    if not is_finite(value):
        return MISSING
    return number_text(value, ",.0f" if abs(value) >= 1000 else f".{digits}f", unit)


def hours_text(value) -> str:
    """
    A lifetime: minutes below one hour, hours (4 significant digits) above.

    Examples
    --------
    >>> hours_text(0.7167), hours_text(8.1667), hours_text(12345.0)
    ('43 min', '8.167 h', '1.234e+04 h')
    """
    if not is_finite(value):
        return MISSING
    if value < 1:
        return number_text(value * 60, ".3g", "min")
    return number_text(value, ",.4g", "h")


def significant(value, digits: int = 4) -> str:
    """
    Floats to ``digits`` significant digits, other values as they are.

    Examples
    --------
    >>> significant(3.14159), significant(float("inf")), significant("E")
    ('3.142', '—', 'E')
    """
    if isinstance(value, float):
        return number_text(value, f".{digits}g")
    return str(value)


def device_contents(device) -> str:
    """
    What a session device holds, e.g. "61 spectra over time, 1 J-V-L sweep(s)".

    Parameters
    ----------
    device : core.models.Device
    """
    parts = []
    if device.spectra_time is not None:
        parts.append(f"{device.spectra_time.n_spectra} spectra over time")
    if device.spectra_bias is not None:
        parts.append(f"{device.spectra_bias.n_spectra} spectra over bias")
    if device.jvl:
        parts.append(f"{len(device.jvl)} J-V-L sweep(s)")
    if device.lifetime:
        parts.append(f"{len(device.lifetime)} lifetime log(s)")
    return ", ".join(parts) or "no data"
