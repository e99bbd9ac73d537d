"""A counter of commits that changed what visitors see (the visitors' page cache)

Revision ID: d0f5e3a10010
Revises: d0f5e3a10009
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10010"
down_revision = "d0f5e3a10009"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table("content_generation")
