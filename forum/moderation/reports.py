"""Bringing posts to a moderator (reports) and removal requests from people without an account.

Services take the actor, flush and never commit. Every change two moderators could make at the
same moment is a guarded UPDATE (``… WHERE status = 'open'``): exactly one wins, the other gets
False and is told who was first.

A post that reports or a removal request hid is hidden *pending review*: hidden without a
moderator's decision (``Post.handled_by_id`` is empty). Keeping or dismissing the reports puts
such a post back; a moderator's own decision (hide, restore) sets ``handled_by_id``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import lazyload

from forum import audit
from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.core import site
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus
from forum.discussions.services import claim_status, mark_handled
from forum.moderation.models import (
    RemovalRequest,
    RemovalStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from forum.notifications.services import (
    REMOVAL_REQUEST_RECEIVED,
    REPORT_RECEIVED,
    notify,
    notify_author,
    notify_moderators,
)
from forum.pagination import paginate

GROUPS_PER_PAGE = 20
REQUESTS_PER_PAGE = 30
HIDDEN_BY_REPORTS = "post.hidden_by_reports"
HIDDEN_BY_REMOVAL_REQUEST = "post.hidden_by_removal_request"
# What a moderator can decide about the open reports on a post.
REPORT_OUTCOMES = (
    ReportStatus.KEPT,
    ReportStatus.HIDDEN,
    ReportStatus.EDITED,
    ReportStatus.DISMISSED,
)
REMOVAL_OUTCOMES = (RemovalStatus.REMOVED, RemovalStatus.EDITED, RemovalStatus.RESTORED)


# --- a post's status, changed by exactly one -----------------------------------------------------


def move_post(
    post: Post, allowed_from: Collection[PostStatus], new: PostStatus, moderator: User | None
) -> bool:
    """``claim_status`` for reports and removal requests (``moderator`` None: the forum did it)."""
    return claim_status(post, allowed_from, new, moderator.id if moderator is not None else None)


def hide_pending_review(post: Post, action: str, data: dict[str, Any]) -> bool:
    """Hide an approved post until a moderator has looked; the author is told, not by whom."""
    if not move_post(post, (PostStatus.APPROVED,), PostStatus.HIDDEN, None):
        return False
    audit.record(None, action, "post", post.id, data=data)
    notify_author(post, "post_hidden", reason="", pending_review=True)
    return True


def has_open_removal_request(post: Post) -> bool:
    is_open = RemovalRequest.status == RemovalStatus.OPEN
    found = sa.exists().where(RemovalRequest.post_id == post.id, is_open)
    return db.session.execute(sa.select(found)).scalar_one()


def hidden_by_reports(post: Post) -> bool:
    """Hidden because K reports came in, with no moderator decision or removal request since."""
    if post.status is not PostStatus.HIDDEN or post.handled_by_id is not None:
        return False
    audited = sa.exists().where(
        AuditEntry.action == HIDDEN_BY_REPORTS,
        AuditEntry.target_type == "post",
        AuditEntry.target_id == post.id,
    )
    return db.session.execute(sa.select(audited)).scalar_one() and not has_open_removal_request(
        post
    )


def restore(post: Post, moderator: User, because: str) -> bool:
    """Put a hidden post back as approved; the author is told."""
    if not move_post(post, (PostStatus.HIDDEN,), PostStatus.APPROVED, moderator):
        return False
    audit.record(moderator, "post.restored", "post", post.id, data={"because": because})
    notify_author(post, "post_restored")
    return True


# --- reports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportResult:
    stored: bool
    hid_post: bool = False


def open_report_of(post: Post, reporter: User) -> Report | None:
    return db.session.execute(
        sa.select(Report).where(
            Report.post_id == post.id,
            Report.reporter_id == reporter.id,
            Report.status == ReportStatus.OPEN,
        )
    ).scalar_one_or_none()


def latest_report_of(post: Post, reporter: User) -> Report | None:
    return db.session.execute(
        sa.select(Report)
        .where(Report.post_id == post.id, Report.reporter_id == reporter.id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def open_reporter_count(post: Post) -> int:
    """Distinct people with an open report on the post (watched-word flags do not count)."""
    return db.session.execute(
        sa.select(sa.func.count(sa.distinct(Report.reporter_id))).where(
            Report.post_id == post.id,
            Report.status == ReportStatus.OPEN,
            Report.reporter_id.is_not(None),
        )
    ).scalar_one()


def report_post(post: Post, reporter: User, reason: ReportReason, text: str | None) -> ReportResult:
    """Store a report and tell the moderators; the K-th open report hides the post pending
    review.

    One open report per person per post: a second one is not stored (``stored`` False), also
    when two arrive at the same moment (the partial unique index decides).
    """
    # Reports on one post one after the other, so the K-th one is counted (PostgreSQL; SQLite
    # lets one writer in at a time anyway).
    db.session.execute(sa.select(Post.id).where(Post.id == post.id).with_for_update())
    if open_report_of(post, reporter) is not None:
        return ReportResult(stored=False)
    try:
        with db.session.begin_nested():
            db.session.add(
                Report(
                    post_id=post.id,
                    reporter_id=reporter.id,
                    reason=reason,
                    text=text or None,
                    status=ReportStatus.OPEN,
                    created_at=utcnow(),
                )
            )
            db.session.flush()
    except sa.exc.IntegrityError:
        return ReportResult(stored=False)
    count = open_reporter_count(post)
    hid = False
    if count >= site.report_limit():
        hid = hide_pending_review(post, HIDDEN_BY_REPORTS, {"reports": count})
    notify_moderators(REPORT_RECEIVED, post.thread_id, post.id, {"hidden": hid}, reporter.id)
    return ReportResult(stored=True, hid_post=hid)


def resolve_reports(
    post: Post, moderator: User, outcome: ReportStatus, reason: str | None = None
) -> bool:
    """Close every open report on ``post`` with ``outcome`` (kept, hidden, edited, dismissed).

    Hidden: the post is hidden (if it was not) and the author told, with ``reason``. Kept,
    edited, dismissed: a post that the reports hid is put back. Every reporter is told the
    outcome. False when there were no open reports left (another moderator was first).
    Other parts call this too: the queue's edit page with ``ReportStatus.EDITED``.
    """
    if outcome not in REPORT_OUTCOMES:
        raise ValueError(outcome)
    rows = db.session.execute(
        sa.update(Report)
        .where(Report.post_id == post.id, Report.status == ReportStatus.OPEN)
        .values(status=outcome, resolved_at=utcnow(), resolved_by_id=moderator.id)
        .returning(Report.reporter_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not rows:
        return False
    db.session.refresh(post)
    if outcome is ReportStatus.HIDDEN:
        hide_by_moderator(post, moderator, reason)
    elif hidden_by_reports(post):
        restore(post, moderator, because=f"reports.{outcome.value}")
    for reporter_id in sorted({row[0] for row in rows if row[0] is not None}):
        notify(
            reporter_id,
            "report_outcome",
            thread_id=post.thread_id,
            post_id=post.id,
            data={"outcome": outcome.value},
        )
    audit.record(
        moderator,
        f"reports.{outcome.value}",
        "post",
        post.id,
        reason=reason,
        data={"reports": len(rows)},
    )
    db.session.flush()
    return True


def hide_by_moderator(post: Post, moderator: User, reason: str | None) -> None:
    if post.status is PostStatus.HIDDEN:
        mark_handled(post, moderator)  # hidden pending review, now decided
    elif move_post(post, (PostStatus.APPROVED,), PostStatus.HIDDEN, moderator):
        audit.record(moderator, "post.hidden", "post", post.id, reason=reason)
    else:
        return
    notify_author(post, "post_hidden", reason=reason or "")


def last_report_resolver(post: Post) -> User | None:
    resolver_id = db.session.execute(
        sa.select(Report.resolved_by_id)
        .where(Report.post_id == post.id, Report.resolved_at.is_not(None))
        .order_by(Report.resolved_at.desc(), Report.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return db.session.get(User, resolver_id) if resolver_id else None


@dataclass
class ReportGroup:
    """The open reports on one post, for the moderators' list."""

    post: Post
    reports: list[Report] = field(default_factory=list)


