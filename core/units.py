"""
Units as lab files spell them: parse, classify, convert.

The one home for unit handling in PeLED Bench. Readers find a unit in a
column header (``J (mA cm-2)``), a preamble (``Area: 4 mm2``) or an
instrument header (``Integration Time (usec)``) and ask this module what it
measures and the factor to the internal unit:

==================  =========================================================
quantity            spellings understood (any case; µ, μ, u or "micro";
                    ², 2, ^2 or ｲ; ``/x``, ``x-1``, ``x^-1``, ``per x``)
==================  =========================================================
length              nm, µm, mm, cm, m, Å (``a`` for a wavelength), micron
area                µm², mm², cm², m²
time                ms, s, sec, min, h, hr, hours, d, days
current             nA, µA, mA, A, amp
current_density     any current over any area: mA/cm², A/m², µA cm-2
luminance           cd/m², kcd/m², nit(s), cd m-2
voltage             mV, V, kV
current_efficiency  cd/A;  power_efficiency: lm/W
dimensionless       % (0.01)
temperature         °C, degC, C, K (recognised only: the offset between
                    them is not a factor)
spectral_energy     W/nm, µW/cm²/nm, W m-2 nm-1 sr-1 (power per ...)
spectral_photon     photons/s/cm²/nm, photons/(s cm² nm), µmol/m²/s/nm,
                    µE/m²/s/nm (einstein = mol of photons), quanta
counts              counts, cts, counts/s, cps;  arbitrary: a.u., arb. units
==================  =========================================================

Internal units (:data:`INTERNAL_UNITS`): nm, cm², h, mA, mA/cm², cd/m², V,
cd/A, lm/W and %; :func:`factor_to_internal` gives the factor to them.
Factors are computed in exact fractions and rounded once, so ``s`` to ``h``
is exactly ``1 / 3600``.

Why not pint: PeLED Bench needs about forty spellings of nine quantities,
each converted by one factor, and above all the lab spellings pint does not
parse (``mA cm-2`` with a space, ``cd/m2`` glued exponents, ``Integration
Time (usec)``, ``a.u.``, ``µmol/m²/s/nm`` written ``umol m-2 s-1 nm-1``,
Latin-1 ``²``). Those would need the same normalisation code in front of
pint, which would then add a 3 MB dependency, a registry to configure and
Quantity objects that every reader and test would have to unwrap back into
plain floats. The table below is small enough to read in one screen and is
tested spelling by spelling (tests/core/test_units.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

__all__ = [
    "INTERNAL_UNITS",
    "Unit",
    "normalise_unit",
    "parse_unit",
    "quantity_of",
    "conversion_factor",
    "factor_to_internal",
    "convert",
    "spectral_kind",
    "photon_to_energy_spectrum",
]

#: Internal unit of each quantity the readers convert to.
INTERNAL_UNITS: dict[str, str] = {
    "length": "nm",
    "area": "cm2",
    "time": "h",
    "current": "mA",
    "current_density": "mA/cm2",
    "luminance": "cd/m2",
    "voltage": "V",
    "current_efficiency": "cd/A",
    "power_efficiency": "lm/W",
    "dimensionless": "%",
}

# Names the readers use for a quantity -> the quantity of this module.
_ALIASES = {"wavelength": "length", "eqe": "dimensionless"}

_PREFIXES = {
    "k": Fraction(10**3),
    "": Fraction(1),
    "c": Fraction(1, 10**2),
    "m": Fraction(1, 10**3),
    "u": Fraction(1, 10**6),
    "n": Fraction(1, 10**9),
    "p": Fraction(1, 10**12),
}
# Base symbol -> (dimension, prefixes it takes).
_BASES = {
    "m": ("length", "kcmun"),
    "s": ("time", "mun"),
    "sec": ("time", "mun"),
    "a": ("current", "kmunp"),
    "v": ("voltage", "kmu"),
    "w": ("power", "kmun"),
    "cd": ("luminous_intensity", "km"),
    "mol": ("amount", "mun"),
    "e": ("amount", "mu"),  # einstein: a mole of photons (µE m-2 s-1 nm-1)
    "lm": ("luminous_flux", ""),
}
_T, _L = "time", "length"
# Whole words -> (factor, dimensions).
_WORDS: dict[str, tuple[Fraction, dict[str, int]]] = {
    **dict.fromkeys(("secs", "second", "seconds"), (Fraction(1), {_T: 1})),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), (Fraction(60), {_T: 1})),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), (Fraction(3600), {_T: 1})),
    **dict.fromkeys(("d", "day", "days"), (Fraction(86400), {_T: 1})),
    **dict.fromkeys(("å", "angstrom", "angstroms"), (Fraction(1, 10**10), {_L: 1})),
    **dict.fromkeys(
        ("amp", "amps", "ampere", "amperes"), (Fraction(1), {"current": 1})
    ),
    **dict.fromkeys(("volt", "volts"), (Fraction(1), {"voltage": 1})),
    **dict.fromkeys(("nit", "nits"), (Fraction(1), {"luminous_intensity": 1, _L: -2})),
    **dict.fromkeys(
        ("photon", "photons", "ph", "quanta", "quantum"), (Fraction(1), {"photon": 1})
    ),
    **dict.fromkeys(("einstein", "einsteins"), (Fraction(1), {"amount": 1})),
    **dict.fromkeys(("count", "counts", "cts", "cnts"), (Fraction(1), {"counts": 1})),
    "cps": (Fraction(1), {"counts": 1, _T: -1}),
    "sr": (Fraction(1), {"solid_angle": 1}),
    "%": (Fraction(1, 100), {}),
    **dict.fromkeys(
        ("°c", "degc", "c", "celsius"), (Fraction(1), {"temperature_c": 1})
    ),
    **dict.fromkeys(("k", "kelvin"), (Fraction(1), {"temperature_k": 1})),
    **dict.fromkeys(
        ("a.u.", "a.u", "au", "arb", "arb.u.", "arb.units", "arbitraryunits"),
        (Fraction(1), {"arbitrary": 1}),
    ),
}

# Sorted dimensions -> quantity.
_QUANTITIES: dict[tuple[tuple[str, int], ...], str] = {
    ((_L, 1),): "length",
    ((_L, 2),): "area",
    ((_T, 1),): "time",
    (("current", 1),): "current",
    (("current", 1), (_L, -2)): "current_density",
    ((_L, -2), ("luminous_intensity", 1)): "luminance",
    (("voltage", 1),): "voltage",
    (("current", -1), ("luminous_intensity", 1)): "current_efficiency",
    (("luminous_flux", 1), ("power", -1)): "power_efficiency",
    (): "dimensionless",
    (("temperature_c", 1),): "temperature",
    (("temperature_k", 1),): "temperature",
    (("arbitrary", 1),): "arbitrary",
}

_TOKEN = re.compile(r"^([a-z%°åµ.]+?)(-?\d)?$")
# Characters a unit can hold (lower case): those of _TOKEN, the digits and
# separators, those _canonical_parts rewrites or drops, and those of the
# whole words. Any other character survives canonicalisation into a token
# that _TOKEN rejects, so a text holding one is no unit ("t = 10 s",
# "Spectrum_12", "10:00:00"): 3600 such headers took 40 ms to reject.
_UNIT_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz%°åµμ.0123456789-/()[]^·*×²ｲ³¹⁻−") | {
    c for word in _WORDS for c in word
}
_FOREIGN = re.compile(
    "[^" + "".join(re.escape(c) for c in sorted(_UNIT_CHARACTERS)) + r"\s]"
)


@dataclass(frozen=True)
class Unit:
    """
    A parsed unit.

    Attributes
    ----------
    text : str
        The unit as written.
    terms : tuple of (str, int)
        Symbols and their exponents, e.g. ``(("ma", 1), ("cm", -2))``.
    factor : fractions.Fraction
        Size of the unit in base units (m, s, A, V, W, cd, mol, photons...).
    dimensions : tuple of (str, int)
        Sorted base dimensions and exponents.
    """

    text: str
    terms: tuple[tuple[str, int], ...]
    factor: Fraction
    dimensions: tuple[tuple[str, int], ...]

    @property
    def quantity(self) -> str | None:
        """What the unit measures (a key of the table above), or None."""
        found = _QUANTITIES.get(self.dimensions)
        if found is not None:
            return found
        return _spectral_quantity(dict(self.dimensions))


def _spectral_quantity(dims: dict[str, int]) -> str | None:
    """Spectral quantities: power, photons or counts per length/area/time/sr."""
    for numerator, name in (
        ("power", "spectral_energy"),
        ("photon", "spectral_photon"),
        ("amount", "spectral_photon"),
        ("counts", "counts"),
    ):
        if dims.get(numerator) != 1:
            continue
        rest = {k: v for k, v in dims.items() if k != numerator}
        if not all(k in (_L, _T, "solid_angle") and v < 0 for k, v in rest.items()):
            continue
        # Power or photons per wavelength or area; counts may stand alone.
        if name == "counts" or _L in rest:
            return name
    return None


def normalise_unit(text: str) -> str:
    """
    A unit as lab files write it, in one spelling for display and comparison.

    Lower case, no spaces or brackets around it, ``²`` as ``2``, no ``^``,
    the Greek mu as the micro sign.

    Examples
    --------
    >>> normalise_unit(" (mA cm^-2) ")
    'macm-2'
    >>> normalise_unit("cd/m²")
    'cd/m2'
    """
    unit = (text or "").strip().strip("()[]").lower().replace(" ", "")
    return unit.replace("²", "2").replace("^", "").replace("μ", "µ")


def _symbol(token: str) -> tuple[Fraction, dict[str, int]] | None:
    if token in _WORDS:
        return _WORDS[token]
    for base, (dimension, prefixes) in _BASES.items():
        if token.endswith(base):
            prefix = token[: -len(base)]
            if prefix == "" or (len(prefix) == 1 and prefix in prefixes):
                return _PREFIXES[prefix], {dimension: 1}
    return None


def _terms(token: str, sign: int) -> list[tuple[str, int, Fraction, dict]] | None:
    """One token (``cm2``, ``s-1``, ``macm-2``) -> symbols with exponents."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    word, power = match.group(1), int(match.group(2) or 1)
    found = _symbol(word)
    if found is not None:
        return [(word, sign * power, *found)]
    # Glued symbols, "macm-2" = mA cm-2: the exponent belongs to the last one.
    for cut in range(1, len(word)):
        head, tail = _symbol(word[:cut]), _symbol(word[cut:])
        if head is not None and tail is not None:
            return [(word[:cut], sign, *head), (word[cut:], sign * power, *tail)]
    return None


