"""
Working sets and headline uncertainties: ``working_sets`` (the devices a
browser session had open, under the key in its URL, so that a reload reopens
them) and ``analyses.headline`` (the uncertainties of the summary's numbers
for the library's list). The headline of every existing analysis is computed
from its stored results.

Revision ID: 0004
Revises: 0003
Create Date: 2026-01-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Analyses whose headline is computed per round trip (results are loaded).
_BATCH = 200


def upgrade() -> None:
    op.create_table(
        "working_sets",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(320), nullable=False),
        sa.Column("device_ids", sa.JSON(), nullable=False),
        sa.Column("current_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_working_sets"),
    )
    op.create_index("ix_working_sets_updated_at", "working_sets", ["updated_at"])
    op.add_column("analyses", sa.Column("headline", sa.JSON(), nullable=True))
    _fill_headlines()


def _fill_headlines() -> None:
    from core.library.headline import headline

    analyses = sa.table(
        "analyses",
        sa.column("id", sa.Integer()),
        sa.column("results", sa.JSON()),
        sa.column("headline", sa.JSON()),
    )
    connection = op.get_bind()
    last = 0
    while True:
        batch = connection.execute(
            sa.select(analyses.c.id, analyses.c.results)
            .where(analyses.c.id > last)
            .order_by(analyses.c.id)
            .limit(_BATCH)
        ).all()
        if not batch:
            return
        for analysis_id, results in batch:
            connection.execute(
                analyses.update()
                .where(analyses.c.id == analysis_id)
                .values(headline=headline(results or {}))
            )
        last = batch[-1][0]


def downgrade() -> None:
    op.drop_column("analyses", "headline")
    op.drop_index("ix_working_sets_updated_at", table_name="working_sets")
    op.drop_table("working_sets")
