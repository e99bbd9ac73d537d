"""Following threads and werkvelden, read positions, notification settings

Revision ID: d0f5e3a10007
Revises: d0f5e3a10006
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10007"
down_revision = "d0f5e3a10006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "thread_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_thread_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_follows_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_thread_follows")),
    )
    op.create_index("ix_thread_follows_thread", "thread_follows", ["thread_id"])
    op.create_index(
        "ix_thread_follows_user_created", "thread_follows", ["user_id", "created_at", "thread_id"]
    )

    op.create_table(
        "setting_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("setting_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_setting_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["setting_id"],
            ["settings.id"],
            name=op.f("fk_setting_follows_setting_id_settings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "setting_id", name=op.f("pk_setting_follows")),
    )
    op.create_index("ix_setting_follows_setting", "setting_follows", ["setting_id"])
    op.create_index(
        "ix_setting_follows_user_created",
        "setting_follows",
        ["user_id", "created_at", "setting_id"],
    )

    op.create_table(
        "thread_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_thread_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_reads_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_read_post_id"],
            ["posts.id"],
            name=op.f("fk_thread_reads_last_read_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_thread_reads")),
    )

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("auto_follow", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("mail_replies", sa.String(length=12), server_default="daily", nullable=False),
        sa.Column(
            "mail_mentions", sa.String(length=12), server_default="immediately", nullable=False
        ),
        sa.Column("queue_digest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )

    op.create_index(
        "ix_notifications_user_thread_event",
        "notifications",
        ["user_id", "thread_id", "event", "read_at"],
    )


def downgrade():
    op.drop_index("ix_notifications_user_thread_event", table_name="notifications")
    op.drop_table("notification_settings")
    op.drop_table("thread_reads")
    op.drop_index("ix_setting_follows_user_created", table_name="setting_follows")
    op.drop_index("ix_setting_follows_setting", table_name="setting_follows")
    op.drop_table("setting_follows")
    op.drop_index("ix_thread_follows_user_created", table_name="thread_follows")
    op.drop_index("ix_thread_follows_thread", table_name="thread_follows")
    op.drop_table("thread_follows")
