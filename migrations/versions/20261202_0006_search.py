"""Search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL

SQLite: the FTS5 table ``search_index`` (title, body; rowid = post id), ranked by bm25 with the
title weighing 4, and a trigger that drops a deleted post's entry. PostgreSQL: the table
``search_documents`` (post id → tsvector with the 'dutch' configuration; title weight A, text B),
a GIN index and a cascading foreign key. Both are filled from the existing posts; the models do
not describe them (forum.search.services.include_name keeps Alembic's comparison off them).

Revision ID: d0f5e3a10006
Revises: ea336771596a
Create Date: 2026-12-02 14:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "d0f5e3a10006"
down_revision = "ea336771596a"
branch_labels = None
depends_on = None

TITLE = "CASE WHEN p.is_opening THEN t.title ELSE '' END"
SOURCE = "FROM posts p JOIN threads t ON t.id = p.thread_id"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "search_documents",
            sa.Column("post_id", sa.Integer(), nullable=False),
            sa.Column("document", postgresql.TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(
                ["post_id"],
                ["posts.id"],
                name="fk_search_documents_post_id_posts",
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("post_id", name="pk_search_documents"),
        )
        op.create_index(
            "ix_search_documents_document",
            "search_documents",
            ["document"],
            postgresql_using="gin",
        )
        op.execute(
            "INSERT INTO search_documents (post_id, document) "
            f"SELECT p.id, setweight(to_tsvector('dutch', {TITLE}), 'A') "
            f"|| setweight(to_tsvector('dutch', p.body_text), 'B') {SOURCE}"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "title, body, tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(4.0, 1.0)')")
        op.execute(
            "CREATE TRIGGER search_index_forget_post AFTER DELETE ON posts "
            "BEGIN DELETE FROM search_index WHERE rowid = OLD.id; END"
        )
        op.execute(
            f"INSERT INTO search_index (rowid, title, body) SELECT p.id, {TITLE}, p.body_text {SOURCE}"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_search_documents_document", table_name="search_documents")
        op.drop_table("search_documents")
    else:
        op.execute("DROP TRIGGER IF EXISTS search_index_forget_post")
        op.execute("DROP TABLE IF EXISTS search_index")
