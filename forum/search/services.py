"""The one search service: features call ``search``; writers call ``index_post``/``forget_post``.

Writers keep the index in step in their own transaction: ``discussions.services`` indexes a
post when it is stored and whenever its text or title changes, and forgets it when it is
deleted; redaction re-indexes the purged post. The index holds every post's text whatever its
status; what a person may see is decided here, at query time, by the same policy filters the
thread pages use (``policy.visible_posts`` and ``policy.visible_threads``). So a status change
(approve, hide, restore, reject, …) needs no index write, and results, snippets and counts never
show a post the searcher may not see.

Speed (designed for a million posts; a search page costs the same at 50,000 and 1,000,000):
the index leads every query and hands its matches over lazily; the count walks them in index
order, joined to posts and threads for the policy's filters, and stops at ``MAX_COUNTED``; one
query fetches the page with its threads, werkvelden and authors.

Order: when at most ``MAX_COUNTED`` matches are visible, best first (bm25 / ts_rank: ranking
reads every match, which is cheap when they are few). When there are more, the word is too
common for a ranking to say much and too common to rank cheaply (bm25 over 300,000 matches is
~0.7 s), so the newest matches come first: the person sees "more than 200 results" and recent
posts, and refines the search to rank. The count decides, so no extra query.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, current_app
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup, escape
from sqlalchemy.orm import contains_eager, defer, joinedload

from forum import policy
from forum.accounts.models import NAME_ONLY
from forum.db import db
from forum.discussions.models import Post, Thread
from forum.search import postgres, sqlite
from forum.search.backend import Backend, Hits
from forum.search.filters import ExtraFilter, SearchFilters
from forum.search.query import SearchQuery, parse
from forum.search.snippets import marked

PER_PAGE = 20
# Counting stops here ("more than 200"), pages go no further, and past it results come newest
# first instead of best first. Each counted match costs a look-up of its post and thread.
MAX_COUNTED = 200
INDEX_TABLES = sqlite.TABLES | postgres.TABLES


def backend() -> Backend:
    name = db.session.get_bind().dialect.name
    return postgres if name == "postgresql" else sqlite  # type: ignore[return-value]


# --- writing ----------------------------------------------------------------------------------


def index_post(post: Post) -> None:
    """Put the post's current text (and an opening post's thread title) in the index. Flushes."""
    db.session.flush()
    backend().upsert(Post.id == post.id)


def forget_post(post_id: int) -> None:
    """Take the post out of the index (before or after deleting it)."""
    backend().forget([post_id])


def forget_thread(thread_id: int) -> None:
    """Take every post of the thread out of the index (before deleting the thread)."""
    backend().forget(sa.select(Post.id).where(Post.thread_id == thread_id))


def reindex(batch_size: int = 2000, after_batch: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the posts, in batches by id; returns the number of posts.

    ``after_batch(n)`` runs after each batch (the command commits there and moves its progress
    bar), so a large rebuild never holds one long transaction.
    """
    index = backend()
    index.forget_orphans()
    done, last_id = 0, 0
    while True:
        ids = list(
            db.session.execute(
                sa.select(Post.id).where(Post.id > last_id).order_by(Post.id).limit(batch_size)
            ).scalars()
        )
        if not ids:
            break
        index.upsert(Post.id.between(ids[0], ids[-1]))
        done, last_id = done + len(ids), ids[-1]
        if after_batch is not None:
            after_batch(len(ids))
    index.compact()
    return done


def compact() -> None:
    """Merge the index so that removed and changed text leaves no trace in it (the retention
    purge, after redactions): FTS5 keeps old entries in segments until they merge. PostgreSQL
    needs nothing here; its autovacuum clears dead rows."""
    backend().compact()


def post_count() -> int:
    return db.session.execute(sa.select(sa.func.count(Post.id))).scalar_one()


# --- filters other rooms add ------------------------------------------------------------------


def register_filter(app: Flask, extra: ExtraFilter) -> None:
    app.extensions.setdefault("search_filters", {})[extra.arg] = extra


def extra_filters(viewer: Any) -> list[ExtraFilter]:
    """The registered filters this person may use."""
    registered = current_app.extensions.get("search_filters", {})
    return [extra for extra in registered.values() if extra.allowed(viewer)]


# --- searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    post: Post  # with its thread, werkveld and author loaded
    title: Markup  # the thread title; for an opening post with the matched words marked
    snippet: Markup  # a piece of the text with the matched words marked


class ResultPage(Pagination):
    """One page of hits; ``total`` is capped at MAX_COUNTED (``capped`` says so)."""

    def _query_items(self) -> list[Any]:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    page: ResultPage | None  # None when there was nothing to search for
    capped: bool = False


def search(viewer: Any, text: str, filters: SearchFilters, page: int = 1) -> SearchResults:
    """Posts matching ``text`` that ``viewer`` may see, best first (newest first past
    ``MAX_COUNTED``); 404 for a page past the end.

    Two queries: the (capped) count, then the page itself.
    """
    query = parse(text)
    if query.is_empty:
        return SearchResults(query, None)
    hits = backend().hits(query)
    count_stmt = matching(viewer, hits, filters, sa.literal(1)).limit(MAX_COUNTED + 1)
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(count_stmt.subquery())
    ).scalar_one()
    pages = max(1, math.ceil(min(total, MAX_COUNTED) / PER_PAGE))
    if page > pages:
        abort(404)
    order = hits.newest if total > MAX_COUNTED else hits.order_by
    items = page_of_hits(viewer, hits, filters, page, order) if total else []
    result_page = ResultPage(
        page=page,
        per_page=PER_PAGE,
        max_per_page=None,
        error_out=False,
        items=items,
        total=min(total, MAX_COUNTED),
    )
    return SearchResults(query, result_page, capped=total > MAX_COUNTED)


def matching(viewer: Any, hits: Hits, filters: SearchFilters, *columns: Any) -> sa.Select:
    """The index's matches joined to their posts and threads, narrowed to what ``viewer`` may
    see (the policy's filters) and to the chosen filters."""
    stmt = (
        sa.select(*columns)
        .select_from(hits.source)
        .join(Post, Post.id == hits.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(hits.condition)
    )
    stmt = policy.visible_posts(policy.visible_threads(stmt, viewer), viewer)
    return filters.apply(stmt)


def page_of_hits(
    viewer: Any, hits: Hits, filters: SearchFilters, page: int, order: tuple[Any, ...]
) -> list[Hit]:
    stmt = (
        matching(viewer, hits, filters, Post, hits.title, hits.snippet)
        .options(
            # The thread comes from the join above; its author is not shown (the post's is).
            contains_eager(Post.thread).raiseload(Thread.author),
            joinedload(Post.author).options(*NAME_ONLY),
            # Results show the snippet, never the whole post: don't load it.
            *(
                defer(column, raiseload=True)
                for column in (Post.body_source, Post.body_html, Post.body_text)
            ),
        )
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return [
        Hit(post, marked(title) if post.is_opening else escape(post.thread.title), marked(snip))
        for post, title, snip in db.session.execute(stmt).unique().all()
    ]


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic: the index's tables are made by migration 0006, not described by models."""
    return not (type_ == "table" and name in INDEX_TABLES)
