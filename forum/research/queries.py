"""Reading research data. Every page loads what it shows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload

from forum.core.models import Setting
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.i18n import _l, local_day_start
from forum.pagination import paginate
from forum.policy import can_research
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding
from forum.search.filters import ExtraFilter

THREADS_PER_PAGE = 25


def research_thread_or_404(thread_id: int) -> Thread:
    """A thread researchers may code: it exists and is approved."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.status is not PostStatus.APPROVED:
        abort(404)
    return thread


def approved_post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or post.status is not PostStatus.APPROVED:
        abort(404)
    if post.thread.status is not PostStatus.APPROVED:
        abort(404)
    return post


@dataclass
class ThreadPage:
    posts: list[Post]
    thread_codings: list[ThreadCoding]
    passages: dict[int, list[PassageCoding]]  # by post id
    thread_memos: list[Memo]
    passage_memos: dict[int, list[Memo]]  # by passage id


def thread_page(thread: Thread) -> ThreadPage:
    posts = list(
        db.session.execute(
            sa.select(Post)
            .where(Post.thread_id == thread.id, Post.status == PostStatus.APPROVED)
            .order_by(Post.created_at, Post.id)
        ).scalars()
    )
    thread_codings = list(
        db.session.execute(
            sa.select(ThreadCoding)
            .options(joinedload(ThreadCoding.coder))
            .where(ThreadCoding.thread_id == thread.id)
            .order_by(ThreadCoding.created_at, ThreadCoding.id)
        ).scalars()
    )
    passages: dict[int, list[PassageCoding]] = defaultdict(list)
    passage_rows = db.session.execute(
        sa.select(PassageCoding)
        .options(joinedload(PassageCoding.coder))
        .where(PassageCoding.post_id.in_([post.id for post in posts]))
        .order_by(PassageCoding.start_offset, PassageCoding.id)
    ).scalars()
    for passage in passage_rows:
        passages[passage.post_id].append(passage)
    passage_ids = [p.id for group in passages.values() for p in group]
    memo_rows = db.session.execute(
        sa.select(Memo)
        .where(sa.or_(Memo.thread_id == thread.id, Memo.passage_id.in_(passage_ids)))
        .order_by(Memo.created_at, Memo.id)
    ).scalars()
    thread_memos: list[Memo] = []
    passage_memos: dict[int, list[Memo]] = defaultdict(list)
    for memo in memo_rows:
        if memo.thread_id is not None:
            thread_memos.append(memo)
        else:
            passage_memos[memo.passage_id].append(memo)  # type: ignore[index]
    return ThreadPage(posts, thread_codings, passages, thread_memos, passage_memos)


# --- the filtered list of threads -------------------------------------------------------------


@dataclass
class ThreadFilter:
    code_ids: list[int] = field(default_factory=list)
    setting_id: int | None = None
    kind: ThreadKind | None = None
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict[str, Any]:
        """The filter as URL arguments (for the pager)."""
        return {
            "code": self.code_ids or None,
            "werkveld": self.setting_id,
            "soort": self.kind.value if self.kind else None,
            "vanaf": self.since.isoformat() if self.since else None,
            "tot": self.until.isoformat() if self.until else None,
        }


def all_settings() -> list[Setting]:
    """Every werkveld, archived ones last: research looks at the past too."""
    stmt = sa.select(Setting).order_by(Setting.archived, Setting.position, Setting.id)
    return list(db.session.execute(stmt).scalars())


def threads_with_code(code_id: int) -> sa.Select:
    """Ids of threads carrying the code: on the thread, or on a passage of an approved post."""
    on_thread = sa.select(ThreadCoding.thread_id).where(ThreadCoding.code_id == code_id)
    on_passage = (
        sa.select(Post.thread_id)
        .join(PassageCoding, PassageCoding.post_id == Post.id)
        .where(PassageCoding.code_id == code_id, Post.status == PostStatus.APPROVED)
    )
    return sa.union(on_thread, on_passage)


