"""Files the worker builds and keeps for a while behind a row (data downloads, research exports):
one purge for them all.

Each such model has ``id``, ``file_name``, ``requested_at``, ``built_at`` and ``expires_at``,
and its files live in one folder under names of its own pattern (``….part`` while being built).
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from forum.db import db

# A file no row names (a build that crashed, a row deleted with its account) goes after this.
ORPHAN_AGE = timedelta(hours=1)


def purge_expired(
    model: Any, folder: Path, lifetime: timedelta, now: datetime, file_name: re.Pattern[str]
) -> int:
    """Delete the rows whose file's time is over, and those never built within ``lifetime``,
    with their files; then files matching ``file_name`` that no row names, once they are older
    than ``ORPHAN_AGE`` (only files named as the feature names them are ever touched). Returns
    how many rows went. Flushes; the caller commits."""
    gone = db.session.execute(
        sa.select(model.id, model.file_name).where(
            sa.or_(
                model.expires_at <= now,
                sa.and_(model.built_at.is_(None), model.requested_at <= now - lifetime),
            )
        )
    ).all()
    for _id, name in gone:
        if name:
            (folder / name).unlink(missing_ok=True)
    if gone:
        # One statement, not the ORM's row by row: a second purge at once deletes nothing more.
        db.session.execute(
            sa.delete(model)
            .where(model.id.in_([row_id for row_id, _name in gone]))
            .execution_options(synchronize_session=False)
        )
    if folder.is_dir():
        remove_orphans(model, folder, now, file_name)
    return len(gone)


def remove_orphans(model: Any, folder: Path, now: datetime, file_name: re.Pattern[str]) -> None:
    named = set(db.session.scalars(sa.select(model.file_name).where(model.file_name.is_not(None))))
    oldest = (now - ORPHAN_AGE).timestamp()
    for path in folder.iterdir():
        if not file_name.fullmatch(path.name) or path.name.removesuffix(".part") in named:
            continue
        with contextlib.suppress(FileNotFoundError):  # another purge was first
            if path.stat().st_mtime < oldest:
                path.unlink()
