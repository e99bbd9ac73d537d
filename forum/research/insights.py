"""Insights for researchers: counts of approved threads and posts per werkveld, kind and month,
code frequencies and the share of threads that are coded.

Every number comes from a GROUP BY: the page sends the same, small number of queries however much
is in the forum. Only approved threads and approved posts in approved threads are counted, so the
numbers match what members can read. Months are calendar months in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.research.models import Code, PassageCoding, ThreadCoding

MONTHS = 12
APPROVED = PostStatus.APPROVED


@dataclass(frozen=True)
class Count:
    """Threads and posts for one werkveld, kind or month."""

    key: object
    label: str
    threads: int = 0
    posts: int = 0


@dataclass(frozen=True)
class CodeCount:
    code_id: int
    name: str
    archived: bool
    threads: int = 0
    passages: int = 0


@dataclass
class Insights:
    settings: list[Count] = field(default_factory=list)
    kinds: list[Count] = field(default_factory=list)
    months: list[Count] = field(default_factory=list)
    codes: list[CodeCount] = field(default_factory=list)
    threads_total: int = 0
    posts_total: int = 0
    threads_coded: int = 0

    @property
    def coded_share(self) -> float:
        """Share of approved threads with at least one coding (on the thread or a passage)."""
        return self.threads_coded / self.threads_total if self.threads_total else 0.0


def last_months(now: datetime, count: int = MONTHS) -> list[tuple[int, int]]:
    """(year, month) of the last ``count`` calendar months, oldest first, this month last."""
    months = []
    year, month = now.year, now.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _utc(column: sa.ColumnElement) -> sa.ColumnElement:
    """The timestamp in UTC: PostgreSQL would otherwise use the session's time zone."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.timezone("UTC", column)
    return column


def _month_parts(column: sa.ColumnElement) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    moment = _utc(column)
    return (
        sa.cast(sa.extract("year", moment), sa.Integer).label("year"),
        sa.cast(sa.extract("month", moment), sa.Integer).label("month"),
    )


def _approved_posts() -> sa.Select:
    return (
        sa.select()
        .select_from(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.status == APPROVED, Thread.status == APPROVED)
    )


def collect(
    kind_labels: dict[ThreadKind, str],
    locale: str = "nl",
    month_label=None,
    now: datetime | None = None,
) -> Insights:
    """All numbers for the insights page (nine queries, whatever the data)."""
    now = now or utcnow()
    result = Insights()

    # Threads and posts per werkveld × kind: two queries; per werkveld and per kind are sums.
    thread_rows = db.session.execute(
        sa.select(Thread.setting_id, Thread.kind, sa.func.count(Thread.id))
        .where(Thread.status == APPROVED)
        .group_by(Thread.setting_id, Thread.kind)
    ).all()
    post_rows = db.session.execute(
        _approved_posts()
        .add_columns(Thread.setting_id, Thread.kind, sa.func.count(Post.id))
        .group_by(Thread.setting_id, Thread.kind)
    ).all()
    threads_by: dict[tuple[int, ThreadKind], int] = {(s, k): n for s, k, n in thread_rows}
    posts_by: dict[tuple[int, ThreadKind], int] = {(s, k): n for s, k, n in post_rows}
    result.threads_total = sum(threads_by.values())
    result.posts_total = sum(posts_by.values())

    used_settings = {s for s, _k in threads_by} | {s for s, _k in posts_by}
    settings = db.session.execute(
        sa.select(Setting.id, Setting.name_nl, Setting.name_en, Setting.archived).order_by(
            Setting.position, Setting.id
        )
    ).all()
    for setting_id, name_nl, name_en, archived in settings:
        if archived and setting_id not in used_settings:
            continue
        result.settings.append(
            Count(
                setting_id,
                name_en if locale == "en" else name_nl,
                sum(n for (s, _k), n in threads_by.items() if s == setting_id),
                sum(n for (s, _k), n in posts_by.items() if s == setting_id),
            )
        )
    for kind in ThreadKind:
        result.kinds.append(
            Count(
                kind,
                str(kind_labels.get(kind, kind.value)),
                sum(n for (_s, k), n in threads_by.items() if k == kind),
                sum(n for (_s, k), n in posts_by.items() if k == kind),
            )
        )

    # Per month, the last twelve, months without anything included: two queries.
    months = last_months(now)
    since = datetime(months[0][0], months[0][1], 1, tzinfo=UTC)
    year, month = _month_parts(Thread.created_at)
    thread_months = db.session.execute(
        sa.select(year, month, sa.func.count(Thread.id))
        .where(Thread.status == APPROVED, Thread.created_at >= since)
        .group_by(year, month)
    ).all()
    year, month = _month_parts(Post.created_at)
    post_months = db.session.execute(
        _approved_posts()
        .add_columns(year, month, sa.func.count(Post.id))
        .where(Post.created_at >= since)
        .group_by(year, month)
    ).all()
    threads_in = {(int(y), int(m)): n for y, m, n in thread_months}
    posts_in = {(int(y), int(m)): n for y, m, n in post_months}
    for key in months:
        label = month_label(*key) if month_label else f"{key[0]}-{key[1]:02d}"
        result.months.append(Count(key, label, threads_in.get(key, 0), posts_in.get(key, 0)))

    result.codes = code_counts()
    result.threads_coded = coded_threads()
    return result


def code_counts() -> list[CodeCount]:
    """Per code: the approved threads it appears in (on the thread or on a passage of one of its
    approved posts) and its coded passages in approved posts. Three queries.

    Archived codes are listed only while something still carries them.
    """
    on_threads = (
        sa.select(ThreadCoding.code_id.label("code_id"), ThreadCoding.thread_id.label("thread_id"))
        .join(Thread, Thread.id == ThreadCoding.thread_id)
        .where(Thread.status == APPROVED)
    )
    passages = _approved_posts().join(PassageCoding, PassageCoding.post_id == Post.id)
    on_passages = passages.add_columns(
        PassageCoding.code_id.label("code_id"), Post.thread_id.label("thread_id")
    )
    both = sa.union(on_threads, on_passages).subquery()
    threads = dict(
        db.session.execute(
            sa.select(both.c.code_id, sa.func.count(sa.distinct(both.c.thread_id))).group_by(
                both.c.code_id
            )
        ).all()
    )
    passage_counts = dict(
        db.session.execute(
            passages.add_columns(PassageCoding.code_id, sa.func.count(PassageCoding.id)).group_by(
                PassageCoding.code_id
            )
        ).all()
    )
    codes = db.session.execute(
        sa.select(Code.id, Code.name, Code.archived).order_by(sa.func.lower(Code.name), Code.id)
    ).all()
    return [
        CodeCount(code_id, name, archived, threads.get(code_id, 0), passage_counts.get(code_id, 0))
        for code_id, name, archived in codes
        if not archived or threads.get(code_id) or passage_counts.get(code_id)
    ]


def coded_threads() -> int:
    """Approved threads with at least one coding: on the thread or a passage of an approved post."""
    thread_coded = sa.exists().where(ThreadCoding.thread_id == Thread.id)
    passage_coded = (
        sa.exists()
        .where(PassageCoding.post_id == Post.id)
        .where(Post.thread_id == Thread.id, Post.status == APPROVED)
    )
    return db.session.execute(
        sa.select(sa.func.count(Thread.id)).where(
            Thread.status == APPROVED, sa.or_(thread_coded, passage_coded)
        )
    ).scalar_one()
