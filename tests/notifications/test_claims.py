"""The worker's claims that insert a row (a person's first digest period, a daily job's first
day): two sessions asking at the same moment get exactly one True. On PostgreSQL psycopg reports
-1 as an INSERT's row count, which once read as "inserted" for both."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from forum.accounts.rights import download
from forum.accounts.rights.download import DataDownload
from forum.db import db, utcnow
from forum.notifications import daily, outbox
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


def test_a_mail_claim_takes_its_batch_and_no_more(app):
    """On PostgreSQL a claim once took every due mail (the planner re-ran the picking subquery
    per row on a table without statistics), so one worker held them all and the others idled."""
    with app.app_context():
        for number in range(30):
            outbox.enqueue("lid@example.org", f"Bericht {number}", "Tekst.")
        db.session.commit()
        first = outbox.claim("worker-a", limit=5)
        second = outbox.claim("worker-b", limit=100)
        assert len(first) == 5
        assert len(second) == 25
        assert not set(first) & set(second)
        assert outbox.claim("worker-c", limit=100) == []


def test_a_download_claim_takes_one_request_when_several_wait(app, users):
    now = utcnow()
    with app.app_context():
        people = [users.make(email=f"lid{number}@example.org") for number in range(4)]
        for person in people:
            db.session.add(DataDownload(user_id=person.id, requested_at=now))
        db.session.commit()
        claimed = [download.claim_next(f"worker-{number}", now) for number in range(5)]
        db.session.commit()
    assert claimed[4] is None
    assert len(set(claimed[:4])) == 4
