"""The mail worker: ``flask --app forum worker`` (a loop) or ``worker --once`` (from cron).

Each round, in a fresh app context: settle notices that will never be mailed, mail the
"immediately" ones, build the digests that are due, build the own-data downloads that wait
(``forum.accounts.rights.download``) and delete expired ones, run the daily jobs features
registered (``forum.notifications.daily``: the retention purge) if today is still theirs, send
what the outbox holds, then run the steps features registered for every round
(``register_step``: research exports). Every person's mail and every download is its own
transaction, so one failure (a database hiccup, a broken template) holds up only that person's
mail until the next round. Any number of workers may run at once: notices, digest periods,
downloads and outbox rows are each claimed in one guarded statement.

The loop sleeps ``FORUM_WORKER_INTERVAL`` seconds between rounds and stops cleanly on SIGTERM or
SIGINT: the round in progress finishes (or rolls back), nothing is left half done.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import FrameType
from typing import Any

from flask import Flask

from forum.accounts.models import User
from forum.accounts.rights import download
from forum.db import db, utcnow
from forum.notifications import daily, digests, mailing, outbox

log = logging.getLogger("forum.worker")
Clock = Callable[[], datetime]
# A step features add to every round (``register_step``): it gets the worker's name and the
# round's moment and returns a line for the log ("" or None when nothing to say).
RoundStep = Callable[[str, datetime], str | None]
STEPS_EXTENSION = "worker_round_steps"


def register_step(app: Flask, name: str, action: RoundStep) -> None:
    """Have every round of this app's workers run ``action`` (after the outbox is sent), so the
    worker runs a feature's work without importing the feature."""
    app.extensions.setdefault(STEPS_EXTENSION, {})[name] = action


@dataclass
class Round:
    settled: int = 0
    notice_mails: int = 0
    digests: int = 0
    downloads: int = 0
    sent: int = 0
    failures: int = 0
    daily: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.notice_mails} notice mail(s) and {self.digests} digest(s) queued, "
            + (f"{self.downloads} data download(s) built, " if self.downloads else "")
            + f"{self.sent} message(s) sent"
            + "".join(f", {line}" for line in self.daily + self.steps)
            + (f", {self.failures} failure(s) (see the log)" if self.failures else "")
        )


def check_before_sending(message: outbox.OutboxMessage) -> bool:
    """The outbox's check for mails about forum content: rebuild it for its recipient as things
    are now (their address, what they may see, what they still want), or drop it."""
    user = db.session.get(User, message.recipient_id) if message.recipient_id else None
    if user is None or not mailing.can_receive_mail(user):
        return False
    message.to_address = user.email
    if message.kind == outbox.QUEUE_DIGEST:
        return digests.recheck_queue_mail(message, user)
    return mailing.recheck_notice_mail(message, user)


def send_outbox(name: str | None = None, now: datetime | None = None) -> int:
    """Send every due outbox mail, rebuilding mails about forum content first."""
    return outbox.send_due(name, check=check_before_sending, now=now)


class Worker:
    def __init__(self, app: Flask, name: str | None = None, clock: Clock = utcnow) -> None:
        self.app = app
        self.name = name or outbox.sender_name()
        self.clock = clock

    def run_once(self) -> Round:
        """One round; returns what it did."""
        result = Round()
        with self.app.app_context():
            now = self.clock()
            result.settled = self.step(result, mailing.settle_unmailable, now) or 0
            for user_id in mailing.recipients(mailing.waiting(mailing.IMMEDIATELY)):
                result.notice_mails += bool(
                    self.step(result, mailing.mail_immediately, user_id, now)
                )
            for user_id, period in digests.due(now):
                result.digests += bool(self.step(result, digests.build, user_id, period, now))
            for name in daily.jobs():
                line = self.step(result, daily.run_due, name, now)
                if line is not None:
                    result.daily.append(f"{name}: {line}")
            db.session.commit()  # end the read transaction of the look-ups above
            result.downloads = self.build_downloads(result, now)
            self.step(result, download.purge_expired_downloads, now)
            result.sent = self.step(result, send_outbox, self.name, self.clock()) or 0
            # Last, so a long build (a large research export) holds up no mail of this round.
            for name, action in self.app.extensions.get(STEPS_EXTENSION, {}).items():
                line = self.step(result, action, self.name, now)
                if line:
                    result.steps.append(f"{name}: {line}")
        return result

    def build_downloads(self, result: Round, now: datetime) -> int:
        """Build waiting own-data downloads, a few a round, so the round's mail goes soon."""
        built = 0
        while built < download.BUILDS_PER_ROUND and self.step(
            result, download.build_next, self.name, now
        ):
            built += 1
        return built

    @staticmethod
    def step(result: Round, action: Callable[..., Any], *args: object) -> Any:
        """Run one unit of work in its own transaction; a failure is logged and rolled back, and
        the work is tried again next round."""
        try:
            value = action(*args)
            db.session.commit()
            return value
        except Exception:
            log.exception("worker: %s%r failed", action.__name__, args)
            db.session.rollback()
            result.failures += 1
            return None

    def run(self, stop: threading.Event, interval: float | None = None) -> None:
        """Rounds until ``stop`` is set, sleeping ``interval`` seconds in between."""
        if interval is None:
            interval = self.app.config["FORUM_WORKER_INTERVAL"]
        log.info("worker %s started (a round every %s s)", self.name, interval)
        while not stop.is_set():
            try:
                result = self.run_once()
                done = (result.notice_mails, result.digests, result.downloads, result.sent)
                if any(done) or result.failures or result.daily or result.steps:
                    log.info("worker round: %s", result.summary())
            except Exception:  # the database may be away; try again next round
                log.exception("worker round failed")
            stop.wait(interval)
        log.info("worker %s stopped", self.name)


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd, docker stop) and SIGINT (Ctrl-C) end the loop after the current round."""

    def handle(signum: int, frame: FrameType | None) -> None:
        log.info("worker: signal %s received, stopping after this round", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
