"""Werkvelden (the settings that organise every thread) and site-wide configuration rows."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import db


class Setting(db.Model):
    """A werkveld: Onderwijs, Kinderopvang, Wijk, or one an admin added."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    # Every post in this werkveld waits for a moderator, whoever writes it.
    premoderated: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Counters of approved threads and posts, kept by discussions.services in the same flush.
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_activity_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_settings_archived_position", "archived", "position"),)

    def name(self, locale: str) -> str:
        """The werkveld's name in the given language."""
        return self.name_en if locale == "en" else self.name_nl


class SiteConfig(db.Model):
    """One admin-editable site setting, stored as text (see ``forum.core.site``)."""

    __tablename__ = "site_config"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime]


class ContentGeneration(db.Model):
    """One row counting commits that changed what visitors see (``forum.core.pagecache``)."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class PageVersion(db.Model):
    """Per person, a number the database raises whenever one of their own rows (read positions,
    follows, notices, waiting edits, consent) changes: triggers made by migration 0012, so every
    write counts, however it is made (``forum.core.memberpages``)."""

    __tablename__ = "page_versions"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(default=0, server_default="0")


class PageVersionChange(db.Model):
    """Who changed in a transaction, noted by the PostgreSQL triggers and turned into
    ``page_versions`` right before the commit, in id order (``forum.core.memberpages``)."""

    __tablename__ = "page_version_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    txid: Mapped[int] = mapped_column(sa.BigInteger, index=True)
    user_id: Mapped[int]