def _canonical_parts(text: str) -> list[str]:
    unit = (text or "").strip().lower().replace("μ", "µ")
    # "ｲ" (U+FF72) is a "²" written in Latin-1 and read as Shift-JIS (LuQY
    # Pro exports: "photons/(s cmｲ nm)").
    pairs = (("²", "2"), ("ｲ", "2"), ("³", "3"), ("¹", "1"), ("⁻", "-"), ("−", "-"))
    for old, new in pairs:
        unit = unit.replace(old, new)
    unit = re.sub(r"\s+per\s+", "/", unit).replace("^", "")
    unit = re.sub(r"microns?", "um", unit).replace("micro", "u").replace("µ", "u")
    unit = re.sub(r"[·*×]", " ", unit)
    unit = re.sub(r"(?<=[a-z])\s+(?=-?\d\b)", "", unit)  # "cm 2" -> "cm2"
    unit = re.sub(r"([a-z]-?\d)(?=[a-z])", r"\1 ", unit)  # "cm2nm" -> "cm2 nm"
    unit = re.sub(r"\s*/\s*", "/", unit.strip().strip("[]"))
    if unit.startswith("(") and unit.endswith(")") and "/(" not in unit:
        unit = unit[1:-1]
    return unit.split("/")


@lru_cache(maxsize=512)
def parse_unit(text: str) -> Unit | None:
    """
    Parse a unit; None when it is not one this module knows.

    Examples
    --------
    >>> parse_unit("mA cm-2").quantity
    'current_density'
    >>> parse_unit("photons/(s cm² nm)").quantity
    'spectral_photon'
    >>> parse_unit("furlong") is None
    True
    """
    if _FOREIGN.search((text or "").lower()):
        return None
    parts = _canonical_parts(text)
    whole = "".join(parts[0].split())
    if len(parts) == 1 and whole in _WORDS:
        terms = [(whole, 1, *_WORDS[whole])]
    else:
        terms = []
        for index, part in enumerate(parts):
            tokens = part.strip("()").split()
            if not tokens or (index == 0 and tokens == ["1"]):
                if index == 0 and len(parts) > 1:
                    continue
                return None
            for token in tokens:
                found = _terms(token.strip("()"), -1 if index else 1)
                if found is None:
                    return None
                terms.extend(found)
    factor = Fraction(1)
    dims: dict[str, int] = {}
    for _, power, size, dimensions in terms:
        factor *= Fraction(size) ** power
        for name, exponent in dimensions.items():
            dims[name] = dims.get(name, 0) + exponent * power
    return Unit(
        text=text,
        terms=tuple((symbol, power) for symbol, power, _, _ in terms),
        factor=factor,
        dimensions=tuple(sorted((k, v) for k, v in dims.items() if v)),
    )


