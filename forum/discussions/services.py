"""Writing in discussions: start a thread, reply, edit, delete while waiting, approve.

Services take the actor, flush and never commit. Counters change here and only here, in the same
flush as the post whose status they follow (approved posts only).
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from forum import audit
from forum.accounts.models import User
from forum.accounts.services import record_consent
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions.checks import (
    Rendered,
    put_before_moderators,
    render,
    screen_post,
)
from forum.discussions.models import (
    Post,
    PostRevision,
    PostStatus,
    Thread,
    ThreadKind,
    screened_text,
)
from forum.moderation.models import PendingEdit
from forum.notifications.follows import follow_after_writing
from forum.notifications.published import post_published
from forum.screening import Screening, WaitReason
from forum.search import services as search


def existing_submission(author: User, submission_key: str | None) -> Post | None:
    """The post this same form submission already stored, if any (a double submit)."""
    if not submission_key:
        return None
    return db.session.execute(
        sa.select(Post).where(Post.author_id == author.id, Post.submission_key == submission_key)
    ).scalar_one_or_none()


def store_once(post: Post, author: User, submission_key: str | None) -> Post:
    """Flush a new post; when the same submission was stored by a request running at the same
    moment (the unique key says so), return that post instead of a second one."""
    try:
        with db.session.begin_nested():
            db.session.add(post)
            db.session.flush()
    except sa.exc.IntegrityError:
        earlier = existing_submission(author, submission_key)
        if earlier is None:
            raise
        return earlier
    return post


def start_thread(
    author: User,
    setting: Setting,
    kind: ThreadKind,
    title: str,
    source: str,
    anonymous: bool = False,
    submission_key: str | None = None,
    research_consent: bool | None = None,
) -> Post:
    """Create a thread with its opening post; returns the opening post.

    ``research_consent`` None: the author's profile choice."""
    earlier = existing_submission(author, submission_key)
    if earlier is not None:
        return earlier
    body = render(source)
    screening = screen_post(author, setting, screened_text(title.strip(), body.text))
    status = PostStatus.PENDING if screening.waits else PostStatus.APPROVED
    now = utcnow()
    thread = Thread(
        setting_id=setting.id,
        kind=kind,
        title=title.strip(),
        author_id=author.id,
        anonymous=anonymous,
        status=status,
        created_at=now,
        last_activity_at=now,
    )
    post = Post(thread=thread, is_opening=True, research_consent=research_consent)
    return store_new_post(post, author, body, anonymous, screening, submission_key, now)


def reply(
    thread: Thread,
    author: User,
    source: str,
    anonymous: bool = False,
    submission_key: str | None = None,
    research_consent: bool | None = None,
) -> Post:
    earlier = existing_submission(author, submission_key)
    if earlier is not None:
        return earlier
    body = render(source)
    screening = screen_post(author, thread.setting, body.text)
    post = Post(thread_id=thread.id, is_opening=False, research_consent=research_consent)
    return store_new_post(post, author, body, anonymous, screening, submission_key, utcnow())


def store_new_post(
    post: Post,
    author: User,
    body: Rendered,
    anonymous: bool,
    screening: Screening,
    submission_key: str | None,
    now: datetime,
) -> Post:
    """Fill in a new post's body and status, store it once and count it when it is approved.

    The screening's reasons and findings are stored whether or not the post waits.
    """
    status = PostStatus.PENDING if screening.waits else PostStatus.APPROVED
    post.author_id = author.id
    post.anonymous = anonymous
    chosen = post.research_consent
    post.research_consent = author.research_consent if chosen is None else chosen
    post.status = status
    apply_screening(post, screening)
    post.body_source, post.body_html, post.body_text = body.source, body.html, body.text
    post.submission_key = submission_key
    post.created_at = now
    post.approved_at = now if status is PostStatus.APPROVED else None
    stored = store_once(post, author, submission_key)
    if stored is not post:
        return stored
    search.index_post(post)
    follow_after_writing(author.id, post.thread_id)
    if status is PostStatus.APPROVED:
        count_approved(post, +1)
        post_published(post)
    if post.research_consent != author.research_consent:
        # A choice other than the profile's is a grant or withdrawal of its own: keep it.
        record_consent(author, post.research_consent, scope="post", post_id=post.id)
    put_before_moderators(post, screening)
    return post


def apply_screening(target: Post | PendingEdit, screening: Screening) -> None:
    target.wait_reasons = screening.reason_values
    target.privacy_findings = screening.finding_dicts
    target.safeguarding = screening.unsafe


