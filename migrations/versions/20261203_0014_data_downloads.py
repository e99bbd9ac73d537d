"""Own-data downloads: requests, their files and expiry (issue 12)

Revision ID: d0f5e3a10014
Revises: d0f5e3a10013
Create Date: 2026-12-03 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10014"
down_revision = "d0f5e3a10013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_downloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_data_downloads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_downloads")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_data_downloads_token_hash")),
    )
    op.create_index(
        "ix_data_downloads_user_requested", "data_downloads", ["user_id", "requested_at"]
    )
    op.create_index("ix_data_downloads_waiting", "data_downloads", ["built_at", "id"])
    op.create_index("ix_data_downloads_expires_at", "data_downloads", ["expires_at"])
    # One request at a time per person (forum.accounts.rights.download).
    op.create_index(
        "uq_data_downloads_one_waiting",
        "data_downloads",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text("built_at IS NULL"),
        postgresql_where=sa.text("built_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_data_downloads_one_waiting", table_name="data_downloads")
    op.drop_index("ix_data_downloads_expires_at", table_name="data_downloads")
    op.drop_index("ix_data_downloads_waiting", table_name="data_downloads")
    op.drop_index("ix_data_downloads_user_requested", table_name="data_downloads")
    op.drop_table("data_downloads")
