"""The sales tallies count the lines by the UTC hour they fall due ("due_hour"), and those of
paid payouts the same way ("paid_hour"), both back-filled from the lines, so that the overdue figure reads today's hours instead of every line due today; the
lines' index on the edition and due day also holds the due time, the payouts' index on the
edition also the due day.

Revision ID: 4c2f8e1b7a63
Revises: 9e41c7a2d5b8
Create Date: 2026-11-29
"""

from alembic import op

revision = "4c2f8e1b7a63"
down_revision = "9e41c7a2d5b8"
branch_labels = None
depends_on = None

SUMS = (
    "SUM(quantity), SUM(amount_centimes), SUM(owed_centimes), SUM(commission_centimes), COUNT(id)"
)
COLUMNS = (
    "edition_id, cooperative_id, dimension, key, quantity, amount_centimes, owed_centimes, "
    "commission_centimes, lines"
)
# core.timeutil.hour_key in each database's SQL (core.database.hour_key_column)
HOUR_KEY = {
    "sqlite": "strftime('%Y-%m-%dT%H', due_at)",
    "postgresql": "to_char(due_at, 'YYYY-MM-DD\"T\"HH24')",
}


def upgrade():
    with op.batch_alter_table("store_sale_lines") as batch:
        batch.drop_index("ix_store_sale_lines_edition_due_on")
        batch.create_index("ix_store_sale_lines_edition_due", ["edition_id", "due_on", "due_at"])
    with op.batch_alter_table("store_payouts") as batch:
        batch.drop_index("ix_store_payouts_edition_id")
        batch.create_index("ix_store_payouts_edition_due_on", ["edition_id", "due_on"])
    backfill()


def backfill():
    hour = HOUR_KEY[op.get_bind().dialect.name]
    op.execute(
        f"INSERT INTO store_sales_tallies ({COLUMNS}) "
        f"SELECT edition_id, 0, 'due_hour', {hour}, {SUMS} "
        f"FROM store_sale_lines GROUP BY edition_id, {hour}"
    )
    op.execute(
        f"INSERT INTO store_sales_tallies ({COLUMNS}) "
        f"SELECT edition_id, 0, 'paid_hour', {hour}, {SUMS} FROM store_sale_lines "
        "WHERE payout_id IN (SELECT id FROM store_payouts WHERE paid_at IS NOT NULL) "
        f"GROUP BY edition_id, {hour}"
    )


def downgrade():
    op.execute("DELETE FROM store_sales_tallies WHERE dimension IN ('due_hour', 'paid_hour')")
    with op.batch_alter_table("store_payouts") as batch:
        batch.drop_index("ix_store_payouts_edition_due_on")
        batch.create_index("ix_store_payouts_edition_id", ["edition_id"])
    with op.batch_alter_table("store_sale_lines") as batch:
        batch.drop_index("ix_store_sale_lines_edition_due")
        batch.create_index("ix_store_sale_lines_edition_due_on", ["edition_id", "due_on"])