class EditResult(enum.StrEnum):
    SAVED = "saved"
    # The approved version stays visible; the edit waits for a moderator.
    WAITING = "waiting"


def edit_post(post: Post, editor: User, source: str, title: str | None = None) -> EditResult:
    """Change a post's text (and the title, for an opening post), keeping the earlier version.

    The new text is screened like a new post. An approved post whose edit must wait keeps its
    approved version; the edit waits as a ``PendingEdit`` (a newer edit replaces an older one).
    A post that was returned for revision goes back to the moderators as pending.
    """
    new_title = title.strip() if post.is_opening and title is not None else None
    body = render(source)
    shown_title = new_title if new_title is not None else post.thread.title
    text = screened_text(shown_title if post.is_opening else None, body.text)
    screening = screen_post(editor, post.thread.setting, text)
    drop_pending_edits(post)
    if post.status is PostStatus.APPROVED and screening.waits:
        pending = PendingEdit(
            post_id=post.id,
            editor_id=editor.id,
            title=shown_title if post.is_opening else None,
            body_source=body.source,
            body_html=body.html,
            body_text=body.text,
            created_at=utcnow(),
        )
        apply_screening(pending, screening)
        db.session.add(pending)
        db.session.flush()
        return EditResult.WAITING
    replace_text(post, editor, body, new_title)
    apply_screening(post, screening)
    if post.status is PostStatus.RETURNED:
        post.wait_reasons = [*post.wait_reasons, WaitReason.RESUBMITTED.value]
        set_status(post, PostStatus.PENDING)
    elif post.status is PostStatus.PENDING and not post.wait_reasons:
        post.wait_reasons = [WaitReason.RESUBMITTED.value]
    put_before_moderators(post, screening)
    db.session.flush()
    return EditResult.SAVED


def replace_text(post: Post, editor: User, body: Rendered, title: str | None = None) -> None:
    """Put new text in a post, keeping the earlier version as a revision; the search index
    follows in the same transaction."""
    db.session.add(
        PostRevision(
            post_id=post.id,
            editor_id=editor.id,
            body_source=post.body_source,
            title=post.thread.title if post.is_opening else None,
            created_at=utcnow(),
        )
    )
    post.body_source, post.body_html, post.body_text = body.source, body.html, body.text
    post.edited_at = utcnow()
    if post.is_opening and title is not None:
        post.thread.title = title
    search.index_post(post)


def drop_pending_edits(post: Post) -> None:
    db.session.execute(sa.delete(PendingEdit).where(PendingEdit.post_id == post.id))


def delete_waiting_post(post: Post) -> Thread | None:
    """Delete a post that was never approved; an opening post takes its thread with it.

    Returns the thread that remains, or None when the thread went too.
    """
    thread = post.thread
    if post.is_opening:
        search.forget_thread(thread.id)
        db.session.delete(thread)
        db.session.flush()
        return None
    search.forget_post(post.id)
    db.session.delete(post)
    db.session.flush()
    return thread


def others_wrote_in(opening: Post) -> bool:
    """Whether anyone but the opening post's writer has a post in its thread (a post without a
    writer counts: someone who left)."""
    someone_else = sa.or_(Post.author_id.is_(None), Post.author_id != opening.author_id)
    stmt = sa.select(Post.id).where(Post.thread_id == opening.thread_id, someone_else)
    return db.session.execute(stmt.limit(1)).first() is not None


def remove_post(post: Post) -> Thread | None:
    """Delete a post whatever its status (an account deletion), taking it out of every count it
    was in first; an opening post takes its thread with it. Returns what ``delete_waiting_post``
    returns."""
    if post.status is PostStatus.APPROVED:
        count_approved(post, -1)
    return delete_waiting_post(post)


def empty_post(post: Post, body: Rendered, title: str | None = None) -> None:
    """Replace a post's text (and an opening post's title) for good, with no earlier version
    kept: what stays of a post its writer removed when others replied to it. Flushes."""
    db.session.execute(sa.delete(PostRevision).where(PostRevision.post_id == post.id))
    drop_pending_edits(post)
    post.body_source, post.body_html, post.body_text = body.source, body.html, body.text
    post.privacy_findings, post.safeguarding = [], False
    if post.is_opening and title is not None:
        post.thread.title = title
    search.index_post(post)


KEEP_NOTE: Any = object()


