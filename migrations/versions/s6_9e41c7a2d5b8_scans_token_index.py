"""Drop the index of scans by token: no query reads scans by token (re-entries are judged from
first_entries), and with two million scans each batch paid a scattered page per scan for it.

Revision ID: 9e41c7a2d5b8
Revises: d704c6e6bc8f
Create Date: 2026-11-29
"""

from alembic import op

revision = "9e41c7a2d5b8"
down_revision = "d704c6e6bc8f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scans_token_id"))


def downgrade():
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scans_token_id"), ["token_id"], unique=False)
