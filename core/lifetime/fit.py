"""
A decay model fitted to ℓ(t) with scipy.optimize.curve_fit.

The model (a key of :data:`core.lifetime.models.DECAY_MODELS`) gives the
thresholds a test never reached, with their uncertainty from the covariance.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from core.errors import InputError
from core.lifetime.models import DECAY_MODELS, _check_method, _weibull_line
from core.lifetime.reduction import log_time_bins

__all__ = ["DecayFit", "fit_decay"]

# Highest |ℓ| a decay model is fitted to (the amplitudes are bounded by 10).
_MAX_FRACTION = 100.0


@dataclass(frozen=True)
class DecayFit:
    """
    A decay model fitted to ℓ(t) with scipy.optimize.curve_fit.

    The model describes ℓ(t) = m(t − start_h) for t ≥ ``start_h`` (the
    maximum of a device that brightens first, else the start of the test).

    Attributes
    ----------
    method : str
        Key of :data:`DECAY_MODELS`.
    parameters : dict
        Fitted parameters (times in [h], amplitudes and β in [-]).
    uncertainties : dict
        One standard deviation of each parameter, from the covariance.
    start_h : float
        Time origin of the model. [h]
    r_squared : float
        Coefficient of determination on the fitted readings. [-]
    rmse_fraction : float
        Root-mean-square residual in ℓ. [-]
    weibull_r_squared : float
        R² of ln(−ln ℓ) against ln t on the binned data: near 1 when a
        stretched exponential holds. [-]
    weibull_slope : float
        Slope of that line (the model-free β). [-]
    n_points : int
        Readings used.
    covariance : numpy.ndarray
        Parameter covariance matrix.
    warnings : tuple of str
        What the user should know about this fit.
    scale_sensitivity : numpy.ndarray
        d(parameters)/dδ when the normalising first reading L0 is off by a
        relative δ: every fitted ℓ but L0's own (ℓ = 1) moves by −δ·ℓ
        (linearised least squares, (JᵀJ)⁺Jᵀ). Empty when unknown.
    """

    method: str
    parameters: dict
    uncertainties: dict
    start_h: float
    r_squared: float
    rmse_fraction: float
    weibull_r_squared: float
    weibull_slope: float
    n_points: int
    covariance: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    warnings: tuple[str, ...] = ()
    scale_sensitivity: np.ndarray = field(
        repr=False, default_factory=lambda: np.zeros(0)
    )

    @property
    def aic(self) -> float:
        """Akaike information criterion n·ln(SSE/n) + 2k of the fit. [-]"""
        n = self.n_points
        sse = self.rmse_fraction**2 * n
        if n <= 0 or not sse > 0:
            return -math.inf if n > 0 else math.nan
        return n * math.log(sse / n) + 2 * len(self.parameters)

    @property
    def initial_fraction(self) -> float:
        """ℓ of the model at its own start, ``start_h`` (the model's L0). [-]"""
        return float(DECAY_MODELS[self.method].function(0.0, *self._values))

    @property
    def _values(self) -> tuple[float, ...]:
        names = DECAY_MODELS[self.method].parameter_names
        return tuple(float(self.parameters[k]) for k in names)

    def fraction_at(self, time_h) -> np.ndarray:
        """Model ℓ at ``time_h`` [h]; NaN before ``start_h``."""
        t = np.asarray(time_h, dtype=float)
        model = DECAY_MODELS[self.method]
        values = model.function(t - self.start_h, *self._values)
        return np.where(t >= self.start_h, values, np.nan)

    def _scale_h(self, values) -> float:
        names = DECAY_MODELS[self.method].parameter_names
        return max(
            float(v) for k, v in zip(names, values, strict=True) if k.endswith("_h")
        )

    def _time_at(self, fraction: float, values, relative: bool) -> float:
        """Delay [h] after ``start_h`` to ℓ = x, or to x · m(0) when ``relative``."""
        model = DECAY_MODELS[self.method]
        level = float(fraction)
        if relative:
            level *= float(model.function(0.0, *values))
        return model.time_to_fraction(level, tuple(values), self._scale_h(values))

    def time_to_fraction_h(self, fraction: float, relative: bool = False) -> float:
        """
        Time [h] since the start of the test at which the model reaches x.

        ``relative=True`` reads x relative to the model's own start value
        m(0) (L0 from the model) instead of ℓ = x.
        """
        return self.start_h + self._time_at(fraction, self._values, relative)

    def time_gradient(
        self, fraction: float, relative: bool = False
    ) -> tuple[float, np.ndarray]:
        """
        :meth:`time_to_fraction_h` and its gradient over the parameters.

        Forward differences with steps of 10⁻⁶ of each parameter. [h], [h/unit]
        """
        values = np.array(self._values)
        base = self._time_at(fraction, values, relative)
        gradient = np.full(values.size, np.nan)
        if not np.isfinite(base):
            return math.nan, gradient
        for i in range(values.size):
            step = 1e-6 * max(abs(values[i]), 1e-12)
            shifted = values.copy()
            shifted[i] += step
            gradient[i] = (self._time_at(fraction, shifted, relative) - base) / step
        return self.start_h + base, gradient

    def time_uncertainty_h(self, fraction: float, relative: bool = False) -> float:
        """One standard deviation of :meth:`time_to_fraction_h` (delta method)."""
        cov = np.asarray(self.covariance, dtype=float)
        n = len(self.parameters)
        if cov.shape != (n, n) or not np.all(np.isfinite(cov)):
            return math.nan
        base, gradient = self.time_gradient(fraction, relative)
        if not np.isfinite(base):
            return math.nan
        variance = float(gradient @ cov @ gradient)
        return math.sqrt(variance) if variance >= 0 else math.nan


def _bounds(model, duration_h: float) -> tuple[np.ndarray, np.ndarray]:
    """The model's bounds, with those on times scaled by the test duration."""
    lower = np.array(model.lower_bounds, dtype=float)
    upper = np.array(model.upper_bounds, dtype=float)
    for k, name in enumerate(model.parameter_names):
        if name.endswith("_h"):
            lower[k] = duration_h * 1e-9
            upper[k] = duration_h * 1e9
    return lower, upper


def _best_curve_fit(model, method: str, t_fit, f_fit, binned, duration_h: float):
    """(params, covariance, SSE) of the best start value; InputError if none."""
    bin_t, bin_f = binned
    best = None
    errors = []
    for guess in model.initial_guesses(bin_t, bin_f, duration_h):
        lower, upper = _bounds(model, duration_h)
        p0 = np.clip(np.asarray(guess, dtype=float), lower * 1.0001, upper * 0.9999)
        try:
            # An undetermined covariance is reported by the caller, as a
            # warning on the fit, not as a Python warning. Readings near the
            # float limits (hostile files) overflow inside the optimiser; such
            # a start ends with a non-finite SSE and is dropped below.
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", optimize.OptimizeWarning)
                params, cov = optimize.curve_fit(
                    model.function,
                    t_fit,
                    f_fit,
                    p0=p0,
                    jac=model.jacobian,
                    bounds=(lower, upper),
                    method="trf",
                    ftol=1e-14,
                    xtol=1e-14,
                    gtol=1e-14,
                    max_nfev=20000,
                )
        except (RuntimeError, ValueError) as error:
            errors.append(str(error))
            continue
        with np.errstate(all="ignore"):
            sse = float(np.sum((model.function(t_fit, *params) - f_fit) ** 2))
        if not np.isfinite(sse) or not np.all(np.isfinite(params)):
            errors.append("the fit overflowed: the readings span too wide a range")
            continue
        if best is None or sse < best[2]:
            best = (params, cov, sse)
        if method != "biexponential":
            # The Weibull-line start is close; later guesses are fallbacks.
            break
    if best is None:
        raise InputError(
            f"The {method} model could not be fitted to this decay "
            f"({errors[-1] if errors else 'no start values'}); try another model."
        )
    return best


def _order_biexponential(params, cov, messages: list[str]):
    """Fast channel first; a message when the two channels collapse into one."""
    if params[1] > params[3]:
        params = params[[2, 3, 0, 1]]
        cov = cov[np.ix_([2, 3, 0, 1], [2, 3, 0, 1])]
    total = params[0] + params[2]
    if min(params[0], params[2]) < 0.01 * total or params[3] < 1.05 * params[1]:
        messages.append(
            "The two biexponential channels collapse into one (an amplitude "
            "below 1 % or equal time constants): the data hold a single decay; "
            "use the exponential or stretched-exponential model."
        )
    return params, cov


def fit_decay(
    time_h,
    fraction,
    *,
    method: str = "stretched-exponential",
    start_h: float | None = None,
) -> DecayFit:
    """
    Fit a decay model to ℓ(t).

    Parameters
    ----------
    time_h : array_like
        (K,) time. [h]
    fraction : array_like
        (K,) ℓ = L/L0. [-]
    method : str
        ``"stretched-exponential"`` (default), ``"biexponential"`` or
        ``"exponential"``; see :data:`DECAY_MODELS`.
    start_h : float, optional
        Fit only t ≥ ``start_h`` and count the model's time from there
        (the maximum of a device that brightens first). Default: first time.

    Returns
    -------
    DecayFit

    Raises
    ------
    InputError
        Unknown method, too few readings, or a fit that does not converge.

    Examples
    --------
    >>> from core.lifetime import stretched_exponential
    >>> t = np.linspace(0, 300, 301)
    >>> fit = fit_decay(t, stretched_exponential(t, 100.0, 0.6))
    >>> round(fit.parameters["tau_h"], 6), round(fit.parameters["beta"], 6)
    (100.0, 0.6)
    """
    model = _check_method(method)
    t = np.asarray(time_h, dtype=float)
    f = np.asarray(fraction, dtype=float)
    good = np.isfinite(t) & np.isfinite(f)
    t, f = t[good], f[good]
    start = float(t[0]) if start_h is None else float(start_h)
    keep = t >= start
    t_fit, f_fit = t[keep] - start, f[keep]
    n_params = len(model.parameter_names)
    if t_fit.size < n_params + 2:
        raise InputError(
            f"The {method} model needs at least {n_params + 2} readings after "
            f"{start:g} h; the log has {t_fit.size}."
        )
    highest = float(np.max(np.abs(f_fit)))
    if highest > _MAX_FRACTION:
        # The models' amplitudes are bounded by 10: such readings cannot be
        # fitted, and the optimiser would only spend its evaluations trying.
        raise InputError(
            f"L/L0 reaches {highest:.3g} after {start:g} h: the first reading is "
            f"far below the others (expected L/L0 up to {_MAX_FRACTION:g}); the "
            f"{method} model is not fitted."
        )
    duration = float(t_fit[-1]) if t_fit[-1] > 0 else 1.0
    bin_t, bin_f, _ = log_time_bins(t_fit, f_fit)
    params, cov, sse = _best_curve_fit(
        model, method, t_fit, f_fit, (bin_t, bin_f), duration
    )
    messages: list[str] = []
    if method == "biexponential":
        params, cov = _order_biexponential(params, cov, messages)
    # The first reading normalises ℓ (ℓ = 1 there); it sits in the fit when
    # the model starts at the first reading.
    normaliser_fitted = bool(good[0] and keep[0])
    sensitivity = _scale_sensitivity(model, params, t_fit, normaliser_fitted)
    fitted = (params, cov, sse)
    fit = _decay_fit(method, fitted, t_fit, f_fit, (bin_t, bin_f), start, messages)
    return dataclasses.replace(fit, scale_sensitivity=sensitivity)


def _scale_sensitivity(model, params, t_fit, normaliser_fitted: bool) -> np.ndarray:
    """
    d(parameters)/dδ when every fitted ℓ but the normaliser's moves by −δ·ℓ.

    Linearised least squares: Δp = (JᵀJ)⁺ Jᵀ Δy with Δy = −δ·m(t) (0 at the
    normalising reading, whose ℓ is 1 whatever L0 is). For a model closed
    under scaling, without the normaliser in the fit, this is −A along the
    amplitude: the whole curve scales.
    """
    if model.jacobian is None:
        return np.zeros(0)
    # Extreme parameters of hostile files overflow here; the result is then
    # not finite, which the callers treat as "sensitivity unknown".
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        jacobian = np.asarray(model.jacobian(t_fit, *params), dtype=float)
        shift = -np.asarray(model.function(t_fit, *params), dtype=float)
    if normaliser_fitted and shift.size:
        shift[0] = 0.0
    if not (np.all(np.isfinite(jacobian)) and np.all(np.isfinite(shift))):
        return np.full(len(params), np.nan)
    solution, *_ = np.linalg.lstsq(jacobian, shift, rcond=None)
    return np.asarray(solution, dtype=float)


def _decay_fit(method, fitted, t_fit, f_fit, binned, start, messages) -> DecayFit:
    """The :class:`DecayFit` of fitted parameters: R², RMSE, Weibull line."""
    params, cov, sse = fitted
    bin_t, bin_f = binned
    with np.errstate(over="ignore"):  # inf for readings near the float limit
        sst = float(np.sum((f_fit - f_fit.mean()) ** 2))
    r_squared = 1.0 - sse / sst if 0 < sst < math.inf else math.nan
    rmse = math.sqrt(sse / t_fit.size)
    errors_1sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    if not np.all(np.isfinite(cov)):
        messages.append(
            f"The {method} parameters are not all determined by these data "
            "(infinite covariance): their uncertainties are unknown."
        )
    level = bin_f[0] if bin_f.size else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):  # NaN: left out below
        normalised = bin_f / level
    slope, _, weibull_r2, _ = _weibull_line(bin_t, normalised)
    names = DECAY_MODELS[method].parameter_names
    return DecayFit(
        method=method,
        parameters={k: float(v) for k, v in zip(names, params, strict=True)},
        uncertainties={k: float(v) for k, v in zip(names, errors_1sd, strict=True)},
        start_h=start,
        r_squared=float(r_squared),
        rmse_fraction=float(rmse),
        weibull_r_squared=weibull_r2,
        weibull_slope=slope,
        n_points=int(t_fit.size),
        covariance=np.array(cov, dtype=float),
        warnings=tuple(messages),
    )
