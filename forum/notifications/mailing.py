"""Notification mails: which notices are mailed, when, and what a mail about them may say.

Replies in followed threads and mentions are mailed as each person's ``NotificationSettings``
says: immediately, in a daily or weekly digest, or never (a missing row means the defaults).
``Notification.mailed_at`` settles each notice once: claimed by the mail that tells about it, or
marked when it will never be mailed (choice "never", already read in the forum, an address that
cannot receive mail), so a later change of choice does not flood anyone with old notices.

A mail tells only about posts the recipient may see *now*: ``visible_items`` re-applies the
policy's WHERE filters, and leaves out posts that are no longer approved or were redacted after
the notice was made. It runs when a mail is built and again before every try to send it. A mail
quotes no more than a thread's title and a short excerpt of an approved post, never an author.
Functions flush, never commit: the worker commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from forum import policy
from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _, ngettext
from forum.notifications import outbox, unsubscribe
from forum.notifications.models import (
    DEFAULTS,
    FOLLOWED_THREAD_REPLY,
    MENTION,
    MailFrequency,
    Notification,
    NotificationSettings,
)
from forum.notifications.preferences import settings_for

REPLY = FOLLOWED_THREAD_REPLY
MAILED_EVENTS = (REPLY, MENTION)
IMMEDIATELY = MailFrequency.IMMEDIATELY.value
DAILY, WEEKLY = MailFrequency.DAILY.value, MailFrequency.WEEKLY.value
NEVER = MailFrequency.NEVER.value
DIGEST_KIND = {DAILY: outbox.DIGEST_DAILY, WEEKLY: outbox.DIGEST_WEEKLY}
# What the unsubscribe link of an immediate mail stops, per event it tells about.
EVENT_TOPICS = {REPLY: unsubscribe.REPLIES, MENTION: unsubscribe.MENTIONS}
EXCERPT_CHARS = 200
# Each mail is about this many notices at most; more wait for the next mail.
MAX_ITEMS = 50


def choice_of_notice() -> sa.ColumnElement[str]:
    """Each notification's mail choice, as SQL: its recipient's setting for the event (the
    default without a settings row)."""

    def setting(name: str) -> sa.ColumnElement[str]:
        chosen = (
            sa.select(getattr(NotificationSettings, name))
            .where(NotificationSettings.user_id == Notification.user_id)
            .scalar_subquery()
        )
        return sa.func.coalesce(chosen, DEFAULTS[name])

    return sa.case(
        (Notification.event == MENTION, setting("mail_mentions")),
        else_=setting("mail_replies"),
    )


def choice_for(settings: NotificationSettings, event: str) -> str:
    return settings.mail_mentions if event == MENTION else settings.mail_replies


def can_receive_mail(user: User | None) -> bool:
    """Approved people with a confirmed address; nobody else is mailed about the forum."""
    return user is not None and user.approved and user.email_verified


def mailable_recipient() -> sa.ColumnElement[bool]:
    """``can_receive_mail`` as SQL, for the recipient of a notification."""
    return (
        sa.select(User.id)
        .where(
            User.id == Notification.user_id,
            User.approved.is_(True),
            User.email_verified_at.is_not(None),
        )
        .exists()
    )


def unsettled() -> sa.ColumnElement[bool]:
    return sa.and_(Notification.event.in_(MAILED_EVENTS), Notification.mailed_at.is_(None))


def waiting(choice: str, before: datetime | None = None) -> sa.ColumnElement[bool]:
    """Notices still to be mailed with ``choice`` (made before ``before``, for a digest)."""
    condition = sa.and_(unsettled(), Notification.read_at.is_(None), choice_of_notice() == choice)
    if before is not None:
        condition = sa.and_(condition, Notification.created_at < before)
    return condition


def settle_unmailable(now: datetime) -> int:
    """Mark notices that will never be mailed: choice "never", read in the forum already, or a
    recipient who cannot receive mail. Returns how many."""
    never = sa.or_(
        Notification.read_at.is_not(None),
        choice_of_notice() == NEVER,
        ~mailable_recipient(),
    )
    count = db.session.execute(
        sa.update(Notification)
        .where(unsettled(), never)
        .values(mailed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return count or 0


def recipients(condition: sa.ColumnElement[bool], limit: int = 500) -> list[int]:
    """Who has notices matching ``condition`` (one query)."""
    stmt = (
        sa.select(Notification.user_id)
        .where(condition)
        .group_by(Notification.user_id)
        .order_by(Notification.user_id)
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def claim_notices(user_id: int, condition: sa.ColumnElement[bool], now: datetime) -> list[int]:
    """Settle this person's notices matching ``condition`` for one mail, in one guarded UPDATE:
    a notice another worker claimed first is not claimed again. Returns the ids, oldest first."""
    first = (
        sa.select(Notification.id)
        .where(Notification.user_id == user_id, condition)
        .order_by(Notification.created_at, Notification.id)
        .limit(MAX_ITEMS)
    )
    claimed = db.session.execute(
        sa.update(Notification)
        .where(Notification.id.in_(first.scalar_subquery()), Notification.mailed_at.is_(None))
        .values(mailed_at=now)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    ).scalars()
    return sorted(claimed)


# --- what a mail may say ------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One notice as a mail shows it: the thread's title and an excerpt of the approved post."""

    event: str
    post_id: int
    thread_id: int
    thread_title: str
    excerpt: str
    url: str


