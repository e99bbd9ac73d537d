"""What the search service asks of a database's index (``sqlite.py``, ``postgres.py``).

The index holds, per post, the thread's title (opening posts only) and the post's plain text,
whatever the post's status: who may see a post is decided when searching, through the policy, so
a status change never needs an index write and can never leave the index behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa

from forum.discussions.models import Post, Thread
from forum.search.query import SearchQuery


@dataclass(frozen=True)
class Hits:
    """The matching part of a search, for the service to join, filter and page."""

    source: sa.FromClause  # the index table
    post_id: sa.ColumnElement[int]  # its post id column
    condition: sa.ColumnElement[bool]  # the match (and anything the backend adds to it)
    order_by: tuple[Any, ...]  # best first, computed by the index (reads every match)
    newest: tuple[Any, ...]  # newest first, without ranking (stops at the LIMIT)
    title: sa.ColumnElement[str]  # the thread title, matched words between snippets.START/STOP
    snippet: sa.ColumnElement[str]  # a piece of the post's text, marked the same way


class Backend(Protocol):
    # Tables of the index: not described by the models, so Alembic's comparison leaves them be.
    TABLES: frozenset[str]

    def upsert(self, which: sa.ColumnElement[bool]) -> None:
        """(Re)write the index entries of the posts ``which`` selects, from the posts table."""

    def forget(self, post_ids: sa.Select | list[int]) -> None:
        """Remove the entries of these posts."""

    def forget_orphans(self) -> None:
        """Remove entries whose post is gone."""

    def compact(self) -> None:
        """Rewrite the index so that removed text is physically gone too (slow; reindex only)."""

    def hits(self, query: SearchQuery) -> Hits:
        """The index's answer to a non-empty query."""


def documents(which: sa.ColumnElement[bool]) -> sa.Select:
    """Post id, title (opening posts only) and text of the posts ``which`` selects."""
    title = sa.case((Post.is_opening, Thread.title), else_=sa.literal(""))
    return (
        sa.select(Post.id, title, Post.body_text)
        .join(Thread, Thread.id == Post.thread_id)
        .where(which)
    )
