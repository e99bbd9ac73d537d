"""The SQLite index: an FTS5 table ``search_index`` (title, body) whose rowid is the post id.

Tokenizer ``unicode61 remove_diacritics 2``: case and diacritics fold, so "reunie" finds
"reünie" and "ruzie" finds "Ruzie". SQLite has no Dutch stemmer, so each typed word matches as a
handful of whole words: itself, its Dutch stem and the stem's usual endings (``word_forms``:
"ouders" → ouder, ouders, oudere, ouderen …; "gesprek" → gesprekken; "afspraken" → afspraak),
which comes close to PostgreSQL's stemming. Not prefixes: FTS5 reads every entry of every word
a prefix covers before it hands over the first row ("ouder*" is 300,000 entries at a million
posts, ~30 ms), while a few whole words are read lazily, newest first, and stop at the LIMIT.
Ranking is bm25 with the title counting four times the text (set as the table's ``rank`` in
the migration); bm25 reads every match to weigh the words, so the service asks for it only when
the matches are few (``Hits.order_by``) and otherwise takes the newest first (``Hits.newest``).

The table keeps its own copy of the text (not contentless, not external content): SQLite 3.40
cannot delete from a contentless table, and an external-content table needs the old text to
delete an entry, which an edit has just replaced. A trigger removes the entry of a deleted post
(the migration creates it), as the foreign key does on PostgreSQL.
"""

from __future__ import annotations

from functools import lru_cache

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
SNIPPET_TOKENS = 30
# The usual Dutch endings on a stem: plurals, inflected adjectives, verb forms, diminutives.
ENDINGS = ("", "s", "e", "en", "er", "eren", "je", "tje", "t", "te")
VOWELS = frozenset("aeiou")


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


def stem_variants(stemmed: str) -> set[str]:
    """The stem as Dutch spelling writes it before an ending: the stemmer undoubles and
    shortens ("gesprekken" → gesprek, "afspraak" → afsprak, "huizen" → huiz)."""
    variants = {stemmed}
    if len(stemmed) >= 3 and stemmed[-1] not in VOWELS:
        last, before = stemmed[-1], stemmed[-2]
        if before in VOWELS and stemmed[-3] not in VOWELS:
            variants.add(stemmed + last)  # gesprek → gesprekk(en)
            variants.add(stemmed[:-1] + before + last)  # afsprak → afspraak
        if last in "vz":
            variants.add(stemmed[:-1] + {"v": "f", "z": "s"}[last])  # briev → brief
    return variants


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """The whole words one typed word matches: itself, and its stem with the usual endings."""
    word = word.lower()
    bases = stem_variants(stem(word))
    forms = {word} | {base + ending for base in bases for ending in ENDINGS}
    return tuple(sorted(form for form in forms if len(form) > 1))


def term_expression(term: Term) -> str:
    """An FTS5 expression for one term: a phrase, or a word with its word forms."""
    if term.exact or len(term.words) > 1:
        return quoted(term.words)
    parts = [quoted((form,)) for form in word_forms(term.words[0])]
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
        # "+rowid" keeps the index leading: without statistics SQLite would rather walk the
        # posts by status and ask FTS5 once per post.
        post_id=sa.literal_column(f"+{NAME}.rowid", sa.Integer),
        condition=match,
        # The table's rank (weighted bm25): FTS5 sorts by it itself, so no sort step.
        order_by=(INDEX.c.rank,),
        # FTS5 hands matches over by rowid (= post id) in either direction, lazily.
        newest=(INDEX.c.rowid.desc(),),
        title=sa.func.highlight(_TABLE, 0, START, STOP),
        snippet=sa.func.snippet(_TABLE, 1, START, STOP, "…", SNIPPET_TOKENS),
    )