def quantity_of(unit: str) -> str | None:
    """
    What a unit measures, or None when unknown.

    Examples
    --------
    >>> quantity_of("kcd/m2"), quantity_of("µmol m-2 s-1 nm-1")
    ('luminance', 'spectral_photon')
    """
    parsed = parse_unit(unit)
    return parsed.quantity if parsed is not None else None


def _parse_as(unit: str, quantity: str | None) -> Unit | None:
    if quantity is not None:
        quantity = _ALIASES.get(quantity, quantity)
    if quantity == "length" and normalise_unit(unit) == "a":
        unit = "angstrom"  # "Wavelength (A)": Ångström, not ampere
    parsed = parse_unit(unit)
    if parsed is None or (quantity is not None and parsed.quantity != quantity):
        return None
    return parsed


def conversion_factor(
    from_unit: str, to_unit: str, quantity: str | None = None
) -> float | None:
    """
    Multiply by this to go from ``from_unit`` to ``to_unit``.

    None when a unit is unknown, the two measure different quantities, or
    they are not ``quantity`` (when given). Temperatures are not converted.

    Examples
    --------
    >>> conversion_factor("min", "s")
    60.0
    >>> conversion_factor("mA", "V") is None
    True
    """
    source = _parse_as(from_unit, quantity)
    target = _parse_as(to_unit, quantity)
    if source is None or target is None:
        return None
    if source.dimensions != target.dimensions or source.quantity == "temperature":
        return None
    return float(source.factor / target.factor)


