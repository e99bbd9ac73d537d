"""How much waits for moderators: the count in their navigation (one query, once per page)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import PendingEdit, RemovalRequest, RemovalStatus, Report, ReportStatus


def waiting_count() -> int:
    """Waiting posts and edits, open reports (counted per post) and open removal requests."""
    if "moderation_waiting" not in g:
        posts = sa.select(sa.func.count(Post.id)).where(Post.status == PostStatus.PENDING)
        edits = sa.select(sa.func.count(PendingEdit.id))
        reported = sa.select(sa.func.count(sa.distinct(Report.post_id))).where(
            Report.status == ReportStatus.OPEN
        )
        removals = sa.select(sa.func.count(RemovalRequest.id)).where(
            RemovalRequest.status == RemovalStatus.OPEN
        )
        g.moderation_waiting = db.session.execute(
            sa.select(
                posts.scalar_subquery()
                + edits.scalar_subquery()
                + reported.scalar_subquery()
                + removals.scalar_subquery()
            )
        ).scalar_one()
    return g.moderation_waiting
