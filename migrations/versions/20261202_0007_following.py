"""Following threads and werkvelden, read positions, notification settings

Revision ID: d0f5e3a10007
Revises: d0f5e3a10006
Create Date: 2026-12-02 14:00:00
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "d0f5e3a10007"
down_revision = "d0f5e3a10006"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
