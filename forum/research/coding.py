"""Coding: codes on threads and on passages of posts, and researchers' memos.

A passage is stored as offsets into ``Post.body_text`` in code points (Python string indices, end
exclusive) plus the quote itself. Who coded what and when is kept; removing a coding is audited.
The audit log never holds post text or memo text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort

from forum import audit, policy
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding

QUOTE_MAX = 5000
MEMO_MAX = 10000


class CodingError(Exception):
    """The coding cannot be done; the message tells the researcher what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _usable(code: Code) -> None:
    if code.archived:
        raise CodingError(_("Deze code is gearchiveerd en kan niet meer gebruikt worden."))


# --- threads ----------------------------------------------------------------------------------


def code_thread(actor: Any, thread: Thread, code: Code) -> ThreadCoding:
    _usable(code)
    if thread.status is not PostStatus.APPROVED:
        raise CodingError(_("Alleen goedgekeurde gesprekken kun je coderen."))
    exists = sa.select(ThreadCoding.id).where(
        ThreadCoding.thread_id == thread.id, ThreadCoding.code_id == code.id
    )
    if db.session.execute(exists).first() is not None:
        raise CodingError(_("Dit gesprek heeft deze code al."))
    coding = ThreadCoding(
        thread_id=thread.id, code_id=code.id, coder_id=actor.id, created_at=utcnow()
    )
    try:
        with db.session.begin_nested():  # a colleague may add the same code at the same time
            db.session.add(coding)
    except sa.exc.IntegrityError:
        raise CodingError(_("Dit gesprek heeft deze code al.")) from None
    audit.record(actor, "coding.thread_added", "thread", thread.id, data={"code_id": code.id})
    return coding


def uncode_thread(actor: Any, coding: ThreadCoding) -> None:
    audit.record(
        actor,
        "coding.thread_removed",
        "thread",
        coding.thread_id,
        data={
            "code_id": coding.code_id,
            "coder_id": coding.coder_id,
            "coded_at": coding.created_at.isoformat(),
        },
    )
    db.session.delete(coding)
    db.session.flush()


def thread_coding_or_404(coding_id: int, thread: Thread) -> ThreadCoding:
    coding = db.session.get(ThreadCoding, coding_id)
    if coding is None or coding.thread_id != thread.id:
        abort(404)
    return coding


# --- passages ---------------------------------------------------------------------------------


def _pattern(quote: str) -> re.Pattern[str] | None:
    """The quote as a pattern in which any run of white space matches any other run (a textarea
    sends line ends as CRLF, and a quote typed over may break lines differently)."""
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def locate(
    text: str, quote: str, start: int | None = None, end: int | None = None
) -> tuple[int, int]:
    """Where ``quote`` is in ``text``: (start, end) in code points, end exclusive.

    Offsets sent along (by the selection script) are used when they cut out exactly the quote;
    otherwise the quote is searched for and must occur exactly once.
    """
    if (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and text[start:end].strip()
        and text[start:end] in (quote, quote.replace("\r\n", "\n"))
    ):
        return start, end
    pattern = _pattern(quote)
    if pattern is None:
        raise CodingError(_("Neem de passage over die je wilt coderen."))
    first = pattern.search(text)
    if first is None:
        raise CodingError(
            _(
                "Deze passage staat niet letterlijk in het bericht. Kopieer de tekst precies, "
                "met dezelfde hoofdletters en leestekens."
            )
        )
    if pattern.search(text, first.start() + 1) is not None:
        raise CodingError(
            _(
                "Deze passage staat meer dan eens in het bericht. Neem een paar woorden meer "
                "over, zodat duidelijk is welke je bedoelt."
            )
        )
    return first.start(), first.end()


