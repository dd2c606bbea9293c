"""
The long tables behind the lifetime charts (also the CSV downloads).

One row per reading, per bin, per model point, per T-value or per test, each
with the device and test names; :mod:`core.figures.lifetime` turns them into
charts and re-exports these builders.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.lifetime import LifetimeResult
from core.models import LifetimeLog

__all__ = [
    "Item",
    "readings_frame",
    "binned_frame",
    "model_frame",
    "thresholds_frame",
    "acceleration_frame",
]

#: (device name, log, its result) for every test shown.
Item = tuple[str, LifetimeLog, LifetimeResult]


def _test_name(log: LifetimeLog, result: LifetimeResult) -> str:
    return result.label or log.label or log.source


def readings_frame(
    items: Sequence[Item], max_points: int | None = None
) -> pd.DataFrame:
    """
    Every reading: device, test, time_h, fraction (L/L0), model, residual, voltage.

    Parameters
    ----------
    items : sequence of (str, LifetimeLog, LifetimeResult)
        Device name, log and result of each test.
    max_points : int, optional
        Keep at most this many readings per test (evenly strided, first and
        last kept) for drawing; None keeps all (the CSV download).

    Returns
    -------
    pandas.DataFrame
    """
    frames = []
    for device, log, result in items:
        time = np.asarray(log.time_h, dtype=float)
        fraction = np.asarray(log.luminance_cd_m2, dtype=float) / result.first_reading
        model = (
            result.fit.fraction_at(time)
            if result.fit is not None
            else np.full(time.size, np.nan)
        )
        voltage = (
            np.asarray(log.voltage_v, dtype=float)
            if log.voltage_v is not None
            else np.full(time.size, np.nan)
        )
        index = np.arange(time.size)
        if max_points is not None and time.size > max_points:
            index = np.unique(np.r_[np.linspace(0, time.size - 1, max_points).round()])
            index = index.astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "device": device,
                    "test": _test_name(log, result),
                    "time_h": time[index],
                    "fraction": fraction[index],
                    "model_fraction": model[index],
                    "residual": (fraction - model)[index],
                    "voltage_v": voltage[index],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else _empty_readings()


def _empty_readings() -> pd.DataFrame:
    columns = ["device", "test", "time_h", "fraction", "model_fraction", "residual"]
    return pd.DataFrame(columns=[*columns, "voltage_v"])


def binned_frame(items: Sequence[Item]) -> pd.DataFrame:
    """The log-time-binned L/L0 the T-values were read on, per test."""
    frames = [
        pd.DataFrame(
            {
                "device": device,
                "test": _test_name(log, result),
                "time_h": result.binned_time_h,
                "fraction": result.binned_fraction,
            }
        )
        for device, log, result in items
    ]
    if not frames:
        return pd.DataFrame(columns=["device", "test", "time_h", "fraction"])
    return pd.concat(frames, ignore_index=True)


def model_frame(items: Sequence[Item], n_points: int = 200) -> pd.DataFrame:
    """
    The fitted model per test, over the data and on to any extrapolated T-value.

    ``segment`` is ``"fit"`` within the test and ``"extrapolation"`` beyond it.
    """
    frames = []
    for device, log, result in items:
        fit = result.fit
        if fit is None:
            continue
        end = float(log.time_h[-1])
        times = [
            item.time_h for item in result.thresholds if item.kind == "extrapolated"
        ]
        far = max([end, *[t for t in times if np.isfinite(t)]])
        start = max(fit.start_h, float(log.time_h[0]))
        inside = np.linspace(start, end, n_points)
        parts = [("fit", inside)]
        if far > end:
            parts.append(("extrapolation", np.linspace(end, far, n_points // 2)))
        for segment, t in parts:
            frames.append(
                pd.DataFrame(
                    {
                        "device": device,
                        "test": _test_name(log, result),
                        "segment": segment,
                        "time_h": t,
                        "fraction": fit.fraction_at(t),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=["device", "test", "segment", "time_h", "fraction"])
    return pd.concat(frames, ignore_index=True)


def thresholds_frame(items: Sequence[Item], include_from_max: bool = False):
    """
    One row per T-value: device, test, name, level (L/L0), time_h, kind.

    ``level`` is the height the T-value is read at (x, x · L_max/L0 for
    values counted from L_max, x · m(0) with L0 from the model), so markers
    sit on the curve. A value beyond the extrapolation cap has no time and is
    not drawn. Values counted
    from L_max are added with ``include_from_max``.
    """
    rows = []
    for device, log, result in items:
        pools = [(result.thresholds, 1.0)]
        if include_from_max and result.thresholds_from_max:
            pools.append((result.thresholds_from_max, result.l_max_fraction))
        for pool, scale in pools:
            for item in pool:
                suffix = "" if item.counted_from == "initial" else " (from L_max)"
                rows.append(
                    {
                        "device": device,
                        "test": _test_name(log, result),
                        "name": item.name + suffix,
                        "fraction": item.fraction,
                        "level": (
                            item.level
                            if np.isfinite(item.level)
                            else item.fraction * scale
                        ),
                        "time_h": item.time_h,
                        "uncertainty_h": item.uncertainty_h,
                        "kind": item.kind,
                        "counted_from": item.counted_from,
                    }
                )
    columns = ["device", "test", "name", "fraction", "level", "time_h"]
    columns += ["uncertainty_h", "kind", "counted_from"]
    return pd.DataFrame(rows, columns=columns)


def acceleration_frame(items: Sequence[Item], stress: str = "luminance"):
    """
    One row per test: device, test, stress value, T50, its kind.

    ``stress`` is ``"luminance"`` (L0) or ``"current_density"`` (median J).
    """
    rows = []
    for device, log, result in items:
        value = (
            result.initial_luminance_cd_m2
            if stress == "luminance"
            else result.current_density_ma_cm2
        )
        rows.append(
            {
                "device": device,
                "test": _test_name(log, result),
                "stress": np.nan if value is None else float(value),
                "t50_h": result.t50_h,
                "t50_uncertainty_h": result.threshold(0.5).uncertainty_h,
                "kind": result.t50_kind,
            }
        )
    columns = ["device", "test", "stress", "t50_h", "t50_uncertainty_h", "kind"]
    return pd.DataFrame(rows, columns=columns)
