"""How far each person has read each thread, and what is new to them since.

``ThreadRead.read_at`` is the thread activity a person has seen: a thread is unread when its
``last_activity_at`` (the last approval in it) is later, and its unread posts are the ones
approved after ``read_at`` that someone else wrote. Reading to the end of a thread moves
``read_at`` to the thread's ``last_activity_at``; a page before the end moves it to that page's
last post.

Showing a thread page writes nothing. The page carries a small form (``ReadMark``) that moves
the position to its last post; a script sends it once the end of the posts has been on screen
(static/js/reading.js), and without the script it is a button. Moving writes one upsert, only
forward. Reaching the end also marks the person's notices about that thread read. A post of
your own is read once it is published.
Lists ask for their markers in one query per page.
Flushes, never commits; takes the objects the discussions pages already loaded (duck-typed,
so this module imports no feature).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from forum import policy
from forum.db import db, utcnow
from forum.notifications import preferences
from forum.notifications.models import FOLLOWING_EVENTS, Notification, ThreadFollow, ThreadRead


@dataclass(frozen=True)
class Reading:
    """The viewer and this thread, for the thread page (a visitor: all empty)."""

    signed_in: bool = False
    following: bool = False
    # The read position before this view (None: never read, or a visitor).
    read_at: datetime | None = None
    # Something in the thread was approved after ``read_at`` (anywhere, not only on this page).
    has_unread: bool = False
    # The unread posts on this page, in page order.
    unread_post_ids: tuple[int, ...] = ()
    # What reading this page moves the position to (None: it shows nothing new).
    mark: ReadMark | None = None

    @property
    def first_unread_id(self) -> int | None:
        return self.unread_post_ids[0] if self.unread_post_ids else None


@dataclass(frozen=True)
class ReadMark:
    """The read-position form of a page: read up to this post; ``at_end``: the thread's end."""

    post_id: int
    at_end: bool


NOBODY = Reading()


def is_unread_post(post: Any, read_at: datetime | None, viewer_id: int) -> bool:
    """Approved after the person last read the thread, and written by someone else."""
    return (
        read_at is not None
        and post.status == "approved"
        and post.approved_at is not None
        and post.approved_at > read_at
        and post.author_id != viewer_id
    )


def visit(viewer: Any, thread: Any, pagination: Any) -> Reading:
    """A thread page is shown to ``viewer``: what is new to them, and where reading this page
    would move their read position (one query; nothing written)."""
    if not policy.signed_in(viewer):
        return NOBODY
    following = (
        sa.select(ThreadFollow.user_id)
        .where(ThreadFollow.user_id == viewer.id, ThreadFollow.thread_id == thread.id)
        .exists()
    )
    read_at_now = (
        sa.select(ThreadRead.read_at)
        .where(ThreadRead.user_id == viewer.id, ThreadRead.thread_id == thread.id)
        .scalar_subquery()
    )
    is_following, read_at = db.session.execute(sa.select(following, read_at_now)).one()
    posts: Sequence[Any] = pagination.items
    unread = tuple(post.id for post in posts if is_unread_post(post, read_at, viewer.id))
    mark = None
    if posts:
        at_end = not pagination.has_next
        last = posts[-1]
        if read_at is None or seen_up_to(thread, last, at_end) > read_at:
            mark = ReadMark(last.id, at_end)
    return Reading(
        signed_in=True,
        following=bool(is_following),
        read_at=read_at,
        has_unread=read_at is not None and thread.last_activity_at > read_at,
        unread_post_ids=unread,
        mark=mark,
    )


def seen_up_to(thread: Any, last: Any, at_end: bool) -> datetime:
    """The activity a reader has seen once they read up to ``last``."""
    return thread.last_activity_at if at_end else (last.approved_at or last.created_at)


def read_up_to(viewer: Any, thread: Any, last: Any, at_end: bool) -> None:
    """The reader sent a page's read-position form: move the position up to ``last``."""
    move_forward(viewer.id, thread.id, seen_up_to(thread, last, at_end), last.id, at_end)


def move_forward(user_id: int, thread_id: int, seen: datetime, post_id: int, at_end: bool) -> None:
    """Store the read position, unless a later one is stored already (another tab, at the
    same moment): the upsert only ever moves it forward."""
    stmt = preferences.insert_for_dialect(ThreadRead).values(
        user_id=user_id, thread_id=thread_id, read_at=seen, last_read_post_id=post_id
    )
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "thread_id"],
            set_={"read_at": stmt.excluded.read_at, "last_read_post_id": post_id},
            where=ThreadRead.read_at < stmt.excluded.read_at,
        )
    )
    if at_end:
        db.session.execute(
            sa.update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.thread_id == thread_id,
                Notification.event.in_(FOLLOWING_EVENTS),  # what reading the thread answers
                Notification.read_at.is_(None),
            )
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def note_own_post(post: Any) -> None:
    """A post just published is not new to its author: their read position moves up to it."""
    if post.author_id is not None and post.approved_at is not None:
        move_forward(post.author_id, post.thread_id, post.approved_at, post.id, at_end=False)


def read_mark(user_id: int, thread_id: int) -> datetime | None:
    """The person's read position in the thread (None: never read)."""
    return db.session.execute(
        sa.select(ThreadRead.read_at).where(
            ThreadRead.user_id == user_id, ThreadRead.thread_id == thread_id
        )
    ).scalar_one_or_none()


def unread_thread_ids(viewer: Any, threads: Iterable[Any]) -> set[int]:
    """Which of these listed threads have posts approved since the viewer last read them (one
    query for the whole list; none for visitors or an empty list). A thread never opened has no
    marker: the lists do not call everything new."""
    activity = {thread.id: thread.last_activity_at for thread in threads}
    if not policy.signed_in(viewer) or not activity:
        return set()
    rows = db.session.execute(
        sa.select(ThreadRead.thread_id, ThreadRead.read_at).where(
            ThreadRead.user_id == viewer.id, ThreadRead.thread_id.in_(activity)
        )
    )
    return {thread_id for thread_id, read_at in rows if activity[thread_id] > read_at}
