"""Outgoing e-mail through an outbox table, so a mail outage loses nothing and sends nothing twice.

Features call ``enqueue`` inside their transaction; nothing leaves for a change that rolled back.
A mail a request committed is sent right after that request; everything else (retries, and the
notice mails and digests the worker builds) goes out through ``send_due``, run by
``flask --app forum worker`` or ``flask --app forum outbox send``.

Sending is claim-based, so any number of workers (and requests) can run at once and each mail
leaves once: a sender first claims rows in one statement (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, a guarded UPDATE on SQLite), confirms its claim just before it hands a mail to the
server, and records the result at once. A claim left by a crashed sender goes stale after
``FORUM_MAIL_CLAIM_MINUTES``. A failed try is retried with exponential backoff, up to
``MAX_ATTEMPTS`` tries; after that the mail stays in the table with its last error.

Mails of the kinds in ``CHECKED_KINDS`` quote forum posts: they are only sent with a ``check``
(the worker's), which rebuilds them from what the recipient may see at that moment.
Without ``FORUM_MAIL_URL`` a message is "delivered" by writing it to the log.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.db import claim_rows, db, utcnow
from forum.notifications import smtp

# The name operators already grep their logs for.
log = logging.getLogger("forum.mail")
MAX_ATTEMPTS = 8
BATCH_SIZE = 20
# A mail for an account (verification, reset, invitation, approval): sent as it is.
ACCOUNT = "account"
# Kinds the worker builds from notifications; they are rebuilt by a check before each try.
NOTICE, QUEUE_DIGEST = "notice", "queue_digest"
DIGEST_DAILY, DIGEST_WEEKLY = "digest_daily", "digest_weekly"
CHECKED_KINDS = frozenset({NOTICE, DIGEST_DAILY, DIGEST_WEEKLY, QUEUE_DIGEST})

# Decides, just before a try, whether a checked mail still goes (it may rewrite the message).
Check = Callable[["OutboxMessage"], bool]


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), default=ACCOUNT, server_default=ACCOUNT)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # Who the mail is for, when it is about forum content (None once the account is deleted).
    recipient_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # Extra headers (List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted).
    headers: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict, server_default="{}")
    # The notifications a notice mail or digest tells about (rebuilt from them before each try).
    notification_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    # The request that queued it (or made the notice it tells about): sent as X-Request-Id and
    # logged on sending, so an operator can follow a mail back to the request in the logs.
    request_id: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (sa.Index("ix_outbox_sent_at_next_try_at", "sent_at", "next_try_at"),)


def enqueue(
    to_address: str,
    subject: str,
    body: str,
    *,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    kind: str = ACCOUNT,
    recipient_id: int | None = None,
    notification_ids: list[int] | None = None,
    request_id: str | None = None,
) -> OutboxMessage:
    """Queue a mail in the current transaction; it goes out once that transaction commits.
    Without ``request_id``, the current request's id (none in the worker)."""
    now = utcnow()
    message = OutboxMessage(
        kind=kind,
        to_address=to_address,
        recipient_id=recipient_id,
        subject=one_line(subject)[:200],
        body=body,
        html_body=html_body,
        headers=dict(headers or {}),
        notification_ids=list(notification_ids or []),
        request_id=request_id or current_request_id(),
        created_at=now,
        next_try_at=now,
    )
    db.session.add(message)
    db.session.flush()
    g.setdefault("outbox_flushed", []).append(message.id)
    return message


def current_request_id() -> str | None:
    """The id ``forum.observability.logs`` gave the current request (None outside one)."""
    return g.get("request_id") if has_request_context() else None


def one_line(text: str) -> str:
    """A subject on one line (a title never breaks a header)."""
    return " ".join(text.split())


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full link for an e-mail. ``FORUM_BASE_URL`` wins over the request's host, so a forged
    Host header cannot end up in a mail; without either (a command, the worker): localhost."""
    base = current_app.config["FORUM_BASE_URL"]
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or "http://127.0.0.1:5000") + path


@event.listens_for(Session, "after_commit")
def _remember_committed(session: Session) -> None:
    # No SQL may run here; just note which queued mails are now durable.
    if has_app_context() and g.get("outbox_flushed"):
        g.setdefault("outbox_committed", []).extend(g.pop("outbox_flushed"))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    if has_app_context():
        g.pop("outbox_flushed", None)


# --- sending ----------------------------------------------------------------------------------


def sender_name() -> str:
    """Who claims rows: host, process and a random part (threads and restarts differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def deliver_committed() -> None:
    """Send the mails this request committed (called after the response is built)."""
    ids = g.pop("outbox_committed", None)
    if ids:
        worker = sender_name()
        send_claimed(claim(worker, ids=ids), worker, check=None)


def send_due(
    worker: str | None = None, check: Check | None = None, now: datetime | None = None
) -> int:
    """Claim and send every unsent mail whose next try has come, batch by batch; returns how
    many went out. Without ``check``, mails of ``CHECKED_KINDS`` are left for the worker. A batch
    that sends nothing (the server is down) ends the run: the rest waits for the next one."""
    worker = worker or sender_name()
    sent = 0
    while claimed := claim(worker, now=now, checked=check is not None):
        sent_now = send_claimed(claimed, worker, check=check, now=now)
        sent += sent_now
        if len(claimed) < BATCH_SIZE or not sent_now:
            break
    return sent


def claimable(now: datetime) -> sa.ColumnElement[bool]:
    stale = now - timedelta(minutes=current_app.config["FORUM_MAIL_CLAIM_MINUTES"])
    return sa.and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.next_try_at <= now,
        OutboxMessage.attempts < MAX_ATTEMPTS,
        sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale),
    )


