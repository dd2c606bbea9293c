"""
Lab rows: a paper's device (or an unpublished one) entered by the lab.

A lab row has the curated table's columns and is checked by the same
codebook, with the rule of a user's own rows (:func:`merge_user_rows`): only
``record_id``, ``source_location`` ("where each value was read") and the
columns with a default are required, so an unpublished device needs no DOI.
One rule more: a row marked ``rankable`` must be what the curated table calls
rankable (cited: first author, year, journal, DOI; a champion; lead-based;
EL peak and EQE max given).

Lab rows are stored in the device library
(:meth:`core.library.Library.add_literature_row`), never in the curated CSV;
wherever they are shown next to it their ``origin`` is ``"lab"``
(:func:`with_lab_rows`). :func:`lab_rows_csv` writes
them in the curated table's column order, ready to be proposed for it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from core.errors import InputError
from core.literature.schema import _blank, load_schema, validate_table
from core.literature.table import read_csv_rows
from core.literature.user_rows import _user_text, fill_defaults, relaxed_schema

__all__ = [
    "CITATION_COLUMNS",
    "LAB_ORIGIN",
    "lab_row_cells",
    "lab_rows_csv",
    "read_lab_csv",
    "read_lab_frame",
    "validate_lab_rows",
    "with_lab_rows",
]

#: ``origin`` of a lab row wherever it is shown next to the curated table.
LAB_ORIGIN = "lab"
#: The columns that make a row citable (required by the curated table).
CITATION_COLUMNS = ("first_author", "year", "journal", "doi")
#: Defaults of the required columns a lab row may leave blank.
_DEFAULTS = {
    "device_role": "other",
    "emitter_class": "other",
    "lead_free": "false",
    "rankable": "false",
}


def lab_row_cells(values: Mapping) -> dict[str, str]:
    """
    A row's cells as the CSV would hold them: text, blanks left out.

    Numbers are written with ``repr`` (``26.0`` -> "26.0"); text typed into
    a form is kept as typed (its decimals decide ties in ranking).
    """
    cells = {}
    for key, value in values.items():
        if value is None or _blank(value):
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            if not math.isfinite(value):
                continue
            text = repr(value)
        else:
            text = str(value).strip()
        if text:
            cells[str(key)] = text
    return cells


def _verified_from(row: Mapping) -> str:
    doi = str(row.get("doi") or "").strip()
    return f"https://doi.org/{doi}" if doi else "lab row (unpublished device)"


def _check_rankable(
    typed: pd.DataFrame, lines: Sequence[int], source: str, ids: list[str]
) -> None:
    """A lab row marked rankable is rankable by the curated table's rule."""
    for position in range(len(typed)):
        row = typed.iloc[position]
        if not bool(row["rankable"]):
            continue
        missing = [c for c in CITATION_COLUMNS if _blank(row[c]) or pd.isna(row[c])]
        missing += [
            c for c in ("el_peak_nm", "eqe_max_percent") if not math.isfinite(row[c])
        ]
        problems = []
        if missing:
            problems.append("without " + ", ".join(missing))
        if row["device_role"] != "champion":
            problems.append(f"device_role is {row['device_role']!r}, not 'champion'")
        if bool(row["lead_free"]):
            problems.append("lead-free (the ranking is a lead-perovskite ranking)")
        if problems:
            raise InputError(
                f"{source}, line {lines[position]}, record {ids[position]!r}: "
                "column 'rankable' is true but the row is "
                + "; ".join(problems)
                + ". A rankable row is cited (first author, year, journal, DOI), "
                "a champion, lead-based, with EL peak and EQE max; set rankable "
                "to false otherwise.",
                source=source,
                line=lines[position],
                column="rankable",
            )


