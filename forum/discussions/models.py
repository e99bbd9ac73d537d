"""Threads, posts and earlier versions of posts.

Counters (``reply_count``, ``last_activity_at`` here; the werkveld counters on ``Setting``) count
approved posts only and are changed only by ``discussions.services``, in the same flush as the
change they follow.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db, enum_column, utcnow


class ThreadKind(enum.StrEnum):
    EXAMPLE = "example"
    QUESTION = "question"
    DILEMMA = "dilemma"


class PostStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"
    HIDDEN = "hidden"


# The kind as it appears in URLs (Dutch, like the rest of the interface).
KIND_SLUGS = {
    "voorbeeld": ThreadKind.EXAMPLE,
    "vraag": ThreadKind.QUESTION,
    "dilemma": ThreadKind.DILEMMA,
}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


class Thread(db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    setting_id: Mapped[int] = mapped_column(sa.ForeignKey("settings.id"))
    kind: Mapped[ThreadKind] = mapped_column(enum_column(ThreadKind))
    title: Mapped[str] = mapped_column(sa.String(150))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    # Follows the opening post: a thread is listed once its opening post is approved.
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus))
    locked: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    setting: Mapped[Setting] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        # Werkveld page: pinned first, then last activity; with and without the kind filter.
        sa.Index("ix_threads_listing", "setting_id", "status", "pinned", "last_activity_at", "id"),
        sa.Index(
            "ix_threads_listing_kind",
            "setting_id",
            "status",
            "kind",
            "pinned",
            "last_activity_at",
            "id",
        ),
        # Home page: latest approved threads across werkvelden.
        sa.Index("ix_threads_latest", "status", "last_activity_at", "id"),
        # Research list: approved threads, newest first.
        sa.Index("ix_threads_created", "status", "created_at", "id"),
        sa.Index("ix_threads_author", "author_id", "status"),
    )

    @property
    def kind_slug(self) -> str:
        return SLUG_OF_KIND[self.kind]


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    is_opening: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus))
    # Why it waits (screening reasons, stored whether or not it waited) and the moderator's note
    # when it was returned or rejected.
    wait_reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status_note: Mapped[str | None] = mapped_column(sa.String(1000))
    # What the privacy check found in ``body_text`` (offsets), and whether the text suggests an
    # unsafe home situation (the safeguarding signpost).
    privacy_findings: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    safeguarding: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The author's research consent for this post: starts as their profile choice, changeable per
    # post; exports take only approved posts with consent at the moment of export.
    research_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The last moderator who decided on this post, so a second one can be told who was first.
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime | None]
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    # A random key from the form: the same submission twice stores one post.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[author_id])

    __table_args__ = (
        sa.Index("ix_posts_thread", "thread_id", "status", "created_at", "id"),
        # Covers the thread page's filter too (who may see which post), so a deep page is found
        # in the index alone (forum.pagination.KeysFirstPagination).
        sa.Index("ix_posts_thread_page", "thread_id", "created_at", "id", "status", "author_id"),
        sa.Index("ix_posts_author", "author_id", "status"),
        # A thread's opening post without walking the thread (the review queue shows it).
        sa.Index("ix_posts_opening", "thread_id", "is_opening"),
        sa.Index("ix_posts_status_created", "status", "created_at"),
        sa.UniqueConstraint("author_id", "submission_key", name="uq_posts_author_submission"),
    )

    @property
    def is_waiting(self) -> bool:
        return self.status in (PostStatus.PENDING, PostStatus.RETURNED)

    @property
    def screened_text(self) -> str:
        """The text the privacy check read; ``privacy_findings`` offsets point into it."""
        return screened_text(self.thread.title if self.is_opening else None, self.body_text)


def screened_text(title: str | None, body_text: str) -> str:
    """An opening post is checked with its thread's title above it."""
    return f"{title}\n\n{body_text}" if title else body_text


class PostRevision(db.Model):
    """The source of a post before an edit, so an edit never silently loses what was there."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
