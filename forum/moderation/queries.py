"""What the review queue shows: waiting posts and waiting edits, oldest first, in a fixed number
of queries per page (the authors' histories and the threads' opening posts load for the whole page
at once, never per item)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, defer, joinedload

from forum import policy, privacy
from forum.accounts.models import User
from forum.core import site
from forum.db import db
from forum.discussions.checks import Segment, labelled_segments, watched_rules
from forum.discussions.models import Post, PostStatus, Thread
from forum.moderation import findings as finding_marks
from forum.moderation.counts import capped_count, moderation_counts
from forum.moderation.diff import display_segments
from forum.moderation.histories import History, author_histories
from forum.moderation.models import FindingDecision, PendingEdit, RejectionTemplate
from forum.screening import (
    DEFAULT_TRUST_THRESHOLD,
    WaitReason,
    WatchedAction,
    WatchedRule,
    moderator_reason,
    watched_matches,
)

PER_PAGE = 20
CONTEXT_CHARS = 300
POST, EDIT = "post", "edit"


@dataclass
class QueueItem:
    """One waiting post, or one waiting edit of an approved post, with what a moderator needs."""

    post: Post
    edit: PendingEdit | None = None
    history: History = field(default_factory=History)
    # For a reply: the plain text of its thread's opening post (``load_items``).
    opening_text: str | None = None
    # Read once per page in ``load_items``, for the moderators' wording of the reasons.
    trust_threshold: int = DEFAULT_TRUST_THRESHOLD
    watched: list[WatchedRule] = field(default_factory=list)
    # The findings moderators marked "not identifying" (``load_items``, for the whole page).
    decisions: list[FindingDecision] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return EDIT if self.edit is not None else POST

    @property
    def waiting_since(self) -> datetime:
        return self.edit.created_at if self.edit is not None else self.post.created_at

    @property
    def reasons(self) -> list[str]:
        source = self.edit if self.edit is not None else self.post
        return list(source.wait_reasons or [])

    @property
    def reason_labels(self) -> list[str]:
        """Why it waits, in a moderator's words (the author is told it in their own)."""
        reasons = self.reasons
        words = []
        if WaitReason.WATCHED_WORD in reasons:
            words = watched_matches(self.checked_text, self.watched)[WatchedAction.REQUIRE_APPROVAL]
        return [
            moderator_reason(
                reason,
                approved_posts=self.history.approved,
                trust_threshold=self.trust_threshold,
                findings=len(self.findings),
                watched=words,
            )
            for reason in reasons
        ]

    @property
    def safeguarding(self) -> bool:
        return bool(self.edit.safeguarding if self.edit is not None else self.post.safeguarding)

    @property
    def checked_text(self) -> str:
        return self.edit.screened_text if self.edit is not None else self.post.screened_text

    @property
    def findings(self) -> list[privacy.Finding]:
        source = self.edit if self.edit is not None else self.post
        return [privacy.Finding.from_dict(data) for data in source.privacy_findings or []]

    @property
    def segments(self) -> list[Segment]:
        return labelled_segments(self.checked_text, self.findings)

    @property
    def marked_pieces(self) -> list[finding_marks.Piece]:
        """The checked text for highlighting, each finding with the mark on it, if any."""
        return finding_marks.pieces(self.checked_text, self.findings, self.decisions)

    @property
    def shown_findings(self) -> list[finding_marks.ShownFinding]:
        return [finding for _piece, finding in self.marked_pieces if finding is not None]

    @property
    def finding_labels(self) -> list[str]:
        """Each kind found, once, in the order it first appears."""
        kinds = dict.fromkeys(finding.kind for finding in self.findings)
        return [str(privacy.LABELS[kind]) for kind in kinds]

    @property
    def changes(self) -> list[list[str]]:
        """For a waiting edit: from the approved text to the proposed one (removed text shown)."""
        if self.edit is None:
            return []
        return display_segments(self.post.screened_text, self.edit.screened_text)

    @property
    def context(self) -> str | None:
        """For a reply: the first lines of the opening post, so the reply can be judged in its
        thread."""
        if self.post.is_opening or self.opening_text is None:
            return None
        text = self.opening_text.strip()
        if len(text) <= CONTEXT_CHARS:
            return text
        return text[:CONTEXT_CHARS].rsplit(" ", 1)[0] + " …"

    @property
    def author_suspended(self) -> bool:
        return self.post.author is not None and policy.is_suspended(self.post.author)


