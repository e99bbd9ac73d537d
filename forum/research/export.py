"""Pseudonymised exports: keys and pseudonyms, masking, the export's content.

(Which threads a project selects: ``projects.selected_threads``; the files: ``tables`` for CSV
and JSON Lines, ``qdpx`` for REFI-QDA.)
- Within the selected threads, the approved posts in order. A post without research consent at
  the moment of export becomes a placeholder (no author, no text, no codes), so the thread still
  reads in order; an opening post without consent also takes its thread's title with it.
- Authors become ``deelnemer-`` + the first 10 hex characters of HMAC-SHA256(FORUM_RESEARCH_KEY,
  str(user_id)). A post written without name gets a pseudonym of its own per thread (keyed on
  author, thread and a purpose label) and no beroep, as on the forum, so it cannot be linked to
  the author's named posts; only a project whose linkage an admin approved keeps the usual one.
  Threads and posts get keyed references ("gesprek-…", "bijdrage-…"), so no forum id, name or
  address leaves the system.
- E-mail addresses, phone numbers and @accounts in titles, posts, codes and memos are masked; line
  ends become LF; dates become months (Europe/Amsterdam).
- Werkveld, soort and beroep are Dutch words with their code beside them (``vocabulary``).
- Passage codings follow the text: offsets are mapped onto the masked text (a boundary inside a
  masked detail widens to the whole "[…]"), so ``text[start:end]`` is the coded passage as
  exported. A coding whose quote is gone from the post (edited since) is left out and counted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _
from forum.privacy import EMAIL_RE, HANDLE_RE, PHONE_RE
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding
from forum.research.vocabulary import Term, Vocabulary

PLACEHOLDER = "[bijdrage zonder toestemming]"
TITLE_PLACEHOLDER = "[titel zonder toestemming]"
UNKNOWN_AUTHOR = "deelnemer-onbekend"
MASKS = ((EMAIL_RE, "[e-mail]"), (PHONE_RE, "[telefoonnummer]"), (HANDLE_RE, "[account]"))
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
COUNTED = (
    "posts",
    "placeholders",
    "thread_codings",
    "passage_codings",
    "passages_skipped",
    "memos",
)


class ExportRefused(Exception):
    """The export cannot be made (no research key); the message says why, for the researcher."""


# --- keys and pseudonyms ------------------------------------------------------------------------


def research_key() -> str:
    key = current_app.config.get("FORUM_RESEARCH_KEY") or ""
    if not key:
        raise ExportRefused(
            _(
                "Exporteren kan nog niet: er is geen onderzoekssleutel ingesteld. Vraag de "
                "beheerder om FORUM_RESEARCH_KEY in te stellen."
            )
        )
    if key == current_app.config.get("SECRET_KEY"):
        raise ExportRefused(
            _(
                "Exporteren kan niet: de onderzoekssleutel is gelijk aan de geheime sleutel van "
                "de site. Vraag de beheerder om een eigen FORUM_RESEARCH_KEY."
            )
        )
    return key


def _digest(key: str, message: str) -> str:
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(key: str, user_id: int | None) -> str:
    """The same person gets the same pseudonym under the same key, and nothing else tells who."""
    if user_id is None:
        return UNKNOWN_AUTHOR
    return "deelnemer-" + _digest(key, str(user_id))[:10]


def anonymous_pseudonym(key: str, user_id: int | None, thread_id: int) -> str:
    """For posts written without name: one per author per thread, unlinkable to ``pseudonym``
    (another message under the key) and to the same author's anonymous posts elsewhere."""
    if user_id is None:
        return UNKNOWN_AUTHOR
    return "deelnemer-" + _digest(key, f"anonymous:{user_id}:{thread_id}")[:10]


# One line for the export's description/README (qdpx Description, project page).
ANONYMOUS_NOTE = (
    "Bijdragen die zonder naam geplaatst zijn, hebben per gesprek een eigen schuilnaam en geen "
    "beroep: ze zijn niet te koppelen aan de andere bijdragen van de schrijver."
)
LINKED_NOTE = (
    "Bijdragen die zonder naam geplaatst zijn, dragen in dit project (met toestemming van een "
    "beheerder) de gewone schuilnaam van de schrijver."
)


def anonymous_note(linked: bool) -> str:
    return LINKED_NOTE if linked else ANONYMOUS_NOTE


