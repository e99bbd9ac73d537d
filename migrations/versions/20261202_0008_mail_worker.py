"""Mail: outbox claims and HTML bodies, notifications mailed, digests

Revision ID: d0f5e3a10008
Revises: d0f5e3a10007
Create Date: 2026-12-02 14:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "d0f5e3a10008"
down_revision = "d0f5e3a10007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=30), server_default="account", nullable=False)
        )
        batch_op.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("headers", sa.JSON(), server_default="{}", nullable=False))
        batch_op.add_column(
            sa.Column("notification_ids", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_recipient_id_users"),
            "users",
            ["recipient_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_notifications_event_mailed", ["event", "mailed_at"], unique=False)

    # Notices made before mail existed are settled: nobody gets a mail about old news.
    op.execute(
        "UPDATE notifications SET mailed_at = created_at "
        "WHERE event IN ('followed_thread_reply', 'mention')"
    )

    op.create_table(
        "mail_digest_runs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mail_digest_runs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_mail_digest_runs")),
    )


def downgrade():
    op.drop_table("mail_digest_runs")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_event_mailed")
        batch_op.drop_column("mailed_at")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_recipient_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_recipient_id"))
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("notification_ids")
        batch_op.drop_column("headers")
        batch_op.drop_column("html_body")
        batch_op.drop_column("recipient_id")
        batch_op.drop_column("kind")
