"""notify(): the one way any domain tells a person something. Rows go in the caller's
transaction; this module imports no other domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import g
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased

from forum import policy
from forum.db import db, utcnow
from forum.notifications.models import FOLLOWED_THREAD_REPLY, MENTION, Notification
from forum.notifications.outbox import current_request_id
from forum.pagination import paginate

# Unread notices of these events about one thread are one entry on the page, at the place of the
# newest ("3 nieuwe reacties in …"); once read, each shows on its own.
GROUPED_EVENTS = (FOLLOWED_THREAD_REPLY, MENTION)


def notify(
    user_id: int | None,
    event: str,
    thread_id: int | None = None,
    post_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    if user_id is None:
        return
    db.session.add(
        Notification(
            user_id=user_id,
            event=event,
            thread_id=thread_id,
            post_id=post_id,
            data=data or {},
            created_at=utcnow(),
            request_id=current_request_id(),
        )
    )


def notify_unless_unread(
    user_ids: Iterable[int],
    event: str,
    thread_id: int | None,
    post_id: int,
    data: dict[str, Any] | None = None,
) -> None:
    """notify() each person once per post: who still has an unread notice of ``event`` about
    ``post_id`` gets no second one (five reports on one post are one notice, not five)."""
    wanted = set(user_ids)
    if not wanted:
        return
    told = db.session.execute(
        sa.select(Notification.user_id).where(
            Notification.user_id.in_(wanted),
            Notification.event == event,
            Notification.post_id == post_id,
            Notification.read_at.is_(None),
        )
    ).scalars()
    for user_id in sorted(wanted - set(told)):
        notify(user_id, event, thread_id=thread_id, post_id=post_id, data=data)


# What moderators are told when something comes in; the notice names no one.
REPORT_RECEIVED = "report_received"
REMOVAL_REQUEST_RECEIVED = "removal_request_received"


def notify_moderators(
    event: str,
    thread_id: int | None,
    post_id: int,
    data: dict[str, Any] | None = None,
    actor_id: int | None = None,
) -> None:
    """An in-app notice to every moderator but ``actor_id``, once per post until read.

    It says *that* something came in, never who sent it or what they wrote: the moderation
    pages show that to moderators, and notices outlive the reports they point to.
    """
    moderators = db.session.execute(policy.moderator_ids(excluding=actor_id)).scalars()
    notify_unless_unread(moderators, event, thread_id, post_id, data)


def unread_count(user_id: int) -> int:
    return db.session.execute(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def notify_author(post: Any, event: str, **data: Any) -> None:
    """Tell a post's author about something that happened to their post."""
    notify(post.author_id, event, thread_id=post.thread_id, post_id=post.id, data=data)


def unread_count_for_current() -> int:
    """The signed-in person's unread count for the navigation (once per page, cached on g)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user.id)
    return g.unread_notifications


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.execute(
            sa.select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def page_for(user_id: int, page: int, per_page: int) -> Pagination:
    """One page of a person's notifications, newest first (index ix_notifications_user_created),
    each group of unread ``GROUPED_EVENTS`` notices by its newest (``group_sizes`` counts them)."""
    newer = aliased(Notification)
    newer_in_group = sa.exists().where(
        newer.user_id == Notification.user_id,
        newer.thread_id == Notification.thread_id,
        newer.event == Notification.event,
        newer.read_at.is_(None),
        # Ids grow with time: a larger id is a newer notice (and ix_…_thread_event ends in it).
        newer.id > Notification.id,
    )
    folded = sa.and_(
        Notification.read_at.is_(None),
        Notification.event.in_(GROUPED_EVENTS),
        Notification.thread_id.is_not(None),
        newer_in_group,
    )
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == user_id, sa.not_(folded))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(stmt, page, per_page)


def group_sizes(user_id: int, shown: Iterable[Notification]) -> dict[tuple[str, int], int]:
    """How many unread notices each shown group stands for, by (event, thread id): one query
    (none when the page shows no group)."""
    groups = {
        (n.event, n.thread_id)
        for n in shown
        if n.read_at is None and n.event in GROUPED_EVENTS and n.thread_id is not None
    }
    if not groups:
        return {}
    rows = db.session.execute(
        sa.select(Notification.event, Notification.thread_id, sa.func.count(Notification.id))
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.event.in_({event for event, _ in groups}),
            Notification.thread_id.in_({thread_id for _, thread_id in groups}),
        )
        .group_by(Notification.event, Notification.thread_id)
    )
    return {(event, thread_id): n for event, thread_id, n in rows if (event, thread_id) in groups}
