"""
Photophysics of the emitter: PL lifetimes, exciton binding energy, Urbach
energy and PLQY from the emitter's own measurements.

- :mod:`~core.photophysics.trpl`: 1–3 exponential fits of TCSPC decays
  (reconvolution with an IRF or tail fit), Poisson maximum likelihood.
- :mod:`~core.photophysics.tdpl`: integrated PL against temperature (Arrhenius,
  one or two channels), peak and FWHM against temperature (phonon broadening).
- :mod:`~core.photophysics.absorption`: excitonic peak, Urbach energy, Tauc plot.
- :mod:`~core.photophysics.plqy`: integrating-sphere PLQY (de Mello) or by hand.
- :mod:`~core.photophysics.io`: readers (TCSPC exports, absorbance, sphere
  spectra, temperature series); :mod:`~core.photophysics.writers` writes
  containers back as tables those readers read value for value.
- :mod:`~core.photophysics.runs`: one measurement's files and settings
  (:class:`core.models.PhotophysicsInput`) to its results, the path the page,
  the report and the device library share.

Formulas, references and measured recovery/coverage: docs/methods.md,
"Photophysics".
"""

from core.photophysics.absorption import (
    TAUC_CAVEAT,
    AbsorptionResult,
    absorption_analysis,
    excitonic_peak,
    tauc_fit,
    urbach_fit,
)
from core.photophysics.io import (
    read_absorbance,
    read_decay,
    read_decays,
    read_sphere,
    read_temperature_series,
    split_irf,
)
from core.photophysics.models import AbsorbanceSpectrum, DecayCurve, SphereMeasurement
from core.photophysics.plqy import PLQYResult, plqy_de_mello, plqy_entered
from core.photophysics.runs import (
    KIND_ROLES,
    KINDS,
    PhotophysicsResult,
    analyse_input,
    kind_settings,
)
from core.photophysics.tdpl import (
    K_B_MEV_PER_K,
    ArrheniusFit,
    PhononFit,
    TDPLResult,
    fit_arrhenius,
    fit_phonon_broadening,
    tdpl_analysis,
)
from core.photophysics.trpl import (
    ComponentComparison,
    DecayFit,
    compare_components,
    fit_decay,
)
from core.photophysics.trpl_result import DECAY_KEYS, decay_table
from core.photophysics.writers import (
    absorbance_file_bytes,
    decay_file_bytes,
    series_file_bytes,
    spectrum_file_bytes,
)

__all__ = [
    "AbsorbanceSpectrum",
    "AbsorptionResult",
    "ArrheniusFit",
    "ComponentComparison",
    "DECAY_KEYS",
    "DecayCurve",
    "DecayFit",
    "KINDS",
    "KIND_ROLES",
    "K_B_MEV_PER_K",
    "PLQYResult",
    "PhotophysicsResult",
    "PhononFit",
    "SphereMeasurement",
    "TAUC_CAVEAT",
    "TDPLResult",
    "absorbance_file_bytes",
    "absorption_analysis",
    "analyse_input",
    "compare_components",
    "decay_file_bytes",
    "decay_table",
    "excitonic_peak",
    "fit_arrhenius",
    "fit_decay",
    "fit_phonon_broadening",
    "kind_settings",
    "plqy_de_mello",
    "plqy_entered",
    "read_absorbance",
    "read_decay",
    "read_decays",
    "read_sphere",
    "read_temperature_series",
    "series_file_bytes",
    "spectrum_file_bytes",
    "split_irf",
    "tauc_fit",
    "tdpl_analysis",
    "urbach_fit",
]
