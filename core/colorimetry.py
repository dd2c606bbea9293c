"""
Colorimetry of emission spectra, vectorised over many spectra.

CIE 1931 2° colour-matching functions come from colour-science (through
:mod:`core.cie_data`, which keeps colour-science's arrays between runs);
nothing here copies a CIE table. For spectra on a (non-uniform) CCD pixel grid the
tristimulus values are one matrix product, ``XYZ = S @ W``, with ``W`` the CMFs
interpolated onto the grid times trapezoid weights (docs/methods.md §1).

References
----------
.. [1] CIE 015:2018, Colorimetry, 4th ed., doi:10.25039/TR.015.2018.
.. [2] T. Mansencal et al., colour-science, doi:10.5281/zenodo.3757045.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from core.cie_data import COLOURSPACES, cie_tables

__all__ = [
    "WHITE_POINTS",
    "GAMUTS",
    "BT2020_RED_XY",
    "cmf_weights",
    "photopic_on_grid",
    "tristimulus",
    "xy_from_XYZ",
    "uv_prime_from_XYZ",
    "uv_prime_from_xy",
    "covariance_weights",
    "tristimulus_covariance",
    "chromaticity_sd",
    "locus_distance",
    "inside_spectral_locus",
    "onto_spectral_locus",
    "spectral_locus_xy",
    "dominant_wavelength_nm",
    "excitation_purity",
    "gamut_primaries_xy",
]


def _xy_pair(values) -> tuple[float, float]:
    """An (x, y) pair of colour-science's as two floats."""
    x, y = values
    return float(x), float(y)


#: White points for dominant wavelength and purity. E is the CIE convention
#: for emitters; D65 is common in LED papers. The app always says which it used.
WHITE_POINTS: dict[str, tuple[float, float]] = {
    "E": (1.0 / 3.0, 1.0 / 3.0),
    "D65": _xy_pair(cie_tables().d65_xy),
}

#: Display gamuts drawn on CIE diagrams: name -> colour-science colourspace.
GAMUTS: dict[str, str] = {
    "BT.2020": "ITU-R BT.2020",
    "DCI-P3": "DCI-P3",
    "sRGB / BT.709": "ITU-R BT.709",
    "NTSC (1953)": "NTSC (1953)",
}

#: BT.2020 red primary, the 630 nm point of the spectral locus. [xy]
BT2020_RED_XY: tuple[float, float] = _xy_pair(
    cie_tables().primaries_xy[COLOURSPACES.index("ITU-R BT.2020")][0]
)

# The locus is degenerate beyond ~700 nm (x, y stuck at 0.7347, 0.2653).
_LOCUS_MAX_NM = 699.9


def _cmfs_1nm() -> tuple[np.ndarray, np.ndarray]:
    tables = cie_tables()  # read-only arrays
    return tables.cmf_wavelength_nm, tables.cmf_values


def _trapezoid_weights(wavelength_nm: np.ndarray) -> np.ndarray:
    """Weights w with sum(w * f) equal to the trapezoid integral of f."""
    step = np.diff(wavelength_nm)
    weights = np.zeros_like(wavelength_nm)
    weights[:-1] += step / 2
    weights[1:] += step / 2
    return weights


def cmf_weights(wavelength_nm) -> np.ndarray:
    """
    CIE 1931 2° CMFs on a wavelength grid, times trapezoid integration weights.

    ``intensity @ cmf_weights(wl)`` gives X, Y, Z of each spectrum (rows of
    ``intensity``), integrated with the trapezoid rule. The CMFs are linearly
    interpolated from colour-science's 1 nm table and are zero outside
    360–830 nm.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) strictly increasing grid, may be non-uniform. [nm]

    Returns
    -------
    numpy.ndarray
        (W, 3) weights. [nm]
    """
    wavelength = np.asarray(wavelength_nm, dtype=float)
    cmf_wl, cmf_values = _cmfs_1nm()
    columns = [
        np.interp(wavelength, cmf_wl, cmf_values[:, k], left=0.0, right=0.0)
        for k in range(3)
    ]
    return np.stack(columns, axis=1) * _trapezoid_weights(wavelength)[:, None]


def photopic_on_grid(wavelength_nm) -> np.ndarray:
    """
    CIE 1924 photopic luminous efficiency V(λ) on a grid (0 outside its range).

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) wavelengths. [nm]

    Returns
    -------
    numpy.ndarray
        (W,) V(λ). [-]

    Examples
    --------
    >>> float(photopic_on_grid([555.0])[0])
    1.0
    """
    tables = cie_tables()
    return np.interp(
        np.asarray(wavelength_nm, dtype=float),
        tables.photopic_wavelength_nm,
        tables.photopic_values,
        left=0.0,
        right=0.0,
    )


