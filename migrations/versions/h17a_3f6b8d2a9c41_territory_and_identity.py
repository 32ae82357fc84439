"""Cooperatives and sites tied to a province of the territory (ISO 3166-2:MA code); a cooperative's
ICE, ODCO register number and court of registration.

Each existing cooperative and site gets the code of its province text (French or Arabic name),
else of its city in the gazetteer, else of the provincial seat nearest its coordinates.

Revision ID: 3f6b8d2a9c41
Revises: 7c3e9a1f5d20
Create Date: 2026-11-29 09:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

from markets.gazetteer import province_code_from_text

# revision identifiers, used by Alembic.
revision = '3f6b8d2a9c41'
down_revision = '7c3e9a1f5d20'
branch_labels = None
depends_on = None

TIED = ('cooperatives', 'sites')


def upgrade():
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ice', sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column('odco_number', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('registration_court', sa.String(length=40), nullable=True))
    for table in TIED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('province_code', sa.String(length=6), nullable=True))
        tie_to_provinces(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('province_code', existing_type=sa.String(length=6), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_province_code'), ['province_code'], unique=False)


def tie_to_provinces(name):
    connection = op.get_bind()
    table = sa.table(
        name,
        sa.column('id', sa.Integer),
        sa.column('province', sa.String),
        sa.column('city', sa.String),
        sa.column('latitude', sa.Float),
        sa.column('longitude', sa.Float),
        sa.column('province_code', sa.String),
    )
    rows = connection.execute(
        sa.select(table.c.id, table.c.province, table.c.city, table.c.latitude, table.c.longitude)
    ).all()
    unknown = []
    for row_id, province, city, latitude, longitude in rows:
        code = province_code_from_text(province, city, latitude, longitude)
        if code is None:
            unknown.append(row_id)
            continue
        connection.execute(
            table.update().where(table.c.id == row_id).values(province_code=code)
        )
    if unknown:
        raise RuntimeError(
            f"{name} {unknown}: no province, city or coordinates to tie them to a province; "
            "give each a known city, then upgrade again."
        )


def downgrade():
    for table in TIED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_province_code'))
            batch_op.drop_column('province_code')
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_column('registration_court')
        batch_op.drop_column('odco_number')
        batch_op.drop_column('ice')