@dataclass
class QueuePage:
    """One page of the queue, shaped like a Flask-SQLAlchemy pagination for the pager macro."""

    items: list[QueueItem]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1


def valid_reason(value: str | None) -> str | None:
    """A wait reason from the filter, or None; anything else is a 404."""
    if not value:
        return None
    if value not in {reason.value for reason in WaitReason}:
        abort(404)
    return value


def _has_reason(column: sa.ColumnElement, reason: str) -> sa.ColumnElement[bool]:
    # The reasons are a JSON list of plain words; its text form contains the quoted value.
    return sa.cast(column, sa.Text).like(f'%"{reason}"%')


def queue_entries(
    setting_id: int | None, reason: str | None, first: int | None = None
) -> sa.Subquery:
    """(kind, id, created_at) of every waiting post and waiting edit, with the filters.

    ``first``: only the oldest this many of each kind, each taken from its own index in order, so
    a page of a queue of 20,000 does not sort all of them.
    """
    posts = sa.select(
        sa.literal_column(f"'{POST}'").label("kind"),
        Post.id.label("id"),
        Post.created_at.label("created_at"),
    ).where(Post.status == PostStatus.PENDING)
    edited = aliased(Post)
    edits = sa.select(
        sa.literal_column(f"'{EDIT}'").label("kind"),
        PendingEdit.id.label("id"),
        PendingEdit.created_at.label("created_at"),
    )
    if setting_id is not None:
        posts = posts.join(Thread, Thread.id == Post.thread_id).where(
            Thread.setting_id == setting_id
        )
        edits = (
            edits.join(edited, edited.id == PendingEdit.post_id)
            .join(Thread, Thread.id == edited.thread_id)
            .where(Thread.setting_id == setting_id)
        )
    if reason is not None:
        posts = posts.where(_has_reason(Post.wait_reasons, reason))
        edits = edits.where(_has_reason(PendingEdit.wait_reasons, reason))
    if first is not None:
        parts = []
        for part, created, key in (
            (posts, Post.created_at, Post.id),
            (edits, PendingEdit.created_at, PendingEdit.id),
        ):
            oldest = part.order_by(created, key).limit(first).subquery()
            parts.append(sa.select(oldest))
        posts, edits = parts
    return sa.union_all(posts, edits).subquery("queue")


