"""Reading: one rule, in two forms (a predicate and a WHERE clause), tested against each other."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forum.accounts.models import Role, User, UserRole
from forum.core import site
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _l
from forum.policy.decisions import ALLOW, Decision, deny, has_role, signed_in

# Statuses the author still sees of their own contribution (clearly marked as such).
AUTHOR_SEES = (PostStatus.PENDING, PostStatus.RETURNED, PostStatus.REJECTED)


def can_read_forum(user: Any) -> Decision:
    """May this person read approved discussions at all? Members always; visitors by setting."""
    if signed_in(user) or site.public_read():
        return ALLOW
    return deny(_l("Log in om de gesprekken te lezen."))


def _can_view(user: Any, status: PostStatus, author_id: int | None) -> Decision:
    if has_role(user, Role.MODERATOR):
        return ALLOW
    if status is PostStatus.APPROVED:
        return can_read_forum(user)
    if signed_in(user) and author_id == user.id and status in AUTHOR_SEES:
        return ALLOW
    return deny(None)


def can_view_thread(user: Any, thread: Thread) -> Decision:
    return _can_view(user, thread.status, thread.author_id)


def can_view_post(user: Any, post: Post) -> Decision:
    """Post content: approved for readers, waiting or rejected for its author, all for moderators.

    Within a readable thread a hidden post still takes its place, shown as removed.
    """
    return _can_view(user, post.status, post.author_id)


def _visibility_clause(user: Any, status: Any, author_id: Any) -> sa.ColumnElement[bool]:
    if has_role(user, Role.MODERATOR):
        return sa.true()
    readable = status == PostStatus.APPROVED if can_read_forum(user) else sa.false()
    if not signed_in(user):
        return readable
    own = sa.and_(author_id == user.id, status.in_(AUTHOR_SEES))
    return sa.or_(readable, own)


def visible_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """``can_view_thread`` as a WHERE clause, for queries that fetch threads."""
    return stmt.where(_visibility_clause(user, Thread.status, Thread.author_id))


def visible_posts(stmt: sa.Select, user: Any) -> sa.Select:
    """``can_view_post`` as a WHERE clause."""
    return stmt.where(_visibility_clause(user, Post.status, Post.author_id))


def listed_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """What werkveld pages, the home page and counts list: approved threads the person may read.

    Waiting threads are not mixed into these lists; authors find their own on their own list and
    moderators in the review queue. Keeping lists to one status lets every list use its index.
    """
    if not can_read_forum(user):
        return stmt.where(sa.false())
    return stmt.where(Thread.status == PostStatus.APPROVED)


def own_waiting_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """The person's own threads that are not (yet) approved."""
    if not signed_in(user):
        return stmt.where(sa.false())
    return stmt.where(Thread.author_id == user.id, Thread.status.in_(AUTHOR_SEES))


def can_see_thread_title(user: Any, thread: Thread) -> Decision:
    """A thread's title in a notification: for whoever may read the thread, and for its author
    even when it is hidden or rejected (a notice about their own thread names it)."""
    if can_view_thread(user, thread) or (signed_in(user) and thread.author_id == user.id):
        return ALLOW
    return deny(None)


def _people_clause(status: PostStatus, author_id: int | None) -> sa.ColumnElement[bool]:
    """``_can_view`` for everyone at once: a WHERE over User rows (people who can sign in)."""
    if status is PostStatus.APPROVED:
        return sa.true()  # every signed-in person may read approved discussions
    staff = sa.exists().where(
        UserRole.user_id == User.id, UserRole.role.in_((Role.MODERATOR, Role.ADMIN))
    )
    if author_id is not None and status in AUTHOR_SEES:
        return sa.or_(staff, User.id == author_id)
    return staff


def people_who_can_view(stmt: sa.Select, post: Post) -> sa.Select:
    """WHERE form of ``can_view_thread(person, post.thread) and can_view_post(person, post)`` on a
    select over User: who may be told about ``post`` (notifications, mentions)."""
    thread = post.thread
    return stmt.where(
        User.approved.is_(True),
        _people_clause(thread.status, thread.author_id),
        _people_clause(post.status, post.author_id),
    )


def thread_posts(stmt: sa.Select, user: Any) -> sa.Select:
    """Posts shown on a thread page: what the person may view, plus hidden posts as placeholders."""
    if has_role(user, Role.MODERATOR):
        return stmt
    return stmt.where(
        sa.or_(
            _visibility_clause(user, Post.status, Post.author_id), Post.status == PostStatus.HIDDEN
        )
    )
