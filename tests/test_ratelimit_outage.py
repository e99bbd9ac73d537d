"""Redis down: the rate limits fall back to each process's memory and nobody gets a 500.

The limits' storage is a Redis address where nothing listens (what a stopped Redis looks like to
the forum); ``bench/load.py`` also kills a real Redis in the middle of a run.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from forum import create_app
from forum.db import db
from forum.discussions.models import Post
from forum.extensions import limiter
from tests.helpers import csrf_token, login, set_site, write_thread

KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')
POSTS_PER_10_MINUTES = 10  # forum.ratelimits.POSTING


@pytest.fixture
def limiter_state() -> Iterator[None]:
    """The limiter is one object for every app: put back what a test's own app changed in it."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


@pytest.fixture
def redis_down(app: Flask, limiter_state) -> Iterator[Flask]:
    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0",
        }
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def reply(client, thread_id: int, body: str):
    page = client.get(f"/gesprek/{thread_id}")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token(page.text),
        "submission_key": KEY_RE.search(page.text)[1],
        "body": body,
        "submit": "Plaatsen",
    }
    return client.post(f"/gesprek/{thread_id}/reageren", data=form)


def replies_in(app: Flask, thread_id: int) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count(Post.id)).where(
                Post.thread_id == thread_id, Post.is_opening.is_(False)
            )
        ).scalar_one()
        db.session.remove()
    return count


def test_with_redis_unreachable_posting_works_and_the_limit_still_holds(app, users, redis_down):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    thread = write_thread(app, author)
    client = redis_down.test_client()
    login(client, author.email)
    answers = [
        reply(client, thread.thread_id, f"Reactie {number}.").status_code
        for number in range(POSTS_PER_10_MINUTES + 1)
    ]
    assert answers == [302] * POSTS_PER_10_MINUTES + [429]  # counted in memory instead
    assert replies_in(app, thread.thread_id) == POSTS_PER_10_MINUTES


def test_redis_lost_between_the_check_and_the_count_keeps_the_post(app, users, monkeypatch):
    """A stored post is counted after its view ran: Redis going away in between must not turn
    the stored post into a 500."""
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    thread = write_thread(app, author)
    client = app.test_client()
    login(client, author.email)

    def gone(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")

    # The check before the view only tests the limit; ``hit`` is the count after it.
    monkeypatch.setattr(limiter.limiter, "hit", gone)
    assert reply(client, thread.thread_id, "Net voor de storing.").status_code == 302
    assert replies_in(app, thread.thread_id) == 1
