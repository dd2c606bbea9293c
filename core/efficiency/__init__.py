"""
External quantum efficiency, current and power efficiency, turn-on, roll-off.

The EQE of an LED whose rig logs only J, V and L is computed from the
luminance, the current density and the measured EL spectrum, assuming a
Lambertian emitter (docs/methods.md §3):

    EQE = π q L / (Km h c J) · ∫ S(λ) λ dλ / ∫ S(λ) V(λ) dλ,   Km = 683 lm/W

with L in cd/m², J in A/m² and λ in m. The spectral factor must be integrated
over the measured spectrum: V(λ) at the peak alone overstates the EQE of a
638/32 nm red emitter by 10.6 %. Points outside the emitting range (before
the luminance stays above the threshold and the meter's noise) and points that
break a physical limit are never used for a maximum.

Modules
-------
formulas
    Closed forms: EQE, its spectral factor, current and power efficiency.
turn_on
    The turn-on rule and the emitting range every maximum is taken over.
spectral
    The EL spectrum each point uses, its spectral factor, checks on it.
rolloff
    EQE at 100 and 1000 cd/m², roll-off to half the EQE maximum.
result
    :class:`EfficiencyResult`, :data:`SUMMARY_KEYS`, :data:`POINT_COLUMNS`.
checks
    Physical limits (EQE ≤ 100 %, PE ≤ 683 lm/W, CE ≤ its 100 % EQE value,
    J > 0 in forward bias) as checks of the data.
metrics
    :func:`efficiency_metrics`: everything about one sweep, step by step.
device
    :func:`device_efficiency`: a device's one EQE, with the spectrum its
    user chose (:func:`eqe_choice`); every page, the report and the CLI call
    it.
tables
    The CLI's JSON record, long and batch tables, batch statistics, and the
    Efficiency page's sweep helpers.

Every public name is importable from ``core.efficiency``.

References
----------
S. R. Forrest, D. D. C. Bradley, M. E. Thompson, "Measuring the efficiency of
organic light-emitting devices," Adv. Mater. 15, 1043 (2003),
doi:10.1002/adma.200302151.

M. Anaya et al., "Best practices for measuring emerging light-emitting diode
technologies," Nat. Photonics 13, 818 (2019), doi:10.1038/s41566-019-0543-y.
"""

from __future__ import annotations

from core.efficiency.checks import CE_MAX_ANY_LIGHT_CD_A
from core.efficiency.device import (
    EQE_SPECTRUM_LABELS,
    EqeChoice,
    available_eqe_spectra,
    device_efficiency,
    device_el_spectrum,
    eqe_choice,
)
from core.efficiency.formulas import (
    LUMINOUS_EFFICACY_MAX_LM_W,
    current_efficiency_cd_a,
    eqe_percent,
    eqe_percent_per_cd_a,
    power_efficiency_lm_w,
)
from core.efficiency.metrics import efficiency_metrics
from core.efficiency.result import (
    DATA_CHECKS,
    POINT_COLUMNS,
    SUMMARY_KEYS,
    DataWarning,
    EfficiencyResult,
)
from core.efficiency.spectral import CLEAN_SPECTRUM_MIN_SNR, NOISY_SPECTRUM_RULES
from core.efficiency.tables import (
    batch_statistics,
    batch_table,
    points_table,
    summary_record,
    sweep_notes,
    unique_labels,
)
from core.efficiency.turn_on import NOISE_K, turn_on_voltage_v

__all__ = [
    "LUMINOUS_EFFICACY_MAX_LM_W",
    "CE_MAX_ANY_LIGHT_CD_A",
    "CLEAN_SPECTRUM_MIN_SNR",
    "NOISY_SPECTRUM_RULES",
    "NOISE_K",
    "SUMMARY_KEYS",
    "POINT_COLUMNS",
    "DATA_CHECKS",
    "DataWarning",
    "EfficiencyResult",
    "EQE_SPECTRUM_LABELS",
    "EqeChoice",
    "available_eqe_spectra",
    "device_el_spectrum",
    "eqe_choice",
    "device_efficiency",
    "eqe_percent_per_cd_a",
    "eqe_percent",
    "current_efficiency_cd_a",
    "power_efficiency_lm_w",
    "turn_on_voltage_v",
    "efficiency_metrics",
    "summary_record",
    "points_table",
    "batch_table",
    "batch_statistics",
    "unique_labels",
    "sweep_notes",
]
