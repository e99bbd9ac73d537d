"""Shared steps for the following and notification tests: write through the real forms, read
what was stored."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum.db import db
from forum.notifications.models import Notification, SettingFollow, ThreadFollow, ThreadRead
from tests.helpers import submit

WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)", re.I)


def key() -> str:
    return secrets.token_hex(16)


def start_thread(client: FlaskClient, title: str = "Een vader komt nooit", **fields) -> int:
    """Start a thread through the form; returns its id."""
    data = {"setting": "1", "kind": "question", "title": title, "body": "Hoe pak jij dat aan?"}
    response = submit(client, "/gesprek/nieuw", {**data, "submission_key": key(), **fields})
    assert response.status_code == 302, response.text
    return int(re.match(r"/gesprek/(\d+)", response.headers["Location"]).group(1))


def reply(client: FlaskClient, thread_id: int, body: str = "Herkenbaar!") -> TestResponse:
    data = {"body": body, "submission_key": key()}
    response = submit(
        client, f"/gesprek/{thread_id}/reageren", data, form_url=f"/gesprek/{thread_id}"
    )
    assert response.status_code == 302, response.text
    return response


READ_MARK = re.compile(
    r'<form method="post" action="(?P<action>/gesprek/\d+/gelezen)"[^>]*data-read-mark>'
    r"(?P<fields>.*?)</form>",
    re.S,
)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME_VALUE = re.compile(r'name="([^"]+)"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="([^"]+)"')


def read(client: FlaskClient, url: str) -> TestResponse:
    """Show a thread page and send its read mark, as static/js/reading.js does once the end of
    the posts is on screen. Returns the page."""
    page = client.get(url)
    assert page.status_code == 200, url
    mark = READ_MARK.search(page.text)
    if mark is not None:
        fields = {}
        for tag in HIDDEN.findall(mark.group("fields")):
            found = NAME_VALUE.search(tag)
            name, value = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
            fields[name] = value
        sent = client.post(mark.group("action"), data=fields, headers={"X-Requested-With": "fetch"})
        assert sent.status_code == 204, sent.status_code
    return page


def press(client: FlaskClient, url: str, page: str, **data) -> TestResponse:
    """Press a POST button found on ``page``."""
    return submit(client, url, data, form_url=page)


def approve(moderator_client: FlaskClient, post_id: int) -> None:
    page = f"/moderatie/bericht/{post_id}"
    assert press(moderator_client, f"{page}/goedkeuren", page).status_code == 302


def notices(app: Flask, user_id: int) -> list[tuple[str, int | None, int | None, bool]]:
    """(event, thread id, post id, unread) of the person's notifications, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        ).scalars()
        result = [(n.event, n.thread_id, n.post_id, n.read_at is None) for n in rows]
        db.session.remove()
    return result


def events(app: Flask, user_id: int) -> list[str]:
    return [event for event, *_ in notices(app, user_id)]


def followed_threads(app: Flask, user_id: int) -> set[int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(ThreadFollow.thread_id).where(ThreadFollow.user_id == user_id)
        ).scalars()
        result = set(rows)
        db.session.remove()
    return result


def followed_settings(app: Flask, user_id: int) -> set[int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(SettingFollow.setting_id).where(SettingFollow.user_id == user_id)
        ).scalars()
        result = set(rows)
        db.session.remove()
    return result


def read_row(app: Flask, user_id: int, thread_id: int) -> tuple | None:
    """(read_at, last_read_post_id) or None."""
    with app.app_context():
        row = db.session.execute(
            sa.select(ThreadRead.read_at, ThreadRead.last_read_post_id).where(
                ThreadRead.user_id == user_id, ThreadRead.thread_id == thread_id
            )
        ).first()
        db.session.remove()
    return tuple(row) if row else None


def plan(app: Flask, statement: str, parameters) -> str:
    """The query plan of a statement the app sent. On PostgreSQL sequential scans, bitmap scans
    and sorts are priced out, so the plan shows whether an index *can* serve the order (tiny
    test tables make anything cheap)."""
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                connection.exec_driver_sql(f"SET {setting} = off")
            rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        text = "\n".join(" ".join(str(v) for v in row) for row in rows)
        connection.rollback()
    return text


def slow_steps(explained: str, table: str) -> list[str]:
    """Plan lines that read a whole table or sort a whole result. An incremental sort on
    PostgreSQL (rows already in index order, ties sorted) is not one of them."""
    slow = re.compile(rf"^\s*(->\s+)?Sort\s+\(|TEMP B-TREE|Seq Scan on {table}\b|SCAN {table}\b")
    return [line for line in explained.splitlines() if slow.search(line)]
