"""Two workers at once (threads with their own app contexts and sessions, and real processes)
drain one outbox and build digests, and every mail arrives once; ``flask worker`` stops cleanly
on SIGTERM. Runs on SQLite and, with FORUM_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.notifications import outbox
from forum.notifications.outbox import OutboxMessage
from forum.notifications.worker import Worker
from tests.helpers import set_site, write_reply, write_thread
from tests.notifications.mail_support import (
    REPLY,
    give_notice,
    local_moment,
    serve_smtp,
    wait_for,
)


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


ROOT = Path(__file__).resolve().parents[2]
MAILS = 60


def queue_mails(app, count: int) -> list[str]:
    subjects = [f"Bericht {number:03d}" for number in range(count)]
    with app.app_context():
        for subject in subjects:
            outbox.enqueue("lid@example.org", subject, "Tekst.")
        db.session.commit()
        db.session.remove()
    return subjects


def unsent(app) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        ).scalar_one()
        db.session.remove()
    return count


def side_by_side(*targets) -> None:
    """Run the targets in threads that start together; fail if one does not finish."""
    start = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            start.wait(timeout=20)
            target()
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(target,), daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


def test_two_workers_drain_one_outbox_and_send_each_mail_once(app, smtp_server):
    subjects = queue_mails(app, MAILS)
    sent: dict[str, int] = {}

    def drain(name: str) -> None:
        worker = Worker(app, name=name)
        sent[name] = 0
        for _round in range(50):  # bounded
            sent[name] += worker.run_once().sent
            if unsent(app) == 0:
                return

    side_by_side(lambda: drain("een"), lambda: drain("twee"))

    assert Counter(smtp_server.subjects()) == Counter(subjects)  # each exactly once
    assert sent["een"] + sent["twee"] == MAILS
    assert unsent(app) == 0


def test_two_workers_build_each_digest_once(app, users, smtp_server):
    set_site(app, "trust_threshold", "0")
    writer = users.make(name="Schrijver Sam")
    opening = write_thread(app, writer, title="Het startgesprek")
    replies = [write_reply(app, writer, opening.thread_id, body=f"Idee {n}.") for n in range(3)]
    readers = [users.make(email=f"lezer{n}@example.org") for n in range(8)]
    for reader in readers:
        for reply in replies:
            give_notice(app, reader, REPLY, reply)
    moment = local_moment(1, 8)

    side_by_side(
        lambda: Worker(app, name="een", clock=lambda: moment).run_once(),
        lambda: Worker(app, name="twee", clock=lambda: moment).run_once(),
    )
    Worker(app, clock=lambda: moment).run_once()  # whatever one of them left to send

    for reader in readers:
        [digest] = smtp_server.to(reader.email)
        assert str(digest["Subject"]) == "Je dagelijkse overzicht van Dorpsplein"
        assert digest.get_body(("plain",)).get_content().count("Nieuwe reactie:") == 3


def worker_process(app, smtp_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FORUM_MAIL_URL": smtp_url,
        "FORUM_WORKER_INTERVAL": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "forum", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class Output:
    """A process's output as it comes, read on a thread so that waiting for a line never blocks."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.stream = process.stdout
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.lines.extend, args=(self.stream,))
        self.reader.start()

    def says(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def text(self) -> str:
        """Everything, once the process has ended."""
        self.reader.join(timeout=10)
        self.stream.close()
        return "".join(self.lines)


def test_two_worker_processes_send_each_mail_once_and_stop_on_sigterm(app, smtp_server):
    processes = [worker_process(app, smtp_server.url) for _ in range(2)]
    output = [Output(process) for process in processes]
    try:
        subjects = queue_mails(app, 40)
        wait_for(lambda: len(smtp_server.messages) >= 40, timeout=90)
        wait_for(lambda: unsent(app) == 0, timeout=30)
        # Stop running workers, as an operator does: one still loading the app would die of
        # the signal before its handler exists.
        wait_for(lambda: all(out.says(" started") for out in output), timeout=90)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        outputs = [out.text() for out in output]

    assert [process.returncode for process in processes] == [0, 0], outputs
    assert all("stopped" in output for output in outputs), outputs
    assert Counter(smtp_server.subjects()) == Counter(subjects)
