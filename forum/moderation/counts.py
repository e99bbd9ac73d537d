"""How much waits for moderators, per moderation page: the counts in their navigation.

One SQL query per page (three scalar subqueries in one SELECT), cached on ``g``, so the main
navigation and the moderation sub-navigation share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import PendingEdit, RemovalRequest, RemovalStatus, Report, ReportStatus


@dataclass(frozen=True)
class ModerationCounts:
    queue: int  # waiting posts and edits (Te beoordelen)
    reports: int  # posts with open reports (Voorgelegd), a post counted once
    removals: int  # open removal requests (Verwijderverzoeken)

    @property
    def total(self) -> int:
        return self.queue + self.reports + self.removals


def moderation_counts() -> ModerationCounts:
    if "moderation_counts" not in g:
        posts = sa.select(sa.func.count(Post.id)).where(Post.status == PostStatus.PENDING)
        edits = sa.select(sa.func.count(PendingEdit.id))
        reported = sa.select(sa.func.count(sa.distinct(Report.post_id))).where(
            Report.status == ReportStatus.OPEN
        )
        removals = sa.select(sa.func.count(RemovalRequest.id)).where(
            RemovalRequest.status == RemovalStatus.OPEN
        )
        row = db.session.execute(
            sa.select(
                posts.scalar_subquery() + edits.scalar_subquery(),
                reported.scalar_subquery(),
                removals.scalar_subquery(),
            )
        ).one()
        g.moderation_counts = ModerationCounts(int(row[0]), int(row[1]), int(row[2]))
    return g.moderation_counts


def waiting_count() -> int:
    """Everything that waits (queue, reports, removal requests): the main navigation's count."""
    return moderation_counts().total
