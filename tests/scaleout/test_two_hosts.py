"""Two app hosts behind one database and one Redis behave as one forum, over real HTTP: a
sign-in, a rate limit, a new post, a moderator's decision and the mail all cross hosts.

Run with ``make test-scaleout`` (PostgreSQL and redis-server needed; see conftest.py).
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections import Counter
from email import message_from_bytes

import sqlalchemy as sa

from bench.http_client import SUBMISSION_KEY, Client, csrf_token
from bench.http_servers import free_port
from bench.load_services import MailSink
from forum.db import db
from forum.notifications import outbox
from tests.scaleout.conftest import FLASK, ROOT, Forum

THREAD_PATH = re.compile(r"/gesprek/(\d+)")
LOCKED = "Dit gesprek is gesloten"
SENT = re.compile(r"(\d+) message\(s\) sent")


def signed_in(forum: Forum, name: str, host: int = 0) -> Client:
    person = forum.people[name]
    client = Client(forum.hosts[host].port)
    client.login(person.email, person.password)
    return client


def new_thread(client: Client, title: str) -> tuple[int, str]:
    """Start a thread through the real form; (status, location) of the answer."""
    page = client.get_ok("/gesprek/nieuw")
    key = SUBMISSION_KEY.search(page)
    assert key is not None, "no submission key on the form"
    form = {
        "csrf_token": csrf_token(page),
        "submission_key": key.group(1),
        "setting": "1",
        "kind": "question",
        "title": title,
        "body": f"{title}: hoe pakken jullie dat aan in het team, en wat werkte er niet?",
    }
    status, location, _text = client.request("POST", "/gesprek/nieuw", form)
    return status, location


def kept_on(client: Client, path: str) -> str:
    """Fetch ``path`` until the host answers from its page cache (a worker kept it); the body."""
    for _ in range(12):  # two workers, each keeps its own copy
        text = client.get_ok(path)
        if client.last_headers is not None and client.last_headers["X-Page-Cache"] == "hit":
            return text
    raise AssertionError(f"{path} never came from the page cache")


def test_signed_in_on_one_host_stays_signed_in_on_the_other_and_posts_there(forum):
    client = signed_in(forum, "traveller", host=0)
    client.port = forum.hosts[1].port  # the same browser, now sent to host B
    assert "Uitloggen" in client.get_ok("/")
    status, location = new_thread(client, "Geschreven op de tweede host")
    assert status == 302
    assert THREAD_PATH.search(location), location
    client.get_ok(location, expect=["Geschreven op de tweede host"])


def test_a_rate_limit_counts_on_both_hosts(forum):
    """Posting allows 10 per 10 minutes per person (forum.ratelimits.POSTING): five on each
    host use it up, and the next is refused on either."""
    client = signed_in(forum, "counted")
    a, b = (host.port for host in forum.hosts)
    for number in range(10):
        client.port = a if number % 2 else b
        assert new_thread(client, f"Vraag nummer {number + 1}")[0] == 302, number
    for port in (a, b):
        client.port = port
        assert new_thread(client, "Een vraag te veel")[0] == 429, port


def test_a_post_written_through_one_host_is_shown_at_once_by_the_other(forum):
    visitor = Client(forum.hosts[1].port)
    assert "Net geschreven op host A" not in kept_on(visitor, "/werkveld/school")
    writer = signed_in(forum, "writer", host=0)
    assert new_thread(writer, "Net geschreven op host A")[0] == 302
    assert "Net geschreven op host A" in visitor.get_ok("/werkveld/school")
    assert "Net geschreven op host A" in visitor.get_ok("/")


def test_a_moderators_lock_on_one_host_is_seen_on_the_other(forum):
    writer = signed_in(forum, "writer", host=1)
    status, location = new_thread(writer, "Wordt straks gesloten")
    assert status == 302
    path = f"/gesprek/{THREAD_PATH.search(location).group(1)}"
    visitor = Client(forum.hosts[1].port)
    assert LOCKED not in kept_on(visitor, path)
    moderator = signed_in(forum, "moderator", host=0)
    page = moderator.get_ok(path)
    status, _location, _text = moderator.request(
        "POST", f"/moderatie{path}/sluiten", {"csrf_token": csrf_token(page)}
    )
    assert status == 302
    assert LOCKED in visitor.get_ok(path)
    assert LOCKED in writer.get_ok(path)


def test_two_workers_at_once_send_each_queued_mail_exactly_once(forum):
    run = secrets.token_hex(3)
    subjects = [f"Bericht {run}-{number}" for number in range(60)]
    with forum.app.app_context():
        for subject in subjects:
            outbox.enqueue("ontvanger@example.org", subject, "Een bericht voor de test.")
        db.session.commit()
        db.session.remove()
    port = free_port()
    # A slow server: the first worker is still sending when the second one looks for mail.
    sink = MailSink(port, delay=0.05)
    env = forum.env(FORUM_MAIL_URL=f"smtp://127.0.0.1:{port}")
    try:
        workers = [
            subprocess.Popen(  # noqa: S603 (our own command line)
                [FLASK, "--app", "forum", "worker", "--once"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    finally:
        sink.stop()
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    received = Counter(str(message_from_bytes(raw)["Subject"]) for raw in sink.received)
    assert {subject: received[subject] for subject in subjects} == dict.fromkeys(subjects, 1)
    with forum.app.app_context():
        unsent = db.session.scalar(
            sa.select(sa.func.count()).where(
                outbox.OutboxMessage.subject.in_(subjects), outbox.OutboxMessage.sent_at.is_(None)
            )
        )
        db.session.remove()
    assert unsent == 0
    # Every mail was sent by one of the two, and only once ("N message(s) sent" each).
    sent = [int(SENT.search(output).group(1)) for output in outputs]
    assert sum(sent) == len(subjects), outputs
