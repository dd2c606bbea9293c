"""
Containers of the emitter's own measurements and the results computed from them.

Arrays are numpy float64 with the unit in every field name (``time_ns``,
``wavelength_nm``, ``energy_ev``); containers and results are frozen
dataclasses, as in :mod:`core.models`. A value that cannot be determined is
NaN, with the reason in ``warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "DecayCurve",
    "AbsorbanceSpectrum",
    "SphereMeasurement",
    "read_only",
]


def read_only(values, ndim: int = 1, name: str = "values") -> np.ndarray:
    """A read-only float64 copy of ``values`` with ``ndim`` dimensions."""
    array = np.array(values, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    array.setflags(write=False)
    return array


def _same_length(first: np.ndarray, second: np.ndarray, names: str) -> None:
    if first.shape != second.shape:
        raise ValueError(f"{names}: {first.size} and {second.size} values")


@dataclass(frozen=True)
class DecayCurve:
    """
    A time-resolved PL decay histogram (TCSPC).

    Attributes
    ----------
    time_ns : numpy.ndarray
        (N,) time of each histogram channel on a uniform grid. [ns]
    counts : numpy.ndarray
        (N,) photon counts per channel (raw counts for Poisson statistics).
    label : str
        Short name shown in legends.
    source : str
        File name, or a description of synthetic data.
    notes : tuple of str
        What the reader did that the user should know.
    """

    time_ns: np.ndarray
    counts: np.ndarray
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        time = read_only(self.time_ns, 1, "time_ns")
        counts = read_only(self.counts, 1, "counts")
        _same_length(time, counts, "time_ns and counts")
        object.__setattr__(self, "time_ns", time)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def step_ns(self) -> float:
        """Channel width (median spacing of the grid). [ns]"""
        return float(np.median(np.diff(self.time_ns))) if self.time_ns.size > 1 else 0.0

    @property
    def peak_counts(self) -> float:
        return float(np.max(self.counts)) if self.counts.size else float("nan")


@dataclass(frozen=True)
class AbsorbanceSpectrum:
    """
    An absorbance (optical density, base 10) spectrum.

    Attributes
    ----------
    wavelength_nm : numpy.ndarray
        (W,) increasing wavelengths. [nm]
    absorbance : numpy.ndarray
        (W,) absorbance A = −log10(T) [-]; proportional to the absorption
        coefficient α for a film or solution of fixed thickness.
    label, source, notes
        As in :class:`DecayCurve`.
    """

    wavelength_nm: np.ndarray
    absorbance: np.ndarray
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        wavelength = read_only(self.wavelength_nm, 1, "wavelength_nm")
        absorbance = read_only(self.absorbance, 1, "absorbance")
        _same_length(wavelength, absorbance, "wavelength_nm and absorbance")
        object.__setattr__(self, "wavelength_nm", wavelength)
        object.__setattr__(self, "absorbance", absorbance)
        object.__setattr__(self, "notes", tuple(self.notes))


@dataclass(frozen=True)
class SphereMeasurement:
    """
    The spectra of an integrating-sphere PLQY measurement on one grid.

    The three configurations of de Mello et al. (1997): (A) the empty sphere,
    (B) the sample in the sphere but out of the beam, (C) the sample in the
    beam. Spectra must be proportional to photons per wavelength interval and
    corrected for the spectral response of the sphere and detector.

    Attributes
    ----------
    wavelength_nm : numpy.ndarray
        (W,) increasing wavelengths. [nm]
    empty : numpy.ndarray
        (W,) spectrum A, empty sphere (laser only).
    in_beam : numpy.ndarray
        (W,) spectrum C, sample directly in the beam.
    out_of_beam : numpy.ndarray or None
        (W,) spectrum B, sample in the sphere out of the beam; None for the
        two-measurement method.
    label, source, notes
        As in :class:`DecayCurve`.
    """

    wavelength_nm: np.ndarray
    empty: np.ndarray
    in_beam: np.ndarray
    out_of_beam: np.ndarray | None = None
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        wavelength = read_only(self.wavelength_nm, 1, "wavelength_nm")
        object.__setattr__(self, "wavelength_nm", wavelength)
        for name in ("empty", "in_beam", "out_of_beam"):
            value = getattr(self, name)
            if value is None:
                continue
            array = read_only(value, 1, name)
            _same_length(wavelength, array, f"wavelength_nm and {name}")
            object.__setattr__(self, name, array)
        object.__setattr__(self, "notes", tuple(self.notes))