@dataclass
class ThreadGroup:
    title: str
    url: str
    items: list[Item] = field(default_factory=list)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a post's plain text, cut between words."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def redacted_since_notice() -> sa.ColumnElement[bool]:
    """A moderator took details out of the post after the notice was made."""
    return (
        sa.select(AuditEntry.id)
        .where(
            AuditEntry.action == "post.redacted",
            AuditEntry.target_type == "post",
            AuditEntry.target_id == Post.id,
            AuditEntry.created_at >= Notification.created_at,
        )
        .exists()
    )


def visible_items(user: User, notification_ids: Iterable[int]) -> list[Item]:
    """The notices (of ``user``) whose post ``user`` may see now, approved and not redacted since;
    one query, a post told about once."""
    ids = list(notification_ids)
    if not ids:
        return []
    stmt = (
        sa.select(Notification.event, Post.id, Post.body_text, Thread.id, Thread.title)
        .join(Post, Post.id == Notification.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Notification.id.in_(ids),
            Notification.user_id == user.id,
            Notification.event.in_(MAILED_EVENTS),
            Post.status == PostStatus.APPROVED,
            Thread.status == PostStatus.APPROVED,
            ~redacted_since_notice(),
        )
        .order_by(Notification.created_at, Notification.id)
    )
    stmt = policy.visible_threads(policy.visible_posts(stmt, user), user)
    items: dict[int, Item] = {}
    for event, post_id, body_text, thread_id, title in db.session.execute(stmt):
        if post_id in items and event != MENTION:
            continue  # a reply that also mentions you is told once, as a mention
        items[post_id] = Item(
            event,
            post_id,
            thread_id,
            title,
            excerpt(body_text),
            outbox.absolute_url("discussions.show_post", post_id=post_id),
        )
    return list(items.values())


def by_thread(items: list[Item]) -> list[ThreadGroup]:
    groups: dict[int, ThreadGroup] = {}
    for item in items:
        group = groups.get(item.thread_id)
        if group is None:
            url = outbox.absolute_url("discussions.thread", thread_id=item.thread_id)
            group = groups[item.thread_id] = ThreadGroup(item.thread_title, url)
        group.items.append(item)
    return list(groups.values())


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str


