"""The PostgreSQL index: ``search_documents`` (post id → tsvector) with a GIN index.

The vector is computed by PostgreSQL with the ``dutch`` configuration: the Snowball stemmer
("ouders" finds "ouder", "gesprekken" finds "gesprek"; it also folds diacritics), the title
weighted A, the text B. A separate table rather than a generated column on ``posts``: a
generated column can only read its own row, and the title lives on ``threads``. The foreign
key (ON DELETE CASCADE) removes the entry of a deleted post.

Queries are built from ``plainto_tsquery``/``phraseto_tsquery`` of the clean words, as bound
parameters, combined with ``tsquery_and``/``tsquery_or``/``tsquery_not``: nothing a person
types is parsed as tsquery syntax, so no input can raise a syntax error.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR, insert

from forum.db import db
from forum.discussions.models import Post, Thread
from forum.search.backend import Hits, documents
from forum.search.query import SearchQuery, Term
from forum.search.snippets import START, STOP

NAME = "search_documents"
TABLES = frozenset({NAME})
DOCUMENTS = sa.table(NAME, sa.column("post_id", sa.Integer), sa.column("document", TSVECTOR))
CONFIG = sa.literal_column("'dutch'::regconfig")
TITLE_OPTIONS = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
SNIPPET_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


def vector(title: sa.ColumnElement[str], body: sa.ColumnElement[str]) -> sa.ColumnElement:
    weighted_title = sa.func.setweight(sa.func.to_tsvector(CONFIG, title), sa.literal_column("'A'"))
    weighted_body = sa.func.setweight(sa.func.to_tsvector(CONFIG, body), sa.literal_column("'B'"))
    return weighted_title.op("||")(weighted_body)


def upsert(which: sa.ColumnElement[bool]) -> None:
    rows = documents(which).subquery()
    title, body = rows.c[1], rows.c[2]
    select = sa.select(rows.c.id, vector(title, body))
    stmt = insert(DOCUMENTS).from_select(["post_id", "document"], select)
    stmt = stmt.on_conflict_do_update(
        index_elements=["post_id"], set_={"document": stmt.excluded.document}
    )
    db.session.execute(stmt)


def forget(post_ids: sa.Select | list[int]) -> None:
    db.session.execute(sa.delete(DOCUMENTS).where(DOCUMENTS.c.post_id.in_(post_ids)))


def forget_orphans() -> None:
    pass  # the foreign key cascades: an entry cannot outlive its post


def compact() -> None:
    pass  # VACUUM (run by autovacuum) reclaims dead rows; it cannot run inside a transaction


def term_query(term: Term) -> sa.ColumnElement:
    text = sa.literal(term.text, sa.Text)  # a bound parameter
    if len(term.words) > 1:
        return sa.func.phraseto_tsquery(CONFIG, text)
    return sa.func.plainto_tsquery(CONFIG, text)


def any_of(terms: tuple[Term, ...]) -> sa.ColumnElement:
    result = term_query(terms[0])
    for term in terms[1:]:
        result = sa.func.tsquery_or(result, term_query(term))
    return result


def tsquery(query: SearchQuery) -> sa.ColumnElement:
    result = any_of(query.groups[0])
    for group in query.groups[1:]:
        result = sa.func.tsquery_and(result, any_of(group))
    if query.excluded:
        result = sa.func.tsquery_and(result, sa.func.tsquery_not(any_of(query.excluded)))
    return result


def hits(query: SearchQuery) -> Hits:
    tsq = tsquery(query)
    document = DOCUMENTS.c.document
    # Only stop words ("de het") or only exclusions left: an empty or non-indexable query would
    # make the GIN index read every entry. querytree() says so; PostgreSQL checks it once.
    indexable = sa.func.querytree(tsq).not_in(["", "T"])
    rank = sa.func.ts_rank(document, tsq, 1)  # 1: divided by 1 + log(length)
    return Hits(
        source=DOCUMENTS,
        post_id=DOCUMENTS.c.post_id,
        condition=sa.and_(indexable, document.op("@@")(tsq)),
        order_by=(rank.desc(), DOCUMENTS.c.post_id.desc()),
        newest=(DOCUMENTS.c.post_id.desc(),),
        title=sa.func.ts_headline(CONFIG, Thread.title, tsq, TITLE_OPTIONS),
        snippet=sa.func.ts_headline(CONFIG, Post.body_text, tsq, SNIPPET_OPTIONS),
    )
