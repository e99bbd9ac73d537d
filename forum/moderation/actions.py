"""Moderator actions on threads, posts and people: lock, pin, move, hide, restore, suspend.

Services take the moderator, flush and never commit. Every action writes an audit entry in the
same transaction and tells the author where the house rules name an event. Post statuses change
through a guarded UPDATE first (so of two moderators exactly one wins) and then through
``discussions.services.set_status`` (so every counter stays right).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import to_user_timezone

from forum import audit, policy
from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services as discussions
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _, format_datetime
from forum.moderation import reports
from forum.moderation.models import Report, ReportStatus
from forum.notifications.services import notify, notify_author


class ActionError(Exception):
    """The action cannot be done (a message the moderator can act on)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyHandled(ActionError):
    """Another moderator changed the post first."""

    def __init__(self, post: Post) -> None:
        who = db.session.get(User, post.handled_by_id) if post.handled_by_id else None
        if who is not None:
            message = _(
                "%(name)s was je net voor: dit bericht is al behandeld.", name=who.display_name
            )
        else:
            message = _("Iemand anders was je net voor: dit bericht is al behandeld.")
        super().__init__(message)
        self.handled_by = who


# --- threads ----------------------------------------------------------------------------------


def set_locked(thread: Thread, moderator: User, locked: bool) -> None:
    """Lock (no more replies) or unlock a thread; the author hears of a lock."""
    if thread.locked == locked:
        raise ActionError(
            _("Dit gesprek is al gesloten.") if locked else _("Dit gesprek is al open.")
        )
    thread.locked = locked
    audit.record(moderator, "thread.locked" if locked else "thread.unlocked", "thread", thread.id)
    if locked and thread.author_id != moderator.id:
        notify(thread.author_id, "thread_locked", thread_id=thread.id)
    db.session.flush()


def set_pinned(thread: Thread, moderator: User, pinned: bool) -> None:
    """Pin a thread to the top of its werkveld, or unpin it."""
    if thread.pinned == pinned:
        raise ActionError(
            _("Dit gesprek staat al bovenaan.")
            if pinned
            else _("Dit gesprek staat niet vast bovenaan.")
        )
    thread.pinned = pinned
    audit.record(moderator, "thread.pinned" if pinned else "thread.unpinned", "thread", thread.id)
    db.session.flush()


def move_counts(thread: Thread, source: Setting, target: Setting) -> None:
    """Carry an approved thread's counts from one werkveld to another (SQL expressions, so
    changes made at the same moment by others still add up). Call before moving the thread."""
    if thread.status is not PostStatus.APPROVED:
        return
    posts = 1 + thread.reply_count
    source.thread_count = Setting.thread_count - 1
    source.post_count = Setting.post_count - posts
    target.thread_count = Setting.thread_count + 1
    target.post_count = Setting.post_count + posts
    if target.last_activity_at is None or target.last_activity_at < thread.last_activity_at:
        target.last_activity_at = thread.last_activity_at
    # The source's last activity is now that of its other listed threads (as ``recount`` has it).
    source.last_activity_at = (
        sa.select(sa.func.max(Thread.last_activity_at))
        .where(
            Thread.setting_id == source.id,
            Thread.status == PostStatus.APPROVED,
            Thread.id != thread.id,
        )
        .scalar_subquery()
    )


def move_thread(thread: Thread, target: Setting, moderator: User, reason: str = "") -> None:
    """Move a thread to another active werkveld, keeping the counters of both right."""
    source = thread.setting
    if target.archived:
        raise ActionError(_("Dit werkveld is gearchiveerd. Kies een ander werkveld."))
    if target.id == source.id:
        raise ActionError(_("Het gesprek staat al in dit werkveld."))
    move_counts(thread, source, target)
    thread.setting = target
    audit.record(
        moderator,
        "thread.moved",
        "thread",
        thread.id,
        reason=reason,
        data={"from": source.slug, "to": target.slug},
    )
    if thread.author is not None and thread.author_id != moderator.id:
        name = target.name(thread.author.locale)
        notify(thread.author_id, "thread_moved", thread_id=thread.id, data={"setting": name})
    db.session.flush()


# --- posts ------------------------------------------------------------------------------------


def change_status(post: Post, expected: PostStatus, new: PostStatus, moderator: User) -> None:
    """The guarded change (``claim_status``); the moderator who comes second gets
    ``AlreadyHandled``."""
    if not discussions.claim_status(post, (expected,), new, moderator.id):
        raise AlreadyHandled(post)


def hide_post(post: Post, moderator: User, reason: str) -> None:
    """Hide an approved post (an opening post hides its thread); the author is told why."""
    if not reason.strip():
        raise ActionError(_("Geef een reden op."))
    change_status(post, PostStatus.APPROVED, PostStatus.HIDDEN, moderator)
    audit.record(moderator, "post.hidden", "post", post.id, reason=reason)
    notify_author(post, "post_hidden", reason=reason)
    db.session.flush()


