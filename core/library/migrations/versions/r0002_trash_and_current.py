"""
The trash and the current analysis: ``devices.deleted_at``/``deleted_by``
(soft deletion that can be restored) and ``analyses.current`` (the analysis
a device shows; older ones are kept and labelled). Existing devices are not
in the trash; each device's newest analysis becomes its current one.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, no batch copy: on SQLite, copying ``devices`` would
    # drop the old table and cascade the delete to its files and analyses.
    op.add_column("devices", sa.Column("deleted_at", sa.DateTime(timezone=True)))
    op.add_column("devices", sa.Column("deleted_by", sa.String(320)))
    op.drop_index("ix_devices_owner_id", table_name="devices")
    op.create_index(
        "ix_devices_owner_id_deleted_at", "devices", ["owner_id", "deleted_at"]
    )
    op.add_column(
        "analyses",
        sa.Column("current", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    analyses = sa.table(
        "analyses",
        sa.column("id", sa.Integer()),
        sa.column("device_id", sa.Integer()),
        sa.column("current", sa.Boolean()),
    )
    newest = sa.select(sa.func.max(analyses.c.id)).group_by(analyses.c.device_id)
    op.execute(analyses.update().where(analyses.c.id.in_(newest)).values(current=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place (ALTER TABLE ... DROP COLUMN).
    op.drop_column("analyses", "current")
    op.drop_index("ix_devices_owner_id_deleted_at", table_name="devices")
    op.create_index("ix_devices_owner_id", "devices", ["owner_id"])
    op.drop_column("devices", "deleted_by")
    op.drop_column("devices", "deleted_at")
