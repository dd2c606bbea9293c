"""
Working sets: the devices a browser session had open, kept under a key.

The app puts a random key in its URL (``?session=...``) and writes here the
ids of the devices opened or saved in that session and the current one; a
reload of the page with the same URL reads them back and opens the devices
again. Only ids are kept: opening them goes through the access rules like
any other open, and a working set is read back only by the user who wrote
it. Working sets not written for :data:`KEEP_DAYS` days are removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.errors import InputError
from core.library import rows
from core.library.access import User
from core.library.schema import WorkingSetRow

if TYPE_CHECKING:
    from core.library.store import Library

__all__ = ["KEEP_DAYS", "MAX_DEVICES", "check_key", "save_working_set", "working_set"]

#: Working sets unchanged for this long are removed when another is written.
KEEP_DAYS = 90
#: At most this many device ids are kept per working set (the newest).
MAX_DEVICES = 200
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def check_key(key: str) -> str:
    """``key`` if it is 16-64 letters, digits, ``-`` or ``_``."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InputError(
            f"Session key {str(key)[:80]!r}: expected 16 to 64 letters, digits, "
            "'-' or '_'."
        )
    return key


def _ids(values) -> list[int]:
    out: list[int] = []
    for value in values or ():
        if isinstance(value, bool):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in out:
            out.append(number)
    return out[-MAX_DEVICES:]


def save_working_set(
    library: Library,
    key: str,
    user: User,
    device_ids: Sequence[int],
    current_id: int | None = None,
) -> None:
    """
    Keep ``device_ids`` (in order) and the current device under ``key``.

    A key that belongs to another user is not overwritten (nothing happens).
    """
    key = check_key(key)
    ids = _ids(device_ids)
    current = current_id if current_id in ids else None
    when = rows.now()
    with library.session(write=True) as session, session.begin():
        row = session.get(WorkingSetRow, key)
        if row is None:
            session.add(
                WorkingSetRow(
                    key=key,
                    owner_id=user.id,
                    device_ids=ids,
                    current_id=current,
                    updated_at=when,
                )
            )
        elif row.owner_id == user.id:
            row.device_ids, row.current_id, row.updated_at = ids, current, when
        old = when - dt.timedelta(days=KEEP_DAYS)
        session.execute(
            sa.delete(WorkingSetRow)
            .where(WorkingSetRow.updated_at < old)
            .execution_options(synchronize_session=False)
        )


def working_set(library: Library, key: str, user: User) -> tuple[list[int], int | None]:
    """
    The device ids and the current id kept under ``key`` for ``user``
    (nothing for an unknown key or another user's key).
    """
    key = check_key(key)
    with library.session() as session, session.begin():
        row = session.get(WorkingSetRow, key)
        if row is None or row.owner_id != user.id:
            return [], None
        return _ids(row.device_ids), row.current_id
