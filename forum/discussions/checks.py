"""The checks a post passes before it is stored: privacy, watched words, safeguarding, trust.

``screen_post`` gathers what ``forum.screening`` decides on (the author's standing, the werkveld,
the watched words, the site's trust threshold) and runs it on the post's plain text. The preview
uses the same function, so what the author is shown is what will happen.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forum import audit, markup, policy, privacy
from forum.accounts.models import Role, User
from forum.core import site
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, screened_text
from forum.moderation.models import Report, ReportReason, WatchedWord
from forum.notifications.services import REPORT_RECEIVED, notify_moderators
from forum.screening import AuthorStanding, Screening, screen_text


class Blocked(Exception):
    """A watched word with the action "block" is in the text: the post is not stored."""

    def __init__(self, phrase: str) -> None:
        super().__init__(phrase)
        self.phrase = phrase


@dataclass(frozen=True)
class Rendered:
    source: str
    html: str
    text: str


def render(source: str) -> Rendered:
    html = markup.render(source)
    return Rendered(source=source, html=html, text=markup.to_text(html))


@dataclass(frozen=True)
class Preview:
    """What the author sees before posting: the rendered post and what the checks found."""

    rendered: Rendered
    screening: Screening
    checked_text: str

    @property
    def html(self) -> str:
        return self.rendered.html

    @property
    def segments(self) -> list[Segment]:
        """The checked text in pieces, each finding with the label of its kind."""
        return labelled_segments(self.checked_text, self.screening.findings)

    @property
    def suggestions(self) -> list[tuple[str, str]]:
        """One (label, suggestion) per kind of finding, in the order they first appear."""
        kinds = dict.fromkeys(finding.kind for finding in self.screening.findings)
        return [(str(privacy.LABELS[k]), str(privacy.SUGGESTIONS[k])) for k in kinds]


Segment = tuple[str, str | None, str | None]


def labelled_segments(text: str, findings: list[privacy.Finding]) -> list[Segment]:
    """Text pieces for highlighting (the ``highlighted`` macro): (piece, kind, label of the kind)
    for a finding, (piece, None, None) for plain text."""
    return [
        (piece, kind.value, str(privacy.LABELS[kind])) if kind else (piece, None, None)
        for piece, kind in privacy.segments(text, findings)
    ]


def approved_post_count(user: User) -> int:
    return db.session.execute(
        sa.select(sa.func.count(Post.id)).where(
            Post.author_id == user.id, Post.status == PostStatus.APPROVED
        )
    ).scalar_one()


def author_standing(author: User) -> AuthorStanding:
    return AuthorStanding(
        approved_posts=approved_post_count(author),
        is_moderator=policy.has_role(author, Role.MODERATOR) or Role.ADMIN in author.roles,
        always_moderate=author.always_moderate,
        trusted=author.trusted_at is not None,
    )


def watched_rules() -> list:
    return [word.as_rule() for word in db.session.execute(sa.select(WatchedWord)).scalars()]


def screen_post(author: User, setting: Setting, text: str) -> Screening:
    """Every check on ``text``; raises ``Blocked`` when a watched word refuses the post."""
    screening = screen_text(
        text,
        author_standing(author),
        watched_rules(),
        trust_threshold=site.trust_threshold(),
        premoderated=setting.premoderated,
    )
    if screening.blocked_by is not None:
        raise Blocked(screening.blocked_by)
    return screening


def preview(author: User, setting: Setting, source: str, title: str | None = None) -> Preview:
    rendered = render(source)
    text = screened_text(title, rendered.text)
    return Preview(rendered, screen_post(author, setting, text), text)


def put_before_moderators(post: Post, screening: Screening) -> None:
    """Watched words with the action "flag": the post stays, a moderator is asked to look.

    Stored as a report without a reporter, so it is handled with the other reports.
    """
    for phrase in screening.flagged:
        exists = db.session.execute(
            sa.select(Report.id).where(
                Report.post_id == post.id,
                Report.reporter_id.is_(None),
                Report.status == "open",
                Report.watched_phrase == phrase,
            )
        ).first()
        if exists is None:
            db.session.add(
                Report(
                    post_id=post.id,
                    reporter_id=None,
                    reason=ReportReason.OTHER,
                    watched_phrase=phrase,
                    created_at=utcnow(),
                )
            )
            audit.record(None, "post.flagged_by_watched_word", "post", post.id, reason=phrase)
            notify_moderators(REPORT_RECEIVED, post.thread_id, post.id, {"watched_word": True})
