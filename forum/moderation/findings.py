"""Privacy findings a moderator marked as not identifying: marking and undoing, and how the queue,
the review page and its download read the marks.

A mark is a note for the team, who may turn it into a corpus line by hand
(``tests/privacy_corpus/``): it decides nothing about the post, and nothing learns from it. Only
the finding's own text and a short window around it are kept, never the whole post. Services
flush; views commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from forum import audit, privacy
from forum.accounts.models import User
from forum.db import db, utcnow
from forum.discussions.models import Post
from forum.i18n import _
from forum.moderation.models import FindingDecision, PendingEdit
from forum.pagination import paginate

# Characters kept on either side of a finding, enough for a reviewer to judge it.
CONTEXT_CHARS = 40
# How much of a long finding (a link) names it in a button or a message.
SHORT_TEXT = 60
PER_PAGE = 50

CORPUS_HEADER = "expect\tcategory\ttext"
# Every character a line reader may take as the end of a line.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def kind_label(kind: str) -> str:
    """The kind in words; a kind the check no longer knows shows as stored."""
    try:
        return str(privacy.LABELS[privacy.Kind(kind)])
    except (ValueError, KeyError):
        return kind


def shorten(text: str) -> str:
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


@dataclass(frozen=True)
class ShownFinding:
    """One highlighted finding of a waiting text, with the mark on it if there is one."""

    start: int
    end: int
    kind: str
    text: str
    decision: FindingDecision | None = None

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def short_text(self) -> str:
        return shorten(self.text)


Piece = tuple[str, ShownFinding | None]


def pieces(
    text: str, findings: Iterable[privacy.Finding], decisions: Iterable[FindingDecision] = ()
) -> list[Piece]:
    """``text`` split exactly as the highlight shows it (``privacy.segments``): plain pieces with
    None, each highlighted piece with its finding and the mark a moderator put on it.

    A mark counts only while the text still has the same words at the same place, so a mark never
    sticks to a different finding after the author changed the text.
    """
    marks = {(d.span_start, d.span_end, d.kind): d for d in decisions}
    result: list[Piece] = []
    position = 0
    for piece, kind in privacy.segments(text, findings):
        start, position = position, position + len(piece)
        if kind is None:
            result.append((piece, None))
            continue
        decision = marks.get((start, position, kind.value))
        if decision is not None and decision.span_text != piece:
            decision = None
        result.append((piece, ShownFinding(start, position, kind.value, piece, decision)))
    return result


def waiting_text(post: Post, edit: PendingEdit | None) -> tuple[str, list[privacy.Finding]]:
    """The text the check read and its stored findings: of the waiting edit, or of the post."""
    source: Any = edit if edit is not None else post
    findings = [privacy.Finding.from_dict(data) for data in source.privacy_findings or []]
    return source.screened_text, findings


def context_around(text: str, start: int, end: int) -> str:
    """The finding with up to ``CONTEXT_CHARS`` on either side, without half words at the edges
    (a cut-off word is dropped, not kept as a fragment)."""
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    before, after = text[left:start], text[end:right]
    if left > 0 and not text[left - 1].isspace():
        before = re.sub(r"^\S*", "", before)
    if right < len(text) and not text[right].isspace():
        after = re.sub(r"\S*$", "", after)
    return (before.lstrip() + text[start:end] + after.rstrip()).strip()


class FindingGone(Exception):
    """The finding is not (or no longer) in the waiting text: the author changed it meanwhile."""


def decision_for(
    post_id: int, edit_id: int | None, start: int, end: int, kind: str
) -> FindingDecision | None:
    edit_match = (
        FindingDecision.edit_id.is_(None) if edit_id is None else FindingDecision.edit_id == edit_id
    )
    stmt = sa.select(FindingDecision).where(
        FindingDecision.post_id == post_id,
        edit_match,
        FindingDecision.span_start == start,
        FindingDecision.span_end == end,
        FindingDecision.kind == kind,
    )
    return db.session.execute(stmt).scalar_one_or_none()


def mark_not_identifying(
    moderator: User,
    post: Post,
    edit: PendingEdit | None,
    start: int,
    end: int,
    kind: str,
    note: str | None = None,
) -> FindingDecision:
    """Keep that the finding ``text[start:end]`` of ``kind`` is not identifying.

    The span is read from the stored text, never taken from the form. Marking twice (or two
    moderators at once) keeps the first mark. Raises ``FindingGone`` when the waiting text has no
    such finding. Flushes; the caller commits.
    """
    text, found = waiting_text(post, edit)
    shown = next(
        (
            finding
            for _piece, finding in pieces(text, found)
            if finding is not None
            and (finding.start, finding.end, finding.kind) == (start, end, kind)
        ),
        None,
    )
    if shown is None:
        raise FindingGone
    edit_id = edit.id if edit is not None else None
    existing = decision_for(post.id, edit_id, start, end, kind)
    if existing is not None:
        return existing
    decision = FindingDecision(
        post_id=post.id,
        edit_id=edit_id,
        kind=kind,
        span_start=start,
        span_end=end,
        span_text=shown.text,
        context=context_around(text, start, end),
        moderator_id=moderator.id,
        note=note or None,
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(decision)
    except sa.exc.IntegrityError:
        # A colleague marked the same finding at the same moment: their mark stands.
        first = decision_for(post.id, edit_id, start, end, kind)
        if first is None:
            raise
        return first
    # The kind only: the finding's text may be a name, and the log shows its data to admins.
    audit.record(
        moderator,
        "finding.marked_not_identifying",
        "post",
        post.id,
        data={"kind": kind, "pending_edit": edit_id},
    )
    db.session.flush()
    return decision


def undo(moderator: User, decision: FindingDecision) -> None:
    """Take a mark away: the finding is highlighted as a risk again. Flushes."""
    audit.record(
        moderator,
        "finding.unmarked",
        "post",
        decision.post_id,
        data={"kind": decision.kind, "pending_edit": decision.edit_id},
    )
    db.session.delete(decision)
    db.session.flush()


# --- reading ----------------------------------------------------------------------------------


def decisions_for_items(post_ids: Sequence[int], edit_ids: Sequence[int]) -> list[FindingDecision]:
    """The marks on a queue page's waiting posts and waiting edits, in one query."""
    if not post_ids and not edit_ids:
        return []
    on_posts = sa.and_(FindingDecision.post_id.in_(post_ids), FindingDecision.edit_id.is_(None))
    stmt = sa.select(FindingDecision).where(sa.or_(on_posts, FindingDecision.edit_id.in_(edit_ids)))
    return list(db.session.execute(stmt).scalars())


