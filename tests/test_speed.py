"""Speed: the home page, a werkveld page and a thread page run the same, pinned number of SQL
queries however long the page is, and the list queries use their indexes (EXPLAIN on SQLite and
on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.core import site
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from tests.helpers import count_queries, login

# Queries per page, observed and pinned: a change here is a change in how pages load.
# A member costs 3 (the person, their roles, their unread notifications); a visitor 1 (the site
# settings: public reading?). Then: werkvelden; threads (+ the authors' roles, one IN query); on a
# werkveld page also the member's own waiting threads and, with a kind chosen, the page count (the
# werkveld's counter gives it otherwise); on a thread page the
# thread, the posts, the roles of the posts' authors, the page count and, for a member, which of
# their posts have an edit waiting. For a member, every thread list also asks which of its
# threads are unread (one query), a werkveld page whether they follow it, and a thread page
# where they read up to and whether they follow it (one query together).
EXPECTED = {
    "member": {"home": 6, "werkveld": 8, "werkveld-vraag": 9, "thread": 8},
    "visitor": {"home": 3, "werkveld": 3, "werkveld-vraag": 4, "thread": 4},
}


@pytest.fixture
def people(app, users):
    authors = [users.make(roles=["moderator"]).id for _ in range(4)]
    return {"authors": authors, "member": users.make(email="lezer@example.org")}


def grow(app, people, threads: int, posts: int) -> int:
    """Bring werkveld 'school' to ``threads`` approved threads and the first thread to ``posts``
    posts, written by several people, some without name; the reader has a waiting reply in it."""
    with app.app_context():
        authors = [db.session.get(User, i) for i in people["authors"]]
        school = db.session.get(Setting, 1)
        existing = db.session.scalars(sa.select(Thread).order_by(Thread.id)).all()
        for n in range(len(existing), threads):
            post = services.start_thread(
                authors[n % 4], school, list(ThreadKind)[n % 3], f"Gesprek {n}", "Tekst",
                anonymous=n % 2 == 1,
            )  # fmt: skip
            post.thread.pinned = n == 0
            post.thread.last_activity_at = utcnow() - timedelta(minutes=threads - n)
            existing.append(post.thread)
        first = existing[0]
        approved = sa.and_(Post.thread_id == first.id, Post.status == PostStatus.APPROVED)
        count = db.session.scalar(sa.select(sa.func.count()).where(approved))
        for n in range(count, posts):
            services.reply(first, authors[n % 4], f"Reactie {n}", anonymous=n % 3 == 0)
        reader = db.session.get(User, people["member"].id)
        if not db.session.scalar(sa.select(Post.id).where(Post.author_id == reader.id)):
            services.reply(first, reader, "Mijn reactie wacht nog")
        db.session.commit()
        return first.id


def urls(thread_id: int) -> dict[str, str]:
    return {
        "home": "/",
        "werkveld": "/werkveld/school",
        "werkveld-vraag": "/werkveld/school?soort=vraag",
        "thread": f"/gesprek/{thread_id}",
    }


def measure(app, client, thread_id: int) -> dict[str, int]:
    counts = {}
    for name, url in urls(thread_id).items():
        assert client.get(url).status_code == 200  # warm up: caches that live per process
        with count_queries(app) as log:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(log)
    return counts


@pytest.mark.parametrize("viewer", ["member", "visitor"])
def test_pages_run_a_fixed_number_of_queries(app, client, people, viewer, monkeypatch):
    # The pages as rendered; a repeat view is one query (tests/test_pagecache.py and
    # tests/test_memberpages.py).
    monkeypatch.setitem(app.config, "FORUM_PAGE_CACHE_SECONDS", 0)
    if viewer == "member":
        login(client, people["member"].email)
    else:
        with app.app_context():
            site.set_value("public_read", "1")
            db.session.commit()
    thread_id = grow(app, people, threads=2, posts=3)
    small = measure(app, client, thread_id)
    assert grow(app, people, threads=25, posts=30) == thread_id
    page = client.get(f"/gesprek/{thread_id}").text
    assert page.count('<article class="post') == 30  # 30 approved (+ the reader's own on page 2)
    assert client.get("/werkveld/school").text.count('class="thread-title"') == 25
    large = measure(app, client, thread_id)
    assert small == large
    assert large == EXPECTED[viewer]


# --- indexes -------------------------------------------------------------------------------------


@contextmanager
def statements(app) -> Iterator[list[tuple[str, object]]]:
    """Every statement with its parameters, as the driver received them."""
    found: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        found.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def plan(app, statement: str, parameters) -> str:
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Tiny test tables (and whatever statistics autovacuum gathered so far) make a scan
            # and a sort cheapest; ask whether the index *can* serve the filter and the order.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                connection.exec_driver_sql(f"SET {setting} = off")
            rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        text = "\n".join(" ".join(str(v) for v in row) for row in rows)
        connection.rollback()
    return text


def list_statement(app, client, url: str, order: str) -> tuple[str, object]:
    with statements(app) as found:
        assert client.get(url).status_code == 200
    matches = [
        (sql, params)
        for sql, params in found
        if sql.startswith("SELECT threads.") and "LIMIT" in sql and order in sql
    ]
    assert len(matches) == 1, [sql[:80] for sql, _ in found]
    return matches[0]


LISTS = {
    "werkveld": ("/werkveld/school", "ORDER BY threads.pinned DESC", "ix_threads_listing"),
    "werkveld by kind": (
        "/werkveld/school?soort=dilemma",
        "ORDER BY threads.pinned DESC",
        "ix_threads_listing_kind",
    ),
    "home": ("/", "ORDER BY threads.last_activity_at DESC", "ix_threads_latest"),
}
# Lists whose page ids come from the index first (forum.pagination.KeysFirstPagination): only
# the page's own rows, 25 at most, are then put in order.
KEYS_FIRST = {"werkveld", "werkveld by kind"}


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_use_their_index(app, client, people, name):
    grow(app, people, threads=30, posts=2)
    login(client, people["member"].email)
    url, order, index = LISTS[name]
    sql, params = list_statement(app, client, url, order)
    explained = plan(app, sql, params)
    if db_dialect(app) == "sqlite":
        assert f"USING INDEX {index} " in explained or f"USING COVERING INDEX {index} " in explained
        sorts = [line for line in explained.splitlines() if "TEMP B-TREE" in line]
        if name in KEYS_FIRST:  # a sort at the top (parent 0) orders the page's rows only
            sorts = [line for line in sorts if line.split()[1] != "0"]
        assert not sorts, explained
        assert "SCAN threads" not in explained, explained
    else:
        assert f" {index} on threads" in explained, explained
        walked = explained[explained.index("Limit") :] if name in KEYS_FIRST else explained
        assert "Sort" not in walked, explained
        assert "Seq Scan on threads" not in explained, explained


def test_thread_page_reads_posts_in_index_order(app, client, people):
    thread_id = grow(app, people, threads=1, posts=40)
    login(client, people["member"].email)
    with statements(app) as found:
        client.get(f"/gesprek/{thread_id}?page=2")
    [(sql, params)] = [(s, p) for s, p in found if s.startswith("SELECT posts.") and "LIMIT" in s]
    explained = plan(app, sql, params)
    # The page's ids come from the index alone, however deep the page; only those ≤ 30 rows are
    # then read (and put in order) — no scan or sort of the thread's posts.
    assert "ix_posts_thread_page" in explained, explained
    if "Index" not in explained:  # SQLite's words
        assert "COVERING INDEX ix_posts_thread_page" in explained, explained
    for slow in ("Seq Scan on posts", "SCAN posts"):
        assert slow not in explained, explained


def db_dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_only_approved_threads_are_listed_and_counted(app, client, people):
    """The list index covers status: waiting threads never reach the lists, whatever their age."""
    grow(app, people, threads=3, posts=1)
    with app.app_context():
        newest = db.session.scalars(sa.select(Thread).order_by(Thread.id.desc())).first()
        services.set_status(
            db.session.scalars(sa.select(Post).where(Post.thread_id == newest.id)).first(),
            PostStatus.PENDING,
        )
        db.session.commit()
    login(client, people["member"].email)
    page = client.get("/werkveld/school").text
    assert page.count('class="thread-title"') == 2
    assert "Gesprek 2" not in page
