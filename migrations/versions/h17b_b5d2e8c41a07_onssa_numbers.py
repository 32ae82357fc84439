"""ONSSA numbers of food products, the food and pre-packed flags, a client id on delivery notes.

Existing products are food when their sector is a food sector (as the sectors' list says), and
count as pre-packed (the store sells jars, bottles and bags); food among them then needs its
packer's ONSSA number before the next deposit, which is what the law asks.

Revision ID: b5d2e8c41a07
Revises: 3f6b8d2a9c41
Create Date: 2026-11-29 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b5d2e8c41a07'
down_revision = '3f6b8d2a9c41'
branch_labels = None
depends_on = None

# booths.models.FOOD_SECTORS when this migration was written (a migration never imports the app).
FOOD_SECTORS = ('honey', 'figs_dried_fruit', 'medicinal_herbs', 'olive_oil', 'argan', 'couscous_cereals', 'dairy')


def upgrade():
    with op.batch_alter_table('store_products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('food', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('prepacked', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('onssa_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('onssa_kind', sa.String(length=14), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_store_products_onssa_kind'),
            "onssa_kind IS NULL OR onssa_kind IN ('authorisation', 'approval')",
        )
    products = sa.table('store_products', sa.column('sector', sa.String), sa.column('food', sa.Boolean))
    op.execute(products.update().where(products.c.sector.in_(FOOD_SECTORS)).values(food=True))
    with op.batch_alter_table('store_deposits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_store_deposits_client_id'), ['client_id'])


def downgrade():
    with op.batch_alter_table('store_deposits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_store_deposits_client_id'), type_='unique')
        batch_op.drop_column('client_id')
    with op.batch_alter_table('store_products', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_store_products_onssa_kind'), type_='check')
        batch_op.drop_column('onssa_kind')
        batch_op.drop_column('onssa_number')
        batch_op.drop_column('prepacked')
        batch_op.drop_column('food')