def decision_or_none(decision_id: int) -> FindingDecision | None:
    return db.session.get(FindingDecision, decision_id)


def newest_first() -> sa.Select:
    return sa.select(FindingDecision).order_by(
        FindingDecision.created_at.desc(), FindingDecision.id.desc()
    )


def review_page(page: int) -> Pagination:
    """A page of the marks for the team, newest first (a page past the end is a 404)."""
    return paginate(newest_first(), page, PER_PAGE)


def corpus_text(text: str) -> str:
    """Text as the corpus writes it: no tabs, a line break as the two characters ``\\n``."""
    return _LINE_BREAK.sub(r"\\n", text).replace("\t", " ")


def corpus_lines() -> Iterator[str]:
    """Every mark as a corpus line (``pass``, the kind, the context), newest first, after the
    header and a comment that says the lines are to be reviewed by hand."""
    yield CORPUS_HEADER
    yield "# " + _(
        "Door moderatoren als niet herleidbaar gemarkeerd. Nog niet nagekeken: lees elke regel "
        "en kies de juiste categorie voordat een regel in het corpus komt."
    )
    stmt = newest_first().execution_options(yield_per=500)
    for decision in db.session.execute(stmt).scalars():
        yield f"pass\t{decision.kind}\t{corpus_text(decision.context)}"
