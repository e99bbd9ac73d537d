"""Helpers for HTTP tests: read the CSRF token from the real form, log in, make people."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role
from forum.accounts.twofactor import services as twofactor
from forum.accounts.twofactor.models import TwoFactorSecret
from forum.core.models import Setting
from forum.db import db, reading_engine, utcnow

PASSWORD = "een-lang-wachtwoord"
# The authenticator-app secret of everyone the factory gives two-factor sign-in (staff, by
# default): tests compute the codes from it with pyotp, as the person's phone would.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_ROLES = {"moderator", "researcher", "admin"}
CODE_PATH = "/account/tweestapsverificatie/code"
SETUP_PATH = "/account/tweestapsverificatie/instellen"
SECRET_RE = re.compile(r'<p class="secret-key" id="sleutel">([A-Z2-7 ]+)</p>')
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
    """Sign in through the real forms, taking the second step when the forum asks for it: the
    code from the person's app, or (staff without it yet) setting it up from the page shown."""
    response = submit(client, "/account/inloggen", {"email": email, "password": password})
    assert response.status_code == 302, f"login as {email} failed: {response.status_code}"
    location = response.headers["Location"]
    if location.endswith(CODE_PATH):
        code = app_code(client.application, email)
        response = submit(client, CODE_PATH, {"code": code})
        assert response.status_code == 302, f"code step for {email}: {response.status_code}"
    elif location.endswith(SETUP_PATH):
        response = set_up_two_factor(client)
    return response


def set_up_two_factor(client: FlaskClient) -> TestResponse:
    """Set two-factor sign-in up on the page, as a person does: type the key shown into an
    app (here pyotp) and confirm with the code it gives. Returns the recovery codes page."""
    page = client.get(SETUP_PATH)
    assert page.status_code == 200, f"setup page: {page.status_code}"
    match = SECRET_RE.search(page.text)
    assert match, "no secret on the setup page"
    code = pyotp.TOTP(match.group(1).replace(" ", "")).now()
    response = client.post(SETUP_PATH, data={"code": code, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 200, f"confirming the setup: {response.status_code}"
    return response


def app_code(app: Flask, email: str) -> str:
    """The code the person's app shows for a sign-in now: as a person waits for the next code
    when they just used this one, it is the first time step after the last one used (waiting
    for it when that lies beyond the step the forum still takes, next to the current one)."""
    with app.app_context():
        user = accounts.user_by_email(email)
        assert user is not None, email
        row = db.session.get(TwoFactorSecret, user.id)
        assert row is not None, f"{email} has no two-factor sign-in"
        secret, last = row.secret, row.last_used_step
        db.session.remove()
    totp = pyotp.TOTP(secret)
    while True:
        now = time.time()
        step = int(now // totp.interval)
        wanted = step if last is None or last < step else last + 1
        if wanted <= step + twofactor.VALID_WINDOW:
            return totp.generate_otp(wanted)
        time.sleep((wanted - twofactor.VALID_WINDOW) * totp.interval - now + 0.05)


@dataclass
class PersonRef:
    """A person made by the factory: plain values, usable outside an app context."""

    id: int
    email: str
    name: str
    password: str = PASSWORD
    totp_secret: str | None = None


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
        two_factor: bool | None = None,
    ) -> PersonRef:
        """``two_factor``: on with ``TOTP_SECRET`` (default: for staff, who must have it)."""
        self.count += 1
        roles = list(roles)
        if two_factor is None:
            two_factor = not STAFF_ROLES.isdisjoint(roles)
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
            if two_factor:
                twofactor.enrol(user, TOTP_SECRET)
            db.session.commit()
            ref = PersonRef(user.id, email, name, password, TOTP_SECRET if two_factor else None)
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
