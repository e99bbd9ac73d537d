"""A post and everything written with it (counters, search index, follows) are one transaction:
a request that dies before its commit leaves nothing behind, on SQLite too.

Found by ``bench/load.py``'s kill-sqlite scenario: a post stored, its thread's reply counter not.
The writing services guard a double submit with a SAVEPOINT; Python's sqlite3 starts a
transaction only before INSERT, UPDATE or DELETE, so a SAVEPOINT came first and was its own
transaction, and releasing it committed the post on the spot.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from forum.db import db
from forum.discussions import services
from forum.discussions.models import Post, Thread
from tests.helpers import PostRef, set_site, write_thread


def seen_elsewhere(app: Flask, body: str) -> int:
    """Posts with ``body`` as another connection (another worker) sees them."""
    with app.app_context():
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            with engine.connect() as connection:
                return connection.execute(
                    sa.select(sa.func.count()).select_from(Post).where(Post.body_source == body)
                ).scalar_one()
        finally:
            engine.dispose()


def reply_count(app: Flask, thread_id: int) -> int:
    with app.app_context():
        count = db.session.get(Thread, thread_id).reply_count
        db.session.remove()
    return count


@pytest.fixture
def thread(app, users) -> PostRef:
    """An open thread whose author replies without waiting."""
    set_site(app, "trust_threshold", "0")
    return write_thread(app, users.make(name="Schrijver Sam"))


def reply_uncommitted(thread: PostRef, body: str) -> None:
    """A reply written in the current request, not committed yet."""
    opening = db.session.get(Post, thread.id)
    services.reply(db.session.get(Thread, thread.thread_id), opening.author, body)


def test_a_reply_is_invisible_until_its_commit_and_gone_after_a_rollback(app, thread):
    body = "Deze reactie haalt haar commit niet."
    with app.test_request_context():
        reply_uncommitted(thread, body)
        assert seen_elsewhere(app, body) == 0  # not committed: no other worker may see it
        db.session.rollback()  # what a killed worker's open transaction becomes
        db.session.remove()
    assert seen_elsewhere(app, body) == 0
    assert reply_count(app, thread.thread_id) == 0


def test_a_committed_reply_comes_with_its_counter(app, thread):
    body = "Deze reactie wordt wel bewaard."
    with app.test_request_context():
        reply_uncommitted(thread, body)
        db.session.commit()
        db.session.remove()
    assert seen_elsewhere(app, body) == 1
    assert reply_count(app, thread.thread_id) == 1
