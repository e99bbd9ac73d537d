"""What the review queue shows of an author: how many of their posts were approved, returned,
rejected and brought to a moderator, for all authors on a page in one query."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.counts import capped_count
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

    rows = db.session.execute(histories_statement(), {"author_ids": sorted(author_ids)})
    return {
        author_id: History(approved, returned, rejected, reports)
        for author_id, approved, returned, rejected, reports in rows
    }


@functools.cache
def histories_statement() -> sa.Select:
    """The one statement behind ``author_histories``, for the ids in ``author_ids``.

    Built once: its shape does not depend on how many authors a page has, so neither does
    building it (a UNION of two subqueries per author cost more to build than to run).

    Approved and rejected posts are counted up to HISTORY_CAP each, per author from the index
    ix_posts_author: an author with 70,000 posts costs what one with 101 does, and "more than
    100" tells a moderator as much (the person's page has the exact figures). Returns and
    reports are found from their own (few) rows, each looking up its post's author by primary
    key: walking every post of a prolific author to look for its reports cost 16 ms a page at
    1M posts, and a join let the planner start at the posts.
    """
    author_ids = sa.bindparam("author_ids", expanding=True)

    def capped(status: PostStatus) -> sa.ScalarSelect:
        posts = (
            sa.select(sa.literal(1))
            .where(Post.author_id == User.id, Post.status == status)
            .correlate(User)
        )
        return capped_count(posts, HISTORY_CAP).scalar_subquery()

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
    return (
        sa.select(
            User.id,
            capped(PostStatus.APPROVED),
            sa.func.coalesce(returned.c.n, 0),
            capped(PostStatus.REJECTED),
            sa.func.coalesce(reported.c.n, 0),
        )
        .outerjoin(returned, returned.c.author_id == User.id)
        .outerjoin(reported, reported.c.author_id == User.id)
        .where(User.id.in_(author_ids))
    )
