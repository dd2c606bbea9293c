"""
Cached calls into core that pages share.

Readers of uploaded files are keyed on the files' bytes and the reader's
options, analyses on their inputs, so a rerun that changes nothing reads and
fits nothing again. A spectral series is keyed on a BLAKE2 digest of its
arrays and fields (:func:`series_digest`, computed once per series object),
not on Streamlit's default: that copies every array (``dataclasses.asdict``)
and samples 100 000 values of large ones, so two series differing elsewhere
would share a result.

Bounded by what an entry holds (issue 16, docs/deploying.md): a 10-hour
series (3600 × 1024) is 30 MB parsed and its stability result 31 MB, so
the series caches keep ``SERIES_ENTRIES`` entries, the small tables more,
and every entry leaves after ``TTL`` without use (what a finished session
left behind goes then, instead of staying until the server restarts).
"""

from __future__ import annotations

import hashlib
import weakref

import numpy as np
import streamlit as st

from core import lifetime, stability
from core.demo import efficiency as demo_efficiency
from core.io import read_spectra_files, read_spectral_series, wavelength_grid
from core.io.jvl import read_jvl
from core.io.lifetime_log import read_lifetime_logs
from core.models import JVLSweep, LifetimeLog, SpectralSeries
from ui.memo import bytes_digest

__all__ = [
    "TTL",
    "SERIES_ENTRIES",
    "series_digest",
    "read_spectra",
    "read_series_file",
    "read_spectrum",
    "read_sweep",
    "series_stability",
    "read_logs",
    "lifetime_metrics",
    "demo_batch",
]


#: Unused entries leave the caches after this long.
TTL = "30m"
#: Entries of the caches holding whole series (up to ~100 MB each for a
#: 100 MB upload) and their analyses.
SERIES_ENTRIES = 6

_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}


def series_digest(series: SpectralSeries) -> str:
    """
    BLAKE2b of a series' arrays (dtype, shape, bytes) and other fields,
    memoised per object (a series is frozen): ~20 ms for 30 MB, once.
    """
    known = _DIGESTS.get(id(series))
    if known is not None and known[0]() is series:
        return known[1]
    digest = hashlib.blake2b(digest_size=20)
    for name in ("wavelength_nm", "intensity", "axis"):
        array = np.ascontiguousarray(getattr(series, name))
        digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
        digest.update(memoryview(array).cast("B"))
    names = ("axis_name", "axis_unit", "label", "source", "notes",
             "intensity_quantity", "intensity_unit")  # fmt: skip
    digest.update(repr([getattr(series, name) for name in names]).encode())
    key = id(series)
    _DIGESTS[key] = (weakref.ref(series, lambda _: _DIGESTS.pop(key, None)),
                     digest.hexdigest())  # fmt: skip
    return _DIGESTS[key][1]


_SERIES_HASH = {SpectralSeries: series_digest}
#: Uploaded bytes hashed once per bytes object, not on every rerun.
_BYTES_HASH = {bytes: bytes_digest}


# Series are read-only (their arrays are write-protected), so their readers
# share one object between reruns and sessions (st.cache_resource) instead of
# unpickling a 30 MB copy on every rerun; the digest memo then holds too.
@st.cache_resource(
    show_spinner=False, max_entries=SERIES_ENTRIES, ttl=TTL, hash_funcs=_BYTES_HASH
)
def read_spectra(
    files: tuple[tuple[str, bytes], ...],
    dark: tuple[str, bytes] | None = None,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    grid: tuple[float, float, float] | None = None,
    axis_values: tuple[float, ...] = (),
    order: str = "name",
    spectral_quantity: str = "auto",
    sheet: str | None = None,
    cells: str | None = None,
) -> SpectralSeries:
    """
    One series file, or several single-spectrum files, as one series.

    ``files`` and ``dark`` are ``(name, bytes)``; ``grid`` is (first, last,
    step) [nm] for headerless matrices; ``axis_values`` one value per spectrum;
    ``spectral_quantity`` what the intensities are (``"auto"``: what the file
    says); ``sheet`` and ``cells`` of an ``.xlsx`` (None: found).
    """
    grid_nm = wavelength_grid(*grid) if grid else None
    values = np.asarray(axis_values, dtype=float) if axis_values else None
    dark_name, dark_bytes = dark if dark else (None, None)
    options = dict(
        axis_name=axis_name,
        axis_unit=axis_unit,
        axis_values=values,
        dark=dark_bytes,
        dark_name=dark_name,
        spectral_quantity=spectral_quantity,
        sheet=sheet or None,
        cells=cells or None,
    )
    defaults = not (
        dark or axis_values or sheet or cells or spectral_quantity != "auto"
    )
    if len(files) == 1 and defaults:  # the series the upload preview read
        name, data = files[0]
        return read_series_file(data, name, axis_name, axis_unit, grid)
    if len(files) == 1:
        name, data = files[0]
        return read_spectral_series(data, name, wavelength_nm=grid_nm, **options)
    return read_spectra_files(list(files), order=order, **options)


