"""
Operational lifetime: T95...T50, decay models and the acceleration factor.

A lifetime log is reduced to ℓ(t) = L(t)/L0 (L0: the first reading). T_x is the
first time ℓ ≤ x, read on log-time-binned data and linearly interpolated
between bins, which removes most of the early bias a raw first crossing has on
noisy data (docs/methods.md §4). Thresholds the test never reached come from a
decay model and are labelled ``"extrapolated"``, with an uncertainty that
carries the fit, the noise of L0 and the model choice; beyond 6x the test
duration (IES TM-21 practice) they are ``"beyond cap"`` and not reported
unless asked for. Lifetimes are converted to a reference luminance with
L0^n · T = const, except within 5 % of it (:data:`REFERENCE_TOLERANCE`).

Modules
-------
models
    Decay model functions, their inverses and Jacobians; :data:`DECAY_MODELS`.
reduction
    ℓ = L/L0, reading noise, log-time bins, first crossings.
fit
    :class:`DecayFit` and :func:`fit_decay`.
acceleration
    L0^n · T = const: conversion, the fitted exponent and the rule for when
    it is fitted (:func:`acceleration_fits`).
thresholds
    T-values on the binned curve, measured or extrapolated (:class:`ThresholdTime`).
uncertainty
    What a T-value's 1σ holds: reference and curve noise (measured); fit,
    L0 noise and model choice (extrapolated); :func:`compare_models`.
metrics
    :func:`lifetime_metrics`: everything about one test (:class:`LifetimeResult`).
summary
    The CLI's JSON summary and the page's tables.

Every public name is importable from ``core.lifetime``.

References
----------
.. [1] docs/methods.md §4 (project design notes): L0^n · T50 = const, n ≈ 1.5–2 for
   OLED/QLED/PeLED devices; noise, binning and extrapolation pitfalls.
.. [2] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation
   behaviour arising from a simple empirical decay function," Trans. Faraday
   Soc. 66, 80–85 (1970), doi:10.1039/TF9706600080.
.. [3] C. Féry, B. Racine, D. Vaufrey, H. Doyeux and S. Cinà, "Physical
   mechanism responsible for the stretched exponential decay behavior of aging
   organic light-emitting diodes," Appl. Phys. Lett. 87, 213502 (2005),
   doi:10.1063/1.2133922.
.. [4] Illuminating Engineering Society, "IES TM-21-11: Projecting long term
   lumen maintenance of LED light sources" (2011): projections are limited to
   6x the test duration.
"""

from __future__ import annotations

from core.lifetime.acceleration import (
    ACCELERATION_BAND_N,
    DEFAULT_ACCELERATION_N,
    MIN_ACCELERATION_STRESSES,
    REFERENCE_TOLERANCE,
    STRESS_UNITS,
    AccelerationFit,
    DeviceAcceleration,
    ReferenceLifetime,
    acceleration_factor,
    acceleration_fits,
    at_reference_stress,
    convert_lifetime,
    fit_acceleration_exponent,
    lifetime_at_luminance_h,
    lifetime_at_reference_h,
)
from core.lifetime.fit import DecayFit, fit_decay
from core.lifetime.metrics import LifetimeResult, lifetime_metrics
from core.lifetime.models import (
    DECAY_METHODS,
    DECAY_MODELS,
    biexponential,
    exponential,
    stretched_exponential,
    stretched_exponential_time_h,
)
from core.lifetime.reduction import (
    first_crossing_h,
    log_time_bins,
    noise_fraction,
    relative_luminance,
)
from core.lifetime.summary import (
    BEYOND_CAP_TEXT,
    decay_fit_table,
    lifetime_summary,
    lifetime_table,
    reference_t50_table,
    t50_notice,
    t_value_text,
)
from core.lifetime.thresholds import (
    EXTRAPOLATION_LIMIT,
    STANDARD_FRACTIONS,
    T_KINDS,
    ThresholdTime,
)
from core.lifetime.uncertainty import (
    MODEL_CHOICE_DELTA_AIC,
    MODEL_CHOICE_MAX_READINGS,
    ModelCandidate,
    compare_models,
)

__all__ = [
    "DEFAULT_ACCELERATION_N",
    "ACCELERATION_BAND_N",
    "MIN_ACCELERATION_STRESSES",
    "STANDARD_FRACTIONS",
    "EXTRAPOLATION_LIMIT",
    "T_KINDS",
    "REFERENCE_TOLERANCE",
    "MODEL_CHOICE_DELTA_AIC",
    "MODEL_CHOICE_MAX_READINGS",
    "BEYOND_CAP_TEXT",
    "DECAY_MODELS",
    "DECAY_METHODS",
    "STRESS_UNITS",
    "acceleration_factor",
    "lifetime_at_luminance_h",
    "lifetime_at_reference_h",
    "at_reference_stress",
    "stretched_exponential",
    "stretched_exponential_time_h",
    "biexponential",
    "exponential",
    "relative_luminance",
    "noise_fraction",
    "log_time_bins",
    "first_crossing_h",
    "DecayFit",
    "fit_decay",
    "ModelCandidate",
    "compare_models",
    "t_value_text",
    "t50_notice",
    "ThresholdTime",
    "ReferenceLifetime",
    "convert_lifetime",
    "AccelerationFit",
    "fit_acceleration_exponent",
    "DeviceAcceleration",
    "acceleration_fits",
    "LifetimeResult",
    "lifetime_metrics",
    "lifetime_summary",
    "lifetime_table",
    "reference_t50_table",
    "decay_fit_table",
]