def restore_post(post: Post, moderator: User, reason: str = "") -> None:
    """Show a hidden post again. Not while a removal request about it waits: that is decided on
    its own page, so a parent's request is never undone by a button on the thread."""
    if reports.has_open_removal_request(post):
        raise ActionError(
            _(
                "Er loopt een verzoek tot verwijdering voor dit bericht. Handel dat eerst af "
                "bij de verzoeken tot verwijdering."
            )
        )
    change_status(post, PostStatus.HIDDEN, PostStatus.APPROVED, moderator)
    audit.record(moderator, "post.restored", "post", post.id, reason=reason)
    notify_author(post, "post_restored")
    # Reports that hid it are answered: the moderator decided to keep it.
    reports.resolve_reports(post, moderator, ReportStatus.KEPT, reason or None)
    db.session.flush()


# --- people -----------------------------------------------------------------------------------


class Period(enum.StrEnum):
    DAY = "1"
    WEEK = "7"
    MONTH = "30"
    INDEFINITE = "indefinite"


def suspend(person: User, moderator: User, reason: str, period: Period) -> None:
    """Suspend for a number of days or indefinitely: the person can log in and read, not write."""
    if not reason.strip():
        raise ActionError(_("Geef een reden op."))
    indefinite = period is Period.INDEFINITE
    until = None if indefinite else utcnow() + timedelta(days=int(period.value))
    person.suspended_indefinitely = indefinite
    person.suspended_until = until
    person.suspension_reason = reason
    until_date = to_user_timezone(until).date().isoformat() if until else None
    audit.record(
        moderator,
        "user.suspended",
        "user",
        person.id,
        reason=reason,
        data={"until": until.isoformat() if until else None, "period": period.value},
    )
    notify(person.id, "suspended", data={"reason": reason, "until": until_date})
    db.session.flush()


def unsuspend(person: User, moderator: User, reason: str = "") -> None:
    if not policy.is_suspended(person):
        raise ActionError(_("%(name)s is niet geschorst.", name=person.display_name))
    person.suspended_indefinitely = False
    person.suspended_until = None
    person.suspension_reason = None
    audit.record(moderator, "user.unsuspended", "user", person.id, reason=reason)
    notify(person.id, "unsuspended")
    db.session.flush()


def set_always_moderate(person: User, moderator: User, on: bool, reason: str = "") -> bool:
    """Let every post of this person wait for a moderator (or stop that). False: no change."""
    if person.always_moderate == on:
        return False
    person.always_moderate = on
    audit.record(
        moderator,
        "user.always_moderate_on" if on else "user.always_moderate_off",
        "user",
        person.id,
        reason=reason,
    )
    db.session.flush()
    return True


def suspension_notice(user: User) -> str | None:
    """The sentence a suspended person sees at the top of each page (None when not suspended)."""
    if not policy.signed_in(user) or not policy.is_suspended(user):
        return None
    until = user.suspended_until  # is_suspended: indefinitely, or until a moment
    if user.suspended_indefinitely or until is None:
        text = _("Je account is voor onbepaalde tijd geschorst.")
    else:
        text = _("Je account is geschorst tot %(moment)s.", moment=format_datetime(until))
    if user.suspension_reason:
        text += " " + _("Reden: %(reason)s", reason=user.suspension_reason)
    return text + " " + _("Je kunt lezen, maar niet schrijven.")


# --- the person page --------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    approved: int
    returned: int
    rejected: int
    hidden: int
    pending: int
    reports: int


def history(person: User) -> History:
    """How this person's posts fared: counts per status, and reports on their posts."""
    counts = dict(
        db.session.execute(
            sa.select(Post.status, sa.func.count(Post.id))
            .where(Post.author_id == person.id)
            .group_by(Post.status)
        ).all()
    )
    reports = db.session.execute(
        sa.select(sa.func.count(Report.id))
        .join(Post, Post.id == Report.post_id)
        .where(Post.author_id == person.id, Report.reporter_id.is_not(None))
    ).scalar_one()
    return History(
        approved=counts.get(PostStatus.APPROVED, 0),
        returned=counts.get(PostStatus.RETURNED, 0),
        rejected=counts.get(PostStatus.REJECTED, 0),
        hidden=counts.get(PostStatus.HIDDEN, 0),
        pending=counts.get(PostStatus.PENDING, 0),
        reports=reports,
    )


def recent_posts(person: User, limit: int = 10) -> list[Post]:
    """Their latest posts with their name on them. Posts without name are left out: who wrote
    those is only revealed on the post itself, where the look-up is logged."""
    return list(
        db.session.execute(
            sa.select(Post)
            .where(Post.author_id == person.id, Post.anonymous.is_(False))
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(limit)
        ).scalars()
    )
