"""Migration 0006 builds the index on either database and fills it from the posts a forum
already has; downgrading removes it. On SQLite the trigger that forgets deleted posts is still
there at the head of the history (a later migration that rebuilds ``posts`` must keep it)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from forum import create_app
from forum.db import db, utcnow
from forum.search import services
from forum.search.query import parse

BEFORE_SEARCH = "ea336771596a"


def database_urls(tmp_path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path}/migration.db"
    url = os.environ.get("FORUM_TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        # A schema of its own in the test database: the session's schema is left alone.
        schema = f"search_migration_{secrets.token_hex(4)}"
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield f"{url}?options=-csearch_path%3D{schema}"
        finally:
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


def write_old_posts(connection: sa.Connection) -> None:
    now = utcnow()
    connection.execute(
        sa.text(
            "INSERT INTO threads (id, setting_id, kind, title, anonymous, status, locked, pinned,"
            " reply_count, created_at, last_activity_at) VALUES (1, 1, 'question',"
            " 'Wennen op de opvang', false, 'approved', false, false, 1, :now, :now)"
        ),
        {"now": now},
    )
    for post_id, opening, text in ((1, True, "Hoe lang duurt het?"), (2, False, "Een knuffel.")):
        connection.execute(
            sa.text(
                "INSERT INTO posts (id, thread_id, is_opening, anonymous, status, wait_reasons,"
                " body_source, body_html, body_text, created_at) VALUES (:id, 1, :opening, false,"
                " 'approved', '[]', :text, :text, :text, :now)"
            ),
            {"id": post_id, "opening": opening, "text": text, "now": now},
        )


def matches(word: str) -> set[int]:
    hits = services.backend().hits(parse(word))
    stmt = sa.select(hits.post_id).select_from(hits.source).where(hits.condition)
    return set(db.session.execute(stmt).scalars())


def test_the_migration_indexes_existing_posts_and_downgrades(tmp_path):
    tried = []
    for url in database_urls(tmp_path):
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://"}
        )
        with app.app_context():
            try:
                upgrade(revision=BEFORE_SEARCH)
                with db.engine.begin() as connection:
                    write_old_posts(connection)
                upgrade()
                tried.append(db.engine.dialect.name)
                assert matches("wennen") == {1}  # the title, on the opening post only
                assert matches("knuffels") == {2}
                tables = set(sa.inspect(db.engine).get_table_names())
                assert services.backend().TABLES & tables
                if db.engine.dialect.name == "sqlite":
                    trigger = sa.text(
                        "SELECT name FROM sqlite_master"
                        " WHERE type = 'trigger' AND tbl_name = 'posts'"
                    )
                    assert "search_index_forget_post" in db.session.execute(trigger).scalars().all()
                db.session.remove()

                downgrade(revision=BEFORE_SEARCH)
                tables = set(sa.inspect(db.engine).get_table_names())
                assert not (services.INDEX_TABLES & tables)
            finally:
                db.session.remove()
                db.engine.dispose()
    expected = ["sqlite"]
    if os.environ.get("FORUM_TEST_DATABASE_URL", "").startswith("postgresql"):
        expected.append("postgresql")
    assert tried == expected
