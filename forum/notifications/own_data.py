"""What the notifications room holds about a person, for their data download
(``forum.accounts.rights``): their notifications, what they follow, their settings, how far they
read each thread, and the mails the forum queued for them.

A thread's title is given where the forum would show it to them (``policy.can_see_thread_title``).
Of a mail only the subject and its moments are given: its text held links (a password link, an
unsubscribe link) that must not travel in a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from forum import policy
from forum.accounts.models import User
from forum.accounts.rights.archive import Section
from forum.core.models import Setting
from forum.db import db
from forum.discussions.models import Thread
from forum.i18n import _
from forum.notifications.forms import MAIL_CHOICES
from forum.notifications.models import (
    Notification,
    NotificationSettings,
    SettingFollow,
    ThreadFollow,
    ThreadRead,
)
from forum.notifications.outbox import OutboxMessage
from forum.notifications.preferences import settings_for
from forum.notifications.views import Entry, changes_of, until_of


class Titles:
    """The titles of the threads a person's rows name, as far as they may see them."""

    def __init__(self, user: User, thread_ids: set[int]) -> None:
        self.user = user
        rows = (
            db.session.scalars(sa.select(Thread).where(Thread.id.in_(thread_ids)))
            if thread_ids
            else []
        )
        self.threads = {thread.id: thread for thread in rows}

    def title(self, thread_id: int | None) -> str | None:
        thread = self.threads.get(thread_id) if thread_id is not None else None
        if thread is None or not policy.can_see_thread_title(self.user, thread):
            return None
        return thread.title

    def setting_name(self, thread_id: int | None) -> str | None:
        thread = self.threads.get(thread_id) if thread_id is not None else None
        if thread is None or not policy.can_view_thread(self.user, thread):
            return None
        return thread.setting.name(str(get_locale() or "nl"))


def rows_of(model: type[db.Model], user: User, *order: Any) -> list[Any]:
    return list(
        db.session.scalars(sa.select(model).where(model.user_id == user.id).order_by(*order))
    )


def notifications(rows: list[Notification], titles: Titles) -> list[dict[str, Any]]:
    return [
        {
            "event": row.event,
            "details": row.data if isinstance(row.data, dict) else {},
            "thread_id": row.thread_id,
            "thread_title": titles.title(row.thread_id),
            "post_id": row.post_id,
            "created_at": row.created_at,
            "read_at": row.read_at,
            "mailed_at": row.mailed_at,
        }
        for row in rows
    ]


def entries(rows: list[Notification], titles: Titles) -> list[Entry]:
    """The notifications as the Meldingen page words them, one by one, without links."""
    result = []
    for row in rows:
        data = row.data if isinstance(row.data, dict) else {}
        entry = Entry(row, data, changes=changes_of(data), until=until_of(data))
        entry.thread_title = titles.title(row.thread_id)
        entry.setting_name = titles.setting_name(row.thread_id)
        result.append(entry)
    return result


def follows(user: User, titles: Titles) -> dict[str, Any]:
    threads = rows_of(ThreadFollow, user, ThreadFollow.created_at, ThreadFollow.thread_id)
    settings = db.session.execute(
        sa.select(Setting, SettingFollow.created_at)
        .join(SettingFollow, SettingFollow.setting_id == Setting.id)
        .where(SettingFollow.user_id == user.id)
        .order_by(Setting.position, Setting.id)
    )
    locale = str(get_locale() or "nl")
    return {
        "threads": [
            {
                "thread_id": row.thread_id,
                "title": titles.title(row.thread_id),
                "since": row.created_at,
            }
            for row in threads
        ],
        "werkvelden": [
            {"werkveld": setting.slug, "name": setting.name(locale), "since": since}
            for setting, since in settings
        ],
    }


def choices(user: User) -> dict[str, Any]:
    saved = db.session.get(NotificationSettings, user.id)
    row = saved if saved is not None else settings_for(user.id)
    labels = {choice.value: str(choice.label) for choice in MAIL_CHOICES}
    return {
        "saved_at": saved.updated_at if saved is not None else None,
        "follow_automatically": row.auto_follow,
        "mail_about_replies": row.mail_replies,
        "mail_about_replies_label": labels.get(row.mail_replies, row.mail_replies),
        "mail_about_mentions": row.mail_mentions,
        "mail_about_mentions_label": labels.get(row.mail_mentions, row.mail_mentions),
        "review_queue_digest": row.queue_digest,
    }


def read_positions(rows: list[ThreadRead], titles: Titles) -> list[dict[str, Any]]:
    return [
        {
            "thread_id": row.thread_id,
            "title": titles.title(row.thread_id),
            "read_up_to": row.read_at,
            "last_post_seen": row.last_read_post_id,
        }
        for row in rows
    ]


def mails(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(OutboxMessage.subject, OutboxMessage.created_at, OutboxMessage.sent_at)
        .where(
            sa.or_(
                OutboxMessage.recipient_id == user.id,
                sa.func.lower(OutboxMessage.to_address) == user.email_normalized,
            )
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [
        {"subject": subject, "queued_at": queued, "sent_at": sent} for subject, queued, sent in rows
    ]


def sections(user: User) -> Iterable[Section]:
    notices = rows_of(Notification, user, Notification.created_at, Notification.id)
    reads = rows_of(ThreadRead, user, ThreadRead.read_at, ThreadRead.thread_id)
    follow_ids = set(
        db.session.scalars(sa.select(ThreadFollow.thread_id).where(ThreadFollow.user_id == user.id))
    )
    titles = Titles(
        user,
        {row.thread_id for row in notices if row.thread_id is not None}
        | {row.thread_id for row in reads}
        | follow_ids,
    )
    yield Section(
        key="notifications",
        title=_("Meldingen, volgen en mail"),
        template="accounts/rights/sections/notifications.html",
        files={
            "notifications": notifications(notices, titles),
            "follows": follows(user, titles),
            "notification_settings": choices(user),
            "read_positions": read_positions(reads, titles),
            "mails": mails(user),
        },
        view={"entries": entries(notices, titles)},
    )
