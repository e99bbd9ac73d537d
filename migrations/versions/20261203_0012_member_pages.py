"""Members' pages kept per person: a page version per person, raised by the database itself
whenever one of their own rows changes (read positions, follows, notices, waiting edits, consent)

Revision ID: d0f5e3a10012
Revises: d0f5e3a10011
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d0f5e3a10012"
down_revision = "d0f5e3a10011"
branch_labels = None
depends_on = None

# table -> the column naming whose row it is (forum.core.memberpages.PERSONAL_TABLES, as of now)
PERSONAL = {
    "consent_records": "user_id",
    "notification_settings": "user_id",
    "notifications": "user_id",
    "pending_edits": "editor_id",
    "setting_follows": "user_id",
    "thread_follows": "user_id",
    "thread_reads": "user_id",
}

# Only for a person who still exists: a row going with its person (cascade) raises nothing.
SQLITE_RAISE = (
    "INSERT INTO page_versions (user_id, value) SELECT id, 1 FROM users WHERE id = {row}.{owner} "
    "ON CONFLICT (user_id) DO UPDATE SET value = page_versions.value + 1"
)

# PostgreSQL: the trigger only notes who changed in this transaction; the app raises their
# versions right before the commit, all at once and in id order (forum.core.memberpages), so
# two transactions never lock the same people in opposite orders (no deadlocks).
POSTGRES_FUNCTION = """
CREATE FUNCTION note_page_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner text := TG_ARGV[0];
    old_id integer;
    new_id integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_id := (to_jsonb(OLD) ->> owner)::integer; END IF;
    IF TG_OP <> 'DELETE' THEN new_id := (to_jsonb(NEW) ->> owner)::integer; END IF;
    INSERT INTO page_version_changes (txid, user_id)
    SELECT DISTINCT txid_current(), person FROM (VALUES (old_id), (new_id)) AS people (person)
    WHERE person IS NOT NULL;
    RETURN NULL;
END
$$
"""


def upgrade():
    op.create_table(
        "page_versions",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("value", sa.Integer(), nullable=False, server_default="0"),
    )
    # Who changed in a transaction, until its commit (PostgreSQL only; empty on SQLite).
    op.create_table(
        "page_version_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_page_version_changes_txid", "page_version_changes", ["txid"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table, owner in PERSONAL.items():
            op.execute(
                f"CREATE TRIGGER page_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION note_page_version_change('{owner}')"
            )
        return
    for table, owner in PERSONAL.items():
        # SQLite has one trigger per event; an update raises the old and the new person.
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = "; ".join(SQLITE_RAISE.format(row=row, owner=owner) for row in rows)
            op.execute(
                f"CREATE TRIGGER page_version_{table}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {body}; END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in PERSONAL:
            op.execute(f"DROP TRIGGER IF EXISTS page_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS note_page_version_change()")
    else:
        for table in PERSONAL:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS page_version_{table}_{event}")
    op.drop_index("ix_page_version_changes_txid", table_name="page_version_changes")
    op.drop_table("page_version_changes")
    op.drop_table("page_versions")
