"""Workshop rooms as named things (names per language, internal code), as gates are.

Every distinct room text of a site's workshops becomes a room of that site, named with that
text in the language it was typed in (Arabic when it holds Arabic letters, else French) and
given an internal code made from it; each workshop then points at its room.

Revision ID: 7c3e9a1f5d20
Revises: 040a2c08eabe
Create Date: 2026-11-29 07:25:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7c3e9a1f5d20'
down_revision = '040a2c08eabe'  # chained after main's head (h14) at the merge
branch_labels = None
depends_on = None

ARABIC = re.compile(r"[\u0600-\u06ff]")


def upgrade():
    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_rooms_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    sa.UniqueConstraint('site_id', 'code', name=op.f('uq_rooms_site_id_code'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooms_site_id'), ['site_id'], unique=False)
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_id', sa.Integer(), nullable=True))
    copy_rooms_up()
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.alter_column('room_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_workshops_room_id'), ['room_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_workshops_room_id_rooms'), 'rooms', ['room_id'], ['id'])
        batch_op.drop_column('room')


def room_code(text, used):
    code = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]
    if code and code not in used:
        return code
    number = len(used) + 1
    while f"room-{number}" in used:
        number += 1
    return f"room-{number}"


def copy_rooms_up():
    connection = op.get_bind()
    workshops = sa.table(
        "workshops",
        sa.column("id", sa.Integer),
        sa.column("site_id", sa.Integer),
        sa.column("room", sa.String),
        sa.column("room_id", sa.Integer),
    )
    rooms = sa.table(
        "rooms",
        sa.column("id", sa.Integer),
        sa.column("site_id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("names", sa.JSON),
        sa.column("position", sa.Integer),
    )
    found = {}  # (site id, folded text) -> room id
    used = {}  # site id -> codes
    rows = connection.execute(
        sa.select(workshops.c.id, workshops.c.site_id, workshops.c.room).order_by(workshops.c.id)
    ).all()
    for workshop_id, site_id, text in rows:
        text = " ".join((text or "").split()) or "?"
        key = (site_id, text.casefold())
        if key not in found:
            codes = used.setdefault(site_id, set())
            code = room_code(text, codes)
            codes.add(code)
            language = "ar" if ARABIC.search(text) else "fr"
            found[key] = connection.execute(
                rooms.insert()
                .values(site_id=site_id, code=code, names={language: text}, position=len(codes) - 1)
                .returning(rooms.c.id)
            ).scalar_one()
        connection.execute(
            workshops.update().where(workshops.c.id == workshop_id).values(room_id=found[key])
        )


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room', sa.String(length=120), nullable=False, server_default=''))
    connection = op.get_bind()
    rooms = sa.table("rooms", sa.column("id", sa.Integer), sa.column("names", sa.JSON))
    workshops = sa.table(
        "workshops", sa.column("room", sa.String), sa.column("room_id", sa.Integer)
    )
    for room_id, names in connection.execute(sa.select(rooms.c.id, rooms.c.names)).all():
        names = names or {}
        text = names.get("fr") or next((value for value in names.values() if value), "?")
        connection.execute(
            workshops.update().where(workshops.c.room_id == room_id).values(room=text[:120])
        )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.alter_column('room', server_default=None)
        batch_op.drop_constraint(batch_op.f('fk_workshops_room_id_rooms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshops_room_id'))
        batch_op.drop_column('room_id')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooms_site_id'))
    op.drop_table('rooms')
