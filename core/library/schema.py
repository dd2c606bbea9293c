"""
The library's tables, as SQLAlchemy 2 declarative models (the schema at the
newest migration; ``core/library/migrations`` builds it step by step).

- ``users``: who saved something (the login's e-mail, or ``local``).
- ``devices``: one row per device record, its owner and visibility
  (``private`` or ``lab``), and ``deleted_at`` while it is in the trash.
- ``device_tags``: the tags of a device.
- ``blobs``: raw file content, keyed by its SHA-256: a file shared by
  several devices is stored once.
- ``device_files``: which blob a device holds, under which original name and
  as which kind (``spectra``, ``jvl``, ``lifetime`` or ``attachment``).
- ``analyses``: the settings an analysis ran with, its results (JSON), the
  software version and whether it is the device's current one; older ones
  are kept. ``headline`` holds the uncertainties of the summary's numbers
  for the list (:func:`core.library.headline.headline`).
- ``working_sets``: the devices a browser session had open, under the key
  in its URL, so that a reload reopens them (ids only; opening them again
  goes through the access rules).
- ``literature_rows``: the lab's rows of the literature table (a paper's
  device entered by hand or from a CSV): the cells as text in the curated
  table's columns, their owner and visibility; never mixed into the curated
  CSV (:mod:`core.library.literature_rows`).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "UserRow",
    "DeviceRow",
    "TagRow",
    "BlobRow",
    "DeviceFileRow",
    "AnalysisRow",
    "WorkingSetRow",
    "LiteratureRowRow",
    "TABLES",
]

#: Timestamps are stored in UTC.
_Timestamp = sa.DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base of the library's models."""

    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(sa.String(320), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), default="")
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(_Timestamp)


class DeviceRow(Base):
    __tablename__ = "devices"
    __table_args__ = (
        sa.CheckConstraint("visibility IN ('private', 'lab')", name="visibility"),
        sa.Index(None, "owner_id", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    batch: Mapped[str] = mapped_column(sa.String(200), default="", index=True)
    date_made: Mapped[dt.date | None] = mapped_column(sa.Date)
    structure: Mapped[str] = mapped_column(sa.Text, default="")
    emitter: Mapped[str] = mapped_column(sa.String(200), default="")
    area_cm2: Mapped[float | None] = mapped_column(sa.Double)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[str] = mapped_column(sa.String(16), default="private")
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(_Timestamp)
    updated_at: Mapped[dt.datetime] = mapped_column(_Timestamp)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(_Timestamp)
    deleted_by: Mapped[str | None] = mapped_column(sa.String(320))


class TagRow(Base):
    __tablename__ = "device_tags"

    device_id: Mapped[int] = mapped_column(
        sa.ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class BlobRow(Base):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(_Timestamp)


class DeviceFileRow(Base):
    __tablename__ = "device_files"
    __table_args__ = (sa.UniqueConstraint("device_id", "name"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(
        sa.ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(sa.Integer)
    name: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16))
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"), index=True)


class AnalysisRow(Base):
    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(
        sa.ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    settings: Mapped[dict] = mapped_column(sa.JSON)
    results: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    summary: Mapped[dict] = mapped_column(sa.JSON)
    software_version: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[dt.datetime] = mapped_column(_Timestamp)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    current: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    headline: Mapped[dict | None] = mapped_column(sa.JSON)


class WorkingSetRow(Base):
    __tablename__ = "working_sets"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    owner_id: Mapped[str] = mapped_column(sa.String(320))
    device_ids: Mapped[list] = mapped_column(sa.JSON)
    current_id: Mapped[int | None] = mapped_column(sa.Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(_Timestamp, index=True)


class LiteratureRowRow(Base):
    __tablename__ = "literature_rows"
    __table_args__ = (
        sa.CheckConstraint("visibility IN ('private', 'lab')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    visibility: Mapped[str] = mapped_column(sa.String(16), default="private")
    cells: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(_Timestamp)
    updated_at: Mapped[dt.datetime] = mapped_column(_Timestamp)


#: Tables in an order that satisfies the foreign keys.
TABLES = tuple(Base.metadata.sorted_tables)
