"""What the discussions hold about a person, for their data download (``forum.accounts.rights``):
every post they wrote, in every status, with the moderator's note meant for them, why it waited,
what the privacy check found in it, and its earlier versions.

What the forum shows them decides what goes in (``forum.policy``): the text of a post they may
see (``policy.own_post_text_in_download``), a thread's title where they may see it. A hidden post
is listed with its status and dates only. Who decided on a post, or edited it, is never named:
members read "a moderator", as on the forum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from forum import policy
from forum.accounts.models import User
from forum.accounts.rights.archive import Section
from forum.db import db
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import Post, PostRevision, PostStatus
from forum.i18n import _
from forum.privacy_kinds import LABELS as FINDING_LABELS
from forum.privacy_kinds import Kind
from forum.screening import REASON_LABELS


def status_labels() -> dict[PostStatus, str]:
    """The statuses in the author's words, as the badges on the forum say them."""
    return {
        PostStatus.PENDING: _("Wacht op goedkeuring"),
        PostStatus.APPROVED: _("Geplaatst"),
        PostStatus.RETURNED: _("Teruggestuurd ter aanpassing"),
        PostStatus.REJECTED: _("Afgewezen"),
        PostStatus.HIDDEN: _("Verborgen door een moderator"),
    }


def post_count(user: User) -> int:
    """How many posts a person wrote: the measure of an account's size for its download."""
    return db.session.execute(
        sa.select(sa.func.count(Post.id)).where(Post.author_id == user.id)
    ).scalar_one()


def findings(post: Post) -> list[dict[str, Any]]:
    text = post.screened_text
    found = []
    for item in post.privacy_findings or []:
        kind = str(item.get("kind", ""))
        try:
            label = str(FINDING_LABELS[Kind(kind)])
        except (ValueError, KeyError):  # a kind the check no longer has
            label = kind
        start, end = int(item.get("start", 0)), int(item.get("end", 0))
        found.append({"kind": kind, "label": label, "text": text[start:end]})
    return found


def revisions_by_post(user: User, post_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Earlier versions of the posts, oldest first, in one query."""
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not post_ids:
        return result
    rows = db.session.scalars(
        sa.select(PostRevision)
        .where(PostRevision.post_id.in_(post_ids))
        .order_by(PostRevision.created_at, PostRevision.id)
    )
    for row in rows:
        by_author = row.editor_id == user.id
        result[row.post_id].append(
            {
                "saved_at": row.created_at,
                "changed_by": "you" if by_author else "moderator",
                "changed_by_label": _("jou") if by_author else _("een moderator"),
                "title": row.title,
                "text_markdown": row.body_source,
            }
        )
    return result


def describe(user: User, post: Post, revisions: list[dict[str, Any]]) -> dict[str, Any]:
    thread = post.thread
    shown = policy.own_post_text_in_download(user, post)
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "thread_title": thread.title if policy.can_see_thread_title(user, thread) else None,
        "werkveld": thread.setting.name(str(get_locale() or "nl")),
        "kind": thread.kind.value,
        "kind_label": str(KIND_LABELS[thread.kind]),
        "opening_post": post.is_opening,
        "without_name": post.anonymous,
        "status": post.status.value,
        "status_label": status_labels()[post.status],
        "moderator_note": post.status_note,
        "waiting_reasons": [
            {"code": code, "label": str(REASON_LABELS.get(code, code))}
            for code in post.wait_reasons or []
        ],
        "privacy_findings": findings(post) if shown else [],
        "safeguarding_notice": post.safeguarding,
        "research_consent": post.research_consent,
        "written_at": post.created_at,
        "edited_at": post.edited_at,
        "approved_at": post.approved_at,
        "decided_at": post.handled_at,
        "text_shown": shown,
        "text_markdown": post.body_source if shown else None,
        "text": post.body_text if shown else None,
        "earlier_versions": revisions if shown else [],
    }


def sections(user: User) -> Iterable[Section]:
    posts = list(
        db.session.scalars(
            sa.select(Post).where(Post.author_id == user.id).order_by(Post.created_at, Post.id)
        )
    )
    revisions = revisions_by_post(user, [post.id for post in posts])
    yield Section(
        key="posts",
        title=_("Je berichten"),
        template="accounts/rights/sections/posts.html",
        files={"posts": [describe(user, post, revisions.get(post.id, [])) for post in posts]},
    )
