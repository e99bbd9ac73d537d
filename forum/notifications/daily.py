"""Jobs the worker runs once a day, and the small bookmarks periodic jobs keep.

Features register a daily job in ``create_app`` (``register``), so the worker runs them without
importing any feature. Each job runs at most once per local day (``BABEL_DEFAULT_TIMEZONE``),
whichever worker gets there first: ``claim_day`` takes the day in one guarded statement, in the
transaction the job then runs in, so a job that fails rolls its claim back and is tried again in
the next round, and a second worker that asks at the same moment gets False. A ``JobMark`` is one
named value (the last day a job ran, how far a job has come); nothing personal is ever kept in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import claim_forward, db

# A daily job gets the moment of the round and returns a line for the log ("" when nothing to say).
DailyJob = Callable[[datetime], str]
EXTENSION = "worker_daily_jobs"


class JobMark(db.Model):
    __tablename__ = "job_marks"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(40))
    updated_at: Mapped[datetime]


def register(app: Flask, name: str, job: DailyJob) -> None:
    """Have every worker of this app run ``job`` once a day under ``name``."""
    app.extensions.setdefault(EXTENSION, {})[name] = job


def jobs() -> dict[str, DailyJob]:
    return current_app.extensions.get(EXTENSION, {})


def local_day(now: datetime) -> str:
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date().isoformat()


def mark(name: str) -> str | None:
    return db.session.execute(sa.select(JobMark.value).where(JobMark.name == name)).scalar()


def set_mark(name: str, value: str, now: datetime) -> None:
    values = {"name": name, "value": value, "updated_at": now}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(JobMark).values(values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[JobMark.name], set_={"value": value, "updated_at": now}
        )
    )


def claim_day(name: str, now: datetime) -> bool:
    """Take today for job ``name``: True for exactly one caller per day, however many ask
    (``forum.db.claim_forward``). The row stays locked until the caller commits, so a worker
    asking meanwhile waits and then finds the day taken."""
    keys = {"name": f"daily:{name}"}
    return claim_forward(JobMark, keys, "value", local_day(now), {"updated_at": now})


def run_due(name: str, now: datetime) -> str | None:
    """Run job ``name`` if today is still free for it; its log line, or None when not run.
    Flushes; the worker commits (or rolls back the claim with the job)."""
    if not claim_day(name, now):
        return None
    return jobs()[name](now)
