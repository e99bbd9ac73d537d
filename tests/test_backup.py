"""``flask --app forum backup PATH`` while the forum runs: the copy restores and holds every post.

SQLite: the copy is opened as it is. PostgreSQL: the dump is restored with pg_restore into a
fresh database. A backup taken while a writer keeps posting is consistent: integrity_check ok,
and each thread's reply counter, written in the same transaction as the reply, matches the
replies in the copy.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask
from psycopg import sql

from forum.core import backup
from forum.db import db
from tests.helpers import set_site, write_reply, write_thread

POSTS = "SELECT body_source FROM posts ORDER BY id"
# Per thread: its reply counter and the approved replies it really has.
COUNTERS = (
    "SELECT t.id, t.reply_count, (SELECT count(*) FROM posts p WHERE p.thread_id = t.id "
    "AND p.is_opening = false AND p.status = 'approved') FROM threads t ORDER BY t.id"
)


def engine_name(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


def live_rows(app: Flask, query: str) -> list[tuple]:
    with app.app_context():
        rows = [tuple(row) for row in db.session.execute(sa.text(query))]
        db.session.remove()
    return rows


@contextmanager
def restored(app: Flask, path: Path) -> Iterator[sa.Connection]:
    """A connection to the database restored from the backup at ``path``."""
    if engine_name(app) == "sqlite":
        engine = sa.create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()
        return
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = f"forum_restore_{secrets.token_hex(4)}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    fresh = url.set(database=name)
    engine = sa.create_engine(fresh)
    try:
        result = subprocess.run(  # noqa: S603 (our own arguments)
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                f"--dbname={fresh.set(drivername='postgresql').render_as_string(False)}",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_backup(app: Flask, path: Path, *extra: str):
    if engine_name(app) == "postgresql" and shutil.which("pg_dump") is None:
        pytest.fail("this PostgreSQL run needs pg_dump (apt-get install postgresql-client)")
    return app.test_cli_runner().invoke(args=["backup", str(path), *extra])


@pytest.fixture
def forum_with_posts(app, users) -> list[str]:
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    first = write_thread(app, author, body="Hoe begin je het gesprek met een vader die boos is?")
    write_reply(app, author, first.thread_id, "Eerst luisteren, dan pas uitleggen.")
    second = write_thread(app, author, title="Oudergesprekken plannen", body="Wanneer plan jij?")
    write_reply(app, author, second.thread_id, "Bij ons in de eerste schoolweek.")
    return [row[0] for row in live_rows(app, POSTS)]


def test_the_backup_restores_with_every_post(app, forum_with_posts, tmp_path):
    target = tmp_path / "forum-backup"
    result = run_backup(app, target)
    assert result.exit_code == 0, result.output
    assert f"Backup written to {target}" in result.output
    with restored(app, target) as copy:
        assert [row[0] for row in copy.execute(sa.text(POSTS))] == forum_with_posts
        if copy.dialect.name == "sqlite":
            assert copy.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert copy.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "delete"
    assert len(forum_with_posts) == 4
    assert not list(tmp_path.glob(".*.part"))  # nothing half-written left beside it


def test_a_backup_taken_while_a_writer_writes_is_consistent(app, users, tmp_path):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    thread = write_thread(app, author)
    stop, written, failures = threading.Event(), [], []

    def writer() -> None:
        try:
            while not stop.is_set() and len(written) < 500:
                write_reply(app, author, thread.thread_id, f"Reactie {len(written)}.")
                written.append(len(written))
        except Exception as error:  # reported by the test below
            failures.append(error)

    loop = threading.Thread(target=writer)
    loop.start()
    try:
        while len(written) < 5 and loop.is_alive():
            threading.Event().wait(0.05)
        before = len(written)
        result = run_backup(app, tmp_path / "during.backup")
        during = len(written)
    finally:
        stop.set()
        loop.join(timeout=60)
    assert not failures, failures
    assert result.exit_code == 0, result.output
    assert during > before  # the writer really was writing while the copy was made
    with restored(app, tmp_path / "during.backup") as copy:
        counters = [tuple(row) for row in copy.execute(sa.text(COUNTERS))]
        replies = counters[0][2]
        if copy.dialect.name == "sqlite":
            assert copy.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert all(counter == real for _id, counter, real in counters)
    assert before <= replies <= len(written)


def test_an_existing_file_is_kept_unless_forced(app, forum_with_posts, tmp_path):
    target = tmp_path / "forum-backup"
    target.write_text("the backup of last night")
    refused = run_backup(app, target)
    assert refused.exit_code == 1
    assert "already exists" in refused.output
    assert target.read_text() == "the backup of last night"
    assert run_backup(app, target, "--force").exit_code == 0
    with restored(app, target) as copy:
        assert len(copy.execute(sa.text(POSTS)).all()) == len(forum_with_posts)


def test_without_pg_dump_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    url = sa.engine.make_url("postgresql+psycopg://forum@127.0.0.1:5432/forum")
    with pytest.raises(backup.BackupError, match=r"pg_dump was not found.*postgresql-client"):
        backup.write_backup(url, tmp_path / "forum.dump")
    assert list(tmp_path.iterdir()) == []


def test_sqlite_copy_of_a_database_in_wal_mode_is_one_file(tmp_path):
    """The copy needs no -wal file beside it: what the WAL held is in the copy."""
    live = tmp_path / "live.db"
    with closing(sqlite3.connect(live)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")  # keep the rows in the WAL
        connection.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, body_source TEXT)")
        connection.executemany("INSERT INTO posts (body_source) VALUES (?)", [("een",), ("twee",)])
        connection.commit()
        made = backup.write_backup(sa.engine.make_url(f"sqlite:///{live}"), tmp_path / "copy.db")
        assert Path(f"{live}-wal").stat().st_size > 0
    assert made.check == "integrity_check ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "live.db"]
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute(POSTS).fetchall() == [("een",), ("twee",)]
