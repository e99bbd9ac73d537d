"""Two forum hosts (gunicorn, as in production) on one fresh PostgreSQL database and one Redis.

Nothing here skips: without PostgreSQL or redis-server the tests fail, saying which is missing.
The servers, Redis and the mail sink are bench's own (bench/http_servers.py,
bench/load_services.py); the database is made from ``PG_ADMIN_DSN`` and dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from psycopg import sql

from bench import http_servers
from bench.http_client import TOTP_SECRET
from bench.load_services import PrivateRedis
from forum import create_app
from forum.accounts.models import User
from forum.accounts.twofactor import services as twofactor
from forum.db import db
from tests.helpers import PersonRef, UserFactory, set_site

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")
PG_ADMIN_DSN = os.environ.get("PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
# The same on every host: a session cookie made on one is read on the other.
SHARED_KEYS = {
    "FORUM_SECRET_KEY": "scaleout-secret-" + secrets.token_hex(16),
    "FORUM_RESEARCH_KEY": "scaleout-research-" + secrets.token_hex(16),
}


@dataclass
class Forum:
    url: str  # the database
    redis_url: str
    hosts: tuple[http_servers.Server, http_servers.Server]
    app: Flask  # this process's own app on the same database, for setting things up
    people: dict[str, PersonRef]

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a forum process (web host or worker) of this forum."""
        return {**os.environ, **SHARED_KEYS, "FORUM_DATABASE_URL": self.url, **extra}


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """The suite's per-test cleaning is for its own database; these tests share one forum."""


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    name = f"forum_scaleout_{secrets.token_hex(4)}"
    try:
        _admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is unreachable at {PG_ADMIN_DSN} (PG_ADMIN_DSN): {error}")
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}/{name}"
    try:
        migrate = subprocess.run(  # noqa: S603 (our own command line)
            [FLASK, "--app", "forum", "db", "upgrade"],
            cwd=ROOT,
            env={**os.environ, "FORUM_DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        assert migrate.returncode == 0, f"flask db upgrade failed:\n{migrate.stderr[-3000:]}"
        yield url
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    try:
        redis = PrivateRedis()
    except SystemExit as error:  # bench's way of saying redis-server is missing or did not start
        pytest.fail(str(error))
    yield redis.url
    redis.kill()


def _people(app: Flask) -> dict[str, PersonRef]:
    """Members who write at once (trust threshold 0) and a moderator whose second sign-in step
    uses bench's secret (bench.http_client.Client gives the code)."""
    set_site(app, "public_read", "1")
    set_site(app, "trust_threshold", "0")
    factory = UserFactory(app)
    people = {
        name: factory.make(email=f"{name}@example.org", name=f"{name.title()} Scaleout")
        for name in ("traveller", "counted", "writer")
    }
    people["moderator"] = factory.make(
        email="moderator@example.org", roles=["moderator"], two_factor=False
    )
    with app.app_context():
        twofactor.enrol(db.session.get(User, people["moderator"].id), TOTP_SECRET)
        db.session.commit()
        db.session.remove()
    return people


@pytest.fixture(scope="session")
def forum(database_url: str, redis_url: str) -> Iterator[Forum]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    people = _people(app)
    overrides = {
        **SHARED_KEYS,
        "FORUM_RATELIMIT_ENABLED": "1",
        "FORUM_RATELIMIT_STORAGE_URL": redis_url,
        "FORUM_PAGE_CACHE_SECONDS": "300",
    }

    def start(name: str) -> http_servers.Server:
        return http_servers.start(
            f"scaleout-{name}", "wsgi:app", database_url, workers=2, env_overrides=overrides
        )

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(start, name) for name in ("a", "b")]
    servers, failures = [], []
    for future in futures:
        try:
            servers.append(future.result())
        except SystemExit as error:  # bench's "did not start; see <log>"
            failures.append(str(error))
    try:
        if failures:
            pytest.fail("; ".join(failures))
        yield Forum(database_url, redis_url, (servers[0], servers[1]), app, people)
    finally:
        for server in servers:
            server.stop()
        with app.app_context():
            db.engine.dispose()
