"""A person's notification settings (/account/meldingen): read with defaults, saved as one row.

Reading never writes: a person without a row has ``DEFAULTS``. The mail worker reads the same
columns (``forum.notifications.mailing``); this module only stores what the person chose.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.util import identity_key

from forum.db import db, utcnow
from forum.notifications.models import DEFAULTS, NotificationSettings


def insert_for_dialect(model: type[db.Model]) -> sqlite.Insert | postgresql.Insert:
    """An INSERT with ``ON CONFLICT`` clauses: both databases we run on have them."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def settings_for(user_id: int) -> NotificationSettings:
    """The person's settings; without a row the defaults (a new object, not added to the
    session, so nothing is written)."""
    row = db.session.get(NotificationSettings, user_id)
    return row if row is not None else NotificationSettings(user_id=user_id, **DEFAULTS)


def auto_follows(user_id: int) -> bool:
    """Does this person follow threads they start or reply in?"""
    chosen = db.session.execute(
        sa.select(NotificationSettings.auto_follow).where(NotificationSettings.user_id == user_id)
    ).scalar_one_or_none()
    return DEFAULTS["auto_follow"] if chosen is None else chosen


def save(
    user_id: int,
    *,
    auto_follow: bool,
    mail_replies: str,
    mail_mentions: str,
    queue_digest: bool,
) -> None:
    """Store the person's choices in one statement (two saves at once leave one row)."""
    values = {
        "auto_follow": auto_follow,
        "mail_replies": mail_replies,
        "mail_mentions": mail_mentions,
        "queue_digest": queue_digest,
        "updated_at": utcnow(),
    }
    stmt = insert_for_dialect(NotificationSettings).values(user_id=user_id, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_=values))
    # A row this request read earlier is stale now: it reloads when next used (no query now).
    row = db.session.identity_map.get(identity_key(NotificationSettings, user_id))
    if row is not None:
        db.session.expire(row)
