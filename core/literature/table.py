"""
Reading the literature table, and the filtered views the Literature page shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from core.errors import InputError
from core.literature.paths import DEFAULT_TABLE_PATH
from core.literature.precision import without_precision
from core.literature.schema import load_schema, validate_table

__all__ = [
    "filter_table",
    "filter_years",
    "load_table",
    "read_csv_rows",
    "table_with_t50_and_links",
]


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _read_header(reader, source: str) -> list[str]:
    """The header's column names: read as CSV, comma-separated, named, unique."""
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
    return header


def _read_rows(
    reader, header: list[str], source: str
) -> tuple[list[list[str]], list[int]]:
    """The non-blank rows after the header (padded) and the line each starts on."""
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
    return rows, lines


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
    header = _read_header(reader, source)
    rows, lines = _read_rows(reader, header, source)
    if not rows:
        raise InputError(
            f"{source} has a header but no data rows.", source=source, line=1
        )
    return pd.DataFrame(rows, columns=header, dtype=object), lines


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
# Filtering and the tables of the Literature page
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


def table_with_t50_and_links(df: pd.DataFrame, t50: pd.DataFrame) -> pd.DataFrame:
    """
    The table as the page shows it: T50 at the reference, DOI links, and no
    bound written as a value.

    Parameters
    ----------
    df : pandas.DataFrame
        Typed literature table (rows to show).
    t50 : pandas.DataFrame
        :func:`normalised_t50_h` of those rows.

    Returns
    -------
    pandas.DataFrame
        ``df`` (without its ``*_decimals`` columns) joined with ``t50``, with
        ``doi_link`` (``https://doi.org/...``, None without a DOI) as the
        sixth column, ``t50_h`` as text with its qualifier ("> 15") and
        ``t50_ref_shown``, the T50 at the reference as text ("8.17", "> 0.83").
    """
    shown = without_precision(df).join(t50)
    shown.insert(
        5,
        "doi_link",
        [f"https://doi.org/{doi}" if doi else None for doi in shown["doi"]],
    )
    qualifier = (
        shown["t50_qualifier"]
        if "t50_qualifier" in shown
        else pd.Series("", index=shown.index)
    )
    shown["t50_h"] = [
        _with_qualifier(value, q)
        for value, q in zip(shown["t50_h"], qualifier, strict=True)
    ]
    shown.insert(
        shown.columns.get_loc("t50_ref_h"),
        "t50_ref_shown",
        [
            _with_qualifier(value, "")
            if pd.notna(value)
            else _with_qualifier(bound, ">")
            for value, bound in zip(
                shown["t50_ref_h"], shown["t50_ref_bound_h"], strict=True
            )
        ],
    )
    return shown


def _with_qualifier(value, qualifier: str) -> str:
    """A number as text with its qualifier ("> 15", "8.17"); "" when blank."""
    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number):
        return ""
    text = f"{float(number):.5g}"
    return f"{qualifier} {text}" if qualifier else text
