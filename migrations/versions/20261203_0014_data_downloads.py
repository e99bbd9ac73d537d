"""Own-data downloads: requests, their files and expiry (issue 12)

Revision ID: d0f5e3a10014
Revises: d0f5e3a10013
Create Date: 2026-12-03 18:00:00
"""

from alembic import op  # noqa: F401

revision = "d0f5e3a10014"
down_revision = "d0f5e3a10013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
