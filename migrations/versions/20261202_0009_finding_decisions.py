"""Privacy findings a moderator marked as not identifying

Revision ID: d0f5e3a10009
Revises: d0f5e3a10008
Create Date: 2026-12-02 14:00:00
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "d0f5e3a10009"
down_revision = "d0f5e3a10008"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
