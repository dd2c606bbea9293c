"""
Recognise the quantity and unit of a column from its header.

Lab exports name columns in many ways (``Voltage(V)``, ``V (V)``, ``J(mA/cm2)``,
``Luminascence (cd/m2)`` [sic], ``Time (s)``, ``time_h``). This module maps a
header to a quantity and the factor that converts it to the internal unit
(nm, V, mA/cm², cd/m², h, A for currents, % for efficiencies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ColumnSpec", "identify_column", "INTERNAL_UNITS"]

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

# Conversion factors to the internal unit, keyed by a normalised unit string.
_UNIT_FACTORS = {
    "time": {
        "s": 1 / 3600,
        "sec": 1 / 3600,
        "min": 1 / 60,
        "h": 1.0,
        "hr": 1.0,
        "hrs": 1.0,
        "hour": 1.0,
        "hours": 1.0,
        "ms": 1 / 3.6e6,
    },
    "voltage": {"v": 1.0, "mv": 1e-3},
    "current": {"a": 1e3, "ma": 1.0, "ua": 1e-3, "µa": 1e-3, "na": 1e-6},
    "current_density": {
        "ma/cm2": 1.0,
        "a/cm2": 1e3,
        "a/m2": 0.1,
        "ma/m2": 1e-4,
        "ua/cm2": 1e-3,
        "µa/cm2": 1e-3,
        # negative-exponent spellings: "J (mA cm-2)"
        "macm-2": 1.0,
        "acm-2": 1e3,
        "am-2": 0.1,
        "uacm-2": 1e-3,
        "µacm-2": 1e-3,
    },
    "luminance": {"cd/m2": 1.0, "nit": 1.0, "nits": 1.0, "kcd/m2": 1e3, "cdm-2": 1.0},
    "wavelength": {"nm": 1.0, "um": 1e3, "µm": 1e3, "a": 0.1, "å": 0.1},
    "eqe": {"%": 1.0, "": 1.0},
    "current_efficiency": {"cd/a": 1.0},
    "power_efficiency": {"lm/w": 1.0},
}

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


def _unit_of(label: str) -> str:
    match = re.search(r"[\(\[]([^\)\]]*)[\)\]]", label)
    if match:
        unit = match.group(1)
    else:
        match = re.search(r"_([A-Za-z/%µ0-9]+)$", label.strip())
        unit = match.group(1) if match else ""
    unit = unit.strip().lower().replace(" ", "").replace("²", "2").replace("^", "")
    unit = unit.replace("μ", "µ").replace("?", "")
    return unit


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
    quantity = None
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            quantity = name
            break
    if quantity is None:
        # The unit alone can tell: "cd/m2", "mA/cm2", "V", "s".
        for name, factors in _UNIT_FACTORS.items():
            if unit and unit in factors and name not in ("eqe", "wavelength"):
                quantity = name
                break
    if quantity is None:
        return ColumnSpec(None, unit, None)
    factors = _UNIT_FACTORS.get(quantity)
    if factors is None:
        return ColumnSpec(quantity, unit, 1.0)
    if unit in factors:
        return ColumnSpec(quantity, unit, factors[unit])
    if unit == "" and quantity in (
        "voltage",
        "luminance",
        "wavelength",
        "eqe",
        "current_efficiency",
        "power_efficiency",
    ):
        return ColumnSpec(quantity, unit, 1.0)
    return ColumnSpec(quantity, unit, None)