def thread_ref(key: str, thread_id: int) -> str:
    return "gesprek-" + _digest(key, f"thread:{thread_id}")[:10]


def post_ref(key: str, post_id: int) -> str:
    return "bijdrage-" + _digest(key, f"post:{post_id}")[:10]


def key_fingerprint(key: str) -> str:
    """Tells which key an export used, without the key."""
    return _digest(key, "fingerprint")[:8]


# --- masking with offset mapping ----------------------------------------------------------------

Edit = tuple[int, int, int, int]  # old start, old end, new start, new end


def _replace(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[Edit]]:
    parts: list[str] = []
    edits: list[Edit] = []
    cursor = new_pos = 0
    for start, end, replacement in sorted(spans):
        parts.append(text[cursor:start])
        new_pos += start - cursor
        parts.append(replacement)
        edits.append((start, end, new_pos, new_pos + len(replacement)))
        new_pos += len(replacement)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts), edits


def _map(edits: list[Edit], position: int, left: bool) -> int:
    delta = 0
    for old_start, old_end, new_start, new_end in edits:
        if position <= old_start:
            break
        if position < old_end:
            return new_start if left else new_end
        delta = new_end - old_end
    return position + delta


@dataclass
class Masked:
    """Text with contact details masked and LF line ends, and how old offsets map onto it."""

    text: str
    passes: list[list[Edit]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        for edits in self.passes:
            start, end = _map(edits, start, True), _map(edits, end, False)
        return start, end


def mask(text: str) -> Masked:
    newlines = [(m.start(), m.end(), "\n") for m in re.finditer(r"\r\n?", text)]
    lf_text, first = _replace(text, newlines)
    spans: list[tuple[int, int, str]] = []
    for pattern, replacement in MASKS:
        for match in pattern.finditer(lf_text):
            if all(match.end() <= s or match.start() >= e for s, e, _r in spans):
                spans.append((match.start(), match.end(), replacement))
    masked_text, second = _replace(lf_text, spans)
    return Masked(masked_text, [first, second])


def mask_text(text: str) -> str:
    return mask(text).text


def month(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m")


def locate(body: str, coding: PassageCoding) -> tuple[int, int] | None:
    """Where the coded passage is in the post's current text: at its offsets, or (after an edit)
    the occurrence of its quote nearest to them; None when the quote is gone."""
    start, end = coding.start_offset, coding.end_offset
    if body[start:end] == coding.quote:
        return start, end
    if not coding.quote:
        return None
    hits = [m.start() for m in re.finditer(re.escape(coding.quote), body)]
    if not hits:
        return None
    best = min(hits, key=lambda hit: abs(hit - start))
    return best, best + len(coding.quote)


# --- what goes into an export -------------------------------------------------------------------


@dataclass
class PassageOut:
    code_id: int
    code_name: str
    start: int
    end: int
    quote: str
    memos: list[str] = field(default_factory=list)


@dataclass
class PostOut:
    post_id: int
    ref: str
    position: int
    month: str
    text: str = PLACEHOLDER
    consented: bool = False
    pseudonym: str | None = None
    profession: Term | None = None
    passages: list[PassageOut] = field(default_factory=list)


@dataclass
class ThreadOut:
    thread_id: int
    ref: str
    title: str
    setting: Term
    kind: Term
    month: str
    codes: list[tuple[int, str]] = field(default_factory=list)
    posts: list[PostOut] = field(default_factory=list)
    memos: list[str] = field(default_factory=list)


@dataclass
class ExportData:
    threads: list[ThreadOut]
    counts: dict[str, int]
    post_ids: list[int]


def memos_of(column: Any, ids: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(column, Memo.text).where(column.in_(ids)).order_by(Memo.created_at, Memo.id)
    )
    for target, text in rows:
        found[target].append(mask_text(text))
    return found


def collect(thread_ids: sa.Select, key: str, link_anonymous: bool = False) -> ExportData:
    """Everything an export of these threads (a select of ids) holds, pseudonymised and masked.
    ``link_anonymous``: anonymous posts keep the usual pseudonym (an admin approved it)."""
    threads = list(
        db.session.execute(
            sa.select(Thread.id, Thread.title, Thread.kind, Thread.created_at, Setting.slug)
            .add_columns(Setting.name_nl)  # the export's words are Dutch (see vocabulary)
            .join(Setting, Setting.id == Thread.setting_id)
            .where(Thread.id.in_(thread_ids))
            .order_by(Thread.created_at, Thread.id)
        )
    )
    posts = list(
        db.session.execute(
            sa.select(
                Post.id,
                Post.thread_id,
                Post.author_id,
                Post.anonymous,
                Post.is_opening,
                Post.research_consent,
                Post.body_text,
                Post.created_at,
                User.profession,
            )
            .outerjoin(User, User.id == Post.author_id)
            .where(Post.thread_id.in_(thread_ids), Post.status == PostStatus.APPROVED)
            .order_by(Post.thread_id, Post.created_at, Post.id)
        )
    )
    consented_ids = [row.id for row in posts if row.research_consent]
    consented = sa.select(Post.id).where(
        Post.thread_id.in_(thread_ids),
        Post.status == PostStatus.APPROVED,
        Post.research_consent.is_(True),
    )
    passages: dict[int, list[PassageCoding]] = defaultdict(list)
    for coding in db.session.execute(
        sa.select(PassageCoding)
        .where(PassageCoding.post_id.in_(consented))
        .order_by(PassageCoding.start_offset, PassageCoding.id)
    ).scalars():
        passages[coding.post_id].append(coding)
    passage_memos = memos_of(
        Memo.passage_id, sa.select(PassageCoding.id).where(PassageCoding.post_id.in_(consented))
    )
    thread_codes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for thread_id, code_id, name in db.session.execute(
        sa.select(ThreadCoding.thread_id, Code.id, Code.name)
        .join(Code, Code.id == ThreadCoding.code_id)
        .where(ThreadCoding.thread_id.in_(thread_ids))
        .order_by(Code.name)
    ):
        thread_codes[thread_id].append((code_id, name))
    thread_memos = memos_of(Memo.thread_id, thread_ids)
    counts = {"threads": len(threads)} | dict.fromkeys(COUNTED, 0)
    words = Vocabulary()
    by_thread: dict[int, list[Any]] = defaultdict(list)
    for row in posts:
        by_thread[row.thread_id].append(row)
    out: list[ThreadOut] = []
    for thread in threads:
        rows = by_thread[thread.id]
        opening_ok = any(row.is_opening and row.research_consent for row in rows)
        item = ThreadOut(
            thread_id=thread.id,
            ref=thread_ref(key, thread.id),
            title=mask_text(thread.title) if opening_ok else TITLE_PLACEHOLDER,
            setting=words.setting(thread.slug, thread.name_nl),
            kind=words.kind(thread.kind),
            month=month(thread.created_at),
            codes=thread_codes.get(thread.id, []),
            memos=thread_memos.get(thread.id, []),
        )
        counts["thread_codings"] += len(item.codes)
        counts["memos"] += len(item.memos)
        for position, row in enumerate(rows, start=1):
            item.posts.append(
                _post_out(
                    key, row, position, passages, passage_memos, counts, words, link_anonymous
                )
            )
        out.append(item)

    return ExportData(out, counts, consented_ids)


def _post_out(
    key: str,
    row: Any,
    position: int,
    passages: dict[int, list[PassageCoding]],
    passage_memos: dict[int, list[str]],
    counts: dict[str, int],
    words: Vocabulary,
    link_anonymous: bool = False,
) -> PostOut:
    if not row.research_consent:
        counts["placeholders"] += 1
        return PostOut(row.id, post_ref(key, row.id), position, month(row.created_at))
    counts["posts"] += 1
    masked = mask(row.body_text)
    linked = link_anonymous or not row.anonymous
    item = PostOut(
        post_id=row.id,
        ref=post_ref(key, row.id),
        position=position,
        month=month(row.created_at),
        consented=True,
        pseudonym=(
            pseudonym(key, row.author_id)
            if linked
            else anonymous_pseudonym(key, row.author_id, row.thread_id)
        ),
        profession=words.profession(row.profession) if linked else None,
        text=masked.text,
    )
    for coding in passages.get(row.id, []):
        found = locate(row.body_text, coding)
        if found is None:
            counts["passages_skipped"] += 1
            continue
        start, end = masked.span(*found)
        memos = passage_memos.get(coding.id, [])
        item.passages.append(
            PassageOut(coding.code_id, coding.code.name, start, end, masked.text[start:end], memos)
        )
        counts["passage_codings"] += 1
        counts["memos"] += len(memos)
    return item