def tristimulus(wavelength_nm, intensity) -> np.ndarray:
    """
    CIE XYZ of each spectrum (illuminant E, i.e. plain integration).

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) grid. [nm]
    intensity : array_like
        (N, W) or (W,) spectral intensity, any linear unit.

    Returns
    -------
    numpy.ndarray
        (N, 3) X, Y, Z in intensity units × nm.
    """
    spectra = np.atleast_2d(np.asarray(intensity, dtype=float))
    return spectra @ cmf_weights(wavelength_nm)


def xy_from_XYZ(XYZ) -> np.ndarray:
    """Chromaticity xy from XYZ, (..., 3) -> (..., 2); NaN where X+Y+Z <= 0."""
    XYZ = np.asarray(XYZ, dtype=float)
    total = XYZ.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xy = XYZ[..., :2] / np.where(total > 0, total, np.nan)
    return xy


def uv_prime_from_XYZ(XYZ) -> np.ndarray:
    """CIE 1976 u'v' from XYZ: u' = 4X/(X+15Y+3Z), v' = 9Y/(X+15Y+3Z)."""
    XYZ = np.asarray(XYZ, dtype=float)
    denominator = XYZ[..., 0] + 15 * XYZ[..., 1] + 3 * XYZ[..., 2]
    denominator = np.where(denominator > 0, denominator, np.nan)
    return np.stack(
        [4 * XYZ[..., 0] / denominator, 9 * XYZ[..., 1] / denominator], axis=-1
    )


def uv_prime_from_xy(xy) -> np.ndarray:
    """
    CIE 1976 u'v' from xy: u' = 4x/d, v' = 9y/d, d = −2x + 12y + 3 (the
    operations of colour-science's ``xy_to_Luv_uv``; a test compares them).
    """
    xy = np.asarray(xy, dtype=float)
    x, y = xy[..., 0], xy[..., 1]
    d = -2 * x + 12 * y + 3
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.stack([4 * x / d, 9 * y / d], axis=-1)


def covariance_weights(weights) -> np.ndarray:
    """(W, 6) products wᵢₐ wᵢᵦ of the upper triangle (a ≤ b) of
    :func:`tristimulus_covariance`, in ``numpy.triu_indices(3)`` order."""
    weights = np.asarray(weights, dtype=float)
    rows, cols = np.triu_indices(3)
    return weights[:, rows] * weights[:, cols]


def tristimulus_covariance(
    variance, weights, common_variance=None, common_weights=None, *, upper=None
) -> np.ndarray:
    """
    Covariance of X, Y, Z from the noise of the pixels they integrate.

    ``cov(X_a, X_b) = Σᵢ wᵢₐ wᵢᵦ σᵢ²`` for independent pixels (``weights`` =
    :func:`cmf_weights`, zero where a pixel is not integrated), plus an error
    common to every integrated pixel (a subtracted baseline level):
    ``σ_c² mₐ mᵦ`` with ``m = Σᵢ wᵢ`` over those pixels.

    Parameters
    ----------
    variance : array_like
        (N, W) σᵢ² of each pixel, 0 where it is not integrated.
    weights : array_like
        (W, 3) CMF × integration weights. [nm]
    common_variance : array_like, optional
        (N,) variance of an offset shared by all integrated pixels.
    common_weights : array_like, optional
        (N, 3) Σ of ``weights`` over each spectrum's integrated pixels.
    upper : array_like, optional
        (N, 6) ``variance @ covariance_weights(weights)`` when already
        computed (``variance`` is then not used).

    Returns
    -------
    numpy.ndarray
        (N, 3, 3) covariance of X, Y, Z.
    """
    rows, cols = np.triu_indices(3)
    if upper is None:
        upper = np.asarray(variance, dtype=float) @ covariance_weights(weights)
    upper = np.asarray(upper, dtype=float)  # (N, 6)
    cov = np.empty((upper.shape[0], 3, 3))
    cov[:, rows, cols] = upper
    cov[:, cols, rows] = upper
    if common_variance is not None and common_weights is not None:
        m = np.asarray(common_weights, dtype=float)
        cov += np.asarray(common_variance, dtype=float)[:, None, None] * (
            m[:, :, None] * m[:, None, :]
        )
    return cov


