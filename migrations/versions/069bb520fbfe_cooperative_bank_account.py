"""cooperative bank account (RIB) for the bank transfer sheet

Revision ID: 069bb520fbfe
Revises: 71c746374e29
Create Date: 2026-11-22 00:38:09.877272

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '069bb520fbfe'
down_revision = '71c746374e29'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_account', sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_column('bank_account')
