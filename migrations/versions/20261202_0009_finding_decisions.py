"""Privacy findings a moderator marked as not identifying

Revision ID: d0f5e3a10009
Revises: d0f5e3a10008
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10009"
down_revision = "d0f5e3a10008"
branch_labels = None
depends_on = None

FINDING = ["span_start", "span_end", "kind"]


def upgrade():
    op.create_table(
        "finding_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("edit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("span_text", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_finding_decisions_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["users.id"],
            name=op.f("fk_finding_decisions_moderator_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_decisions")),
    )
    with op.batch_alter_table("finding_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_finding_decisions_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_finding_decisions_post", ["post_id"], unique=False)
        batch_op.create_index(
            "uq_finding_decisions_post_finding",
            ["post_id", *FINDING],
            unique=True,
            sqlite_where=sa.text("edit_id IS NULL"),
            postgresql_where=sa.text("edit_id IS NULL"),
        )
        batch_op.create_index(
            "uq_finding_decisions_edit_finding",
            ["edit_id", *FINDING],
            unique=True,
            sqlite_where=sa.text("edit_id IS NOT NULL"),
            postgresql_where=sa.text("edit_id IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("finding_decisions", schema=None) as batch_op:
        batch_op.drop_index("uq_finding_decisions_edit_finding")
        batch_op.drop_index("uq_finding_decisions_post_finding")
        batch_op.drop_index("ix_finding_decisions_post")
        batch_op.drop_index("ix_finding_decisions_created")
    op.drop_table("finding_decisions")
