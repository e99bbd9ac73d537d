"""Helpers for the search tests: write posts with a given status, search as a browser would and
read back what the results page shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.discussions import services
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from tests.helpers import PersonRef

HIT_LINK = re.compile(r'<h2 class="search-hit-title">\s*<a href="([^"]+)"')
COUNT = re.compile(r"(\d+) (?:resultaat|resultaten) voor")


@dataclass(frozen=True)
class Written:
    id: int
    thread_id: int
    is_opening: bool

    @property
    def href(self) -> str:
        """Where a result for this post links: the thread for an opening post, else the post."""
        return f"/gesprek/{self.thread_id}" if self.is_opening else f"/bericht/{self.id}"


def write(
    app: Flask,
    author: PersonRef,
    body: str,
    title: str = "Een gesprek over ouders",
    thread_id: int | None = None,
    status: PostStatus = PostStatus.APPROVED,
    setting_id: int = 1,
    kind: ThreadKind = ThreadKind.QUESTION,
) -> Written:
    """A thread (or, with ``thread_id``, a reply) through the real services, then given
    ``status`` the way moderators change it (``set_status``: counters stay right)."""
    with app.test_request_context():
        user = db.session.get(User, author.id)
        if thread_id is None:
            setting = db.session.get(Setting, setting_id)
            post = services.start_thread(user, setting, kind, title, body)
        else:
            post = services.reply(db.session.get(Thread, thread_id), user, body)
        if post.status is not status:
            services.set_status(post, status)
        db.session.commit()
        written = Written(post.id, post.thread_id, post.is_opening)
        db.session.remove()
    return written


def search(client: FlaskClient, q: str, **params: str) -> TestResponse:
    return client.get("/zoeken", query_string={"q": q, **params})


def found(client: FlaskClient, q: str, **params: str) -> list[str]:
    """The links of the results, best first (asserts the page answered 200)."""
    answer = search(client, q, **params)
    assert answer.status_code == 200, (q, answer.status_code)
    return HIT_LINK.findall(answer.text)


def shown_count(html: str) -> int:
    match = COUNT.search(html)
    return int(match.group(1)) if match else 0


def post_status(app: Flask, post_id: int) -> PostStatus:
    with app.app_context():
        status = db.session.get(Post, post_id).status
        db.session.remove()
    return status
