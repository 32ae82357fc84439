"""Join the schema changes that were made side by side (no change of its own).

Revision ID: f00dfacecafe
Revises: the heads listed in down_revision
"""

revision = "f00dfacecafe"
down_revision = ("0a883741eced", "5a7e0c3d91b2", "37089ef29876")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
