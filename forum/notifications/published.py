"""A post became visible: tell the people who follow its thread or werkveld, and the people it
mentions.

``post_published`` is called once per post, by ``discussions.services`` at the moment the post
is first approved (at once when it is written, or later by a moderator); a post restored after
hiding is not published again. Only people who may see the post are told (the policy's WHERE
form), never its author, and each person once: a mention wins over following. Notices name no
author and quote nothing from the post; the notifications page shows the thread's title.
Flushes nothing itself: the rows go in the caller's transaction through ``notify``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forum import policy
from forum.accounts.models import User
from forum.db import db
from forum.notifications import reads
from forum.notifications.mentions import mentioned_ids
from forum.notifications.models import (
    FOLLOWED_SETTING_THREAD,
    FOLLOWED_THREAD_REPLY,
    MENTION,
    SettingFollow,
    ThreadFollow,
)
from forum.notifications.services import notify


def followers(post: Any) -> sa.Select:
    """Who follows what ``post`` adds to: its werkveld for an opening post (a new thread), its
    thread for a reply."""
    if post.is_opening:
        return (
            sa.select(User.id)
            .join(SettingFollow, SettingFollow.user_id == User.id)
            .where(SettingFollow.setting_id == post.thread.setting_id)
        )
    return (
        sa.select(User.id)
        .join(ThreadFollow, ThreadFollow.user_id == User.id)
        .where(ThreadFollow.thread_id == post.thread_id)
    )


def post_published(post: Any) -> None:
    """Notify followers and mentioned members of ``post``, which just became visible; to its
    author it is read."""
    reads.note_own_post(post)
    author = {post.author_id} if post.author_id is not None else set()
    mentioned = mentioned_ids(post) - author
    for user_id in sorted(mentioned):
        notify(user_id, MENTION, thread_id=post.thread_id, post_id=post.id)
    if post.is_opening:
        event, data = FOLLOWED_SETTING_THREAD, {"setting_id": post.thread.setting_id}
    else:
        event, data = FOLLOWED_THREAD_REPLY, {}
    stmt = policy.people_who_can_view(followers(post), post).order_by(User.id)
    for user_id in db.session.execute(stmt).scalars():
        if user_id not in author and user_id not in mentioned:
            notify(user_id, event, thread_id=post.thread_id, post_id=post.id, data=dict(data))