def factor_to_internal(unit: str, quantity: str) -> float | None:
    """
    Factor from ``unit`` to the internal unit of ``quantity``.

    ``quantity`` is a key of :data:`INTERNAL_UNITS` or a reader's name for
    one (``"wavelength"``, ``"eqe"``). None when the unit is empty, unknown
    or of another quantity.

    Examples
    --------
    >>> factor_to_internal("s", "time") == 1 / 3600
    True
    >>> factor_to_internal("A/m2", "current_density")
    0.1
    >>> factor_to_internal("A", "wavelength")  # Ångström
    0.1
    """
    key = _ALIASES.get(quantity, quantity)
    if key not in INTERNAL_UNITS or not (unit or "").strip():
        return None
    return conversion_factor(unit, INTERNAL_UNITS[key], quantity)


def convert(values, from_unit: str, to_unit: str) -> np.ndarray:
    """
    Values in ``from_unit`` as values in ``to_unit``.

    Raises
    ------
    ValueError
        When the units are unknown or measure different quantities.
    """
    factor = conversion_factor(from_unit, to_unit)
    if factor is None:
        raise ValueError(f"cannot convert '{from_unit}' to '{to_unit}'")
    return np.asarray(values, dtype=float) * factor


def spectral_kind(unit: str) -> str | None:
    """
    ``"energy"``, ``"photon"``, ``"counts"`` or ``"arbitrary"`` for the unit
    of a spectrum; None when it is not one.

    Examples
    --------
    >>> spectral_kind("µW/cm²/nm"), spectral_kind("photons/s/cm2/nm")
    ('energy', 'photon')
    """
    quantity = quantity_of(unit)
    if quantity is None:
        return None
    return {
        "spectral_energy": "energy",
        "spectral_photon": "photon",
        "counts": "counts",
        "arbitrary": "arbitrary",
    }.get(quantity)


def photon_to_energy_spectrum(
    wavelength_nm, values, unit: str = "photons/s/nm"
) -> tuple[np.ndarray, str]:
    """
    A photon spectrum as a power (energy) spectrum: each value times h c / λ.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) wavelengths. [nm]
    values : array_like
        (..., W) photon spectrum in ``unit``.
    unit : str
        Photons or moles of photons per time and per any lengths/areas
        (``photons/s/cm2/nm``, ``µmol m-2 s-1 nm-1``); without a time the
        result is an energy (J) instead of a power (W).

    Returns
    -------
    values : numpy.ndarray
        (..., W) in W (or J) per the same lengths and areas as ``unit``.
    unit : str
        That unit, e.g. ``"W/cm2/nm"``.

    Raises
    ------
    ValueError
        When ``unit`` is not a photon spectrum.

    Examples
    --------
    >>> power, unit = photon_to_energy_spectrum([500.0], [1e18], "photons/s/nm")
    >>> round(float(power[0]), 4), unit
    (0.3973, 'W/nm')
    """
    parsed = parse_unit(unit)
    if parsed is None or parsed.quantity != "spectral_photon":
        raise ValueError(f"'{unit}' is not a photon spectrum unit")
    photons = Fraction(1)  # photons per second in one unit of the numerator
    per_time = False
    rest = []
    for symbol, power in parsed.terms:
        found = _symbol(symbol)
        if found is None:  # cannot happen: parse_unit kept only known symbols
            raise ValueError(f"'{unit}': unknown unit symbol '{symbol}'")
        size, dims = found
        if "amount" in dims:
            photons *= Fraction(size) ** power
        elif "time" in dims:
            photons *= Fraction(size) ** power
            per_time = True
        elif "photon" not in dims:
            rest.append(symbol if power == -1 else f"{symbol}{-power}")
    import scipy.constants  # here: its CODATA table costs ~0.1 s of import

    per_photon = float(photons)
    if "amount" in dict(parsed.dimensions):
        per_photon *= scipy.constants.Avogadro
    wavelength_m = np.asarray(wavelength_nm, dtype=float) * 1e-9
    energy_j = scipy.constants.h * scipy.constants.c / wavelength_m
    result = np.asarray(values, dtype=float) * energy_j * per_photon
    label = ("W" if per_time else "J") + "".join(f"/{r}" for r in rest)
    return result, label.replace("/u", "/µ")
