"""Sales tallies (running sums of sale lines per figure key), back-filled from the lines; an index
on the lines' edition and local due day.

Revision ID: b3d5f7a9c1e2
Revises: 7c3e9a1f5d20
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "b3d5f7a9c1e2"
down_revision = '3b8d6f2a9c41'
branch_labels = None
depends_on = None

SUMS = (
    "SUM(quantity), SUM(amount_centimes), SUM(owed_centimes), SUM(commission_centimes), COUNT(id)"
)
# (scope column, dimension, key expression): the same keys as store/services/tallies.py.
KEYS = (
    ("0", "all", None),
    ("0", "channel", "channel"),
    ("0", "payment", "payment"),
    ("0", "site", "COALESCE(CAST(site_id AS VARCHAR), '')"),
    ("0", "day", "CAST(local_day AS VARCHAR)"),
    ("cooperative_id", "all", None),
    ("cooperative_id", "product", "CAST(product_id AS VARCHAR)"),
    ("cooperative_id", "day", "CAST(local_day AS VARCHAR)"),
    ("cooperative_id", "site", "COALESCE(CAST(site_id AS VARCHAR), '')"),
    ("cooperative_id", "channel", "channel"),
    ("cooperative_id", "due", "CAST(due_on AS VARCHAR)"),
)
COLUMNS = (
    "edition_id, cooperative_id, dimension, key, quantity, amount_centimes, owed_centimes, "
    "commission_centimes, lines"
)


def backfill():
    for scope, dimension, key in KEYS:
        groups = ", ".join(
            column for column in ("edition_id", scope, key) if column and column != "0"
        )
        value = key or "''"
        op.execute(
            f"INSERT INTO store_sales_tallies ({COLUMNS}) "
            f"SELECT edition_id, {scope}, '{dimension}', {value}, {SUMS} "
            f"FROM store_sale_lines GROUP BY {groups}"
        )
    op.execute(
        f"INSERT INTO store_sales_tallies ({COLUMNS}) "
        "SELECT s.edition_id, 0, 'split', p.method, 0, SUM(p.amount_centimes), 0, 0, 0 "
        "FROM store_sale_payments p JOIN store_sales s ON s.id = p.sale_id "
        "WHERE s.payment = 'split' GROUP BY s.edition_id, p.method"
    )


def upgrade():
    op.create_table(
        "store_sales_tallies",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount_centimes", sa.BigInteger(), nullable=False),
        sa.Column("owed_centimes", sa.BigInteger(), nullable=False),
        sa.Column("commission_centimes", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["editions.id"]),
        sa.PrimaryKeyConstraint("edition_id", "cooperative_id", "dimension", "key"),
    )
    with op.batch_alter_table("store_sale_lines") as batch:
        batch.create_index("ix_store_sale_lines_edition_due_on", ["edition_id", "due_on"])
    backfill()


def downgrade():
    with op.batch_alter_table("store_sale_lines") as batch:
        batch.drop_index("ix_store_sale_lines_edition_due_on")
    op.drop_table("store_sales_tallies")
