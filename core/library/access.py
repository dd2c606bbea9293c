"""
Who may read and change what in the library.

Every query and every change goes through these rules, in the data layer:

- a user reads their own devices and those whose visibility is ``lab``;
- only the owner changes, trashes, restores or deletes a device;
- the trash is the owner's: a trashed device is hidden from everyone else.

Without a login the app runs single-user: everything belongs to
:data:`LOCAL_USER`. With Streamlit's login (OIDC, ``st.user``) the page
passes :meth:`User.from_login` of the signed-in user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from core.errors import InputError
from core.library.schema import DeviceRow

__all__ = [
    "User",
    "LOCAL_USER",
    "PermissionDenied",
    "acting_user",
    "visible_to",
    "check_read",
    "check_change",
]


class PermissionDenied(InputError):  # noqa: N818 - the name the pages use
    """A user acted on a device that is someone else's private record."""


@dataclass(frozen=True)
class User:
    """
    Who is acting: ``id`` is what ownership is recorded under (the login's
    e-mail in lower case, else its subject), with e-mail and display name.
    """

    id: str
    email: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        user_id = (self.id or "").strip()
        if not user_id or len(user_id) > 320:
            raise InputError(
                f"User: expected an identifier of 1 to 320 characters, found "
                f"{self.id!r}."
            )
        object.__setattr__(self, "id", user_id)

    @classmethod
    def from_login(cls, info: Mapping) -> User:
        """
        The signed-in user from Streamlit's ``st.user`` (or any mapping with
        ``email``, ``sub`` and ``name``).
        """
        email = str(info.get("email") or "").strip().lower()
        subject = str(info.get("sub") or "").strip()
        if not (email or subject):
            raise InputError(
                "The login gave neither an e-mail nor a subject: cannot tell "
                "who is signed in."
            )
        return cls(id=email or subject, email=email, name=str(info.get("name") or ""))

    @classmethod
    def from_email(cls, email: str) -> User:
        """A user named by e-mail (the CLI's ``--user``)."""
        email = email.strip().lower()
        return cls(id=email, email=email)

    @property
    def is_local(self) -> bool:
        return self.id == LOCAL_USER.id


#: The one user of a single-user installation (no login configured).
LOCAL_USER = User(id="local", name="single user (no login)")


def acting_user(login_configured: bool, info: Mapping | None = None) -> User:
    """
    Who a page acts as.

    Parameters
    ----------
    login_configured : bool
        Whether Streamlit's login (``[auth]`` in secrets) is set up.
    info : mapping, optional
        ``st.user`` (``is_logged_in``, ``email``, ``sub``, ``name``).

    Returns
    -------
    User
        :data:`LOCAL_USER` without login (single-user mode); the signed-in
        user with login.

    Raises
    ------
    PermissionDenied
        With login configured and nobody signed in: the library is not
        opened as anybody.
    """
    if not login_configured:
        return LOCAL_USER
    if not info or not info.get("is_logged_in", False):
        raise PermissionDenied("Sign in to open the device library.")
    return User.from_login(info)


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """SQL condition: devices ``user`` may read (own, or shared with the lab
    and not in the trash)."""
    return sa.or_(
        DeviceRow.owner_id == user.id,
        sa.and_(DeviceRow.visibility == "lab", DeviceRow.deleted_at.is_(None)),
    )


def check_read(row: DeviceRow, user: User) -> None:
    """Raise PermissionDenied unless ``user`` may read the device."""
    if row.owner_id == user.id:
        return
    if row.visibility != "lab":
        raise PermissionDenied(
            f"Device {row.id} is a private record of another user: you cannot "
            "open, change or delete it."
        )
    if row.deleted_at is not None:
        raise InputError(f"Device {row.id} is in its owner's trash.")


def check_change(row: DeviceRow, user: User) -> None:
    """Raise PermissionDenied unless ``user`` owns the device."""
    check_read(row, user)
    if row.owner_id != user.id:
        raise PermissionDenied(
            f"Device {row.id} belongs to {row.owner_id}: it is shared with the "
            "lab to read, only its owner can change or delete it."
        )
