"""translatable master data: an edition's organiser and partners, a site's venue per language

The texts typed so far are kept: a text in Arabic script goes under "ar", any other under "fr"
(the languages the organisers typed them in), an empty one becomes {}.

Revision ID: 5a1c0e7d2b94
Revises: 2894000dfa56
Create Date: 2026-11-29 06:20:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "5a1c0e7d2b94"
down_revision = "2894000dfa56"  # chained after main's line (h10, h12z, h13) at the last merge
branch_labels = None
depends_on = None

COLUMNS = (("editions", "organiser"), ("editions", "partners"), ("sites", "venue"))


def as_translations(text):
    text = (text or "").strip()
    if not text:
        return {}
    arabic = any("\u0600" <= char <= "\u06ff" for char in text)
    return {"ar" if arabic else "fr": text}


def as_text(texts):
    texts = json.loads(texts) if isinstance(texts, str) else (texts or {})
    return texts.get("fr") or texts.get("ar") or next(iter(texts.values()), "")


def rewrite(table, column, convert):
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).fetchall()
    for row_id, value in rows:
        connection.execute(
            sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
            {"value": convert(value), "id": row_id},
        )


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, column in COLUMNS:
            rewrite(
                table, column, lambda value: json.dumps(as_translations(value), ensure_ascii=False)
            )
            op.alter_column(
                table,
                column,
                type_=sa.JSON(),
                existing_nullable=False,
                postgresql_using=f"{column}::json",
            )
        return
    # SQLite: no table rebuild (its foreign keys would refuse dropping editions): a new column,
    # filled, then put in the old one's place (SQLite 3.35+ drops and renames columns natively).
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column}_texts JSON NOT NULL DEFAULT '{{}}'")
        connection = op.get_bind()
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).fetchall()
        for row_id, value in rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET {column}_texts = :value WHERE id = :id"),
                {"value": json.dumps(as_translations(value), ensure_ascii=False), "id": row_id},
            )
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {column}_texts TO {column}")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column in COLUMNS:
        old_type = "TEXT" if column == "partners" else "VARCHAR(300)"
        if postgresql:
            op.alter_column(
                table,
                column,
                type_=sa.Text() if column == "partners" else sa.String(300),
                existing_nullable=False,
                postgresql_using=f"{column}::text",
            )
            rewrite(table, column, as_text)
            continue
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column}_text {old_type} NOT NULL DEFAULT ''")
        connection = op.get_bind()
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).fetchall()
        for row_id, value in rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET {column}_text = :value WHERE id = :id"),
                {"value": as_text(value), "id": row_id},
            )
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {column}_text TO {column}")
