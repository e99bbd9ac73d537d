"""moderation columns: pre-moderated werkvelden, always moderate, privacy findings on posts

Revision ID: 4b7d2c9e1a05
Revises: e022ff6972f2
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4b7d2c9e1a05'
down_revision = 'e022ff6972f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderated', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('always_moderate', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('trusted_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_findings', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('safeguarding', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_posts_handled_by_id_users'), 'users', ['handled_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('pending_edits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safeguarding', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('watched_phrase', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('watched_phrase')

    with op.batch_alter_table('pending_edits', schema=None) as batch_op:
        batch_op.drop_column('safeguarding')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_handled_by_id_users'), type_='foreignkey')
        batch_op.drop_column('handled_at')
        batch_op.drop_column('handled_by_id')
        batch_op.drop_column('safeguarding')
        batch_op.drop_column('privacy_findings')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('trusted_at')
        batch_op.drop_column('always_moderate')

    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.drop_column('premoderated')
