"""Outgoing e-mail through an outbox table, so a mail outage loses nothing.

Services call ``enqueue`` inside their transaction. Messages are delivered right after that
transaction commits (nothing leaves for a change that rolled back); failures stay in the outbox
with a next try time, and ``flask --app forum outbox send`` (or a cron job) retries them.
Without ``FORUM_MAIL_URL`` a message is "delivered" by writing it to the log.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.db import db, utcnow

log = logging.getLogger("forum.mail")
MAX_ATTEMPTS = 8


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (sa.Index("ix_outbox_sent_at_next_try_at", "sent_at", "next_try_at"),)


def enqueue(to_address: str, subject: str, body: str) -> OutboxMessage:
    """Queue a mail in the current transaction; it goes out once that transaction commits."""
    message = OutboxMessage(
        to_address=to_address, subject=subject, body=body, created_at=utcnow(), next_try_at=utcnow()
    )
    db.session.add(message)
    db.session.flush()
    g.setdefault("outbox_flushed", []).append(message.id)
    return message


@event.listens_for(Session, "after_commit")
def _remember_committed(session: Session) -> None:
    # No SQL may run here; just note which queued mails are now durable.
    if has_app_context() and g.get("outbox_flushed"):
        g.setdefault("outbox_committed", []).extend(g.pop("outbox_flushed"))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    if has_app_context():
        g.pop("outbox_flushed", None)


def deliver_committed() -> None:
    """Send the mails this request committed (called after the response is built)."""
    ids = g.pop("outbox_committed", None)
    if ids:
        deliver(db.select(OutboxMessage).where(OutboxMessage.id.in_(ids)))


def deliver_due(now: datetime | None = None) -> int:
    """Send every unsent mail whose next try has come; returns how many went out."""
    now = now or utcnow()
    stmt = db.select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.next_try_at <= now,
        OutboxMessage.attempts < MAX_ATTEMPTS,
    )
    return deliver(stmt)


def deliver(stmt: sa.Select) -> int:
    sent = 0
    for message in db.session.execute(stmt.order_by(OutboxMessage.id)).scalars().all():
        if message.sent_at is not None:
            continue
        try:
            transport(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = str(error)[:500]
            message.next_try_at = utcnow() + timedelta(minutes=2**message.attempts)
            log.warning("mail %s not sent (attempt %s): %s", message.id, message.attempts, error)
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent


def transport(message: OutboxMessage) -> None:
    url = current_app.config["FORUM_MAIL_URL"]
    if not url:
        log.info("Mail to %s\nSubject: %s\n\n%s", message.to_address, message.subject, message.body)
        return
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    email = EmailMessage()
    email["From"] = current_app.config["FORUM_MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    default_port = 465 if parts.scheme == "smtps" else 25
    with smtp_class(parts.hostname or "localhost", parts.port or default_port, timeout=10) as smtp:
        if options.get("starttls", ["0"])[0] in {"1", "true", "yes"}:
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(email, from_addr=parseaddr(email["From"])[1])
