"""Speed, designed for a million posts: the results page runs the same, pinned number of queries
for 2 hits as for 12 (no query per result), matching and ranking run inside the index (FTS5 /
the GIN index), and the count stops at a cap."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.research.models import Code
from tests.helpers import count_queries, login, set_site
from tests.search.helpers import found, write

# Queries of the results page, observed and pinned: the person (member: person, roles, unread
# notifications; visitor: site settings), the werkvelden, the capped count, the page of hits
# (posts with threads, werkvelden and authors in one query) and the authors' roles (one IN
# query). A researcher also loads the codes for the code filter.
EXPECTED = {"member": 6, "visitor": 4, "researcher": 7}


@pytest.fixture
def authors(users):
    return [users.make(name=f"Schrijver {n}") for n in range(3)]


def fill(app, authors, total: int) -> None:
    with app.app_context():
        have = db.session.execute(sa.select(sa.func.count(Post.id))).scalar_one()
    for n in range(have, total):
        author = authors[n % len(authors)]
        write(app, author, f"Over wennen op de opvang, verhaal {n}.", title=f"Wennen {n}")


def measure(app, client) -> tuple[int, str]:
    assert client.get("/zoeken?q=wennen").status_code == 200  # warm up per-process caches
    with count_queries(app) as log:
        page = client.get("/zoeken?q=wennen")
    assert page.status_code == 200
    return len(log), page.text


@pytest.mark.parametrize("viewer", ["member", "visitor", "researcher"])
def test_the_results_page_runs_a_fixed_number_of_queries(
    app, client, users, authors, viewer, monkeypatch
):
    set_site(app, "trust_threshold", "0")
    # The page as rendered; a repeat view is one query (tests/test_pagecache.py and
    # tests/test_memberpages.py).
    monkeypatch.setitem(app.config, "FORUM_PAGE_CACHE_SECONDS", 0)
    if viewer == "visitor":
        set_site(app, "public_read", "1")
    else:
        roles = ["researcher"] if viewer == "researcher" else []
        login(client, users.make(name="Lezer", roles=roles).email)
    with app.app_context():
        db.session.add(Code(name="wennen"))
        db.session.commit()
        db.session.remove()
    fill(app, authors, 2)
    small, _ = measure(app, client)
    fill(app, authors, 12)
    large, page = measure(app, client)
    assert page.count('class="search-hit"') == 12
    assert small == large == EXPECTED[viewer]


def test_waiting_posts_do_not_change_the_count_of_queries_or_hits(
    app, client, users, authors, monkeypatch
):
    monkeypatch.setitem(app.config, "FORUM_PAGE_CACHE_SECONDS", 0)  # the page as rendered
    set_site(app, "trust_threshold", "0")
    login(client, users.make(name="Lezer").email)
    fill(app, authors, 3)
    before, _ = measure(app, client)
    write(app, authors[0], "Wennen gaat soms moeizaam.", status=PostStatus.PENDING)
    after, page = measure(app, client)
    assert before == after
    assert page.count('class="search-hit"') == 3


def search_statements(app, client, q: str) -> list[tuple[str, object]]:
    captured: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(f"/zoeken?q={q}").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return [(s, p) for s, p in captured if "search_index" in s or "search_documents" in s]


def plan(app, statement: str, parameters) -> str:
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Tiny test tables make any plan cheap; ask whether the GIN index *can* serve the
            # match, with each table read on its own (no scans of whole tables, no nested loops).
            # A GIN index is read by bitmap only; with plain index scans off too, statistics an
            # earlier test left behind cannot make a walk of the primary key look cheaper.
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_indexscan = off")
            connection.exec_driver_sql("SET enable_nestloop = off")
            rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        text = "\n".join(" ".join(str(v) for v in row) for row in rows)
        connection.rollback()
    return text


def test_matching_ranking_and_paging_happen_in_the_index(app, client, users, authors):
    set_site(app, "trust_threshold", "0")
    login(client, users.make(name="Lezer").email)
    fill(app, authors, 3)
    assert len(found(client, "wennen")) == 3
    count, page = search_statements(app, client, "wennen")
    for statement, _ in (count, page):
        assert "LIKE" not in statement.upper()
    assert "LIMIT" in count[0]
    assert "LIMIT" in page[0]
    assert "OFFSET" in page[0]
    for statement, parameters in (count, page):
        text = plan(app, statement, parameters)
        if "search_documents" in statement:
            assert "ix_search_documents_document" in text, text
        else:
            assert "VIRTUAL TABLE INDEX" in text, text
            assert text.index("search_index") < text.index("posts"), text  # the index leads
            assert "TEMP B-TREE" not in text, text  # FTS5 hands rows over in rank order
