"""Anonymous posts in exports: a project may ask to link them to their author (issue 14)

Revision ID: d0f5e3a10018
Revises: d0f5e3a10017
Create Date: 2026-12-04 03:00:00

Existing projects need no linkage: their next export gives anonymous posts their own pseudonym.
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10018"
down_revision = "d0f5e3a10017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("research_projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "anonymous_linkage_needed",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch_op.add_column(
            sa.Column("anonymous_linkage_reason", sa.String(length=2000), nullable=True)
        )
        batch_op.add_column(
            sa.Column("anonymous_linkage_approved_by_id", sa.Integer(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("anonymous_linkage_approved_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_research_projects_anonymous_linkage_approved_by_id_users"),
            "users",
            ["anonymous_linkage_approved_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("research_projects", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_research_projects_anonymous_linkage_approved_by_id_users"),
            type_="foreignkey",
        )
        batch_op.drop_column("anonymous_linkage_approved_at")
        batch_op.drop_column("anonymous_linkage_approved_by_id")
        batch_op.drop_column("anonymous_linkage_reason")
        batch_op.drop_column("anonymous_linkage_needed")
