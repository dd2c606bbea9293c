"""
Data containers shared by every module of PeLED Bench.

Arrays are numpy float64 in display units (nm, V, mA/cm², cd/m², h); the unit
is part of every field name. Containers are frozen dataclasses: analysis
functions never mutate them, they return new objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

__all__ = [
    "AXIS_NAMES",
    "AXIS_DEFAULT_UNITS",
    "INTENSITY_QUANTITIES",
    "SpectralSeries",
    "JVLSweep",
    "LifetimeLog",
    "EQE_SPECTRUM_CHOICES",
    "NOISY_SPECTRUM_CHOICES",
    "PhotophysicsInput",
    "Device",
]

#: Names a spectral series can be ordered by, with their default unit.
AXIS_DEFAULT_UNITS: dict[str, str] = {
    "time": "h",
    "voltage": "V",
    "current_density": "mA/cm²",
    "temperature": "°C",
    "index": "",
}
AXIS_NAMES: tuple[str, ...] = tuple(AXIS_DEFAULT_UNITS)

#: What the intensity of a spectral series is: detector ``counts``, an
#: ``energy`` (power) spectrum such as W/m²/nm, a ``photon`` spectrum such as
#: photons/s/cm²/nm (the readers convert these to energy), a ``relative``
#: spectrum (a.u.), or ``unknown`` when the file does not say.
INTENSITY_QUANTITIES: tuple[str, ...] = (
    "counts",
    "energy",
    "photon",
    "relative",
    "unknown",
)


def _as_float_array(values, ndim: int, name: str) -> np.ndarray:
    array = np.array(values, dtype=float)  # a copy: containers own their data
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    array.setflags(write=False)
    return array


def _freeze_columns(container, first: str, others: tuple[str, ...]) -> None:
    """Store read-only float copies of a container's columns, checking that
    every present column has as many values as ``first``."""
    reference = _as_float_array(getattr(container, first), 1, first)
    for name in others:
        value = getattr(container, name)
        if value is None:
            continue
        array = _as_float_array(value, 1, name)
        if array.size != reference.size:
            raise ValueError(
                f"{name} has {array.size} values, expected {reference.size}"
            )
        object.__setattr__(container, name, array)
    object.__setattr__(container, first, reference)
    object.__setattr__(container, "notes", tuple(container.notes))


@dataclass(frozen=True)
class SpectralSeries:
    """
    N emission spectra on one wavelength grid, ordered along an axis.

    Attributes
    ----------
    wavelength_nm : numpy.ndarray
        (W,) strictly increasing wavelength grid. [nm]
    intensity : numpy.ndarray
        (N, W) spectral intensity, any linear unit (counts, W/m²/nm...).
    axis : numpy.ndarray
        (N,) value of the series axis for each spectrum (time, voltage...).
    axis_name : str
        One of :data:`AXIS_NAMES`.
    axis_unit : str
        Unit of ``axis`` (``"h"``, ``"V"``...); empty for ``index``.
    label : str
        Short name shown in legends.
    source : str
        Where the data came from (file names, or ``"synthetic demo data"``).
    notes : tuple of str
        What the reader did that the user should know (rows dropped, dark
        subtracted...). Shown next to the data.
    intensity_quantity : str
        What ``intensity`` is, one of :data:`INTENSITY_QUANTITIES`;
        ``"unknown"`` by default.
    intensity_unit : str
        Its unit as text (``"W/cm2/nm"``, ``"counts"``), "" when not known.
    """

    wavelength_nm: np.ndarray
    intensity: np.ndarray
    axis: np.ndarray
    axis_name: str = "index"
    axis_unit: str = ""
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()
    intensity_quantity: str = "unknown"
    intensity_unit: str = ""

    def __post_init__(self) -> None:
        wavelength = _as_float_array(self.wavelength_nm, 1, "wavelength_nm")
        intensity = np.array(self.intensity, dtype=float)
        if intensity.ndim == 1:
            intensity = intensity[None, :]
        if intensity.ndim != 2 or intensity.shape[1] != wavelength.size:
            raise ValueError(
                f"intensity must be (N, {wavelength.size}), got {intensity.shape}"
            )
        intensity.setflags(write=False)
        axis = _as_float_array(np.atleast_1d(self.axis), 1, "axis")
        if axis.size != intensity.shape[0]:
            raise ValueError(
                f"axis has {axis.size} values for {intensity.shape[0]} spectra"
            )
        if self.axis_name not in AXIS_DEFAULT_UNITS:
            raise ValueError(f"axis_name must be one of {AXIS_NAMES}")
        if self.intensity_quantity not in INTENSITY_QUANTITIES:
            raise ValueError(
                f"intensity_quantity must be one of {INTENSITY_QUANTITIES}"
            )
        object.__setattr__(self, "wavelength_nm", wavelength)
        object.__setattr__(self, "intensity", intensity)
        object.__setattr__(self, "axis", axis)
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def n_spectra(self) -> int:
        return int(self.intensity.shape[0])

    @property
    def axis_label(self) -> str:
        """Axis title with unit, e.g. ``"time [h]"``."""
        name = self.axis_name.replace("_", " ")
        return f"{name} [{self.axis_unit}]" if self.axis_unit else name

    def with_axis(self, axis, axis_name: str, axis_unit: str) -> SpectralSeries:
        """The same spectra on another axis (e.g. voltages from a J-V-L file)."""
        return replace(self, axis=axis, axis_name=axis_name, axis_unit=axis_unit)


@dataclass(frozen=True)
class JVLSweep:
    """
    A current-voltage-luminance sweep of one device (one pixel).

    Attributes
    ----------
    voltage_v : numpy.ndarray
        (M,) applied bias. [V]
    current_density_ma_cm2 : numpy.ndarray
        (M,) current density. [mA/cm²]
    luminance_cd_m2 : numpy.ndarray
        (M,) luminance. [cd/m²]
    eqe_percent : numpy.ndarray or None
        (M,) EQE as written in the file, if it had a column. [%]
    area_cm2 : float or None
        Device (pixel) area. [cm²]
    spectrum : SpectralSeries or None
        The EL spectrum to use for EQE (N = 1, or the first of a series).
    label, source, notes
        As in :class:`SpectralSeries`.
    """

    voltage_v: np.ndarray
    current_density_ma_cm2: np.ndarray
    luminance_cd_m2: np.ndarray
    eqe_percent: np.ndarray | None = None
    area_cm2: float | None = None
    spectrum: SpectralSeries | None = None
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze_columns(
            self,
            "voltage_v",
            ("current_density_ma_cm2", "luminance_cd_m2", "eqe_percent"),
        )


@dataclass(frozen=True)
class LifetimeLog:
    """
    Luminance (absolute or relative) against time during a lifetime test.

    Attributes
    ----------
    time_h : numpy.ndarray
        (K,) time since the start of the test. [h]
    luminance_cd_m2 : numpy.ndarray
        (K,) luminance [cd/m²], or relative luminance when ``relative`` is True.
    relative : bool
        True when ``luminance_cd_m2`` holds L/L0 (or a photodiode signal) and
        the absolute L0 must come from ``initial_luminance_cd_m2``.
    initial_luminance_cd_m2 : float or None
        L0 given by the user for relative data. [cd/m²]
    voltage_v, current_density_ma_cm2 : numpy.ndarray or None
        (K,) drive during the test. [V], [mA/cm²]
    spectra : SpectralSeries or None
        EL spectra taken during the test (axis: time in h).
    label, source, notes
        As in :class:`SpectralSeries`.
    """

    time_h: np.ndarray
    luminance_cd_m2: np.ndarray
    relative: bool = False
    initial_luminance_cd_m2: float | None = None
    voltage_v: np.ndarray | None = None
    current_density_ma_cm2: np.ndarray | None = None
    spectra: SpectralSeries | None = None
    label: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze_columns(
            self, "time_h", ("luminance_cd_m2", "voltage_v", "current_density_ma_cm2")
        )


#: Where a device's EQE comes from (:attr:`Device.eqe_spectrum`): the sweep
#: file's own EQE column, a spectrum uploaded for the sweep, or the device's
#: EL series.
EQE_SPECTRUM_CHOICES: tuple[str, ...] = ("file", "uploaded", "el_series")
#: What serves a sweep point whose own spectrum (EL over bias) is noise.
NOISY_SPECTRUM_CHOICES: tuple[str, ...] = ("brightest", "nearest")


@dataclass(frozen=True)
class PhotophysicsInput:
    """
    One photophysics measurement of a device's emitter, kept as its files and
    settings so that it can be analysed again (:mod:`core.photophysics.runs`).

    Attributes
    ----------
    kind : {"trpl", "tdpl", "absorption", "plqy"}
        PL decay, PL against temperature, absorbance edge, PLQY.
    sample : str
        Sample name shown in tables and legends.
    files : tuple of (str, str, bytes)
        ``(file name, role, content)`` of each input file; roles as in
        :data:`core.photophysics.runs.KIND_ROLES` (``"trpl"``, ``"trpl_irf"``,
        ``"tdpl"``, ``"absorbance"``, ``"plqy_empty"``, ``"plqy_out"``,
        ``"plqy_in"``). Empty for a PLQY entered by hand.
    settings : dict
        The analysis settings (:func:`core.photophysics.runs.kind_settings`).
    synthetic : bool
        True for the demo samples (labelled synthetic wherever shown).
    """

    kind: str
    sample: str
    files: tuple[tuple[str, str, bytes], ...] = ()
    settings: dict = field(default_factory=dict)
    synthetic: bool = False

    def __post_init__(self) -> None:
        files = tuple((str(n), str(r), bytes(d)) for n, r, d in self.files)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "settings", dict(self.settings))


@dataclass(frozen=True)
class Device:
    """
    One device as the session knows it: a name plus any of its measurements.

    ``lifetime`` is a tuple because a device is often aged at several initial
    luminances (for the acceleration exponent). ``synthetic`` marks demo data,
    which must be labelled as such wherever it is shown. ``photophysics``
    holds the emitter's own measurements (PL decays, PL against temperature,
    absorbance, PLQY), each with its files and settings.

    The device's one EQE (:func:`core.efficiency.device_efficiency`) is
    computed with the spectrum its user chose, stored here so that every page,
    the report and the CLI use the same: ``eqe_spectrum`` is one of
    :data:`EQE_SPECTRUM_CHOICES`, or None for the default (the file's EQE
    column if it has one, else a spectrum given with the sweep, else the EL
    series); ``eqe_uploaded_spectrum`` the spectrum uploaded for it, if any;
    ``eqe_noisy_spectrum`` what serves the points whose own spectrum in a
    series over bias is noise (:data:`NOISY_SPECTRUM_CHOICES`).
    """

    name: str
    spectra_time: SpectralSeries | None = None
    spectra_bias: SpectralSeries | None = None
    jvl: tuple[JVLSweep, ...] = ()
    lifetime: tuple[LifetimeLog, ...] = ()
    synthetic: bool = False
    metadata: dict = field(default_factory=dict)
    eqe_spectrum: str | None = None
    eqe_uploaded_spectrum: SpectralSeries | None = None
    eqe_noisy_spectrum: str = "brightest"
    photophysics: tuple[PhotophysicsInput, ...] = ()

    def __post_init__(self) -> None:
        if self.eqe_spectrum not in (None, *EQE_SPECTRUM_CHOICES):
            raise ValueError(
                f"eqe_spectrum must be None or one of {EQE_SPECTRUM_CHOICES}, "
                f"got {self.eqe_spectrum!r}"
            )
        if self.eqe_noisy_spectrum not in NOISY_SPECTRUM_CHOICES:
            raise ValueError(
                f"eqe_noisy_spectrum must be one of {NOISY_SPECTRUM_CHOICES}, "
                f"got {self.eqe_noisy_spectrum!r}"
            )