def subject_for(kind: str, items: list[Item]) -> str:
    if kind == outbox.DIGEST_DAILY:
        return _("Je dagelijkse overzicht van Dorpsplein")
    if kind == outbox.DIGEST_WEEKLY:
        return _("Je wekelijkse overzicht van Dorpsplein")
    if len(items) == 1 and items[0].event == MENTION:
        return _("Je bent genoemd in ‘%(title)s’", title=items[0].thread_title)
    if len(items) == 1:
        return _("Nieuwe reactie in ‘%(title)s’", title=items[0].thread_title)
    return ngettext(
        "%(num)d nieuwe melding op Dorpsplein", "%(num)d nieuwe meldingen op Dorpsplein", len(items)
    )


def render(template: str, locale: str, subject: str | None, **context: object) -> Content:
    """Plain text and HTML from ``templates/email/<template>.txt|.html`` in ``locale``.

    Rendered by the Jinja environment itself, not ``render_template``: the worker has no request
    for the page context processors (and a mail needs nothing from a request)."""
    environment = current_app.jinja_env
    with force_locale(locale):
        context["subject"] = subject
        text = environment.get_template(f"email/{template}.txt").render(context)
        html = environment.get_template(f"email/{template}.html").render(context)
    return Content(subject or "", text, html)


def notice_content(user: User, kind: str, items: list[Item], unsubscribe_url: str) -> Content:
    locale = user.locale or "nl"
    with force_locale(locale):
        subject = subject_for(kind, items)
    return render(
        "notices",
        locale,
        subject,
        user=user,
        kind=kind,
        groups=by_thread(items),
        unsubscribe_url=unsubscribe_url,
        settings_url=unsubscribe.settings_url(),
    )


def topics_for(kind: str, events: Iterable[str]) -> list[str]:
    """What the mail's unsubscribe link stops: the digest, or the events told about."""
    if kind in (outbox.DIGEST_DAILY, outbox.DIGEST_WEEKLY):
        return [unsubscribe.DIGESTS]
    wanted = set(events)
    return [topic for event, topic in EVENT_TOPICS.items() if event in wanted]


def queue_notice_mail(user: User, notification_ids: list[int], kind: str) -> bool:
    """Queue one mail about claimed notices; False (and no mail) when none is visible any more."""
    items = visible_items(user, notification_ids)
    if not items:
        return False
    url = unsubscribe.url_for_topics(user.id, topics_for(kind, (i.event for i in items)))
    content = notice_content(user, kind, items, url)
    outbox.enqueue(
        user.email,
        content.subject,
        content.text,
        html_body=content.html,
        headers=unsubscribe.headers(url),
        kind=kind,
        recipient_id=user.id,
        notification_ids=notification_ids,
        request_id=request_of(notification_ids),
    )
    return True


def request_of(notification_ids: list[int]) -> str | None:
    """The request the notices came from, when they all came from one (a mention, a reply);
    a mail about several requests' notices names none rather than one at random."""
    found = set(
        db.session.execute(
            sa.select(Notification.request_id).where(Notification.id.in_(notification_ids))
        ).scalars()
    )
    return found.pop() if len(found) == 1 else None


def mail_immediately(user_id: int, now: datetime) -> bool:
    """Claim a person's notices marked "immediately" and queue one mail about them."""
    user = db.session.get(User, user_id)
    claimed = claim_notices(user_id, waiting(IMMEDIATELY), now)
    if not claimed or not can_receive_mail(user):
        return False
    return queue_notice_mail(user, claimed, outbox.NOTICE)  # type: ignore[arg-type]


def recheck_notice_mail(message: outbox.OutboxMessage, user: User) -> bool:
    """Before a try: rebuild the mail from what ``user`` may see now and still wants mailed
    (no event they turned off meanwhile); False drops it."""
    settings = settings_for(user.id)
    items = [
        item
        for item in visible_items(user, message.notification_ids or [])
        if choice_for(settings, item.event) != NEVER
    ]
    if not items:
        return False
    url = unsubscribe.url_in_headers(message.headers) or unsubscribe.url_for_topics(
        user.id, topics_for(message.kind, (i.event for i in items))
    )
    content = notice_content(user, message.kind, items, url)
    message.subject = outbox.one_line(content.subject)[:200]
    message.body, message.html_body = content.text, content.html
    return True
