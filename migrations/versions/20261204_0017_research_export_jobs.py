"""Research exports built in the background: their progress, file and expiry (issue 14)

Revision ID: d0f5e3a10017
Revises: d0f5e3a10016
Create Date: 2026-12-04 03:10:00

A new table only; the export log (research_exports) is unchanged and keeps each file's hash.
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10017"
down_revision = "d0f5e3a10016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "research_export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("threads_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("threads_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["research_projects.id"],
            name=op.f("fk_research_export_jobs_project_id_research_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.id"],
            name=op.f("fk_research_export_jobs_requester_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["research_exports.id"],
            name=op.f("fk_research_export_jobs_record_id_research_exports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_export_jobs")),
    )
    with op.batch_alter_table("research_export_jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_research_export_jobs_project_requested", ["project_id", "requested_at"]
        )
        batch_op.create_index("ix_research_export_jobs_waiting", ["built_at", "id"])
        batch_op.create_index("ix_research_export_jobs_expires_at", ["expires_at"])


def downgrade() -> None:
    op.drop_table("research_export_jobs")
