"""
:class:`EfficiencyResult`, the figures of merit of one J-V-L sweep.

:data:`SUMMARY_KEYS` lists its scalars in the order the CLI prints them and
:data:`POINT_COLUMNS` the columns of its per-point table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "SUMMARY_KEYS",
    "POINT_COLUMNS",
    "DATA_CHECKS",
    "DataWarning",
    "EfficiencyResult",
]

#: The scalar results, in the order the CLI prints them.
SUMMARY_KEYS: tuple[str, ...] = (
    "eqe_max_percent",
    "voltage_at_eqe_max_v",
    "luminance_at_eqe_max_cd_m2",
    "current_density_at_eqe_max_ma_cm2",
    "luminance_max_cd_m2",
    "turn_on_v",
    "current_efficiency_max_cd_a",
    "power_efficiency_max_lm_w",
    "eqe_at_100_cd_m2_percent",
    "eqe_at_1000_cd_m2_percent",
    "luminance_at_half_eqe_max_cd_m2",
    "current_density_at_half_eqe_max_ma_cm2",
    "eqe_computed_to_file_ratio",
    "eqe_percent_per_cd_a",
    "turn_on_luminance_cd_m2",
    "turn_on_level_cd_m2",
    "luminance_dark_cd_m2",
    "luminance_noise_cd_m2",
)

#: Columns of :attr:`EfficiencyResult.points`.
POINT_COLUMNS: tuple[str, ...] = (
    "voltage_v",
    "current_density_ma_cm2",
    "luminance_cd_m2",
    "above_turn_on",
    "eqe_percent",
    "eqe_computed_percent",
    "eqe_file_percent",
    "eqe_computed_to_file_ratio",
    "current_efficiency_cd_a",
    "power_efficiency_lm_w",
    "eqe_percent_per_cd_a",
    "spectrum_voltage_v",
    "spectrum_replaced",
    "data_problem",
)

#: The physical limits a point is checked against, by check name: what it
#: breaks. A point that breaks one is an error of the data, left out of every
#: maximum (:class:`DataWarning`).
DATA_CHECKS: dict[str, str] = {
    "eqe_above_100_percent": "EQE > 100 %",
    "pe_above_683_lm_w": "PE > 683 lm/W",
    "ce_above_spectrum_limit": "CE above 100 % EQE",
    "current_not_positive_in_forward_bias": "J ≤ 0 at V > 0",
}


@dataclass(frozen=True)
class DataWarning:
    """
    Points of a sweep that break a physical limit: an error of the data.

    Attributes
    ----------
    check : str
        A key of :data:`DATA_CHECKS`.
    points : tuple of int
        Indices of the offending points, in the order measured.
    voltages_v : tuple of float
        Their bias. [V]
    message : str
        One sentence: what is broken, where, and by how much.
    """

    check: str
    points: tuple[int, ...]
    voltages_v: tuple[float, ...]
    message: str


@dataclass(frozen=True, eq=False)
class EfficiencyResult:
    """
    Efficiency figures of merit of one J-V-L sweep.

    Every scalar is NaN when it cannot be determined; ``warnings`` then says
    why. Maxima are taken only over the emitting range (from turn-on, the
    points where L stays at or above ``turn_on_level_cd_m2``) and never over
    a point that breaks a physical limit (``data_warnings``).

    Attributes
    ----------
    label, source : str
        The sweep's label and origin.
    eqe_max_percent : float
        Peak EQE. [%]
    voltage_at_eqe_max_v, luminance_at_eqe_max_cd_m2,
    current_density_at_eqe_max_ma_cm2 : float
        V [V], L [cd/m²] and J [mA/cm²] of the EQE peak.
    luminance_max_cd_m2 : float
        Highest luminance measured. [cd/m²]
    turn_on_v : float
        First voltage from which L stays ≥ ``turn_on_level_cd_m2``. [V]
    current_efficiency_max_cd_a : float
        Peak current efficiency. [cd/A]
    power_efficiency_max_lm_w : float
        Peak power efficiency (Lambertian). [lm/W]
    eqe_at_100_cd_m2_percent, eqe_at_1000_cd_m2_percent : float
        EQE at 100 and 1000 cd/m², interpolated in log L on the rising branch.
        [%]
    luminance_at_half_eqe_max_cd_m2, current_density_at_half_eqe_max_ma_cm2 :
    float
        Roll-off: L [cd/m²] and J [mA/cm²] at which the EQE, after its
        peak, has fallen to half of it (J is the "critical current density").
    eqe_computed_to_file_ratio : float
        Median over the points above turn-on of computed EQE / the file's EQE,
        when both exist.
    eqe_percent_per_cd_a : float
        Spectral factor of the EL spectrum used (at the EQE peak when each
        point has its own spectrum). [% per cd/A]
    turn_on_luminance_cd_m2 : float
        The turn-on threshold used. [cd/m²]
    eqe_source : str
        ``"spectrum"`` (computed), ``"file"`` (the file's EQE column) or
        ``"none"``.
    points : pandas.DataFrame
        One row per measured point: ``voltage_v``, ``current_density_ma_cm2``,
        ``luminance_cd_m2``, ``above_turn_on``, ``eqe_percent`` (the EQE used),
        ``eqe_computed_percent``, ``eqe_file_percent``,
        ``eqe_computed_to_file_ratio``, ``current_efficiency_cd_a``,
        ``power_efficiency_lm_w``, ``eqe_percent_per_cd_a`` (the spectral
        factor of each point), ``spectrum_voltage_v`` (bias of the spectrum
        it used, for a series over bias), ``spectrum_replaced`` (its own
        spectrum was noise), ``data_problem`` (the :data:`DATA_CHECKS` it
        breaks, "" when none).
    warnings : tuple of str
        Why a value is missing, and anything the user must know (the
        messages of ``data_warnings`` included).
    turn_on_level_cd_m2 : float
        The level L stays at or above from turn-on: the threshold, or the
        dark level + 3 σ of the readings outside the emitting range. [cd/m²]
    luminance_dark_cd_m2, luminance_noise_cd_m2 : float
        Median and robust σ (MAD) of those readings; NaN when too few. [cd/m²]
    eqe_spectrum : str
        The device's EQE choice: ``"file"`` (the file's EQE column),
        ``"uploaded"`` (a spectrum given with the sweep), ``"el_series"``
        (the device's EL series) or ``"none"``.
    eqe_basis : str
        One sentence saying where the EQE comes from, shown with the number.
    data_warnings : tuple of DataWarning
        Points that break a physical limit, left out of every maximum.
    """

    label: str
    source: str
    eqe_max_percent: float
    voltage_at_eqe_max_v: float
    luminance_at_eqe_max_cd_m2: float
    current_density_at_eqe_max_ma_cm2: float
    luminance_max_cd_m2: float
    turn_on_v: float
    current_efficiency_max_cd_a: float
    power_efficiency_max_lm_w: float
    eqe_at_100_cd_m2_percent: float
    eqe_at_1000_cd_m2_percent: float
    luminance_at_half_eqe_max_cd_m2: float
    current_density_at_half_eqe_max_ma_cm2: float
    eqe_computed_to_file_ratio: float
    eqe_percent_per_cd_a: float
    turn_on_luminance_cd_m2: float
    eqe_source: str
    points: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()
    turn_on_level_cd_m2: float = float("nan")
    luminance_dark_cd_m2: float = float("nan")
    luminance_noise_cd_m2: float = float("nan")
    eqe_spectrum: str = "none"
    eqe_basis: str = ""
    data_warnings: tuple[DataWarning, ...] = ()
