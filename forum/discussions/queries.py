"""Reading discussions: every select goes through the policy filters and loads what the page
shows in a fixed number of queries, however long the page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import defer, joinedload, lazyload

from forum import policy
from forum.accounts.models import NAME_ONLY
from forum.core.models import Setting
from forum.core.queries import active_settings
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.moderation.models import PendingEdit
from forum.notifications import reads
from forum.pagination import paginate_keys_first

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 30
LATEST_ON_HOME = 10


def setting_by_slug_or_404(slug: str) -> Setting:
    for setting in active_settings():
        if setting.slug == slug:
            return setting
    abort(404)


def active_setting(setting_id: int | None) -> Setting | None:
    """The werkveld with this id, if it is not archived."""
    return next((s for s in active_settings() if s.id == setting_id), None)


# Thread lists show the starter's name and the werkveld: the werkvelden are in the session
# already (``active_settings``), of the starters only their names.
LIST_OF_THREADS = (
    lazyload(Thread.setting),
    joinedload(Thread.author).options(*NAME_ONLY),
)


def latest_threads(viewer: Any, limit: int = LATEST_ON_HOME) -> list[Thread]:
    stmt = (
        sa.select(Thread)
        .options(*LIST_OF_THREADS)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    return list(db.session.execute(policy.listed_threads(stmt, viewer).limit(limit)).scalars())


def setting_threads(
    setting: Setting, viewer: Any, kind: ThreadKind | None, page: int
) -> Pagination:
    """A werkveld's threads: pinned first, then by last activity.

    The page's ids come from the index (ix_threads_listing*, which holds the whole order), the
    threads with their starters after: a deep page no longer joins every thread it skips.
    """
    order = (Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    keys = sa.select(Thread.id).where(Thread.setting_id == setting.id)
    if kind is not None:
        keys = keys.where(Thread.kind == kind)
    keys = policy.listed_threads(keys, viewer).order_by(*order)
    rows = sa.select(Thread).options(*LIST_OF_THREADS).order_by(*order)
    # The werkveld's counter of approved threads is the length of the unfiltered list (the
    # policy lists approved threads only); counting 40,000 rows on every view would not be flat.
    total = setting.thread_count if kind is None and policy.can_read_forum(viewer) else None
    return paginate_keys_first(rows, keys, Thread.id, page, THREADS_PER_PAGE, total)


def own_waiting_threads(viewer: Any, setting: Setting | None = None) -> list[Thread]:
    if not policy.signed_in(viewer):
        return []  # visitors have none: spare the query
    stmt = sa.select(Thread).order_by(Thread.created_at.desc())
    if setting is not None:
        stmt = stmt.where(Thread.setting_id == setting.id)
    return list(db.session.execute(policy.own_waiting_threads(stmt, viewer).limit(20)).scalars())


def thread_or_404(thread_id: int, viewer: Any) -> Thread:
    """The thread, or 404 when it does not exist or the person may not see it."""
    # The werkveld comes along; the starter's name only when a page shows it.
    thread = db.session.get(Thread, thread_id, options=(lazyload(Thread.author),))
    if thread is None:
        abort(404)
    policy.require(policy.can_view_thread(viewer, thread))
    return thread


def post_or_404(post_id: int) -> Post:
    """The post by id (404 when missing); the caller asks the policy what the person may do."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    return post


def thread_posts_stmt(thread: Thread, viewer: Any) -> sa.Select:
    stmt = sa.select(Post).where(Post.thread_id == thread.id)
    return policy.thread_posts(stmt, viewer).order_by(Post.created_at, Post.id)


# A thread page loads what it shows and no more: the thread is already in the session, the
# authors' names only, and not the texts and columns only editors and moderators read.
PAGE_OF_POSTS = (
    lazyload(Post.thread),
    joinedload(Post.author).options(*NAME_ONLY),
    *(
        defer(column)
        for column in (
            Post.body_source,
            Post.body_text,
            Post.privacy_findings,
            Post.submission_key,
            Post.handled_by_id,
            Post.handled_at,
        )
    ),
)


def thread_posts(thread: Thread, viewer: Any, page: int) -> Pagination:
    # The page's ids come from the covering index ix_posts_thread_page, the posts after.
    keys = thread_posts_stmt(thread, viewer).with_only_columns(Post.id)
    rows = sa.select(Post).options(*PAGE_OF_POSTS).order_by(Post.created_at, Post.id)
    return paginate_keys_first(rows, keys, Post.id, page, POSTS_PER_PAGE)


def own_waiting_edits(posts: list[Post], viewer: Any) -> set[int]:
    """Ids of the viewer's own posts on this page that have an edit waiting for a moderator.

    One query for every signed-in reader, whether or not their posts are on the page, so the
    number of queries does not depend on what the page holds.
    """
    if not policy.signed_in(viewer) or not posts:
        return set()
    # Authors are known from the page: a join on posts let the planner walk every post the
    # viewer ever wrote (4 ms for an active member at 1,000,000 posts) to find none.
    own = [post.id for post in posts if post.author_id == viewer.id]
    stmt = sa.select(PendingEdit.post_id).where(PendingEdit.post_id.in_(own))
    return set(db.session.execute(stmt).scalars())


def waiting_edit(post: Post) -> PendingEdit | None:
    stmt = sa.select(PendingEdit).where(PendingEdit.post_id == post.id)
    return db.session.execute(stmt.order_by(PendingEdit.id.desc()).limit(1)).scalar_one_or_none()


def page_of_post(thread: Thread, post: Post, viewer: Any) -> int:
    """Which page of the thread shows this post (for redirects after replying)."""
    before = thread_posts_stmt(thread, viewer).where(
        sa.or_(
            Post.created_at < post.created_at,
            sa.and_(Post.created_at == post.created_at, Post.id < post.id),
        )
    )
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(before.order_by(None).subquery())
    ).scalar_one()
    return count // POSTS_PER_PAGE + 1


def newest_post(thread: Thread, viewer: Any) -> Post | None:
    stmt = sa.select(Post).where(Post.thread_id == thread.id)
    stmt = policy.visible_posts(stmt, viewer).order_by(Post.created_at.desc(), Post.id.desc())
    return db.session.execute(stmt.limit(1)).scalar_one_or_none()


def newest_or_first_unread(thread: Thread, viewer: Any, unread: bool) -> Post | None:
    """The newest post the viewer may see; with ``unread``, the first post approved since they
    last read the thread instead (the newest when nothing is new, None — the thread's start —
    when they never read it). Reads ``ix_posts_thread`` in thread order."""
    if not unread:
        return newest_post(thread, viewer)
    read_at = reads.read_mark(viewer.id, thread.id) if policy.signed_in(viewer) else None
    if read_at is None:
        return None
    stmt = sa.select(Post).where(
        Post.thread_id == thread.id,
        Post.status == PostStatus.APPROVED,
        Post.approved_at > read_at,
        sa.or_(Post.author_id.is_(None), Post.author_id != viewer.id),
    )
    stmt = policy.visible_posts(stmt, viewer).order_by(Post.created_at, Post.id).limit(1)
    return db.session.execute(stmt).scalar_one_or_none() or newest_post(thread, viewer)
