"""Download your data (AVG right of access): the request, its build, the link and its expiry.

A member asks on /account/gegevens. A small account (at most ``FORUM_DATA_DOWNLOAD_INLINE_POSTS``
posts, default 200; 0 sends every request to the worker) is built in that request. A larger one
waits as a ``DataDownload`` row for the mail worker, which claims it in one guarded statement
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a guarded UPDATE under SQLite's one write lock), so two
workers never build one twice. A claim left by a worker that died goes stale after
``FORUM_MAIL_CLAIM_MINUTES`` and is built again, up to ``MAX_ATTEMPTS`` tries in all.

The file is a ZIP in ``FORUM_DATA_DOWNLOAD_DIR`` (``archive`` says what it holds) under a random
name. Once it is there the member gets the mail "Je gegevens staan klaar" with a link: a random
token, stored only as its SHA-256, that works for its owner when signed in, until
``FORUM_DATA_DOWNLOAD_HOURS`` (default 72) after the build. A new request ends the links of
earlier ones. ``purge_expired_downloads`` deletes expired files with their rows.

Services flush and never commit, except ``build_next``, which commits its claim before the slow
part so that other workers see it (as ``outbox.claim`` does).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts import tokens
from forum.accounts.models import User
from forum.accounts.rights import archive
from forum.accounts.services import send_template_mail
from forum.core import kept_files
from forum.db import claim_rows, db, utcnow
from forum.i18n import _l
from forum.notifications.outbox import absolute_url

MAX_ATTEMPTS = 3
# A worker round builds at most this many, so the round's mail is not held up for long.
BUILDS_PER_ROUND = 5
WAITING, FAILED, READY, EXPIRED = "waiting", "failed", "ready", "expired"
# Only files of this shape are ever deleted from the folder, whatever else is put there.
FILE_NAME = re.compile(r"[0-9a-f]{32}\.zip(\.part)?")


class DataDownload(db.Model):
    """One request for a download of a person's own data; once built, its file and link."""

    __tablename__ = "data_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which worker builds it, since when (empty when the request built it itself).
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    built_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    # The link's token is never stored, so a database leak hands out no working link.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int | None]

    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.Index("ix_data_downloads_user_requested", "user_id", "requested_at"),
        # The worker's look-up: requests not built yet, oldest first.
        sa.Index("ix_data_downloads_waiting", "built_at", "id"),
        sa.Index("ix_data_downloads_expires_at", "expires_at"),
        # One request at a time per person: a second click while one is built adds nothing.
        sa.Index(
            "uq_data_downloads_one_waiting",
            "user_id",
            unique=True,
            sqlite_where=sa.text("built_at IS NULL"),
            postgresql_where=sa.text("built_at IS NULL"),
        ),
    )

    def state(self, now: datetime) -> str:
        if self.built_at is None:
            return FAILED if self.attempts >= MAX_ATTEMPTS else WAITING
        if self.expires_at is not None and self.expires_at > now:
            return READY
        return EXPIRED


class AlreadyWaiting(Exception):
    """This person's earlier request is still being built."""