def code_passage(
    actor: Any,
    post: Post,
    code: Code,
    quote: str,
    start: int | None = None,
    end: int | None = None,
) -> PassageCoding:
    """Code a passage of an approved post whose author gave research consent."""
    _usable(code)
    if post.status is not PostStatus.APPROVED or post.thread.status is not PostStatus.APPROVED:
        raise CodingError(_("Alleen goedgekeurde berichten kun je coderen."))
    if not post.research_consent:
        raise CodingError(
            _("De schrijver heeft voor dit bericht geen toestemming gegeven voor onderzoek.")
        )
    if len(quote) > QUOTE_MAX:
        raise CodingError(_("Deze passage is te lang: hoogstens 5000 tekens."))
    start, end = locate(post.body_text, quote, start, end)
    exists = sa.select(PassageCoding.id).where(
        PassageCoding.post_id == post.id,
        PassageCoding.code_id == code.id,
        PassageCoding.start_offset == start,
        PassageCoding.end_offset == end,
    )
    if db.session.execute(exists).first() is not None:
        raise CodingError(_("Deze passage heeft deze code al."))
    coding = PassageCoding(
        post_id=post.id,
        code_id=code.id,
        start_offset=start,
        end_offset=end,
        quote=post.body_text[start:end],
        coder_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(coding)
    db.session.flush()
    audit.record(
        actor,
        "coding.passage_added",
        "post",
        post.id,
        data={"code_id": code.id, "passage_id": coding.id, "start": start, "end": end},
    )
    return coding


def uncode_passage(actor: Any, coding: PassageCoding) -> None:
    """Remove a passage coding and the memos written on it."""
    memos = list(db.session.execute(sa.select(Memo).where(Memo.passage_id == coding.id)).scalars())
    audit.record(
        actor,
        "coding.passage_removed",
        "post",
        coding.post_id,
        data={
            "code_id": coding.code_id,
            "passage_id": coding.id,
            "start": coding.start_offset,
            "end": coding.end_offset,
            "coder_id": coding.coder_id,
            "coded_at": coding.created_at.isoformat(),
            "memos_removed": len(memos),
        },
    )
    for memo in memos:
        db.session.delete(memo)
    db.session.delete(coding)
    db.session.flush()


def passage_or_404(passage_id: int) -> PassageCoding:
    coding = db.session.get(PassageCoding, passage_id)
    if coding is None:
        abort(404)
    return coding


def still_matches(coding: PassageCoding, text: str) -> bool:
    """False when the post was edited since and the offsets no longer cut out the quote."""
    return text[coding.start_offset : coding.end_offset] == coding.quote


@dataclass
class Segment:
    text: str
    codes: list[Code]


def segments(text: str, passages: list[PassageCoding]) -> list[Segment]:
    """``text`` cut at every passage boundary, each piece with the codes covering it (for
    marking coded passages; overlapping passages are fine)."""
    valid = [p for p in passages if still_matches(p, text)]
    cuts = sorted({0, len(text), *(p.start_offset for p in valid), *(p.end_offset for p in valid)})
    result = []
    for left, right in itertools.pairwise(cuts):
        codes = [p.code for p in valid if p.start_offset <= left and right <= p.end_offset]
        result.append(Segment(text[left:right], codes))
    return result


# --- memos ------------------------------------------------------------------------------------


def add_memo(
    actor: Any,
    text: str,
    *,
    thread: Thread | None = None,
    passage: PassageCoding | None = None,
    code: Code | None = None,
) -> Memo:
    targets = [
        (name, item)
        for name, item in (("thread", thread), ("passage", passage), ("code", code))
        if item is not None
    ]
    if len(targets) != 1:
        raise ValueError("a memo belongs to exactly one of thread, passage or code")
    text = text.strip()
    if not text:
        raise CodingError(_("Een notitie kan niet leeg zijn."))
    now = utcnow()
    memo = Memo(
        author_id=actor.id,
        thread_id=thread.id if thread else None,
        passage_id=passage.id if passage else None,
        code_id=code.id if code else None,
        text=text,
        created_at=now,
        updated_at=now,
    )
    db.session.add(memo)
    db.session.flush()
    name, item = targets[0]
    audit.record(actor, "memo.added", "memo", memo.id, data={"on": name, "target_id": item.id})
    return memo


def edit_memo(actor: Any, memo: Memo, text: str) -> Memo:
    if not policy.can_edit_memo(actor, memo):
        abort(404)
    text = text.strip()
    if not text:
        raise CodingError(_("Een notitie kan niet leeg zijn."))
    if text != memo.text:
        memo.text = text
        memo.updated_at = utcnow()
        db.session.flush()
        audit.record(actor, "memo.changed", "memo", memo.id)
    return memo


def memo_or_404(memo_id: int) -> Memo:
    memo = db.session.get(Memo, memo_id)
    if memo is None:
        abort(404)
    return memo


def memo_thread_id(memo: Memo) -> int | None:
    """The thread a memo is about (directly or through its passage), for redirects."""
    if memo.thread_id is not None:
        return memo.thread_id
    if memo.passage_id is not None:
        stmt = (
            sa.select(Post.thread_id)
            .join(PassageCoding, PassageCoding.post_id == Post.id)
            .where(PassageCoding.id == memo.passage_id)
        )
        return db.session.execute(stmt).scalar_one_or_none()
    return None
