"""Request ids: the request that queued a mail, or made a notice a mail tells about (issue 13)

Revision ID: d0f5e3a10016
Revises: d0f5e3a10015
Create Date: 2026-12-04 02:30:00

Both nullable: rows from before, and mails the worker queues on its own (digests), have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10016"
down_revision = "d0f5e3a10015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("request_id")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_id")
