"""workshop messages: room for the three-letter code of Tamazight (zgh)

Revision ID: 5a7e0c3d91b2
Revises: 0a883741eced
Create Date: 2026-11-29 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7e0c3d91b2'
down_revision = '0a883741eced'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop_messages', schema=None) as batch_op:
        batch_op.alter_column(
            'language',
            existing_type=sa.String(length=2),
            type_=sa.String(length=8),
            existing_nullable=False,
        )


def downgrade():
    with op.batch_alter_table('workshop_messages', schema=None) as batch_op:
        batch_op.alter_column(
            'language',
            existing_type=sa.String(length=8),
            type_=sa.String(length=2),
            existing_nullable=False,
        )