@st.cache_resource(
    show_spinner=False, max_entries=SERIES_ENTRIES, ttl=TTL, hash_funcs=_BYTES_HASH
)
def read_series_file(
    data: bytes,
    name: str,
    axis_name: str | None = None,
    axis_unit: str | None = None,
    grid: tuple[float, float, float] | None = None,
) -> SpectralSeries:
    """
    One series file with the reader's defaults (no dark, axis values, sheet
    or cells): what the upload preview reads to say what a file holds, so
    that the page's :func:`read_spectra` of the same file reads nothing again.
    """
    grid_nm = wavelength_grid(*grid) if grid else None
    return read_spectral_series(
        data, name, axis_name=axis_name, axis_unit=axis_unit, wavelength_nm=grid_nm
    )


@st.cache_resource(
    show_spinner=False, max_entries=SERIES_ENTRIES, ttl=TTL, hash_funcs=_BYTES_HASH
)
def read_spectrum(
    data: bytes,
    name: str,
    grid: tuple | None,
    voltages: tuple | None,
    spectral_quantity: str = "auto",
) -> SpectralSeries:
    """
    An EL spectrum file; ``voltages`` makes it a series over bias;
    ``spectral_quantity`` says what its intensities are (``"auto"``: the file).
    """
    wavelength = wavelength_grid(*grid) if grid else None
    if voltages is None:
        return read_spectral_series(
            data, name, wavelength_nm=wavelength, spectral_quantity=spectral_quantity
        )
    return read_spectral_series(
        data,
        name,
        wavelength_nm=wavelength,
        spectral_quantity=spectral_quantity,
        axis_values=np.asarray(voltages, dtype=float),
        axis_name="voltage",
        axis_unit="V",
    )


@st.cache_data(show_spinner=False, max_entries=64, ttl=TTL)
def read_sweep(data: bytes, name: str, area_cm2: float | None) -> JVLSweep:
    """A J-V-L(-EQE) sweep file; ``area_cm2`` for files without one."""
    return read_jvl(data, name, area_cm2=area_cm2)


@st.cache_data(
    show_spinner=False, max_entries=SERIES_ENTRIES, ttl=TTL, hash_funcs=_SERIES_HASH
)
def series_stability(
    series: SpectralSeries,
    threshold_nm: float,
    window_k: float,
    baseline: str,
    white_point: str,
    colour_window_fwhm: float | None = None,
    noise_k: float = 2.0,
    reference: int | None = None,
    exclude: tuple[int, ...] = (),
    exclude_axis_range: tuple[float, float] | None = None,
) -> stability.StabilityResult:
    """:func:`core.stability.series_stability`, cached."""
    return stability.series_stability(
        series,
        threshold_nm=threshold_nm,
        window_k=window_k,
        baseline=baseline,
        white_point=white_point,
        colour_window_fwhm=colour_window_fwhm,
        noise_k=noise_k,
        reference=reference,
        exclude=exclude,
        exclude_axis_range=exclude_axis_range,
    )


@st.cache_data(show_spinner=False, max_entries=64, ttl=TTL)
def read_logs(
    data: bytes, name: str, l0: float | None, unit: str | None
) -> list[LifetimeLog]:
    """The lifetime logs of one file; ``l0`` [cd/m²] for relative logs."""
    return read_lifetime_logs(data, name, initial_luminance_cd_m2=l0, time_unit=unit)


@st.cache_data(show_spinner=False, max_entries=128, ttl=TTL)
def lifetime_metrics(
    log: LifetimeLog,
    method: str,
    reference: float,
    n: float,
    l0_from_model: bool = False,
    report_beyond_cap: bool = False,
) -> lifetime.LifetimeResult:
    """:func:`core.lifetime.lifetime_metrics`, cached."""
    return lifetime.lifetime_metrics(
        log,
        method=method,
        reference_luminance_cd_m2=reference,
        acceleration_n=n,
        l0_from_model=l0_from_model,
        report_beyond_cap=report_beyond_cap,
    )


@st.cache_data(show_spinner=False, max_entries=2)
def demo_batch(n: int) -> list[JVLSweep]:
    """:func:`core.demo.efficiency.demo_batch`, cached (a 50-device batch)."""
    return demo_efficiency.demo_batch(n)
