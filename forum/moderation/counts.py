"""How much waits for moderators, per moderation page: the counts in their navigation.

One SQL query per page (four scalar subqueries in one SELECT), cached on ``g``, so the main
navigation and the moderation sub-navigation share it. Each part is counted up to COUNT_CAP and
shown as "1000+" past it: a queue of 24,000 waiting posts then costs what one of 1,001 does, and
a moderator learns as much from "1000+".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import PendingEdit, RemovalRequest, RemovalStatus, Report, ReportStatus

COUNT_CAP = 1000


@dataclass(frozen=True)
class ModerationCounts:
    queue: int  # waiting posts and edits (Te beoordelen)
    reports: int  # posts with open reports (Voorgelegd), a post counted once
    removals: int  # open removal requests (Verwijderverzoeken)

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def total(self) -> int:
        return self.queue + self.reports + self.removals

    @staticmethod
    def shown(count: int) -> str:
        """A count as the navigation shows it: "1000+" past the cap."""
        return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def capped_count(stmt: sa.Select, cap: int | None = None) -> sa.Select:
    """How many rows ``stmt`` gives, counted up to ``cap`` + 1 (default COUNT_CAP)."""
    over = (COUNT_CAP if cap is None else cap) + 1
    return sa.select(sa.func.count()).select_from(stmt.limit(over).subquery())


def moderation_counts() -> ModerationCounts:
    if "moderation_counts" not in g:
        parts = (
            sa.select(Post.id).where(Post.status == PostStatus.PENDING),
            sa.select(PendingEdit.id),
            sa.select(Report.post_id).where(Report.status == ReportStatus.OPEN).distinct(),
            sa.select(RemovalRequest.id).where(RemovalRequest.status == RemovalStatus.OPEN),
        )
        posts, edits, reported, removals = db.session.execute(
            sa.select(*(capped_count(part).scalar_subquery() for part in parts))
        ).one()
        queue = min(int(posts) + int(edits), COUNT_CAP + 1)
        g.moderation_counts = ModerationCounts(queue, int(reported), int(removals))
    return g.moderation_counts


def waiting_count() -> int:
    """Everything that waits (queue, reports, removal requests): the main navigation's count."""
    return min(moderation_counts().total, COUNT_CAP + 1)
