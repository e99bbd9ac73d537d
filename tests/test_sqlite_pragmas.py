"""SQLite as production uses it: the app's own engine on a file database, configured the way
``make run`` and gunicorn configure it (``FORUM_DATABASE_URL``), gives every connection WAL, a
busy timeout and enforced foreign keys (``forum.register_sqlite_pragmas``).

Without WAL a reader blocks a writer; without the timeout a second writer fails at once with
"database is locked" instead of waiting; without foreign keys a reply can point at a deleted
thread. Each of these is off by default in SQLite, per connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from forum import create_app
from forum.db import db, reading_engine


@pytest.fixture
def file_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app built from the environment, as in production, on a new SQLite file."""
    monkeypatch.setenv("FORUM_DATABASE_URL", f"sqlite:///{tmp_path / 'forum.db'}")
    app = create_app({"RATELIMIT_STORAGE_URI": "memory://"})
    yield app
    with app.app_context():
        db.engine.dispose()


def pragma(connection: sa.Connection, name: str) -> object:
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_connection_has_wal_busy_timeout_and_foreign_keys(file_app, tmp_path):
    with file_app.app_context():
        engine = db.engine
        assert engine.url.database == str(tmp_path / "forum.db")
        # Two connections at once: the pool's second one is set up the same way.
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                assert pragma(connection, "journal_mode") == "wal"
                assert pragma(connection, "busy_timeout") == 5000
                assert pragma(connection, "foreign_keys") == 1
        # The page cache's quick reads use the same engine on SQLite.
        assert reading_engine() is engine


def test_foreign_keys_are_enforced_not_only_declared(file_app):
    with file_app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, "
            "parent_id INTEGER NOT NULL REFERENCES parent (id))"
        )
        with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"):
            connection.exec_driver_sql("INSERT INTO child (parent_id) VALUES (42)")


def test_a_second_writer_waits_instead_of_failing(file_app):
    """While one connection holds the write lock, another's write waits (busy timeout) and
    succeeds once the first commits: no "database is locked"."""
    import threading
    import time

    with file_app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        errors: list[Exception] = []

        def second_writer() -> None:
            try:
                with engine.begin() as waiting:
                    waiting.exec_driver_sql("INSERT INTO note (text) VALUES ('tweede')")
            except Exception as error:  # reported below, in the test's own thread
                errors.append(error)

        with engine.connect() as holder:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            holder.exec_driver_sql("INSERT INTO note (text) VALUES ('eerste')")
            writer = threading.Thread(target=second_writer)
            writer.start()
            time.sleep(0.3)  # the second writer is now waiting for the lock
            assert writer.is_alive()
            holder.commit()
        writer.join(timeout=10)
        assert errors == []
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar() == 2
