"""Digests: the daily and weekly mail about notices, and the moderators' daily queue digest.

A digest becomes due at ``FORUM_DIGEST_HOUR`` (Amsterdam time, ``BABEL_DEFAULT_TIMEZONE``) every
day, the weekly one on ``FORUM_DIGEST_WEEKDAY`` (0 = Monday); a worker that was down catches up
with the latest due moment. It tells about notices made before that moment. ``DigestRun`` holds
the last period built per person and kind; ``claim_run`` takes a period in one guarded statement,
so two workers never build the same person's digest twice, and a claim that rolls back (a crash)
is free again. Functions flush, never commit: the worker commits after each person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from forum import policy
from forum.accounts.models import User
from forum.db import claim_forward, db
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import ngettext
from forum.notifications import mailing, outbox, unsubscribe
from forum.notifications.mailing import DAILY, WEEKLY, Content
from forum.notifications.models import Notification, NotificationSettings
from forum.notifications.preferences import settings_for

QUEUE = "queue"
RUN_KINDS = (DAILY, WEEKLY, QUEUE)
QUEUE_ITEMS = 20


class DigestRun(db.Model):
    """The last digest period built for a person, per kind (daily, weekly, queue)."""

    __tablename__ = "mail_digest_runs"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    # The local date of the period's due moment (ISO, so later periods sort later).
    period: Mapped[str] = mapped_column(sa.String(10))
    built_at: Mapped[datetime]


@dataclass(frozen=True)
class Period:
    kind: str
    moment: datetime  # when it became due, in UTC
    key: str


def latest_moment(now: datetime, zone: ZoneInfo, hour: int, weekday: int | None) -> datetime:
    """The latest digest moment at or before ``now``: today's (or the weekday's) ``hour`` o'clock
    in ``zone``, on the wall clock, so it stays at that hour across summer time."""
    local = now.astimezone(zone)
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if weekday is None:
        if moment > local:
            moment -= timedelta(days=1)
    else:
        moment -= timedelta(days=(moment.weekday() - weekday) % 7)
        if moment > local:
            moment -= timedelta(days=7)
    # Aware arithmetic in Python is wall-clock arithmetic: the offset follows the new date.
    return moment.astimezone(UTC)


def current_period(kind: str, now: datetime) -> Period:
    config = current_app.config
    zone = ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])
    weekday = config["FORUM_DIGEST_WEEKDAY"] if kind == WEEKLY else None
    moment = latest_moment(now, zone, config["FORUM_DIGEST_HOUR"], weekday)
    return Period(kind, moment, moment.astimezone(zone).date().isoformat())


def not_built(user_id: sa.ColumnElement[int], period: Period) -> sa.ColumnElement[bool]:
    done = (
        sa.select(DigestRun.user_id)
        .where(
            DigestRun.user_id == user_id,
            DigestRun.kind == period.kind,
            DigestRun.period >= period.key,
        )
        .exists()
    )
    return ~done


def claim_run(user_id: int, period: Period, now: datetime) -> bool:
    """Take ``period`` for this person: True for exactly one caller, however many workers ask
    (``forum.db.claim_forward``); the row stays locked until the caller commits."""
    keys = {"user_id": user_id, "kind": period.kind}
    return claim_forward(DigestRun, keys, "period", period.key, {"built_at": now})


def due(now: datetime) -> list[tuple[int, Period]]:
    """Everyone whose digest for the current period is due and not built yet."""
    result = []
    for choice in (DAILY, WEEKLY):
        period = current_period(choice, now)
        condition = sa.and_(
            mailing.waiting(choice, before=period.moment),
            not_built(Notification.user_id, period),
        )
        result += [(user_id, period) for user_id in mailing.recipients(condition)]
    period = current_period(QUEUE, now)
    moderators = policy.moderators(sa.select(User.id)).where(
        User.email_verified_at.is_not(None),
        sa.select(NotificationSettings.user_id)
        .where(NotificationSettings.user_id == User.id, NotificationSettings.queue_digest.is_(True))
        .exists(),
        not_built(User.id, period),
    )
    result += [(user_id, period) for user_id in db.session.execute(moderators).scalars()]
    return result


def build(user_id: int, period: Period, now: datetime) -> bool:
    """Claim and build one person's digest; True when a mail was queued. Nothing to tell (every
    post hidden since, an empty queue) means no mail, but the period counts as done."""
    if not claim_run(user_id, period, now):
        return False
    user = db.session.get(User, user_id)
    if user is None or not mailing.can_receive_mail(user):
        return False
    if period.kind == QUEUE:
        return queue_queue_digest(user)
    before = mailing.waiting(period.kind, before=period.moment)
    claimed = mailing.claim_notices(user_id, before, now)
    if not claimed:
        return False
    return mailing.queue_notice_mail(user, claimed, mailing.DIGEST_KIND[period.kind])


# --- the moderators' queue digest ---------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    title: str
    is_opening: bool
    waiting_since: datetime
    url: str


def queue_content(user: User, unsubscribe_url: str) -> Content | None:
    """How many posts wait and the oldest ones (titles only), for a moderator who asked for it."""
    if not policy.can_moderate(user) or not settings_for(user.id).queue_digest:
        return None
    waiting = policy.visible_posts(
        sa.select(Post.id, Post.created_at, Post.is_opening, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.status == PostStatus.PENDING),
        user,
    )
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(waiting.subquery())
    ).scalar_one()
    if not count:
        return None
    rows = db.session.execute(waiting.order_by(Post.created_at, Post.id).limit(QUEUE_ITEMS))
    items = [
        WaitingItem(
            title, is_opening, created_at, outbox.absolute_url("moderation.item", post_id=pid)
        )
        for pid, created_at, is_opening, title in rows
    ]
    locale = user.locale or "nl"
    with force_locale(locale):
        subject = ngettext(
            "%(num)d bericht wacht op beoordeling",
            "%(num)d berichten wachten op beoordeling",
            count,
        )
    return mailing.render(
        "queue_digest",
        locale,
        subject,
        user=user,
        count=count,
        items=items,
        queue_url=outbox.absolute_url("moderation.queue"),
        unsubscribe_url=unsubscribe_url,
        settings_url=unsubscribe.settings_url(),
    )


def queue_queue_digest(user: User) -> bool:
    url = unsubscribe.url_for_topics(user.id, [unsubscribe.QUEUE])
    content = queue_content(user, url)
    if content is None:
        return False
    outbox.enqueue(
        user.email,
        content.subject,
        content.text,
        html_body=content.html,
        headers=unsubscribe.headers(url),
        kind=outbox.QUEUE_DIGEST,
        recipient_id=user.id,
    )
    return True


def recheck_queue_mail(message: outbox.OutboxMessage, user: User) -> bool:
    """Before a try: the queue as it is now, for someone who still moderates and wants it."""
    url = unsubscribe.url_in_headers(message.headers) or unsubscribe.url_for_topics(
        user.id, [unsubscribe.QUEUE]
    )
    content = queue_content(user, url)
    if content is None:
        return False
    message.subject = outbox.one_line(content.subject)[:200]
    message.body, message.html_body = content.text, content.html
    return True
