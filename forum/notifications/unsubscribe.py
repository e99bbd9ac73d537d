"""One-click unsubscribe: a signed link in every notification mail that turns that mail off.

The token names the person and what to stop (replies, mentions, digests, the queue digest); it is
signed with the app secret and its own salt, so it cannot be made up or changed, and it needs no
login. It does not expire: an old mail's link must keep working. All it can do is turn mail off.
Mails carry it as RFC 8058 headers too, so a mail program's "unsubscribe" button POSTs it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from forum.db import db
from forum.notifications import preferences
from forum.notifications.models import MailFrequency
from forum.notifications.outbox import absolute_url
from forum.notifications.preferences import settings_for

REPLIES, MENTIONS, DIGESTS, QUEUE = "replies", "mentions", "digests", "queue"
TOPICS = (REPLIES, MENTIONS, DIGESTS, QUEUE)
NEVER = MailFrequency.NEVER.value
DIGEST_CHOICES = (MailFrequency.DAILY.value, MailFrequency.WEEKLY.value)
SALT = "forum.notifications.unsubscribe"
MAX_TOKEN_LENGTH = 400
# Where people change what they get (the notification settings page).
SETTINGS_ENDPOINT = "notifications.settings"


@dataclass(frozen=True)
class Unsubscription:
    user_id: int
    topics: tuple[str, ...]


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, topics: Iterable[str]) -> str:
    wanted = sorted(set(topics))
    if not wanted or not set(wanted) <= set(TOPICS):
        raise ValueError(f"unknown unsubscribe topics: {wanted!r}")
    return serializer().dumps({"u": user_id, "t": wanted})


def read_token(token: str) -> Unsubscription | None:
    """What a token asks for, or None for anything that is not one of ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data: Any = serializer().loads(token)
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    user_id, topics = data.get("u"), data.get("t")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id < 1:
        return None
    if not isinstance(topics, list) or not topics:
        return None
    if not all(isinstance(topic, str) and topic in TOPICS for topic in topics):
        return None
    return Unsubscription(user_id, tuple(dict.fromkeys(topics)))


def url_for_topics(user_id: int, topics: Iterable[str]) -> str:
    return absolute_url("unsubscribe.confirm", token=make_token(user_id, topics))


def headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe, and RFC 3834 so no auto-reply answers a notice."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def url_in_headers(stored: dict[str, str] | None) -> str | None:
    value = (stored or {}).get("List-Unsubscribe", "")
    return value[1:-1] if value.startswith("<") and value.endswith(">") else None


def settings_url() -> str:
    return absolute_url(SETTINGS_ENDPOINT)


def stop(user_id: int, topics: Iterable[str]) -> None:
    """Turn off the mails named by ``topics`` (one upsert, so two clicks at once are fine);
    flushes. Doing it twice changes nothing more."""
    current = settings_for(user_id)
    replies, mentions = current.mail_replies, current.mail_mentions
    wanted = set(topics)
    if REPLIES in wanted or (DIGESTS in wanted and replies in DIGEST_CHOICES):
        replies = NEVER
    if MENTIONS in wanted or (DIGESTS in wanted and mentions in DIGEST_CHOICES):
        mentions = NEVER
    preferences.save(
        user_id,
        auto_follow=current.auto_follow,
        mail_replies=replies,
        mail_mentions=mentions,
        queue_digest=current.queue_digest and QUEUE not in wanted,
    )
    db.session.flush()
