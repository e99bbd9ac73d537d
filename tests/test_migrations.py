"""One Alembic history builds the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from forum import create_app
from forum.core.models import Setting
from forum.db import db


def test_fresh_sqlite_database_upgrades_checks_clean_and_downgrades(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        try:
            upgrade()
            check()  # SystemExit when the models and the migrations disagree
            settings = db.session.execute(db.select(Setting).order_by(Setting.position)).scalars()
            assert [(s.slug, s.name_nl, s.archived) for s in settings] == [
                ("school", "Onderwijs", False),
                ("childcare", "Kinderopvang", False),
                ("neighbourhood", "Wijk", False),
            ]
            db.session.remove()
            tables = set(sa.inspect(db.engine).get_table_names())
            assert set(db.metadata.tables) <= tables

            downgrade(revision="base")
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}

            upgrade()  # and back up again, as a deploy after a rollback would
            check()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_session_database_matches_the_models(app):
    """The session database (PostgreSQL when FORUM_TEST_DATABASE_URL is set) was built by
    ``upgrade()`` in conftest; the models must agree with it too."""
    with app.app_context():
        check()
        names = {s.slug for s in db.session.execute(db.select(Setting)).scalars()}
        assert {"school", "childcare", "neighbourhood"} <= names
        db.session.remove()
