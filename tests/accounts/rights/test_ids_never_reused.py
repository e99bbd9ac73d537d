"""Migration 0015 on a SQLite database that holds people: the ``users`` table is rebuilt as
``AUTOINCREMENT`` without losing a row that refers to a person (the old table is dropped with
foreign keys off, so nothing cascades), and afterwards an id is never given twice."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from forum import create_app
from forum.db import db

BEFORE = "d0f5e3a10014"
PEOPLE = [(1, "a@example.org"), (2, "b@example.org"), (3, "c@example.org")]


def add_person(connection, user_id: int | None, email: str) -> int:
    columns = (
        "email, email_normalized, display_name, password_hash, profession, research_consent, "
        "locale, guidelines_accepted_at, approved, suspended_indefinitely, session_version, "
        "created_at, always_moderate"
    )
    values = (
        ":email, :email, :email, 'x', 'anders', 0, 'nl', CURRENT_TIMESTAMP, 1, 0, 1, "
        "CURRENT_TIMESTAMP, 0"
    )
    if user_id is not None:
        columns, values = "id, " + columns, ":id, " + values
    connection.execute(
        sa.text(f"INSERT INTO users ({columns}) VALUES ({values})"),  # noqa: S608
        {"id": user_id, "email": email},
    )
    return connection.execute(sa.text("SELECT max(id) FROM users")).scalar_one()


def test_the_rebuild_keeps_every_reference_and_ids_are_never_given_again(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/ids.db",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        try:
            upgrade(revision=BEFORE)
            with db.engine.begin() as connection:
                for user_id, email in PEOPLE:
                    add_person(connection, user_id, email)
                    connection.execute(
                        sa.text("INSERT INTO user_roles VALUES (:id, 'member', CURRENT_TIMESTAMP)"),
                        {"id": user_id},
                    )
            upgrade()
            with db.engine.begin() as connection:
                assert connection.execute(sa.text("SELECT count(*) FROM user_roles")).scalar() == 3
                assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
                assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
                connection.execute(sa.text("DELETE FROM users WHERE id = 3"))
                assert connection.execute(sa.text("SELECT count(*) FROM user_roles")).scalar() == 2
                assert add_person(connection, None, "d@example.org") == 4  # not 3 again
            downgrade(revision=BEFORE)  # and back: the plain table, every row still there
            with db.engine.begin() as connection:
                assert connection.execute(sa.text("SELECT count(*) FROM users")).scalar() == 3
                assert connection.execute(sa.text("SELECT count(*) FROM user_roles")).scalar() == 2
        finally:
            db.session.remove()
            db.engine.dispose()
