"""
Recognise the quantity and unit of a column from its header.

Lab exports name columns in many ways (``Voltage(V)``, ``V (V)``, ``J(mA/cm2)``,
``Luminascence (cd/m2)`` [sic], ``Time (s)``, ``time_h``). This module maps a
header to a quantity and the factor that converts it to the internal unit
(nm, V, mA/cm², cd/m², h, mA for currents, % for EQE); the units themselves
are parsed by :mod:`core.units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core import units

__all__ = [
    "ColumnSpec",
    "identify_column",
    "header_unit",
    "wavelength_factor",
    "INTERNAL_UNITS",
]

INTERNAL_UNITS = {
    "wavelength": "nm",
    "voltage": "V",
    "current": "mA",
    "current_density": "mA/cm²",
    "luminance": "cd/m²",
    "relative_luminance": "",
    "photodiode": "",
    "eqe": "%",
    "current_efficiency": "cd/A",
    "power_efficiency": "lm/W",
    "time": "h",
    "intensity": "",
}

# Quantities a unit alone may name when the header's words do not ("(cd/m2)").
_UNIT_ONLY = (
    "time",
    "voltage",
    "current",
    "current_density",
    "luminance",
    "current_efficiency",
    "power_efficiency",
)
# Quantities whose values are used as written, whatever the unit says.
_AS_WRITTEN = ("relative_luminance", "photodiode", "intensity")
# Quantities read as written when the header gives no unit.
_UNITLESS_OK = (
    "voltage",
    "luminance",
    "wavelength",
    "eqe",
    "current_efficiency",
    "power_efficiency",
)

# Order matters: the first quantity whose pattern matches wins.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("eqe", re.compile(r"\beqe\b|external quantum", re.I)),
    ("power_efficiency", re.compile(r"\bpe\b|power eff|lm/w|\bpe_", re.I)),
    ("current_efficiency", re.compile(r"\bce\b|current eff|cd/a|\bce_", re.I)),
    (
        "relative_luminance",
        re.compile(
            r"l\s*/\s*l0|l/l_?0|normali[sz]ed|relative|"
            r"\brel\b",
            re.I,
        ),
    ),
    ("photodiode", re.compile(r"i_?pd|photodiode|v\s*det|\bpd\b|detector", re.I)),
    ("luminance", re.compile(r"lum|brightness|cd/m|^l\b|^l\s*[\(\[_]|nits?\b", re.I)),
    ("wavelength", re.compile(r"wave|lambda|λ|^wl\b|^nm$", re.I)),
    ("current_density", re.compile(r"current dens|^j\b|^j\s*[\(\[_]|/cm|a/m", re.I)),
    ("current", re.compile(r"current|^i\b|^i\s*[\(\[_]", re.I)),
    ("voltage", re.compile(r"volt|bias|^v\b|^v\s*[\(\[_]|^u\s*[\(\[]", re.I)),
    ("time", re.compile(r"time|^t\b|^t\s*[\(\[_]|elapsed|duration", re.I)),
]


# The patterns hold no digit but 0 ("L/L0"): the quantity they name is the
# same for every header that differs only in its digits 1-9 ("t = 10 s",
# "t = 20 s"...), so a wide table's 3600 headers take a handful of searches.
_NONZERO_DIGIT = re.compile(r"[1-9]")


@lru_cache(maxsize=1024)
def _named_quantity(text: str) -> str | None:
    """The first quantity of :data:`_PATTERNS` whose pattern ``text`` matches."""
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    return None


@dataclass(frozen=True)
class ColumnSpec:
    """
    What a column holds.

    Attributes
    ----------
    quantity : str or None
        A key of :data:`INTERNAL_UNITS`, or None when not recognised.
    unit : str
        The unit found in the header (normalised, lower case), "" if none.
    factor : float or None
        Multiply by this to get the internal unit; None when the unit is
        unknown for the quantity (the caller asks the user).
    """

    quantity: str | None
    unit: str
    factor: float | None


def header_unit(label: str, *, suffix: bool = True) -> str:
    """
    The unit a header gives, as written: in brackets (``J (mA/cm2)``,
    ``Wavelength[nm]``) or, with ``suffix``, after a last underscore
    (``time_h``); "" when none.
    """
    match = re.search(r"[\(\[]([^\)\]]*)[\)\]]", label)
    if match:
        return match.group(1).strip()
    if suffix:
        match = re.search(r"_([A-Za-z/%µ0-9]+)$", label.strip())
        if match:
            return match.group(1)
    return ""


def _unit_of(label: str) -> str:
    # "?" stands for a character the export lost ("Irradiance[?Watt/cm?]").
    return units.normalise_unit(header_unit(label)).replace("?", "")


def identify_column(label: str) -> ColumnSpec:
    """
    Quantity, unit and conversion factor for a column header.

    Examples
    --------
    >>> identify_column("Time (s)").factor == 1 / 3600
    True
    >>> identify_column("Luminascence (cd/m2)").quantity
    'luminance'
    >>> identify_column("J_source(mA/cm2)").quantity
    'current_density'
    """
    text = (label or "").strip()
    if not text:
        return ColumnSpec(None, "", None)
    unit = _unit_of(text)
    quantity = _named_quantity(_NONZERO_DIGIT.sub("1", text))
    if quantity is None and unit:
        # The unit alone can tell: "cd/m2", "mA/cm2", "V", "s".
        found = units.quantity_of(unit)
        quantity = found if found in _UNIT_ONLY else None
    if quantity is None:
        return ColumnSpec(None, unit, None)
    if quantity in _AS_WRITTEN:
        return ColumnSpec(quantity, unit, 1.0)
    factor = units.factor_to_internal(unit, quantity)
    if factor is None and unit == "" and quantity in _UNITLESS_OK:
        factor = 1.0
    return ColumnSpec(quantity, unit, factor)


def wavelength_factor(header: str) -> tuple[float, str | None]:
    """Factor of a wavelength column to nm (1.0 when in nm or unknown), note."""
    spec = identify_column(header)
    if spec.quantity == "wavelength" and spec.factor not in (None, 1.0):
        return float(spec.factor), (
            f"wavelengths converted from {spec.unit} to nm (header '{header}')."
        )
    return 1.0, None
