"""
Lab rows of the literature table: ``literature_rows`` (record id unique in
the library, owner, visibility, the row's cells as JSON text, timestamps).
A new table: existing devices, files and analyses are not touched, and there
is no data step (no lab row existed before this revision).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "literature_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.String(320), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'lab')", name="ck_literature_rows_visibility"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_literature_rows_owner_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_literature_rows"),
        sa.UniqueConstraint("record_id", name="uq_literature_rows_record_id"),
    )
    op.create_index(
        "ix_literature_rows_owner_id", "literature_rows", ["owner_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_literature_rows_owner_id", table_name="literature_rows")
    op.drop_table("literature_rows")
