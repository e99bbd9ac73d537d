"""A read replica (FORUM_DATABASE_REPLICA_URL): list and search pages read it, everything else
reads the primary, and a person who just wrote reads the primary for a while.

The "replica" is a second database (a second SQLite file, or a second PostgreSQL database on
the test server) whose content differs from the primary's, so each page shows where it read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask_migrate import upgrade

from forum import create_app
from forum.core import replica
from forum.core.models import Setting
from forum.db import REPLICA_BIND, ReplicaWriteError, db
from tests.helpers import UserFactory, login, set_site, submit, write_thread

REPLICA_TITLE = "Alleen op de replica gezet"
REPLICA_WORD = "replicawoord"
PRIMARY_TITLE = "Alleen op de primaire database"
PRIMARY_WORD = "primairwoord"
REPLICA_SETTING = "Replicaveld"


def _second_database(app: Flask, tmp: Path) -> tuple[str, str | None]:
    """A URL for an empty second database beside the test database, and its PG name."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp / 'replica.db'}", None
    name = f"{url.database}_replica"[:63]
    _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(url, f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    return url.set(database=name).render_as_string(hide_password=False), name


def _pg_admin(url: sa.URL, statement: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="module")
def replica_url(app: Flask) -> Iterator[str]:
    """The second database, migrated, holding a thread and a werkveld name the primary lacks."""
    with tempfile.TemporaryDirectory() as tmp:
        url, pg_name = _second_database(app, Path(tmp))
        other = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://"}
        )
        try:
            with other.app_context():
                upgrade()
                db.session.execute(
                    sa.update(Setting).where(Setting.id == 1).values(name_nl=REPLICA_SETTING)
                )
                db.session.commit()
            set_site(other, "public_read", "1")
            author = UserFactory(other).make(email="replica@example.org", roles=["moderator"])
            body = f"Een vraag over {REPLICA_WORD} en het startgesprek met ouders."
            assert write_thread(other, author, title=REPLICA_TITLE, body=body).status == "approved"
            yield url
        finally:
            with other.app_context():
                db.engine.dispose()
            replica.replica_engine(url).dispose()
            if pg_name is not None:
                with app.app_context():
                    _pg_admin(db.engine.url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


@pytest.fixture
def with_replica(app: Flask, replica_url: str) -> Iterator[str]:
    app.config["FORUM_DATABASE_REPLICA_URL"] = replica_url
    yield replica_url
    app.config["FORUM_DATABASE_REPLICA_URL"] = ""


@pytest.fixture
def primary_thread(app: Flask, users: UserFactory) -> int:
    set_site(app, "public_read", "1")
    set_site(app, "trust_threshold", "0")  # members' posts appear at once
    author = users.make(email="primair@example.org", roles=["moderator"])
    body = f"Een vraag over {PRIMARY_WORD} en de eerste schooldag."
    ref = write_thread(app, author, title=PRIMARY_TITLE, body=body)
    assert ref.status == "approved"
    return ref.thread_id


def test_list_and_search_pages_read_the_replica(app, with_replica, primary_thread):
    visitor = app.test_client()
    for url in ("/", "/werkveld/school"):
        page = visitor.get(url).text
        assert REPLICA_TITLE in page, url
        assert PRIMARY_TITLE not in page, url
        assert REPLICA_SETTING in page, url
    found = visitor.get(f"/zoeken?q={REPLICA_WORD}").text
    assert REPLICA_TITLE in found
    assert PRIMARY_TITLE not in visitor.get(f"/zoeken?q={PRIMARY_WORD}").text


def test_thread_pages_and_forms_read_the_primary(app, with_replica, primary_thread, member):
    visitor = app.test_client()
    thread = visitor.get(f"/gesprek/{primary_thread}")
    assert thread.status_code == 200
    assert PRIMARY_TITLE in thread.text
    client = app.test_client()
    login(client, member.email)
    form = client.get("/gesprek/nieuw").text
    assert REPLICA_SETTING not in form
    assert "Onderwijs" in form


def test_the_writer_sees_their_own_post_on_the_list_a_visitor_the_replicas(
    app, with_replica, primary_thread, member, monkeypatch
):
    client = app.test_client()
    login(client, member.email)
    title = "Mijn eigen vraag over de ouderavond"
    data = {"setting": "1", "kind": "question", "title": title, "submission_key": "a" * 32}
    data["body"] = "Hoe bereiden jullie de ouderavond voor met het hele team?"
    assert submit(client, "/gesprek/nieuw", data).status_code == 302
    for url in ("/", "/werkveld/school"):
        assert title in client.get(url).text, url  # their own write, on the primary
        assert title not in app.test_client().get(url).text, url  # a visitor: the replica
    # Once the sticky window is over, they read the replica like everyone else.
    later = replica.time.time() + app.config["FORUM_REPLICA_STICKY_SECONDS"] + 2
    monkeypatch.setattr(replica.time, "time", lambda: later)
    page = client.get("/").text
    assert REPLICA_TITLE in page
    assert title not in page


def test_without_a_replica_everything_reads_the_primary(app, primary_thread):
    assert not app.config["FORUM_DATABASE_REPLICA_URL"]
    visitor = app.test_client()
    home = visitor.get("/").text
    assert PRIMARY_TITLE in home
    assert REPLICA_TITLE not in home
    assert PRIMARY_TITLE in visitor.get(f"/zoeken?q={PRIMARY_WORD}").text


def test_a_page_from_a_lagging_replica_is_never_kept(app, with_replica, primary_thread):
    """The page cache's stamp is read on the primary; a page rendered from a replica that has
    not caught up with it is not kept (or it would be served after the replica caught up)."""
    visitor = app.test_client()
    for _ in range(2):  # rendered each time, never kept
        assert visitor.get("/").headers.get("X-Page-Cache") is None
    with app.app_context():
        primary = db.session.scalar(sa.text("SELECT value FROM content_generation"))
        db.session.remove()
    writable = sa.create_engine(with_replica)
    with writable.begin() as connection:  # the replica catches up to the primary's counter
        old = connection.scalar(sa.text("SELECT value FROM content_generation"))
        connection.execute(sa.text("UPDATE content_generation SET value = :v"), {"v": primary})
    try:
        assert visitor.get("/").headers["X-Page-Cache"] == "miss"
        assert visitor.get("/").headers["X-Page-Cache"] == "hit"
    finally:
        with writable.begin() as connection:
            connection.execute(sa.text("UPDATE content_generation SET value = :v"), {"v": old})
        writable.dispose()


def test_a_write_while_reading_the_replica_raises(app, with_replica):
    with app.test_request_context():
        setattr(g, REPLICA_BIND, replica.replica_engine(with_replica))
        with pytest.raises(ReplicaWriteError):
            db.session.execute(sa.update(Setting).values(name_nl="Anders"))
        db.session.rollback()
        db.session.get(Setting, 1).name_nl = "Anders"
        with pytest.raises(ReplicaWriteError):
            db.session.flush()
        db.session.rollback()
        # And the replica's connections are read-only.
        engine = replica.replica_engine(with_replica)
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as connection:
            connection.execute(sa.text("UPDATE settings SET name_nl = 'Anders'"))
        db.session.remove()
