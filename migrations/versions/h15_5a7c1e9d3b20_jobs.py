"""Background jobs (jobs and their rendered parts) and the scheduled work's notices.

Revision ID: 5a7c1e9d3b20
Revises: 37089ef29876
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "5a7c1e9d3b20"
down_revision = '37089ef29876'  # chained after h16 at the merge
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("chunks_total", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result_key", sa.String(length=200), nullable=True),
        sa.Column("result_name", sa.String(length=200), nullable=True),
        sa.Column("result_type", sa.String(length=80), nullable=True),
        sa.Column("result_size", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["editions.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_edition_id"), ["edition_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)
    op.create_table(
        "job_parts",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"]),
        sa.PrimaryKeyConstraint("job_id", "index"),
    )

    op.create_table(
        "scheduled_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["editions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "subject", name="uq_scheduled_notices_subject"),
    )
    with op.batch_alter_table("scheduled_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scheduled_notices_edition_id"), ["edition_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("scheduled_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_notices_edition_id"))
    op.drop_table("scheduled_notices")
    op.drop_table("job_parts")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_jobs_owner_id"))
        batch_op.drop_index(batch_op.f("ix_jobs_edition_id"))
    op.drop_table("jobs")