def claim(
    worker: str,
    ids: Collection[int] | None = None,
    now: datetime | None = None,
    checked: bool = False,
    limit: int = BATCH_SIZE,
) -> list[int]:
    """Claim up to ``limit`` due mails for ``worker`` in one statement and commit; returns their
    ids. Two senders never get the same row: PostgreSQL skips rows another sender has locked,
    SQLite runs the guarded UPDATE under its single write lock."""
    now = now or utcnow()
    condition = claimable(now)
    if ids is not None:
        condition = sa.and_(condition, OutboxMessage.id.in_(list(ids)))
    if not checked:
        condition = sa.and_(condition, OutboxMessage.kind.not_in(CHECKED_KINDS))
    claimed = claim_rows(OutboxMessage, condition, {"claimed_at": now, "claimed_by": worker}, limit)
    db.session.commit()
    return claimed


def still_mine(message_id: int, worker: str, now: datetime) -> bool:
    """Renew the claim just before sending; False when another sender took it over (stale) or the
    mail went out meanwhile."""
    renewed = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.sent_at.is_(None),
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(renewed)


def send_claimed(
    ids: list[int], worker: str, check: Check | None, now: datetime | None = None
) -> int:
    """Send claimed mails over one connection, recording each result as soon as it is known."""
    sent = 0
    with smtp.Connection(current_app.config) as connection:
        for message_id in ids:
            moment = now or utcnow()
            if not still_mine(message_id, worker, moment):
                continue
            message = db.session.get(OutboxMessage, message_id, populate_existing=True)
            if message is None or not still_wanted(message, check, moment):
                continue
            try:
                connection.send(message)
            except smtp.SEND_ERRORS as error:
                record_failure(message, error, moment)
            else:
                message.attempts += 1
                message.sent_at = utcnow()
                message.claimed_at = message.claimed_by = None
                sent += 1
                # The id only: never the address or the text.
                log.info("mail %s sent", message_id, extra={"request_id": message.request_id})
            db.session.commit()
    return sent


def still_wanted(message: OutboxMessage, check: Check | None, now: datetime) -> bool:
    """Whether a claimed mail goes out now. A checked kind runs its check, which may rewrite the
    mail or drop it (nothing left the recipient may see); a check that breaks counts as a failed
    try, so the mail is retried with backoff instead of stopping the worker."""
    if message.kind not in CHECKED_KINDS:
        return True
    if check is None:  # claim() leaves these out without a check; never send them unchecked
        return False
    try:
        wanted = check(message)
    except Exception as error:
        log.exception("mail %s: check failed", message.id)
        db.session.rollback()
        record_failure(db.session.get(OutboxMessage, message.id), error, now)
        db.session.commit()
        return False
    if not wanted:
        log.info("mail %s dropped: nothing left that the recipient may see", message.id)
        db.session.delete(message)
        db.session.commit()
    return wanted


def record_failure(message: OutboxMessage, error: BaseException, now: datetime) -> None:
    """Count the try and set the next one: 2, 4, 8, … minutes later (or the configured base)."""
    message.attempts += 1
    message.last_error = str(error)[:500] or type(error).__name__
    delay = current_app.config["FORUM_MAIL_RETRY_SECONDS"] * 2**message.attempts
    message.next_try_at = now + timedelta(seconds=delay)
    message.claimed_at = message.claimed_by = None
    log.warning("mail %s not sent (attempt %s): %s", message.id, message.attempts, error)


def retry_given_up() -> int:
    """Give mails that used up their tries a fresh start (after a long outage); returns how many."""
    count = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= MAX_ATTEMPTS)
        .values(attempts=0, next_try_at=utcnow(), claimed_at=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return count or 0


def counts() -> dict[str, int]:
    """How many mails wait, have given up, and went out (for ``outbox status``)."""
    unsent = OutboxMessage.sent_at.is_(None)
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(unsent, OutboxMessage.attempts < MAX_ATTEMPTS),
            sa.func.count().filter(unsent, OutboxMessage.attempts >= MAX_ATTEMPTS),
            sa.func.count().filter(OutboxMessage.sent_at.is_not(None)),
        )
    ).one()
    return {"waiting": int(row[0]), "given_up": int(row[1]), "sent": int(row[2])}
