"""A mail-server outage loses nothing and sends nothing twice: mails wait with a next try time
(2, 4, 8, … minutes), arrive once the server is back, stop after MAX_ATTEMPTS tries until an
operator retries them; a claim left by a crashed worker goes stale and is taken over."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from forum.db import db, utcnow
from forum.notifications import outbox
from forum.notifications.worker import Worker
from tests.helpers import set_site, write_thread
from tests.notifications.mail_support import (
    MENTION,
    give_notice,
    outbox_rows,
    run_round,
    serve_smtp,
    wait_for,
)


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


def queue_mails(app, *subjects: str) -> None:
    with app.app_context():
        for subject in subjects:
            outbox.enqueue("lid@example.org", subject, f"Tekst van {subject}.")
        db.session.commit()
        db.session.remove()


def test_stopping_the_server_mid_run_delays_mails_and_each_arrives_once(app, users, smtp_server):
    set_site(app, "trust_threshold", "0")
    post = write_thread(app, users.make(name="Schrijver Sam"), title="Het startgesprek")
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    later = timedelta(0)
    stop = threading.Event()
    worker = Worker(app, clock=lambda: utcnow() + later)
    loop = threading.Thread(target=worker.run, args=(stop, 0.05), daemon=True)
    loop.start()
    try:
        queue_mails(app, "Voor 1", "Voor 2", "Voor 3")
        wait_for(lambda: len(smtp_server.messages) == 3)

        smtp_server.stop()  # the mail server goes away while the worker keeps running
        queue_mails(app, "Tijdens 1", "Tijdens 2")
        give_notice(app, reader, MENTION, post)
        wait_for(lambda: sum(row.attempts >= 1 for row in outbox_rows(app)) == 6)
        waiting = [row for row in outbox_rows(app) if row.sent_at is None]
        assert len(waiting) == 3
        for row in waiting:
            assert row.last_error
            assert row.next_try_at > utcnow() + timedelta(minutes=1)
        assert len(smtp_server.messages) == 3

        smtp_server.start()  # back, on the same port
        later = timedelta(hours=1)  # past the next try
        wait_for(lambda: len(smtp_server.messages) == 6)
    finally:
        stop.set()
        loop.join(timeout=20)
    assert not loop.is_alive()

    subjects = smtp_server.subjects()
    assert sorted(subjects) == sorted(
        [
            "Voor 1",
            "Voor 2",
            "Voor 3",
            "Tijdens 1",
            "Tijdens 2",
            "Je bent genoemd in ‘Het startgesprek’",
        ]
    )
    assert all(row.sent_at is not None for row in outbox_rows(app))


def test_retries_back_off_and_stop_after_max_attempts_until_retried(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", "smtp://127.0.0.1:9")  # refused
    queue_mails(app, "Blijft wachten")
    now = utcnow()

    run_round(app, now)
    [row] = outbox_rows(app)
    assert row.attempts == 1
    assert row.next_try_at == now + timedelta(minutes=2)
    run_round(app, now + timedelta(minutes=1))  # too early: not tried
    assert outbox_rows(app)[0].attempts == 1
    now += timedelta(minutes=2)
    run_round(app, now)
    assert outbox_rows(app)[0].next_try_at == now + timedelta(minutes=4)

    for _ in range(outbox.MAX_ATTEMPTS + 2):
        now += timedelta(days=1)
        run_round(app, now)
    [row] = outbox_rows(app)
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert row.sent_at is None
    assert row.last_error
    runner = app.test_cli_runner()
    assert "0 waiting, 1 given up" in runner.invoke(args=["outbox", "status"]).output

    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", smtp_server.url)
    run_round(app, now + timedelta(days=1))
    assert smtp_server.messages == []  # given up stays given up
    assert "1 message(s) will be tried again" in runner.invoke(args=["outbox", "retry"]).output
    run_round(app)
    assert smtp_server.subjects() == ["Blijft wachten"]


def test_a_crashed_workers_claim_goes_stale_and_the_mail_goes_once(app, smtp_server):
    queue_mails(app, "Half verstuurd")
    with app.app_context():
        claimed = outbox.claim("gecrasht")  # claimed, then the process died
        db.session.remove()
    assert len(claimed) == 1

    run_round(app)
    assert smtp_server.messages == []  # a fresh claim is respected
    run_round(app, utcnow() + timedelta(minutes=6))  # past FORUM_MAIL_CLAIM_MINUTES
    assert smtp_server.subjects() == ["Half verstuurd"]

    with app.app_context():  # the crashed worker comes back and carries on: sends nothing
        assert outbox.send_claimed(claimed, "gecrasht", check=None) == 0
        db.session.remove()
    assert smtp_server.subjects() == ["Half verstuurd"]
