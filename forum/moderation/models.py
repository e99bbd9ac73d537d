"""What moderators work with: reports, removal requests, watched words, rejection templates,
edits of approved posts that wait for approval, and privacy findings judged not identifying."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.db import db, enum_column, utcnow
from forum.discussions.models import Post, screened_text
from forum.screening import WatchedAction, WatchedRule


class ReportReason(enum.StrEnum):
    IDENTIFIABLE = "identifiable"
    CHILD_SAFETY = "child_safety"
    DISRESPECTFUL = "disrespectful"
    OFF_TOPIC = "off_topic"
    SPAM = "spam"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    KEPT = "kept"
    HIDDEN = "hidden"
    EDITED = "edited"
    DISMISSED = "dismissed"


class Report(db.Model):
    """A member brought a post to a moderator's attention (never called "melden")."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason))
    text: Mapped[str | None] = mapped_column(sa.String(1000))
    # Set when no person but a watched word with the action "flag" put the post forward.
    watched_phrase: Mapped[str | None] = mapped_column(sa.String(100))
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="joined")

    __table_args__ = (
        sa.Index("ix_reports_status_created", "status", "created_at"),
        sa.Index("ix_reports_post_status", "post_id", "status"),
        # One open report per person per post.
        sa.Index(
            "uq_reports_open_per_reporter",
            "post_id",
            "reporter_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )


class RemovalStatus(enum.StrEnum):
    OPEN = "open"
    REMOVED = "removed"
    EDITED = "edited"
    RESTORED = "restored"


class RemovalRequest(db.Model):
    """Someone without an account (a parent) asks for a post to be removed."""

    __tablename__ = "removal_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(2000))
    contact: Mapped[str | None] = mapped_column(sa.String(254))
    # The post's status before it was hidden, to restore it if the request is turned down.
    previous_status: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[RemovalStatus] = mapped_column(
        enum_column(RemovalStatus), default=RemovalStatus.OPEN
    )
    outcome: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (sa.Index("ix_removal_requests_status_created", "status", "created_at"),)


class WatchedWord(db.Model):
    __tablename__ = "watched_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(sa.String(100))
    whole_word: Mapped[bool] = mapped_column(default=True)
    action: Mapped[WatchedAction] = mapped_column(enum_column(WatchedAction))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_rule(self) -> WatchedRule:
        return WatchedRule(self.phrase, self.whole_word, self.action)


class RejectionTemplate(db.Model):
    __tablename__ = "rejection_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    text: Mapped[str] = mapped_column(sa.String(1000))
    position: Mapped[int] = mapped_column(default=0)


class PendingEdit(db.Model):
    """An edit of an approved post by an author who is not trusted yet: the approved version
    stays visible until a moderator approves this one."""

    __tablename__ = "pending_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    wait_reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    privacy_findings: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    safeguarding: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)

    @property
    def screened_text(self) -> str:
        return screened_text(self.title, self.body_text)

    __table_args__ = (
        sa.Index("ix_pending_edits_post", "post_id"),
        sa.Index("ix_pending_edits_created", "created_at"),
    )


class FindingDecision(db.Model):
    """A moderator judged one privacy finding not identifying: a note for the team, who may turn
    it into a corpus line by hand. It decides nothing about the post and teaches the check nothing.

    Keeps the finding's exact text and a short window around it, never the whole post. Goes with
    the post (cascade); ``edit_id`` is a plain id, not a foreign key, because a waiting edit's row
    is deleted when it is approved or rejected and the decision should outlive it.
    """

    __tablename__ = "finding_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    # Set when the finding was in a waiting edit of the post rather than in the post itself.
    edit_id: Mapped[int | None]
    # A ``privacy.Kind`` value, stored as text so a kind the check no longer has still reads.
    kind: Mapped[str] = mapped_column(sa.String(30))
    span_start: Mapped[int]
    span_end: Mapped[int]
    span_text: Mapped[str] = mapped_column(sa.Text)
    context: Mapped[str] = mapped_column(sa.Text)
    moderator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        # The review list, newest first.
        sa.Index("ix_finding_decisions_created", "created_at", "id"),
        sa.Index("ix_finding_decisions_post", "post_id"),
        # One decision per finding: on the post itself, or on one waiting edit of it.
        sa.Index(
            "uq_finding_decisions_post_finding",
            "post_id",
            "span_start",
            "span_end",
            "kind",
            unique=True,
            sqlite_where=sa.text("edit_id IS NULL"),
            postgresql_where=sa.text("edit_id IS NULL"),
        ),
        sa.Index(
            "uq_finding_decisions_edit_finding",
            "edit_id",
            "span_start",
            "span_end",
            "kind",
            unique=True,
            sqlite_where=sa.text("edit_id IS NOT NULL"),
            postgresql_where=sa.text("edit_id IS NOT NULL"),
        ),
    )
