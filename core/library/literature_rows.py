"""
The lab's rows of the literature table, stored in the library.

A lab row is a paper's device (or an unpublished one) that a user entered
through the Literature page's form or a CSV: its cells are kept as text in
the curated table's columns (the decimals as typed decide ties in ranking),
validated with :func:`core.literature.validate_lab_rows` before anything is
written and again when read. They live in ``literature_rows``, never in the
curated CSV; :func:`lab_table` hands them back typed with ``origin = "lab"``.

The access rules of devices apply: a user reads their own rows and those
shared with the lab (``visibility = "lab"``); only the owner deletes a row.
A record id is unique in the library and must differ from the curated
table's ids. :class:`core.library.Library` exposes these as
``add_literature_rows``, ``list_literature_rows``, ``literature_rows_table``,
``delete_literature_row`` and ``export_literature_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from core.errors import InputError
from core.library import rows
from core.library.access import LOCAL_USER, PermissionDenied, User
from core.library.records import VISIBILITIES
from core.library.schema import LiteratureRowRow
from core.literature import lab_rows_csv, load_table, validate_lab_rows

if TYPE_CHECKING:
    from core.library.store import Library

__all__ = [
    "StoredLiteratureRow",
    "add_rows",
    "delete_row",
    "export_csv",
    "lab_table",
    "list_rows",
]


@dataclass(frozen=True)
class StoredLiteratureRow:
    """
    One lab row as stored.

    Attributes
    ----------
    id : int
        Library id (for deleting).
    record_id : str
    owner : str
        User id of whoever added it.
    visibility : str
        ``private`` or ``lab``.
    cells : dict
        Column -> text, in the curated table's columns (blank cells absent).
    created_at, updated_at : datetime.datetime
        UTC.
    """

    id: int
    record_id: str
    owner: str
    visibility: str
    cells: dict = field(default_factory=dict)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def _visible(user: User) -> sa.ColumnElement[bool]:
    return sa.or_(
        LiteratureRowRow.owner_id == user.id, LiteratureRowRow.visibility == "lab"
    )


def _stored(row: LiteratureRowRow) -> StoredLiteratureRow:
    return StoredLiteratureRow(
        id=row.id,
        record_id=row.record_id,
        owner=row.owner_id,
        visibility=row.visibility,
        cells=dict(row.cells),
        created_at=rows.utc(row.created_at),
        updated_at=rows.utc(row.updated_at),
    )


def _check_ids(session, cells: Sequence[Mapping], source: str) -> None:
    """Record ids new to the curated table and to the library."""
    ids = [str(c["record_id"]) for c in cells]
    curated = set(load_table()["record_id"])
    taken = sorted(set(ids) & curated)
    if taken:
        raise InputError(
            f"{source}, record {taken[0]!r}: column 'record_id' is already an id "
            "of the curated table; a lab row needs its own id (e.g. add '-lab').",
            column="record_id",
        )
    stored = session.scalars(
        sa.select(LiteratureRowRow.record_id).where(LiteratureRowRow.record_id.in_(ids))
    ).all()
    if stored:
        raise InputError(
            f"{source}, record {sorted(stored)[0]!r}: column 'record_id' is "
            "already used by a lab row in the library; choose another id.",
            column="record_id",
        )


def add_rows(
    library: Library,
    values: pd.DataFrame | Iterable[Mapping],
    user: User = LOCAL_USER,
    *,
    visibility: str = "private",
    source: str = "the form",
    line_numbers: Sequence[int] | None = None,
) -> list[int]:
    """
    Validate lab rows and store them, all or none.

    Parameters
    ----------
    library : Library
    values : pandas.DataFrame or iterable of mapping
        The rows' cells (text as typed, or numbers).
    user : User
        The owner.
    visibility : {"private", "lab"}
    source, line_numbers
        For messages (see :func:`core.literature.validate_lab_rows`).

    Returns
    -------
    list of int
        The new rows' library ids.

    Raises
    ------
    InputError
        A row breaking the codebook or the lab-row rules, a record id of the
        curated table or already in the library: nothing is written.
    """
    if visibility not in VISIBILITIES:
        raise InputError(
            f"Visibility: expected one of {', '.join(VISIBILITIES)}, found "
            f"{visibility!r}."
        )
    _, cells = validate_lab_rows(values, source=source, line_numbers=line_numbers)
    when = rows.now()
    try:
        with library.session(write=True) as session, session.begin():
            _check_ids(session, cells, source)
            rows.ensure_user(session, user, when)
            new = [
                LiteratureRowRow(
                    record_id=c["record_id"],
                    owner_id=user.id,
                    visibility=visibility,
                    cells=c,
                    created_at=when,
                    updated_at=when,
                )
                for c in cells
            ]
            session.add_all(new)
            session.flush()
            return [row.id for row in new]
    except sa.exc.IntegrityError:  # another writer took the id meanwhile
        raise InputError(
            f"{source}: a record id was taken by another lab row while saving; "
            "choose another id."
        ) from None


def list_rows(library: Library, user: User = LOCAL_USER) -> list[StoredLiteratureRow]:
    """The lab rows ``user`` may read (own and shared), oldest first."""
    with library.session() as session, session.begin():
        found = session.scalars(
            sa.select(LiteratureRowRow)
            .where(_visible(user))
            .order_by(LiteratureRowRow.id)
        ).all()
        return [_stored(row) for row in found]


def lab_table(library: Library, user: User = LOCAL_USER) -> pd.DataFrame:
    """
    The lab rows ``user`` may read as a typed table (``origin = "lab"``).

    An empty frame when there are none. Each row is validated again by the
    present codebook; a row it refuses raises InputError naming it.
    """
    stored = list_rows(library, user)
    if not stored:
        return pd.DataFrame()
    typed, _ = validate_lab_rows(
        [s.cells for s in stored], source="the library's lab rows"
    )
    return typed


def delete_row(library: Library, row_id: int, user: User = LOCAL_USER) -> None:
    """Delete a lab row for good (owner only)."""
    with library.session(write=True) as session, session.begin():
        row = session.get(LiteratureRowRow, row_id)
        if row is None or not (row.owner_id == user.id or row.visibility == "lab"):
            raise InputError(f"There is no lab row {row_id} in the library.")
        if row.owner_id != user.id:
            raise PermissionDenied(
                f"Lab row {row_id} ({row.record_id}) belongs to {row.owner_id}: "
                "only its owner can delete it."
            )
        session.delete(row)


def export_csv(
    library: Library, user: User = LOCAL_USER, ids: Sequence[int] | None = None
) -> str:
    """
    The lab rows ``user`` may read (or those with these library ids) as a CSV
    in the curated table's columns, ready to propose for the curated table.
    """
    stored = list_rows(library, user)
    if ids is not None:
        known = {s.id for s in stored}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError(f"There is no lab row {unknown[0]} in the library.")
        stored = [s for s in stored if s.id in set(ids)]
    return lab_rows_csv(s.cells for s in stored)
