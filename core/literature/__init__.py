"""
The curated literature table of pure-red PeLEDs: load, validate, normalise, rank.

The table lives in ``literature/pure_red_peleds.csv`` and its codebook in
``literature/schema.csv`` (``column,type,unit,required,allowed,description``).
Every function here is pure: a frame in, a new frame out; inputs are never
mutated.

References
----------
.. [1] ITU-R BT.2020-2, "Parameter values for ultra-high definition television
   systems", 2015: red primary (x, y) = (0.708, 0.292), taken here from
   colour-science's ``RGB_COLOURSPACE_BT2020``.
.. [2] METHODS.md §4 (project design notes): L0^n · T50 = const for lifetime
   normalisation, implemented in :mod:`core.lifetime`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.colorimetry import BT2020_RED_XY
from core.errors import InputError
from core.lifetime import lifetime_at_luminance_h

__all__ = [
    "BT2020_RED_XY",
    "DEFAULT_SCHEMA_PATH",
    "DEFAULT_TABLE_PATH",
    "MEASURED_TOLERANCE",
    "RANK_METRICS",
    "RankMetric",
    "bibtex",
    "bibtex_file",
    "cie_distance_to_bt2020_red",
    "citation",
    "device_t50_ref_h",
    "filter_table",
    "filter_years",
    "load_schema",
    "load_table",
    "merge_user_rows",
    "normalised_t50_h",
    "rank_device",
    "rank_devices",
    "read_csv_rows",
    "table_with_t50_and_links",
    "validate_table",
]

_LITERATURE_DIR = Path(__file__).resolve().parents[1] / "literature"
#: The bundled curated table.
DEFAULT_TABLE_PATH = _LITERATURE_DIR / "pure_red_peleds.csv"
#: The bundled codebook.
DEFAULT_SCHEMA_PATH = _LITERATURE_DIR / "schema.csv"

#: Relative band around the reference luminance inside which a T50 counts as
#: measured at the reference (102 cd/m² is "at 100 cd/m²") and is not converted.
MEASURED_TOLERANCE = 0.05

_DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_RECORD_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_RANGE_PATTERN = re.compile(r"^\s*(-?[\d.eE+]+)\s*\.\.\s*(-?[\d.eE+]+)\s*$")
_VOLUME_PAGES_PATTERN = re.compile(r"^\s*(\d+)\s*(?:\((\w+)\))?\s*(?:,\s*(.+?))?\s*$")
_MAX_USER_BYTES = 5_000_000


@dataclass(frozen=True)
class RankMetric:
    """
    One figure of merit a device is ranked on.

    Parameters
    ----------
    name : str
        Column name in the ranking output (and in the table, where it exists).
    label : str
        Human-readable label.
    unit : str
        Unit of the value, '' when dimensionless.
    higher_is_better : bool
        Direction of "better".
    """

    name: str
    label: str
    unit: str
    higher_is_better: bool


#: The metrics :func:`rank_device` ranks on, in output order.
RANK_METRICS: tuple[RankMetric, ...] = (
    RankMetric("eqe_max_percent", "Maximum EQE", "%", True),
    RankMetric("t50_ref_h", "T50 at the reference luminance", "h", True),
    RankMetric("luminance_max_cd_m2", "Maximum luminance", "cd/m²", True),
    RankMetric("cie_distance_bt2020_red", "CIE xy distance to BT.2020 red", "", False),
)


# --------------------------------------------------------------------------
# Reading and validation
# --------------------------------------------------------------------------


def read_csv_rows(text: str, source: str) -> tuple[pd.DataFrame, list[int]]:
    """
    Parse CSV text into a frame of strings and the file line of every row.

    Parameters
    ----------
    text : str
        The whole CSV text, header first.
    source : str
        File name used in error messages.

    Returns
    -------
    frame : pandas.DataFrame
        One column per header field, every cell a ``str`` ('' when blank).
    line_numbers : list of int
        1-based line in the file where each row starts.

    Raises
    ------
    InputError
        Empty text, a header with empty or duplicate names, or a row with more
        fields than the header.
    """
    if not text.strip():
        raise InputError(
            f"{source} is empty: expected a CSV table with a header line.",
            source=source,
        )
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as error:
        raise InputError(
            f"{source}, line 1: the header could not be read as CSV ({error}).",
            source=source,
            line=1,
        ) from error
    if len(header) == 1:
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header[0]:
                raise InputError(
                    f"{source}, line 1: the header is separated by {name}; "
                    "expected a comma-separated (CSV) table.",
                    source=source,
                    line=1,
                )
    if any(not name for name in header):
        raise InputError(
            f"{source}, line 1: the header has an empty column name; every column "
            "needs a name from literature/schema.csv.",
            source=source,
            line=1,
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(
            f"{source}, line 1: column {duplicated[0]!r} appears more than once in "
            "the header.",
            source=source,
            line=1,
            column=duplicated[0],
        )
    rows: list[list[str]] = []
    lines: list[int] = []
    previous_end = reader.line_num
    try:
        for fields in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not fields or all(not field.strip() for field in fields):
                continue
            if len(fields) > len(header):
                raise InputError(
                    f"{source}, line {start}: expected {len(header)} fields as in "
                    f"the header, found {len(fields)} (an unquoted comma?).",
                    source=source,
                    line=start,
                )
            fields = fields + [""] * (len(header) - len(fields))
            rows.append([field.strip() for field in fields])
            lines.append(start)
    except csv.Error as error:
        raise InputError(
            f"{source}, line {reader.line_num}: the CSV could not be parsed ({error}).",
            source=source,
            line=reader.line_num,
        ) from error
    if not rows:
        raise InputError(
            f"{source} has a header but no data rows.", source=source, line=1
        )
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def load_schema(path: str | Path | None = None) -> pd.DataFrame:
    """
    Read the codebook ``literature/schema.csv``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Codebook file; the bundled one by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``column, type, unit, required, allowed, description`` as
        strings, one row per table column, in table order.
    """
    path = Path(path) if path is not None else DEFAULT_SCHEMA_PATH
    schema = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["column", "type", "unit", "required", "allowed", "description"]
    if list(schema.columns) != expected:
        raise InputError(
            f"{path.name}: expected the header {','.join(expected)}, found "
            f"{','.join(schema.columns)}.",
            source=path.name,
            line=1,
        )
    return schema


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _numeric_range(allowed: str) -> tuple[float, float] | None:
    match = _RANGE_PATTERN.match(allowed)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


def _describe_expected(kind: str, allowed: str, unit: str) -> str:
    unit_text = f" [{unit}]" if unit else ""
    bounds = _numeric_range(allowed) if allowed else None
    if kind == "integer":
        text = "a whole number"
    elif kind == "float":
        text = "a number"
    elif kind == "doi":
        return "a DOI such as 10.1021/acsmaterialslett.4c00912 (no https:// prefix)"
    elif kind == "enum":
        return "one of " + ", ".join(repr(v) for v in allowed.split("|"))
    else:
        return "text"
    if bounds is not None:
        text += f" between {bounds[0]:g} and {bounds[1]:g}"
    return text + unit_text


def _convert_cell(value: str, kind: str, allowed: str):
    """Return the typed value, or raise ValueError when it does not fit."""
    if kind == "string":
        return value
    if kind == "doi":
        if not _DOI_PATTERN.match(value):
            raise ValueError
        return value
    if kind == "enum":
        if value not in allowed.split("|"):
            raise ValueError
        return value
    number = float(value)
    if not math.isfinite(number):
        raise ValueError
    if kind == "integer":
        if number != int(number):
            raise ValueError
        number = int(number)
    bounds = _numeric_range(allowed) if allowed else None
    if bounds is not None and not bounds[0] <= number <= bounds[1]:
        raise ValueError
    return number


def validate_table(
    df: pd.DataFrame,
    schema: pd.DataFrame,
    source: str = "pure_red_peleds.csv",
    line_numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """
    Check a literature table against the codebook and return it typed.

    Checks the header (every required column present, no column unknown to
    the codebook), then every cell: required cells filled, numbers parse and
    lie in their range, enum cells use the vocabulary, DOIs match
    ``^10\\.\\d{4,9}/\\S+$``, and record ids are well-formed and unique.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as read, cells as strings (blank = '' or NaN). An ``origin``
        column is allowed besides the codebook's columns.
    schema : pandas.DataFrame
        The codebook from :func:`load_schema`.
    source : str
        File name for error messages.
    line_numbers : sequence of int, optional
        File line of each row (from :func:`read_csv_rows`); row position + 2
        when not given (header on line 1, one line per row).

    Returns
    -------
    pandas.DataFrame
        A new frame with the codebook's columns in codebook order (plus
        ``origin`` if present): integers as ``Int64``, floats as ``float64``
        (NaN when blank), ``true|false`` enums as ``bool``, other text as
        ``str`` ('' when blank).

    Raises
    ------
    InputError
        On the first problem, with a sentence naming the record id, the file
        line, the column, what was expected and what was found.
    """
    columns = list(schema["column"])
    known = set(columns) | {"origin"}
    unknown = [name for name in df.columns if name not in known]
    if unknown:
        raise InputError(
            f"{source}: column {unknown[0]!r} is not in the literature schema; "
            f"expected only these columns: {', '.join(columns)}.",
            source=source,
            line=1,
            column=unknown[0],
        )
    required = schema.loc[schema["required"].str.lower() == "true", "column"]
    missing = [name for name in required if name not in df.columns]
    if missing:
        raise InputError(
            f"{source}: the required column {missing[0]!r} is missing from the header.",
            source=source,
            line=1,
            column=missing[0],
        )
    if line_numbers is None:
        line_numbers = [position + 2 for position in range(len(df))]
    ids = [
        "" if _blank(v) else str(v).strip()
        for v in (df["record_id"] if "record_id" in df.columns else [""] * len(df))
    ]
    typed: dict[str, list] = {}
    seen_ids: dict[str, int] = {}
    for spec in schema.itertuples(index=False):
        name, kind, unit, allowed = spec.column, spec.type, spec.unit, spec.allowed
        is_required = spec.required.lower() == "true"
        cells = df[name].tolist() if name in df.columns else [None] * len(df)
        values: list = []
        for position, raw in enumerate(cells):
            line = line_numbers[position]
            record = ids[position] or "(no record_id)"
            where = f"{source}, line {line}, record {record!r}"
            if _blank(raw):
                if is_required:
                    raise InputError(
                        f"{where}: column {name!r} is required but empty; expected "
                        f"{_describe_expected(kind, allowed, unit)}.",
                        source=source,
                        line=line,
                        column=name,
                    )
                values.append(None)
                continue
            text = str(raw).strip()
            try:
                value = _convert_cell(text, kind, allowed)
            except ValueError:
                raise InputError(
                    f"{where}: column {name!r} expected "
                    f"{_describe_expected(kind, allowed, unit)}, found {text!r}.",
                    source=source,
                    line=line,
                    column=name,
                ) from None
            if name == "record_id":
                if not _RECORD_ID_PATTERN.match(value):
                    raise InputError(
                        f"{where}: column 'record_id' expected lower-case letters, "
                        f"digits, '.' and '-' only, found {value!r}.",
                        source=source,
                        line=line,
                        column=name,
                    )
                if value in seen_ids:
                    raise InputError(
                        f"{where}: column 'record_id' must be unique, but "
                        f"{value!r} is already used on line {seen_ids[value]}.",
                        source=source,
                        line=line,
                        column=name,
                    )
                seen_ids[value] = line
            values.append(value)
        typed[name] = values

    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for spec in schema.itertuples(index=False):
        name, kind, allowed = spec.column, spec.type, spec.allowed
        values = typed[name]
        if kind == "integer":
            out[name] = pd.array(values, dtype="Int64")
        elif kind == "float":
            out[name] = np.array(
                [np.nan if v is None else v for v in values], dtype=float
            )
        elif kind == "enum" and set(allowed.split("|")) == {"true", "false"}:
            out[name] = [v == "true" for v in values]
        else:
            out[name] = ["" if v is None else v for v in values]
    if "origin" in df.columns:
        out["origin"] = ["" if _blank(v) else str(v) for v in df["origin"]]
    return out


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            f"The literature table {path} was not found.", source=path.name
        ) from None


def load_table(
    path: str | Path | None = None, schema_path: str | Path | None = None
) -> pd.DataFrame:
    """
    Read and validate the curated table.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        CSV file; ``literature/pure_red_peleds.csv`` by default.
    schema_path : str or pathlib.Path, optional
        Codebook; ``literature/schema.csv`` by default.

    Returns
    -------
    pandas.DataFrame
        The typed table (see :func:`validate_table`) with an ``origin`` column
        set to ``"curated"``.

    Raises
    ------
    InputError
        When the file is missing or any row breaks the codebook.
    """
    path = Path(path) if path is not None else DEFAULT_TABLE_PATH
    schema = load_schema(schema_path)
    frame, lines = read_csv_rows(_read_text(path), path.name)
    table = validate_table(frame, schema, source=path.name, line_numbers=lines)
    table["origin"] = "curated"
    return table


# --------------------------------------------------------------------------
# Lifetime normalisation
# --------------------------------------------------------------------------


def normalised_t50_h(
    df: pd.DataFrame, reference_luminance_cd_m2: float = 100.0, n: float = 1.8
) -> pd.DataFrame:
    """
    T50 of every row at one reference luminance, labelled by how it was got.

    A T50 whose initial luminance L0 lies within ``MEASURED_TOLERANCE`` (5 %)
    of the reference is taken as measured there; any other is converted with
    L0^n · T50 = const through
    :func:`core.lifetime.lifetime_at_luminance_h`. Rows with a T50 but no L0
    cannot be converted.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with ``t50_h`` [h] and ``t50_initial_luminance_cd_m2`` [cd/m²].
    reference_luminance_cd_m2 : float
        Luminance to express every T50 at. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``; columns ``t50_ref_h`` [h] (NaN when not
        available) and ``t50_ref_kind``: ``"measured"``, ``"normalised"``,
        ``"no-initial-luminance"`` or ``""`` (no T50 reported).

    Examples
    --------
    >>> table = pd.DataFrame({"t50_h": [1.0], "t50_initial_luminance_cd_m2": [1000.0]})
    >>> normalised_t50_h(table, 100.0, n=2.0)["t50_ref_h"].tolist()
    [100.0]
    """
    if reference_luminance_cd_m2 is None or not reference_luminance_cd_m2 > 0:
        raise InputError(
            "The reference luminance must be a positive number of cd/m², found "
            f"{reference_luminance_cd_m2!r}."
        )
    t50 = pd.to_numeric(df["t50_h"], errors="coerce").to_numpy(dtype=float)
    l0 = pd.to_numeric(df["t50_initial_luminance_cd_m2"], errors="coerce").to_numpy(
        dtype=float
    )
    has_t50 = np.isfinite(t50)
    has_l0 = np.isfinite(l0) & (l0 > 0)
    at_reference = has_l0 & (
        np.abs(l0 - reference_luminance_cd_m2)
        <= MEASURED_TOLERANCE * reference_luminance_cd_m2
    )
    convert = has_t50 & has_l0 & ~at_reference
    ref_h = np.full(t50.shape, np.nan)
    ref_h[has_t50 & at_reference] = t50[has_t50 & at_reference]
    if convert.any():
        ref_h[convert] = lifetime_at_luminance_h(
            t50[convert], l0[convert], reference_luminance_cd_m2, n
        )
    kind = np.full(t50.shape, "", dtype=object)
    kind[has_t50 & at_reference] = "measured"
    kind[convert] = "normalised"
    kind[has_t50 & ~has_l0] = "no-initial-luminance"
    return pd.DataFrame({"t50_ref_h": ref_h, "t50_ref_kind": kind}, index=df.index)


# --------------------------------------------------------------------------
# Filtering and ranking
# --------------------------------------------------------------------------


def filter_table(
    df: pd.DataFrame,
    *,
    year_min: int | None = None,
    year_max: int | None = None,
    emitter_classes: Sequence[str] | None = None,
    halide_types: Sequence[str] | None = None,
    spectral_classes: Sequence[str] | None = None,
    peak_min_nm: float | None = None,
    peak_max_nm: float | None = None,
    rankable_only: bool = False,
    include_lead_free: bool = True,
) -> pd.DataFrame:
    """
    Rows of the table that pass every given filter.

    A bound on year or EL peak drops rows where that value is blank; a ``None``
    filter is not applied.

    Parameters
    ----------
    df : pandas.DataFrame
        Typed literature table.
    year_min, year_max : int, optional
        Inclusive publication-year window.
    emitter_classes, halide_types, spectral_classes : sequence of str, optional
        Allowed vocabulary values (blank cells never match).
    peak_min_nm, peak_max_nm : float, optional
        Inclusive EL-peak window. [nm]
    rankable_only : bool
        Keep only ``rankable`` rows.
    include_lead_free : bool
        Keep lead-free rows.

    Returns
    -------
    pandas.DataFrame
        A new frame (a filtered copy), original index kept.
    """
    keep = pd.Series(True, index=df.index)
    year = pd.to_numeric(df["year"], errors="coerce")
    peak = pd.to_numeric(df["el_peak_nm"], errors="coerce")
    if year_min is not None:
        keep &= year >= year_min
    if year_max is not None:
        keep &= year <= year_max
    if peak_min_nm is not None:
        keep &= peak >= peak_min_nm
    if peak_max_nm is not None:
        keep &= peak <= peak_max_nm
    for column, allowed in (
        ("emitter_class", emitter_classes),
        ("halide_type", halide_types),
        ("spectral_class", spectral_classes),
    ):
        if allowed is not None:
            keep &= df[column].isin(list(allowed))
    if rankable_only:
        keep &= df["rankable"].astype(bool)
    if not include_lead_free:
        keep &= ~df["lead_free"].astype(bool)
    return df.loc[keep.fillna(False).astype(bool)].copy()


def cie_distance_to_bt2020_red(cie_x, cie_y):
    """
    Euclidean distance in CIE 1931 xy to the BT.2020 red primary.

    Parameters
    ----------
    cie_x, cie_y : array_like
        Chromaticity coordinates. [-]

    Returns
    -------
    numpy.ndarray
        sqrt((x - 0.708)² + (y - 0.292)²). [-]

    Examples
    --------
    >>> float(cie_distance_to_bt2020_red(0.708, 0.292))
    0.0
    """
    x = np.asarray(cie_x, dtype=float)
    y = np.asarray(cie_y, dtype=float)
    return np.hypot(x - BT2020_RED_XY[0], y - BT2020_RED_XY[1])


def _user_value(metrics: Mapping, key: str) -> float:
    value = metrics.get(key)
    if _blank(value):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"Device metric {key!r} must be a number, found {value!r}.", column=key
        ) from None
    if not math.isfinite(number):
        raise InputError(
            f"Device metric {key!r} must be a finite number, found {value!r}.",
            column=key,
        )
    return number


def device_t50_ref_h(
    metrics: Mapping, reference_luminance_cd_m2: float = 100.0, n: float = 1.8
) -> tuple[float, str]:
    """
    A device's T50 at the reference luminance, and how it was obtained.

    Parameters
    ----------
    metrics : mapping
        ``t50_ref_h`` or ``t50_at_reference_h`` [h] (taken as given), or
        ``t50_h`` [h] with ``t50_initial_luminance_cd_m2`` [cd/m²] (converted
        as in :func:`normalised_t50_h`).
    reference_luminance_cd_m2 : float
        Reference luminance. [cd/m²]
    n : float
        Acceleration exponent. [-]

    Returns
    -------
    t50_ref_h : float
        T50 at the reference luminance, NaN when it cannot be had. [h]
    kind : str
        ``"as given"``, ``"measured"``, ``"normalised"`` or the reason it is
        missing (``"not given"``, ``"t50_h given without
        t50_initial_luminance_cd_m2"``).
    """
    for key in ("t50_ref_h", "t50_at_reference_h"):
        value = _user_value(metrics, key)
        if math.isfinite(value):
            return value, "as given"
    t50 = _user_value(metrics, "t50_h")
    if not math.isfinite(t50):
        return math.nan, "not given"
    l0 = _user_value(metrics, "t50_initial_luminance_cd_m2")
    if not math.isfinite(l0) or l0 <= 0:
        return math.nan, "t50_h given without t50_initial_luminance_cd_m2"
    frame = normalised_t50_h(
        pd.DataFrame({"t50_h": [t50], "t50_initial_luminance_cd_m2": [l0]}),
        reference_luminance_cd_m2,
        n,
    )
    return float(frame["t50_ref_h"].iloc[0]), str(frame["t50_ref_kind"].iloc[0])


def rank_device(
    metrics: Mapping,
    table: pd.DataFrame,
    reference_luminance_cd_m2: float = 100.0,
    n: float = 1.8,
) -> pd.DataFrame:
    """
    Where one device stands among the rankable literature devices.

    For each metric in :data:`RANK_METRICS` the device is compared with the
    rankable rows of ``table`` that report that metric (pass a
    :func:`filter_table` result to rank within a window).
    ``rank = 1 + (number of literature devices strictly better)`` and
    ``percentile = 100 · (n_compared − number strictly better) / n_compared``:
    the share of compared devices the device equals or beats (100 = best).

    Parameters
    ----------
    metrics : mapping
        The device: ``eqe_max_percent`` [%], ``luminance_max_cd_m2`` [cd/m²],
        ``cie_x`` and ``cie_y`` [-], and either ``t50_ref_h`` (or
        ``t50_at_reference_h``) [h] already at the reference luminance, or
        ``t50_h`` [h] with ``t50_initial_luminance_cd_m2`` [cd/m²]. Missing
        keys are reported, not guessed.
    table : pandas.DataFrame
        Typed literature table.
    reference_luminance_cd_m2 : float
        Luminance at which T50s are compared. [cd/m²]
    n : float
        Acceleration exponent for the T50 conversion. [-]

    Returns
    -------
    pandas.DataFrame
        One row per metric: ``metric, label, unit, higher_is_better, value,
        rank, n_compared, percentile, best_value, best_record_id, note``
        (``rank`` is a nullable integer; ``rank``/``percentile`` are missing
        when the device or the table lacks the metric, and ``note`` says why;
        for T50 ``note`` gives how the device's value was obtained).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "record_id": ["a", "b"], "rankable": [True, True],
    ...     "eqe_max_percent": [10.0, 20.0], "luminance_max_cd_m2": [np.nan] * 2,
    ...     "cie_x": [np.nan] * 2, "cie_y": [np.nan] * 2, "t50_h": [np.nan] * 2,
    ...     "t50_initial_luminance_cd_m2": [np.nan] * 2})
    >>> result = rank_device({"eqe_max_percent": 15.0}, table)
    >>> first = result.iloc[0]
    >>> print(first["rank"], first["n_compared"], first["percentile"])
    2 2 50.0
    """
    if not isinstance(metrics, Mapping):
        raise InputError(
            "The device metrics must be a mapping of metric name to number, found "
            f"{type(metrics).__name__}."
        )
    rankable = table.loc[table["rankable"].astype(bool)]
    literature = pd.DataFrame(index=rankable.index)
    literature["eqe_max_percent"] = pd.to_numeric(
        rankable["eqe_max_percent"], errors="coerce"
    )
    literature["luminance_max_cd_m2"] = pd.to_numeric(
        rankable["luminance_max_cd_m2"], errors="coerce"
    )
    literature["t50_ref_h"] = normalised_t50_h(rankable, reference_luminance_cd_m2, n)[
        "t50_ref_h"
    ]
    literature["cie_distance_bt2020_red"] = cie_distance_to_bt2020_red(
        pd.to_numeric(rankable["cie_x"], errors="coerce"),
        pd.to_numeric(rankable["cie_y"], errors="coerce"),
    )

    t50_value, t50_note = device_t50_ref_h(metrics, reference_luminance_cd_m2, n)
    x, y = _user_value(metrics, "cie_x"), _user_value(metrics, "cie_y")
    device = {
        "eqe_max_percent": (_user_value(metrics, "eqe_max_percent"), ""),
        "luminance_max_cd_m2": (_user_value(metrics, "luminance_max_cd_m2"), ""),
        "t50_ref_h": (t50_value, t50_note),
        "cie_distance_bt2020_red": (
            float(cie_distance_to_bt2020_red(x, y)),
            "" if math.isfinite(x) and math.isfinite(y) else "cie_x/cie_y not given",
        ),
    }

    records = []
    for metric in RANK_METRICS:
        value, note = device[metric.name]
        column = literature[metric.name]
        present = column[np.isfinite(column.to_numpy(dtype=float))]
        n_compared = int(present.size)
        best_value = math.nan
        best_id = ""
        if n_compared:
            best_index = (
                present.idxmax() if metric.higher_is_better else present.idxmin()
            )
            best_value = float(present.loc[best_index])
            best_id = str(rankable.loc[best_index, "record_id"])
        rank = percentile = math.nan
        if not math.isfinite(value):
            note = note or "not given"
        elif n_compared == 0:
            note = "no rankable literature device reports this metric"
        else:
            values = present.to_numpy(dtype=float)
            better = values > value if metric.higher_is_better else values < value
            n_better = int(better.sum())
            rank = float(1 + n_better)
            percentile = 100.0 * (n_compared - n_better) / n_compared
        records.append(
            {
                "metric": metric.name,
                "label": metric.label,
                "unit": metric.unit,
                "higher_is_better": metric.higher_is_better,
                "value": value,
                "rank": rank,
                "n_compared": n_compared,
                "percentile": percentile,
                "best_value": best_value,
                "best_record_id": best_id,
                "note": note,
            }
        )
    result = pd.DataFrame.from_records(records)
    result["rank"] = result["rank"].astype("Float64").round().astype("Int64")
    return result


# --------------------------------------------------------------------------
# Citations
# --------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def _field(row: Mapping, name: str) -> str:
    value = row.get(name, "")
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _volume_parts(volume_pages: str) -> dict[str, str]:
    match = _VOLUME_PAGES_PATTERN.match(volume_pages)
    if match is None:
        return {"note": volume_pages} if volume_pages else {}
    parts = {"volume": match.group(1)}
    if match.group(2):
        parts["number"] = match.group(2)
    if match.group(3):
        parts["pages"] = match.group(3).replace("-", "--")
    return parts


def bibtex(row: Mapping | pd.Series) -> str:
    """
    A BibTeX ``@article`` entry for one table row.

    Parameters
    ----------
    row : mapping or pandas.Series
        One row of the literature table.

    Returns
    -------
    str
        The entry, keyed by ``record_id``; blank fields are left out, LaTeX
        special characters escaped, the first author followed by
        ``and others``.

    Examples
    --------
    >>> print(bibtex({"record_id": "x2024", "first_author": "Ren", "year": 2024,
    ...               "title": "A 26% LED", "doi": "10.1/abc"}))
    @article{x2024,
      author = {Ren and others},
      title = {{A 26\\% LED}},
      year = {2024},
      doi = {10.1/abc},
    }
    """
    author = _field(row, "first_author")
    fields = {
        "author": f"{_latex(author)} and others" if author else "{Unknown}",
        "title": "{" + _latex(_field(row, "title")) + "}"
        if _field(row, "title")
        else "",
        "journal": _latex(_field(row, "journal")),
        "year": _field(row, "year"),
    }
    fields.update(
        {
            key: _latex(value)
            for key, value in _volume_parts(_field(row, "volume_pages")).items()
        }
    )
    fields["doi"] = _field(row, "doi")
    lines = [f"@article{{{_field(row, 'record_id')},"]
    lines += [f"  {key} = {{{value}}}," for key, value in fields.items() if value]
    lines.append("}")
    return "\n".join(lines)


def citation(row: Mapping | pd.Series) -> str:
    """
    A one-line human-readable citation for one table row.

    Parameters
    ----------
    row : mapping or pandas.Series
        One row of the literature table.

    Returns
    -------
    str
        ``"Ren et al. (2024). Title. Journal volume, pages.
        https://doi.org/..."``, skipping whatever is blank.

    Examples
    --------
    >>> citation({"first_author": "Ren", "year": 2024, "journal": "ACS Mater. Lett.",
    ...           "volume_pages": "6, 4115-4123", "doi": "10.1021/x"})
    'Ren et al. (2024). ACS Mater. Lett. 6, 4115-4123. https://doi.org/10.1021/x'
    """
    author = _field(row, "first_author")
    year = _field(row, "year")
    parts = [
        f"{author + ' et al.' if author else 'Unknown authors'} ({year or 'n.d.'})."
    ]
    title = _field(row, "title")
    if title:
        parts.append(title.rstrip(".") + ".")
    venue = " ".join(
        part for part in (_field(row, "journal"), _field(row, "volume_pages")) if part
    )
    if venue:
        parts.append(venue + ".")
    doi = _field(row, "doi")
    if doi:
        parts.append(f"https://doi.org/{doi}")
    return " ".join(parts)


# --------------------------------------------------------------------------
# User rows
# --------------------------------------------------------------------------


def merge_user_rows(
    table: pd.DataFrame,
    user_bytes: bytes,
    name: str,
    schema: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """
    Append a user's own devices (a CSV with the table's columns) to the table.

    Columns the user leaves out are blank, except the required ones, which
    get user defaults: ``device_role = other``, ``emitter_class = other``,
    ``lead_free = false``, ``rankable = false``, ``source_location = user
    upload`` and ``verified_from = user file <name>``. The result is
    validated like the curated table, except that a user's own (unpublished)
    device needs no citation: only ``record_id`` and the defaulted columns
    stay required.

    Parameters
    ----------
    table : pandas.DataFrame
        Typed literature table (from :func:`load_table`).
    user_bytes : bytes
        Content of the uploaded CSV (UTF-8).
    name : str
        File name, for messages and ``verified_from``.
    schema : pandas.DataFrame, optional
        Codebook; the bundled one by default.

    Returns
    -------
    pandas.DataFrame
        A new frame: the table's rows (``origin = "curated"``) followed by the
        user's rows (``origin = "user"``).

    Raises
    ------
    InputError
        Not UTF-8 text, too large, not a CSV, a row breaking the codebook
        (naming record, line and column), or a record id already used.
    """
    schema = load_schema() if schema is None else schema
    if len(user_bytes) > _MAX_USER_BYTES:
        raise InputError(
            f"{name} is {len(user_bytes) / 1e6:.1f} MB; a literature table is "
            f"expected to be under {_MAX_USER_BYTES / 1e6:.0f} MB.",
            source=name,
        )
    if b"\x00" in user_bytes[:4096]:
        raise InputError(
            f"{name} looks like a binary file; expected a CSV text table.",
            source=name,
        )
    try:
        text = user_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not UTF-8 text (byte {error.start}); save the table as "
            "CSV UTF-8.",
            source=name,
        ) from None
    frame, lines = read_csv_rows(text, name)
    defaults = {
        "device_role": "other",
        "emitter_class": "other",
        "lead_free": "false",
        "rankable": "false",
        "source_location": "user upload",
        "verified_from": f"user file {name}",
    }
    frame = frame.copy()
    for column, default in defaults.items():
        if column not in frame.columns:
            frame[column] = default
        else:
            frame[column] = [default if _blank(v) else v for v in frame[column]]
    keep = {"record_id", *defaults}
    user_schema = schema.assign(
        required=schema["required"].where(schema["column"].isin(keep), "false")
    )
    user = validate_table(frame, user_schema, source=name, line_numbers=lines)
    clashes = sorted(set(user["record_id"]) & set(table["record_id"]))
    if clashes:
        position = list(user["record_id"]).index(clashes[0])
        raise InputError(
            f"{name}, line {lines[position]}, record {clashes[0]!r}: column "
            "'record_id' must differ from the curated table's ids, but it is "
            "already used there; rename it (e.g. add '-mine').",
            source=name,
            line=lines[position],
            column="record_id",
        )
    user["origin"] = "user"
    curated = table.copy()
    if "origin" not in curated.columns:
        curated["origin"] = "curated"
    return pd.concat([curated, user], ignore_index=True)


# --------------------------------------------------------------------------
# Tables of the Literature page
# --------------------------------------------------------------------------


def filter_years(
    df: pd.DataFrame, year_min: int, year_max: int, *, keep_undated: bool = True
) -> pd.DataFrame:
    """
    Rows published from ``year_min`` to ``year_max`` (inclusive).

    Parameters
    ----------
    df : pandas.DataFrame
        Typed literature table.
    year_min, year_max : int
        Publication-year window.
    keep_undated : bool
        Keep rows without a year too.

    Returns
    -------
    pandas.DataFrame
        A filtered copy, original index kept.
    """
    year = pd.to_numeric(df["year"], errors="coerce")
    keep = year.between(year_min, year_max).fillna(False).astype(bool)
    if keep_undated:
        keep |= year.isna()
    return df.loc[keep].copy()


def rank_devices(
    devices: Mapping[str, Mapping],
    table: pd.DataFrame,
    reference_luminance_cd_m2: float = 100.0,
    n: float = 1.8,
) -> pd.DataFrame:
    """
    Rank of every device on every metric, one row per device and metric.

    Parameters
    ----------
    devices : mapping of str to mapping
        Device name -> its metrics (as :func:`rank_device` takes them).
    table, reference_luminance_cd_m2, n
        As :func:`rank_device`.

    Returns
    -------
    pandas.DataFrame
        Columns ``device``, ``metric`` (the metric's label), ``rank``, ``of``
        (the number of devices compared, the device included) and
        ``percentile``.
    """
    rows = []
    for name, metrics in devices.items():
        ranked = rank_device(metrics, table, reference_luminance_cd_m2, n)
        for item in ranked.itertuples():
            rows.append(
                {
                    "device": name,
                    "metric": item.label,
                    "rank": item.rank,
                    "of": item.n_compared + 1,
                    "percentile": item.percentile,
                }
            )
    return pd.DataFrame(rows, columns=["device", "metric", "rank", "of", "percentile"])


def table_with_t50_and_links(df: pd.DataFrame, t50: pd.DataFrame) -> pd.DataFrame:
    """
    The table with its T50 at the reference luminance and a DOI link column.

    Parameters
    ----------
    df : pandas.DataFrame
        Typed literature table (rows to show).
    t50 : pandas.DataFrame
        :func:`normalised_t50_h` of those rows.

    Returns
    -------
    pandas.DataFrame
        ``df`` joined with ``t50``, with ``doi_link`` (``https://doi.org/...``,
        None without a DOI) as the sixth column.
    """
    shown = df.join(t50)
    shown.insert(
        5,
        "doi_link",
        [f"https://doi.org/{doi}" if doi else None for doi in shown["doi"]],
    )
    return shown


def bibtex_file(df: pd.DataFrame) -> str:
    """Every row of ``df`` as :func:`bibtex` entries, one blank line apart."""
    return "\n\n".join(bibtex(row) for _, row in df.iterrows()) + "\n"
