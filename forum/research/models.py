"""Research data: the codebook, codings, memos, projects, exports, kennisoogst and the interest
list. None of it is ever shown to members (``policy.can_research`` guards every page)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import Profession, User
from forum.core.models import Setting
from forum.db import db, enum_column, utcnow
from forum.discussions.models import Post, Thread


class Code(db.Model):
    """A code in the codebook. A code in use is archived, never deleted."""

    __tablename__ = "research_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    definition: Mapped[str] = mapped_column(sa.String(2000), default="")
    use_when: Mapped[str] = mapped_column(sa.String(2000), default="")
    not_when: Mapped[str] = mapped_column(sa.String(2000), default="")
    example: Mapped[str] = mapped_column(sa.String(2000), default="")
    # "#rrggbb", shown next to the name (never the only cue).
    colour: Mapped[str] = mapped_column(sa.String(7), default="#0d6259")
    # One level: a parent has no parent itself.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("research_codes.id", ondelete="SET NULL")
    )
    archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Code | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    __table_args__ = (sa.Index("ix_research_codes_archived_name", "archived", "name"),)


class ThreadCoding(db.Model):
    """A code applied to a whole thread."""

    __tablename__ = "research_thread_codings"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("research_codes.id", ondelete="RESTRICT"))
    coder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    code: Mapped[Code] = relationship(lazy="joined", innerjoin=True)
    thread: Mapped[Thread] = relationship()
    coder: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("thread_id", "code_id", name="uq_research_thread_codings_thread_code"),
        sa.Index("ix_research_thread_codings_code", "code_id", "thread_id"),
    )


class PassageCoding(db.Model):
    """A code applied to a passage of a post: the offsets count characters (code points, end
    exclusive) in ``Post.body_text``; ``quote`` is that passage when it was coded."""

    __tablename__ = "research_passage_codings"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("research_codes.id", ondelete="RESTRICT"))
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    quote: Mapped[str] = mapped_column(sa.Text)
    coder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    code: Mapped[Code] = relationship(lazy="joined", innerjoin=True)
    post: Mapped[Post] = relationship()
    coder: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("start_offset >= 0 AND start_offset < end_offset", name="offsets"),
        sa.Index("ix_research_passage_codings_post", "post_id"),
        sa.Index("ix_research_passage_codings_code", "code_id", "post_id"),
    )


class Memo(db.Model):
    """A researcher's note on a thread, a coded passage or a code (exactly one of them)."""

    __tablename__ = "research_memos"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    passage_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("research_passage_codings.id", ondelete="CASCADE")
    )
    code_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("research_codes.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN thread_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN passage_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        sa.Index("ix_research_memos_thread", "thread_id"),
        sa.Index("ix_research_memos_passage", "passage_id"),
        sa.Index("ix_research_memos_code", "code_id"),
    )


class ResearchProject(db.Model):
    """Purpose limitation: every export belongs to a named project."""

    __tablename__ = "research_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    question: Mapped[str] = mapped_column(sa.String(2000))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    # Selection criteria: {"settings": [ids], "kinds": [values], "codes": [ids]} (empty: all).
    criteria: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Posts written without name get a pseudonym of their own per thread in exports, unless the
    # researcher says the project needs them linked to the author AND an admin approved that.
    anonymous_linkage_needed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    anonymous_linkage_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    anonymous_linkage_approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    anonymous_linkage_approved_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[created_by_id])
    anonymous_linkage_approved_by: Mapped[User | None] = relationship(
        foreign_keys=[anonymous_linkage_approved_by_id]
    )

    def set_linkage_needed(self, needed: bool) -> None:
        """The researcher's request; withdrawing it ends an approval (asking again needs a new
        one)."""
        self.anonymous_linkage_needed = needed
        if not needed:
            self.anonymous_linkage_approved_at = None
            self.anonymous_linkage_approved_by_id = None
            self.anonymous_linkage_reason = None

    @property
    def links_anonymous_posts(self) -> bool:
        """Anonymous posts keep their author's usual pseudonym only with an admin's approval."""
        return self.anonymous_linkage_needed and self.anonymous_linkage_approved_at is not None


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    QDPX = "qdpx"


class ExportRecord(db.Model):
    """One export, for accountability: who, when, what, how many, and the file's hash."""

    __tablename__ = "research_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("research_projects.id", ondelete="RESTRICT")
    )
    requester_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[ExportFormat] = mapped_column(enum_column(ExportFormat, 10))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # {"threads": n, "posts": n, "placeholders": n}
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The posts whose text left the system, to list later withdrawals of consent.
    post_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    file_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[ResearchProject] = relationship(lazy="joined", innerjoin=True)
    requester: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_research_exports_project_created", "project_id", "created_at"),)


class ExportJob(db.Model):
    """An export the worker builds (``forum.research.export_jobs``): how far it is, then its file
    and until when it may be downloaded. The export log (``ExportRecord``) outlives it."""

    __tablename__ = "research_export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("research_projects.id", ondelete="CASCADE")
    )
    requester_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[ExportFormat] = mapped_column(enum_column(ExportFormat, 10))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which worker builds it and when it last reported progress (a silent claim goes stale).
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    threads_total: Mapped[int] = mapped_column(default=0, server_default="0")
    threads_done: Mapped[int] = mapped_column(default=0, server_default="0")
    built_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    file_name: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("research_exports.id", ondelete="SET NULL")
    )

    requester: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_research_export_jobs_project_requested", "project_id", "requested_at"),
        # The worker's look-up: jobs not built yet, oldest first.
        sa.Index("ix_research_export_jobs_waiting", "built_at", "id"),
        sa.Index("ix_research_export_jobs_expires_at", "expires_at"),
    )


class Harvest(db.Model):
    """Kennisoogst: a synthesis researchers publish for members, linking the threads it drew on."""

    __tablename__ = "research_harvests"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    threads: Mapped[list[Thread]] = relationship(secondary="research_harvest_threads")

    __table_args__ = (sa.Index("ix_research_harvests_published", "published_at"),)


harvest_threads = sa.Table(
    "research_harvest_threads",
    db.metadata,
    sa.Column(
        "harvest_id",
        sa.ForeignKey("research_harvests.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("thread_id", sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
)


class InterestEntry(db.Model):
    """Meedenken: a professional who would like to talk with colleagues and researchers."""

    __tablename__ = "research_interest"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str] = mapped_column(sa.String(254))
    email_normalized: Mapped[str] = mapped_column(sa.String(254), unique=True)
    profession: Mapped[Profession] = mapped_column(enum_column(Profession, 30))
    setting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("settings.id", ondelete="SET NULL")
    )
    topic: Mapped[str] = mapped_column(sa.String(2000))
    consent_to_contact: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    contacted_at: Mapped[datetime | None]
    contacted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    setting: Mapped[Setting | None] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_research_interest_created", "created_at"),)
