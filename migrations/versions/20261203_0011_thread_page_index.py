"""Indexes that keep deep pages flat: the thread page's index also covers who may see a post
(deep pages stay index-only); the research list's order (approved threads, newest first); a
thread's opening post (the review queue)

Revision ID: d0f5e3a10011
Revises: d0f5e3a10010
Create Date: 2026-12-03 10:00:00
"""

from alembic import op

revision = "d0f5e3a10011"
down_revision = "d0f5e3a10010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_thread_page",
            ["thread_id", "created_at", "id", "status", "author_id"],
            unique=False,
        )
        batch_op.drop_index("ix_posts_thread_order")
        batch_op.create_index("ix_posts_opening", ["thread_id", "is_opening"], unique=False)
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.create_index("ix_threads_created", ["status", "created_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_created")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_thread_order", ["thread_id", "created_at", "id"], unique=False
        )
        batch_op.drop_index("ix_posts_thread_page")
        batch_op.drop_index("ix_posts_opening")