def queue_page(setting_id: int | None, reason: str | None, page: int) -> QueuePage:
    """A page of the queue, oldest first; a page past the end is a 404."""
    if setting_id is None and reason is None:
        # The navigation counts the whole queue on every moderation page anyway: count it once.
        total = moderation_counts().queue
    else:
        entries = queue_entries(setting_id, reason)
        total = db.session.execute(capped_count(sa.select(entries))).scalar_one()
    if page > 1 and page > ceil(total / PER_PAGE):
        abort(404)
    oldest = queue_entries(setting_id, reason, first=page * PER_PAGE)
    rows = db.session.execute(
        sa.select(oldest.c.kind, oldest.c.id)
        .order_by(oldest.c.created_at, oldest.c.kind, oldest.c.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return QueuePage(load_items([(row.kind, row.id) for row in rows]), page, PER_PAGE, total)


def load_items(keys: list[tuple[str, int]]) -> list[QueueItem]:
    """Queue items for (kind, id) keys, in that order: posts, edits, histories and opening posts
    each in one query for all of them."""
    post_ids = [ident for kind, ident in keys if kind == POST]
    edit_ids = [ident for kind, ident in keys if kind == EDIT]
    posts = {}
    if post_ids:
        stmt = sa.select(Post).options(*post_options()).where(Post.id.in_(post_ids))
        posts = {post.id: post for post in db.session.execute(stmt).unique().scalars()}
    edits = {}
    if edit_ids:
        shown = joinedload(PendingEdit.post)
        stmt = (
            sa.select(PendingEdit)
            .options(*(shown.options(option) for option in post_options()))
            .where(PendingEdit.id.in_(edit_ids))
        )
        edits = {edit.id: edit for edit in db.session.execute(stmt).unique().scalars()}
    items = [
        QueueItem(post=posts[ident]) if kind == POST else QueueItem(edits[ident].post, edits[ident])
        for kind, ident in keys
        if ident in (posts if kind == POST else edits)
    ]
    histories = author_histories({item.post.author_id for item in items} - {None})
    openings = opening_posts({item.post.thread_id for item in items if not item.post.is_opening})
    threshold = site.trust_threshold() if items else DEFAULT_TRUST_THRESHOLD
    # Which watched words a post waits for is not stored: match the list once for the page.
    wants_words = any(WaitReason.WATCHED_WORD in item.reasons for item in items)
    rules = watched_rules() if wants_words else []
    decisions = finding_decisions(items)
    for item in items:
        item.history = histories.get(item.post.author_id, History())
        item.opening_text = openings.get(item.post.thread_id)
        item.trust_threshold, item.watched = threshold, rules
        item.decisions = decisions.get((item.kind, item_id(item)), [])
    return items


def post_options() -> tuple:
    """What a queue item shows of its post: the thread with its werkveld and the author's own
    row. Not the thread's starter, the author's werkveld or roles (a join and a query per page
    for nothing), nor the HTML and the source text (only the item's own page edits those)."""
    return (
        defer(Post.body_html),
        defer(Post.body_source),
        joinedload(Post.thread).lazyload(Thread.author),
        joinedload(Post.author).lazyload(User.main_setting),
        joinedload(Post.author).lazyload(User.role_grants),
    )


def item_id(item: QueueItem) -> int:
    return item.edit.id if item.edit is not None else item.post.id


def finding_decisions(items: list[QueueItem]) -> dict[tuple[str, int], list[FindingDecision]]:
    """The marks on every item of the page, in one query, by (kind, id) of the item."""
    post_ids = [item.post.id for item in items if item.edit is None]
    edit_ids = [item.edit.id for item in items if item.edit is not None]
    by_item: dict[tuple[str, int], list[FindingDecision]] = {}
    for decision in finding_marks.decisions_for_items(post_ids, edit_ids):
        key = (POST, decision.post_id) if decision.edit_id is None else (EDIT, decision.edit_id)
        by_item.setdefault(key, []).append(decision)
    return by_item


def opening_posts(thread_ids: set[int]) -> dict[int, str]:
    """The plain text of each thread's opening post (ix_posts_opening), by thread id: a reply is
    shown with its start, nothing else of that post."""
    if not thread_ids:
        return {}
    stmt = sa.select(Post.thread_id, Post.body_text).where(
        Post.thread_id.in_(thread_ids), Post.is_opening.is_(True)
    )
    return {thread_id: text for thread_id, text in db.session.execute(stmt)}


def items_for_post(post: Post) -> list[QueueItem]:
    """The post itself when it waits, and its waiting edits (normally at most one)."""
    keys = [(POST, post.id)] if post.status is PostStatus.PENDING else []
    edit_ids = db.session.execute(
        sa.select(PendingEdit.id)
        .where(PendingEdit.post_id == post.id)
        .order_by(PendingEdit.created_at, PendingEdit.id)
    ).scalars()
    keys += [(EDIT, ident) for ident in edit_ids]
    return load_items(keys)


def edit_or_none(edit_id: int) -> PendingEdit | None:
    return db.session.get(PendingEdit, edit_id)


def rejection_templates() -> list[RejectionTemplate]:
    stmt = sa.select(RejectionTemplate).order_by(RejectionTemplate.position, RejectionTemplate.id)
    return list(db.session.execute(stmt).scalars())


def moderator_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.display_name if user else None
