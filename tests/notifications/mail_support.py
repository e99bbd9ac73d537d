"""Shared pieces of the mail tests: a real SMTP server on 127.0.0.1 (aiosmtpd) that can be
stopped and started again on the same port, notices, mail choices and moments."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from forum.db import db, utcnow
from forum.notifications import preferences
from forum.notifications.models import Notification
from forum.notifications.outbox import OutboxMessage
from forum.notifications.services import notify
from forum.notifications.worker import Round, Worker
from tests.helpers import PersonRef, PostRef

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REPLY, MENTION = "followed_thread_reply", "mention"


class Sink:
    """What the SMTP server received, parsed, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.raw.append(envelope.original_content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.sink = Sink()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.sink.lock:
            return list(self.sink.messages)

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def serve_smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A running SMTP server the app sends to, for one test: each test module's ``smtp_server``
    fixture is ``yield from serve_smtp(app, monkeypatch)``."""
    server = SmtpServer()
    server.start()
    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", server.url)
    yield server
    server.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll until ``condition()`` holds; fail after ``timeout`` seconds (a bound, not a timing)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML part of a multipart/alternative mail."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


def give_notice(
    app: Flask, person: PersonRef, event: str, post: PostRef, at: datetime | None = None
) -> int:
    """A notice as the following feature makes it (``notify``), committed; made ``at``."""
    with app.app_context():
        notify(person.id, event, thread_id=post.thread_id, post_id=post.id)
        db.session.flush()
        notice = db.session.execute(
            sa.select(Notification).order_by(Notification.id.desc()).limit(1)
        ).scalar_one()
        if at is not None:
            notice.created_at = at
        db.session.commit()
        notice_id = notice.id
        db.session.remove()
    return notice_id


def mailed_at(app: Flask, notice_id: int) -> datetime | None:
    with app.app_context():
        value = db.session.get(Notification, notice_id).mailed_at
        db.session.remove()
    return value


def choose(
    app: Flask,
    person: PersonRef,
    replies: str = "daily",
    mentions: str = "immediately",
    queue_digest: bool = False,
) -> None:
    with app.app_context():
        preferences.save(
            person.id,
            auto_follow=True,
            mail_replies=replies,
            mail_mentions=mentions,
            queue_digest=queue_digest,
        )
        db.session.commit()
        db.session.remove()


def set_locale(app: Flask, person: PersonRef, locale: str) -> None:
    from forum.accounts.models import User

    with app.app_context():
        db.session.get(User, person.id).locale = locale
        db.session.commit()
        db.session.remove()


def local_moment(days_ahead: int, hour: int, minute: int = 30) -> datetime:
    """A moment ``days_ahead`` days from today at ``hour``:``minute``, Amsterdam time, in UTC."""
    day = datetime.now(AMSTERDAM).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


def next_weekday(weekday: int, hour: int, minute: int = 30) -> datetime:
    """The next ``weekday`` (0 = Monday) after today at ``hour``:``minute``, Amsterdam time."""
    today = datetime.now(AMSTERDAM).date()
    days = (weekday - today.weekday()) % 7 or 7
    return local_moment(days, hour, minute)


def run_round(app: Flask, now: datetime | None = None) -> Round:
    """One worker round, at ``now`` (default: now)."""
    return Worker(app, clock=(lambda: now) if now else utcnow).run_once()


def outbox_rows(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        )
        db.session.expunge_all()
        db.session.remove()
    return rows
