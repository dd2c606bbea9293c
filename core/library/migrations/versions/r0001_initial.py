"""
The first schema: users, devices with their tags, files stored once by
SHA-256, and analyses (settings, results, software version).

Revision ID: 0001
Revises:
Create Date: 2026-01-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    _users_and_devices()
    _files_and_analyses()


def _users_and_devices() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(320), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("batch", sa.String(200), nullable=False),
        sa.Column("date_made", sa.Date(), nullable=True),
        sa.Column("structure", sa.Text(), nullable=False),
        sa.Column("emitter", sa.String(200), nullable=False),
        sa.Column("area_cm2", sa.Double(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("owner_id", sa.String(320), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'lab')", name="ck_devices_visibility"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_devices_owner_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("uid", name="uq_devices_uid"),
    )
    op.create_index("ix_devices_name", "devices", ["name"])
    op.create_index("ix_devices_batch", "devices", ["batch"])
    op.create_index("ix_devices_owner_id", "devices", ["owner_id"])
    op.create_table(
        "device_tags",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name="fk_device_tags_device_id_devices",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", "tag", name="pk_device_tags"),
    )
    op.create_index("ix_device_tags_tag", "device_tags", ["tag"])


def _files_and_analyses() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )
    op.create_table(
        "device_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name="fk_device_files_device_id_devices",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name="fk_device_files_sha256_blobs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_device_files"),
        sa.UniqueConstraint("device_id", "name", name="uq_device_files_device_id_name"),
    )
    op.create_index("ix_device_files_device_id", "device_files", ["device_id"])
    op.create_index("ix_device_files_sha256", "device_files", ["sha256"])
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("software_version", sa.String(32), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name="fk_analyses_device_id_devices",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_analyses"),
    )
    op.create_index("ix_analyses_device_id", "analyses", ["device_id"])


def downgrade() -> None:
    for table in ("analyses", "device_files", "blobs", "device_tags", "devices"):
        op.drop_table(table)
    op.drop_table("users")
