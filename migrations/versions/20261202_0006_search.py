"""Search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL

Revision ID: d0f5e3a10006
Revises: ea336771596a
Create Date: 2026-12-02 14:00:00
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "d0f5e3a10006"
down_revision = "ea336771596a"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
