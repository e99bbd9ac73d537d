"""Two-factor sign-in: TOTP secrets and hashed recovery codes (issue 12)

Revision ID: d0f5e3a10013
Revises: d0f5e3a10012
Create Date: 2026-12-03 18:00:00
"""

from alembic import op  # noqa: F401

revision = "d0f5e3a10013"
down_revision = "d0f5e3a10012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
