"""Jobs keep a summary of what they did and a key that makes a repeated request find the first
job; job_items records each item of a job's work done once (a bulk message's recipients).

Revision ID: b7d2e4f61a93
Revises: 7c3e9a1f5d20
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e4f61a93"
down_revision = 'b3d5f7a9c1e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("once_key", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_jobs_once_key"), ["once_key"])
    op.create_table(
        "job_items",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_items_job_id_jobs")),
        sa.PrimaryKeyConstraint("job_id", "item", name=op.f("pk_job_items")),
    )


def downgrade():
    op.drop_table("job_items")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_jobs_once_key"), type_="unique")
        batch_op.drop_column("once_key")
        batch_op.drop_column("summary")