def chromaticity_sd(XYZ, covariance) -> np.ndarray:
    """
    Standard deviations of x, y, u', v' from the covariance of X, Y, Z.

    First-order propagation through the Jacobians of x = X/(X+Y+Z),
    y = Y/(X+Y+Z), u' = 4X/D, v' = 9Y/D with D = X + 15Y + 3Z.

    Parameters
    ----------
    XYZ : array_like
        (N, 3) tristimulus values.
    covariance : array_like
        (N, 3, 3) their covariance (:func:`tristimulus_covariance`).

    Returns
    -------
    numpy.ndarray
        (N, 4) σ of x, y, u', v' (NaN where X+Y+Z or D is not positive).
    """
    X, Y, Z = np.moveaxis(np.asarray(XYZ, dtype=float), -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(X + Y + Z > 0, X + Y + Z, np.nan)
        d = X + 15 * Y + 3 * Z
        d = np.where(d > 0, d, np.nan)
        jacobian = np.stack(
            [
                np.stack([Y + Z, -X, -X], -1) / total[:, None] ** 2,
                np.stack([-Y, X + Z, -Y], -1) / total[:, None] ** 2,
                np.stack([4 * (d - X), -60 * X, -12 * X], -1) / d[:, None] ** 2,
                np.stack([-9 * Y, 9 * (d - 15 * Y), -27 * Y], -1) / d[:, None] ** 2,
            ],
            axis=1,
        )  # (N, 4, 3)
    cov = np.asarray(covariance, dtype=float)
    variance = np.einsum("nki,nij,nkj->nk", jacobian, cov, jacobian)
    return np.sqrt(np.maximum(variance, 0.0))


def _locus_hull() -> tuple[np.ndarray, np.ndarray]:
    """Edges (normals, offsets) of the convex hull of the 360–830 nm locus."""
    tables = cie_tables()  # scipy.spatial.ConvexHull of the CMFs' xy
    return tables.hull_normals, tables.hull_offsets


def locus_distance(xy) -> np.ndarray:
    """
    How far chromaticities lie outside the spectral locus's convex hull.

    Every spectrum without negative values lies inside: its xy is a convex
    combination of the monochromatic points. A point outside comes from
    negative (noise or over-subtracted) values and is not a colour.

    Parameters
    ----------
    xy : array_like
        (N, 2) chromaticity.

    Returns
    -------
    numpy.ndarray
        (N,) distance outside (> 0), or minus the distance to the nearest
        edge inside (≤ 0). NaN where xy is not finite. [-]
    """
    normals, offsets = _locus_hull()
    xy = np.atleast_2d(np.asarray(xy, dtype=float))
    return np.max(xy @ normals.T + offsets, axis=-1)


def inside_spectral_locus(xy, tolerance: float = 1e-6) -> np.ndarray:
    """
    Whether chromaticities lie inside the spectral locus (and purple line).

    Parameters
    ----------
    xy : array_like
        (N, 2) chromaticity.
    tolerance : float
        Distance outside the hull still accepted (numerical noise). [-]

    Returns
    -------
    numpy.ndarray
        (N,) True inside; False outside or not finite.

    Examples
    --------
    >>> inside_spectral_locus([[0.3127, 0.3290], [0.795, 0.205]]).tolist()
    [True, False]
    """
    with np.errstate(invalid="ignore"):
        return locus_distance(xy) <= tolerance


def onto_spectral_locus(xy) -> np.ndarray:
    """
    The nearest points on the locus hull for points outside it (others kept).

    Parameters
    ----------
    xy : array_like
        (N, 2) chromaticity.

    Returns
    -------
    numpy.ndarray
        (N, 2) chromaticity inside or on the hull.
    """
    normals, offsets = _locus_hull()
    xy = np.atleast_2d(np.asarray(xy, dtype=float)).copy()
    rows = np.arange(len(xy))
    for _ in range(3):  # near a corner two edges may need a step each
        distance = xy @ normals.T + offsets
        worst = np.argmax(distance, axis=1)
        step = np.maximum(distance[rows, worst], 0.0)
        xy -= (step + np.where(step > 0, 1e-12, 0.0))[:, None] * normals[worst]
    return xy


@lru_cache(maxsize=4)
def _locus(step_nm: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Spectral locus xy from 360 nm to 699.9 nm on a fine grid."""
    wavelength = np.round(np.arange(360.0, _LOCUS_MAX_NM + step_nm / 2, step_nm), 6)
    cmf_wl, cmf_values = _cmfs_1nm()
    XYZ = np.stack(
        [np.interp(wavelength, cmf_wl, cmf_values[:, k]) for k in range(3)], axis=1
    )
    xy = xy_from_XYZ(XYZ)
    wavelength.setflags(write=False)
    xy.setflags(write=False)
    return wavelength, xy


def spectral_locus_xy(step_nm: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """
    The spectral locus for plotting, 360–699.9 nm (beyond it is degenerate).

    Returns
    -------
    wavelength_nm : numpy.ndarray
        (K,) [nm]
    xy : numpy.ndarray
        (K, 2) chromaticity of each monochromatic stimulus.
    """
    wavelength, xy = _locus(0.1)
    stride = max(1, int(round(step_nm / 0.1)))
    return wavelength[::stride], xy[::stride]


@lru_cache(maxsize=4)
def _hue_table(white: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Monotonic (unwrapped hue angle around the white point -> λ) table."""
    wavelength, xy = _locus(0.1)
    angle = np.unwrap(np.arctan2(xy[:, 1] - white[1], xy[:, 0] - white[0]))
    # The angle decreases along the locus from violet to red, apart from a
    # curl at the violet end and plateaus near 700 nm: keep only points that
    # set a new running minimum, a strictly monotonic table.
    running_min = np.minimum.accumulate(angle)
    keep = np.r_[True, angle[1:] < running_min[:-1]]
    angle, wavelength = angle[keep], wavelength[keep]
    return angle[::-1].copy(), wavelength[::-1].copy()


def _white(white_point) -> tuple[float, float]:
    if isinstance(white_point, str):
        try:
            return WHITE_POINTS[white_point]
        except KeyError:
            raise ValueError(
                f"white point must be one of {sorted(WHITE_POINTS)}, "
                f"got {white_point!r}"
            ) from None
    return (float(white_point[0]), float(white_point[1]))


def dominant_wavelength_nm(xy, white_point="E") -> np.ndarray:
    """
    Dominant wavelength of chromaticities, vectorised, at 0.1 nm resolution.

    The line from the white point through ``xy`` is intersected with the
    spectral locus by interpolating the hue angle on a 0.1 nm locus table.
    This agrees with ``colour.dominant_wavelength`` (with CMFs aligned to
    0.1 nm) to within 0.1 nm, about 1000x faster for thousands of points.
    Points whose line meets the purple boundary, and points beyond ~700 nm
    where the locus is degenerate, give NaN.

    Parameters
    ----------
    xy : array_like
        (..., 2) chromaticity coordinates.
    white_point : str or tuple
        ``"E"`` (default, CIE convention), ``"D65"``, or an (x, y) pair.

    Returns
    -------
    numpy.ndarray
        (...,) dominant wavelength. [nm]
    """
    white = _white(white_point)
    xy = np.asarray(xy, dtype=float)
    angle_table, wavelength_table = _hue_table(white)
    angle = np.arctan2(xy[..., 1] - white[1], xy[..., 0] - white[0])
    # Bring each angle into the table's unwrapped range (it spans < 2π).
    low = angle_table[0]
    angle = low + np.mod(angle - low, 2 * np.pi)
    result = np.interp(angle, angle_table, wavelength_table, left=np.nan, right=np.nan)
    return np.where(np.isfinite(angle), result, np.nan)


def excitation_purity(xy, white_point="E") -> np.ndarray:
    """
    Excitation purity: distance white→xy over distance white→locus along λd.

    For red emitters it is ≈ 1 (the locus is straight from 600 to 700 nm), so
    it says little about pure-red devices; report CIE x, λd and the distance
    to BT.2020 red too (docs/methods.md §1).

    Parameters
    ----------
    xy : array_like
        (..., 2) chromaticity.
    white_point : str or tuple
        As in :func:`dominant_wavelength_nm`.

    Returns
    -------
    numpy.ndarray
        (...,) purity in [0, 1]. [-]
    """
    white = np.asarray(_white(white_point))
    xy = np.asarray(xy, dtype=float)
    wavelength = dominant_wavelength_nm(xy, white_point)
    locus_wl, locus_xy = _locus(0.1)
    locus_x = np.interp(wavelength, locus_wl, locus_xy[:, 0])
    locus_y = np.interp(wavelength, locus_wl, locus_xy[:, 1])
    to_sample = np.hypot(xy[..., 0] - white[0], xy[..., 1] - white[1])
    to_locus = np.hypot(locus_x - white[0], locus_y - white[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isfinite(wavelength), to_sample / to_locus, np.nan)


def gamut_primaries_xy(name: str) -> np.ndarray:
    """(3, 2) xy of the R, G, B primaries of a gamut named in :data:`GAMUTS`."""
    primaries = cie_tables().primaries_xy[COLOURSPACES.index(GAMUTS[name])]
    return np.array(primaries, dtype=float)
