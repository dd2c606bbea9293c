"""
The CIE tables this project uses, taken from colour-science, kept between runs.

Every CIE number comes from colour-science [1]_: the 1931 2° colour-matching
functions, the 1924 photopic V(λ), illuminant D65's chromaticity and the
primaries of the display gamuts; the spectral locus's convex hull comes from
``scipy.spatial.ConvexHull``. Importing colour-science costs 0.4–0.9 s (and
scipy.spatial 0.2 s) on the project's loaded 2-core machine, most of a
``python -m core spectra`` run, for about 20 kB of numbers. So the first
process that needs the tables takes them from colour-science and writes them
to a cache file named after the installed colour-science and scipy versions
(and this module's format); later processes read that file (~1 ms). The file
holds colour-science's own arrays, bit for bit (a test compares them); a
new version of either package gets a new file. The cache is only an
optimisation: when it cannot be read or written the tables come from
colour-science directly, and ``PELED_CIE_CACHE=0`` turns it off.

Cache folder: ``$PELED_CACHE_DIR``, else ``$XDG_CACHE_HOME/peled-bench``,
else ``~/.cache/peled-bench``.

References
----------
.. [1] T. Mansencal et al., colour-science, doi:10.5281/zenodo.3757045.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = [
    "COLOURSPACES",
    "CIETables",
    "cie_tables",
    "tables_from_colour_science",
    "cache_path",
]

#: colour-science colourspaces whose primaries are kept (display gamuts).
COLOURSPACES = ("ITU-R BT.2020", "DCI-P3", "ITU-R BT.709", "NTSC (1953)")

_OBSERVER = "CIE 1931 2 Degree Standard Observer"
_PHOTOPIC = "CIE 1924 Photopic Standard Observer"
# Bump when the fields below change: older files are then ignored.
_FORMAT = 1


@dataclass(frozen=True)
class CIETables:
    """
    colour-science's tables as read-only arrays.

    Attributes
    ----------
    cmf_wavelength_nm, cmf_values : numpy.ndarray
        (K,) and (K, 3) CIE 1931 2° x̄, ȳ, z̄ (1 nm, 360–830 nm). [nm], [-]
    photopic_wavelength_nm, photopic_values : numpy.ndarray
        (M,) and (M,) CIE 1924 photopic V(λ). [nm], [-]
    d65_xy : numpy.ndarray
        (2,) chromaticity of illuminant D65 (2° observer). [-]
    primaries_xy : numpy.ndarray
        (len(COLOURSPACES), 3, 2) xy of the R, G, B primaries. [-]
    hull_normals, hull_offsets : numpy.ndarray
        (E, 2) and (E,) edges of the convex hull of the locus's xy
        (``ConvexHull(xy).equations``: outward unit normals and offsets).
    """

    cmf_wavelength_nm: np.ndarray
    cmf_values: np.ndarray
    photopic_wavelength_nm: np.ndarray
    photopic_values: np.ndarray
    d65_xy: np.ndarray
    primaries_xy: np.ndarray
    hull_normals: np.ndarray
    hull_offsets: np.ndarray


def _frozen(**arrays) -> CIETables:
    values = {}
    for name, array in arrays.items():
        array = np.array(array, dtype=float)  # a copy, owned
        array.setflags(write=False)
        values[name] = array
    return CIETables(**values)


def _locus_hull(cmf_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.spatial import ConvexHull

    total = cmf_values.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xy = cmf_values[..., :2] / np.where(total > 0, total, np.nan)
    hull = ConvexHull(xy[np.all(np.isfinite(xy), axis=1)])
    return hull.equations[:, :2], hull.equations[:, 2]


def tables_from_colour_science() -> CIETables:
    """The tables straight from colour-science (imports it: 0.4–0.9 s)."""
    with warnings.catch_warnings():
        # colour-science warns at import that matplotlib is absent; this
        # project draws with Altair, so the notice would only clutter stderr.
        warnings.simplefilter("ignore")
        import colour

    cmfs = colour.MSDS_CMFS[_OBSERVER]
    values = np.asarray(cmfs.values, dtype=float)
    photopic = colour.SDS_LEFS[_PHOTOPIC]
    normals, offsets = _locus_hull(values)
    return _frozen(
        cmf_wavelength_nm=cmfs.wavelengths,
        cmf_values=values,
        photopic_wavelength_nm=photopic.wavelengths,
        photopic_values=photopic.values,
        d65_xy=colour.CCS_ILLUMINANTS[_OBSERVER]["D65"],
        primaries_xy=[colour.RGB_COLOURSPACES[n].primaries for n in COLOURSPACES],
        hull_normals=normals,
        hull_offsets=offsets,
    )


def cache_path() -> Path | None:
    """The cache file for the installed packages (None: cache turned off)."""
    if os.environ.get("PELED_CIE_CACHE", "1") == "0":
        return None
    folder = os.environ.get("PELED_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = str(Path(base) / "peled-bench")
    try:
        versions = (metadata.version("colour-science"), metadata.version("scipy"))
    except metadata.PackageNotFoundError:
        return None
    name = f"cie-tables-v{_FORMAT}-colour-{versions[0]}-scipy-{versions[1]}.npz"
    return Path(folder) / name


def _read(path: Path) -> CIETables | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            tables = _frozen(**{f.name: stored[f.name] for f in fields(CIETables)})
    except Exception:  # missing, partial or foreign file: rebuild it
        return None
    shapes_ok = (
        tables.cmf_values.shape == (tables.cmf_wavelength_nm.size, 3)
        and tables.photopic_values.shape == tables.photopic_wavelength_nm.shape
        and tables.d65_xy.shape == (2,)
        and tables.primaries_xy.shape == (len(COLOURSPACES), 3, 2)
        and tables.hull_normals.shape == (tables.hull_offsets.size, 2)
    )
    return tables if shapes_ok else None


def _write(path: Path, tables: CIETables) -> None:
    """Write atomically (a temporary file renamed): readers never see half."""
    arrays = {f.name: getattr(tables, f.name) for f in fields(tables)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:  # read-only home, a file in the way: work without the cache
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(temporary, path)
    except OSError:  # full disk
        Path(temporary).unlink(missing_ok=True)


@lru_cache(maxsize=1)
def cie_tables() -> CIETables:
    """
    colour-science's CIE tables, from the cache file when it holds them.

    Returns
    -------
    CIETables
    """
    path = cache_path()
    if path is not None:
        cached = _read(path)
        if cached is not None:
            return cached
    tables = tables_from_colour_science()
    if path is not None:
        _write(path, tables)
    return tables
