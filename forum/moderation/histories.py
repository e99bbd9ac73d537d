"""What the review queue shows of an author: how many of their posts were approved, returned,
rejected and brought to a moderator, for all authors on a page in one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import Report

# The queue counts an author's approved and rejected posts up to here.
HISTORY_CAP = 100


@dataclass(frozen=True)
class History:
    # approved and rejected stop at HISTORY_CAP + 1: "more than HISTORY_CAP"
    approved: int = 0
    returned: int = 0
    rejected: int = 0
    reports: int = 0
    cap: ClassVar[int] = HISTORY_CAP


def author_histories(author_ids: set[int]) -> dict[int, History]:
    """Approved, returned (ever), rejected and reported counts per author, in one grouped query.

    Returns are counted from the audit log, because a returned post that was resubmitted and
    approved no longer has the status ``returned``. Reports count those by members (watched-word
    flags have no reporter).
    """
    if not author_ids:
        return {}

    # One row per author. Approved and rejected posts are counted up to HISTORY_CAP each, from
    # the index ix_posts_author: an author with 70,000 posts costs what one with 101 does, and
    # "more than 100" tells a moderator as much (the person's page has the exact figures).
    # Returns and reports are found from their own (few) rows, each looking up its post's
    # author by primary key: walking every post of a prolific author to look for its reports
    # cost 16 ms a page at 1M posts, and a join let the planner start at the posts.
    def capped(author_id: int, status: PostStatus) -> sa.Select:
        first = (
            sa.select(Post.author_id)
            .where(Post.author_id == author_id, Post.status == status)
            .limit(HISTORY_CAP + 1)
            .subquery()
        )
        return sa.select(first.c.author_id, sa.literal(status.value).label("status"))

    statuses = (PostStatus.APPROVED, PostStatus.REJECTED)
    found = sa.union_all(
        *(capped(author_id, status) for author_id in sorted(author_ids) for status in statuses)
    ).subquery()
    by_status = (
        sa.select(
            found.c.author_id,
            sa.func.count().filter(found.c.status == PostStatus.APPROVED.value).label("approved"),
            sa.func.count().filter(found.c.status == PostStatus.REJECTED.value).label("rejected"),
        )
        .group_by(found.c.author_id)
        .subquery()
    )

    def per_author(rows: sa.Select, post_id: sa.ColumnElement[int | None]) -> sa.Subquery:
        author = sa.select(Post.author_id).where(Post.id == post_id).scalar_subquery()
        found = rows.add_columns(author.label("author_id")).subquery()
        return (
            sa.select(found.c.author_id, sa.func.count().label("n"))
            .where(found.c.author_id.in_(author_ids))
            .group_by(found.c.author_id)
            .subquery()
        )

    returned = per_author(
        sa.select().where(AuditEntry.action == "post.returned", AuditEntry.target_type == "post"),
        AuditEntry.target_id,
    )
    reported = per_author(sa.select().where(Report.reporter_id.is_not(None)), Report.post_id)
    stmt = (
        sa.select(
            User.id,
            sa.func.coalesce(by_status.c.approved, 0),
            sa.func.coalesce(returned.c.n, 0),
            sa.func.coalesce(by_status.c.rejected, 0),
            sa.func.coalesce(reported.c.n, 0),
        )
        .outerjoin(by_status, by_status.c.author_id == User.id)
        .outerjoin(returned, returned.c.author_id == User.id)
        .outerjoin(reported, reported.c.author_id == User.id)
        .where(User.id.in_(author_ids))
    )
    return {
        author_id: History(approved, returned, rejected, reports)
        for author_id, approved, returned, rejected, reports in db.session.execute(stmt)
    }
