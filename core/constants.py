"""
Defaults shared by the science, the pages and the command line.

Plain numbers and names, importable without numpy, pandas or scipy: the
command-line parsers show them in ``--help`` without paying for the packages
that compute with them (importing :mod:`core.lifetime` loads pandas and
scipy). The packages that use them import them from here.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_ACCELERATION_N",
    "ACCELERATION_BAND_N",
    "DEFAULT_REFERENCE_LUMINANCE_CD_M2",
    "DECAY_METHODS",
    "LIFETIME_TIME_UNITS",
]

#: Exponent n of the acceleration law L0^n · T = const (docs/methods.md §4).
DEFAULT_ACCELERATION_N = 1.8
#: The exponents that bound the usual range (docs/methods.md §4); shown as a band.
ACCELERATION_BAND_N = (1.5, 2.0)
#: Luminance that lifetimes are converted to for comparison. [cd/m²]
DEFAULT_REFERENCE_LUMINANCE_CD_M2 = 100.0
#: Names of the decay models accepted by ``method=`` (the keys of
#: :data:`core.lifetime.models.DECAY_MODELS`, in its order; a test checks).
DECAY_METHODS = ("stretched-exponential", "biexponential", "exponential")
#: Time units a user may give a lifetime log (the keys of
#: :data:`core.io.lifetime_log.TIME_UNITS`, in its order; a test checks).
LIFETIME_TIME_UNITS = ("s", "min", "h")
