"""Redaction really removes: when a moderator edits a post, every earlier text of it goes.

``purge`` runs after the new text is in the post (``queue.edit_and_approve``). It deletes the
post's earlier versions (``PostRevision``) and waiting edits (``PendingEdit``), re-screens the new
text so no stored finding points into the old one, deletes queued mails that quote a removed
passage, and replaces removed passages in the few places that may quote a post (the moderator's
note, reports and removal requests on the post, audit reasons about it, notifications about it,
mails that were already sent). The audit log records *that* a redaction happened, never what was
removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape

from forum import audit, privacy
from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.checks import render
from forum.discussions.models import Post, PostRevision, screened_text
from forum.moderation.diff import removed_passages
from forum.moderation.models import FindingDecision, PendingEdit, RemovalRequest, Report
from forum.notifications.models import Notification
from forum.notifications.outbox import OutboxMessage
from forum.research.models import Memo, PassageCoding
from forum.safeguarding import suggests_unsafe_home
from forum.search import services as search

# What a removed passage becomes where it cannot simply be deleted.
SCRUBBED = "[…]"

# A removed run of words is treated as identifying when it holds a capital, a digit or an @
# (names, numbers, addresses), or is long. Short ordinary words ("heel", "niet") are not searched
# for elsewhere, so an unrelated mail is never deleted because it shares a common word.
_IDENTIFYING = re.compile(r"[A-ZÀ-Þ0-9@]")
LONG_PASSAGE = 12


@dataclass(frozen=True)
class Purged:
    revisions: int
    pending_edits: int
    mails_deleted: int
    rows_scrubbed: int


def purge(post: Post, moderator: User, earlier_text: str, earlier_findings: list[dict]) -> Purged:
    """Remove every earlier version of ``post`` (which already holds its new text).

    ``earlier_text`` and ``earlier_findings`` are the screened text and stored findings the post
    had just before the edit. Flushes; the caller commits.
    """
    new_text = post.screened_text
    revisions = list(
        db.session.execute(sa.select(PostRevision).where(PostRevision.post_id == post.id)).scalars()
    )
    edits = list(
        db.session.execute(sa.select(PendingEdit).where(PendingEdit.post_id == post.id)).scalars()
    )
    earlier = [(earlier_text, earlier_findings)]
    earlier += [(revision_text(revision), []) for revision in revisions]
    earlier += [(edit.screened_text, edit.privacy_findings) for edit in edits]
    found = passages(earlier, new_text)

    for row in [*revisions, *edits]:
        db.session.delete(row)
    post.privacy_findings = rescreen(new_text)
    post.safeguarding = suggests_unsafe_home(new_text)
    mails = purge_mails(found)
    scrubbed = scrub_related(post, found)
    remove_from_search_index(post.id)
    result = Purged(len(revisions), len(edits), mails, scrubbed)
    audit.record(
        moderator,
        "post.redacted",
        "post",
        post.id,
        data={
            "revisions": result.revisions,
            "pending_edits": result.pending_edits,
            "mails_deleted": result.mails_deleted,
            "rows_scrubbed": result.rows_scrubbed,
        },
    )
    db.session.flush()
    return result


def revision_text(revision: PostRevision) -> str:
    return screened_text(revision.title, render(revision.body_source).text)


def passages(earlier: Iterable[tuple[str, list[dict]]], new_text: str) -> list[str]:
    """Identifying text of earlier versions that is not in the new text, longest first.

    Two sources: what the privacy check found in an earlier version, and runs of words that the
    edit removed and that look identifying (see ``_IDENTIFYING``).
    """
    found: set[str] = set()
    for text, findings in earlier:
        for data in findings:
            finding = privacy.Finding.from_dict(data)
            piece = text[finding.start : finding.end].strip()
            if piece and piece not in new_text:
                found.add(piece)
        for run in removed_passages(text, new_text):
            if _IDENTIFYING.search(run) or len(run) >= LONG_PASSAGE:
                found.add(run)
            # The identifying words inside a longer run, on their own too ("Sanne" in "Sanne
            # uit groep 4"), as they may be quoted elsewhere without their neighbours.
            for word in run.split():
                word = word.strip(".,;:!?()[]\"'‘’“”")
                if _IDENTIFYING.search(word) and len(word) > 1 and word not in new_text:
                    found.add(word)
    return sorted(found, key=lambda piece: (-len(piece), piece))


def rescreen(text: str) -> list[dict]:
    """Findings for the new text, so none points into the old one; [] if the check is down."""
    try:
        return [finding.as_dict() for finding in privacy.screen(text)]
    except privacy.CheckUnavailable:
        current_app.logger.warning("privacy check unavailable while redacting; findings cleared")
        return []


def contains_any(text: str | None, found: list[str]) -> bool:
    return bool(text) and any(piece in text for piece in found)


def scrub(text: str, found: list[str]) -> str:
    """Replace each passage by ``SCRUBBED``, together with the rest of a word it sits in: no
    part of a name is left behind ("Sannes" → "[…]", not "[…]s"), and the marker keeps the
    spaces the word had instead of sticking to the next word."""
    for piece in found:
        text = re.sub(rf"\w*{re.escape(piece)}\w*", SCRUBBED, text)
    return text


def scrub_data(value: Any, found: list[str]) -> Any:
    """``scrub`` every string inside JSON data (lists, dicts)."""
    if isinstance(value, str):
        return scrub(value, found)
    if isinstance(value, list):
        return [scrub_data(item, found) for item in value]
    if isinstance(value, dict):
        return {key: scrub_data(item, found) for key, item in value.items()}
    return value


def purge_mails(found: list[str]) -> int:
    """Delete queued, unsent mails that quote a removed passage; scrub sent ones kept on file."""
    if not found:
        return 0
    # The HTML part of a mail holds the passage escaped ("O&#39;Brien").
    in_html = sorted({str(escape(piece)) for piece in found} | set(found), key=len, reverse=True)
    quoting = sa.or_(
        *(
            sa.or_(
                OutboxMessage.subject.contains(piece, autoescape=True),
                OutboxMessage.body.contains(piece, autoescape=True),
            )
            for piece in found
        ),
        *(OutboxMessage.html_body.contains(piece, autoescape=True) for piece in in_html),
    )
    deleted = db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), quoting)
        .execution_options(synchronize_session=False)
    ).rowcount
    for message in db.session.execute(sa.select(OutboxMessage).where(quoting)).scalars():
        message.subject = scrub(message.subject, found)
        message.body = scrub(message.body, found)
        if message.html_body:
            message.html_body = scrub(message.html_body, in_html)
    return deleted or 0


def scrub_related(post: Post, found: list[str]) -> int:
    """Replace removed passages where others may have quoted the post; returns rows changed."""
    if not found:
        return 0
    changed = 0
    if contains_any(post.status_note, found):
        post.status_note = scrub(post.status_note or "", found)
        changed += 1
    rows: list[tuple[Any, tuple[str, ...]]] = []
    for report in db.session.execute(sa.select(Report).where(Report.post_id == post.id)).scalars():
        rows.append((report, ("text",)))
    removal_requests = sa.select(RemovalRequest).where(RemovalRequest.post_id == post.id)
    for removal in db.session.execute(removal_requests).scalars():
        rows.append((removal, ("reason", "outcome", "contact")))
    entries = sa.select(AuditEntry).where(
        AuditEntry.target_type == "post", AuditEntry.target_id == post.id
    )
    for entry in db.session.execute(entries).scalars():
        rows.append((entry, ("reason",)))
    # Research: coded passages quote the post, memos may quote it too.
    codings = sa.select(PassageCoding).where(PassageCoding.post_id == post.id)
    passage_ids = []
    for coding in db.session.execute(codings).scalars():
        rows.append((coding, ("quote",)))
        passage_ids.append(coding.id)
    memos = sa.select(Memo).where(
        sa.or_(Memo.thread_id == post.thread_id, Memo.passage_id.in_(passage_ids))
    )
    for memo in db.session.execute(memos).scalars():
        rows.append((memo, ("text",)))
    for row, columns in rows:
        for column in columns:
            value = getattr(row, column)
            if contains_any(value, found):
                setattr(row, column, scrub(value, found))
                changed += 1
    notes = sa.select(Notification).where(Notification.post_id == post.id)
    for notification in db.session.execute(notes).scalars():
        data = scrub_data(notification.data, found)
        if data != notification.data:
            notification.data = data
            changed += 1
    return changed + scrub_finding_decisions(post, found)


def scrub_finding_decisions(post: Post, found: list[str]) -> int:
    """Findings marked "not identifying" keep a span and its context: a mark whose span held
    removed text is deleted (scrubbed, it is no corpus line); a context with removed text is
    scrubbed. Returns rows changed."""
    changed = 0
    marks = sa.select(FindingDecision).where(FindingDecision.post_id == post.id)
    for decision in db.session.execute(marks).scalars():
        if contains_any(decision.span_text, found):
            db.session.delete(decision)
            changed += 1
        elif contains_any(decision.context, found) or contains_any(decision.note, found):
            decision.context = scrub(decision.context, found)
            decision.note = scrub(decision.note, found) if decision.note else None
            changed += 1
    return changed


def remove_from_search_index(post_id: int) -> None:
    """Drop the post's index entry and index its current (redacted) text, so no earlier text can
    be found or shown in a snippet through search."""
    search.forget_post(post_id)
    post = db.session.get(Post, post_id)
    if post is not None:
        search.index_post(post)
