"""
Containers written back as plain text tables that the readers of
:mod:`core.photophysics.io` read again value for value.

Floats are written with Python's shortest round-trip representation and whole
counts as integers, so ``read(write(x))`` gives the same float64 arrays: the
synthetic demo samples can be handled as files (uploaded, attached to a device,
stored in the library) and still give the numbers of the containers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.models import SpectralSeries
from core.photophysics.models import AbsorbanceSpectrum, DecayCurve

__all__ = [
    "decay_file_bytes",
    "series_file_bytes",
    "absorbance_file_bytes",
    "spectrum_file_bytes",
]


def _number(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _header(text: str) -> str:
    """A column header without the delimiter or line breaks."""
    return " ".join(str(text).replace(",", " ").split()) or "counts"


def _table(header: Sequence[str], columns: Sequence[np.ndarray]) -> bytes:
    rows = zip(*(np.asarray(c, dtype=float) for c in columns), strict=True)
    lines = [",".join(header)]
    lines += [",".join(_number(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def decay_file_bytes(curves: Sequence[DecayCurve]) -> bytes:
    """
    Decays on one time grid as a plain table: ``Time (ns)`` and one column of
    counts per curve, headed by its label (an IRF keeps "IRF" in its label, so
    :func:`core.photophysics.io.split_irf` finds it again).

    Raises
    ------
    ValueError
        Without curves, or for curves on different time grids.
    """
    if not curves:
        raise ValueError("decay_file_bytes needs at least one curve")
    time = curves[0].time_ns
    if any(not np.array_equal(c.time_ns, time) for c in curves):
        raise ValueError("every curve must share the first curve's time grid")
    labels = [_header(c.label or f"curve {k + 1}") for k, c in enumerate(curves)]
    header = ["Time (ns)", *labels]
    return _table(header, [time, *(c.counts for c in curves)])


def series_file_bytes(series: SpectralSeries) -> bytes:
    """
    A series as a wide table: ``Wavelength (nm)``, then one column per
    spectrum headed by its axis value and unit (``80 K``).
    """
    unit = series.axis_unit
    header = ["Wavelength (nm)"] + [f"{_number(v)} {unit}".strip() for v in series.axis]
    return _table(header, [series.wavelength_nm, *series.intensity])


def absorbance_file_bytes(spectrum: AbsorbanceSpectrum) -> bytes:
    """``Wavelength (nm)`` and ``Absorbance`` columns."""
    return _table(
        ["Wavelength (nm)", "Absorbance"], [spectrum.wavelength_nm, spectrum.absorbance]
    )


def spectrum_file_bytes(wavelength_nm, values, label: str = "Counts") -> bytes:
    """One spectrum: ``Wavelength (nm)`` and a column headed ``label``."""
    return _table(["Wavelength (nm)", _header(label)], [wavelength_nm, values])
