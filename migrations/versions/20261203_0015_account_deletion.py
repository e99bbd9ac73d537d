"""Account deletion and retention: ids never given twice, the worker's daily marks (issue 12)

Revision ID: d0f5e3a10015
Revises: d0f5e3a10014
Create Date: 2026-12-03 18:00:00

- ``users`` on SQLite becomes ``AUTOINCREMENT``. Without it SQLite gives a new row the highest id
  plus one, so deleting the newest account would hand its id to the next person: their research
  pseudonym (a keyed hash of the id), an old "remember me" cookie (id and session version) and
  unsubscribe links of the deleted person would then belong to someone else. PostgreSQL's
  sequence never gives an id twice already. SQLite cannot alter a primary key, so the table is
  rebuilt; foreign keys are off meanwhile (dropping the old table must not cascade to the rows
  that refer to it, which keep their ``REFERENCES users`` and point at the new table).
- ``job_marks``: small named bookmarks of periodic jobs (the day the daily purge last ran, how
  far the search index was compacted), each claimed in one guarded statement.
"""

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10015"
down_revision = "d0f5e3a10014"
branch_labels = None
depends_on = None

PLAIN_ID = "id INTEGER NOT NULL, "
COUNTING_ID = "id INTEGER NOT NULL CONSTRAINT pk_users PRIMARY KEY AUTOINCREMENT, "
TABLE_KEY = "CONSTRAINT pk_users PRIMARY KEY (id), "


def _counting(body: str) -> str:
    assert body.startswith(PLAIN_ID), body[:60]
    return COUNTING_ID + body.removeprefix(PLAIN_ID).replace(TABLE_KEY, "")


def _plain(body: str) -> str:
    assert body.startswith(COUNTING_ID), body[:60]
    columns, constraints = body.removeprefix(COUNTING_ID).split("CONSTRAINT ", 1)
    return PLAIN_ID + columns + TABLE_KEY + "CONSTRAINT " + constraints


def _rebuild_users(change: Callable[[str], str]) -> None:
    """Rebuild ``users`` on SQLite with its definition changed by ``change``. Runs as one script
    in a transaction of its own with foreign keys off, so the rows that refer to a person are left
    alone, and checks those references before it is done."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    ddl = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
    ).scalar_one()
    body = re.sub(r"\s+", " ", ddl.split("(", 1)[1]).strip()
    # Indexes and triggers go with the old table; they are made again on the new one.
    dependents = (
        bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name = 'users' AND sql IS NOT NULL"
            )
        )
        .scalars()
        .all()
    )
    raw = bind.connection.dbapi_connection
    keys_on = raw.execute("PRAGMA foreign_keys").fetchone()[0]
    script = "\n".join(
        [
            "PRAGMA foreign_keys = OFF;",
            "PRAGMA legacy_alter_table = ON;",
            "BEGIN;",
            f"CREATE TABLE users_rebuilt ({change(body)};",
            "INSERT INTO users_rebuilt SELECT * FROM users;",
            "DROP TABLE users;",
            "ALTER TABLE users_rebuilt RENAME TO users;",
            *(f"{sql};" for sql in dependents),
            "COMMIT;",
            "PRAGMA legacy_alter_table = OFF;",
            f"PRAGMA foreign_keys = {'ON' if keys_on else 'OFF'};",
        ]
    )
    # executescript first commits what this migration's transaction holds (only reads here).
    raw.executescript(script)
    broken = raw.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"users rebuild left broken references: {broken[:5]}")


def upgrade() -> None:
    op.create_table(
        "job_marks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_marks")),
    )
    _rebuild_users(_counting)


def downgrade() -> None:
    _rebuild_users(_plain)
    op.drop_table("job_marks")
