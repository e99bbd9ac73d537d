"""Helpers for HTTP tests: read the CSRF token from the real form, log in, make people."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role
from forum.core.models import Setting
from forum.db import db, reading_engine, utcnow

PASSWORD = "een-lang-wachtwoord"
DEFAULT_SETTINGS = [
    {
        "id": 1,
        "slug": "school",
        "name_nl": "Onderwijs",
        "name_en": "Education",
        "position": 1,
        "archived": False,
        "premoderated": False,
        "thread_count": 0,
        "post_count": 0,
        "last_activity_at": None,
    },
    {
        "id": 2,
        "slug": "childcare",
        "name_nl": "Kinderopvang",
        "name_en": "Childcare",
        "position": 2,
        "archived": False,
        "premoderated": False,
        "thread_count": 0,
        "post_count": 0,
        "last_activity_at": None,
    },
    {
        "id": 3,
        "slug": "neighbourhood",
        "name_nl": "Wijk",
        "name_en": "Neighbourhood",
        "position": 3,
        "archived": False,
        "premoderated": False,
        "thread_count": 0,
        "post_count": 0,
        "last_activity_at": None,
    },
]
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return next(group for group in match.groups() if group)


def submit(
    client: FlaskClient,
    url: str,
    data: Mapping[str, Any],
    form_url: str | None = None,
    **kwargs: Any,
) -> TestResponse:
    """Open the page with the form (``form_url``, default ``url``), then post ``data`` with its
    CSRF token, as a browser would."""
    page = client.get(form_url or url)
    assert page.status_code == 200, f"GET {form_url or url} gave {page.status_code}"
    return client.post(url, data={**data, "csrf_token": csrf_token(page.text)}, **kwargs)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    response = submit(client, "/account/inloggen", {"email": email, "password": password})
    assert response.status_code == 302, f"login as {email} failed: {response.status_code}"
    return response


@dataclass
class PersonRef:
    """A person made by the factory: plain values, usable outside an app context."""

    id: int
    email: str
    name: str
    password: str = PASSWORD


class UserFactory:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0

    def make(
        self,
        email: str | None = None,
        name: str | None = None,
        roles: Iterable[str] = (),
        verified: bool = True,
        approved: bool = True,
        password: str = PASSWORD,
        setting_id: int = 1,
        profession: Profession = Profession.LEERKRACHT,
    ) -> PersonRef:
        self.count += 1
        email = email or f"persoon{self.count}@example.org"
        name = name or f"Persoon {self.count}"
        with self.app.app_context():
            setting = db.session.get(Setting, setting_id)
            info = accounts.RegistrationInfo(
                email=email,
                display_name=name,
                password=password,
                profession=profession,
                main_setting=setting,
                research_consent=False,
            )
            user = accounts.register(info, approved=approved, verified=verified)
            assert user is not None
            accounts.apply_roles(user, [Role(r) for r in roles])
            if verified:
                user.email_verified_at = utcnow()
            db.session.commit()
            ref = PersonRef(user.id, email, name, password)
            db.session.remove()
        return ref


# --- added for the foundation tests: query counts and mail links ---------------------------------


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement the app sends while the block runs (a list of strings)."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        # The page cache's check reads through an engine of its own on PostgreSQL.
        engines = {db.engine, reading_engine()}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before_cursor_execute)


def outbox(app: Flask, to: str | None = None) -> list[tuple[str, str, str]]:
    """(to_address, subject, body) of every queued mail, oldest first; optionally to one address."""
    from forum.notifications.outbox import OutboxMessage

    with app.app_context():
        stmt = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if to is not None:
            stmt = stmt.where(OutboxMessage.to_address == to)
        rows = [(m.to_address, m.subject, m.body) for m in db.session.execute(stmt).scalars()]
        db.session.remove()
    return rows


def link_in_mail(app: Flask, to: str, path_prefix: str) -> str:
    """The site-relative link starting with ``path_prefix`` in the newest mail to ``to``."""
    mails = outbox(app, to)
    assert mails, f"no mail to {to}"
    match = re.search(re.escape(path_prefix) + r"[^\s]*", mails[-1][2])
    assert match, f"no link {path_prefix}… in the mail to {to}: {mails[-1][2]!r}"
    return match.group(0)


# --- added for moderation: write posts through the real services ---------------------------------


@dataclass
class PostRef:
    id: int
    thread_id: int
    status: str


def write_thread(
    app: Flask,
    author: PersonRef,
    body: str = "Hoe betrek je ouders bij het eerste gesprek van het schooljaar?",
    title: str = "Ouders betrekken bij het startgesprek",
    setting_id: int = 1,
    kind: str = "question",
) -> PostRef:
    """Start a thread as ``author`` (screened like any post); returns the opening post."""
    from forum.accounts.models import User
    from forum.discussions import services
    from forum.discussions.models import ThreadKind

    with app.test_request_context():
        user = db.session.get(User, author.id)
        setting = db.session.get(Setting, setting_id)
        post = services.start_thread(user, setting, ThreadKind(kind), title, body)
        db.session.commit()
        ref = PostRef(post.id, post.thread_id, post.status.value)
        db.session.remove()
    return ref


def write_reply(
    app: Flask,
    author: PersonRef,
    thread_id: int,
    body: str = "Wij beginnen altijd met de vraag wat ouders zelf belangrijk vinden.",
) -> PostRef:
    from forum.accounts.models import User
    from forum.discussions import services
    from forum.discussions.models import Thread

    with app.test_request_context():
        user = db.session.get(User, author.id)
        thread = db.session.get(Thread, thread_id)
        post = services.reply(thread, user, body)
        db.session.commit()
        ref = PostRef(post.id, post.thread_id, post.status.value)
        db.session.remove()
    return ref


def set_site(app: Flask, key: str, value: str) -> None:
    """Change a site setting (trust_threshold, report_limit, public_read, …) as an admin would."""
    from forum.core import site

    with app.test_request_context():
        site.set_value(key, value)
        db.session.commit()
        db.session.remove()


def post_status(app: Flask, post_id: int) -> str:
    from forum.discussions.models import Post

    with app.app_context():
        post = db.session.get(Post, post_id)
        status = post.status.value if post else "gone"
        db.session.remove()
    return status
