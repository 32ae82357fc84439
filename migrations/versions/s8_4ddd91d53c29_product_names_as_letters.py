"""Products' names are stored with their Arabic and Tifinagh letters as themselves, as every JSON
column is now written (core.database.json_text): they were "\\u0639\\u0633\\u0644" escapes,
which the product search, matching the names as text, could not find when typed in Arabic.

Revision ID: 4ddd91d53c29
Revises: 4c2f8e1b7a63
Create Date: 2026-11-29
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "4ddd91d53c29"
down_revision = "4c2f8e1b7a63"
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    stored = connection.execute(sa.text("SELECT id, CAST(names AS TEXT) FROM store_products")).all()
    rewritten = []
    for product_id, text in stored:
        plain = json.dumps(json.loads(text), ensure_ascii=False)
        if plain != text:
            rewritten.append({"id": product_id, "names": plain})
    if not rewritten:
        return
    value = "CAST(:names AS JSON)" if connection.dialect.name == "postgresql" else ":names"
    connection.execute(
        sa.text(f"UPDATE store_products SET names = {value} WHERE id = :id"), rewritten
    )


def downgrade():
    pass  # the escaped and the plain forms are the same JSON: nothing to undo
