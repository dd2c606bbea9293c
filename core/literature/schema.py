"""
The codebook of the literature table and the check of a table against it.

The codebook ``literature/schema.csv`` names every column of the table with its
type (``string``, ``integer``, ``float``, ``enum``, ``doi``), unit, whether it
is required, its allowed values (``low..high`` or ``a|b|c``) and a description.
:func:`validate_table` applies it rule by rule: the header, then every cell
(required, typed, in range, in the vocabulary, a DOI), then the record ids.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError
from core.literature.paths import DEFAULT_SCHEMA_PATH
from core.literature.precision import (
    DECIMALS_SUFFIX,
    PRECISION_COLUMNS,
    stated_decimals,
)

__all__ = ["load_schema", "validate_table"]

_DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_RECORD_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_RANGE_PATTERN = re.compile(r"^\s*(-?[\d.eE+]+)\s*\.\.\s*(-?[\d.eE+]+)\s*$")


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


# --------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# The rules of validate_table, in the order they are applied
# --------------------------------------------------------------------------


def _check_header(df: pd.DataFrame, schema: pd.DataFrame, source: str) -> None:
    """No column unknown to the codebook, every required column present."""
    columns = list(schema["column"])
    # Decimals columns are derived (recomputed from the values' text).
    known = set(columns) | {"origin"} | {c + DECIMALS_SUFFIX for c in PRECISION_COLUMNS}
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


def _record_ids(df: pd.DataFrame) -> list[str]:
    """Every row's record id as text ('' when blank or without the column)."""
    return [
        "" if _blank(v) else str(v).strip()
        for v in (df["record_id"] if "record_id" in df.columns else [""] * len(df))
    ]


def _cell_error(where: str, problem: str, source: str, line: int, column: str):
    """The InputError of one cell: ``"<where>: <problem>"``."""
    return InputError(f"{where}: {problem}", source=source, line=line, column=column)


def _check_record_id(
    value: str, seen_ids: dict[str, int], where: str, source: str, line: int
) -> None:
    """A record id is well-formed and not used on an earlier line."""
    if not _RECORD_ID_PATTERN.match(value):
        raise _cell_error(
            where,
            "column 'record_id' expected lower-case letters, "
            f"digits, '.' and '-' only, found {value!r}.",
            source,
            line,
            "record_id",
        )
    if value in seen_ids:
        raise _cell_error(
            where,
            "column 'record_id' must be unique, but "
            f"{value!r} is already used on line {seen_ids[value]}.",
            source,
            line,
            "record_id",
        )


def _column_values(
    cells: list, spec, source: str, line_numbers: Sequence[int], ids: list[str]
) -> list:
    """The typed values of one column (None when blank), checked cell by cell."""
    name, kind, unit, allowed = spec.column, spec.type, spec.unit, spec.allowed
    is_required = spec.required.lower() == "true"
    values: list = []
    seen_ids: dict[str, int] = {}
    for position, raw in enumerate(cells):
        line = line_numbers[position]
        record = ids[position] or "(no record_id)"
        where = f"{source}, line {line}, record {record!r}"
        if _blank(raw):
            if is_required:
                raise _cell_error(
                    where,
                    f"column {name!r} is required but empty; expected "
                    f"{_describe_expected(kind, allowed, unit)}.",
                    source,
                    line,
                    name,
                )
            values.append(None)
            continue
        text = str(raw).strip()
        try:
            value = _convert_cell(text, kind, allowed)
        except ValueError:
            raise _cell_error(
                where,
                f"column {name!r} expected "
                f"{_describe_expected(kind, allowed, unit)}, found {text!r}.",
                source,
                line,
                name,
            ) from None
        if name == "record_id":
            _check_record_id(value, seen_ids, where, source, line)
            seen_ids[value] = line
        values.append(value)
    return values


def _typed_column(values: list, kind: str, allowed: str):
    """A column's checked values in the dtype of its codebook type."""
    if kind == "integer":
        return pd.array(values, dtype="Int64")
    if kind == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    if kind == "enum" and set(allowed.split("|")) == {"true", "false"}:
        return [v == "true" for v in values]
    return ["" if v is None else v for v in values]


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
        ``str`` ('' when blank); and, for each column of
        :data:`PRECISION_COLUMNS`, ``<column>_decimals`` (``Int64``): its
        decimals as written, for ranking ties.

    Raises
    ------
    InputError
        On the first problem, with a sentence naming the record id, the file
        line, the column, what was expected and what was found.
    """
    _check_header(df, schema, source)
    if line_numbers is None:
        line_numbers = [position + 2 for position in range(len(df))]
    ids = _record_ids(df)
    typed: dict[str, list] = {}
    for spec in schema.itertuples(index=False):
        name = spec.column
        cells = df[name].tolist() if name in df.columns else [None] * len(df)
        typed[name] = _column_values(cells, spec, source, line_numbers, ids)

    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for spec in schema.itertuples(index=False):
        out[spec.column] = _typed_column(typed[spec.column], spec.type, spec.allowed)
    for name in PRECISION_COLUMNS:  # the decimals as written, for ties
        if name in df.columns:
            decimals = [stated_decimals(v) for v in df[name]]
            out[name + DECIMALS_SUFFIX] = pd.array(decimals, dtype="Int64")
    if "origin" in df.columns:
        out["origin"] = ["" if _blank(v) else str(v) for v in df["origin"]]
    return out
