"""In-app notifications ("Meldingen": only ever notifications, never flags), what people follow,
how far they read each thread, and how they want to hear about it.

A missing ``NotificationSettings`` row means the defaults (``DEFAULTS``): rows are written only
when a person saves the settings page, never on a read.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import db, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(40))
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    # Small, non-identifying details for the message (a reason chosen by a moderator, a title).
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # When the mail question was settled for a mailable event (mailed, or not to be mailed), so
    # each notification is mailed at most once (forum.notifications.mailing).
    mailed_at: Mapped[datetime | None]
    # The request that caused it, carried into the mail about it (X-Request-Id).
    request_id: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
        # The worker's look-up: mailable events not yet settled.
        sa.Index("ix_notifications_event_mailed", "event", "mailed_at"),
        # Grouping unread notices of one event and thread, and marking them read with the thread.
        sa.Index("ix_notifications_user_thread_event", "user_id", "thread_id", "event", "read_at"),
    )


class ThreadFollow(db.Model):
    """A person follows a thread: its replies are notified to them once they are visible."""

    __tablename__ = "thread_follows"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # Who follows this thread (when a reply is published).
        sa.Index("ix_thread_follows_thread", "thread_id"),
        # A person's followed threads, newest follow first.
        sa.Index("ix_thread_follows_user_created", "user_id", "created_at", "thread_id"),
    )


class SettingFollow(db.Model):
    """A person follows a werkveld: its new threads are notified to them once they are visible."""

    __tablename__ = "setting_follows"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    setting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("settings.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.Index("ix_setting_follows_setting", "setting_id"),
        sa.Index("ix_setting_follows_user_created", "user_id", "created_at", "setting_id"),
    )


class ThreadRead(db.Model):
    """How far a person has read a thread (``forum.notifications.reads``); only moves forward.

    ``read_at`` is the thread activity the person has seen: posts approved after it are unread.
    ``last_read_post_id`` is the last post they were shown.
    """

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="SET NULL")
    )
    read_at: Mapped[datetime]


class MailFrequency(enum.StrEnum):
    """How often a person wants mail about something: at once, in a digest, or never."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class NotificationSettings(db.Model):
    """What a person chose on /account/meldingen. No row: the defaults below (``DEFAULTS``)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Follow a thread when you start it or reply in it.
    auto_follow: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Mail about replies in followed threads (a ``MailFrequency`` value).
    mail_replies: Mapped[str] = mapped_column(
        sa.String(12), default=MailFrequency.DAILY.value, server_default="daily"
    )
    # Mail when someone names you in a post (a ``MailFrequency`` value).
    mail_mentions: Mapped[str] = mapped_column(
        sa.String(12), default=MailFrequency.IMMEDIATELY.value, server_default="immediately"
    )
    # Moderators only: a daily mail of what waits in the review queue.
    queue_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# The choices of a person who never saved the settings page.
DEFAULTS: dict[str, Any] = {
    "auto_follow": True,
    "mail_replies": MailFrequency.DAILY.value,
    "mail_mentions": MailFrequency.IMMEDIATELY.value,
    "queue_digest": False,
}

# Events about what a person follows or where they are named (``forum.notifications.published``).
FOLLOWED_THREAD_REPLY = "followed_thread_reply"
FOLLOWED_SETTING_THREAD = "followed_setting_thread"
MENTION = "mention"
FOLLOWING_EVENTS = (FOLLOWED_THREAD_REPLY, FOLLOWED_SETTING_THREAD, MENTION)
