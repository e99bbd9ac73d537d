"""The SQLite index: an FTS5 table ``search_index`` (title, body) whose rowid is the post id.

Tokenizer ``unicode61 remove_diacritics 2``: case and diacritics fold, so "reunie" finds
"reünie" and "ruzie" finds "Ruzie". SQLite has no Dutch stemmer; each typed word of four or more
letters matches as a prefix, and so does its Dutch stem ("ouders" → ouder*, "gesprekken" →
gesprek*), which comes close to PostgreSQL's stemming. Ranking is bm25 with the title counting
four times the text (set as the table's ``rank`` in the migration).

The table keeps its own copy of the text (not contentless, not external content): SQLite 3.40
cannot delete from a contentless table, and an external-content table needs the old text to
delete an entry, which an edit has just replaced. A trigger removes the entry of a deleted post
(the migration creates it), as the foreign key does on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

from forum.db import db
from forum.discussions.models import Post
from forum.search.backend import Hits, documents
from forum.search.query import SearchQuery, Term, stem
from forum.search.snippets import START, STOP

NAME = "search_index"
TABLES = frozenset(
    {NAME, *(f"{NAME}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config"))}
)
INDEX = sa.table(
    NAME,
    sa.column("rowid", sa.Integer),
    sa.column("title", sa.Text),
    sa.column("body", sa.Text),
    sa.column("rank", sa.Float),
)
# FTS5 functions and MATCH take the table itself, unqualified.
_TABLE = sa.literal_column(NAME)
PREFIX_FROM = 4  # shorter words match only whole: a prefix "de*" would expand to thousands
SNIPPET_TOKENS = 30


def upsert(which: sa.ColumnElement[bool]) -> None:
    insert = sa.insert(INDEX).prefix_with("OR REPLACE")
    db.session.execute(insert.from_select(["rowid", "title", "body"], documents(which)))


def forget(post_ids: sa.Select | list[int]) -> None:
    db.session.execute(sa.delete(INDEX).where(INDEX.c.rowid.in_(post_ids)))


def forget_orphans() -> None:
    db.session.execute(sa.delete(INDEX).where(INDEX.c.rowid.not_in(sa.select(Post.id))))


def compact() -> None:
    # 'optimize' merges every segment into one: entries of deleted or changed rows go for good.
    db.session.execute(sa.text("INSERT INTO search_index (search_index) VALUES ('optimize')"))


def quoted(words: tuple[str, ...]) -> str:
    # Words hold only letters, digits and marks (query.words_of); the doubling is belt and braces.
    return '"' + " ".join(words).replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """An FTS5 expression for one term: a phrase, or a word with its prefix and stem variants."""
    if term.exact or len(term.words) > 1:
        return quoted(term.words)
    word = term.words[0].lower()
    variants = [word]
    stemmed = stem(word)
    if stemmed != word and len(stemmed) >= PREFIX_FROM and not word.startswith(stemmed):
        variants.append(stemmed)
    elif stemmed != word and len(stemmed) >= PREFIX_FROM:
        variants = [stemmed]  # "ouders" → ouder* covers ouders* too
    parts = [quoted((v,)) + ("*" if len(v) >= PREFIX_FROM else "") for v in variants]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def match_expression(query: SearchQuery) -> str:
    """The MATCH string, built only from quoted clean words and FTS5's own operators."""
    groups = ["(" + " OR ".join(term_expression(t) for t in group) + ")" for group in query.groups]
    expression = " AND ".join(groups)
    if query.excluded:
        excluded = " OR ".join(quoted(term.words) for term in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def hits(query: SearchQuery) -> Hits:
    match = _TABLE.op("MATCH")(sa.bindparam("search_match", match_expression(query)))
    return Hits(
        source=INDEX,
        post_id=INDEX.c.rowid,
        condition=match,
        # The table's rank (weighted bm25): FTS5 sorts by it itself, so LIMIT stops early.
        order_by=(INDEX.c.rank,),
        title=sa.func.highlight(_TABLE, 0, START, STOP),
        snippet=sa.func.snippet(_TABLE, 1, START, STOP, "…", SNIPPET_TOKENS),
    )
