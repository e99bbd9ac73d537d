"""Filters of a search: werkveld, kind, period, threads or replies, and filters other rooms add.

``ExtraFilter`` is how a feature adds a filter without the search room knowing the feature:
research registers its filter by code (``forum.research.queries.CODE_SEARCH_FILTER``) in
``create_app`` with ``services.register_filter``. The search room only sees a URL argument, a
label, who may use it (a policy predicate), its choices and a subquery of the post ids a chosen
value keeps.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from forum.discussions.models import Post, Thread, ThreadKind


class Scope(enum.StrEnum):
    """What to search: everything, threads (title and opening post) or replies."""

    ALL = ""
    THREADS = "gesprekken"
    REPLIES = "reacties"


@dataclass(frozen=True)
class ExtraFilter:
    arg: str  # URL argument and form field name
    label: Any  # the field's label (a lazy string)
    any_label: Any  # the choice that filters nothing ("Alle codes")
    allowed: Callable[[Any], object]  # a policy predicate on the viewer
    choices: Callable[[], list[tuple[int, str]]]
    posts: Callable[[int], sa.Select]  # ids of the posts that a chosen value keeps


@dataclass(frozen=True)
class SearchFilters:
    setting_id: int | None = None
    kind: ThreadKind | None = None
    since: datetime | None = None  # a UTC moment, inclusive
    until: datetime | None = None  # a UTC moment, exclusive
    scope: Scope = Scope.ALL
    # Subqueries of post ids from extra filters: a post must be in each.
    post_ids: tuple[sa.Select, ...] = ()

    def apply(self, stmt: sa.Select) -> sa.Select:
        """Narrow a select that joins Post and Thread."""
        if self.setting_id is not None:
            stmt = stmt.where(Thread.setting_id == self.setting_id)
        if self.kind is not None:
            stmt = stmt.where(Thread.kind == self.kind)
        if self.since is not None:
            stmt = stmt.where(Post.created_at >= self.since)
        if self.until is not None:
            stmt = stmt.where(Post.created_at < self.until)
        if self.scope is Scope.THREADS:
            stmt = stmt.where(Post.is_opening.is_(True))
        elif self.scope is Scope.REPLIES:
            stmt = stmt.where(Post.is_opening.is_(False))
        for ids in self.post_ids:
            stmt = stmt.where(Post.id.in_(ids))
        return stmt
