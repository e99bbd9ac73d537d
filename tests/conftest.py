"""Test fixtures: one app per test session on SQLite (or PostgreSQL when
``FORUM_TEST_DATABASE_URL`` is set), the real migrations, CSRF on, factories per role.

A PostgreSQL run that cannot connect fails at once; it never skips.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

os.environ.setdefault("FORUM_SECRET_KEY", "test-secret-key-not-for-production")

from forum import create_app, privacy
from forum.db import db
from tests.helpers import DEFAULT_SETTINGS, UserFactory


def database_url(tmp_dir: Path) -> str:
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(Path(tmp))
        application = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_STORAGE_URI": "memory://",
                "FORUM_MAIL_URL": "",
                "FORUM_BASE_URL": "",
                "SERVER_NAME": None,
            }
        )
        with application.app_context():
            engine = db.engine
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
            except sa.exc.OperationalError as error:
                pytest.exit(f"Test database {engine.url!r} is unreachable: {error}", returncode=3)
            if engine.dialect.name == "postgresql":
                # A fresh schema every run, built by the real migrations.
                with engine.begin() as connection:
                    connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                    connection.execute(sa.text("CREATE SCHEMA public"))
            upgrade()
        # Loaded once per test session, as once per host in production.
        privacy.load_model()
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app: Flask) -> Iterator[None]:
    """Every test starts from the migrated state: no people, the three default werkvelden."""
    from forum.extensions import limiter

    limiter.reset()
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                if table.name in ("settings", "content_generation"):
                    continue
                connection.execute(table.delete())
            settings = db.metadata.tables["settings"]
            connection.execute(settings.delete().where(settings.c.id > len(DEFAULT_SETTINGS)))
            for row in DEFAULT_SETTINGS:
                connection.execute(settings.update().where(settings.c.id == row["id"]).values(row))


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def users(app: Flask) -> UserFactory:
    return UserFactory(app)


@pytest.fixture
def member(users: UserFactory):
    return users.make(email="lid@example.org", name="Lid Linda")


@pytest.fixture
def moderator(users: UserFactory):
    return users.make(email="moderator@example.org", name="Moderator Mo", roles=["moderator"])


@pytest.fixture
def researcher(users: UserFactory):
    return users.make(email="onderzoek@example.org", name="Onderzoeker Ot", roles=["researcher"])


@pytest.fixture
def admin(users: UserFactory):
    return users.make(email="beheer@example.org", name="Beheerder Bea", roles=["admin"])
