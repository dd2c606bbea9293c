"""
The library's list as a table: one row per device with its record and its
headline numbers with their uncertainties, and the filters of the Library
page.

The numbers come from each device's current analysis (its stored summary
and :mod:`~core.library.headline`); nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from core.library.records import DeviceSummary

__all__ = [
    "NUMBER_COLUMNS",
    "RANGE_FILTERS",
    "TREND_METRICS",
    "summary_table",
    "filter_table",
]

#: Numeric columns of :func:`summary_table`: column -> (summary or headline key).
NUMBER_COLUMNS: dict[str, tuple[str, str]] = {
    "EQE max [%]": ("summary", "eqe_max_percent"),
    "L max [cd/m²]": ("summary", "luminance_max_cd_m2"),
    "turn-on [V]": ("summary", "turn_on_v"),
    "EL peak [nm]": ("summary", "el_peak_nm"),
    "FWHM [nm]": ("summary", "el_fwhm_nm"),
    "peak shift [nm]": ("summary", "peak_shift_nm"),
    "σ peak shift [nm]": ("headline", "peak_shift_sd_nm"),
    "T50 [h]": ("summary", "t50_h"),
    "± T50 [h]": ("headline", "t50_uncertainty_h"),
    "T50 at reference [h]": ("summary", "t50_at_reference_h"),
    "T50 at reference, low [h]": ("headline", "t50_at_reference_low_h"),
    "T50 at reference, high [h]": ("headline", "t50_at_reference_high_h"),
    "peak shift at T50 [nm]": ("headline", "peak_shift_at_t50_nm"),
    "Δu'v' to BT.2020 red": ("headline", "distance_bt2020_uv"),
    "CIE x": ("summary", "cie_x"),
    "CIE y": ("summary", "cie_y"),
}
#: The ranges the Library page filters on: label -> column.
RANGE_FILTERS = {
    "EQE max [%]": "EQE max [%]",
    "T50 at reference [h]": "T50 at reference [h]",
    "EL peak [nm]": "EL peak [nm]",
}
#: What the trends chart can draw: label -> (column, its uncertainty column
#: or a (low, high) pair of columns, or None).
TREND_METRICS: dict[str, tuple[str, object]] = {
    "EQE max [%]": ("EQE max [%]", None),
    "T50 at reference [h]": (
        "T50 at reference [h]",
        ("T50 at reference, low [h]", "T50 at reference, high [h]"),
    ),
    "peak shift at T50 [nm]": ("peak shift at T50 [nm]", None),
    "peak shift [nm]": ("peak shift [nm]", "σ peak shift [nm]"),
    "Δu'v' to BT.2020 red": ("Δu'v' to BT.2020 red", None),
    "EL peak [nm]": ("EL peak [nm]", None),
}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def summary_table(entries: Sequence[DeviceSummary]) -> pd.DataFrame:
    """
    One row per device: id, record, owner, when saved, and
    :data:`NUMBER_COLUMNS` (NaN where a device has no such number).

    T50 values given as lower bounds (the test stopped above 50 %) keep
    their number; ``T50 is`` says ``measured``, ``extrapolated`` or ``>``.
    """
    rows = []
    for entry in entries:
        record = entry.record
        sources: Mapping[str, Mapping] = {
            "summary": entry.summary or {},
            "headline": entry.headline or {},
        }
        row = {
            "id": entry.id,
            "name": record.name,
            "batch": record.batch,
            "date made": record.date_made,
            "emitter": record.emitter,
            "tags": ", ".join(record.tags),
            "owner": entry.owner,
            "shared": record.visibility == "lab",
            "saved": entry.created_at.replace(microsecond=0),
            "files": entry.n_files,
        }
        for column, (source, key) in NUMBER_COLUMNS.items():
            row[column] = _number(sources[source].get(key))
        kind = (entry.summary or {}).get("t50_kind") or ""
        row["T50 is"] = ">" if (entry.summary or {}).get("t50_qualifier") else kind
        row["software"] = entry.software_version or ""
        rows.append(row)
    columns = [
        "id", "name", "batch", "date made", "emitter", "tags", "owner", "shared",
        "saved", "files", *NUMBER_COLUMNS, "T50 is", "software",
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    for column in NUMBER_COLUMNS:
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    return table


def filter_table(
    table: pd.DataFrame,
    *,
    text: str = "",
    batches: Sequence[str] = (),
    tags: Sequence[str] = (),
    emitters: Sequence[str] = (),
    made: tuple[dt.date | None, dt.date | None] = (None, None),
    ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> pd.DataFrame:
    """
    The rows of :func:`summary_table` that pass every filter given.

    ``text`` is looked for in name, batch, emitter and tags (any case);
    ``batches``, ``tags`` (any of them) and ``emitters`` match exactly;
    ``made`` is a date range (either end open); ``ranges`` maps columns to
    (low, high) bounds, inclusive: a device without that number is left out
    once a bound is set.
    """
    keep = pd.Series(True, index=table.index)
    wanted = text.strip().lower()
    if wanted:
        haystack = (
            table["name"] + " " + table["batch"] + " " + table["emitter"] + " "
            + table["tags"]
        ).str.lower()  # fmt: skip
        keep &= haystack.str.contains(wanted, regex=False)
    if batches:
        keep &= table["batch"].isin(list(batches))
    if emitters:
        keep &= table["emitter"].isin(list(emitters))
    if tags:
        wanted_tags = set(tags)
        keep &= table["tags"].map(
            lambda value: bool(wanted_tags & {t.strip() for t in value.split(",")})
        )
    first, last = made
    dates = table["date made"]
    if first is not None:
        keep &= dates.map(lambda d: d is not None and not pd.isna(d) and d >= first)
    if last is not None:
        keep &= dates.map(lambda d: d is not None and not pd.isna(d) and d <= last)
    for column, (low, high) in (ranges or {}).items():
        values = table[column]
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
    return table.loc[keep.astype(bool)]
