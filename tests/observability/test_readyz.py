"""/readyz: 200 while the database (and the rate limits' Redis, when used) answer, 503 naming
what failed; it answers a session the two-factor gate holds, and is never cached."""

from __future__ import annotations

import socket

import pytest

from tests.helpers import submit
from tests.observability.support import make_app_factory

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def make_app(app, monkeypatch):
    yield from make_app_factory(app, monkeypatch)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


def test_ready_without_redis(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok", "redis": "not used"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_ready_with_redis_answering(app, client, monkeypatch):
    # Only what /readyz reads: the limiter keeps the storage it was started with.
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", REDIS_URL)
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json  # fails when Redis is not running here
    assert answer.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_not_ready_when_redis_does_not_answer(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", f"redis://127.0.0.1:{closed_port()}")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "database": "ok", "redis": "unreachable"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=3",
        "sqlite:////nonexistent-directory/dorpsplein/forum.db",
    ],
)
def test_not_ready_when_the_database_does_not_answer(make_app, url):
    answer = make_app(SQLALCHEMY_DATABASE_URI=url).test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "database": "unreachable", "redis": "not used"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_session_held_at_the_code_step_still_gets_readiness(client, moderator):
    answer = submit(
        client, "/account/inloggen", {"email": moderator.email, "password": "een-lang-wachtwoord"}
    )
    assert answer.headers["Location"].endswith("/account/tweestapsverificatie/code")
    assert client.get("/gespreksregels").status_code == 302  # every page sends them to the step
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
