"""Retention: what the forum keeps only for a while, and the purge that removes it when its time
is up (``flask --app forum purge [--dry-run]``, and the worker once a day: ``daily_purge``).

Each kind's period is a ``FORUM_RETAIN_*`` setting (``forum.config.RETENTION_DAYS``, read once
at start); the privacy statement shows those same settings. A step removes exactly what is older
than its period (something exactly that old stays until the next run), and with ``dry_run``
only counts it.

- ``rejected_posts``: a rejected post, counted from its rejection (``handled_at``). An opening
  post takes its never-published thread with it; should someone else have written in that
  thread after all, the post stays.
- ``redacted_originals``: a redaction deletes the earlier text at once, everywhere
  (``forum.moderation.redaction``), so no original waits for this period. What can remain is its
  trace in SQLite's full-text index, which keeps the words of changed and deleted rows in old
  segments until they merge. Once the oldest redaction (or account deletion) since the last
  merge is older than the period, the index is merged (``search.compact``); its bookmark is a
  ``JobMark``. PostgreSQL's autovacuum clears its dead rows by itself.
- ``expired_tokens``: verification, reset and invitation links, counted from their expiry.
- ``sent_mails``: outbox rows, counted from sending; a mail that used up its tries, from when it
  was queued.
- ``research_exports``: the export log's records (which posts left in which export). The audit
  entry of the export stays: project, requester, counts and the file's hash.
- IP addresses are not stored at all: only the rate limits count per address, in memory or
  Redis, and those counters expire with their window (a day at most).

``STEPS`` is the list of steps, in order. A kind of data added later joins by appending a
``PurgeStep`` (for example own-data download files, ``download.purge_expired_downloads``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from forum import audit
from forum.accounts.models import EmailToken
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions import services as discussions
from forum.discussions.models import Post, PostStatus
from forum.notifications import daily
from forum.notifications.outbox import MAX_ATTEMPTS, OutboxMessage
from forum.research.models import ExportRecord
from forum.search import services as search

# Audit actions after which removed text may linger in the search index until it is merged.
TRACE_ACTIONS = ("post.redacted", "user.deleted")
COMPACTED_MARK = "search_compacted"


@dataclass(frozen=True)
class PurgeStep:
    """One kind of data: ``run(now, dry_run)`` removes (or, dry, counts) what is past its period
    and returns how many; it flushes, the caller commits. ``setting`` names the period."""

    kind: str
    setting: str
    run: Callable[[datetime, bool], int]


def days(setting: str) -> timedelta:
    return timedelta(days=current_app.config[setting])


def _delete(model: type, condition: sa.ColumnElement[bool], dry_run: bool) -> int:
    if dry_run:
        stmt = sa.select(sa.func.count()).select_from(model).where(condition)
        return db.session.execute(stmt).scalar_one()
    result = db.session.execute(
        sa.delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def rejected_posts(now: datetime, dry_run: bool) -> int:
    cutoff = now - days("FORUM_RETAIN_REJECTED_DAYS")
    rejected_at = sa.func.coalesce(Post.handled_at, Post.created_at)
    due = db.session.execute(
        sa.select(Post)
        .where(Post.status == PostStatus.REJECTED, rejected_at < cutoff)
        .order_by(Post.is_opening, Post.id)  # replies first: their thread may go next
    ).scalars()
    purged = 0
    for post in list(due):
        if post.is_opening and discussions.others_wrote_in(post):
            continue
        purged += 1
        if not dry_run:
            discussions.remove_post(post)
    return purged


def redacted_originals(now: datetime, dry_run: bool) -> int:
    cutoff = now - days("FORUM_RETAIN_REDACTED_DAYS")
    since = daily.mark(COMPACTED_MARK)
    traces = AuditEntry.action.in_(TRACE_ACTIONS)
    if since is not None:
        traces = sa.and_(traces, AuditEntry.created_at > datetime.fromisoformat(since))
    oldest = db.session.execute(sa.select(sa.func.min(AuditEntry.created_at)).where(traces))
    first = oldest.scalar()
    if first is None or not first < cutoff:
        return 0
    count = db.session.execute(sa.select(sa.func.count()).where(traces)).scalar_one()
    if not dry_run:
        search.compact()
        daily.set_mark(COMPACTED_MARK, now.isoformat(), now)
    return count


def expired_tokens(now: datetime, dry_run: bool) -> int:
    cutoff = now - days("FORUM_RETAIN_TOKEN_DAYS")
    return _delete(EmailToken, EmailToken.expires_at < cutoff, dry_run)


def sent_mails(now: datetime, dry_run: bool) -> int:
    cutoff = now - days("FORUM_RETAIN_MAIL_DAYS")
    given_up = sa.and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.attempts >= MAX_ATTEMPTS,
        OutboxMessage.created_at < cutoff,
    )
    return _delete(OutboxMessage, sa.or_(OutboxMessage.sent_at < cutoff, given_up), dry_run)


def research_exports(now: datetime, dry_run: bool) -> int:
    cutoff = now - days("FORUM_RETAIN_EXPORT_DAYS")
    return _delete(ExportRecord, ExportRecord.created_at < cutoff, dry_run)


STEPS: list[PurgeStep] = [
    PurgeStep("rejected_posts", "FORUM_RETAIN_REJECTED_DAYS", rejected_posts),
    PurgeStep("redacted_originals", "FORUM_RETAIN_REDACTED_DAYS", redacted_originals),
    PurgeStep("expired_tokens", "FORUM_RETAIN_TOKEN_DAYS", expired_tokens),
    PurgeStep("sent_mails", "FORUM_RETAIN_MAIL_DAYS", sent_mails),
    PurgeStep("research_exports", "FORUM_RETAIN_EXPORT_DAYS", research_exports),
]


def purge(now: datetime, dry_run: bool = False) -> dict[str, int]:
    """Run every step; how many of each kind went (or would go). A purge that removed anything
    is in the audit log, with the counts. Flushes, never commits."""
    counts = {step.kind: step.run(now, dry_run) for step in STEPS}
    if not dry_run and any(counts.values()):
        audit.record(None, "retention.purged", "site", None, data={"purged": counts})
    db.session.flush()
    return counts


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in counts.items())


def daily_purge(now: datetime) -> str:
    """The worker's daily job (``forum.notifications.daily``)."""
    return "purged " + summary(purge(now))