def research_threads(filters: ThreadFilter, page: int) -> Pagination:
    """Approved threads matching every selected code, the werkveld, kind and period."""
    # The list shows no starter: not joining the author (and their werkveld, and a query for
    # their roles) halves the cost of loading the page's threads.
    stmt = (
        sa.select(Thread)
        .options(lazyload(Thread.author))
        .where(Thread.status == PostStatus.APPROVED)
    )
    for code_id in filters.code_ids:
        stmt = stmt.where(Thread.id.in_(threads_with_code(code_id)))
    if filters.setting_id is not None:
        stmt = stmt.where(Thread.setting_id == filters.setting_id)
    if filters.kind is not None:
        stmt = stmt.where(Thread.kind == filters.kind)
    if filters.since is not None:
        stmt = stmt.where(Thread.created_at >= local_day_start(filters.since))
    if filters.until is not None:
        stmt = stmt.where(Thread.created_at < local_day_start(filters.until + timedelta(days=1)))
    stmt = stmt.order_by(Thread.created_at.desc(), Thread.id.desc())  # ix_threads_created
    # Unfiltered, the werkvelden's counters of approved threads add up to the list's length.
    unfiltered = filters == ThreadFilter()
    total = db.session.scalar(sa.select(sa.func.sum(Setting.thread_count))) if unfiltered else None
    return paginate(stmt, page, THREADS_PER_PAGE, None if total is None else int(total))


def codes_by_thread(thread_ids: list[int]) -> dict[int, list[Code]]:
    """The codes of each thread (on the thread or on its approved posts' passages), by name;
    two queries for any number of threads."""
    if not thread_ids:
        return {}
    result: dict[int, dict[int, Code]] = defaultdict(dict)
    for coding in db.session.execute(
        sa.select(ThreadCoding).where(ThreadCoding.thread_id.in_(thread_ids))
    ).scalars():
        result[coding.thread_id][coding.code_id] = coding.code
    rows = db.session.execute(
        sa.select(Post.thread_id, Code)
        .join(PassageCoding, PassageCoding.post_id == Post.id)
        .join(Code, Code.id == PassageCoding.code_id)
        .where(Post.thread_id.in_(thread_ids), Post.status == PostStatus.APPROVED)
    ).all()
    for thread_id, code in rows:
        result[thread_id][code.id] = code
    return {
        thread_id: sorted(codes.values(), key=lambda c: c.name.lower())
        for thread_id, codes in result.items()
    }


# --- a code's page ----------------------------------------------------------------------------


@dataclass
class CodePage:
    thread_codings: list[ThreadCoding]
    passages: list[PassageCoding]
    memos: list[Memo]


def code_page(code: Code) -> CodePage:
    thread_codings = list(
        db.session.execute(
            sa.select(ThreadCoding)
            .join(Thread, Thread.id == ThreadCoding.thread_id)
            .options(joinedload(ThreadCoding.thread), joinedload(ThreadCoding.coder))
            .where(ThreadCoding.code_id == code.id)
            .order_by(Thread.created_at.desc(), Thread.id.desc())
        ).scalars()
    )
    passages = list(
        db.session.execute(
            sa.select(PassageCoding)
            .join(Post, Post.id == PassageCoding.post_id)
            .options(joinedload(PassageCoding.post), joinedload(PassageCoding.coder))
            .where(PassageCoding.code_id == code.id)
            .order_by(Post.thread_id.desc(), Post.created_at, PassageCoding.start_offset)
        ).scalars()
    )
    memos = list(
        db.session.execute(
            sa.select(Memo).where(Memo.code_id == code.id).order_by(Memo.created_at, Memo.id)
        ).scalars()
    )
    return CodePage(thread_codings, passages, memos)


def panel_codes(thread_id: int) -> list[Code]:
    """The codes shown in the small research box on the normal thread page."""
    return codes_by_thread([thread_id]).get(thread_id, [])


# --- search: researchers narrow search results to a code ---------------------------------------


def code_choices() -> list[tuple[int, str]]:
    """Every code (active first, by name) as (id, name), for the search page's code filter."""
    stmt = sa.select(Code.id, Code.name).order_by(Code.archived, sa.func.lower(Code.name), Code.id)
    return [(code_id, name) for code_id, name in db.session.execute(stmt).all()]


def posts_with_code(code_id: int) -> sa.Select:
    """Ids of the posts in threads that carry the code (the thread list's rule)."""
    return sa.select(Post.id).where(Post.thread_id.in_(threads_with_code(code_id)))


CODE_SEARCH_FILTER = ExtraFilter(
    arg="code",
    label=_l("Code"),
    any_label=_l("Alle codes"),
    allowed=can_research,
    choices=code_choices,
    posts=posts_with_code,
)