def claim_status(
    post: Post,
    allowed_from: Collection[PostStatus],
    new: PostStatus,
    handled_by_id: int | None,
    note: str | None = KEEP_NOTE,
) -> bool:
    """Give ``post`` the status ``new`` if it still has one of ``allowed_from``; False when not.

    The one guarded status change for decisions that two moderators (or a moderator and the
    forum itself) may take at the same moment: ``UPDATE … WHERE id = :id AND status = :current``
    lets exactly one win. The winner's post then goes through ``set_status``, which keeps every
    counter right. ``handled_by_id`` None means the forum did it (reports, a removal request).
    """
    db.session.refresh(post)
    current = post.status
    if current not in allowed_from:
        return False
    now = utcnow()
    values: dict[str, Any] = {"status": new, "handled_by_id": handled_by_id, "handled_at": now}
    if note is not KEEP_NOTE:
        values["status_note"] = note
    result = db.session.execute(
        sa.update(Post)
        .where(Post.id == post.id, Post.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(post)
        return False
    # The row held ``current`` when this change claimed it: the in-memory post says so, so
    # ``set_status`` counts the change exactly once.
    for name, value in {**values, "status": current}.items():
        set_committed_value(post, name, value)
    set_status(post, new)
    db.session.flush()
    return True


def mark_handled(post: Post, moderator: User) -> None:
    """Record a moderator's decision on a post that needs no status change (``claim_status``
    records it with the change)."""
    post.handled_by_id, post.handled_at = moderator.id, utcnow()
    db.session.flush()


def set_status(post: Post, status: PostStatus) -> None:
    """Change a post's status and keep every counter right (the one place that does)."""
    was_counted = post.status is PostStatus.APPROVED
    post.status = status
    if post.is_opening:
        post.thread.status = status
    first_published = status is PostStatus.APPROVED and post.approved_at is None
    if first_published:
        post.approved_at = utcnow()
    now_counted = status is PostStatus.APPROVED
    if now_counted != was_counted:
        count_approved(post, +1 if now_counted else -1)
    if first_published:
        post_published(post)  # followers and mentioned members hear of it once, now


def count_approved(post: Post, delta: int) -> None:
    """Adjust thread and werkveld counters for a post entering (+1) or leaving (-1) view.

    Increments are SQL expressions, so two approvals at the same moment both count.
    """
    thread = post.thread
    setting = db.session.get_one(Setting, thread.setting_id)
    moment = post.approved_at or utcnow()
    if post.is_opening:
        # The whole thread enters or leaves the werkveld's lists, with its approved replies.
        setting.thread_count = Setting.thread_count + delta
        setting.post_count = Setting.post_count + delta * (1 + thread.reply_count)
    else:
        thread.reply_count = Thread.reply_count + delta
        if thread.status is PostStatus.APPROVED:
            setting.post_count = Setting.post_count + delta
    if delta > 0:
        thread.last_activity_at = max(thread.last_activity_at, moment)
        if setting.last_activity_at is None or setting.last_activity_at < moment:
            setting.last_activity_at = moment
    db.session.flush()


def reveal_author(post: Post, moderator: User) -> User | None:
    """Tell a moderator who wrote a post without name; the look-up itself is logged."""
    audit.record(moderator, "post.author_revealed", "post", post.id)
    return post.author


def recount() -> None:
    """Rebuild every counter from the posts (``flask --app forum recount``)."""
    approved = Post.status == PostStatus.APPROVED
    replies = (
        sa.select(sa.func.count(Post.id))
        .where(Post.thread_id == Thread.id, approved, Post.is_opening.is_(False))
        .scalar_subquery()
    )
    last = (
        sa.select(sa.func.max(Post.approved_at))
        .where(Post.thread_id == Thread.id, approved)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Thread).values(
            reply_count=replies, last_activity_at=sa.func.coalesce(last, Thread.created_at)
        )
    )
    recount_settings()


def recount_settings() -> None:
    """Rebuild the werkveld counters from the threads' own counters (kept right by the caller)."""
    listed = sa.and_(Thread.setting_id == Setting.id, Thread.status == PostStatus.APPROVED)
    db.session.execute(
        sa.update(Setting).values(
            thread_count=sa.select(sa.func.count(Thread.id)).where(listed).scalar_subquery(),
            post_count=sa.select(sa.func.coalesce(sa.func.sum(Thread.reply_count + 1), 0))
            .where(listed)
            .scalar_subquery(),
            last_activity_at=sa.select(sa.func.max(Thread.last_activity_at))
            .where(listed)
            .scalar_subquery(),
        )
    )
    db.session.flush()
    db.session.expire_all()
