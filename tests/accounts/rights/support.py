"""Shared steps for the account-deletion tests: delete through the real form, read what stayed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.discussions.models import Post, Thread
from forum.discussions.services import recount
from tests.helpers import PASSWORD, submit

OWN = "/account/verwijderen"


def delete_own(
    client: FlaskClient, posts: str | None = "keep", password: str = PASSWORD
) -> TestResponse:
    data = {"password": password} | ({"posts": posts} if posts else {})
    return submit(client, OWN, data)


def delete_as_admin(
    client: FlaskClient, user_id: int, posts: str = "keep", password: str = PASSWORD
) -> TestResponse:
    return submit(
        client, f"/beheer/mensen/{user_id}/verwijderen", {"posts": posts, "password": password}
    )


def exists(app: Flask, user_id: int) -> bool:
    with app.app_context():
        found = db.session.get(User, user_id) is not None
        db.session.remove()
    return found


def post_row(app: Flask, post_id: int) -> dict | None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        row = None
        if post is not None:
            row = {
                "author_id": post.author_id,
                "status": post.status.value,
                "body": post.body_text,
                "title": post.thread.title,
                "consent": post.research_consent,
            }
        db.session.remove()
    return row


def _counter_rows() -> tuple:
    threads = db.session.execute(sa.select(Thread.id, Thread.reply_count).order_by(Thread.id))
    settings = db.session.execute(
        sa.select(Setting.id, Setting.thread_count, Setting.post_count).order_by(Setting.id)
    )
    return tuple(map(tuple, threads)), tuple(map(tuple, settings))


def counters_are_right(app: Flask) -> bool:
    """The stored counters (replies per thread, threads and posts per werkveld) equal what
    ``recount`` builds from the posts themselves (rolled back afterwards)."""
    with app.app_context():
        stored = _counter_rows()
        recount()
        rebuilt = _counter_rows()
        db.session.rollback()
        db.session.remove()
    return stored == rebuilt