def validate_lab_rows(
    rows: pd.DataFrame | Iterable[Mapping],
    source: str = "the form",
    line_numbers: Sequence[int] | None = None,
    schema: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """
    Check lab rows against the codebook and return them typed and as text.

    Parameters
    ----------
    rows : pandas.DataFrame or iterable of mapping
        Cells as text (a CSV read by :func:`read_csv_rows`, or form values).
    source : str
        Name for messages (a file name, or "the form").
    line_numbers : sequence of int, optional
        File line of each row (default: row position + 2 for a frame read
        from a CSV, row position + 1 for form values).
    schema : pandas.DataFrame, optional
        The codebook; the bundled one by default.

    Returns
    -------
    typed : pandas.DataFrame
        :func:`validate_table`'s frame with ``origin = "lab"``.
    cells : list of dict
        Each row's cells as text with the defaults filled in (what is
        stored; blank cells left out).

    Raises
    ------
    InputError
        A cell breaking the codebook, a required cell blank (``record_id``,
        ``source_location``), a repeated record id, or a rankable row that
        is not rankable by the curated rule; naming record, line and column.
    """
    schema = load_schema() if schema is None else schema
    if isinstance(rows, pd.DataFrame):
        frame = rows.copy()
    else:  # form values: every column present, so a blank one is named as such
        records = [lab_row_cells(r) for r in rows]
        columns = list(schema["column"])
        columns += sorted({k for r in records for k in r} - set(columns))
        frame = pd.DataFrame(records, columns=columns, dtype=object)
        if line_numbers is None:
            line_numbers = list(range(1, len(frame) + 1))
    if frame.empty:
        raise InputError(f"{source}: no row to add.", source=source)
    frame = frame.fillna("")
    if "verified_from" not in frame.columns:
        frame["verified_from"] = ""
    frame["verified_from"] = [
        v if not _blank(v) else _verified_from(r)
        for v, (_, r) in zip(frame["verified_from"], frame.iterrows(), strict=True)
    ]
    frame = fill_defaults(frame, _DEFAULTS)
    lab_schema = relaxed_schema(
        schema, {"record_id", "source_location", "verified_from", *_DEFAULTS}
    )
    lines = (
        list(line_numbers)
        if line_numbers is not None
        else [position + 2 for position in range(len(frame))]
    )
    typed = validate_table(frame, lab_schema, source=source, line_numbers=lines)
    ids = [str(v) for v in typed["record_id"]]
    _check_rankable(typed, lines, source, ids)
    typed["origin"] = LAB_ORIGIN
    cells = [
        lab_row_cells({c: row[c] for c in frame.columns if c in set(schema["column"])})
        for _, row in frame.iterrows()
    ]
    return typed, cells


def read_lab_csv(data: bytes, name: str) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """
    Lab rows from an uploaded CSV with the table's columns.

    Returns
    -------
    typed, cells
        As :func:`validate_lab_rows`.

    Raises
    ------
    InputError
        Not UTF-8 text, too large, not a CSV, or a row breaking the rules.
    """
    frame, lines = read_lab_frame(data, name)
    return validate_lab_rows(frame, source=name, line_numbers=lines)


def read_lab_frame(data: bytes, name: str) -> tuple[pd.DataFrame, list[int]]:
    """An uploaded CSV's cells as text and the line of each row (not yet
    validated: :func:`validate_lab_rows` does that)."""
    return read_csv_rows(_user_text(data, name), name)


def lab_rows_csv(cells: Iterable[Mapping], schema: pd.DataFrame | None = None) -> str:
    """
    Lab rows as a CSV in the curated table's column order (blank = empty).

    The file has exactly the header of ``literature/pure_red_peleds.csv``,
    so it can be proposed for the curated table as it is.
    """
    schema = load_schema() if schema is None else schema
    columns = list(schema["column"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in cells:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def with_lab_rows(table: pd.DataFrame, lab: pd.DataFrame) -> pd.DataFrame:
    """
    The curated table followed by the lab rows, each row's ``origin`` kept.

    Parameters
    ----------
    table : pandas.DataFrame
        Typed literature table (``origin`` "curated", perhaps "user" rows).
    lab : pandas.DataFrame
        Typed lab rows (``origin = "lab"``).

    Returns
    -------
    pandas.DataFrame
        A new frame, curated rows first.

    Raises
    ------
    InputError
        When a lab row's record id is also in ``table`` (the curated table
        took the id after the lab row was added): rename the lab row.
    """
    if lab is None or lab.empty:
        return table.copy()
    clashes = sorted(set(lab["record_id"]) & set(table["record_id"]))
    if clashes:
        raise InputError(
            f"Lab row {clashes[0]!r}: its record id is also in the curated "
            "table; the lab rows are left out until it is renamed or deleted "
            "from the library.",
            column="record_id",
        )
    curated = table.copy()
    if "origin" not in curated.columns:
        curated["origin"] = "curated"
    return pd.concat([curated, lab], ignore_index=True)
