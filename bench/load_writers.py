"""The writers of ``bench/load.py``: members posting threads and replies through the real forms.

Each writer is one thread with its own signed-in ``bench.http_client.Client``. Every post carries
a marker no other post has (``Marker``); a post counts as acknowledged only when the forum
answered its POST with a redirect, and only then is its marker kept, to be looked for in the
database afterwards. Every other answer is tallied: a refused connection or a 503 is expected
while the scenario has the server or the database down (``Outages``), anything else is an error.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.http_client import SUBMISSION_KEY, Client, csrf_token

MARKER_RE = re.compile(r"\bbp-[0-9a-f]{6}-\d{2}-\d{5}\b")
UNAVAILABLE_PAGE = "Even niet beschikbaar"
# A person, not a script: a short pause after a refusal before trying again.
PAUSE_AFTER_REFUSAL = 0.2
GRACE_SECONDS = 3.0  # after an outage ends, answers already under way may still fail


@dataclass
class Target:
    """Where the writers write: a werkveld for new threads and threads to reply to."""

    setting_id: int
    thread_ids: list[int]


class Outages:
    """Time windows in which the scenario has something down; failures in them are expected."""

    def __init__(self) -> None:
        self.windows: list[list[float]] = []
        self.lock = threading.Lock()

    def begin(self) -> None:
        with self.lock:
            self.windows.append([time.monotonic(), float("inf")])

    def end(self) -> None:
        with self.lock:
            self.windows[-1][1] = time.monotonic()

    def covers(self, started: float, ended: float) -> bool:
        """True when a request that ran from ``started`` to ``ended`` overlapped an outage."""
        with self.lock:
            return any(
                started <= until + GRACE_SECONDS and ended >= since for since, until in self.windows
            )


@dataclass
class Tally:
    """What the writers saw, shared by all of them."""

    acknowledged: set[str] = field(default_factory=set)
    acknowledged_in: Counter[str] = field(default_factory=Counter)  # by phase of the run
    answers: Counter[str] = field(default_factory=Counter)  # "POST 302", "GET 503", …
    expected: Counter[str] = field(default_factory=Counter)  # failures inside an outage
    errors: list[str] = field(default_factory=list)
    limited_after: Counter[str] = field(default_factory=Counter)  # 429s, by phase
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Marker:
    """Markers of one run: ``bp-<run>-<writer>-<number>``, unique in the database."""

    def __init__(self, run: str, writer: int) -> None:
        self.run, self.writer, self.number = run, writer, 0

    def next(self) -> str:
        self.number += 1
        return f"bp-{self.run}-{self.writer:02d}-{self.number:05d}"


def body(marker: str) -> str:
    # No names: the privacy check would hold the post for a moderator (still stored, though).
    return (
        f"Bijdrage {marker} uit de belastingproef. Bij ons werkt het goed om ouders eerst te "
        "laten vertellen wat zij thuis zien, en pas daarna samen te kijken wat de groep kan doen."
    )


def form_fields(page: str, locator: str) -> dict[str, str] | None:
    """CSRF token and submission key of the writing form found after ``locator`` on ``page``
    (every form of a page carries the same token; the new-thread page has one writing form)."""
    start = page.find(locator)
    if start < 0:
        return None
    key = SUBMISSION_KEY.search(page, start)
    if key is None:
        return None
    return {"csrf_token": csrf_token(page[start:]), "submission_key": key.group(1)}


@dataclass
class Form:
    """One writing form: the page it is on, where it posts, how to find it, its own fields."""

    page: str
    action: str
    locator: str
    fields: dict[str, str]


class Writer:
    def __init__(self, client: Client, number: int, run: str, target: Target, tally: Tally):
        self.client, self.number, self.target, self.tally = client, number, target, tally
        self.markers = Marker(run, number)

    def run(self, stop_at: list[float], outages: Outages, phase: list[str]) -> None:
        """Post until ``stop_at[0]`` (the scenario may move it on); ``phase[0]`` names the part
        of the run (before or after something was stopped), for the 429 counts."""
        while time.monotonic() < stop_at[0]:
            marker = self.markers.next()
            self.post(self.next_form(marker), marker, outages, phase[0])

    def next_form(self, marker: str) -> Form:
        """Every 5th post starts a thread; the others reply to the target threads in turn."""
        number = self.markers.number
        if number % 5 == 0:
            fields = {
                "setting": str(self.target.setting_id),
                "kind": "question",
                "title": f"Belastingproef {marker}",
            }
            return Form("/gesprek/nieuw", "/gesprek/nieuw", "", fields)
        thread = self.target.thread_ids[number % len(self.target.thread_ids)]
        action = f"/gesprek/{thread}/reageren"
        return Form(f"/gesprek/{thread}", action, f'action="{action}"', {})

    def post(self, form: Form, marker: str, outages: Outages, phase: str) -> None:
        started = time.monotonic()
        try:
            status, _location, page = self.client.request("GET", form.page)
            if not self.answered("GET", status, page, started, outages, phase):
                return
            fields = form_fields(page, form.locator)
            if fields is None:
                self.tally.error(f"GET {form.page}: 200 without the form")
                return
            text = body(marker)
            data = {**fields, **form.fields, "body": text, "submit": "Plaatsen"}
            started = time.monotonic()
            status, location, page = self.client.request("POST", form.action, data)
        except (OSError, http.client.HTTPException) as failure:
            self.refused(type(failure).__name__, started, outages, str(failure))
            return
        if status in (302, 303) and "inloggen" not in location:
            with self.tally.lock:
                self.tally.acknowledged.add(marker)
                self.tally.acknowledged_in[phase] += 1
                self.tally.answers[f"POST {status}"] += 1
            return
        self.answered("POST", status, page, started, outages, phase)

    def answered(
        self, method: str, status: int, page: str, started: float, outages: Outages, phase: str
    ) -> bool:
        """Tally one answer; True when it was the 200 page the writer needs next."""
        with self.tally.lock:
            self.tally.answers[f"{method} {status}"] += 1
        if status == 200 and method == "GET":
            return True
        if status == 429:  # a rate limit held: not an error, the writer waits a moment
            with self.tally.lock:
                self.tally.limited_after[phase] += 1
            time.sleep(PAUSE_AFTER_REFUSAL)
            return False
        if status == 503 and UNAVAILABLE_PAGE in page and outages.covers(started, time.monotonic()):
            with self.tally.lock:
                self.tally.expected[f"{method} 503"] += 1
            time.sleep(PAUSE_AFTER_REFUSAL)
            return False
        snippet = re.sub(r"<[^>]+>|\s+", " ", page)[:160].strip()
        self.tally.error(f"{method} answered {status}: {snippet}")
        return False

    def refused(self, kind: str, started: float, outages: Outages, detail: str) -> None:
        if outages.covers(started, time.monotonic()):
            with self.tally.lock:
                self.tally.expected[kind] += 1
            time.sleep(PAUSE_AFTER_REFUSAL)
        else:
            self.tally.error(f"{kind}: {detail}")


def run_writers(
    writers: list[Writer], stop_at: list[float], outages: Outages, phase: list[str]
) -> list[threading.Thread]:
    """Start every writer in its own thread; the caller joins them."""
    threads = [
        threading.Thread(target=writer.run, args=(stop_at, outages, phase), daemon=True)
        for writer in writers
    ]
    for thread in threads:
        thread.start()
    return threads