def open_report_groups(page: int) -> tuple[Pagination, list[ReportGroup]]:
    """One page of posts with open reports, oldest report first; three queries and a count."""
    stmt = (
        sa.select(Report.post_id)
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.post_id)
        .order_by(sa.func.min(Report.created_at), Report.post_id)
    )
    pagination = paginate(stmt, page, GROUPS_PER_PAGE)
    ids = list(pagination.items)
    if not ids:
        return pagination, []
    posts = db.session.execute(sa.select(Post).where(Post.id.in_(ids))).unique().scalars()
    groups = {post.id: ReportGroup(post) for post in posts}
    reports = db.session.execute(
        sa.select(Report)
        .options(lazyload(Report.post))
        .where(Report.post_id.in_(ids), Report.status == ReportStatus.OPEN)
        .order_by(Report.created_at, Report.id)
    ).scalars()
    for report in reports:
        groups[report.post_id].reports.append(report)
    return pagination, [groups[i] for i in ids if i in groups and groups[i].reports]


# --- removal requests -----------------------------------------------------------------------------


def request_removal(post_id: int, reason: str, contact: str | None) -> RemovalRequest | None:
    """Someone without an account asks for a post to be removed: hide it at once and tell the
    moderators.

    Only an approved post in an approved thread; otherwise nothing is stored or changed (the
    caller shows the same confirmation, so nothing is revealed about what exists).
    """
    post = db.session.get(Post, post_id)
    if post is None or post.status is not PostStatus.APPROVED:
        return None
    if post.thread.status is not PostStatus.APPROVED:
        return None
    if not move_post(post, (PostStatus.APPROVED,), PostStatus.HIDDEN, None):
        return None
    request = RemovalRequest(
        post_id=post.id,
        reason=reason,
        contact=contact or None,
        previous_status=PostStatus.APPROVED.value,
        status=RemovalStatus.OPEN,
        created_at=utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    # The same notice as for reports: nothing about who asked or why.
    audit.record(
        None, HIDDEN_BY_REMOVAL_REQUEST, "post", post.id, data={"removal_request": request.id}
    )
    notify_author(post, "post_hidden", reason="", pending_review=True)
    notify_moderators(REMOVAL_REQUEST_RECEIVED, post.thread_id, post.id, {"request_id": request.id})
    return request


def resolve_removal(
    request: RemovalRequest, moderator: User, status: RemovalStatus, outcome: str | None
) -> bool:
    """Decide on a removal request: removed (the post stays hidden), edited or restored (the
    post goes back to its earlier status). False when someone else decided first."""
    if status not in REMOVAL_OUTCOMES:
        raise ValueError(status)
    result = db.session.execute(
        sa.update(RemovalRequest)
        .where(RemovalRequest.id == request.id, RemovalRequest.status == RemovalStatus.OPEN)
        .values(
            status=status,
            outcome=outcome or None,
            resolved_at=utcnow(),
            resolved_by_id=moderator.id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(request)
        return False
    db.session.refresh(request)
    post = request.post
    db.session.refresh(post)
    if status is RemovalStatus.REMOVED:
        if post.status is PostStatus.HIDDEN:
            mark_handled(post, moderator)
        elif move_post(post, (PostStatus.APPROVED,), PostStatus.HIDDEN, moderator):
            audit.record(moderator, "post.hidden", "post", post.id)
        notify_author(post, "post_hidden", reason="", final=True)
    else:
        try:
            earlier = PostStatus(request.previous_status)
        except ValueError:
            earlier = PostStatus.APPROVED
        if move_post(post, (PostStatus.HIDDEN,), earlier, moderator):
            audit.record(
                moderator, "post.restored", "post", post.id, data={"because": "removal_request"}
            )
            notify_author(post, "post_restored")
    audit.record(
        moderator,
        f"removal_request.{status.value}",
        "removal_request",
        request.id,
        reason=outcome,
        data={"post": post.id},
    )
    db.session.flush()
    return True


def removal_requests_page(page: int) -> Pagination:
    """Open requests first (oldest first), then decided ones (newest first)."""
    is_open = RemovalRequest.status == RemovalStatus.OPEN
    stmt = sa.select(RemovalRequest).order_by(
        sa.case((is_open, 0), else_=1),
        sa.case((is_open, RemovalRequest.created_at)),
        RemovalRequest.created_at.desc(),
        RemovalRequest.id.desc(),
    )
    return paginate(stmt, page, REQUESTS_PER_PAGE)


def names_of(user_ids: Collection[int | None]) -> dict[int, str]:
    """Display names for a set of people in one query."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}