def download_folder(make: bool = False) -> Path:
    """Where the files are kept (made, readable by this user only, when ``make``)."""
    folder = Path(current_app.config["FORUM_DATA_DOWNLOAD_DIR"])
    if make:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def latest(user: User) -> DataDownload | None:
    """The person's newest request, to show how it stands."""
    return db.session.execute(
        sa.select(DataDownload)
        .where(DataDownload.user_id == user.id)
        .order_by(DataDownload.requested_at.desc(), DataDownload.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def builds_at_once(user: User) -> bool:
    limit = current_app.config["FORUM_DATA_DOWNLOAD_INLINE_POSTS"]
    return limit > 0 and archive.measure(user) <= limit


def ask(user: User, now: datetime | None = None) -> str | None:
    """Ask for a download of everything the forum holds about ``user``.

    A small account is built at once: returns the link's token. A larger one is left for the
    worker: returns None. Links of earlier requests stop working. Raises ``AlreadyWaiting`` while
    an earlier request is still being built.
    """
    now = now or utcnow()
    mine = DataDownload.user_id == user.id
    unbuilt = DataDownload.built_at.is_(None)
    waiting = db.session.execute(
        sa.select(DataDownload.id).where(mine, unbuilt, DataDownload.attempts < MAX_ATTEMPTS)
    ).first()
    if waiting is not None:
        raise AlreadyWaiting
    # The file first, while this transaction has only read: on SQLite the write lock is then
    # held for the few statements below, not for the whole build.
    made = make_file(user) if builds_at_once(user) else None
    # Statements, not ORM deletes: a second request at once then changes nothing more.
    db.session.execute(  # requests that failed: this one tries afresh
        sa.delete(DataDownload)
        .where(mine, unbuilt, DataDownload.attempts >= MAX_ATTEMPTS)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(  # earlier links end now; their files go at the next purge
        sa.update(DataDownload)
        .where(mine, DataDownload.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    row = DataDownload(user_id=user.id, requested_at=now, attempts=int(made is not None))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError as error:  # a second request of the same person, at once
        if made is not None:
            made.path.unlink(missing_ok=True)
        raise AlreadyWaiting from error
    return finish(row.id, user, made, builder=None) if made is not None else None


def claim_next(builder: str, now: datetime) -> int | None:
    """Claim the oldest request that waits for a build (or was left by a builder that died), in
    one statement; None when there is none. Two workers never get the same one."""
    stale = now - timedelta(minutes=current_app.config["FORUM_MAIL_CLAIM_MINUTES"])
    condition = sa.and_(
        DataDownload.built_at.is_(None),
        DataDownload.attempts < MAX_ATTEMPTS,
        sa.or_(DataDownload.claimed_at.is_(None), DataDownload.claimed_at < stale),
    )
    values = {"claimed_at": now, "claimed_by": builder, "attempts": DataDownload.attempts + 1}
    claimed = claim_rows(DataDownload, condition, values, limit=1)
    return claimed[0] if claimed else None


def build_next(builder: str, now: datetime) -> bool:
    """The worker's step: claim one waiting request and build it; False when none waits. The
    claim is committed first, so other workers pass it by while it is built."""
    row_id = claim_next(builder, now)
    if row_id is None:
        return False
    db.session.commit()
    row = db.session.get(DataDownload, row_id)
    if row is not None:  # gone meanwhile: the account was deleted
        finish(row.id, row.user, make_file(row.user), builder)
    return True


@dataclass(frozen=True)
class Made:
    path: Path
    size: int
    page_name: str  # in the member's language, for the mail


def make_file(user: User) -> Made:
    """Write the ZIP of everything about ``user``, in their language, under a random name."""
    path = download_folder(make=True) / f"{secrets.token_hex(16)}.zip"
    with force_locale(user.locale or "nl"):
        size = archive.write(user, path)
        return Made(path, size, archive.page_name())


def finish(row_id: int, user: User, made: Made, builder: str | None) -> str | None:
    """Give request ``row_id`` its file and link, as long as ``builder`` still holds it (None: the
    request that made the row); returns the link's token, or None when another builder took it
    over (then the file goes). The mail with the link is queued in the same transaction."""
    raw = secrets.token_urlsafe(32)
    built = utcnow()
    expires = built + timedelta(hours=current_app.config["FORUM_DATA_DOWNLOAD_HOURS"])
    finished = db.session.execute(
        sa.update(DataDownload)
        .where(
            DataDownload.id == row_id,
            DataDownload.claimed_by == builder,  # IS NULL for the request's own row
            DataDownload.built_at.is_(None),
        )
        .values(
            built_at=built,
            expires_at=expires,
            token_hash=tokens.hash_token(raw),
            file_name=made.path.name,
            file_size=made.size,
            claimed_at=None,
            claimed_by=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not finished:
        made.path.unlink(missing_ok=True)
        return None
    send_template_mail(
        user.email,
        user.locale,
        _l("Je gegevens staan klaar"),
        "data_download",
        user=user,
        url=absolute_url("accounts.download.file", token=raw),
        password_url=absolute_url("accounts.change_password"),
        page_name=made.page_name,
        expires_at=expires,
    )
    return raw


def find(raw: str) -> DataDownload | None:
    """The request a link belongs to (whoever's it is: the caller checks the owner)."""
    if not raw or len(raw) > 200:
        return None
    return db.session.execute(
        sa.select(DataDownload).where(DataDownload.token_hash == tokens.hash_token(raw))
    ).scalar_one_or_none()


def ready_file(row: DataDownload, now: datetime | None = None) -> Path | None:
    """The file of a link that still works, or None (expired, ended by a newer request, gone)."""
    if row.state(now or utcnow()) != READY or not row.file_name:
        return None
    path = download_folder() / row.file_name
    return path if path.is_file() else None


def purge_expired_downloads(now: datetime) -> int:
    """Delete data downloads whose link has expired (or was ended by a newer request): the file
    and its row. Requests that were not built within ``FORUM_DATA_DOWNLOAD_HOURS`` go too, and so
    do files in the download folder that no request names (a build that crashed, an account that
    was deleted) once they are an hour old; only files named as this module names them are ever
    touched. Returns how many requests were removed.

    For ``flask --app forum purge`` (``forum.accounts.rights.retention``); the mail worker also
    runs it every round. Flushes, never commits; safe to run in several processes at once.
    """
    lifetime = timedelta(hours=current_app.config["FORUM_DATA_DOWNLOAD_HOURS"])
    return kept_files.purge_expired(DataDownload, download_folder(), lifetime, now, FILE_NAME)
