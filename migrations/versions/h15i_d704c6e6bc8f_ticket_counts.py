"""ticket_counts: an edition's tickets per source, kept by the writes that make tickets, so that
the attendance page reads a few rows instead of counting every ticket; filled from the tickets.

Revision ID: d704c6e6bc8f
Revises: b7d2e4f61a93
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "d704c6e6bc8f"
down_revision = "b7d2e4f61a93"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ticket_counts",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"], ["editions.id"], name=op.f("fk_ticket_counts_edition_id_editions")
        ),
        sa.PrimaryKeyConstraint("edition_id", "source", name=op.f("pk_ticket_counts")),
    )
    op.execute(
        "INSERT INTO ticket_counts (edition_id, source, count) "
        "SELECT edition_id, source, COUNT(*) FROM tickets GROUP BY edition_id, source"
    )


def downgrade():
    op.drop_table("ticket_counts")
