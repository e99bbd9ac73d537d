"""The worker's claims that insert a row (a person's first digest period, a daily job's first
day): two sessions asking at the same moment get exactly one True. On PostgreSQL psycopg reports
-1 as an INSERT's row count, which once read as "inserted" for both."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from forum.db import db
from forum.notifications import daily
from forum.notifications.digests import claim_run, current_period

MOMENT = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def both_at_once(app, claim) -> list[bool]:
    """Run ``claim`` in two threads with their own sessions, each holding its transaction open
    a moment after claiming (as a worker does while it builds)."""
    start = threading.Barrier(2)
    answers: list[bool] = []

    def run() -> None:
        with app.app_context():
            start.wait(timeout=20)
            answers.append(claim())
            time.sleep(0.3)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(answers)


def test_one_worker_gets_a_persons_first_digest_period(app, member):
    claim = lambda: claim_run(member.id, current_period("daily", MOMENT), MOMENT)  # noqa: E731
    assert both_at_once(app, claim) == [False, True]
    assert both_at_once(app, claim) == [False, False]  # and nobody the same period again


def test_one_worker_gets_a_daily_jobs_day(app):
    assert both_at_once(app, lambda: daily.claim_day("retention", MOMENT)) == [False, True]
    assert both_at_once(app, lambda: daily.claim_day("retention", MOMENT)) == [False, False]
