"""Research consent per post: the author gives or withdraws it for one post or for all their posts
at once. Every change is kept as a ``ConsentRecord`` (time, version of the information text, scope,
post). Services take the actor, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forum.accounts.models import ConsentRecord, User
from forum.accounts.services import CONSENT_TEXT_VERSION, record_consent
from forum.db import db, utcnow
from forum.discussions.models import Post


class NotTheAuthor(Exception):
    """Only the author changes the consent of a post (the view checks the policy first)."""


@dataclass(frozen=True)
class ConsentSummary:
    posts: int
    consented: int

    @property
    def withheld(self) -> int:
        return self.posts - self.consented


def set_post_consent(actor: User, post: Post, granted: bool) -> bool:
    """Give or withdraw consent for one post. Returns False when it already was so (no record)."""
    if post.author_id != actor.id:
        raise NotTheAuthor
    changed = db.session.execute(
        sa.update(Post)
        .where(Post.id == post.id, Post.research_consent != granted)
        .values(research_consent=granted)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        return False
    post.research_consent = granted
    record_consent(actor, granted, scope="post", post_id=post.id)
    db.session.flush()
    return True


def set_all_posts_consent(actor: User, granted: bool) -> int:
    """Give or withdraw consent for every post the actor wrote; returns how many changed.

    Each changed post gets its own record (scope "all_posts"), so the history of one post — and a
    withdrawal after an export — can be read per post.
    """
    ids = list(
        db.session.scalars(
            sa.select(Post.id).where(Post.author_id == actor.id, Post.research_consent != granted)
        )
    )
    if not ids:
        return 0
    db.session.execute(
        sa.update(Post)
        .where(Post.id.in_(ids))
        .values(research_consent=granted)
        .execution_options(synchronize_session="fetch")
    )
    now = utcnow()
    db.session.execute(
        sa.insert(ConsentRecord),
        [
            {
                "user_id": actor.id,
                "granted": granted,
                "scope": "all_posts",
                "post_id": post_id,
                "text_version": CONSENT_TEXT_VERSION,
                "created_at": now,
            }
            for post_id in ids
        ],
    )
    db.session.flush()
    return len(ids)


def summary(user: User) -> ConsentSummary:
    """How many posts this person wrote, and for how many research use is allowed."""
    total, consented = db.session.execute(
        sa.select(
            sa.func.count(Post.id),
            sa.func.coalesce(
                sa.func.sum(sa.case((Post.research_consent.is_(True), 1), else_=0)), 0
            ),
        ).where(Post.author_id == user.id)
    ).one()
    return ConsentSummary(posts=int(total), consented=int(consented))


def history(post: Post) -> list[ConsentRecord]:
    """The consent changes of one post, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ConsentRecord)
            .where(ConsentRecord.post_id == post.id)
            .order_by(ConsentRecord.created_at, ConsentRecord.id)
        )
    )
