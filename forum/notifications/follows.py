"""Following threads and werkvelden.

Every write is one idempotent statement (a double click follows once, an unfollow of something
not followed changes nothing). Functions flush, never commit. This module takes ids, so the
features that call it pass what it needs and it imports none of them.
"""

from __future__ import annotations

import sqlalchemy as sa

from forum.db import db, utcnow
from forum.notifications import preferences
from forum.notifications.models import SettingFollow, ThreadFollow


def follow_thread(user_id: int, thread_id: int) -> None:
    stmt = preferences.insert_for_dialect(ThreadFollow).values(
        user_id=user_id, thread_id=thread_id, created_at=utcnow()
    )
    db.session.execute(stmt.on_conflict_do_nothing())


def unfollow_thread(user_id: int, thread_id: int) -> None:
    db.session.execute(
        sa.delete(ThreadFollow).where(
            ThreadFollow.user_id == user_id, ThreadFollow.thread_id == thread_id
        )
    )


def follow_after_writing(user_id: int, thread_id: int) -> None:
    """Someone started or replied in a thread: they follow it, unless they switched that off.

    Replying follows a thread again that was unfollowed earlier (the settings page says so)."""
    if preferences.auto_follows(user_id):
        follow_thread(user_id, thread_id)


def follow_setting(user_id: int, setting_id: int) -> None:
    stmt = preferences.insert_for_dialect(SettingFollow).values(
        user_id=user_id, setting_id=setting_id, created_at=utcnow()
    )
    db.session.execute(stmt.on_conflict_do_nothing())


def unfollow_setting(user_id: int, setting_id: int) -> None:
    db.session.execute(
        sa.delete(SettingFollow).where(
            SettingFollow.user_id == user_id, SettingFollow.setting_id == setting_id
        )
    )


def follows_setting(user_id: int, setting_id: int) -> bool:
    stmt = sa.select(SettingFollow.user_id).where(
        SettingFollow.user_id == user_id, SettingFollow.setting_id == setting_id
    )
    return db.session.execute(stmt).first() is not None
